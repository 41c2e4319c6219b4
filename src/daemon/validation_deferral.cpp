// SPDX-License-Identifier: BSD-2-Clause
// The deferral decisions of validation_deferral.hpp.
#include "daemon/validation_deferral.hpp"

#include <algorithm>

namespace bgpsecd::daemon {

bool defer_validation(DeferWhenQueued threshold, std::size_t queued, bool from_ebgp) noexcept {
  return from_ebgp && threshold && queued >= *threshold;
}

std::size_t deferred_to_start(DeferWhenQueued threshold, std::size_t queued,
                              std::size_t deferred) noexcept {
  if (!threshold) {
    return deferred;
  }
  return queued >= *threshold ? 0 : std::min<std::size_t>(deferred, *threshold - queued);
}

}  // namespace bgpsecd::daemon
