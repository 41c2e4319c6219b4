// SPDX-License-Identifier: BSD-2-Clause
// The bgpsecd configuration: plain value types, the TOML parser that fills them (every error
// names file:line:column), the printer of the canonical normal form (`bgpsecd -n`), and the
// diff that reload uses so that sessions a change does not touch stay up.
// The reference for every key is man/bgpsecd.conf.5.md.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/asn.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "base/ski.hpp"
#include "bgpsec/signature_cache.hpp"
#include "rib/as_path_edit.hpp"
#include "rib/route.hpp"
#include "rpki/rtr_transport.hpp"
#include "service/endpoint.hpp"
#include "service/key_sources.hpp"
#include "service/log_level.hpp"
#include "service/rpki_config.hpp"
#include "session/fsm.hpp"
#include "session/tcp_ao.hpp"
#include "wire/communities.hpp"
#include "wire/role.hpp"

namespace bgpsecd::daemon {

inline constexpr std::uint16_t kDefaultBgpPort = 179;  // RFC 4271 §8.2.1
inline constexpr std::uint16_t kDefaultMetricsPort = 9179;

using service::Endpoint;
using service::parse_endpoint;
using service::RpkiCache;
using service::RpkiConfig;
using service::to_rtr_cache_config;

// A standard community (RFC 1997, "65001:100" or a well-known name such as "no-export") or a
// large community (RFC 8092, "65001:1:2").
using Community = std::variant<std::uint32_t, wire::LargeCommunity>;
[[nodiscard]] base::Result<Community> parse_community(std::string_view text);
[[nodiscard]] std::string community_to_string(const Community& community);

using service::log_level_name;
using service::LogLevel;

struct GlobalConfig {
  base::Asn asn;                // required
  std::uint32_t router_id = 0;  // BGP Identifier, host order; required, non-zero
  // Where to accept BGP connections; empty = accept none (every neighbor connects out).
  std::vector<Endpoint> listen{Endpoint{base::IpAddress::v4(0), kDefaultBgpPort}};
  std::uint16_t hold_time = 90;  // RFC 4271 §4.2: 0 or >= 3
  // Seconds between KEEPALIVEs; 0 = a third of the negotiated hold time (RFC 4271 §10).
  std::uint16_t keepalive = 0;
  std::uint16_t graceful_restart_time = 120;  // RFC 4724 §3, 12 bits; 0 = no graceful restart
  LogLevel log_level = LogLevel::Info;
  // [control] socket; the default is control_server.hpp's kDefaultControlSocket.
  std::string control_socket = "/run/bgpsecd/bgpsecd.sock";
  std::optional<Endpoint> control_tcp;  // [control] tcp, loopback; off if unset
  // [metrics] listen: Prometheus /metrics; loopback by default; unset ("") = off.
  std::optional<Endpoint> metrics_listen =
      Endpoint{base::IpAddress::v4(0x7F000001), kDefaultMetricsPort};
  // RFC 5065: we are a member of a confederation: `asn` is our Member-AS, this the AS
  // Confederation Identifier that peers outside the confederation see (FRR/Cisco
  // "confederation identifier", JunOS "confederation").
  std::optional<base::Asn> confederation_id;
  // The other Member-ASes of the confederation (FRR/Cisco "confederation peers", JunOS
  // "members"): a neighbor with one of these as remote_as is a confederation-eBGP peer.
  std::vector<base::Asn> confederation_peers;

  // Our AS as peers outside the confederation (or outside our AS) see it: the confederation
  // identifier when we are a member, else `asn`.
  [[nodiscard]] base::Asn external_as() const noexcept { return confederation_id.value_or(asn); }
  friend bool operator==(const GlobalConfig&, const GlobalConfig&) = default;
};

// RFC 8374 §8.5: what to do with a BGPsec_PATH that fails the RFC 8205 §5.2 syntax checks.
enum class SyntaxErrorAction : std::uint8_t {
  Withdraw,  // RFC 8205 §5.2 treat-as-withdraw (default)
  Strip,     // RFC 8374 §8.5: drop the signatures, keep the route as unsigned, log
};
// RFC 8374 §8.7: what an egress router does with the path state received over iBGP.
enum class IbgpState : std::uint8_t { Trust, Revalidate };
// Which received BGPsec routes are checked at once (RFC 8374 §9.4, the path selection
// optimisations): every one, or first those that could win the decision process, the others
// when the prefix's best route changes so that they could.
enum class ValidationOrder : std::uint8_t { All, BestFirst };
[[nodiscard]] const char* syntax_error_action_name(SyntaxErrorAction action) noexcept;
[[nodiscard]] const char* ibgp_state_name(IbgpState state) noexcept;
[[nodiscard]] const char* validation_order_name(ValidationOrder order) noexcept;
[[nodiscard]] const char* private_as_removal_name(rib::PrivateAsRemoval mode) noexcept;

// [bgpsec]: key_dir, key_files and [bgpsec.active_key] are service::KeySources (bgpsecvd reads
// the same keys), the rest is the speaker's.
struct BgpsecConfig : service::KeySources {
  SyntaxErrorAction syntax_error_action = SyntaxErrorAction::Withdraw;
  // RFC 8374 §8.4.2, before signing: the default of the neighbor key; also `true` (Leading)
  // and `false` (None) in the file, the form of older versions.
  rib::PrivateAsRemoval remove_private_as = rib::PrivateAsRemoval::None;
  IbgpState ibgp_state = IbgpState::Trust;
  // RFC 8374 §8.3 / §8.6: added to the preference by state (rib::apply_state_preference);
  // the defaults prefer Valid over unsigned over Not Valid.
  rib::StatePreference preference;
  bool drop_not_valid = false;       // reject path state Not Valid on import
  bool drop_origin_invalid = false;  // reject origin state Invalid on import
  // Signature verification off the I/O thread (RFC 8374 §9.4: crypto is the cost): worker
  // threads, 0 = one per core. Applied at start only (a reload reports it needs a restart).
  std::uint32_t validation_threads = 0;
  // Verified (key, digest, signature) results kept so that a signature arriving from several
  // peers is checked once; 0 disables the cache. Applied at start only.
  std::uint64_t signature_cache_entries = bgpsec::SignatureCache::kDefaultEntries;
  // Router keys with a precomputed verification table (about 26 KiB each); least recently
  // used keys beyond this verify without one until used again. Applied at start only.
  std::uint32_t key_tables = 4096;
  // Router keys refused a table above (keys that sign few paths) get a small one (2.5 KiB)
  // instead of OpenSSL's verification, up to this many, least recently used dropped. Applied at
  // start only.
  std::uint32_t small_key_tables = 131072;
  // Verify eight signatures at a time with AVX-512 IFMA where the CPU has it (the multi-buffer
  // engine); false verifies one at a time, to compare or to rule the engine out. Applied at
  // start and on reload.
  bool multi_buffer = true;
  // RFC 8374 §8.7 "validation deferred" under load: while at least this many routes wait for a
  // validation worker, a signed route from eBGP is installed without a check, marked deferred
  // towards iBGP, and checked later in the background (validation_deferral.hpp). 0 defers every
  // such route and never checks them here; unset never defers.
  std::optional<std::uint32_t> defer_when_queued;
  ValidationOrder validation_order = ValidationOrder::All;
  // A warning when the RPKI entry of our active signing key expires within this time (the
  // `expires` of rpki-client's JSON: the earliest end of validity on its certificate chain),
  // so that the operator hears of it before the peers see Not Valid. 0: never.
  std::chrono::seconds key_expiry_warning{std::chrono::hours{4}};
  friend bool operator==(const BgpsecConfig& a, const BgpsecConfig& b);
};

// RFC 8374 §9.3.2: where the signatures of received BGPsec routes are checked.
enum class ValidationMode : std::uint8_t {
  Local,          // by our own workers
  Server,         // by the [[validation_server]]s; while none answers, routes go in deferred
  ServerOrLocal,  // by the servers; while none answers, by our own workers
};
[[nodiscard]] const char* validation_mode_name(ValidationMode mode) noexcept;

// RFC 8374 §9.3.2: who signs the routes we send to BGPsec peers.
enum class SigningMode : std::uint8_t {
  Local,   // our router keys
  Server,  // the validation server that holds the route (SIGN_REQUEST), for received routes
};
// What happens to a route the server does not sign (none answers, it refuses, it does not hold
// the route: our own networks, routes validated here).
enum class SigningFallback : std::uint8_t { Local, Unsigned };
[[nodiscard]] const char* signing_mode_name(SigningMode mode) noexcept;
[[nodiscard]] const char* signing_fallback_name(SigningFallback fallback) noexcept;

// One [[validation_server]]: an SRx proxy protocol server (bgpsecvd, NIST's srx_server).
struct ValidationServerConfig {
  Endpoint address;
  std::uint8_t preference = 0;  // lower is preferred; ties keep the order of the file
  friend bool operator==(const ValidationServerConfig&, const ValidationServerConfig&) = default;
};

// [validation] and [[validation_server]] (docs/srx-proxy.md §10).
struct ValidationConfig {
  ValidationMode mode = ValidationMode::Local;  // the neighbors' default
  std::vector<ValidationServerConfig> servers;  // in order of preference
  std::uint32_t proxy_id = 0;                   // 0: the router id
  std::chrono::seconds hello_timeout{10};       // HELLO to HELLO_RESPONSE
  std::chrono::seconds answer_timeout{30};      // VERIFY to receipt: longer ends the session
  std::chrono::seconds connect_timeout{5};
  std::uint16_t keep_window = 900;  // seconds a server keeps our updates after we let go
  // How long no server may answer before routes waiting for one are validated locally
  // (server-or-local) or installed "validation deferred" (server, RFC 8374 §8.7).
  std::chrono::seconds fallback_after{5};
  SigningMode signing = SigningMode::Local;
  SigningFallback signing_fallback = SigningFallback::Local;
  friend bool operator==(const ValidationConfig&, const ValidationConfig&) = default;
};

// Which tables one BMP station is sent (docs/bmp.md): the routes as each peer sent them, as
// import policy left them, and our Loc-RIB (RFC 9069).
struct BmpViews {
  bool pre_policy = true;
  bool post_policy = false;
  bool loc_rib = false;
  friend bool operator==(const BmpViews&, const BmpViews&) = default;
};

// One [[bmp]]: a BMP monitoring station (RFC 7854) bgpsecd connects to.
struct BmpStationConfig {
  Endpoint address;  // the port is required: BMP has no well-known port
  BmpViews views;
  std::chrono::seconds stats_interval{60};  // between Statistics Reports; 0 = none
  std::chrono::seconds reconnect_min{30};   // first wait after a failure, doubled up to max
  std::chrono::seconds reconnect_max{720};
  // Octets waiting for a slow station before we drop the connection and resync later.
  std::uint32_t max_queue = 16U << 20U;
  friend bool operator==(const BmpStationConfig&, const BmpStationConfig&) = default;
};

// A prefix we originate, with the communities it carries.
struct Network {
  base::Prefix prefix;
  std::vector<Community> communities;
  friend bool operator==(const Network&, const Network&) = default;
};

// Matches prefixes inside `prefix` whose length is in [ge, le]; "P" alone is exact.
struct PrefixListEntry {
  base::Prefix prefix;
  std::uint8_t ge = 0;
  std::uint8_t le = 0;
  [[nodiscard]] bool matches(const base::Prefix& p) const noexcept;
  [[nodiscard]] std::string to_string() const;  // "P" or "P ge G le L"
  friend bool operator==(const PrefixListEntry&, const PrefixListEntry&) = default;
};
// "192.0.2.0/24", "10.0.0.0/8 le 24", "10.0.0.0/8 ge 16 le 24".
[[nodiscard]] base::Result<PrefixListEntry> parse_prefix_list_entry(std::string_view text);

struct PrefixList {
  std::string name;
  std::vector<PrefixListEntry> entries;
  [[nodiscard]] bool matches(const base::Prefix& p) const noexcept;  // any entry
  friend bool operator==(const PrefixList&, const PrefixList&) = default;
};

// All conditions that are set must hold; a rule without conditions matches every route.
struct PolicyMatch {
  std::optional<std::string> prefix_list;
  std::optional<base::Asn> as_path_contains;
  std::optional<base::Asn> origin_as;
  std::optional<Community> community;
  std::optional<rib::PathState> path_state;
  std::optional<rib::OriginState> origin_state;
  std::optional<rib::AspaState> aspa_state;
  std::optional<bool> otc;  // RFC 9234 §5: the route carries (true) or lacks (false) OTC
  friend bool operator==(const PolicyMatch&, const PolicyMatch&) = default;
};

enum class PolicyAction : std::uint8_t { Next, Accept, Reject };
[[nodiscard]] const char* policy_action_name(PolicyAction action) noexcept;

struct PolicySet {
  std::optional<std::uint32_t> local_pref;
  std::optional<std::uint32_t> med;
  std::vector<Community> add_community;
  // Extra copies of our AS: AS_PATH prepends, pCount = 1 + prepend (RFC 8205 §3.1).
  std::uint8_t prepend = 0;
  friend bool operator==(const PolicySet&, const PolicySet&) = default;
};

struct PolicyRule {
  PolicyMatch match;
  PolicySet set;
  PolicyAction action = PolicyAction::Next;  // Next: apply `set`, go on with the next rule
  friend bool operator==(const PolicyRule&, const PolicyRule&) = default;
};

// Rules run in order; the first Accept or Reject ends the policy, else `default_action`.
struct Policy {
  std::string name;
  std::vector<PolicyRule> rules;
  PolicyAction default_action = PolicyAction::Reject;  // Accept or Reject
  friend bool operator==(const Policy&, const Policy&) = default;
};

struct BgpsecFamilies {
  bool ipv4 = false;
  bool ipv6 = false;
  friend bool operator==(const BgpsecFamilies&, const BgpsecFamilies&) = default;
};

struct NeighborConfig {
  base::IpAddress address;  // also the neighbor's name in logs, control API and metrics
  base::Asn remote_as;
  std::optional<base::IpAddress> local_address;
  std::uint16_t port = kDefaultBgpPort;  // the neighbor's port we connect to
  bool passive = false;
  std::string description;
  std::optional<std::uint16_t> hold_time;  // overrides global hold_time
  bool ipv4 = true;                        // families (RFC 4760); default: the family of `address`
  bool ipv6 = false;
  // RFC 8205 §2: BGPsec per direction and AFI (send-only / receive-only: RFC 8374 §9.4).
  BgpsecFamilies bgpsec_send;
  BgpsecFamilies bgpsec_receive;
  std::optional<std::string> import_policy;  // RFC 8212: eBGP without one accepts nothing
  std::optional<std::string> export_policy;  // RFC 8212: eBGP without one sends nothing
  std::uint32_t max_prefix = 0;              // 0 = no limit
  bool next_hop_self = false;
  // NEXT_HOP sent to this neighbor instead of our session address (RFC 4271 §5.1.3), per
  // family of the routes; BIRD's `next hop address`.
  std::optional<base::IpAddress> next_hop_ipv4;
  std::optional<base::IpAddress> next_hop_ipv6;
  bool route_reflector_client = false;  // RFC 4456, iBGP only
  bool route_server = false;            // transparent route server, pCount 0 (RFC 8205 §4.2)
  // The neighbor is a transparent route server: accept pCount 0 in its Secure_Path segment
  // (RFC 8205 §7.2); without this, such a segment is a §5.2 error.
  bool peer_is_route_server = false;
  bool graceful_restart = true;        // RFC 4724, when global graceful_restart_time > 0
  bool extended_messages = true;       // RFC 8654
  bool enhanced_route_refresh = true;  // RFC 7313 capability (BoRR / EoRR around a refresh)
  // RFC 7313 §4: how long the routes marked stale at the peer's BoRR wait for its EoRR.
  std::uint16_t eorr_timeout = 300;
  // RFC 8374 §8.4.2 / RFC 6996: private ASNs leave the AS_PATH of routes sent to this
  // external neighbor; unset = [bgpsec] remove_private_as.
  std::optional<rib::PrivateAsRemoval> remove_private_as;
  // RFC 2385 TCP MD5 key: `password`, or the contents of `password_file`. Never logged, never
  // in the normal form (bgpsecd -n) or bgpsecctl; empty = none.
  std::string password;
  std::string password_file;  // where `password` was read from; empty: given inline
  // RFC 5925 TCP-AO master key tuples ([[neighbor.tcp_ao]]); the secrets are never logged or
  // shown. Never together with `password` (RFC 5925 §1).
  std::vector<session::AoKey> tcp_ao;
  // RFC 5082 GTSM (`ttl_security`): 0 = off, N = the neighbor is N hops away (true = 1).
  std::uint8_t ttl_security = 0;
  // Where this neighbor's BGPsec routes are validated; unset: [validation] mode. Applied at
  // start only, like [validation].
  std::optional<ValidationMode> validation;
  // RFC 9234 §3.1: our role on this eBGP session (`role`); nullopt: none, no Role capability
  // and no OTC handling (docs/roles.md). `role_strict`: refuse a peer without a role (§4.2).
  std::optional<wire::Role> role;
  bool role_strict = false;
  [[nodiscard]] ValidationMode validation_mode(const ValidationConfig& defaults) const noexcept {
    return validation.value_or(defaults.mode);
  }

  [[nodiscard]] std::string name() const { return address.to_string(); }
  [[nodiscard]] bool ibgp(const GlobalConfig& global) const noexcept {
    return remote_as == global.asn;
  }
  // RFC 5065: the neighbor is in another Member-AS of our confederation.
  [[nodiscard]] bool confed_member(const GlobalConfig& global) const noexcept {
    return global.confederation_id && !ibgp(global) &&
           std::find(global.confederation_peers.begin(), global.confederation_peers.end(),
                     remote_as) != global.confederation_peers.end();
  }
  // Outside our AS and our confederation: the AS path and BGPsec rules of eBGP apply in full.
  [[nodiscard]] bool external(const GlobalConfig& global) const noexcept {
    return !ibgp(global) && !confed_member(global);
  }
  // What remove_private_as does for this neighbor: the neighbor's setting, else
  // `bgpsec_default`; None inside our AS and confederation.
  [[nodiscard]] rib::PrivateAsRemoval private_as_removal(
      const GlobalConfig& global, rib::PrivateAsRemoval bgpsec_default) const noexcept {
    return external(global) ? remove_private_as.value_or(bgpsec_default)
                            : rib::PrivateAsRemoval::None;
  }
  friend bool operator==(const NeighborConfig&, const NeighborConfig&) = default;
};

// [aspa]: ASPA verification of the routes from eBGP neighbors (docs/aspa.md) and what its
// states do on import. The procedure per neighbor is in daemon/aspa_check.hpp.
struct AspaConfig {
  bool verify = true;  // false: every route stays Unverified
  // docs/aspa.md §8: Invalid routes "SHOULD" be ineligible; like drop_not_valid, this is the
  // operator's choice, and the default only ranks them lower (rib::AspaPreference).
  bool drop_invalid = false;
  rib::AspaPreference preference;
  friend bool operator==(const AspaConfig&, const AspaConfig&) = default;
};

struct Config {
  GlobalConfig global;
  RpkiConfig rpki;
  BgpsecConfig bgpsec;
  AspaConfig aspa;
  ValidationConfig validation;
  std::vector<Network> networks;
  std::vector<PrefixList> prefix_lists;
  std::vector<Policy> policies;
  std::vector<NeighborConfig> neighbors;
  std::vector<BmpStationConfig> bmp;
  // "file:line:column: what" lines worth an operator's attention (RFC 8212 and the like).
  // Not part of the value: two configs that say the same compare equal.
  std::vector<std::string> warnings;

  [[nodiscard]] const NeighborConfig* find_neighbor(const base::IpAddress& address) const;
  [[nodiscard]] const Policy* find_policy(std::string_view name) const;
  [[nodiscard]] const PrefixList* find_prefix_list(std::string_view name) const;
  friend bool operator==(const Config& a, const Config& b);
};

// Parses and checks a whole config. Errors (the first one found) read
// "FILE:LINE:COLUMN: CONTEXT: what is wrong"; nothing is returned on error.
[[nodiscard]] base::Result<Config> parse_config(std::string_view text, std::string_view file_name);
// Reads `path` and parses it; the file name in messages is `path` as given.
[[nodiscard]] base::Result<Config> load_config_file(const std::filesystem::path& path);

// The canonical TOML of `config`: fixed key order, every default written out (unset options
// as comments), so that parse_config(to_normal_form(c)) == c.
[[nodiscard]] std::string to_normal_form(const Config& config);

// The session parameters of one neighbor (RFC 4271 OPEN, RFC 8205 §2 BGPsec capabilities).
[[nodiscard]] session::FsmConfig to_fsm_config(const NeighborConfig& neighbor,
                                               const GlobalConfig& global);

// What a reload must do to move from `old` to `next`. Each neighbor (by address text) is in
// at most one list: reset beats soft beats updated.
struct SoftChange {
  std::string neighbor;
  bool in = false;   // import policy changed: re-run import (route refresh / Adj-RIB-In)
  bool out = false;  // export side changed: re-run export to this neighbor
  friend bool operator==(const SoftChange&, const SoftChange&) = default;
};
struct ConfigDiff {
  std::vector<std::string> added;
  std::vector<std::string> removed;
  // Anything in the OPEN or the transport changed (AS, addresses, port, families, BGPsec,
  // hold time, graceful restart, extended messages, passive): the session is reset.
  std::vector<std::string> reset;
  std::vector<SoftChange> soft;      // policy or export behaviour only: no reset
  std::vector<std::string> updated;  // description / max_prefix only: applied in place
  bool listen_changed = false;
  bool control_changed = false;
  bool metrics_changed = false;
  bool log_level_changed = false;
  bool rpki_changed = false;
  bool bgpsec_changed = false;
  bool aspa_changed = false;        // every route's ASPA state and preference are found again
  bool validation_changed = false;  // [validation], [[validation_server]]: applied at start
  bool networks_changed = false;    // originate / withdraw; every export is re-run for them
  // BMP stations by address: a changed station is removed and added again (a new session).
  std::vector<std::string> bmp_added;
  std::vector<std::string> bmp_removed;

  [[nodiscard]] bool empty() const noexcept;
  friend bool operator==(const ConfigDiff&, const ConfigDiff&) = default;
};
[[nodiscard]] ConfigDiff diff(const Config& old, const Config& next);

}  // namespace bgpsecd::daemon
