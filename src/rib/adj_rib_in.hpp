// SPDX-License-Identifier: BSD-2-Clause
// Adj-RIB-In of one peer (RFC 4271 §3.2): the routes as received (before import policy),
// keyed by prefix; announce / withdraw, RFC 4724 stale marking and sweep, and the count the
// session's maximum-prefix limit (RFC 4486 Cease 1) is checked against.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "rib/chunked_prefix_map.hpp"
#include "rib/prefix_index.hpp"
#include "rib/route.hpp"

namespace bgpsecd::rib {

class AdjRibIn {
 public:
  // `max_prefixes` 0 means no limit.
  explicit AdjRibIn(PeerHandle peer, std::size_t max_prefixes = 0);

  enum class Change : std::uint8_t {
    Added,      // a new prefix
    Replaced,   // the prefix had a different route (the old one is in `previous`)
    Refreshed,  // same content re-announced (clears stale; nothing to tell the Loc-RIB)
  };
  struct AnnounceResult {
    Change change = Change::Added;
    std::optional<Route> previous;  // for Replaced and Refreshed
    // True when this announcement took the count above the limit (once per crossing), so the
    // session can send Cease / Maximum Number of Prefixes Reached (RFC 4486 §4). The route is
    // stored regardless; the caller decides whether to tear down.
    bool max_prefix_exceeded = false;
  };

  // Stores `route` (its peer must be this Adj-RIB-In's peer; its stale flag is cleared).
  AnnounceResult announce(Route route);
  // Removes the prefix; returns the route that was there, or nullopt (a withdraw for a prefix
  // never announced is legal and ignored).
  std::optional<Route> withdraw(const base::Prefix& prefix);

  [[nodiscard]] const Route* find(const base::Prefix& prefix) const;
  [[nodiscard]] std::size_t size() const noexcept { return routes_.size(); }
  [[nodiscard]] bool over_max_prefix() const noexcept {
    return max_prefixes_ != 0 && routes_.size() > max_prefixes_;
  }
  void set_max_prefixes(std::size_t max_prefixes) noexcept { max_prefixes_ = max_prefixes; }
  [[nodiscard]] const PeerHandle& peer() const noexcept { return peer_; }

  // ===== graceful restart (RFC 4724 §4.2) =====

  // The session went down gracefully: marks every route of `afi` (all if nullopt) stale.
  // Returns how many were marked.
  std::size_t mark_stale(std::optional<base::Afi> afi = std::nullopt);
  // End-of-RIB for `afi` (or the restart / stale timer fired; nullopt = every AFI): removes
  // the routes still stale and returns them, so the Loc-RIB can drop them.
  std::vector<Route> sweep_stale(std::optional<base::Afi> afi = std::nullopt);
  [[nodiscard]] std::size_t stale_count() const noexcept { return stale_; }

  // In prefix order; a full table arrives in random order, which a std::map pays for with a
  // walk down a million-node tree per route (chunked_prefix_map.hpp).
  using Routes = ChunkedPrefixMap<Route>;

  // Session down without graceful restart: removes and returns everything, in prefix order.
  // Hands the map itself over, so that a full table leaves without a walk.
  Routes clear();

  // Visits routes in prefix order (for route refresh to policy, dumps, revalidation).
  void for_each(const std::function<void(const Route&)>& fn) const;
  // The same from the first prefix after `after` (all when nullopt) while `fn` returns true.
  void for_each_after(const std::optional<base::Prefix>& after,
                      const std::function<bool(const Route&)>& fn) const;
  // Visits the routes for `covering` and its more-specifics only (RFC 6811: the routes a VRP
  // for `covering` can change), without walking the rest of the table.
  void for_each_within(const base::Prefix& covering,
                       const std::function<void(const Route&)>& fn) const;
  // Revalidation (RFC 8374 §9.2): the route for `prefix` gets a new path state; its stale
  // flag and everything else stay. Returns the route as it now is, or nullptr when there is no
  // route for `prefix` (one lookup: the caller imports it next).
  const Route* set_path_state(const base::Prefix& prefix, PathState state,
                              std::optional<PathFailure> failure);

 private:
  PeerHandle peer_;
  std::size_t max_prefixes_ = 0;
  // The routes in prefix order (pages, dumps, covering-prefix walks), and a hash index over
  // them for the lookups every UPDATE and every validation result makes.
  Routes routes_;
  PrefixIndex<Route> index_;
  std::size_t stale_ = 0;  // routes_ with `stale` set, kept on every change
};

}  // namespace bgpsecd::rib
