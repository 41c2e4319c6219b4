// SPDX-License-Identifier: BSD-2-Clause
#include "base/latency_histogram.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::base {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(LatencyHistogram, EmptyHasNoMean) {
  const LatencyHistogram h;
  EXPECT_EQ(h.count(), 0U);
  EXPECT_EQ(h.mean_seconds(), 0.0);
  EXPECT_EQ(h.at_or_below(LatencyHistogram::kBounds.size() - 1), 0U);
}

TEST(LatencyHistogram, BucketsAreCumulativeAndBoundsInclusive) {
  LatencyHistogram h;
  h.observe(microseconds(500));     // <= 1 ms
  h.observe(milliseconds(1));       // exactly the bound: still the 1 ms bucket (le)
  h.observe(milliseconds(3));       // <= 5 ms
  h.observe(milliseconds(200));     // <= 250 ms
  h.observe(seconds(30));           // only +Inf
  EXPECT_EQ(h.at_or_below(0), 2U);  // le 0.001
  EXPECT_EQ(h.at_or_below(1), 2U);  // le 0.0025
  EXPECT_EQ(h.at_or_below(2), 3U);  // le 0.005
  EXPECT_EQ(h.at_or_below(7), 4U);  // le 0.25
  EXPECT_EQ(h.at_or_below(LatencyHistogram::kBounds.size() - 1), 4U);  // le 10
  EXPECT_EQ(h.count(), 5U);
  EXPECT_NEAR(h.sum_seconds(), 30.2045, 1e-9);
  EXPECT_NEAR(h.mean_seconds(), 30.2045 / 5, 1e-9);
}

TEST(LatencyHistogram, NegativeDurationCountsAsZero) {
  LatencyHistogram h;
  h.observe(milliseconds(-5));
  EXPECT_EQ(h.at_or_below(0), 1U);
  EXPECT_EQ(h.sum_seconds(), 0.0);
}

}  // namespace
}  // namespace bgpsecd::base
