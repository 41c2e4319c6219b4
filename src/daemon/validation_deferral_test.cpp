// SPDX-License-Identifier: BSD-2-Clause
// [bgpsec] defer_when_queued (RFC 8374 §8.7): which received routes are installed deferred, and
// how many deferred routes go to the workers once the queue has room.
#include "daemon/validation_deferral.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::daemon {
namespace {

TEST(ValidationDeferral, UnsetNeverDefers) {
  EXPECT_FALSE(defer_validation(std::nullopt, 0, true));
  EXPECT_FALSE(defer_validation(std::nullopt, 1'000'000, true));
}

TEST(ValidationDeferral, ZeroDefersEveryEbgpRoute) {
  EXPECT_TRUE(defer_validation(0U, 0, true));
  EXPECT_TRUE(defer_validation(0U, 7, true));
}

TEST(ValidationDeferral, DefersWhileTheQueueHoldsAtLeastTheThreshold) {
  EXPECT_FALSE(defer_validation(3U, 0, true));
  EXPECT_FALSE(defer_validation(3U, 2, true));
  EXPECT_TRUE(defer_validation(3U, 3, true));
  EXPECT_TRUE(defer_validation(3U, 4, true));
}

TEST(ValidationDeferral, IbgpRoutesAreNeverDeferred) {
  // The egress validates what its ingress deferred: passing it on again helps nobody.
  EXPECT_FALSE(defer_validation(0U, 0, false));
  EXPECT_FALSE(defer_validation(3U, 10, false));
}

TEST(ValidationDeferral, UnsetStartsEveryDeferredRoute) {
  EXPECT_EQ(deferred_to_start(std::nullopt, 50, 12), 12U);
  EXPECT_EQ(deferred_to_start(std::nullopt, 0, 0), 0U);
}

TEST(ValidationDeferral, ZeroStartsNone) { EXPECT_EQ(deferred_to_start(0U, 0, 12), 0U); }

TEST(ValidationDeferral, StartsAsManyAsTheQueueHasRoomFor) {
  EXPECT_EQ(deferred_to_start(5U, 0, 12), 5U);
  EXPECT_EQ(deferred_to_start(5U, 3, 12), 2U);
  EXPECT_EQ(deferred_to_start(5U, 3, 1), 1U);
  EXPECT_EQ(deferred_to_start(5U, 5, 12), 0U);
  EXPECT_EQ(deferred_to_start(5U, 9, 12), 0U);
}

TEST(ValidationDeferral, WhatStartsIsNotDeferredAgain) {
  // Filling the queue up to the threshold leaves no room: the next route is deferred.
  const std::size_t started = deferred_to_start(4U, 1, 10);
  EXPECT_TRUE(defer_validation(4U, 1 + started, true));
  EXPECT_FALSE(defer_validation(4U, 1 + started - 1, true));
}

}  // namespace
}  // namespace bgpsecd::daemon
