// SPDX-License-Identifier: BSD-2-Clause
// RFC 8374 §8.7 "validation deferred": under load an ingress router may install a received
// signed route without checking its signatures, mark it deferred towards its iBGP peers and
// leave the check to the egress. The decisions of [bgpsec] defer_when_queued, as pure
// functions of the validation queue (ValidationPool::queued()), so they are tested alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace bgpsecd::daemon {

// [bgpsec] defer_when_queued: nullopt never defers; N defers while at least N routes wait for a
// validation worker, so 0 defers every route.
using DeferWhenQueued = std::optional<std::uint32_t>;

// Whether a newly received route whose signatures are to be checked is installed deferred
// instead. Only routes from eBGP: the ingress is where RFC 8374 §8.7 validates; a route from
// an iBGP peer that is checked here is this router's job as the egress.
[[nodiscard]] bool defer_validation(DeferWhenQueued threshold, std::size_t queued,
                                    bool from_ebgp) noexcept;

// How many of `deferred` routes go to the workers now, in the background: as many as keep the
// queue below the threshold (all of them once the option is unset; none while it is 0).
[[nodiscard]] std::size_t deferred_to_start(DeferWhenQueued threshold, std::size_t queued,
                                            std::size_t deferred) noexcept;

}  // namespace bgpsecd::daemon
