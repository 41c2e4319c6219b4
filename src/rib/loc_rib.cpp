// SPDX-License-Identifier: BSD-2-Clause
// Loc-RIB: an ordered map prefix -> candidates with a hash index (PrefixIndex) for the lookups;
// the decision runs over the candidates of the one prefix a change touches (RFC 4271 §9.1.2
// "for each set of destinations").
#include "rib/loc_rib.hpp"

#include <algorithm>
#include <utility>

namespace bgpsecd::rib {

namespace {

bool same_best(const std::optional<Route>& a, const std::optional<Route>& b) noexcept {
  if (a.has_value() != b.has_value()) {
    return false;
  }
  return !a.has_value() || a->same_content(*b);
}

}  // namespace

std::optional<BestChange> LocRib::reselect(Map::value_type& item, std::optional<Route> previous) {
  Entry& entry = item.second;
  std::optional<Route> current;
  if (entry.candidates.empty()) {
    const base::Prefix prefix = item.first;  // `item` goes with the erase
    index_.erase(prefix);
    entries_.erase(prefix);
  } else {
    // Non-empty, so select_best gives an index.
    entry.best = select_best(entry.candidates, config_).value_or(0);
    current = entry.candidates[entry.best];
  }
  // `previous` is the best before the mutation (nullopt for a new prefix): the counts move
  // from its state to the new best's.
  if (previous) {
    --best_by_aspa_state_[static_cast<std::size_t>(previous->aspa_state)];
  }
  if (current) {
    ++best_by_aspa_state_[static_cast<std::size_t>(current->aspa_state)];
  }
  if (same_best(previous, current)) {
    return std::nullopt;
  }
  const base::Prefix prefix = current ? current->prefix : previous->prefix;
  return BestChange{prefix, std::move(previous), std::move(current)};
}

std::optional<BestChange> LocRib::update(Route route) {
  const base::Prefix prefix = route.prefix;
  Map::value_type* item = index_.find(prefix);
  std::optional<Route> previous;
  if (item != nullptr) {
    previous = item->second.candidates[item->second.best];
  } else {
    item = &*entries_.try_emplace(prefix).first;
    index_.insert(*item);
  }
  Entry& entry = item->second;
  const auto same_peer =
      std::find_if(entry.candidates.begin(), entry.candidates.end(),
                   [&](const Route& r) { return r.peer_key() == route.peer_key(); });
  if (same_peer != entry.candidates.end()) {
    *same_peer = std::move(route);
  } else {
    count_added(route.peer_key());
    entry.candidates.push_back(std::move(route));
  }
  return reselect(*item, std::move(previous));
}

void LocRib::count_added(const PeerKey& peer) { ++routes_per_peer_[peer]; }

void LocRib::count_removed(const PeerKey& peer) noexcept {
  if (const auto it = routes_per_peer_.find(peer);
      it != routes_per_peer_.end() && --it->second == 0) {
    routes_per_peer_.erase(it);
  }
}

std::size_t LocRib::route_count() const noexcept {
  std::size_t total = 0;
  for (const auto& [peer, count] : routes_per_peer_) {
    total += count;
  }
  return total;
}

std::size_t LocRib::route_count(const PeerKey& peer) const noexcept {
  const auto it = routes_per_peer_.find(peer);
  return it == routes_per_peer_.end() ? 0 : it->second;
}

std::optional<BestChange> LocRib::remove(const base::Prefix& prefix, const PeerKey& peer) {
  Map::value_type* item = index_.find(prefix);
  if (item == nullptr) {
    return std::nullopt;
  }
  Entry& entry = item->second;
  const auto victim = std::find_if(entry.candidates.begin(), entry.candidates.end(),
                                   [&](const Route& r) { return r.peer_key() == peer; });
  if (victim == entry.candidates.end()) {
    return std::nullopt;
  }
  std::optional<Route> previous = entry.candidates[entry.best];
  entry.candidates.erase(victim);
  count_removed(peer);
  return reselect(*item, std::move(previous));
}

std::vector<BestChange> LocRib::remove_peer(const PeerKey& peer) {
  std::vector<BestChange> changes;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const auto next = std::next(it);  // reselect may erase `it`
    Entry& entry = it->second;
    const auto victim = std::find_if(entry.candidates.begin(), entry.candidates.end(),
                                     [&](const Route& r) { return r.peer_key() == peer; });
    if (victim != entry.candidates.end()) {
      std::optional<Route> previous = entry.candidates[entry.best];
      entry.candidates.erase(victim);
      count_removed(peer);
      if (auto change = reselect(*it, std::move(previous))) {
        changes.push_back(std::move(*change));
      }
    }
    it = next;
  }
  return changes;
}

std::vector<BestChange> LocRib::set_config(DecisionConfig config) {
  config_ = config;
  std::vector<BestChange> changes;
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    // Never erases: the candidates are unchanged and non-empty.
    if (auto change = reselect(*it, it->second.candidates[it->second.best])) {
      changes.push_back(std::move(*change));
    }
  }
  return changes;
}

const Route* LocRib::best(const base::Prefix& prefix) const {
  const Map::value_type* item = index_.find(prefix);
  return item == nullptr ? nullptr : &item->second.candidates[item->second.best];
}

std::span<const Route> LocRib::candidates(const base::Prefix& prefix) const {
  const Map::value_type* item = index_.find(prefix);
  if (item == nullptr) {
    return {};
  }
  return item->second.candidates;
}

void LocRib::for_each_best(const std::function<void(const Route&)>& fn) const {
  for (const auto& [prefix, entry] : entries_) {
    fn(entry.candidates[entry.best]);
  }
}

void LocRib::for_each_best_after(const std::optional<base::Prefix>& after,
                                 const std::function<bool(const Route&)>& fn) const {
  for (auto it = after ? entries_.upper_bound(*after) : entries_.begin(); it != entries_.end();
       ++it) {
    if (!fn(it->second.candidates[it->second.best])) {
      return;
    }
  }
}

}  // namespace bgpsecd::rib
