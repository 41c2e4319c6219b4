// SPDX-License-Identifier: BSD-2-Clause
// Whole-message decoding and encoding across all types, and the JSON view.
#include "wire/message.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/hex.hpp"

namespace bgpsecd::wire {
namespace {

constexpr std::string_view kMarker = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";

base::Bytes msg(std::string_view without_marker) {
  return base::from_hex(std::string(kMarker) + std::string(without_marker)).value();
}

Message decode_ok(const base::Bytes& bytes, const DecodeContext& ctx = DecodeContext{}) {
  auto r = decode_message(bytes, ctx);
  EXPECT_TRUE(r.has_value()) << base::to_hex(bytes) << ": " << (r ? "" : r.error().what);
  return r ? std::move(r).value() : Message{KeepaliveMessage{}};
}

void expect_re_encodes(const Message& m, const base::Bytes& bytes) {
  const auto encoded = encode_message(m, EncodeContext{});
  ASSERT_TRUE(encoded.has_value()) << encoded.error().message;
  EXPECT_EQ(base::to_hex(*encoded), base::to_hex(bytes));
}

TEST(Message, Keepalive) {
  const auto bytes = msg("001304");
  const auto m = decode_ok(bytes);
  EXPECT_EQ(message_type(m), MessageType::Keepalive);
  EXPECT_TRUE(std::holds_alternative<KeepaliveMessage>(m));
  expect_re_encodes(m, bytes);
  EXPECT_EQ(message_to_json(m), nlohmann::json::parse(R"({"type":"KEEPALIVE"})"));
}

TEST(Message, Open) {
  const auto bytes =
      msg("00250104FDE8005AC0000201"
          "08"
          "02020200"
          "02024600");
  const auto m = decode_ok(bytes);
  ASSERT_EQ(message_type(m), MessageType::Open);
  const auto& open = std::get<OpenMessage>(m);
  EXPECT_EQ(open.my_as, 65000);
  EXPECT_EQ(open.capabilities.size(), 2U);
  expect_re_encodes(m, msg("00230104FDE8005AC0000201"
                           "06"
                           "020402004600"));
  EXPECT_EQ(message_to_json(m).at("type"), "OPEN");
}

TEST(Message, Notification) {
  const auto bytes =
      msg("0017030602"
          "0100");
  const auto m = decode_ok(bytes);
  ASSERT_EQ(message_type(m), MessageType::Notification);
  EXPECT_EQ(std::get<NotificationMessage>(m), (NotificationMessage{6, 2, {0x01, 0x00}}));
  expect_re_encodes(m, bytes);
  EXPECT_EQ(message_to_json(m).at("subcode_name"), "Administrative Shutdown");
}

TEST(Message, RouteRefresh) {
  const auto bytes = msg("00170500020201");
  const auto m = decode_ok(bytes);
  ASSERT_EQ(message_type(m), MessageType::RouteRefresh);
  EXPECT_EQ(std::get<RouteRefreshMessage>(m), (RouteRefreshMessage{2, 2, 1}));
  expect_re_encodes(m, bytes);
}

TEST(Message, Rfc4724Sec2_UpdateEndOfRib) {
  const auto bytes = msg("00170200000000");
  const auto m = decode_ok(bytes);
  ASSERT_EQ(message_type(m), MessageType::Update);
  const auto& decoded = std::get<DecodedUpdate>(m);
  EXPECT_FALSE(decoded.has_errors());
  EXPECT_EQ(decoded.update, make_end_of_rib(base::Afi::Ipv4));
  expect_re_encodes(m, bytes);
  const auto j = message_to_json(m);
  EXPECT_EQ(j.at("type"), "UPDATE");
  EXPECT_FALSE(j.contains("errors"));
}

TEST(Message, Rfc4271Sec6_1_HeaderErrorsPassThrough) {
  auto bad_marker = msg("001304");
  bad_marker[0] = 0;
  const auto r1 = decode_message(bad_marker, DecodeContext{});
  ASSERT_FALSE(r1.has_value());
  EXPECT_EQ(r1.error().subcode, 1);
  const auto r2 = decode_message(msg("001309"), DecodeContext{});
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(r2.error().subcode, 3);
  EXPECT_EQ(notification_from_error(r2.error(), msg("001309")).data, base::Bytes{0x09});
  const auto r3 = decode_message(msg("001404"
                                     "00"),
                                 DecodeContext{});
  ASSERT_FALSE(r3.has_value());
  EXPECT_EQ(r3.error().subcode, 2);
  EXPECT_EQ(notification_from_error(r3.error(), msg("001404"
                                                    "00"))
                .data,
            (base::Bytes{0x00, 0x14}));
}

TEST(Message, Rfc4271Sec6_1_LengthMustMatchTheFramedBytes) {
  for (const auto* hex : {"001404", "0017050001000100", "001705000100"}) {
    const auto r = decode_message(msg(hex), DecodeContext{});
    ASSERT_FALSE(r.has_value()) << hex;
    EXPECT_EQ(r.error().code, 1) << hex;
    EXPECT_EQ(r.error().subcode, 2) << hex;
    EXPECT_EQ(r.error().offset, 16U) << hex;
  }
  const auto truncated = msg("0013");
  EXPECT_FALSE(decode_message(truncated, DecodeContext{}).has_value());
}

TEST(Message, CodecErrorsKeepMessageOffsets) {
  const auto bytes = msg("001D0104FDE80001C000020100");  // hold time 1
  const auto r = decode_message(bytes, DecodeContext{});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, 2);
  EXPECT_EQ(r.error().subcode, 6);
  EXPECT_EQ(notification_from_error(r.error(), bytes).data, (base::Bytes{0x00, 0x01}));
  const auto rr = msg("00180500010001FF");
  const auto r2 = decode_message(rr, DecodeContext{});
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(r2.error().code, 7);
  EXPECT_EQ(notification_from_error(r2.error(), rr).data, rr);
}

}  // namespace
}  // namespace bgpsecd::wire
