// SPDX-License-Identifier: BSD-2-Clause
// ASPA verification of a received route (docs/aspa.md §6-§8), as pure functions of the route,
// what the speaker knows of the neighbor and the ASPA table: which procedure applies, the path
// ASPA reads (the AS_PATH, or the one rebuilt from a BGPsec route's Secure_Path), and the state
// the route gets. speaker.cpp calls it on import and again when the ASPA data changes.
#pragma once

#include <optional>
#include <span>

#include "aspa/aspa_table.hpp"
#include "aspa/verify.hpp"
#include "base/asn.hpp"
#include "rib/route.hpp"
#include "wire/as_path.hpp"
#include "wire/attributes.hpp"
#include "wire/role.hpp"

namespace bgpsecd::daemon {

// What ASPA verification reads of a neighbor.
struct AspaSettings {
  // Outside our AS (and outside our confederation): the routes are verified here. Inside,
  // the ingress router's state is trusted when `trust_ibgp` is set, as for the origin state;
  // verification there is not recommended (docs/aspa.md §7).
  bool external = true;
  bool trust_ibgp = true;
  // The procedure for this neighbor's routes; nullopt: ASPA verification is off for it.
  std::optional<aspa::Direction> direction = aspa::Direction::Downstream;
  // docs/aspa.md §6 step 2; nullopt skips it (the neighbor is a transparent route server).
  std::optional<base::Asn> neighbor_as;
};

// Which procedure a neighbor's routes get (docs/aspa.md §7). With a BGP Role configured
// (RFC 9234) the role says what the neighbor is: routes from a customer, a lateral peer or a
// route-server client (local role provider, peer, rs) and from a route server (local role
// rs-client) are checked upstream, routes from a provider (local role customer) downstream.
// Without a role: upstream when we are a transparent route server for it or it is one for us;
// downstream otherwise, the choice that never makes a valley-free path Invalid when the
// relation is not known (every path the upstream procedure finds Valid, the downstream one
// does too).
struct AspaRelation {
  bool we_are_route_server = false;
  bool neighbor_is_route_server = false;
  std::optional<wire::Role> local_role = std::nullopt;
};
[[nodiscard]] aspa::Direction aspa_direction(const AspaRelation& relation) noexcept;

// docs/aspa.md §6 step 2 checks that the path starts with the neighbor's AS; a transparent
// route server (route_server_peer, or local role rs-client) does not put its AS in the path,
// so the step is skipped (nullopt).
[[nodiscard]] std::optional<base::Asn> aspa_neighbor_as(const AspaRelation& relation,
                                                        base::Asn neighbor) noexcept;

[[nodiscard]] rib::AspaState route_aspa_state(aspa::AspaState state) noexcept;

// The path ASPA verifies: a BGPsec route's Secure_Path as AS_PATH (RFC 8205 §4.4), else the
// AS_PATH (none: the empty path).
[[nodiscard]] wire::AsPath aspa_path(const rib::Route& route);

// The full verdict for an external neighbor's route (the reason and the hop that failed, for
// `bgpsecctl show routes` and the log). Requires settings.direction.
[[nodiscard]] aspa::Verdict verify_route_aspa(const rib::Route& route, const AspaSettings& settings,
                                              const aspa::AspaTable& table);

// The state a route gets on import: verified for an external neighbor with a procedure, the
// trusted iBGP community's state for an internal one, Unverified otherwise.
[[nodiscard]] rib::AspaState check_route_aspa(const rib::Route& route, const AspaSettings& settings,
                                              const aspa::AspaTable& table);

// Whether the route's path holds one of `customers` (ascending): only then can a change of
// their provider sets change its state (docs/aspa.md §5).
[[nodiscard]] bool path_holds_any(const rib::Route& route, std::span<const base::Asn> customers);

}  // namespace bgpsecd::daemon
