// SPDX-License-Identifier: BSD-2-Clause
// Adj-RIB-Out of one peer (RFC 4271 §3.2, §9.2): what was last advertised to it, so that only
// changes go out and a route refresh (RFC 2918) can resend everything; and the export rules
// as pure functions: which best routes a peer gets (RFC 4271 §9.2, RFC 4456 §6, RFC 1997) and
// how their attributes are rewritten (RFC 4271 §5.1, RFC 4456 §8, RFC 6793, RFC 8205 §4).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "rib/as_path_edit.hpp"
#include "rib/attribute_store.hpp"
#include "rib/route.hpp"
#include "wire/context.hpp"

namespace bgpsecd::rib {

// ===== export rules =====

// This router, as the export rules need it.
struct LocalSpeaker {
  base::Asn asn;  // our Member-AS inside a confederation
  std::uint32_t router_id = 0;
  std::uint32_t cluster_id = 0;  // RFC 4456 §7; 0 means router_id
  // RFC 5065: the AS Confederation Identifier when we are a member; what peers outside the
  // confederation see as our AS.
  std::optional<base::Asn> confederation_id;
};

// The peer routes are exported to, with what its session negotiated.
struct ExportPeer {
  PeerInfo info;                  // kind Ebgp or Ibgp
  bool four_octet_as = true;      // RFC 6793 negotiated
  wire::BgpsecDirections bgpsec;  // send_* : we may send BGPsec UPDATEs for that AFI
  // Our address on this session, the next hop we announce as "self", per AFI.
  std::optional<base::IpAddress> next_hop_ipv4;
  std::optional<base::IpAddress> next_hop_ipv6;
  bool next_hop_self_ibgp = false;  // also rewrite the next hop towards this iBGP peer
  // Do not send an eBGP peer a route whose AS path already holds its AS (it would drop it as
  // a loop, RFC 4271 §9.1.2); saves the UPDATE.
  bool suppress_as_loop = true;
  // RFC 8097 / RFC 8374 §8.7: tell this iBGP peer the origin validation state.
  bool send_origin_validation_state = false;
  // RFC 8374 §8.7: and the BGPsec path state (wire::make_bgpsec_path_state_community).
  bool send_path_validation_state = false;
  // The ASPA state too (wire/communities.hpp documents the community); none for Unverified.
  bool send_aspa_state = false;
  // RFC 8205 §4.2 / RFC 7947: we are a transparent route server for this eBGP client: our AS
  // is not prepended to AS_PATH, and a BGPsec UPDATE gets our segment with pCount 0.
  bool transparent_route_server = false;
  // RFC 8374 §8.4.2: remove private ASNs (as_path_edit.hpp) from unsigned routes to this
  // external peer before our AS goes on, so a stub customer's route can be signed as ours.
  PrivateAsRemoval remove_private_as = PrivateAsRemoval::None;
};

enum class ExportVerdict : std::uint8_t {
  Advertise = 0,
  SamePeer,     // learned from this peer
  IbgpToIbgp,   // RFC 4271 §9.2: iBGP-learned, not to iBGP (unless reflected, RFC 4456 §6)
  NoAdvertise,  // RFC 1997 NO_ADVERTISE
  NoExport,     // RFC 1997 NO_EXPORT / NO_EXPORT_SUBCONFED towards eBGP
  AsPathLoop,   // the peer's AS is in the path (suppress_as_loop)
  NoNextHop,    // no address of ours for the prefix's AFI on this session
};
[[nodiscard]] const char* export_verdict_name(ExportVerdict verdict) noexcept;

struct ExportResult {
  ExportVerdict verdict = ExportVerdict::Advertise;
  // Valid for Advertise: the attributes to send (MP_REACH_NLRI without NLRI; the UPDATE
  // builder adds the prefix), without the BGPsec_PATH: that is `bgpsec`.
  wire::PathAttributes attrs;
  // The route's BGPsec_PATH as it goes out (empty: none): the stored value itself, shared with
  // the Loc-RIB, so an Adj-RIB-Out keeps no copy of the signatures.
  StoredBgpsecPath bgpsec;
  // RFC 8205 §4: the UPDATE must be signed for this peer before it goes out: forward() the
  // BGPsec_PATH `bgpsec`, or originate() one if there is none.
  bool sign = false;
  // RFC 8374 §8.4.2 (remove_private_as): private ASNs removed from the AS_PATH; and those the
  // option would have removed but had to leave because they are in a Secure_Path, covered by
  // signatures.
  std::size_t private_asns_removed = 0;
  std::size_t private_asns_kept_signed = 0;
};

// RFC 4456 §8: a reflected route that comes back to us: ORIGINATOR_ID is our BGP Identifier,
// or CLUSTER_LIST holds our cluster id. Such a route is ignored on import. Pure.
[[nodiscard]] bool reflection_loop(const wire::PathAttributes& attrs,
                                   const LocalSpeaker& self) noexcept;

// The export decision for the best route `route` towards `peer`. Pure.
[[nodiscard]] ExportResult export_route(const Route& route, const ExportPeer& peer,
                                        const LocalSpeaker& self);

// ===== Adj-RIB-Out =====

// One UPDATE's worth for one prefix: announce `attrs` (with `bgpsec`), or withdraw if `attrs`
// is null.
struct OutUpdate {
  base::Prefix prefix;
  AttributesHandle attrs;
  StoredBgpsecPath bgpsec;  // ExportResult::bgpsec
  bool sign = false;
  // RFC 8205 §4.2: pCount of our Secure_Path segment when signing (> 1 for prepending).
  std::uint8_t pcount = 1;
  [[nodiscard]] bool withdraw() const noexcept { return attrs == nullptr; }
};

class AdjRibOut {
 public:
  // Records that the peer should have `attrs` (interned in the store the caller uses for
  // every Adj-RIB-Out, so pointer equality is value equality) and `bgpsec` for `prefix`.
  // Returns the update to send, or nullopt if the peer already has exactly that.
  std::optional<OutUpdate> advertise(const base::Prefix& prefix, AttributesHandle attrs,
                                     StoredBgpsecPath bgpsec = {}, bool sign = false,
                                     std::uint8_t pcount = 1);
  // Returns the withdraw to send, or nullopt if nothing was advertised for `prefix`.
  std::optional<OutUpdate> withdraw(const base::Prefix& prefix);

  // Route refresh (RFC 2918 §4): everything advertised for `afi` (all if nullopt), again.
  [[nodiscard]] std::vector<OutUpdate> refresh(std::optional<base::Afi> afi = std::nullopt) const;
  // Session down: the peer has nothing any more.
  void clear() noexcept { advertised_.clear(); }

  [[nodiscard]] const OutUpdate* find(const base::Prefix& prefix) const;
  // What was advertised, in prefix order from the first prefix after `after` (all when
  // nullopt), while `fn` returns true.
  void for_each_after(const std::optional<base::Prefix>& after,
                      const std::function<bool(const OutUpdate&)>& fn) const;
  [[nodiscard]] std::size_t size() const noexcept { return advertised_.size(); }

 private:
  std::map<base::Prefix, OutUpdate> advertised_;
};

// Brings the peer's view of `prefix` in line with the Loc-RIB's best route (`best` null:
// unreachable): runs export_route, interns the result in `store` and records it in `out`.
// Returns what to send, if anything.
std::optional<OutUpdate> sync_prefix(AdjRibOut& out, const base::Prefix& prefix, const Route* best,
                                     const ExportPeer& peer, const LocalSpeaker& self,
                                     AttributeStore& store);

}  // namespace bgpsecd::rib
