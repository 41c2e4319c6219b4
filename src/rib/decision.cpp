// SPDX-License-Identifier: BSD-2-Clause
// RFC 4271 §9.1.2.2 tie-breaking. Every step but (c) maps a route to a key where lower is
// better, so the pairwise comparison and the elimination over a set share one definition.
#include "rib/decision.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

#include "bgpsec/as_path_rebuild.hpp"

namespace bgpsecd::rib {

const char* decision_step_name(DecisionStep step) noexcept {
  switch (step) {
    case DecisionStep::Local:
      return "local";
    case DecisionStep::LocalPref:
      return "local-pref";
    case DecisionStep::AsPathLength:
      return "as-path-length";
    case DecisionStep::Origin:
      return "origin";
    case DecisionStep::Med:
      return "med";
    case DecisionStep::EbgpOverIbgp:
      return "ebgp-over-ibgp";
    case DecisionStep::RouterId:
      return "router-id";
    case DecisionStep::ClusterListLength:
      return "cluster-list-length";
    case DecisionStep::PeerAddress:
      return "peer-address";
    case DecisionStep::Equal:
      return "equal";
  }
  return "unknown";
}

std::size_t decision_path_length(const Route& route) noexcept {
  // RFC 8205 §4.4: a BGPsec route's AS path is its Secure_Path; it carries no AS_PATH.
  if (route.bgpsec) {
    return bgpsec::secure_path_length(route.secure_path());
  }
  const auto& attrs = *route.attrs;
  return attrs.as_path ? attrs.as_path->length_for_decision() : 0;
}

std::optional<base::Asn> neighbour_as(const Route& route) noexcept {
  if (route.bgpsec) {
    for (const auto& seg : route.secure_path()) {
      // RFC 8205 §4.4: Confed_Segment segments are AS_CONFED_SEQUENCE; skip them.
      if (!seg.confed() && seg.pcount > 0) {
        return seg.asn;
      }
    }
    return std::nullopt;
  }
  const auto& attrs = *route.attrs;
  if (!attrs.as_path) {
    return std::nullopt;
  }
  for (const auto& seg : attrs.as_path->segments) {
    using T = wire::AsPathSegmentType;
    if (seg.type == T::AsConfedSequence || seg.type == T::AsConfedSet) {
      continue;  // RFC 5065 §5.3: the neighbour AS is the first one outside the confederation
    }
    if (seg.type == T::AsSequence && !seg.asns.empty()) {
      return seg.asns.front();
    }
    return std::nullopt;
  }
  return std::nullopt;
}

namespace {

constexpr std::array kKeyedSteps = {
    DecisionStep::Local,        DecisionStep::LocalPref,
    DecisionStep::AsPathLength, DecisionStep::Origin,
    DecisionStep::Med,          DecisionStep::EbgpOverIbgp,
    DecisionStep::RouterId,     DecisionStep::ClusterListLength,
};

std::uint32_t med_of(const Route& r) noexcept {
  // A missing MULTI_EXIT_DISC counts as 0, the most preferred value: RFC 4271 §9.1.2.2 (c)
  // gives a route without MED the lowest possible value, which is also most daemons' default.
  return r.attrs->med.value_or(0);
}

// Lower is better. Not used for Med (needs the neighbour AS) or PeerAddress (not a number).
std::uint64_t step_key(DecisionStep step, const Route& r) noexcept {
  const auto& a = *r.attrs;
  switch (step) {
    case DecisionStep::Local:
      return r.local() ? 0 : 1;
    case DecisionStep::LocalPref:
      // RFC 4271 §9.1.2.1: the highest degree of preference wins.
      return std::numeric_limits<std::uint32_t>::max() - r.local_pref;
    case DecisionStep::AsPathLength:
      return decision_path_length(r);
    case DecisionStep::Origin:
      // RFC 4271 §9.1.2.2 (b): IGP < EGP < INCOMPLETE; a missing ORIGIN ranks last.
      return static_cast<std::uint64_t>(a.origin.value_or(wire::Origin::Incomplete));
    case DecisionStep::Med:
      return med_of(r);
    case DecisionStep::EbgpOverIbgp:
      // RFC 4271 §9.1.2.2 (d): routes learned from eBGP over those learned from iBGP;
      // confederation-eBGP counts as internal (RFC 5065; RFC 4271 §9.1 step d).
      return r.peer->kind == PeerKind::Ibgp || r.peer->confed_member ? 1 : 0;
    case DecisionStep::RouterId:
      // RFC 4456 §9: a reflected route is compared by its ORIGINATOR_ID.
      return a.originator_id.value_or(r.peer->router_id);
    case DecisionStep::ClusterListLength:
      return a.cluster_list.size();
    case DecisionStep::PeerAddress:
    case DecisionStep::Equal:
      return 0;
  }
  return 0;
}

int compare_keys(std::uint64_t a, std::uint64_t b) noexcept { return a < b ? -1 : (a > b ? 1 : 0); }

bool med_comparable(const Route& a, const Route& b, const DecisionConfig& config) noexcept {
  // RFC 4271 §9.1.2.2 (c): MEDs are only compared between routes from the same neighbour AS.
  return config.always_compare_med || neighbour_as(a) == neighbour_as(b);
}

}  // namespace

Comparison compare_routes(const Route& a, const Route& b, const DecisionConfig& config) noexcept {
  for (const auto step : kKeyedSteps) {
    if (step == DecisionStep::Med && !med_comparable(a, b, config)) {
      continue;
    }
    if (const int c = compare_keys(step_key(step, a), step_key(step, b)); c != 0) {
      return Comparison{c, step};
    }
  }
  // RFC 4271 §9.1.2.2 (g): lowest peer address.
  if (a.peer_key() != b.peer_key()) {
    return Comparison{a.peer_key() < b.peer_key() ? -1 : 1, DecisionStep::PeerAddress};
  }
  return Comparison{0, DecisionStep::Equal};
}

std::optional<std::size_t> select_best(std::span<const Route> candidates,
                                       const DecisionConfig& config) {
  if (candidates.empty()) {
    return std::nullopt;
  }
  std::vector<std::size_t> alive(candidates.size());
  for (std::size_t i = 0; i < alive.size(); ++i) {
    alive[i] = i;
  }
  const auto keep_if = [&](auto&& pred) {
    std::erase_if(alive, [&](std::size_t i) { return !pred(candidates[i]); });
  };
  for (const auto step : kKeyedSteps) {
    if (alive.size() == 1) {
      return alive.front();
    }
    if (step == DecisionStep::Med && !config.always_compare_med) {
      // RFC 4271 §9.1.2.2 (c): remove a route if another one from the same neighbour AS has
      // a lower MED; routes from different neighbour ASes do not affect each other.
      std::vector<std::size_t> survivors;
      for (const auto i : alive) {
        const auto nbr = neighbour_as(candidates[i]);
        const bool beaten = std::any_of(alive.begin(), alive.end(), [&](std::size_t j) {
          return neighbour_as(candidates[j]) == nbr &&
                 med_of(candidates[j]) < med_of(candidates[i]);
        });
        if (!beaten) {
          survivors.push_back(i);
        }
      }
      alive = std::move(survivors);
      continue;
    }
    std::uint64_t best = std::numeric_limits<std::uint64_t>::max();
    for (const auto i : alive) {
      best = std::min(best, step_key(step, candidates[i]));
    }
    keep_if([&](const Route& r) { return step_key(step, r) == best; });
  }
  // RFC 4271 §9.1.2.2 (g): lowest peer address.
  return *std::min_element(alive.begin(), alive.end(), [&](std::size_t x, std::size_t y) {
    return candidates[x].peer_key() < candidates[y].peer_key();
  });
}

}  // namespace bgpsecd::rib
