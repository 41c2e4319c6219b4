// SPDX-License-Identifier: BSD-2-Clause
// [bgpsec] validation_order = "best-first", one of the path selection optimisations RFC 8374
// §9.4 points to: a signed route from eBGP that loses the decision process for its prefix even
// if its path is Valid (the prefix's best route is preferred, shorter, or wins a tie-break) is
// not checked now. It is installed Pending, as a route deferred under load is (RFC 8374 §8.7),
// and its signatures are checked when the prefix's best route changes so that it could win:
// the best is withdrawn, replaced, turns Not Valid, or this route is the best itself. A second
// peer that sends the same table as the first then costs little crypto. Policy sees such a
// route as "pending", and iBGP peers get it marked deferred only if it becomes best before its
// check ends.
#include <utility>

#include "daemon/speaker_neighbor.hpp"
#include "rib/decision.hpp"

namespace bgpsecd::daemon {

bool Speaker::postpone_check(Neighbor& n, const rib::Route& received, const KnownIngress* known) {
  if (config_.bgpsec.validation_order != ValidationOrder::BestFirst || !n.ebgp() ||
      !received.bgpsec) {
    return false;
  }
  const rib::Route* best = loc_rib_.best(received.prefix);
  if (best == nullptr || best->peer_key() == received.peer_key() ||
      could_win(n, received, *best, known)) {
    return false;
  }
  n.postponed.insert(received.prefix);
  ++n.stats.validations_postponed;
  return true;
}

bool Speaker::could_win(Neighbor& n, const rib::Route& route, const rib::Route& best,
                        const KnownIngress* known) {
  rib::Route trial = route;
  for (const auto state : {rib::PathState::Valid, rib::PathState::NotValid}) {
    trial.path_state = state;
    const auto candidate = import_route(n, trial, false, known);
    if (candidate && !rib::compare_routes(best, *candidate, loc_rib_.config()).a_better()) {
      return true;
    }
  }
  return false;
}

void Speaker::check_postponed(const base::Prefix& prefix, const rib::Route* best) {
  for (auto& [name, n] : neighbors_) {
    if (!n->postponed.contains(prefix)) {
      continue;
    }
    const rib::Route* route = n->adj_in.find(prefix);
    if (route == nullptr || route->path_state != rib::PathState::Pending ||
        validation_in_flight(*n, prefix)) {
      n->postponed.erase(prefix);  // replaced, withdrawn or checked meanwhile
      continue;
    }
    if (best == nullptr || best->peer_key() == route->peer_key() || could_win(*n, *route, *best)) {
      n->postponed.erase(prefix);
      ++n->stats.postponed_checked;
      start_validation(*n, *route);
    }
  }
}

void Speaker::check_all_postponed() {
  for (auto& entry : neighbors_) {
    Neighbor& n = *entry.second;
    const auto prefixes = std::exchange(n.postponed, {});
    prefixes.for_each([&](const base::Prefix& prefix) {
      const rib::Route* route = n.adj_in.find(prefix);
      if (route != nullptr && route->path_state == rib::PathState::Pending &&
          !validation_in_flight(n, prefix)) {
        ++n.stats.postponed_checked;
        start_validation(n, *route);
      }
    });
  }
}

}  // namespace bgpsecd::daemon
