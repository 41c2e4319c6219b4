// SPDX-License-Identifier: BSD-2-Clause
// The speaker's ASPA side (docs/aspa.md §7-§8): what verification reads of a neighbor, which
// stored routes an ASPA change can touch, and the verdict's detail for `show routes`.
#include <algorithm>
#include <array>
#include <vector>

#include "daemon/speaker_neighbor.hpp"

namespace bgpsecd::daemon {

AspaSettings Speaker::aspa_settings_of(const Neighbor& n) const {
  AspaSettings s;
  s.external = n.config.external(config_.global);
  s.trust_ibgp = config_.bgpsec.ibgp_state == IbgpState::Trust;
  const AspaRelation relation{.we_are_route_server = n.config.route_server,
                              .neighbor_is_route_server = n.config.peer_is_route_server,
                              .local_role = n.config.role};
  if (config_.aspa.verify) {
    s.direction = aspa_direction(relation);
  } else {
    s.direction = std::nullopt;
  }
  s.neighbor_as = aspa_neighbor_as(relation, n.config.remote_as);
  return s;
}

void Speaker::aspa_affected(const Neighbor& n, std::span<const base::Asn> customers,
                            std::set<base::Prefix>& affected) const {
  if (customers.empty()) {
    return;
  }
  const auto settings = aspa_settings_of(n);
  if (!settings.external || !settings.direction) {
    return;  // its routes carry the edge's state or none: ASPA data does not change them here
  }
  n.adj_in.for_each([&](const rib::Route& r) {
    if (path_holds_any(r, customers)) {
      affected.insert(r.prefix);
    }
  });
}

nlohmann::json Speaker::aspa_detail(const rib::Route& route) const {
  if (route.aspa_state != rib::AspaState::Invalid && route.aspa_state != rib::AspaState::Unknown) {
    return nullptr;
  }
  const Neighbor* n = route.local() ? nullptr : find_neighbor(route.peer_key().address.to_string());
  if (n == nullptr) {
    return nullptr;
  }
  const auto settings = aspa_settings_of(*n);
  if (!settings.external || !settings.direction) {
    return nullptr;  // the state came from the ingress router, which knows why
  }
  // Found again with the data in use now: the same answer the route's state came from, as
  // every ASPA change revalidates the routes it touches.
  const auto verdict = verify_route_aspa(route, settings, rpki_.snapshot()->aspas);
  nlohmann::json detail{{"procedure", aspa::direction_name(*settings.direction)},
                        {"state", aspa::aspa_state_name(verdict.state)}};
  if (verdict.reason != aspa::AspaReason::None) {
    detail["reason"] = aspa::aspa_reason_name(verdict.reason);
  }
  const auto hop = [](const aspa::Hop& h) {
    return nlohmann::json{{"customer", h.customer.value()},
                          {"provider", h.provider.value()},
                          {"authorization", aspa::authorization_name(h.authorization)}};
  };
  if (verdict.up_hop) {
    detail["up_hop"] = hop(*verdict.up_hop);
  }
  if (verdict.down_hop) {
    detail["down_hop"] = hop(*verdict.down_hop);
  }
  return detail;
}

void Speaker::register_aspa_metrics() {
  metrics_->gauge_callback("bgpsecd_rpki_aspa_customers",
                           "customer ASes with an ASPA in the RPKI data in use", {},
                           [this] { return static_cast<double>(rpki_.snapshot()->aspas.size()); });
  // The Loc-RIB keeps the counts: a scrape never walks a full table.
  metrics_->family_callback(
      "bgpsecd_loc_rib_aspa_routes", "best routes in the Loc-RIB by ASPA state", MetricType::Gauge,
      [this]() {
        std::vector<MetricSample> samples;
        for (const auto state : {rib::AspaState::Valid, rib::AspaState::Unknown,
                                 rib::AspaState::Invalid, rib::AspaState::Unverified}) {
          samples.push_back(MetricSample{{{"state", rib::aspa_state_name(state)}},
                                         static_cast<double>(loc_rib_.best_count(state))});
        }
        return samples;
      });
}

}  // namespace bgpsecd::daemon
