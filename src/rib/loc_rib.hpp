// SPDX-License-Identifier: BSD-2-Clause
// Loc-RIB (RFC 4271 §3.2, §9.1): per prefix, the candidate routes from every source (at most
// one per peer, after import policy) and the one the decision process selected. Every
// mutation reports whether the best route changed, which is what export needs.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "rib/decision.hpp"
#include "rib/prefix_index.hpp"
#include "rib/route.hpp"

namespace bgpsecd::rib {

// The best route of `prefix` before and after a mutation. Both set: replaced (or the same
// source with new content); only `current`: newly reachable; only `previous`: unreachable,
// to be withdrawn from every peer.
struct BestChange {
  base::Prefix prefix;
  std::optional<Route> previous;
  std::optional<Route> current;
};

class LocRib {
 public:
  explicit LocRib(DecisionConfig config = {}) : config_(config) {}

  // Adds `route` as the candidate of its peer for its prefix, replacing that peer's previous
  // candidate. Returns the change of best route, nullopt if the best stayed the same.
  std::optional<BestChange> update(Route route);
  // Removes the candidate of `peer` for `prefix` (withdraw, treat-as-withdraw, policy reject,
  // stale sweep). nullopt if the best did not change (or there was no such candidate).
  std::optional<BestChange> remove(const base::Prefix& prefix, const PeerKey& peer);
  // Removes every candidate of `peer` (session down without graceful restart), in prefix
  // order. Walks the whole table: with the peer's Adj-RIB-In at hand, calling remove() per
  // route is cheaper.
  std::vector<BestChange> remove_peer(const PeerKey& peer);

  // Runs the decision again everywhere, e.g. after `config` changed.
  std::vector<BestChange> set_config(DecisionConfig config);
  [[nodiscard]] const DecisionConfig& config() const noexcept { return config_; }

  [[nodiscard]] const Route* best(const base::Prefix& prefix) const;
  // Every candidate for `prefix` (empty if none); order is not meaningful.
  [[nodiscard]] std::span<const Route> candidates(const base::Prefix& prefix) const;
  [[nodiscard]] std::size_t prefix_count() const noexcept { return entries_.size(); }
  [[nodiscard]] std::size_t route_count() const noexcept;
  // The candidates of one peer (its accepted routes), kept up to date on every mutation so
  // that `show neighbors` costs no walk of a full table.
  [[nodiscard]] std::size_t route_count(const PeerKey& peer) const noexcept;
  // The best routes in one ASPA state, likewise kept on every change of a best route.
  [[nodiscard]] std::size_t best_count(AspaState state) const noexcept {
    return best_by_aspa_state_[static_cast<std::size_t>(state)];
  }

  // Visits the best route of every prefix, in prefix order (initial dump to a new peer).
  void for_each_best(const std::function<void(const Route&)>& fn) const;
  // The same from the first prefix after `after` (all when nullopt) while `fn` returns true:
  // a view taken in slices (the control API's pages).
  void for_each_best_after(const std::optional<base::Prefix>& after,
                           const std::function<bool(const Route&)>& fn) const;

 private:
  struct Entry {
    std::vector<Route> candidates;
    std::size_t best = 0;  // index into candidates; valid while candidates is not empty
  };
  using Map = std::map<base::Prefix, Entry>;

  // Re-runs the decision for one entry (erasing it if empty) and reports the change.
  std::optional<BestChange> reselect(Map::value_type& item, std::optional<Route> previous);
  // The counts, for a candidate of `peer` added or removed.
  void count_added(const PeerKey& peer);
  void count_removed(const PeerKey& peer) noexcept;

  DecisionConfig config_;
  Map entries_;
  // Every lookup by prefix (each UPDATE and each validation result reaches update()) goes
  // through the index; the map gives the order for the walks.
  PrefixIndex<Entry> index_;
  std::map<PeerKey, std::size_t> routes_per_peer_;   // no entry for a peer with none
  std::array<std::size_t, 4> best_by_aspa_state_{};  // indexed by AspaState
};

}  // namespace bgpsecd::rib
