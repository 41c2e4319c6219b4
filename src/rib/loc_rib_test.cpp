// SPDX-License-Identifier: BSD-2-Clause
// Loc-RIB: the best route and the change reported for export as candidates from several
// peers are announced, replaced and withdrawn.
#include "rib/loc_rib.hpp"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "rib/adj_rib_in.hpp"
#include "rib/test_util.hpp"

namespace bgpsecd::rib {
namespace {

using testing::attrs_with_path;
using testing::make_peer;
using testing::make_route;
using testing::pfx;
using testing::seq;

class LocRibTest : public ::testing::Test {
 protected:
  AttributeStore store_;
  PeerHandle a_ = make_peer("10.0.0.1", 65001, 1, PeerKind::Ebgp);
  PeerHandle b_ = make_peer("10.0.0.2", 65002, 2, PeerKind::Ebgp);
  PeerHandle c_ = make_peer("10.0.0.3", 64500, 3, PeerKind::Ibgp);
  LocRib rib_;

  // A route of `peer` with a path of `length` ASes.
  Route route(const PeerHandle& peer, std::size_t length, const char* prefix = "192.0.2.0/24") {
    wire::AsPath path = seq({peer->asn.value()});
    for (std::size_t i = 1; i < length; ++i) {
      path.segments[0].asns.emplace_back(static_cast<std::uint32_t>(100 + i));
    }
    return make_route(store_, prefix, peer, attrs_with_path(path));
  }
};

TEST_F(LocRibTest, ForEachBestAfterGoesOnFromACursor) {
  for (const char* p : {"198.51.100.0/24", "192.0.2.0/24", "203.0.113.0/24"}) {
    rib_.update(route(a_, 2, p));
  }
  std::vector<base::Prefix> pages;
  std::optional<base::Prefix> cursor;
  do {
    // Pages of one prefix each, as the control API takes them.
    std::optional<base::Prefix> next;
    rib_.for_each_best_after(cursor, [&](const Route& best) {
      pages.push_back(best.prefix);
      next = best.prefix;
      return false;
    });
    cursor = next;
  } while (cursor);
  EXPECT_EQ(pages,
            (std::vector{pfx("192.0.2.0/24"), pfx("198.51.100.0/24"), pfx("203.0.113.0/24")}));
}

// Each peer's candidates are counted on every mutation (`show neighbors` "accepted").
TEST_F(LocRibTest, CountsEachPeersCandidates) {
  rib_.update(route(a_, 2, "192.0.2.0/24"));
  rib_.update(route(a_, 2, "198.51.100.0/24"));
  rib_.update(route(b_, 3, "192.0.2.0/24"));
  EXPECT_EQ(rib_.route_count(a_->key), 2U);
  EXPECT_EQ(rib_.route_count(b_->key), 1U);
  EXPECT_EQ(rib_.route_count(c_->key), 0U);
  rib_.update(route(a_, 4, "192.0.2.0/24"));  // a replacement is not one more
  EXPECT_EQ(rib_.route_count(a_->key), 2U);
  rib_.remove(pfx("198.51.100.0/24"), a_->key);
  rib_.remove(pfx("198.51.100.0/24"), a_->key);  // not there any more: no change
  rib_.remove(pfx("192.0.2.0/24"), c_->key);
  EXPECT_EQ(rib_.route_count(a_->key), 1U);
  EXPECT_EQ(rib_.route_count(b_->key), 1U);
  rib_.remove_peer(a_->key);
  EXPECT_EQ(rib_.route_count(a_->key), 0U);
  EXPECT_EQ(rib_.route_count(b_->key), 1U);
  EXPECT_EQ(rib_.route_count(), 1U);
}

// The best routes by ASPA state follow every change of a best route, whatever caused it.
TEST_F(LocRibTest, CountsBestRoutesByAspaState) {
  const auto with_state = [](Route r, AspaState state) {
    r.aspa_state = state;
    return r;
  };
  const auto count = [this](AspaState state) { return rib_.best_count(state); };
  rib_.update(with_state(route(a_, 3, "192.0.2.0/24"), AspaState::Invalid));
  rib_.update(with_state(route(a_, 3, "198.51.100.0/24"), AspaState::Valid));
  EXPECT_EQ(count(AspaState::Invalid), 1U);
  EXPECT_EQ(count(AspaState::Valid), 1U);
  // A better route from b takes over the first prefix; a worse one changes nothing.
  rib_.update(with_state(route(b_, 2, "192.0.2.0/24"), AspaState::Unknown));
  rib_.update(with_state(route(b_, 5, "198.51.100.0/24"), AspaState::Invalid));
  EXPECT_EQ(count(AspaState::Invalid), 0U);
  EXPECT_EQ(count(AspaState::Unknown), 1U);
  EXPECT_EQ(count(AspaState::Valid), 1U);
  // The best's own state changes (the same source with new content).
  rib_.update(with_state(route(a_, 3, "198.51.100.0/24"), AspaState::Unverified));
  EXPECT_EQ(count(AspaState::Valid), 0U);
  EXPECT_EQ(count(AspaState::Unverified), 1U);
  // Withdrawn best: the other candidate (Invalid) takes over.
  rib_.remove(pfx("198.51.100.0/24"), a_->key);
  EXPECT_EQ(count(AspaState::Unverified), 0U);
  EXPECT_EQ(count(AspaState::Invalid), 1U);
  // b goes: a's Invalid route is the first prefix's best again (b's Invalid one goes too).
  rib_.remove_peer(b_->key);
  EXPECT_EQ(count(AspaState::Invalid), 1U);
  EXPECT_EQ(count(AspaState::Unknown), 0U);
  rib_.remove_peer(a_->key);
  for (const auto state :
       {AspaState::Valid, AspaState::Unknown, AspaState::Invalid, AspaState::Unverified}) {
    EXPECT_EQ(count(state), 0U);
  }
  EXPECT_EQ(rib_.prefix_count(), 0U);
}

TEST_F(LocRibTest, FirstRouteBecomesBest) {
  const auto change = rib_.update(route(a_, 3));
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->prefix, pfx("192.0.2.0/24"));
  EXPECT_FALSE(change->previous.has_value());
  ASSERT_TRUE(change->current.has_value());
  EXPECT_EQ(change->current->peer_key(), a_->key);
  EXPECT_EQ(rib_.best(pfx("192.0.2.0/24"))->peer_key(), a_->key);
  EXPECT_EQ(rib_.prefix_count(), 1U);
  EXPECT_EQ(rib_.route_count(), 1U);
}

TEST_F(LocRibTest, BetterRouteFromAnotherPeerTakesOver) {
  rib_.update(route(a_, 3));
  const auto change = rib_.update(route(b_, 2));
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->previous->peer_key(), a_->key);
  EXPECT_EQ(change->current->peer_key(), b_->key);
  EXPECT_EQ(rib_.candidates(pfx("192.0.2.0/24")).size(), 2U);
  EXPECT_EQ(rib_.route_count(), 2U);
}

TEST_F(LocRibTest, WorseRouteFromAnotherPeerChangesNothing) {
  rib_.update(route(a_, 2));
  EXPECT_FALSE(rib_.update(route(b_, 3)).has_value());
  EXPECT_EQ(rib_.best(pfx("192.0.2.0/24"))->peer_key(), a_->key);
}

TEST_F(LocRibTest, ReplacementFromSamePeerReplacesItsCandidate) {
  rib_.update(route(a_, 2));
  rib_.update(route(b_, 3));
  // a's route gets longer than b's: b becomes best; a still has one candidate only.
  const auto change = rib_.update(route(a_, 4));
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->current->peer_key(), b_->key);
  EXPECT_EQ(rib_.candidates(pfx("192.0.2.0/24")).size(), 2U);
  EXPECT_EQ(rib_.route_count(), 2U);
}

TEST_F(LocRibTest, NewContentOfTheBestIsAChange) {
  rib_.update(route(a_, 2));
  Route validated = route(a_, 2);
  validated.path_state = PathState::Valid;
  const auto change = rib_.update(validated);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->previous->path_state, PathState::Unsigned);
  EXPECT_EQ(change->current->path_state, PathState::Valid);
  // The identical route again is not.
  EXPECT_FALSE(rib_.update(validated).has_value());
}

TEST_F(LocRibTest, WithdrawOfBestFallsBackToNextBest) {
  rib_.update(route(a_, 2));
  rib_.update(route(b_, 3));
  rib_.update(route(c_, 4));
  const auto change = rib_.remove(pfx("192.0.2.0/24"), a_->key);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->previous->peer_key(), a_->key);
  EXPECT_EQ(change->current->peer_key(), b_->key);
  EXPECT_EQ(rib_.route_count(), 2U);
}

TEST_F(LocRibTest, WithdrawOfNonBestChangesNothing) {
  rib_.update(route(a_, 2));
  rib_.update(route(b_, 3));
  EXPECT_FALSE(rib_.remove(pfx("192.0.2.0/24"), b_->key).has_value());
  EXPECT_EQ(rib_.route_count(), 1U);
  // Unknown prefix or peer: nothing.
  EXPECT_FALSE(rib_.remove(pfx("192.0.2.0/24"), c_->key).has_value());
  EXPECT_FALSE(rib_.remove(pfx("198.51.100.0/24"), a_->key).has_value());
}

TEST_F(LocRibTest, WithdrawOfLastRouteMakesPrefixUnreachable) {
  rib_.update(route(a_, 2));
  const auto change = rib_.remove(pfx("192.0.2.0/24"), a_->key);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->prefix, pfx("192.0.2.0/24"));
  EXPECT_TRUE(change->previous.has_value());
  EXPECT_FALSE(change->current.has_value());
  EXPECT_EQ(rib_.best(pfx("192.0.2.0/24")), nullptr);
  EXPECT_TRUE(rib_.candidates(pfx("192.0.2.0/24")).empty());
  EXPECT_EQ(rib_.prefix_count(), 0U);
}

// Lookups go through a hash index beside the ordered map: after prefixes come, go (the last
// candidate withdrawn, a whole peer removed) and come back, every lookup still finds exactly
// what the walk in prefix order sees.
TEST_F(LocRibTest, LookupsAgreeWithTheWalkThroughChurn) {
  std::vector<std::string> prefixes;
  for (int i = 0; i < 3000; ++i) {
    prefixes.push_back("10." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".0/24");
  }
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    rib_.update(route(a_, 2, prefixes[i].c_str()));
    if (i % 3 == 0) {
      rib_.update(route(b_, 3, prefixes[i].c_str()));
    }
  }
  for (std::size_t i = 0; i < prefixes.size(); i += 2) {
    rib_.remove(pfx(prefixes[i]), a_->key);  // b's stays where it had one
  }
  static_cast<void>(rib_.remove_peer(b_->key));
  for (std::size_t i = 0; i < prefixes.size(); i += 4) {
    rib_.update(route(b_, 3, prefixes[i].c_str()));  // back, with b alone
  }
  std::size_t walked = 0;
  rib_.for_each_best([&](const Route& best) {
    ++walked;
    const Route* found = rib_.best(best.prefix);
    ASSERT_NE(found, nullptr) << best.prefix.to_string();
    EXPECT_EQ(found, &best);
  });
  EXPECT_EQ(walked, rib_.prefix_count());
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    const Route* best = rib_.best(pfx(prefixes[i]));
    if (i % 4 == 0) {
      ASSERT_NE(best, nullptr) << prefixes[i];
      EXPECT_EQ(best->peer_key(), b_->key);
    } else if (i % 2 == 0) {
      EXPECT_EQ(best, nullptr) << prefixes[i];  // a withdrawn, b removed with its peer
      EXPECT_TRUE(rib_.candidates(pfx(prefixes[i])).empty());
    } else {
      ASSERT_NE(best, nullptr) << prefixes[i];
      EXPECT_EQ(best->peer_key(), a_->key);
    }
  }
  EXPECT_EQ(rib_.prefix_count(), prefixes.size() / 2 + prefixes.size() / 4);
}

TEST_F(LocRibTest, RemovePeerReportsOnlyPrefixesWhoseBestChanged) {
  rib_.update(route(a_, 2, "192.0.2.0/24"));
  rib_.update(route(b_, 3, "192.0.2.0/24"));     // a best -> b takes over
  rib_.update(route(a_, 2, "198.51.100.0/24"));  // only a -> unreachable
  rib_.update(route(a_, 4, "203.0.113.0/24"));
  rib_.update(route(b_, 3, "203.0.113.0/24"));  // b best already -> no change
  const auto changes = rib_.remove_peer(a_->key);
  ASSERT_EQ(changes.size(), 2U);
  EXPECT_EQ(changes[0].prefix, pfx("192.0.2.0/24"));
  EXPECT_EQ(changes[0].current->peer_key(), b_->key);
  EXPECT_EQ(changes[1].prefix, pfx("198.51.100.0/24"));
  EXPECT_FALSE(changes[1].current.has_value());
  EXPECT_EQ(rib_.prefix_count(), 2U);
  EXPECT_EQ(rib_.route_count(), 2U);
}

TEST_F(LocRibTest, ConfigChangeReselects) {
  auto from_a = attrs_with_path(seq({65001, 9}));
  from_a.med = 50;
  auto from_b = attrs_with_path(seq({65002, 9}));
  from_b.med = 10;
  rib_.update(make_route(store_, "192.0.2.0/24", a_, from_a));
  rib_.update(make_route(store_, "192.0.2.0/24", b_, from_b));
  EXPECT_EQ(rib_.best(pfx("192.0.2.0/24"))->peer_key(), a_->key);  // router ID
  const auto changes = rib_.set_config(DecisionConfig{.always_compare_med = true});
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].current->peer_key(), b_->key);
  EXPECT_TRUE(rib_.set_config(DecisionConfig{.always_compare_med = true}).empty());
}

TEST_F(LocRibTest, Rfc4724_StaleSweepFromAdjRibInWithdrawsFromLocRib) {
  AdjRibIn in_a(a_);
  for (const char* p : {"192.0.2.0/24", "198.51.100.0/24"}) {
    const Route r = route(a_, 2, p);
    in_a.announce(r);
    rib_.update(r);
  }
  rib_.update(route(b_, 3, "198.51.100.0/24"));
  in_a.mark_stale();
  in_a.announce(route(a_, 2, "192.0.2.0/24"));  // re-announced after the restart
  std::vector<BestChange> changes;
  for (const Route& gone : in_a.sweep_stale()) {
    if (auto change = rib_.remove(gone.prefix, gone.peer_key())) {
      changes.push_back(*change);
    }
  }
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].prefix, pfx("198.51.100.0/24"));
  EXPECT_EQ(changes[0].current->peer_key(), b_->key);
  EXPECT_EQ(rib_.best(pfx("192.0.2.0/24"))->peer_key(), a_->key);
}

TEST_F(LocRibTest, ForEachBestInPrefixOrder) {
  rib_.update(route(a_, 2, "198.51.100.0/24"));
  rib_.update(route(b_, 2, "192.0.2.0/24"));
  rib_.update(route(a_, 3, "192.0.2.0/24"));
  std::vector<base::Prefix> prefixes;
  std::vector<PeerKey> peers;
  rib_.for_each_best([&](const Route& r) {
    prefixes.push_back(r.prefix);
    peers.push_back(r.peer_key());
  });
  EXPECT_EQ(prefixes, (std::vector{pfx("192.0.2.0/24"), pfx("198.51.100.0/24")}));
  EXPECT_EQ(peers, (std::vector{b_->key, a_->key}));
}

}  // namespace
}  // namespace bgpsecd::rib
