// SPDX-License-Identifier: BSD-2-Clause
#include "base/byte_reader.hpp"

#include <array>

#include <gtest/gtest.h>

namespace bgpsecd::base {
namespace {

TEST(ByteReader, ReadsBigEndianAndTracksOffset) {
  const std::array<std::uint8_t, 7> bytes{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
  ByteReader r(bytes, 100);
  std::uint8_t a = 0;
  std::uint16_t b = 0;
  std::uint32_t c = 0;
  ASSERT_TRUE(r.read_u8(a));
  ASSERT_TRUE(r.read_u16(b));
  EXPECT_EQ(r.offset(), 103U);
  ASSERT_TRUE(r.read_u32(c));
  EXPECT_EQ(a, 0x01);
  EXPECT_EQ(b, 0x0203);
  EXPECT_EQ(c, 0x04050607U);
  EXPECT_TRUE(r.empty());
}

TEST(ByteReader, ShortReadFailsAndChangesNothing) {
  const std::array<std::uint8_t, 3> bytes{0xAA, 0xBB, 0xCC};
  ByteReader r(bytes);
  std::uint32_t v = 0x12345678;
  EXPECT_FALSE(r.read_u32(v));
  EXPECT_EQ(v, 0x12345678U);
  EXPECT_EQ(r.remaining(), 3U);
  std::span<const std::uint8_t> s;
  EXPECT_FALSE(r.read_bytes(4, s));
  EXPECT_FALSE(r.skip(4));
  ByteReader sub;
  EXPECT_FALSE(r.sub(4, sub));
  EXPECT_EQ(r.offset(), 0U);
}

TEST(ByteReader, SubReaderIsConfinedAndKeepsMessageOffsets) {
  const std::array<std::uint8_t, 6> bytes{0x00, 0x02, 0xAA, 0xBB, 0xCC, 0xDD};
  ByteReader r(bytes);
  std::uint16_t len = 0;
  ASSERT_TRUE(r.read_u16(len));
  ByteReader body;
  ASSERT_TRUE(r.sub(len, body));
  EXPECT_EQ(body.offset(), 2U);
  std::uint32_t v = 0;
  EXPECT_FALSE(body.read_u32(v));  // a lying inner length cannot spill into the next field
  std::uint16_t w = 0;
  ASSERT_TRUE(body.read_u16(w));
  EXPECT_EQ(w, 0xAABB);
  EXPECT_TRUE(body.empty());
  EXPECT_EQ(r.remaining(), 2U);
  EXPECT_EQ(r.offset(), 4U);
}

TEST(ByteReader, ReadIntoCopiesExactly) {
  const std::array<std::uint8_t, 4> bytes{1, 2, 3, 4};
  ByteReader r(bytes);
  std::array<std::uint8_t, 3> out{};
  ASSERT_TRUE(r.read_into(out));
  EXPECT_EQ(out, (std::array<std::uint8_t, 3>{1, 2, 3}));
  std::array<std::uint8_t, 2> more{};
  EXPECT_FALSE(r.read_into(more));
  std::uint64_t big = 0;
  EXPECT_FALSE(r.read_u64(big));
}

}  // namespace
}  // namespace bgpsecd::base
