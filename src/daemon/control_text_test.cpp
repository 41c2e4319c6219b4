// SPDX-License-Identifier: BSD-2-Clause
// Golden text for each control API result shape (control_text.hpp): what an operator sees from
// `bgpsecctl show ...` for sample daemon answers.
#include "daemon/control_text.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::daemon {
namespace {

using nlohmann::json;

TEST(ControlText, Neighbors) {
  const json result = json::parse(R"({"neighbors": [
    {"peer": "127.0.0.2", "peer_as": 65002, "local_as": 65001, "type": "ebgp",
     "state": "established", "state_seconds": 312, "router_id": "10.0.0.2",
     "prefixes": {"received": 10, "accepted": 9, "advertised": 4},
     "bgpsec": {"ipv4": {"send": true, "receive": true}, "ipv6": {"send": false, "receive": true}}},
    {"peer": "::1", "peer_as": 4200000001, "local_as": 65001, "type": "ebgp",
     "state": "active", "state_seconds": 190000, "router_id": null,
     "prefixes": {"received": 0, "accepted": 0, "advertised": 0},
     "bgpsec": {"ipv4": {"send": false, "receive": false}, "ipv6": {"send": true, "receive": false}},
     "last_error": "hold timer expired"}]})");
  EXPECT_EQ(render_neighbors(result),
            "Neighbor           AS  State         Up/Down  Rcvd  Accepted  Adv  BGPsec IPv4  "
            "BGPsec IPv6\n"
            "127.0.0.2       65002  established  00:05:12    10         9    4  send+recv    recv\n"
            "::1        4200000001  active       2d04h46m     0         0    0  -            send\n"
            "::1: last error: hold timer expired\n");
  EXPECT_EQ(render_neighbors(json{{"neighbors", json::array()}}), "no neighbors\n");
}

// A note while our table is still going out (or waits for the restart deferral); none once sent.
TEST(ControlText, NeighborTableInProgress) {
  const json result = json::parse(R"({"neighbors": [
    {"peer": "127.0.0.2", "peer_as": 65002, "state": "established", "state_seconds": 5,
     "prefixes": {"received": 0, "accepted": 0, "advertised": 2048},
     "table": {"state": "sending", "prefixes": 2048}},
    {"peer": "127.0.0.3", "peer_as": 65003, "state": "established", "state_seconds": 5,
     "prefixes": {"received": 0, "accepted": 0, "advertised": 0},
     "table": {"state": "deferred", "prefixes": 0}},
    {"peer": "127.0.0.4", "peer_as": 65004, "state": "established", "state_seconds": 5,
     "prefixes": {"received": 0, "accepted": 0, "advertised": 7},
     "table": {"state": "sent", "prefixes": 7}},
    {"peer": "127.0.0.5", "peer_as": 65005, "state": "active", "state_seconds": 5,
     "prefixes": {"received": 0, "accepted": 0, "advertised": 0}, "table": null}]})");
  const std::string text = render_neighbors(result);
  EXPECT_NE(text.find("127.0.0.2: sending our table, 2048 prefixes so far\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("127.0.0.3: our table waits for the end of the restart deferral\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("127.0.0.4:"), std::string::npos) << text;
  EXPECT_EQ(text.find("127.0.0.5:"), std::string::npos) << text;
}

TEST(ControlText, NeighborRolesAndLeaks) {
  const json result = json::parse(R"({"neighbors": [
    {"peer": "127.0.0.2", "peer_as": 65002, "state": "established", "state_seconds": 5,
     "prefixes": {"received": 2, "accepted": 1, "advertised": 0},
     "role": {"local": "customer", "peer": "provider", "strict": true, "leaks_received": 0,
              "leaks_held_back": 3}},
    {"peer": "127.0.0.3", "peer_as": 65003, "state": "active", "state_seconds": 5,
     "prefixes": {"received": 0, "accepted": 0, "advertised": 0},
     "role": {"local": null, "peer": null, "strict": false, "leaks_received": 0,
              "leaks_held_back": 0}}]})");
  const std::string text = render_neighbors(result);
  EXPECT_NE(text.find("127.0.0.2: role customer, peer role provider (strict); 0 leaks received, 3 "
                      "held back\n"),
            std::string::npos)
      << text;
  // No role on either side: no line.
  EXPECT_EQ(text.find("127.0.0.3: role"), std::string::npos) << text;
}

TEST(ControlText, RouteLeakFlag) {
  const json result = json::parse(R"({"table": "adj-rib-in", "routes": [
    {"prefix": "192.0.2.0/24", "peer": "127.0.0.2", "next_hop": "127.0.0.2", "best": false,
     "stale": false, "route_leak": true, "otc": 65009, "origin": "igp", "local_pref": 100,
     "as_path": [65002, 65009], "path_state": "unsigned", "origin_state": "not-found",
     "aspa_state": "unknown"}]})");
  const std::string text = render_routes(result);
  EXPECT_NE(text.find("\n L  192.0.2.0/24"), std::string::npos) << text;
}

TEST(ControlText, RoutesWithPathStatesAndFailure) {
  const json result = json::parse(R"({"table": "loc-rib", "routes": [
    {"prefix": "192.0.2.0/24", "peer": "127.0.0.2", "next_hop": "127.0.0.2", "best": true,
     "stale": false, "origin": "igp", "local_pref": 110,
     "as_path": [65002, 65003, 65003],
     "secure_path": [{"asn": 65002, "pcount": 1, "confed": false},
                     {"asn": 65003, "pcount": 2, "confed": false}],
     "path_state": "valid", "origin_state": "valid", "aspa_state": "valid"},
    {"prefix": "192.0.2.0/24", "peer": "127.0.0.3", "next_hop": "127.0.0.3", "best": false,
     "stale": true, "origin": "igp", "local_pref": 90,
     "as_path": [65004, 65666, 65003],
     "secure_path": [{"asn": 65004, "pcount": 1, "confed": false},
                     {"asn": 65666, "pcount": 1, "confed": false},
                     {"asn": 65003, "pcount": 1, "confed": false}],
     "path_state": "not-valid", "origin_state": "valid", "aspa_state": "invalid",
     "failure": {"reason": "signature-invalid", "segment": 1, "asn": 65666,
                 "ski": "0123456789abcdef0123456789abcdef01234567", "suite": 1},
     "aspa": {"procedure": "upstream", "state": "invalid", "reason": "not-provider+",
              "up_hop": {"customer": 65666, "provider": 65004,
                         "authorization": "not-provider+"}}},
    {"prefix": "198.51.100.0/24", "peer": "127.0.0.4", "next_hop": "127.0.0.4", "best": true,
     "origin": "incomplete", "local_pref": 100, "as_path": [65005, 64512],
     "path_state": "unsigned", "origin_state": "not-found"},
    {"prefix": "2001:db8::/32", "peer": "local", "next_hop": "::", "best": true,
     "origin": "igp", "local_pref": 100, "as_path": [],
     "secure_path": [{"asn": 65010, "pcount": 1, "confed": true},
                     {"asn": 65011, "pcount": 0, "confed": true},
                     {"asn": 65020, "pcount": 1, "confed": false}],
     "path_state": "pending", "origin_state": "invalid",
     "failure": {"reason": "key-not-found", "segment": -1}}]})");
  EXPECT_EQ(
      render_routes(result),
      "Table loc-rib: 4 routes\n"
      "Flags: > best, s stale, L route leak (RFC 9234).  AS path: \"sec\" = Secure_Path, ASN*N = "
      "pCount N, (...) = confederation\n"
      "    Prefix           Next hop   Peer       Path       Origin     ASPA     LocPrf  AS path\n"
      ">   192.0.2.0/24     127.0.0.2  127.0.0.2  valid      valid      valid       110  sec 65002 "
      "65003*2\n"
      " s  192.0.2.0/24     127.0.0.3  127.0.0.3  not-valid  valid      invalid      90  sec 65004 "
      "65666 65003\n"
      "    not valid: signature-invalid at signature 1 (AS 65666, SKI "
      "0123456789abcdef0123456789abcdef01234567, suite 1)\n"
      "    aspa invalid (upstream): not-provider+, up-ramp ends at AS65666 -> AS65004 "
      "not-provider+\n"
      ">   198.51.100.0/24  127.0.0.4  127.0.0.4  unsigned   not-found  -           100  65005 "
      "64512\n"
      ">   2001:db8::/32    ::         local      pending    invalid    -           100  sec "
      "(65010 65011*0) 65020\n"
      "    not valid: key-not-found\n");
  EXPECT_EQ(render_routes(json{{"table", "adj-rib-in"}, {"routes", json::array()}}),
            "Table adj-rib-in: 0 routes\n");
}

TEST(ControlText, Rpki) {
  const json result = json::parse(R"({"vrps": 1200, "router_keys": 12,
    "vrps_ipv4": 1000, "vrps_ipv6": 200, "aspa_customers": 7,
    "caches": [
      {"name": "127.0.0.1:8282", "preference": 1, "active": true, "connected": true,
       "in_sync": true, "session_id": 4711, "serial": 42, "version": 2, "vrps": 1200,
       "router_keys": 12, "aspas": 5,
       "drops": {"expired": 1, "error_report": 2, "protocol_error": 0}},
      {"name": "[::1]:8283", "preference": 2, "active": false, "connected": false,
       "in_sync": false, "session_id": null, "serial": null, "version": 0, "vrps": 0,
       "router_keys": 0}],
    "files": [{"path": "/etc/bgpsecd/rpki.json", "vrps": 10, "router_keys": 2, "aspas": 3}],
    "slurm": {"path": "/etc/bgpsecd/slurm.json", "prefix_filters": 1, "bgpsec_filters": 0,
              "prefix_assertions": 2, "bgpsec_assertions": 1, "aspa_filters": 1,
              "aspa_assertions": 2}})");
  // A cache that predates ASPA (a v0/v1 report) shows "-" rather than a count of zero.
  EXPECT_EQ(render_rpki(result),
            "RPKI: 1200 VRPs (1000 IPv4, 200 IPv6), 12 router keys, 7 ASPA customers\n"
            "Cache           Pref  State    Session  Serial  Version  VRPs  Keys  ASPAs  Drops\n"
            "127.0.0.1:8282     1  in-sync     4711      42        2  1200    12      5      3\n"
            "[::1]:8283         2  standby        -       -        0     0     0      -      -\n"
            "File                    VRPs  Keys  ASPAs\n"
            "/etc/bgpsecd/rpki.json    10     2      3\n"
            "SLURM /etc/bgpsecd/slurm.json: 1 prefix filters, 0 BGPsec filters, 2 prefix "
            "assertions, 1 BGPsec assertions, 1 ASPA filters, 2 ASPA assertions\n");
  EXPECT_EQ(render_rpki(json{{"vrps", 0}, {"router_keys", 0}, {"caches", json::array()}}),
            "RPKI: 0 VRPs, 0 router keys\nno RPKI caches or files configured\n");
}

TEST(ControlText, RpkiValidationLine) {
  const json result = json::parse(R"({"vrps": 0, "router_keys": 3, "caches": [],
    "validation": {"threads": 2, "engine": "avx512-ifma", "pending": 3, "queued": 1,
      "completed": 1200,
      "signature_cache": {"capacity": 2000000, "entries": 4800, "hits": 300, "misses": 100},
      "key_tables": {"tables": 12, "bytes": 319488,
                     "small": {"tables": 40, "bytes": 102400}},
      "stored_paths": {"paths": 1200, "hops": 4800, "signature_nodes": 3600,
                       "bytes": 768000}}})");
  EXPECT_EQ(render_rpki(result),
            "RPKI: 0 VRPs, 3 router keys\n"
            "Validation: 2 threads (multi-buffer, AVX-512 IFMA), 3 pending (1 queued), 1200 done; "
            "signature cache "
            "4800/2000000 (75% "
            "hits); 12 key tables (312 KiB) + 40 small (100 KiB); 1200 signed paths stored "
            "(160 B per hop)\n"
            "no RPKI caches or files configured\n");
}

TEST(ControlText, RpkiValidationLineCountsDeferredRoutes) {
  // RFC 8374 §8.7 (defer_when_queued): routes installed without a check, still waiting.
  const json result = json::parse(R"({"vrps": 0, "router_keys": 0, "caches": [],
    "validation": {"threads": 1, "pending": 0, "queued": 0, "completed": 2, "deferred": 3,
                   "deferred_total": 5}})");
  EXPECT_EQ(render_rpki(result),
            "RPKI: 0 VRPs, 0 router keys\n"
            "Validation: 1 threads, 0 pending (0 queued), 2 done, 3 deferred (5 ever)\n"
            "no RPKI caches or files configured\n");
}

// RFC 8374 §9.3.2: the servers validation is outsourced to, the home one marked, with their
// mean latencies (absent for a server that never answered).
TEST(ControlText, Validation) {
  const json result = json::parse(R"({"mode": "server-or-local", "fallback_after": 5,
    "available": true, "fallback_active": true, "home": "127.0.0.9:17900", "failovers": 1,
    "routes": 10, "awaiting_first_result": 2, "results": 8, "fallback_local": 3,
    "fallback_deferred": 0,
    "servers": [{"address": "127.0.0.9:17900", "preference": 0, "state": "active", "home": true,
                 "proxy_id": 7, "routes": 10, "awaiting_answers": 2, "connects": 2,
                 "requests": 12, "receipts": 10, "notifications": 4, "errors": 0,
                 "receipt_ms_mean": 0.42, "result_ms_mean": 12.26},
                {"address": "[::1]:17901", "preference": 5, "state": "disconnected",
                 "home": false, "proxy_id": 0, "routes": 0, "awaiting_answers": 0,
                 "connects": 9, "requests": 0, "receipts": 0, "notifications": 0,
                 "errors": 0}]})");
  EXPECT_EQ(render_validation(result),
            "Validation: mode server-or-local, routes at 127.0.0.9:17900, 10 routes held, 2 "
            "awaiting a first result, 1 failovers\n"
            "No server has answered for 5 s: new routes are checked here (server-or-local) or "
            "installed deferred (server)\n"
            "Server             Pref  State         Proxy ID  Routes  Waiting  Requests  Receipts  "
            "Notified  Errors  Connects  Receipt ms  Result ms\n"
            "127.0.0.9:17900 *     0  active               7      10        2        12        10  "
            "       4       0         2         0.4       12.3\n"
            "[::1]:17901           5  disconnected         0       0        0         0         0  "
            "       0       0         9           -          -\n"
            "Path results from servers 8, fallback: 3 checked here, 0 installed deferred\n");
  EXPECT_EQ(render_validation(json{{"mode", "local"}, {"servers", json::array()}}),
            "Validation: mode local, no validation servers configured\n");
}

// RFC 8634 §4 rollover: the keys of our AS, which one signs and how much each signed.
TEST(ControlText, RpkiSigningKeys) {
  const json result = json::parse(R"({"vrps": 0, "router_keys": 2, "caches": [],
    "signing_keys": {"ases": [{"asn": 65001, "active_from": "active_key", "keys": [
      {"ski": "0A0B0C0D0E0F101112131415161718191A1B1C1D", "file": "/k/65001.0A.pem",
       "active": false, "signatures": 1200, "in_rpki": true},
      {"ski": "1A0B0C0D0E0F101112131415161718191A1B1C1D", "file": "/k/65001.1A.pem",
       "active": true, "signatures": 3, "in_rpki": false}]}],
      "resign_pending": 5, "routes_resigned": 7}})");
  EXPECT_EQ(
      render_rpki(result),
      "RPKI: 0 VRPs, 2 router keys\n"
      "Router keys of AS65001 (active: [bgpsec.active_key])\n"
      "SKI                                       Active  Signatures  In RPKI  File\n"
      "0A0B0C0D0E0F101112131415161718191A1B1C1D  no            1200  yes      /k/65001.0A.pem\n"
      "1A0B0C0D0E0F101112131415161718191A1B1C1D  yes              3  no       /k/65001.1A.pem\n"
      "Routes signed again for a new active key: 7 (5 pending)\n"
      "no RPKI caches or files configured\n");
}

TEST(ControlText, ReloadAndClear) {
  EXPECT_EQ(render_reload(json::parse(
                R"({"message": "configuration reloaded", "changes": ["neighbor 127.0.0.4 added",
                    "neighbor 127.0.0.2: import policy changed"]})")),
            "configuration reloaded\n"
            "  neighbor 127.0.0.4 added\n"
            "  neighbor 127.0.0.2: import policy changed\n");
  EXPECT_EQ(render_reload(json::parse(R"({"message": "configuration reloaded", "changes": []})")),
            "configuration reloaded\n  (no changes)\n");
  EXPECT_EQ(render_clear(json::parse(
                R"({"peer": "127.0.0.2", "soft": true, "message": "route refresh sent"})")),
            "127.0.0.2: route refresh sent\n");
  EXPECT_EQ(render_clear(json{{"peer", "::1"}, {"soft", false}}), "::1: session reset\n");
}

TEST(ControlText, ToleratesUnexpectedShapes) {
  // Missing or mistyped fields show as "-"; nothing throws.
  EXPECT_EQ(render_neighbors(json::parse(R"({"neighbors": [{"peer": 5, "prefixes": 3}]})")),
            "Neighbor  AS  State  Up/Down  Rcvd  Accepted  Adv  BGPsec IPv4  BGPsec IPv6\n"
            "5          -  -            -     -         -    -  -            -\n");
  EXPECT_EQ(render_neighbors(json("nonsense")), "no neighbors\n");
  EXPECT_EQ(render_routes(json::array()), "Table loc-rib: 0 routes\n");
  EXPECT_EQ(render_result("show something", json{{"a", 1}}), "{\n  \"a\": 1\n}\n");
}

TEST(ControlText, Durations) {
  EXPECT_EQ(format_duration(0), "00:00:00");
  EXPECT_EQ(format_duration(86399), "23:59:59");
  EXPECT_EQ(format_duration(86400), "1d00h00m");
  EXPECT_EQ(format_duration(8 * 86400 + 3 * 3600), "1w1d03h");
  EXPECT_EQ(format_duration(-1), "-");
}

}  // namespace
}  // namespace bgpsecd::daemon
