// SPDX-License-Identifier: BSD-2-Clause
#include "rib/otc.hpp"

namespace bgpsecd::rib {

OtcIngress otc_ingress(wire::Role local, base::Asn remote,
                       const std::optional<base::Asn>& otc) noexcept {
  using wire::Role;
  OtcIngress out;
  if (otc) {
    // RFC 9234 §5 ingress 1: a customer or RS-client never passes on a route marked for
    // customers only. Ingress 2: a lateral peer may only send OTC carrying its own AS.
    out.leak =
        local == Role::Provider || local == Role::Rs || (local == Role::Peer && *otc != remote);
    return out;
  }
  // RFC 9234 §5 ingress 3: a route from a provider, a lateral peer or an RS may go to our
  // customers only; mark it with the AS it came from.
  if (local == Role::Customer || local == Role::Peer || local == Role::RsClient) {
    out.add = remote;
  }
  return out;
}

OtcEgress otc_egress(wire::Role local, base::Asn own,
                     const std::optional<base::Asn>& otc) noexcept {
  using wire::Role;
  OtcEgress out;
  if (otc) {
    // RFC 9234 §5 egress: "If a route already contains the OTC Attribute, it MUST NOT be
    // propagated to Providers, Peers, or RSes."
    out.leak = local == Role::Customer || local == Role::Peer || local == Role::RsClient;
    return out;
  }
  // RFC 9234 §5 egress: to a customer, a lateral peer or an RS-client the route goes marked
  // with our AS, so that none of them passes it up or sideways.
  if (local == Role::Provider || local == Role::Peer || local == Role::Rs) {
    out.add = own;
  }
  return out;
}

}  // namespace bgpsecd::rib
