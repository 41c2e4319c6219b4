// SPDX-License-Identifier: BSD-2-Clause
#include "service/root_refusal.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::service {
namespace {

TEST(RootRefusal, RootWithoutTheFlagIsRefusedWithTheWayOut) {
  auto checked = check_not_root(0, false);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message,
            "refusing to run as root (uid 0): run as an unprivileged user, or pass --allow-root");
}

TEST(RootRefusal, RootWithTheFlagMayRun) { EXPECT_TRUE(check_not_root(0, true)); }

TEST(RootRefusal, AnyOtherUserMayRunWithOrWithoutTheFlag) {
  for (const uid_t uid : {uid_t{1}, uid_t{999}, uid_t{65534}}) {
    EXPECT_TRUE(check_not_root(uid, false)) << uid;
    EXPECT_TRUE(check_not_root(uid, true)) << uid;
  }
}

}  // namespace
}  // namespace bgpsecd::service
