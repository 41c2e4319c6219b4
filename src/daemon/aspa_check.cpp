// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/aspa_check.hpp"

#include <algorithm>

#include "bgpsec/as_path_rebuild.hpp"

namespace bgpsecd::daemon {

aspa::Direction aspa_direction(const AspaRelation& relation) noexcept {
  if (relation.local_role) {
    // RFC 9234 §3.1 names the neighbor by our role: only a provider's routes may legitimately
    // come down a path, so only they get the downstream procedure.
    return *relation.local_role == wire::Role::Customer ? aspa::Direction::Downstream
                                                        : aspa::Direction::Upstream;
  }
  if (relation.we_are_route_server || relation.neighbor_is_route_server) {
    return aspa::Direction::Upstream;
  }
  return aspa::Direction::Downstream;
}

std::optional<base::Asn> aspa_neighbor_as(const AspaRelation& relation,
                                          base::Asn neighbor) noexcept {
  if (relation.neighbor_is_route_server || relation.local_role == wire::Role::RsClient) {
    return std::nullopt;
  }
  return neighbor;
}

rib::AspaState route_aspa_state(aspa::AspaState state) noexcept {
  switch (state) {
    case aspa::AspaState::Valid:
      return rib::AspaState::Valid;
    case aspa::AspaState::Invalid:
      return rib::AspaState::Invalid;
    case aspa::AspaState::Unknown:
      return rib::AspaState::Unknown;
  }
  return rib::AspaState::Unverified;
}

wire::AsPath aspa_path(const rib::Route& route) {
  if (route.bgpsec) {
    // RFC 8205 §4.4: the AS_PATH a BGPsec route stands for; the signatures say nothing about
    // which AS is whose provider, so ASPA reads the same path an unsigned copy would carry.
    return bgpsec::rebuild_as_path(route.secure_path());
  }
  return route.attrs && route.attrs->as_path ? *route.attrs->as_path : wire::AsPath{};
}

aspa::Verdict verify_route_aspa(const rib::Route& route, const AspaSettings& settings,
                                const aspa::AspaTable& table) {
  const aspa::VerifyOptions options{.direction = *settings.direction,
                                    .neighbor_as = settings.neighbor_as};
  return aspa::verify(table, aspa_path(route), options);
}

rib::AspaState check_route_aspa(const rib::Route& route, const AspaSettings& settings,
                                const aspa::AspaTable& table) {
  if (!settings.external) {
    // docs/aspa.md §7: inside the AS the state the eBGP edge found travels with the route.
    if (!settings.trust_ibgp || !route.attrs) {
      return rib::AspaState::Unverified;
    }
    const auto code = wire::find_aspa_state(route.attrs->ext_communities);
    return code ? rib::aspa_state_from_code(*code) : rib::AspaState::Unverified;
  }
  if (!settings.direction) {
    return rib::AspaState::Unverified;
  }
  return route_aspa_state(verify_route_aspa(route, settings, table).state);
}

bool path_holds_any(const rib::Route& route, std::span<const base::Asn> customers) {
  if (customers.empty()) {
    return false;
  }
  const auto listed = [&](base::Asn asn) {
    return std::binary_search(customers.begin(), customers.end(), asn);
  };
  if (route.bgpsec) {
    return std::ranges::any_of(route.secure_path(),
                               [&](const wire::SecurePathSegment& s) { return listed(s.asn); });
  }
  if (!route.attrs || !route.attrs->as_path) {
    return false;
  }
  return std::ranges::any_of(route.attrs->as_path->segments, [&](const wire::AsPathSegment& s) {
    return std::ranges::any_of(s.asns, listed);
  });
}

}  // namespace bgpsecd::daemon
