// SPDX-License-Identifier: BSD-2-Clause
#include "base/random_secret.hpp"

#include <algorithm>
#include <array>

#include <gtest/gtest.h>

#include "base/mix64.hpp"

namespace bgpsecd::base {
namespace {

// 37 octets: not a multiple of the clock fallback's 8-octet step, so the tail is covered too.
TEST(RandomSecret, FillsTheWholeBufferAndDiffersEachTime) {
  std::array<std::uint8_t, 37> first{};
  std::array<std::uint8_t, 37> second{};
  fill_random_secret(first);
  fill_random_secret(second);
  EXPECT_NE(first, second);
  // The chance that a fresh 8-octet tail is all zero is 2^-64.
  EXPECT_FALSE(std::all_of(first.end() - 8, first.end(), [](std::uint8_t o) { return o == 0; }));
}

TEST(RandomSecret, EmptyBufferIsFine) { fill_random_secret(std::span<std::uint8_t>()); }

TEST(Mix64, IsTheMurmur3Finaliser) {
  static_assert(mix64(0) == 0);
  // fmix64(1), worked out from the finaliser's definition (MurmurHash3, fmix64).
  EXPECT_EQ(mix64(1), 0xb456bcfc34c2cb2cULL);
}

}  // namespace
}  // namespace bgpsecd::base
