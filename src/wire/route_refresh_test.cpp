// SPDX-License-Identifier: BSD-2-Clause
// ROUTE-REFRESH codec (RFC 2918, RFC 7313).
#include "wire/route_refresh.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/hex.hpp"
#include "wire/header.hpp"
#include "wire/notification.hpp"

namespace bgpsecd::wire {
namespace {

constexpr std::string_view kMarker = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";

base::Bytes h(std::string_view hex) { return base::from_hex(hex).value(); }

void round_trip(std::string_view body_hex, const RouteRefreshMessage& value) {
  const auto decoded = decode_route_refresh(h(body_hex));
  ASSERT_TRUE(decoded.has_value()) << body_hex;
  EXPECT_EQ(*decoded, value);
  EXPECT_EQ(base::to_hex(encode_route_refresh(value)),
            std::string(kMarker) + "001705" + base::to_hex(h(body_hex)));
}

TEST(RouteRefresh, Rfc2918Request) { round_trip("00010001", RouteRefreshMessage{1, 0, 1}); }

TEST(RouteRefresh, Rfc7313Sec3_2_BorrAndEorr) {
  round_trip("00020101", RouteRefreshMessage{2, RouteRefreshMessage::kBorr, 1});
  round_trip("00010201", RouteRefreshMessage{1, RouteRefreshMessage::kEorr, 1});
}

TEST(RouteRefresh, Rfc7313Sec5_UnknownSubtypeKeptForTheSessionToIgnore) {
  round_trip("00010701", RouteRefreshMessage{1, 7, 1});
}

TEST(RouteRefresh, Rfc7313Sec5_WrongLengthIsInvalidMessageLength) {
  const auto message = h(std::string(kMarker) +
                         "001805"
                         "0001000100");
  const auto r = decode_route_refresh(std::span(message).subspan(kHeaderSize));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().action, base::Action::SessionReset);
  EXPECT_EQ(r.error().code, 7);
  EXPECT_EQ(r.error().subcode, 1);
  EXPECT_EQ(r.error().offset, 0U);
  EXPECT_EQ(r.error().length, 24U);
  // The NOTIFICATION data is the complete ROUTE-REFRESH message.
  EXPECT_EQ(notification_from_error(r.error(), message).data, message);
  const auto short_body = decode_route_refresh(h("000100"));
  ASSERT_FALSE(short_body.has_value());
  EXPECT_EQ(short_body.error().subcode, 1);
  EXPECT_EQ(short_body.error().length, 22U);
}

TEST(RouteRefresh, Json) {
  EXPECT_EQ(to_json(RouteRefreshMessage{2, 1, 1}), nlohmann::json::parse(R"({
      "type":"ROUTE-REFRESH","afi":"ipv6","safi":"unicast","subtype":1,
      "subtype_name":"borr"})"));
  EXPECT_EQ(to_json(RouteRefreshMessage{25, 0, 70}), nlohmann::json::parse(R"({
      "type":"ROUTE-REFRESH","afi":25,"safi":70,"subtype":0,"subtype_name":"request"})"));
}

}  // namespace
}  // namespace bgpsecd::wire
