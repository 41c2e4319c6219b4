// SPDX-License-Identifier: BSD-2-Clause
// What a BGP speaker asks an SRx server about one route, and the VERIFY request that carries it
// (docs/srx-proxy.md §2, VERIFY_V4_REQUEST and VERIFY_V6_REQUEST).
#pragma once

#include <cstdint>
#include <vector>

#include "base/bytes.hpp"
#include "base/prefix.hpp"
#include "srx/pdu.hpp"
#include "srx/results.hpp"

namespace bgpsecd::srx_client {

// A speaker's name for a route (for example its neighbor, prefix and path ID packed into one
// number). The proxy only compares keys; several keys may name the same update.
using RouteKey = std::uint64_t;

struct RouteRequest {
  base::Prefix prefix;
  std::uint32_t origin_as = 0;
  std::vector<std::uint32_t> as_path;  // AS_PATH order, origin last
  // The whole BGPsec_PATH attribute as received (flags, type, length, value); empty when the
  // route came unsigned.
  base::Bytes bgpsec_attribute;
  // Which results are wanted: srx::kFlagOrigin | kFlagPath | kFlagAspa.
  std::uint8_t wanted = srx::kFlagOrigin | srx::kFlagPath;
  // What the speaker uses until the server's result arrives. These stay with the proxy: on the
  // wire every default is 3 (undefined), so a value in a receipt other than 3 is always a
  // result the server holds, never our default echoed (docs/srx-proxy.md §7.2).
  srx::UpdateResults defaults;
  // The AS the newest signature must target (the speaker's own AS); 0: the HELLO's AS.
  std::uint32_t local_as = 0;
  std::uint8_t as_type = 2;  // AS_SEQUENCE (RFC 5065 segment codes)
  std::uint8_t as_rel_type = 0;
  friend bool operator==(const RouteRequest&, const RouteRequest&) = default;
};

// Two requests the server takes for one update (srx::UpdateKey: origin AS, prefix, AS path and
// attribute), whatever results they want.
[[nodiscard]] bool same_update(const RouteRequest& a, const RouteRequest& b);

// The VERIFY request for `request` with the receipt bit set and `token`: VERIFY_V4 for an IPv4
// prefix, VERIFY_V6 (standard layout) otherwise. The SCA prefix names the route's prefix with
// AFI and SAFI 1 (unicast).
[[nodiscard]] srx::VerifyRequestPdu verify_request(const RouteRequest& request,
                                                   std::uint32_t token);

}  // namespace bgpsecd::srx_client
