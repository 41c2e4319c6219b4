// SPDX-License-Identifier: BSD-2-Clause
// A route as the RIB holds it: prefix, interned attributes, the peer it came from (with what
// the decision process and export need to know about that peer) and its validation states
// (RFC 8374 §8.3 / §8.6). Plain values; the daemon layer fills them in.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "base/asn.hpp"
#include "base/prefix.hpp"
#include "rib/attribute_store.hpp"
#include "rib/stored_bgpsec_path.hpp"
#include "wire/bgpsec_path.hpp"
#include "wire/communities.hpp"

namespace bgpsecd::rib {

// ===== validation states =====

// BGPsec path state of a route (RFC 8205 §5, RFC 8374 §8.3). Unsigned: the route had no
// BGPsec_PATH (or its signatures were stripped as unverifiable). Pending: validation has not
// finished yet, or the ingress router did not validate (RFC 8374 §8.7 "deferred").
enum class PathState : std::uint8_t { Valid = 0, NotValid = 1, Unsigned = 2, Pending = 3 };
[[nodiscard]] const char* path_state_name(PathState state) noexcept;  // "valid", "not-valid", ...

// RFC 8374 §8.7: the code that carries `state` inside the AS, and back.
[[nodiscard]] wire::BgpsecPathStateCode path_state_code(PathState state) noexcept;
[[nodiscard]] PathState path_state_from_code(wire::BgpsecPathStateCode code) noexcept;

// Why a path is Not Valid, for operators (`bgpsecctl show routes`): the validator's reason
// (bgpsec/reason.hpp, kept as its number so the RIB does not depend on the validator) and
// where it failed.
// Four octets, so that a Route stays small (it is stored per route and per candidate): a
// Secure_Path of a 65535-octet attribute has at most 10 922 segments (six octets each).
struct PathFailure {
  std::uint8_t reason = 0;    // bgpsec::Reason
  std::uint8_t suite = 0;     // algorithm suite of the Signature_Block concerned (0: none)
  std::int16_t segment = -1;  // Secure_Path index (most recent = 0) that failed; -1: none
  friend bool operator==(const PathFailure&, const PathFailure&) = default;
};
static_assert(sizeof(PathFailure) == 4);

// The Secure_Path index `segment` as PathFailure keeps it (-1 for none or out of range).
[[nodiscard]] constexpr std::int16_t failure_segment(int segment) noexcept {
  return segment >= 0 && segment <= INT16_MAX ? static_cast<std::int16_t>(segment)
                                              : std::int16_t{-1};
}

// Route origin validation state (RFC 6811), the one RFC 8097 carries in iBGP.
using OriginState = wire::OriginValidationState;
[[nodiscard]] const char* origin_state_name(OriginState state) noexcept;  // "valid", ...

// ASPA verification state of a route (docs/aspa.md §8). Unverified: not verified here and no
// trusted state came with it (our own routes, an iBGP route without the state community, a
// neighbor with ASPA verification off).
enum class AspaState : std::uint8_t { Valid = 0, Unknown = 1, Invalid = 2, Unverified = 3 };
[[nodiscard]] const char* aspa_state_name(AspaState state) noexcept;  // "valid", ...
// The code that carries `state` inside the AS (none for Unverified), and back.
[[nodiscard]] std::optional<wire::AspaStateCode> aspa_state_code(AspaState state) noexcept;
[[nodiscard]] AspaState aspa_state_from_code(wire::AspaStateCode code) noexcept;

// ===== peers =====

// Where a route was learned. Local: originated by this router (config, redistribution).
enum class PeerKind : std::uint8_t { Local = 0, Ebgp = 1, Ibgp = 2 };
[[nodiscard]] const char* peer_kind_name(PeerKind kind) noexcept;

// Identifies a route source within the RIB: the peer's address (the local source uses an
// address of its own choosing, conventionally the unspecified one).
struct PeerKey {
  base::IpAddress address;
  friend auto operator<=>(const PeerKey&, const PeerKey&) = default;
};

// What the decision process (RFC 4271 §9.1.2.2 (d), (f), (g)) and the export rules (RFC 4271
// §9.2, RFC 4456 §6) need about a peer. Shared by all routes from that peer.
struct PeerInfo {
  PeerKey key;
  base::Asn asn;                // the peer's AS (our own AS for iBGP and Local)
  std::uint32_t router_id = 0;  // BGP Identifier from its OPEN, host order
  PeerKind kind = PeerKind::Ebgp;
  bool route_reflector_client = false;  // RFC 4456: we reflect for this iBGP peer
  // RFC 5065: an eBGP peer in another Member-AS of our confederation (kind Ebgp; `asn` is its
  // Member-AS). Internal for the decision process (§9.1.2.2 (d)) and for NO_EXPORT.
  bool confed_member = false;
  friend bool operator==(const PeerInfo&, const PeerInfo&) = default;
};
using PeerHandle = std::shared_ptr<const PeerInfo>;

// ===== routes =====

inline constexpr std::uint32_t kDefaultLocalPref = 100;

// A BGPsec route's BGPsec_PATH (RFC 8205 §3) is kept next to the interned attribute set rather
// than in it: its signatures cover the prefix (RFC 8205 §4.2), so no two prefixes share one, and
// inside the set it would give every signed route an attribute set of its own.
// Stored compactly, sharing the signatures it has in common with the same prefix's other
// routes (stored_bgpsec_path.hpp).

// How a received route is stored: its BGPsec_PATH moved out of `attrs` (empty when it has
// none), before `attrs` is interned; `share_with` are the paths of other routes for the prefix.
// A path StoredBgpsecPath::store cannot keep leaves the AS_PATH rebuilt in `attrs` instead.
[[nodiscard]] StoredBgpsecPath take_bgpsec_path(
    wire::PathAttributes& attrs, std::span<const StoredBgpsecPath* const> share_with = {});

struct Route {
  // Interned; never null in a RIB. Has no bgpsec_path: a BGPsec route's is `bgpsec`.
  AttributesHandle attrs;
  StoredBgpsecPath bgpsec;  // empty: the route has no BGPsec_PATH
  PeerHandle peer;          // never null in a RIB
  // Which announcement this is (a counter the daemon increments per accepted announcement),
  // so that the daemon can tell a route re-announced for a prefix from the one it replaced;
  // not used by the decision. 32 bits: only equality counts, and it would take 2^32
  // announcements in between for two routes of one prefix to share a number.
  std::uint32_t received_seq = 0;
  // The degree of preference (RFC 4271 §9.1.1) after import policy: LOCAL_PREF of an
  // iBGP-learned route, or what policy set (e.g. from path / origin state, RFC 8374 §8.3);
  // see default_local_pref(). This, not attrs->local_pref, is what the decision compares
  // and what goes out to iBGP peers as LOCAL_PREF.
  std::uint32_t local_pref = kDefaultLocalPref;
  base::Prefix prefix;
  PathState path_state = PathState::Unsigned;
  OriginState origin_state = OriginState::NotFound;
  AspaState aspa_state = AspaState::Unverified;
  std::optional<PathFailure> path_failure;  // set when path_state is NotValid
  bool stale = false;  // RFC 4724 §4.2: kept across the peer's restart, awaiting End-of-RIB
  // RFC 9234 §5: a route leak by the OTC ingress rules (rib/otc.hpp). Kept in the Adj-RIB-In
  // to be shown, ineligible for route selection.
  bool route_leak = false;

  // Same route for export purposes: same source, attribute set (pointer: interned), states
  // and preference. received_seq and stale do not count.
  [[nodiscard]] bool same_content(const Route& other) const noexcept {
    return prefix == other.prefix && attrs == other.attrs && peer_key() == other.peer_key() &&
           path_state == other.path_state && origin_state == other.origin_state &&
           aspa_state == other.aspa_state && local_pref == other.local_pref &&
           route_leak == other.route_leak && bgpsec == other.bgpsec;
  }
  // Secure_Path of a BGPsec route; empty for others.
  [[nodiscard]] std::span<const wire::SecurePathSegment> secure_path() const noexcept {
    return bgpsec.secure_path();
  }
  [[nodiscard]] const PeerKey& peer_key() const noexcept { return peer->key; }
  [[nodiscard]] bool local() const noexcept { return peer->kind == PeerKind::Local; }
};
// A full table holds one per route in the Adj-RIB-In and one per candidate in the Loc-RIB.
static_assert(sizeof(Route) <= 80);

// The preference a route starts with before policy: LOCAL_PREF as received from an iBGP
// peer (RFC 4271 §5.1.5), else 100; eBGP-learned LOCAL_PREF is not trusted (RFC 7606 §7.5
// discards it anyway). Local routes use the LOCAL_PREF their config set, if any.
[[nodiscard]] std::uint32_t default_local_pref(const wire::PathAttributes& attrs,
                                               PeerKind kind) noexcept;

// RFC 8374 §8.3 / §8.6: local policy combines path and origin state into the preference.
// Each state adds its delta (may be negative) to the base; the result is clamped to the
// 32-bit range. The defaults prefer Valid over unsigned over Not Valid (docs/design.md), leave
// origin states neutral, and drop nothing: dropping is a policy decision above this.
struct StatePreference {
  std::int64_t path_valid = 10;
  std::int64_t path_unsigned = 0;
  std::int64_t path_pending = 0;
  std::int64_t path_not_valid = -10;
  std::int64_t origin_valid = 0;
  std::int64_t origin_not_found = 0;
  std::int64_t origin_invalid = 0;
};
[[nodiscard]] std::uint32_t apply_state_preference(std::uint32_t base, PathState path_state,
                                                   OriginState origin_state,
                                                   const StatePreference& pref) noexcept;

// The same for the ASPA state (docs/aspa.md §8), applied after the above. The defaults rank
// Unknown with Valid (the ASPA verification draft: Unknown is not to be depreferenced) and
// Invalid below both; Unverified adds nothing.
struct AspaPreference {
  std::int64_t valid = 0;
  std::int64_t unknown = 0;
  std::int64_t invalid = -10;
  friend bool operator==(const AspaPreference&, const AspaPreference&) = default;
};
[[nodiscard]] std::uint32_t apply_aspa_preference(std::uint32_t base, AspaState state,
                                                  const AspaPreference& pref) noexcept;

}  // namespace bgpsecd::rib
