// SPDX-License-Identifier: BSD-2-Clause
// The per-peer log rate limit (docs/style.md §2.13).
#include "daemon/rate_limit.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::daemon {
namespace {

using namespace std::chrono_literals;

TEST(RateLimit, BurstThenOneLinePerInterval) {
  RateLimit limit(3, 10s);
  const RateLimit::Clock::time_point t0{1000s};
  EXPECT_TRUE(limit.allow(t0));
  EXPECT_TRUE(limit.allow(t0));
  EXPECT_TRUE(limit.allow(t0));
  EXPECT_FALSE(limit.allow(t0));
  EXPECT_FALSE(limit.allow(t0 + 9s));
  EXPECT_TRUE(limit.allow(t0 + 10s));
  EXPECT_FALSE(limit.allow(t0 + 11s));
  // A long quiet spell refills to the burst, not beyond it.
  const auto later = t0 + 1000s;
  EXPECT_TRUE(limit.allow(later));
  EXPECT_TRUE(limit.allow(later));
  EXPECT_TRUE(limit.allow(later));
  EXPECT_FALSE(limit.allow(later));
}

TEST(RateLimit, TimeGoingBackwardsChangesNothing) {
  RateLimit limit(1, 10s);
  const RateLimit::Clock::time_point t0{1000s};
  EXPECT_TRUE(limit.allow(t0));
  EXPECT_FALSE(limit.allow(t0 - 100s));
  EXPECT_TRUE(limit.allow(t0 + 10s));
}

}  // namespace
}  // namespace bgpsecd::daemon
