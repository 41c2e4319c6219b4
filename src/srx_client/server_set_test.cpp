// SPDX-License-Identifier: BSD-2-Clause
// ServerSet: routes live in the most preferred active core and move, with their results and
// unanswered SIGN_REQUESTs, when the home is lost or a more preferred server is back.
#include "srx_client/server_set.hpp"

#include <gtest/gtest.h>

#include "srx_client/proxy_core_test_util.hpp"

namespace bgpsecd::srx_client::test {
namespace {

using V = std::vector<std::string>;

class ServerSetTest : public ::testing::Test {
 protected:
  Harness first;
  Harness second;
  Harness third;
  ServerSet set{{&first.core(), &second.core(), &third.core()}};
  std::chrono::steady_clock::time_point now{};
};

TEST_F(ServerSetTest, RoutesWaitAtTheMostPreferredWhileNothingIsActive) {
  ASSERT_TRUE(set.submit(1, plain_route(), now));
  EXPECT_FALSE(set.update(now));
  EXPECT_EQ(set.home(), 0U);
  EXPECT_EQ(first.core().route_count(), 1U);
  first.activate();  // the replay at HELLO_RESPONSE sends it
  EXPECT_FALSE(set.update(now));
  EXPECT_EQ(first.core().counters().requests, 1U);
}

TEST_F(ServerSetTest, RoutesMoveToTheNextActiveAndBackWhenThePreferredReturns) {
  ASSERT_TRUE(set.submit(1, plain_route(), now));
  second.activate();
  third.activate();
  ASSERT_TRUE(set.update(now));
  EXPECT_EQ(set.home(), 1U);
  EXPECT_EQ(first.core().route_count(), 0U);
  EXPECT_EQ(second.take(), V{Harness::encoded(verify_request(plain_route(), 1))});
  second.receipt(1, kPlainId);
  second.notify(kPlainId, srx::kFlagOrigin, srx::SrxResult::Valid);
  EXPECT_EQ(second.events.size(), 1U);
  EXPECT_TRUE(third.take().empty());

  // The preferred server is back: the routes move there, the second lets go of its update.
  first.activate();
  ASSERT_TRUE(set.update(now));
  EXPECT_EQ(set.home(), 0U);
  EXPECT_EQ(second.take(), V{Harness::encoded(srx::DeleteUpdatePdu{900, kPlainId})});
  EXPECT_EQ(first.take(), V{Harness::encoded(verify_request(plain_route(), 1))});
  EXPECT_EQ(second.core().route_count(), 0U);
  // The last known result came along: the same answer is no change for the owner.
  EXPECT_EQ(first.core().results(1)->origin, srx::SrxResult::Valid);
  first.receipt(1, kPlainId);
  first.notify(kPlainId, srx::kFlagOrigin, srx::SrxResult::Valid);
  ASSERT_EQ(first.events.size(), 1U);
  EXPECT_EQ(first.events[0].arrived, srx::kFlagOrigin);
  EXPECT_EQ(first.events[0].changed, 0);
  EXPECT_EQ(set.moves(), 2U);
}

TEST_F(ServerSetTest, LostHomeHandsEverythingInFlightToTheNext) {
  first.activate();
  ASSERT_TRUE(set.submit(1, plain_route(), now));
  auto other = plain_route();
  other.origin_as = 65101;
  ASSERT_TRUE(set.submit(2, other, now));
  first.receipt(1, kPlainId);
  ASSERT_TRUE(set.sign(1, SignParameters{1, 0, 1, 65003}, now));  // unanswered
  first.take();
  third.activate();
  EXPECT_FALSE(set.update(now));  // the first is still up

  first.core().disconnected(now);
  ASSERT_TRUE(set.update(now));
  EXPECT_EQ(set.home(), 2U);
  EXPECT_TRUE(first.take().empty());  // no session: nothing to release there
  EXPECT_EQ(third.take(), (V{Harness::encoded(verify_request(plain_route(), 1)),
                             Harness::encoded(verify_request(other, 2))}));
  // The SIGN_REQUEST goes out again once this server names the update.
  third.receipt(1, 0x2222);
  EXPECT_EQ(third.take(), V{Harness::encoded(srx::SignRequestPdu{1, 0, 0x2222, 1, 65003})});
  // New routes and withdrawals go to the new home.
  set.withdraw(2);
  EXPECT_EQ(third.core().route_count(), 1U);
}

}  // namespace
}  // namespace bgpsecd::srx_client::test
