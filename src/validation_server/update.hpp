// SPDX-License-Identifier: BSD-2-Clause
// The validation server's data model (bgpsecvd, RFC 8374 §9.3): what a router's SRx proxy hands
// over in a VERIFY request, held once per update ID however many routers hold it, and the three
// results the server keeps for it. The store (update_store.hpp), the conversation with one
// proxy (conversation.hpp) and the validation of an update (update_validation.hpp) all speak
// these types.
#pragma once

#include <cstdint>
#include <vector>

#include "base/bytes.hpp"
#include "base/prefix.hpp"
#include "srx/pdu.hpp"
#include "srx/results.hpp"

namespace bgpsecd::validation_server {

// The result types and results are the protocol's, shared with the proxy side (srx/results.hpp).
using srx::kResultTypes;
using srx::kValidationBits;
using srx::result_index;
using srx::result_of;
using srx::ResultType;
using srx::UpdateResults;

// What validation needs from a VERIFY request, taken from the PDU once at the request that
// stored the update. The prefix is the header's (host bits cleared); SRx's SCA prefix is not
// used (QuaggaSRx sends zeros there).
struct UpdateContent {
  base::Prefix prefix;
  std::uint32_t origin_as = 0;
  std::vector<std::uint32_t> as_path;  // AS_PATH order, origin last, as the proxy sent it
  std::uint8_t as_type = 0;            // 1 AS_SET, 2 AS_SEQUENCE, 3/4 confederation (RFC 5065)
  std::uint8_t as_rel_type = 0;        // 0 unknown, 1 customer, 2 provider, 3 sibling, 4 lateral
  // The whole BGPsec_PATH attribute (flags, type, length, value); empty for an unsigned route.
  base::Bytes bgpsec_attribute;
  // The AS the newest signature must name as its Target AS: the request's local AS, or the
  // proxy's HELLO AS when the request carries 0 (QuaggaSRx does for unsigned routes and in its
  // IPv6 layout).
  std::uint32_t local_as = 0;
  std::uint8_t safi = base::kSafiUnicast;
};

}  // namespace bgpsecd::validation_server
