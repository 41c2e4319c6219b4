// SPDX-License-Identifier: BSD-2-Clause
// Header decoding (RFC 4271 §6.1, RFC 8654 §3), framing, and length patching.
#include "wire/header.hpp"

#include <string_view>

#include <gtest/gtest.h>

#include "base/hex.hpp"

namespace bgpsecd::wire {
namespace {

constexpr std::string_view kMarker = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";

base::Bytes header(std::uint16_t length, std::uint8_t type) {
  base::ByteWriter w;
  for (int i = 0; i < 16; ++i) {
    w.put_u8(0xFF);
  }
  w.put_u16(length);
  w.put_u8(type);
  return w.take();
}

void expect_error(const base::Result<MessageHeader, base::WireError>& r, std::uint8_t subcode,
                  std::uint32_t offset, std::uint32_t length) {
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().action, base::Action::SessionReset);
  EXPECT_EQ(r.error().code, base::notify::kMessageHeaderError);
  EXPECT_EQ(r.error().subcode, subcode);
  EXPECT_EQ(r.error().offset, offset);
  EXPECT_EQ(r.error().length, length);
}

TEST(Header, DecodesEachTypeAtItsMinimum) {
  const DecodeContext ctx;
  const struct {
    MessageType type;
    std::uint16_t min;
  } cases[] = {{MessageType::Open, 29},
               {MessageType::Update, 23},
               {MessageType::Notification, 21},
               {MessageType::Keepalive, 19},
               {MessageType::RouteRefresh, 23}};
  for (const auto& c : cases) {
    const auto bytes = header(c.min, static_cast<std::uint8_t>(c.type));
    const auto r = decode_header(bytes, ctx);
    ASSERT_TRUE(r.has_value()) << message_type_name(c.type);
    EXPECT_EQ(*r, (MessageHeader{c.min, c.type}));
  }
}

TEST(Header, Rfc4271Sec6_1_MarkerNotAllOnesIsConnectionNotSynchronized) {
  auto bytes = header(19, 4);
  bytes[7] = 0xFE;
  expect_error(decode_header(bytes, DecodeContext{}), 1, 0, 0);
}

TEST(Header, Rfc4271Sec6_1_LengthOutOfRangeIsBadMessageLength) {
  const DecodeContext plain;
  expect_error(decode_header(header(18, 4), plain), 2, 16, 2);
  expect_error(decode_header(header(0, 2), plain), 2, 16, 2);
  expect_error(decode_header(header(4097, 2), plain), 2, 16, 2);
  // Length is checked before the type, so an unknown type with a bad length is 1/2.
  expect_error(decode_header(header(18, 9), plain), 2, 16, 2);
}

TEST(Header, Rfc4271Sec6_1_LengthBelowTypeMinimumIsBadMessageLength) {
  const DecodeContext ctx;
  expect_error(decode_header(header(28, 1), ctx), 2, 16, 2);
  expect_error(decode_header(header(22, 2), ctx), 2, 16, 2);
  expect_error(decode_header(header(20, 3), ctx), 2, 16, 2);
  expect_error(decode_header(header(20, 4), ctx), 2, 16, 2);
  expect_error(decode_header(header(22, 5), ctx), 2, 16, 2);
}

TEST(Header, Rfc8654Sec3_ExtendedLimitExceptOpenAndKeepalive) {
  DecodeContext ext;
  ext.extended_messages = true;
  EXPECT_TRUE(decode_header(header(4097, 2), ext).has_value());
  EXPECT_TRUE(decode_header(header(65535, 2), ext).has_value());
  EXPECT_TRUE(decode_header(header(65535, 3), ext).has_value());
  EXPECT_TRUE(decode_header(header(4096, 1), ext).has_value());
  expect_error(decode_header(header(4097, 1), ext), 2, 16, 2);
  expect_error(decode_header(header(4097, 1), DecodeContext{}), 2, 16, 2);
  expect_error(decode_header(header(23, 4), ext), 2, 16, 2);
}

TEST(Header, Rfc4271Sec6_1_UnknownTypeIsBadMessageType) {
  expect_error(decode_header(header(19, 0), DecodeContext{}), 3, 18, 1);
  expect_error(decode_header(header(30, 6), DecodeContext{}), 3, 18, 1);
}

TEST(Header, ShortInputIsBadMessageLength) {
  const auto bytes = header(19, 4);
  expect_error(decode_header(std::span(bytes).first(18), DecodeContext{}), 2, 16, 2);
}

TEST(Header, FrameLengthWaitsForHeaderAndBody) {
  const DecodeContext ctx;
  auto buffer = header(23, 2);
  buffer.insert(buffer.end(), {0, 0, 0, 0, 0xFF, 0xFF});  // body + start of the next message
  EXPECT_EQ(frame_length(std::span(buffer).first(18), ctx).value(), 0U);
  EXPECT_EQ(frame_length(std::span(buffer).first(19), ctx).value(), 0U);
  EXPECT_EQ(frame_length(std::span(buffer).first(22), ctx).value(), 0U);
  EXPECT_EQ(frame_length(std::span(buffer).first(23), ctx).value(), 23U);
  EXPECT_EQ(frame_length(buffer, ctx).value(), 23U);
}

TEST(Header, FrameLengthRejectsBadHeaderBeforeTheBodyArrives) {
  auto buffer = header(4000, 2);
  buffer[0] = 0;
  const auto r = frame_length(buffer, DecodeContext{});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().subcode, 1);
}

TEST(Header, FinishMessagePatchesLength) {
  base::ByteWriter w;
  encode_header(w, MessageType::Update);
  w.put_u16(0);
  w.put_u16(0);
  const auto bytes = finish_message(w, EncodeContext{});
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  EXPECT_EQ(base::to_hex(*bytes), std::string(kMarker) + "00170200000000");
}

TEST(Header, Rfc8654Sec4_FinishMessageEnforcesLimitPerType) {
  const auto build = [](MessageType type, std::size_t body) {
    base::ByteWriter w;
    encode_header(w, type);
    for (std::size_t i = 0; i < body; ++i) {
      w.put_u8(0);
    }
    return w;
  };
  EncodeContext ext;
  ext.extended_messages = true;
  auto update = build(MessageType::Update, 4097 - 19);
  EXPECT_FALSE(finish_message(update, EncodeContext{}).has_value());
  const auto big = finish_message(update, ext);
  ASSERT_TRUE(big.has_value());
  EXPECT_EQ(big->size(), 4097U);
  auto open = build(MessageType::Open, 4097 - 19);
  EXPECT_FALSE(finish_message(open, ext).has_value());
  auto short_open = build(MessageType::Open, 9);
  EXPECT_FALSE(finish_message(short_open, ext).has_value());
}

}  // namespace
}  // namespace bgpsecd::wire
