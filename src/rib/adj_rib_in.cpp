// SPDX-License-Identifier: BSD-2-Clause
// Adj-RIB-In of one peer: an ordered map prefix -> Route (ordered, so dumps and sweeps are
// deterministic), with a hash index (PrefixIndex) for the lookups.
#include "rib/adj_rib_in.hpp"

#include <utility>

#include "base/check.hpp"

namespace bgpsecd::rib {

AdjRibIn::AdjRibIn(PeerHandle peer, std::size_t max_prefixes)
    : peer_(std::move(peer)), max_prefixes_(max_prefixes) {
  BGPSEC_CHECK(peer_ != nullptr, "Adj-RIB-In needs a peer");  // caller's wiring, not input
}

AdjRibIn::AnnounceResult AdjRibIn::announce(Route route) {
  // A route from another peer here is a wiring bug in the daemon, never peer input.
  BGPSEC_ASSERT(route.peer != nullptr && route.peer_key() == peer_->key);
  route.stale = false;  // RFC 4724 §4.2: a re-announced route is no longer stale
  AnnounceResult result;
  const bool was_over = over_max_prefix();
  const base::Prefix prefix = route.prefix;
  if (auto* held = index_.find(prefix); held != nullptr) {
    if (held->second.stale) {
      --stale_;
    }
    result.change = held->second.same_content(route) ? Change::Refreshed : Change::Replaced;
    result.previous = std::exchange(held->second, std::move(route));
    return result;
  }
  const auto it = routes_.try_emplace(prefix, std::move(route)).first;
  index_.insert(*it);
  result.change = Change::Added;
  result.max_prefix_exceeded = !was_over && over_max_prefix();
  return result;
}

std::optional<Route> AdjRibIn::withdraw(const base::Prefix& prefix) {
  const auto it = routes_.find(prefix);
  if (it == routes_.end()) {
    return std::nullopt;
  }
  Route old = std::move(it->second);
  index_.erase(prefix);
  routes_.erase(it);
  if (old.stale) {
    --stale_;
  }
  return old;
}

const Route* AdjRibIn::find(const base::Prefix& prefix) const {
  const auto* held = index_.find(prefix);
  return held != nullptr ? &held->second : nullptr;
}

std::size_t AdjRibIn::mark_stale(std::optional<base::Afi> afi) {
  std::size_t n = 0;
  for (auto& [prefix, route] : routes_) {
    if (!afi || prefix.afi() == *afi) {
      stale_ += route.stale ? 0 : 1;
      route.stale = true;
      ++n;
    }
  }
  return n;
}

std::vector<Route> AdjRibIn::sweep_stale(std::optional<base::Afi> afi) {
  std::vector<Route> removed;
  // Every End-of-RIB sweeps, restart or not: with nothing stale (the usual case) the walk of a
  // full table would hold the I/O thread for a few hundred milliseconds for nothing.
  if (stale_ == 0) {
    return removed;
  }
  for (auto it = routes_.begin(); it != routes_.end() && stale_ > 0;) {
    if (it->second.stale && (!afi || it->first.afi() == *afi)) {
      removed.push_back(std::move(it->second));
      index_.erase(it->first);
      it = routes_.erase(it);
      --stale_;
    } else {
      ++it;
    }
  }
  return removed;
}

AdjRibIn::Routes AdjRibIn::clear() {
  index_.clear();
  stale_ = 0;
  return std::exchange(routes_, {});
}

void AdjRibIn::for_each(const std::function<void(const Route&)>& fn) const {
  for (const auto& entry : routes_) {
    fn(entry.second);
  }
}

void AdjRibIn::for_each_after(const std::optional<base::Prefix>& after,
                              const std::function<bool(const Route&)>& fn) const {
  for (auto it = after ? routes_.upper_bound(*after) : routes_.begin(); it != routes_.end(); ++it) {
    if (!fn(it->second)) {
      return;
    }
  }
}

void AdjRibIn::for_each_within(const base::Prefix& covering,
                               const std::function<void(const Route&)>& fn) const {
  base::for_each_within(routes_, covering, [&](const auto& entry) { fn(entry.second); });
}

const Route* AdjRibIn::set_path_state(const base::Prefix& prefix, PathState state,
                                      std::optional<PathFailure> failure) {
  auto* held = index_.find(prefix);
  if (held == nullptr) {
    return nullptr;
  }
  held->second.path_state = state;
  held->second.path_failure = failure;
  return &held->second;
}

}  // namespace bgpsecd::rib
