// SPDX-License-Identifier: BSD-2-Clause
// Test-only helpers for the rib tests: peers, attribute sets and routes in one line each.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string_view>
#include <utility>

#include "rib/attribute_store.hpp"
#include "rib/route.hpp"

namespace bgpsecd::rib::testing {

inline base::IpAddress addr(std::string_view text) { return base::IpAddress::parse(text).value(); }
inline base::Prefix pfx(std::string_view text) { return base::Prefix::parse(text).value(); }

inline PeerHandle make_peer(std::string_view address, std::uint32_t asn, std::uint32_t router_id,
                            PeerKind kind, bool rr_client = false) {
  return std::make_shared<const PeerInfo>(
      PeerInfo{PeerKey{addr(address)}, base::Asn(asn), router_id, kind, rr_client});
}

inline wire::AsPath seq(std::initializer_list<std::uint32_t> asns) {
  wire::AsPathSegment seg{wire::AsPathSegmentType::AsSequence, {}};
  for (const auto a : asns) {
    seg.asns.emplace_back(a);
  }
  return wire::AsPath{{seg}};
}

// IGP origin, the given AS_PATH and IPv4 next hop 192.0.2.1.
inline wire::PathAttributes attrs_with_path(wire::AsPath path) {
  wire::PathAttributes a;
  a.origin = wire::Origin::Igp;
  a.as_path = std::move(path);
  a.next_hop = addr("192.0.2.1");
  return a;
}

inline Route make_route(AttributeStore& store, std::string_view prefix, PeerHandle peer,
                        wire::PathAttributes attrs) {
  Route r;
  r.prefix = pfx(prefix);
  r.local_pref = default_local_pref(attrs, peer->kind);
  r.bgpsec = take_bgpsec_path(attrs);
  r.attrs = store.intern(std::move(attrs));
  r.peer = std::move(peer);
  return r;
}

}  // namespace bgpsecd::rib::testing
