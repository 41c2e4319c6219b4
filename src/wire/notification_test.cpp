// SPDX-License-Identifier: BSD-2-Clause
// NOTIFICATION codec, names, WireError -> NOTIFICATION, JSON.
#include "wire/notification.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/hex.hpp"
#include "wire/header.hpp"

namespace bgpsecd::wire {
namespace {

constexpr std::string_view kMarker = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";

base::Bytes h(std::string_view hex) { return base::from_hex(hex).value(); }

// Cease / Administrative Shutdown with the RFC 9003 communication "hello".
constexpr std::string_view kShutdown =
    "001B03"
    "0602"
    "0568656C6C6F";

TEST(Notification, CeaseWithShutdownCommunicationBothWays) {
  const auto whole = h(std::string(kMarker) + std::string(kShutdown));
  const auto decoded = decode_notification(std::span(whole).subspan(kHeaderSize));
  ASSERT_TRUE(decoded.has_value());
  const NotificationMessage expected{6, 2, h("0568656C6C6F")};
  EXPECT_EQ(*decoded, expected);
  EXPECT_EQ(base::to_hex(encode_notification(expected, EncodeContext{})), base::to_hex(whole));
}

TEST(Notification, EmptyDataBothWays) {
  const NotificationMessage hold{4, 0, {}};
  const auto bytes = encode_notification(hold, EncodeContext{});
  EXPECT_EQ(base::to_hex(bytes), std::string(kMarker) + "0015030400");
  const auto decoded = decode_notification(std::span(bytes).subspan(kHeaderSize));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, hold);
}

TEST(Notification, Rfc4271Sec6_1_ShortBodyIsBadMessageLength) {
  const auto r = decode_notification(h("06"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, 1);
  EXPECT_EQ(r.error().subcode, 2);
  EXPECT_EQ(r.error().offset, 16U);
  EXPECT_EQ(r.error().length, 2U);
}

TEST(Notification, Rfc8654_DataCutToFitTheLimit) {
  const NotificationMessage big{3, 1, base::Bytes(5000, 0x5A)};
  EXPECT_EQ(encode_notification(big, EncodeContext{}).size(), 4096U);
  EncodeContext ext;
  ext.extended_messages = true;
  const auto bytes = encode_notification(big, ext);
  EXPECT_EQ(bytes.size(), 21U + 5000);
  const auto decoded = decode_notification(std::span(bytes).subspan(kHeaderSize));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, big);
}

TEST(Notification, Names) {
  EXPECT_STREQ(notification_code_name(1), "Message Header Error");
  EXPECT_STREQ(notification_code_name(6), "Cease");
  EXPECT_STREQ(notification_code_name(7), "ROUTE-REFRESH Message Error");
  EXPECT_STREQ(notification_code_name(8), "Unknown");
  EXPECT_STREQ(notification_subcode_name(1, 2), "Bad Message Length");
  EXPECT_STREQ(notification_subcode_name(2, 0), "Unspecific");
  EXPECT_STREQ(notification_subcode_name(2, 7), "Unsupported Capability");
  EXPECT_STREQ(notification_subcode_name(2, 11), "Role Mismatch");
  EXPECT_STREQ(notification_subcode_name(3, 11), "Malformed AS_PATH");
  EXPECT_STREQ(notification_subcode_name(5, 0), "Unspecified Error");
  EXPECT_STREQ(notification_subcode_name(5, 2), "Receive Unexpected Message in OpenConfirm State");
  EXPECT_STREQ(notification_subcode_name(6, 1), "Maximum Number of Prefixes Reached");
  EXPECT_STREQ(notification_subcode_name(6, 8), "Out of Resources");
  EXPECT_STREQ(notification_subcode_name(6, 9), "Hard Reset");
  EXPECT_STREQ(notification_subcode_name(7, 1), "Invalid Message Length");
  EXPECT_STREQ(notification_subcode_name(6, 10), "Unknown");
  EXPECT_STREQ(notification_subcode_name(3, 12), "Unknown");
}

TEST(Notification, FromErrorSlicesTheBadBytes) {
  const auto message = h(std::string(kMarker) + "10000600");
  const base::WireError bad_length{base::Action::SessionReset, 1, 2, 16, 2, "", 0};
  const auto n = notification_from_error(bad_length, message);
  EXPECT_EQ(n, (NotificationMessage{1, 2, h("1000")}));
  // Clipped to the message; an offset past the end gives no data.
  const base::WireError past{base::Action::SessionReset, 3, 1, 17, 100, "", 0};
  EXPECT_EQ(notification_from_error(past, message).data, h("000600"));
  const base::WireError beyond{base::Action::SessionReset, 3, 1, 40, 2, "", 0};
  EXPECT_TRUE(notification_from_error(beyond, message).data.empty());
}

TEST(Notification, Json) {
  EXPECT_EQ(to_json(NotificationMessage{6, 2, h("0568656C6C6F")}), nlohmann::json::parse(R"({
      "type":"NOTIFICATION","code":6,"code_name":"Cease","subcode":2,
      "subcode_name":"Administrative Shutdown","data":"0568656C6C6F",
      "shutdown_communication":"hello"})"));
  EXPECT_EQ(to_json(NotificationMessage{1, 3, h("09")}), nlohmann::json::parse(R"({
      "type":"NOTIFICATION","code":1,"code_name":"Message Header Error","subcode":3,
      "subcode_name":"Bad Message Type","data":"09"})"));
  // Not shown when the length octet disagrees or the text is not printable ASCII.
  EXPECT_FALSE(
      to_json(NotificationMessage{6, 4, h("0568656C6C")}).contains("shutdown_communication"));
  EXPECT_FALSE(to_json(NotificationMessage{6, 4, h("02C3A9")}).contains("shutdown_communication"));
}

}  // namespace
}  // namespace bgpsecd::wire
