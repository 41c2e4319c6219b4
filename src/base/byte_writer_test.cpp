// SPDX-License-Identifier: BSD-2-Clause
#include "base/byte_writer.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::base {
namespace {

TEST(ByteWriter, WritesBigEndianAndPatchesLengths) {
  ByteWriter w;
  w.put_u8(0x90);
  const auto slot = w.reserve_u16();
  w.put_u32(0x01020304);
  w.put_u16(0xA0B0);
  w.fill_u16(slot, static_cast<std::uint16_t>(w.since(slot, 2)));
  EXPECT_EQ(w.bytes(), (Bytes{0x90, 0x00, 0x06, 0x01, 0x02, 0x03, 0x04, 0xA0, 0xB0}));
  const auto s8 = w.reserve_u8();
  w.put_u8(7);
  w.fill_u8(s8, static_cast<std::uint8_t>(w.since(s8, 1)));
  EXPECT_EQ(w.size(), 11U);
  EXPECT_EQ(w.bytes()[9], 1);
  w.put_u64(0x1122334455667788ULL);
  EXPECT_EQ(w.bytes().back(), 0x88);
}

}  // namespace
}  // namespace bgpsecd::base
