// SPDX-License-Identifier: BSD-2-Clause
// The routes of a session that ended without graceful restart (or of a neighbor a reload
// removed) leave the Loc-RIB in slices. A full table is a million and more routes; removed in
// one go they held the I/O thread for 3.5 to 5 s (every other session's keepalives, UPDATEs
// and the control socket waiting behind them: a peer with a 3 s hold time would have lost its
// session). The Adj-RIB-In hands its map over at once; each slice then removes routes for a
// few milliseconds and yields, as the table to a new peer does (speaker_table.cpp).
//
// Meanwhile the routes not removed yet stay candidates in the Loc-RIB, as if their withdrawal
// were still on its way. When the neighbor comes back before the last slice, a route its new
// session sends replaces the old one among the candidates (one per peer); a slice reaching that
// prefix then finds it in the new Adj-RIB-In and leaves it.
#include <chrono>

#include <spdlog/spdlog.h>

#include "daemon/slice_budget.hpp"
#include "daemon/speaker.hpp"
#include "daemon/speaker_neighbor.hpp"

namespace bgpsecd::daemon {
namespace {

// Departures that took longer than this are logged when done.
constexpr auto kLogAfter = std::chrono::milliseconds(500);

}  // namespace

void Speaker::remove_routes_of(Neighbor& n) {
  auto routes = n.adj_in.clear();
  if (routes.empty()) {
    return;
  }
  Departure departure;
  departure.neighbor = n.name();
  departure.key = n.info->key;
  departure.total = routes.size();
  departure.routes = std::move(routes);
  departure.started = std::chrono::steady_clock::now();
  departures_.push_back(std::move(departure));
  // The first slice at once: a session with a few hundred routes is gone before this returns.
  remove_departure_slice(std::prev(departures_.end()));
}

void Speaker::remove_departure_slice(std::list<Departure>::iterator it) {
  Departure& d = *it;
  // A neighbor of that name again (a new session, or one a reload added back): a route it has
  // sent since must stay. Only the same peer's routes can have replaced ours among the
  // candidates.
  const Neighbor* again = find_neighbor(d.neighbor);
  if (again != nullptr && again->info->key != d.key) {
    again = nullptr;
  }
  const SliceBudget budget;
  std::size_t removed = 0;
  while (!d.routes.empty()) {
    if (budget.spent(removed)) {
      asio::post(io_, [this, it] { remove_departure_slice(it); });
      return;
    }
    const auto first = d.routes.begin();
    if (again == nullptr || again->adj_in.find(first->first) == nullptr) {
      if (auto change = loc_rib_.remove(first->first, d.key)) {
        export_change(*change);
      }
    }
    d.routes.erase(first);
    ++removed;
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - d.started;
  if (took >= kLogAfter) {
    spdlog::info("peer {}: {} routes of the ended session removed in {:.2f} s", d.neighbor, d.total,
                 took.count());
  }
  departures_.erase(it);
}

}  // namespace bgpsecd::daemon
