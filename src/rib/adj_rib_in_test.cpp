// SPDX-License-Identifier: BSD-2-Clause
// Adj-RIB-In: announce / replace / withdraw, the maximum-prefix signal, and RFC 4724
// graceful-restart stale marking and sweeping.
#include "rib/adj_rib_in.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "rib/test_util.hpp"

namespace bgpsecd::rib {
namespace {

using testing::attrs_with_path;
using testing::make_peer;
using testing::make_route;
using testing::pfx;
using testing::seq;

class AdjRibInTest : public ::testing::Test {
 protected:
  AttributeStore store_;
  PeerHandle peer_ = make_peer("10.0.0.1", 65001, 1, PeerKind::Ebgp);
  AdjRibIn rib_{peer_};

  Route route(const char* prefix, std::uint32_t second_as = 9) {
    return make_route(store_, prefix, peer_, attrs_with_path(seq({65001, second_as})));
  }
};

TEST_F(AdjRibInTest, AnnounceReplaceWithdraw) {
  auto added = rib_.announce(route("192.0.2.0/24"));
  EXPECT_EQ(added.change, AdjRibIn::Change::Added);
  EXPECT_FALSE(added.previous.has_value());
  EXPECT_EQ(rib_.size(), 1U);

  auto replaced = rib_.announce(route("192.0.2.0/24", 10));
  EXPECT_EQ(replaced.change, AdjRibIn::Change::Replaced);
  ASSERT_TRUE(replaced.previous.has_value());
  EXPECT_EQ(*replaced.previous->attrs, attrs_with_path(seq({65001, 9})));
  EXPECT_EQ(*rib_.find(pfx("192.0.2.0/24"))->attrs, attrs_with_path(seq({65001, 10})));
  EXPECT_EQ(rib_.size(), 1U);

  auto same = rib_.announce(route("192.0.2.0/24", 10));
  EXPECT_EQ(same.change, AdjRibIn::Change::Refreshed);

  const auto gone = rib_.withdraw(pfx("192.0.2.0/24"));
  ASSERT_TRUE(gone.has_value());
  EXPECT_EQ(gone->prefix, pfx("192.0.2.0/24"));
  EXPECT_EQ(rib_.size(), 0U);
  EXPECT_EQ(rib_.find(pfx("192.0.2.0/24")), nullptr);
}

TEST_F(AdjRibInTest, WithdrawOfUnknownPrefixIsIgnored) {
  rib_.announce(route("192.0.2.0/24"));
  EXPECT_FALSE(rib_.withdraw(pfx("198.51.100.0/24")).has_value());
  EXPECT_EQ(rib_.size(), 1U);
}

TEST_F(AdjRibInTest, StateChangeIsAReplacement) {
  rib_.announce(route("192.0.2.0/24"));
  Route validated = route("192.0.2.0/24");
  validated.path_state = PathState::Valid;
  EXPECT_EQ(rib_.announce(validated).change, AdjRibIn::Change::Replaced);
}

TEST_F(AdjRibInTest, Rfc4486_MaxPrefixSignalledOnceWhenCrossed) {
  AdjRibIn limited(peer_, 2);
  EXPECT_FALSE(limited.announce(route("192.0.2.0/24")).max_prefix_exceeded);
  EXPECT_FALSE(limited.announce(route("192.0.3.0/24")).max_prefix_exceeded);
  EXPECT_FALSE(limited.over_max_prefix());
  // Replacing an existing prefix does not add to the count.
  EXPECT_FALSE(limited.announce(route("192.0.3.0/24", 10)).max_prefix_exceeded);
  EXPECT_TRUE(limited.announce(route("192.0.4.0/24")).max_prefix_exceeded);
  EXPECT_TRUE(limited.over_max_prefix());
  EXPECT_EQ(limited.size(), 3U);  // stored; tearing the session down is the caller's call
  EXPECT_FALSE(limited.announce(route("192.0.5.0/24")).max_prefix_exceeded);
  // Back under the limit and over again: signalled again.
  limited.withdraw(pfx("192.0.5.0/24"));
  limited.withdraw(pfx("192.0.4.0/24"));
  EXPECT_TRUE(limited.announce(route("192.0.6.0/24")).max_prefix_exceeded);
  // No limit: never.
  for (int i = 0; i < 10; ++i) {
    const std::string p = "10." + std::to_string(i) + ".0.0/16";
    EXPECT_FALSE(rib_.announce(make_route(store_, p, peer_, attrs_with_path(seq({65001}))))
                     .max_prefix_exceeded);
  }
}

TEST_F(AdjRibInTest, Rfc4724_StaleRoutesSweptAtEndOfRib) {
  rib_.announce(route("192.0.2.0/24"));
  rib_.announce(route("198.51.100.0/24"));
  rib_.announce(route("203.0.113.0/24"));
  EXPECT_EQ(rib_.mark_stale(), 3U);
  EXPECT_EQ(rib_.stale_count(), 3U);
  EXPECT_TRUE(rib_.find(pfx("192.0.2.0/24"))->stale);

  // The restarted peer re-announces one prefix (unchanged) and changes another.
  EXPECT_EQ(rib_.announce(route("192.0.2.0/24")).change, AdjRibIn::Change::Refreshed);
  EXPECT_EQ(rib_.announce(route("198.51.100.0/24", 77)).change, AdjRibIn::Change::Replaced);
  EXPECT_FALSE(rib_.find(pfx("192.0.2.0/24"))->stale);
  EXPECT_EQ(rib_.stale_count(), 1U);

  // End-of-RIB: what is still stale goes.
  const auto swept = rib_.sweep_stale();
  ASSERT_EQ(swept.size(), 1U);
  EXPECT_EQ(swept[0].prefix, pfx("203.0.113.0/24"));
  EXPECT_EQ(rib_.size(), 2U);
  EXPECT_EQ(rib_.stale_count(), 0U);
  EXPECT_TRUE(rib_.sweep_stale().empty());
}

TEST_F(AdjRibInTest, Rfc4724_StaleMarkingAndSweepPerAfi) {
  rib_.announce(route("192.0.2.0/24"));
  rib_.announce(make_route(store_, "2001:db8::/32", peer_, attrs_with_path(seq({65001}))));
  EXPECT_EQ(rib_.mark_stale(base::Afi::Ipv6), 1U);
  EXPECT_FALSE(rib_.find(pfx("192.0.2.0/24"))->stale);
  rib_.mark_stale(base::Afi::Ipv4);
  // End-of-RIB for IPv4 only sweeps IPv4.
  const auto swept = rib_.sweep_stale(base::Afi::Ipv4);
  ASSERT_EQ(swept.size(), 1U);
  EXPECT_EQ(swept[0].prefix, pfx("192.0.2.0/24"));
  EXPECT_EQ(rib_.stale_count(), 1U);
  EXPECT_TRUE(rib_.find(pfx("2001:db8::/32"))->stale);
}

// The count of stale routes is kept on every change, not counted by a walk: marking twice,
// a withdrawn or replaced stale route, a sweep and a clear all leave it right.
TEST_F(AdjRibInTest, Rfc4724_StaleCountFollowsEveryChange) {
  rib_.announce(route("192.0.2.0/24"));
  rib_.announce(route("198.51.100.0/24"));
  rib_.announce(route("203.0.113.0/24"));
  rib_.announce(make_route(store_, "2001:db8::/32", peer_, attrs_with_path(seq({65001}))));
  EXPECT_EQ(rib_.stale_count(), 0U);
  EXPECT_TRUE(rib_.sweep_stale().empty());
  EXPECT_EQ(rib_.size(), 4U);
  rib_.mark_stale(base::Afi::Ipv4);
  EXPECT_EQ(rib_.mark_stale(), 4U);  // the IPv4 routes were stale already: counted once
  EXPECT_EQ(rib_.stale_count(), 4U);
  ASSERT_TRUE(rib_.withdraw(pfx("192.0.2.0/24")).has_value());
  EXPECT_EQ(rib_.stale_count(), 3U);
  EXPECT_EQ(rib_.announce(route("198.51.100.0/24", 77)).change, AdjRibIn::Change::Replaced);
  EXPECT_EQ(rib_.stale_count(), 2U);
  EXPECT_EQ(rib_.announce(route("192.0.2.0/24")).change, AdjRibIn::Change::Added);
  EXPECT_EQ(rib_.stale_count(), 2U);
  EXPECT_EQ(rib_.sweep_stale(base::Afi::Ipv6).size(), 1U);
  EXPECT_EQ(rib_.stale_count(), 1U);
  rib_.mark_stale();
  EXPECT_EQ(rib_.stale_count(), 3U);
  EXPECT_EQ(rib_.clear().size(), 3U);
  EXPECT_EQ(rib_.stale_count(), 0U);
}

TEST_F(AdjRibInTest, ClearReturnsEverythingAndKeepsAttributeSetsAlive) {
  rib_.announce(route("192.0.2.0/24"));
  rib_.announce(route("198.51.100.0/24", 10));
  EXPECT_EQ(store_.size(), 2U);
  auto removed = rib_.clear();
  EXPECT_EQ(removed.size(), 2U);
  EXPECT_EQ(rib_.size(), 0U);
  EXPECT_EQ(store_.size(), 2U);  // the returned routes still hold them
  removed.clear();
  EXPECT_EQ(store_.size(), 0U);
}

TEST_F(AdjRibInTest, ForEachVisitsInPrefixOrder) {
  rib_.announce(route("198.51.100.0/24"));
  rib_.announce(route("192.0.2.0/24"));
  std::vector<base::Prefix> seen;
  rib_.for_each([&](const Route& r) { seen.push_back(r.prefix); });
  EXPECT_EQ(seen, (std::vector{pfx("192.0.2.0/24"), pfx("198.51.100.0/24")}));
}

TEST_F(AdjRibInTest, ForEachAfterStartsPastThePrefixAndStopsWhenAsked) {
  for (const char* p : {"203.0.113.0/24", "192.0.2.0/24", "198.51.100.0/24"}) {
    rib_.announce(route(p));
  }
  std::vector<base::Prefix> seen;
  rib_.for_each_after(pfx("192.0.2.0/24"), [&](const Route& r) {
    seen.push_back(r.prefix);
    return false;  // one only
  });
  EXPECT_EQ(seen, (std::vector{pfx("198.51.100.0/24")}));
  // A cursor that is not in the table (withdrawn meanwhile) still continues after it.
  seen.clear();
  rib_.for_each_after(pfx("193.0.0.0/8"), [&](const Route& r) {
    seen.push_back(r.prefix);
    return true;
  });
  EXPECT_EQ(seen, (std::vector{pfx("198.51.100.0/24"), pfx("203.0.113.0/24")}));
}

TEST_F(AdjRibInTest, Rfc6811_ForEachWithinVisitsTheCoveringPrefixAndItsMoreSpecificsOnly) {
  for (const char* p : {"10.0.0.0/7", "10.0.0.0/8", "10.0.0.0/16", "10.1.2.0/24", "10.255.0.0/16",
                        "11.0.0.0/8", "9.255.255.0/24", "0.0.0.0/0", "2001:db8::/32"}) {
    (void)rib_.announce(route(p));
  }
  std::vector<std::string> seen;
  rib_.for_each_within(pfx("10.0.0.0/8"),
                       [&](const Route& r) { seen.push_back(r.prefix.to_string()); });
  EXPECT_EQ(seen, (std::vector<std::string>{"10.0.0.0/8", "10.0.0.0/16", "10.1.2.0/24",
                                            "10.255.0.0/16"}));
  seen.clear();
  rib_.for_each_within(pfx("0.0.0.0/0"),
                       [&](const Route& r) { seen.push_back(r.prefix.to_string()); });
  EXPECT_EQ(seen.size(), 8U);  // every IPv4 route, no IPv6 one
  seen.clear();
  rib_.for_each_within(pfx("192.0.2.0/24"), [&](const Route&) { seen.push_back("x"); });
  EXPECT_TRUE(seen.empty());
}

TEST_F(AdjRibInTest, Rfc8374_9_2_SetPathStateKeepsStaleAndAttributes) {
  (void)rib_.announce(route("192.0.2.0/24"));
  rib_.mark_stale();
  const auto attrs = rib_.find(pfx("192.0.2.0/24"))->attrs;
  const Route* r = rib_.set_path_state(pfx("192.0.2.0/24"), PathState::NotValid,
                                       PathFailure{.reason = 7, .suite = 1, .segment = 1});
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r, rib_.find(pfx("192.0.2.0/24")));
  EXPECT_EQ(r->path_state, PathState::NotValid);
  ASSERT_TRUE(r->path_failure.has_value());
  EXPECT_EQ(r->path_failure->segment, 1);
  EXPECT_TRUE(r->stale);
  EXPECT_EQ(r->attrs, attrs);
  EXPECT_EQ(rib_.set_path_state(pfx("198.51.100.0/24"), PathState::Valid, std::nullopt), nullptr);
}

}  // namespace
}  // namespace bgpsecd::rib
