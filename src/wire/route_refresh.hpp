// SPDX-License-Identifier: BSD-2-Clause
// The ROUTE-REFRESH message (RFC 2918 §3) with the Enhanced Route Refresh subtypes of
// RFC 7313 §3.2 (BoRR / EoRR demarcation).
#pragma once

#include <cstdint>
#include <span>

#include <nlohmann/json_fwd.hpp>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"

namespace bgpsecd::wire {

struct RouteRefreshMessage {
  static constexpr std::uint8_t kRequest = 0;  // RFC 2918 normal request
  static constexpr std::uint8_t kBorr = 1;     // RFC 7313 Beginning of Route Refresh
  static constexpr std::uint8_t kEorr = 2;     // RFC 7313 End of Route Refresh
  std::uint16_t afi = 1;
  std::uint8_t subtype = kRequest;  // other values are kept; RFC 7313 §5 says ignore them
  std::uint8_t safi = 1;
  friend bool operator==(const RouteRefreshMessage&, const RouteRefreshMessage&) = default;
};

// Decodes a body (after the header). RFC 7313 §5: a body that is not exactly 4 octets is a
// ROUTE-REFRESH Message Error / Invalid Message Length (7/1), SessionReset, whose data is the
// complete message (offset 0, length 19 + body size). RFC 7313 words this for subtypes 1 and
// 2; it is applied to every subtype here, since no subtype has another layout.
[[nodiscard]] base::Result<RouteRefreshMessage, base::WireError> decode_route_refresh(
    std::span<const std::uint8_t> body) noexcept;

// The 23-octet message.
[[nodiscard]] base::Bytes encode_route_refresh(const RouteRefreshMessage& m);

// {"type":"ROUTE-REFRESH","afi":"ipv4","safi":"unicast","subtype":0,"subtype_name":"request"}
[[nodiscard]] nlohmann::json to_json(const RouteRefreshMessage& m);

}  // namespace bgpsecd::wire
