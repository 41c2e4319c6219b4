// SPDX-License-Identifier: BSD-2-Clause
// Several SRx servers in order of preference, as one: every route lives in exactly one
// ProxyCore, the home. The home is the most preferred core with an active session; while no
// core is active the routes stay where they are and wait for it. When another core becomes the
// best one (the home was lost, or a more preferred server is back), everything the home holds,
// results, routes waiting for receipts and unanswered SIGN_REQUESTs, moves there and the old
// home lets go of it (DELETE_UPDATE while its session is still up). The same rule as RFC 8210
// §10 for RPKI caches: talk to the most preferred one that answers.
//
// Pure: the cores are driven by their transports; the owner calls update(now) after any of
// them changed state (SrxClientConnection::Handlers::state_changed), on the io thread.
#pragma once

#include <cstddef>
#include <vector>

#include "base/result.hpp"
#include "srx/pdu.hpp"
#include "srx_client/proxy_core.hpp"
#include "srx_client/route_request.hpp"

namespace bgpsecd::srx_client {

class ServerSet {
 public:
  // `cores` most preferred first, not owned, at least one; they outlive the set. Routes start
  // at the most preferred.
  explicit ServerSet(std::vector<ProxyCore*> cores);

  [[nodiscard]] base::Result<void, srx::SrxError> submit(RouteKey key, RouteRequest request,
                                                         TimePoint now);
  void withdraw(RouteKey key);
  [[nodiscard]] base::Result<void> sign(RouteKey key, const SignParameters& parameters,
                                        TimePoint now);
  // Moves the routes to the best core if that is not the home; true when they moved.
  bool update(TimePoint now);

  // The index (preference order) of the core that holds the routes.
  [[nodiscard]] std::size_t home() const noexcept { return home_; }
  [[nodiscard]] ProxyCore& home_core() const noexcept { return *cores_[home_]; }
  [[nodiscard]] std::size_t moves() const noexcept { return moves_; }

 private:
  std::vector<ProxyCore*> cores_;
  std::size_t home_ = 0;
  std::size_t moves_ = 0;
};

}  // namespace bgpsecd::srx_client
