// SPDX-License-Identifier: BSD-2-Clause
// RFC 8374 §8.7 "validation deferred" at the ingress: with [bgpsec] defer_when_queued set, a
// signed route from eBGP that arrives while the validation queue is full is installed Pending
// without a check (policy sees "pending", iBGP peers get it marked deferred and validate it
// themselves), and is checked here later, in the background, once the queue has room.
#include "daemon/speaker_neighbor.hpp"
#include "daemon/validation_deferral.hpp"

namespace bgpsecd::daemon {

bool Speaker::defer_check(Neighbor& n, const base::Prefix& prefix) {
  if (!defer_validation(config_.bgpsec.defer_when_queued, validation_pool_->queued(), n.ebgp())) {
    return false;
  }
  n.deferred.insert(prefix);
  ++n.stats.validations_deferred;
  ++validations_deferred_;
  return true;
}

void Speaker::start_deferred() {
  for (auto& [name, n] : neighbors_) {
    std::size_t count = deferred_to_start(config_.bgpsec.defer_when_queued,
                                          validation_pool_->queued(), n->deferred.size());
    while (count > 0) {
      const auto taken = n->deferred.take();
      if (!taken) {
        break;
      }
      const base::Prefix& prefix = *taken;
      // A route replaced or withdrawn meanwhile left the set; one swept as stale (RFC 4724)
      // may not have: only a route still held and unchecked is handed over.
      const rib::Route* route = n->adj_in.find(prefix);
      if (route != nullptr && route->bgpsec && route->path_state == rib::PathState::Pending &&
          !validation_in_flight(*n, prefix)) {
        start_validation(*n, *route);
        --count;
      }
    }
  }
}

std::size_t Speaker::unchecked_count(base::PrefixSet Neighbor::*which) const {
  std::size_t count = 0;
  for (const auto& [name, n] : neighbors_) {
    count += ((*n).*which).size();
  }
  return count;
}

}  // namespace bgpsecd::daemon
