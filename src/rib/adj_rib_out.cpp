// SPDX-License-Identifier: BSD-2-Clause
// Export rules (which best routes a peer gets, and with which attributes) and the per-peer
// record of what was advertised.
#include "rib/adj_rib_out.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "bgpsec/as_path_rebuild.hpp"
#include "rib/as_path_edit.hpp"

namespace bgpsecd::rib {

const char* export_verdict_name(ExportVerdict verdict) noexcept {
  switch (verdict) {
    case ExportVerdict::Advertise:
      return "advertise";
    case ExportVerdict::SamePeer:
      return "same-peer";
    case ExportVerdict::IbgpToIbgp:
      return "ibgp-to-ibgp";
    case ExportVerdict::NoAdvertise:
      return "no-advertise";
    case ExportVerdict::NoExport:
      return "no-export";
    case ExportVerdict::AsPathLoop:
      return "as-path-loop";
    case ExportVerdict::NoNextHop:
      return "no-next-hop";
  }
  return "unknown";
}

// ===== export rules =====

namespace {

using wire::AsPathSegmentType;

constexpr std::uint8_t kExtCommunityNonTransitiveBit = 0x40;  // RFC 4360 §2 type octet

bool has_community(const wire::PathAttributes& a, std::uint32_t community) {
  return std::find(a.communities.begin(), a.communities.end(), community) != a.communities.end();
}

bool is_confed(AsPathSegmentType t) noexcept {
  return t == AsPathSegmentType::AsConfedSequence || t == AsPathSegmentType::AsConfedSet;
}

bool path_contains(const Route& route, base::Asn asn) {
  if (route.bgpsec) {
    const auto path = route.secure_path();
    return std::any_of(path.begin(), path.end(),
                       [&](const wire::SecurePathSegment& s) { return s.asn == asn; });
  }
  return route.attrs->as_path && route.attrs->as_path->contains(asn);
}

// Originated inside our AS: by us, or by an iBGP peer (an empty path), or inside our
// confederation (a path of AS_CONFED_* segments only, RFC 5065 §5.3).
bool originated_in_our_as(const Route& route) {
  if (route.local()) {
    return true;
  }
  const auto& a = *route.attrs;
  const bool internal = route.peer->kind == PeerKind::Ibgp || route.peer->confed_member;
  return internal && !route.bgpsec &&
         (!a.as_path || std::all_of(a.as_path->segments.begin(), a.as_path->segments.end(),
                                    [](const auto& s) { return is_confed(s.type); }));
}

void set_next_hop(wire::PathAttributes& a, base::Afi afi, const base::IpAddress& address) {
  // IPv4 routes from a classic UPDATE keep NEXT_HOP; everything in MP_REACH_NLRI (IPv6, and
  // BGPsec routes of either AFI, RFC 8205 §4.1) gets the MP next hop.
  if (afi == base::Afi::Ipv4 && !a.mp_reach) {
    a.next_hop = address;
    return;
  }
  if (!a.mp_reach) {
    a.mp_reach = wire::MpReach{afi, base::kSafiUnicast, {}, {}};
  }
  a.mp_reach->next_hops = {address};
}

// Moves a classic NEXT_HOP into an MP_REACH_NLRI of `afi`.
void set_next_hop_in_mp_reach(wire::PathAttributes& a, base::Afi afi) {
  a.mp_reach = wire::MpReach{afi, base::kSafiUnicast, {}, {}};
  if (a.next_hop) {
    a.mp_reach->next_hops = {*a.next_hop};
  }
  a.next_hop.reset();
}

bool has_next_hop(const wire::PathAttributes& a, base::Afi afi) {
  if (a.mp_reach) {
    return !a.mp_reach->next_hops.empty();
  }
  return afi == base::Afi::Ipv4 && a.next_hop.has_value();
}

bool needs_as4(const wire::AsPath& path) {
  return std::any_of(path.segments.begin(), path.segments.end(), [](const auto& seg) {
    return std::any_of(seg.asns.begin(), seg.asns.end(),
                       [](base::Asn asn) { return asn.value() > 0xFFFF; });
  });
}

// RFC 6793 §4.2.2: towards a 2-octet-only peer, ASNs above 65535 go out as AS_TRANS (the
// encoder does that) and the real path travels in AS4_PATH (without confed segments) and
// AS4_AGGREGATOR. A 4-octet peer gets neither (RFC 6793 §4.1).
void set_as4_attributes(wire::PathAttributes& a, bool four_octet_as) {
  a.as4_path.reset();
  a.as4_aggregator.reset();
  if (four_octet_as) {
    return;
  }
  if (a.as_path && needs_as4(*a.as_path)) {
    wire::AsPath as4;
    for (const auto& seg : a.as_path->segments) {
      if (!is_confed(seg.type)) {
        as4.segments.push_back(seg);
      }
    }
    a.as4_path = std::move(as4);
  }
  if (a.aggregator && a.aggregator->asn.value() > 0xFFFF) {
    a.as4_aggregator = a.aggregator;
  }
}

// RFC 4271 §5 / §9: unrecognized optional transitive attributes are passed on with Partial
// set; unrecognized non-transitive ones are not passed on.
void pass_on_unknown(wire::PathAttributes& a) {
  std::erase_if(a.unknown, [](const wire::UnknownAttribute& u) {
    return (u.flags & wire::kAttrFlagTransitive) == 0;
  });
  for (auto& u : a.unknown) {
    u.flags = static_cast<std::uint8_t>(u.flags | wire::kAttrFlagPartial);
  }
}

void remove_origin_validation_communities(wire::PathAttributes& a) {
  std::erase_if(a.ext_communities, [](const wire::ExtendedCommunity& c) {
    return wire::read_origin_validation_state(c).has_value();
  });
}

}  // namespace

bool reflection_loop(const wire::PathAttributes& attrs, const LocalSpeaker& self) noexcept {
  const std::uint32_t cluster = self.cluster_id != 0 ? self.cluster_id : self.router_id;
  return (attrs.originator_id && *attrs.originator_id == self.router_id) ||
         std::find(attrs.cluster_list.begin(), attrs.cluster_list.end(), cluster) !=
             attrs.cluster_list.end();
}

ExportResult export_route(const Route& route, const ExportPeer& peer, const LocalSpeaker& self) {
  ExportResult result;
  const auto& in = *route.attrs;
  const bool to_ebgp = peer.info.kind == PeerKind::Ebgp;
  // RFC 5065: a peer in another Member-AS of our confederation; `to_ebgp` holds for it too.
  const bool to_confed = to_ebgp && peer.info.confed_member;
  const PeerKind from = route.peer->kind;

  // ----- may the peer get this route at all? -----
  if (route.peer_key() == peer.info.key) {
    result.verdict = ExportVerdict::SamePeer;
    return result;
  }
  // RFC 4271 §9.2: routes learned from an internal peer are not sent to internal peers ...
  // RFC 4456 §6: ... unless we reflect: a client's routes go to every iBGP peer, a
  // non-client's routes to the clients.
  const bool reflect = from == PeerKind::Ibgp && !to_ebgp;
  if (reflect && !route.peer->route_reflector_client && !peer.info.route_reflector_client) {
    result.verdict = ExportVerdict::IbgpToIbgp;
    return result;
  }
  // RFC 1997: NO_ADVERTISE to nobody; NO_EXPORT not outside the AS (the confederation as a
  // whole, RFC 5065 §5.1); NO_EXPORT_SUBCONFED to no eBGP peer, members included.
  if (has_community(in, wire::kCommunityNoAdvertise)) {
    result.verdict = ExportVerdict::NoAdvertise;
    return result;
  }
  if (to_ebgp && ((!to_confed && has_community(in, wire::kCommunityNoExport)) ||
                  has_community(in, wire::kCommunityNoExportSubconfed))) {
    result.verdict = ExportVerdict::NoExport;
    return result;
  }
  if (to_ebgp && peer.suppress_as_loop && path_contains(route, peer.info.asn)) {
    result.verdict = ExportVerdict::AsPathLoop;
    return result;
  }
  const base::Afi afi = route.prefix.afi();
  const auto& self_address = afi == base::Afi::Ipv4 ? peer.next_hop_ipv4 : peer.next_hop_ipv6;

  // ----- the attributes it gets -----
  wire::PathAttributes out = in;
  strip_nlri(out);
  pass_on_unknown(out);

  // The BGPsec_PATH stays next to the attributes (route.hpp) and goes out as it is stored.
  const bool send_bgpsec = peer.bgpsec.send(afi);
  StoredBgpsecPath out_path;
  if (route.bgpsec && send_bgpsec) {
    out_path = route.bgpsec;
  } else if (route.bgpsec) {
    // RFC 8205 §4.4: a peer without BGPsec gets the AS_PATH rebuilt from the Secure_Path.
    out.as_path = bgpsec::rebuild_as_path(route.secure_path());
  }
  if (!out_path && !out.as_path) {
    out.as_path = wire::AsPath{};  // RFC 4271 §5.1.2: an empty AS_PATH inside the AS
  }

  if (to_ebgp) {
    if (!self_address) {
      result.verdict = ExportVerdict::NoNextHop;
      return result;
    }
    // RFC 4271 §5.1.3: towards an external peer the next hop is our address on the session.
    // Confederation members get it too: the lab and most deployments have no IGP route to
    // the next hop of another Member-AS (RFC 5065 leaves the choice to configuration).
    set_next_hop(out, afi, *self_address);
    // RFC 4271 §5.1.5: LOCAL_PREF is not sent to external peers. RFC 5065 would allow it
    // towards members, but our sessions decode it as from any eBGP peer (RFC 7606 §7.5:
    // discarded), so each Member-AS ranks with its own preference.
    out.local_pref.reset();
    if (!to_confed) {
      // RFC 4271 §5.1.4: a MED received from a neighbouring AS is not propagated to other
      // ASes; one set by our own configuration (local route) may be. Members are one AS
      // (RFC 5065 §5.3): they get it.
      if (!route.local()) {
        out.med.reset();
      }
    }
    // RFC 4456 §8: ORIGINATOR_ID and CLUSTER_LIST are internal to the AS.
    out.originator_id.reset();
    out.cluster_list.clear();
    // RFC 4360 §2: non-transitive extended communities,
    // among them RFC 8097's origin validation state, stay inside the AS.
    std::erase_if(out.ext_communities, [](const wire::ExtendedCommunity& c) {
      return (c.bytes[0] & kExtCommunityNonTransitiveBit) != 0;
    });
    if (!to_confed) {
      // RFC 5065 §5.3: confederation segments do not leave the confederation (the signer
      // removes the Confed_Segment run from a Secure_Path, RFC 8205 §4.3).
      if (out.as_path) {
        remove_confed_segments(*out.as_path);
      }
      if (peer.remove_private_as != PrivateAsRemoval::None) {
        // Never our AS (as this peer knows it, or our Member-AS) nor the peer's own: removing
        // that would hide from it a loop it has to see (RFC 4271 §9.1.2).
        const std::array keep{self.confederation_id.value_or(self.asn), self.asn, peer.info.asn};
        // RFC 8374 §8.4.2: only before signing. An AS_PATH is ours to change; a Secure_Path
        // is not: every later signature covers its segments (RFC 8205 §4.2), so removing one
        // would make the route Not Valid everywhere. Such a route goes out as it is.
        if (out.as_path) {
          result.private_asns_removed =
              remove_private_asns(*out.as_path, peer.remove_private_as, keep);
        } else if (out_path) {
          result.private_asns_kept_signed =
              private_asns_in(out_path.secure_path(), peer.remove_private_as, keep);
        }
      }
    }
    // A path that was all private (a stub customer on a private ASN) is ours now: RFC 8374
    // §8.4.2 removes the ASNs so that we can sign it as its origin.
    const bool emptied_by_removal = result.private_asns_removed > 0 && out.as_path &&
                                    out.as_path->segments.empty() && !out_path;
    if (send_bgpsec && (out_path || originated_in_our_as(route) || emptied_by_removal)) {
      // RFC 8205 §4: the signer adds our Secure_Path segment (or originates the path).
      // docs/design.md / RFC 8374 §8.4: routes received unsigned are forwarded unsigned.
      out.as_path.reset();
      // RFC 8205 §4.1: a BGPsec UPDATE carries its prefix in
      // MP_REACH_NLRI, IPv4 too, with no NEXT_HOP attribute.
      if (!out.mp_reach) {
        set_next_hop_in_mp_reach(out, afi);
      }
      result.sign = true;
    } else if (to_confed) {
      // RFC 5065 §5.3: towards another Member-AS our Member-AS goes into AS_CONFED_SEQUENCE.
      prepend_confed_member(*out.as_path, self.asn);
    } else if (!peer.transparent_route_server) {
      // RFC 5065 §5.3: leaving the confederation, its identifier is our AS.
      prepend_as(*out.as_path, self.confederation_id.value_or(self.asn));
    }
  } else {
    // RFC 4271 §5.1.5: internal peers get LOCAL_PREF, our degree of preference.
    out.local_pref = route.local_pref;
    // RFC 4271 §5.1.3: the next hop is kept inside the AS unless configured otherwise; a
    // locally originated route without one gets ours.
    if (peer.next_hop_self_ibgp || !has_next_hop(out, afi)) {
      if (!self_address) {
        result.verdict = ExportVerdict::NoNextHop;
        return result;
      }
      set_next_hop(out, afi, *self_address);
    }
    if (reflect) {
      // RFC 4456 §8: the reflector sets ORIGINATOR_ID to the BGP Identifier of the route's
      // originator in the AS if absent, and prepends its CLUSTER_ID to CLUSTER_LIST.
      if (!out.originator_id) {
        out.originator_id = route.peer->router_id;
      }
      const std::uint32_t cluster = self.cluster_id != 0 ? self.cluster_id : self.router_id;
      out.cluster_list.insert(out.cluster_list.begin(), cluster);
    }
    if (peer.send_origin_validation_state) {
      // RFC 8097 §2 / RFC 8374 §8.7: the ingress's origin validation state travels in iBGP.
      remove_origin_validation_communities(out);
      out.ext_communities.push_back(wire::make_origin_validation_community(route.origin_state));
    }
    if (peer.send_path_validation_state) {
      // RFC 8374 §8.7: the path state too (communities.hpp documents the community).
      std::erase_if(out.ext_communities, [](const wire::ExtendedCommunity& c) {
        return wire::read_bgpsec_path_state(c).has_value();
      });
      out.ext_communities.push_back(
          wire::make_bgpsec_path_state_community(path_state_code(route.path_state)));
    }
    if (peer.send_aspa_state) {
      // Verified at the eBGP edge, carried inside the AS (docs/aspa.md §7); a state received
      // from elsewhere is replaced, and an unverified route carries none.
      std::erase_if(out.ext_communities, [](const wire::ExtendedCommunity& c) {
        return wire::read_aspa_state(c).has_value();
      });
      if (const auto code = aspa_state_code(route.aspa_state)) {
        out.ext_communities.push_back(wire::make_aspa_state_community(*code));
      }
    }
  }
  if (out.as_path) {
    set_as4_attributes(out, peer.four_octet_as);
  } else {
    out.as4_path.reset();
    out.as4_aggregator.reset();
  }
  result.attrs = std::move(out);
  result.bgpsec = std::move(out_path);
  return result;
}

// ===== Adj-RIB-Out =====

std::optional<OutUpdate> AdjRibOut::advertise(const base::Prefix& prefix, AttributesHandle attrs,
                                              StoredBgpsecPath bgpsec, bool sign,
                                              std::uint8_t pcount) {
  if (attrs == nullptr) {
    return withdraw(prefix);
  }
  auto [it, inserted] = advertised_.try_emplace(prefix, OutUpdate{prefix, nullptr, {}});
  if (!inserted && it->second.attrs == attrs && it->second.bgpsec == bgpsec &&
      it->second.sign == sign && it->second.pcount == pcount) {
    return std::nullopt;
  }
  it->second.attrs = std::move(attrs);
  it->second.bgpsec = std::move(bgpsec);
  it->second.sign = sign;
  it->second.pcount = pcount;
  return it->second;
}

std::optional<OutUpdate> AdjRibOut::withdraw(const base::Prefix& prefix) {
  const auto it = advertised_.find(prefix);
  if (it == advertised_.end()) {
    return std::nullopt;
  }
  advertised_.erase(it);
  return OutUpdate{prefix, nullptr, {}};
}

std::vector<OutUpdate> AdjRibOut::refresh(std::optional<base::Afi> afi) const {
  std::vector<OutUpdate> all;
  for (const auto& [prefix, update] : advertised_) {
    if (!afi || prefix.afi() == *afi) {
      all.push_back(update);
    }
  }
  return all;
}

const OutUpdate* AdjRibOut::find(const base::Prefix& prefix) const {
  const auto it = advertised_.find(prefix);
  return it == advertised_.end() ? nullptr : &it->second;
}

std::optional<OutUpdate> sync_prefix(AdjRibOut& out, const base::Prefix& prefix, const Route* best,
                                     const ExportPeer& peer, const LocalSpeaker& self,
                                     AttributeStore& store) {
  if (best == nullptr) {
    return out.withdraw(prefix);
  }
  ExportResult result = export_route(*best, peer, self);
  if (result.verdict != ExportVerdict::Advertise) {
    return out.withdraw(prefix);
  }
  return out.advertise(prefix, store.intern(std::move(result.attrs)), std::move(result.bgpsec),
                       result.sign);
}

void AdjRibOut::for_each_after(const std::optional<base::Prefix>& after,
                               const std::function<bool(const OutUpdate&)>& fn) const {
  for (auto it = after ? advertised_.upper_bound(*after) : advertised_.begin();
       it != advertised_.end(); ++it) {
    if (!fn(it->second)) {
      return;
    }
  }
}

}  // namespace bgpsecd::rib
