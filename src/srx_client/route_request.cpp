// SPDX-License-Identifier: BSD-2-Clause
#include "srx_client/route_request.hpp"

#include <algorithm>

namespace bgpsecd::srx_client {

bool same_update(const RouteRequest& a, const RouteRequest& b) {
  return a.prefix == b.prefix && a.origin_as == b.origin_as && a.as_path == b.as_path &&
         a.bgpsec_attribute == b.bgpsec_attribute;
}

srx::VerifyRequestPdu verify_request(const RouteRequest& request, std::uint32_t token) {
  const auto undefined = static_cast<std::uint8_t>(srx::SrxResult::Undefined);
  srx::VerifyRequestPdu pdu;
  pdu.flags =
      static_cast<std::uint8_t>((request.wanted & srx::kValidationBits) | srx::kFlagReceipt);
  // Result sources: 0, the SRx server computes them.
  pdu.as_type = request.as_type;
  pdu.as_rel_type = request.as_rel_type;
  pdu.roa_default = undefined;
  pdu.bgpsec_default = undefined;
  pdu.aspa_default = undefined;
  pdu.prefix_length = request.prefix.length();
  pdu.request_token = token;
  pdu.prefix_address = request.prefix.address();
  pdu.origin_as = request.origin_as;
  pdu.sca_afi = static_cast<std::uint16_t>(request.prefix.afi());
  pdu.sca_safi = base::kSafiUnicast;
  pdu.sca_length = request.prefix.length();
  const auto octets = request.prefix.address().octets();
  std::copy(octets.begin(), octets.end(), pdu.sca_address.begin());
  pdu.local_as = request.local_as;
  pdu.as_path = request.as_path;
  pdu.bgpsec_attribute = request.bgpsec_attribute;
  return pdu;
}

}  // namespace bgpsecd::srx_client
