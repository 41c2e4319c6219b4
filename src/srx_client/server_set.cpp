// SPDX-License-Identifier: BSD-2-Clause
#include "srx_client/server_set.hpp"

#include <utility>

#include "base/check.hpp"

namespace bgpsecd::srx_client {

ServerSet::ServerSet(std::vector<ProxyCore*> cores) : cores_(std::move(cores)) {
  // The set is built from the configuration, which names at least one server.
  BGPSEC_CHECK(!cores_.empty(), "ServerSet without servers");
}

base::Result<void, srx::SrxError> ServerSet::submit(RouteKey key, RouteRequest request,
                                                    TimePoint now) {
  return home_core().submit(key, std::move(request), now);
}

void ServerSet::withdraw(RouteKey key) { home_core().withdraw(key); }

base::Result<void> ServerSet::sign(RouteKey key, const SignParameters& parameters, TimePoint now) {
  return home_core().sign(key, parameters, now);
}

bool ServerSet::update(TimePoint now) {
  std::size_t best = home_;
  for (std::size_t i = 0; i < cores_.size(); ++i) {
    if (cores_[i]->state() == ProxyState::Active) {
      best = i;
      break;
    }
  }
  if (best == home_) {
    return false;
  }
  auto& from = home_core();
  auto& to = *cores_[best];
  for (const auto& route : from.held()) {
    // Each route was encoded once already when it was submitted, so adopt() cannot fail here.
    (void)to.adopt(route, now);
    from.withdraw(route.key);
  }
  home_ = best;
  ++moves_;
  return true;
}

}  // namespace bgpsecd::srx_client
