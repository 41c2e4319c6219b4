// SPDX-License-Identifier: BSD-2-Clause
// ROUTE-REFRESH codec (RFC 2918 §3, RFC 7313 §3.2 and §5).
#include "wire/route_refresh.hpp"

#include <utility>

#include <nlohmann/json.hpp>

#include "base/byte_reader.hpp"
#include "base/byte_writer.hpp"
#include "base/check.hpp"
#include "wire/capability.hpp"
#include "wire/header.hpp"

namespace bgpsecd::wire {
namespace {

const char* subtype_name(std::uint8_t subtype) noexcept {
  switch (subtype) {
    case RouteRefreshMessage::kRequest:
      return "request";
    case RouteRefreshMessage::kBorr:
      return "borr";
    case RouteRefreshMessage::kEorr:
      return "eorr";
    default:
      return "unknown";
  }
}

}  // namespace

base::Result<RouteRefreshMessage, base::WireError> decode_route_refresh(
    std::span<const std::uint8_t> body) noexcept {
  base::ByteReader r(body, kHeaderSize);
  RouteRefreshMessage m;
  // RFC 7313 §5: the body is exactly AFI (2), subtype (1), SAFI (1); otherwise Invalid
  // Message Length with the complete message as data.
  if (!r.read_u16(m.afi) || !r.read_u8(m.subtype) || !r.read_u8(m.safi) || !r.empty()) {
    return base::fail(base::WireError{base::Action::SessionReset, base::notify::kRouteRefreshError,
                                      1, 0, static_cast<std::uint32_t>(kHeaderSize + body.size()),
                                      "ROUTE-REFRESH body is not 4 octets", 0});
  }
  return m;
}

base::Bytes encode_route_refresh(const RouteRefreshMessage& m) {
  base::ByteWriter w;
  encode_header(w, MessageType::RouteRefresh);
  w.put_u16(m.afi);
  w.put_u8(m.subtype);
  w.put_u8(m.safi);
  auto bytes = finish_message(w, EncodeContext{});
  // Always 23 octets, within every limit.
  BGPSEC_CHECK(bytes.has_value(), "ROUTE-REFRESH does not fit");
  return std::move(bytes).value();
}

nlohmann::json to_json(const RouteRefreshMessage& m) {
  return nlohmann::json{{"type", "ROUTE-REFRESH"},
                        {"afi", afi_json_name(m.afi)},
                        {"safi", safi_json_name(m.safi)},
                        {"subtype", m.subtype},
                        {"subtype_name", subtype_name(m.subtype)}};
}

}  // namespace bgpsecd::wire
