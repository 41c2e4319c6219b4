// SPDX-License-Identifier: BSD-2-Clause
// SRx proxy stream framing: PDUs split across reads, several PDUs in one read, and the sticky
// error for a length the stream cannot be framed past.
#include "srx/framer.hpp"

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "wire/update_test_util.hpp"

namespace bgpsecd::srx {
namespace {

using wire::test::hex;

constexpr std::string_view kHello = "00 0003 00 00000000 00000014 7f000028 0000fde8";
constexpr std::string_view kGoodbye = "02 0384 00 00000000 0000000c";

TEST(SrxFramer, PduArrivingOneByteAtATime) {
  SrxFramer framer;
  const auto bytes = hex(kHello);
  for (std::size_t i = 0; i + 1 < bytes.size(); ++i) {
    framer.append(std::span(bytes).subspan(i, 1));
    auto next = framer.next();
    ASSERT_TRUE(next.has_value());
    EXPECT_FALSE(next->has_value()) << "a PDU handed out after " << i + 1 << " bytes";
  }
  framer.append(std::span(bytes).last(1));
  auto next = framer.next();
  ASSERT_TRUE(next.has_value() && next->has_value());
  EXPECT_EQ(**next, bytes);
  EXPECT_EQ(framer.buffered(), 0U);
}

TEST(SrxFramer, SeveralPdusInOneRead) {
  SrxFramer framer;
  auto stream = hex(kHello);
  const auto goodbye = hex(kGoodbye);
  stream.insert(stream.end(), goodbye.begin(), goodbye.end());
  stream.push_back(0x06);  // the first byte of a third PDU
  framer.append(stream);
  auto first = framer.next();
  ASSERT_TRUE(first.has_value() && first->has_value());
  EXPECT_EQ(**first, hex(kHello));
  auto second = framer.next();
  ASSERT_TRUE(second.has_value() && second->has_value());
  EXPECT_EQ(**second, goodbye);
  auto third = framer.next();
  ASSERT_TRUE(third.has_value());
  EXPECT_FALSE(third->has_value());
  EXPECT_EQ(framer.buffered(), 1U);
}

TEST(SrxFramer, LengthBelowTheHeaderIsAStickyError) {
  SrxFramer framer;
  framer.append(hex("02 0000 00 00000000 00000008"));
  auto next = framer.next();
  ASSERT_FALSE(next.has_value());
  EXPECT_EQ(next.error().code, SrxErrorCode::InvalidPacket);
  framer.append(hex(kGoodbye));
  EXPECT_FALSE(framer.next().has_value());  // the stream has lost its boundaries
}

TEST(SrxFramer, LengthAboveTheMaximumIsRefusedBeforeTheBodyArrives) {
  SrxFramer framer;
  framer.append(hex("03 830101 01000200 00050044"));
  auto next = framer.next();
  ASSERT_FALSE(next.has_value());
  EXPECT_EQ(next.error().code, SrxErrorCode::InvalidPacket);
}

TEST(SrxFramer, UnknownTypeIsFramedAndLeftToTheDecoder) {
  SrxFramer framer;
  framer.append(hex("0d 000000 00000000 0000000c"));
  auto next = framer.next();
  ASSERT_TRUE(next.has_value() && next->has_value());
  EXPECT_EQ(decode_srx_pdu(**next).error().code, SrxErrorCode::InvalidPacket);
}

}  // namespace
}  // namespace bgpsecd::srx
