// SPDX-License-Identifier: BSD-2-Clause
// Route leak prevention with the Only to Customer attribute (RFC 9234 §5): what a route from,
// and a route to, a neighbor with a configured BGP Role does with its OTC. Pure functions of the
// local role, the AS numbers and the route's OTC; the speaker carries them out on import and
// export. RFC 9234 names the neighbor ("from a Customer"); the local role is the other end of
// the pair ("from a Customer" is local role provider).
#pragma once

#include <optional>

#include "base/asn.hpp"
#include "wire/role.hpp"

namespace bgpsecd::rib {

struct OtcIngress {
  // RFC 9234 §5: a route leak, ineligible for route selection (kept in the Adj-RIB-In).
  bool leak = false;
  // The OTC to add to a route that has none (the neighbor's AS); nullopt: leave it as it is.
  std::optional<base::Asn> add;
};

// RFC 9234 §5 ingress, for a route from a neighbor in AS `remote` to which our role is `local`:
//  1. OTC from a customer or an RS-client (local provider, rs): a leak;
//  2. OTC from a lateral peer (local peer) whose value is not the peer's AS: a leak;
//  3. no OTC from a provider, a peer or an RS (local customer, peer, rs-client): add OTC =
//     the neighbor's AS.
[[nodiscard]] OtcIngress otc_ingress(wire::Role local, base::Asn remote,
                                     const std::optional<base::Asn>& otc) noexcept;

struct OtcEgress {
  // RFC 9234 §5: not to be sent to this neighbor (the route already has OTC and the neighbor
  // is a provider, a peer or an RS). Counted as an egress leak held back.
  bool leak = false;
  std::optional<base::Asn> add;  // the OTC to add (our AS), when the route has none
};

// RFC 9234 §5 egress, for a route to a neighbor to which our role is `local`, `own` being the AS
// the neighbor knows us by. The check of an OTC already present comes first, so a route without
// one sent to a lateral peer gets ours and goes:
//  - OTC present and the neighbor a provider, a peer or an RS (local customer, peer,
//    rs-client): not sent;
//  - no OTC and the neighbor a customer, a peer or an RS-client (local provider, peer, rs):
//    add OTC = our AS.
[[nodiscard]] OtcEgress otc_egress(wire::Role local, base::Asn own,
                                   const std::optional<base::Asn>& otc) noexcept;

}  // namespace bgpsecd::rib
