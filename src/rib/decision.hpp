// SPDX-License-Identifier: BSD-2-Clause
// The BGP decision process among the candidate routes of one prefix: RFC 4271 §9.1.2.2
// tie-breaking (with RFC 4456 §9 for reflected routes), after "locally originated first" and
// the degree of preference (Route::local_pref, where policy puts validation state).
// Eligibility (AS loop, unresolvable next hop) is decided at import, not here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/asn.hpp"
#include "rib/route.hpp"

namespace bgpsecd::rib {

// The step that decided between two routes, in the order they are applied.
enum class DecisionStep : std::uint8_t {
  Local = 0,          // locally originated routes first
  LocalPref,          // highest degree of preference (RFC 4271 §9.1.1 / §9.1.2.1)
  AsPathLength,       // (a) shortest AS_PATH; Secure_Path length for BGPsec routes
  Origin,             // (b) lowest ORIGIN
  Med,                // (c) lowest MED, same neighbour AS only
  EbgpOverIbgp,       // (d)
  RouterId,           // (f) lowest BGP Identifier, ORIGINATOR_ID if present (RFC 4456 §9)
  ClusterListLength,  // (f) RFC 4456 §9: shorter CLUSTER_LIST
  PeerAddress,        // (g) lowest peer address
  Equal,              // nothing tells them apart (same peer)
};
[[nodiscard]] const char* decision_step_name(DecisionStep step) noexcept;

struct DecisionConfig {
  // Compare MED between routes from different neighbour ASes too (a common knob; off is the
  // RFC 4271 §9.1.2.2 (c) rule).
  bool always_compare_med = false;
};

// Path length for step (a): Σ pCount of non-confed Secure_Path segments for a route with a
// BGPsec_PATH (RFC 8205 §4.4), else AS_PATH with AS_SET = 1 and confed segments = 0. A route
// with neither has length 0 (a locally originated route).
[[nodiscard]] std::size_t decision_path_length(const Route& route) noexcept;

// The neighbouring AS for step (c): the first AS of the path after any confederation
// segments (RFC 5065 §5.3), nullopt if the path is empty or starts with an AS_SET. Routes
// with nullopt compare MEDs with each other (both originated inside our AS).
[[nodiscard]] std::optional<base::Asn> neighbour_as(const Route& route) noexcept;

struct Comparison {
  int order = 0;  // < 0: a is better; > 0: b is better; 0: equal
  DecisionStep step = DecisionStep::Equal;
  [[nodiscard]] bool a_better() const noexcept { return order < 0; }
};

// Compares two candidates for the same prefix, step by step. Because step (c) only compares
// routes from the same neighbour AS, this is not a strict weak ordering over three or more
// routes; use select_best for a set.
[[nodiscard]] Comparison compare_routes(const Route& a, const Route& b,
                                        const DecisionConfig& config = {}) noexcept;

// RFC 4271 §9.1.2.2 as the elimination it describes: each step removes the candidates that
// lose it (step (c) per neighbour AS), so the result does not depend on the order of
// `candidates`. Returns the index of the best route, nullopt if `candidates` is empty.
[[nodiscard]] std::optional<std::size_t> select_best(std::span<const Route> candidates,
                                                     const DecisionConfig& config = {});

}  // namespace bgpsecd::rib
