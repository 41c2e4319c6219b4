// SPDX-License-Identifier: BSD-2-Clause
// The control API's commands, the JSON shape of each result (the daemon produces exactly these;
// `bgpsecctl --json` prints them unchanged) and their text rendering for operators. The
// renderers are pure functions: JSON in, text out. They tolerate missing or mistyped fields
// (shown as "-"), so an older bgpsecctl still prints what it understands.
//
// Conventions: peers are their remote address text ("127.0.0.2", "::1"); AS numbers are JSON
// numbers (asplain); durations are whole seconds; state names are lowercase with dashes.
//
// ----- "show neighbors"   args {"peer": "127.0.0.2"}  (optional: one neighbor) -----
// {"neighbors": [{
//    "peer": "127.0.0.2",            remote address, the neighbor's key
//    "peer_as": 65002, "local_as": 65001,
//    "description": "lab r2",        optional
//    "type": "ebgp",                 "ebgp" | "ibgp"
//    "state": "established",         "idle" | "connect" | "active" | "opensent" |
//                                    "openconfirm" | "established"
//    "state_seconds": 312,           time in the current state (Up/Down column); null if unknown
//    "router_id": "10.0.0.2",        from its OPEN; null before OPEN
//    "prefixes": {"received": 10, "accepted": 9, "advertised": 4},
//    "bgpsec": {                     negotiated per AFI and direction (RFC 8205 §2.2):
//      "ipv4": {"send": true, "receive": true},   send: we sign towards the peer;
//      "ipv6": {"send": false, "receive": false}  receive: we accept BGPsec_PATH from it
//    },
//    "last_error": "hold timer expired"  optional: why the last session ended
// }]}
// Error: unknown peer ("no neighbor 127.0.0.9").
//
// ----- "show routes"   args {"prefix": "192.0.2.0/24", "peer": "127.0.0.2",
//                             "table": "loc-rib" | "adj-rib-in" | "adj-rib-out"}  (all optional;
//       table defaults to "loc-rib"; "adj-rib-in"/"adj-rib-out" without peer: all peers) -----
// {"table": "loc-rib",
//  "routes": [{
//    "prefix": "192.0.2.0/24",
//    "peer": "127.0.0.2",            where it came from ("local" for our own networks);
//                                    for adj-rib-out the peer it is advertised to
//    "next_hop": "127.0.0.2",
//    "best": true,                   selected in the Loc-RIB (always false in adj-rib-in
//                                    when another route wins; true in adj-rib-out)
//    "stale": false,                 RFC 4724 graceful restart
//    "origin": "igp",                "igp" | "egp" | "incomplete"
//    "local_pref": 110, "med": 0,    med optional
//    "as_path": [65002, 65003],      AS_PATH flattened, newest first (unsigned routes, and
//                                    BGPsec routes as a non-BGPsec peer would see them)
//    "secure_path": [                BGPsec routes only (absent otherwise), newest first
//      {"asn": 65002, "pcount": 1, "confed": false},
//      {"asn": 65003, "pcount": 2, "confed": false}],
//    "path_state": "valid",          "valid" | "not-valid" | "unsigned" | "pending"
//    "origin_state": "valid",        "valid" | "invalid" | "not-found"
//    "aspa_state": "valid",          "valid" | "invalid" | "unknown" | "unverified"
//    "aspa": {                       only for an Invalid or Unknown route from an eBGP
//      "procedure": "upstream",      neighbor: the verdict found again with the ASPA data
//      "state": "invalid",           in use, "upstream" | "downstream"
//      "reason": "not-provider+",    aspa::aspa_reason_name()
//      "up_hop": {"customer": 65200, "provider": 65001,     the hop that ended the up-ramp
//                 "authorization": "not-provider+"},       (from the origin), and for
//      "down_hop": {...}}                                  downstream the down-ramp's
//    "failure": {                    only when path_state is "not-valid"
//      "reason": "signature-invalid",  bgpsec::reason_name()
//      "segment": 1,                 Secure_Path index of the failing signature (0 = newest),
//                                    -1 when no single signature is at fault
//      "asn": 65003, "ski": "0123...", the signer's AS and SKI (hex), when segment >= 0
//      "suite": 1}                   algorithm suite of the Signature_Block checked
//  }]}
// Errors: bad prefix, unknown peer, unknown table.
//
// ----- "show rpki"   args {} -----
// {"vrps": 1200, "router_keys": 12,                         totals in the tables in use
//  "vrps_ipv4": 1000, "vrps_ipv6": 200,                     optional
//  "aspa_customers": 7,                 customer ASes with an ASPA record (optional)
//  "caches": [{"name": "127.0.0.1:8282", "preference": 1,
//              "active": true,        its preference group is in use
//              "connected": true, "in_sync": true,
//              "session_id": 4711, "serial": 42,             null before the first End of Data
//              "version": 2, "vrps": 1200, "router_keys": 12, "aspas": 5}],
//  "files": [{"path": "/etc/bgpsecd/rpki.json", "vrps": 10, "router_keys": 2, "aspas": 3}],
//  "slurm": {"path": "/etc/bgpsecd/slurm.json", "prefix_filters": 1, ...,
//            "aspa_filters": 1, "aspa_assertions": 2},                        optional
//  "signing_keys": {"ases": [{"asn": 65001,              our router keys      optional
//                             "active_from": "oldest",   or "active_key" (configured)
//                             "keys": [{"ski": "0A0B...", "file": "/k/65001.0A0B....pem",
//                                       "active": true, "signatures": 1200, "in_rpki": true}]}],
//                   "resign_pending": 0,       routes waiting to be signed with a new key
//                   "routes_resigned": 1200}}  signed again after active key changes
//
// ----- "show validation"   args {} -----
// {"mode": "server-or-local", "fallback_after": 5,          [validation]
//  "signing": "server", "signing_fallback": "local",
//  "neighbors": {"127.0.0.2": {"mode": "server", "routes_at_server": 10}},
//  "servers": [{"address": "127.0.0.9:17900", "preference": 0,
//               "state": "active", "home": true,       the routes are there
//               "proxy_id": 2130706433, "routes": 10, "awaiting_answers": 0, "connects": 1,
//               "requests": 10, "receipts": 10, "notifications": 4, "deletes": 0,
//               "errors": 0, "refused": 0}],
//  with servers also: "available": true, "fallback_active": false, "home": "127.0.0.9:17900",
//  "failovers": 0, "routes": 10, "awaiting_first_result": 0, "results": 10,
//  "fallback_local": 0, "fallback_deferred": 0,
//  "signed_by_server": 10, "signing_pending": 0, "signing_fallbacks": 0}
//
// ----- "show bmp"   args {} -----
// {"stations": [{"station": "127.0.47.1:18360", "state": "up",   connecting|up|waiting|...
//                "views": ["pre-policy", "loc-rib"], "messages_sent": 120, "bytes_sent": 9000,
//                "connects": 2, "reconnects": 1, "failures": 1, "drops": 0,
//                "queued_bytes": 0, "last_error": ""}]}
//
// ----- "reload"   args {} -----
// {"message": "configuration reloaded", "changes": ["neighbor 127.0.0.4 added", ...]}
// Error: the new configuration's first problem ("bgpsecd.toml:12:3: ..."); nothing changed.
//
// ----- "clear neighbor"   args {"peer": "127.0.0.2", "soft": false} -----
// {"peer": "127.0.0.2", "soft": false, "message": "session reset"}
// soft: route refresh in and re-advertisement out (RFC 2918), the session stays up.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace bgpsecd::daemon {

inline constexpr std::string_view kCmdShowNeighbors = "show neighbors";
inline constexpr std::string_view kCmdShowRoutes = "show routes";
inline constexpr std::string_view kCmdShowRpki = "show rpki";
inline constexpr std::string_view kCmdShowValidation = "show validation";
inline constexpr std::string_view kCmdShowBmp = "show bmp";
inline constexpr std::string_view kCmdReload = "reload";
inline constexpr std::string_view kCmdClearNeighbor = "clear neighbor";
inline constexpr std::string_view kCmdDumpMrt = "dump mrt";

// Text for each command's result (shapes above). Every line ends in '\n'.
[[nodiscard]] std::string render_neighbors(const nlohmann::json& result);
[[nodiscard]] std::string render_routes(const nlohmann::json& result);
[[nodiscard]] std::string render_rpki(const nlohmann::json& result);
[[nodiscard]] std::string render_validation(const nlohmann::json& result);
[[nodiscard]] std::string render_bmp(const nlohmann::json& result);
[[nodiscard]] std::string render_reload(const nlohmann::json& result);
[[nodiscard]] std::string render_clear(const nlohmann::json& result);
// Dispatches on the command name; an unknown command's result is printed as indented JSON.
[[nodiscard]] std::string render_result(std::string_view command, const nlohmann::json& result);

// "00:05:12" under a day, "3d04h05m" under a week, "12w3d04h" beyond; "-" for negative.
[[nodiscard]] std::string format_duration(std::int64_t seconds);

// The "engine" of "show rpki"'s "validation" (CachingSignatureVerifier::engine) in words:
// "avx512-ifma" -> "multi-buffer, AVX-512 IFMA"; unknown names as they are.
[[nodiscard]] std::string engine_description(std::string_view engine);

}  // namespace bgpsecd::daemon
