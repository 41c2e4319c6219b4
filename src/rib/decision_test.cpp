// SPDX-License-Identifier: BSD-2-Clause
// RFC 4271 §9.1.2.2 tie-breakers: one test per step, the order of the steps, MED only within
// one neighbour AS, Secure_Path length for BGPsec routes, and order-independent selection.
#include "rib/decision.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <vector>

#include <gtest/gtest.h>

#include "rib/test_util.hpp"

namespace bgpsecd::rib {
namespace {

using testing::attrs_with_path;
using testing::make_peer;
using testing::make_route;
using testing::seq;

class DecisionTest : public ::testing::Test {
 protected:
  AttributeStore store_;
  PeerHandle ebgp_a_ = make_peer("10.0.0.1", 65001, 0x0A000001, PeerKind::Ebgp);
  PeerHandle ebgp_b_ = make_peer("10.0.0.2", 65002, 0x0A000002, PeerKind::Ebgp);
  PeerHandle ibgp_c_ = make_peer("10.0.0.3", 64500, 0x0A000003, PeerKind::Ibgp);
  PeerHandle local_ = make_peer("0.0.0.0", 64500, 0x0A0000FF, PeerKind::Local);

  Route route(const PeerHandle& peer, wire::PathAttributes attrs) {
    return make_route(store_, "203.0.113.0/24", peer, std::move(attrs));
  }
  // a must win against b, decided at `step`, whichever way round they are given.
  static void expect_wins(const Route& a, const Route& b, DecisionStep step,
                          const DecisionConfig& config = {}) {
    const auto ab = compare_routes(a, b, config);
    EXPECT_LT(ab.order, 0);
    EXPECT_EQ(ab.step, step) << decision_step_name(ab.step);
    const auto ba = compare_routes(b, a, config);
    EXPECT_GT(ba.order, 0);
    EXPECT_EQ(ba.step, step) << decision_step_name(ba.step);
    const std::array both{a, b};
    EXPECT_EQ(select_best(both, config), 0U);
    const std::array reversed{b, a};
    EXPECT_EQ(select_best(reversed, config), 1U);
  }
};

TEST_F(DecisionTest, LocallyOriginatedFirstEvenWithLowerPreference) {
  Route local = route(local_, attrs_with_path({}));
  local.local_pref = 50;
  Route learned = route(ebgp_a_, attrs_with_path(seq({65001})));
  learned.local_pref = 500;
  expect_wins(local, learned, DecisionStep::Local);
}

TEST_F(DecisionTest, Rfc4271_9_1_2_1_HighestLocalPrefWins) {
  Route high = route(ebgp_b_, attrs_with_path(seq({65002, 1, 2, 3})));
  high.local_pref = 200;
  Route low = route(ebgp_a_, attrs_with_path(seq({65001})));
  // Local pref comes before the (shorter) AS path and the (lower) peer address.
  expect_wins(high, low, DecisionStep::LocalPref);
}

TEST_F(DecisionTest, Rfc4271_9_1_2_2a_ShortestAsPathWins) {
  auto long_path = attrs_with_path(seq({65001, 2, 3}));
  long_path.origin = wire::Origin::Igp;
  auto short_path = attrs_with_path(seq({65002, 3}));
  short_path.origin = wire::Origin::Incomplete;  // path length comes before origin
  expect_wins(route(ebgp_b_, short_path), route(ebgp_a_, long_path), DecisionStep::AsPathLength);
}

TEST_F(DecisionTest, Rfc4271_9_1_2_2a_AsSetCountsOneConfedSegmentsZero) {
  wire::AsPath with_set = seq({65002});
  with_set.segments.push_back(
      {wire::AsPathSegmentType::AsSet, {base::Asn(1), base::Asn(2), base::Asn(3), base::Asn(4)}});
  wire::AsPath with_confed = seq({65001, 7, 8});
  with_confed.segments.insert(
      with_confed.segments.begin(),
      {wire::AsPathSegmentType::AsConfedSequence, {base::Asn(64512), base::Asn(64513)}});
  EXPECT_EQ(decision_path_length(route(ebgp_a_, attrs_with_path(with_set))), 2U);
  EXPECT_EQ(decision_path_length(route(ebgp_a_, attrs_with_path(with_confed))), 3U);
  expect_wins(route(ebgp_b_, attrs_with_path(with_set)),
              route(ebgp_a_, attrs_with_path(with_confed)), DecisionStep::AsPathLength);
}

TEST_F(DecisionTest, Rfc8205_4_4_BgpsecRouteUsesSecurePathLength) {
  wire::PathAttributes bgpsec;
  bgpsec.origin = wire::Origin::Igp;
  bgpsec.mp_reach =
      wire::MpReach{base::Afi::Ipv4, base::kSafiUnicast, {testing::addr("192.0.2.9")}, {}};
  bgpsec.bgpsec_path =
      wire::BgpsecPath{{{1, 0, base::Asn(65002)},
                        {2, 0, base::Asn(65010)},
                        {1, wire::kConfedSegmentFlag, base::Asn(64512)}},
                       {wire::SignatureBlock{wire::kAlgorithmSuite1, {{}, {}, {}}}}};
  // Σ pCount over non-confed segments: 1 + 2 = 3 (the confed one does not count).
  const Route signed_route = route(ebgp_b_, bgpsec);
  EXPECT_EQ(decision_path_length(signed_route), 3U);
  expect_wins(signed_route, route(ebgp_a_, attrs_with_path(seq({65001, 1, 2, 3}))),
              DecisionStep::AsPathLength);
  expect_wins(route(ebgp_a_, attrs_with_path(seq({65001, 1}))), signed_route,
              DecisionStep::AsPathLength);
}

TEST_F(DecisionTest, Rfc4271_9_1_2_2b_LowestOriginWins) {
  auto igp = attrs_with_path(seq({65002, 9}));
  igp.med = 500;  // origin comes before MED
  auto egp = attrs_with_path(seq({65002, 9}));
  egp.origin = wire::Origin::Egp;
  auto incomplete = attrs_with_path(seq({65002, 9}));
  incomplete.origin = wire::Origin::Incomplete;
  expect_wins(route(ebgp_b_, igp), route(ebgp_a_, egp), DecisionStep::Origin);
  expect_wins(route(ebgp_b_, egp), route(ebgp_a_, incomplete), DecisionStep::Origin);
}

TEST_F(DecisionTest, Rfc4271_9_1_2_2c_LowestMedFromSameNeighbourAs) {
  auto low = attrs_with_path(seq({65002, 9}));
  low.med = 5;
  auto high = attrs_with_path(seq({65002, 9}));
  high.med = 10;
  // MED comes before eBGP-over-iBGP and the router ID.
  expect_wins(route(ibgp_c_, low), route(ebgp_a_, high), DecisionStep::Med);
}

TEST_F(DecisionTest, Rfc4271_9_1_2_2c_MissingMedCountsAsZero) {
  auto none = attrs_with_path(seq({65002, 9}));
  auto some = attrs_with_path(seq({65002, 9}));
  some.med = 1;
  expect_wins(route(ebgp_b_, none), route(ebgp_a_, some), DecisionStep::Med);
}

TEST_F(DecisionTest, Rfc4271_9_1_2_2c_MedIgnoredBetweenDifferentNeighbourAses) {
  auto from_65001 = attrs_with_path(seq({65001, 9}));
  from_65001.med = 1000;
  auto from_65002 = attrs_with_path(seq({65002, 9}));
  from_65002.med = 0;
  // Not comparable by MED: the lower router ID (ebgp_a_) decides.
  expect_wins(route(ebgp_a_, from_65001), route(ebgp_b_, from_65002), DecisionStep::RouterId);
  // With always-compare-med the lower MED wins.
  expect_wins(route(ebgp_b_, from_65002), route(ebgp_a_, from_65001), DecisionStep::Med,
              DecisionConfig{.always_compare_med = true});
}

TEST_F(DecisionTest, Rfc4271_9_1_2_2c_NeighbourAsSkipsConfedSegments) {
  wire::AsPath path = seq({65002, 9});
  path.segments.insert(path.segments.begin(),
                       {wire::AsPathSegmentType::AsConfedSequence, {base::Asn(64512)}});
  EXPECT_EQ(neighbour_as(route(ebgp_a_, attrs_with_path(path))), base::Asn(65002));
  wire::AsPath set_first{{{wire::AsPathSegmentType::AsSet, {base::Asn(1)}}}};
  EXPECT_EQ(neighbour_as(route(ebgp_a_, attrs_with_path(set_first))), std::nullopt);
  EXPECT_EQ(neighbour_as(route(ebgp_a_, attrs_with_path({}))), std::nullopt);
}

TEST_F(DecisionTest, Rfc4271_9_1_2_2d_EbgpOverIbgp) {
  // Same path, origin and MED; the iBGP peer has the lower router ID and address.
  auto a = attrs_with_path(seq({65009}));
  const auto ibgp_low = make_peer("10.0.0.0", 64500, 1, PeerKind::Ibgp);
  expect_wins(route(ebgp_b_, a), route(ibgp_low, a), DecisionStep::EbgpOverIbgp);
}

TEST_F(DecisionTest, Rfc4271_9_1_2_2d_ConfederationEbgpCountsAsInternal) {
  // RFC 4271 §9.1 step d (RFC 5065): a route from another Member-AS ranks like iBGP, so a
  // true eBGP route wins; against iBGP it ties at (d) and the router ID decides.
  auto a = attrs_with_path(seq({65009}));
  const auto member_low = std::make_shared<const PeerInfo>(PeerInfo{
      PeerKey{testing::addr("10.0.0.0")}, base::Asn(64602), 1, PeerKind::Ebgp, false, true});
  expect_wins(route(ebgp_b_, a), route(member_low, a), DecisionStep::EbgpOverIbgp);
  expect_wins(route(member_low, a), route(ibgp_c_, a), DecisionStep::RouterId);
}

TEST_F(DecisionTest, Rfc4271_9_1_2_2f_LowestRouterId) {
  auto a = attrs_with_path(seq({65009}));
  const auto low_id_high_addr = make_peer("10.0.0.200", 65009, 5, PeerKind::Ebgp);
  const auto high_id_low_addr = make_peer("10.0.0.100", 65009, 6, PeerKind::Ebgp);
  expect_wins(route(low_id_high_addr, a), route(high_id_low_addr, a), DecisionStep::RouterId);
}

TEST_F(DecisionTest, Rfc4456_9_OriginatorIdStandsInForRouterId) {
  const auto rr1 = make_peer("10.0.1.1", 64500, 1, PeerKind::Ibgp);
  const auto rr2 = make_peer("10.0.1.2", 64500, 2, PeerKind::Ibgp);
  auto reflected_high = attrs_with_path(seq({65009}));
  reflected_high.originator_id = 900;
  auto reflected_low = attrs_with_path(seq({65009}));
  reflected_low.originator_id = 800;
  // rr1 has the lower BGP Identifier, but its route's ORIGINATOR_ID is higher.
  expect_wins(route(rr2, reflected_low), route(rr1, reflected_high), DecisionStep::RouterId);
}

TEST_F(DecisionTest, Rfc4456_9_ShorterClusterListWins) {
  const auto rr1 = make_peer("10.0.1.1", 64500, 1, PeerKind::Ibgp);
  const auto rr2 = make_peer("10.0.1.2", 64500, 2, PeerKind::Ibgp);
  auto one = attrs_with_path(seq({65009}));
  one.originator_id = 7;
  one.cluster_list = {1};
  auto two = one;
  two.cluster_list = {1, 2};
  expect_wins(route(rr2, one), route(rr1, two), DecisionStep::ClusterListLength);
}

TEST_F(DecisionTest, Rfc4271_9_1_2_2g_LowestPeerAddress) {
  auto a = attrs_with_path(seq({64500, 9}));
  a.originator_id = 7;  // same originator via two reflectors: only the address differs
  const auto low = make_peer("10.0.1.1", 64500, 1, PeerKind::Ibgp);
  const auto high = make_peer("10.0.1.2", 64500, 1, PeerKind::Ibgp);
  expect_wins(route(low, a), route(high, a), DecisionStep::PeerAddress);
}

TEST_F(DecisionTest, SameRouteComparesEqual) {
  const Route r = route(ebgp_a_, attrs_with_path(seq({65001})));
  EXPECT_EQ(compare_routes(r, r).order, 0);
  EXPECT_EQ(compare_routes(r, r).step, DecisionStep::Equal);
}

TEST_F(DecisionTest, Rfc4271_9_1_2_2c_SelectionDoesNotDependOnOrder) {
  // Pairwise, these three form a cycle (r2 beats r1 by MED, r3 beats r2 by router ID, r1
  // beats r3 by eBGP over iBGP). The elimination of §9.1.2.2 removes r1 at step (c), then
  // picks r3 at step (f), whatever the order.
  auto r1a = attrs_with_path(seq({65100, 9}));
  r1a.med = 20;
  auto r2a = attrs_with_path(seq({65100, 9}));
  r2a.med = 10;
  auto r3a = attrs_with_path(seq({65200, 9}));
  const auto ibgp_id3 = make_peer("10.0.2.3", 64500, 3, PeerKind::Ibgp);
  const auto ibgp_id2 = make_peer("10.0.2.2", 64500, 2, PeerKind::Ibgp);
  const auto ebgp_id1 = make_peer("10.0.2.1", 65100, 1, PeerKind::Ebgp);
  const Route r1 = route(ebgp_id1, r1a);
  const Route r2 = route(ibgp_id3, r2a);
  const Route r3 = route(ibgp_id2, r3a);
  ASSERT_TRUE(compare_routes(r2, r1).a_better());
  ASSERT_TRUE(compare_routes(r3, r2).a_better());
  ASSERT_TRUE(compare_routes(r1, r3).a_better());

  std::vector<Route> routes{r1, r2, r3};
  std::sort(routes.begin(), routes.end(),
            [](const Route& x, const Route& y) { return x.peer_key() < y.peer_key(); });
  do {
    const auto best = select_best(routes);
    ASSERT_TRUE(best.has_value());
    EXPECT_EQ(routes[*best].peer_key(), r3.peer_key());
  } while (std::next_permutation(routes.begin(), routes.end(), [](const Route& x, const Route& y) {
    return x.peer_key() < y.peer_key();
  }));
}

TEST_F(DecisionTest, SelectBestOfNothingIsNothing) { EXPECT_EQ(select_best({}), std::nullopt); }

TEST_F(DecisionTest, Rfc8374_8_3_StatePreferenceRanksValidOverUnsignedOverNotValid) {
  const StatePreference pref;
  const auto valid = apply_state_preference(100, PathState::Valid, OriginState::NotFound, pref);
  const auto unsigned_ =
      apply_state_preference(100, PathState::Unsigned, OriginState::NotFound, pref);
  const auto not_valid =
      apply_state_preference(100, PathState::NotValid, OriginState::NotFound, pref);
  EXPECT_GT(valid, unsigned_);
  EXPECT_GT(unsigned_, not_valid);

  // A Valid route with a longer path wins once policy has set its preference.
  Route signed_long = route(ebgp_b_, attrs_with_path(seq({65002, 1, 2, 3})));
  signed_long.path_state = PathState::Valid;
  signed_long.local_pref = valid;
  Route unsigned_short = route(ebgp_a_, attrs_with_path(seq({65001})));
  unsigned_short.local_pref = unsigned_;
  expect_wins(signed_long, unsigned_short, DecisionStep::LocalPref);
}

TEST_F(DecisionTest, StatePreferenceClampsToUint32) {
  StatePreference pref;
  pref.origin_invalid = -1000;
  EXPECT_EQ(apply_state_preference(100, PathState::Unsigned, OriginState::Invalid, pref), 0U);
  pref.path_valid = 1LL << 40;
  EXPECT_EQ(apply_state_preference(100, PathState::Valid, OriginState::Valid, pref), 0xFFFFFFFFU);
}

TEST_F(DecisionTest, AspaPreferenceRanksInvalidBelowValidAndUnknownAndClamps) {
  AspaPreference pref;
  const auto valid = apply_aspa_preference(100, AspaState::Valid, pref);
  EXPECT_EQ(apply_aspa_preference(100, AspaState::Unknown, pref), valid);
  EXPECT_LT(apply_aspa_preference(100, AspaState::Invalid, pref), valid);
  EXPECT_EQ(apply_aspa_preference(100, AspaState::Unverified, pref), 100U);
  pref.invalid = -1000;
  EXPECT_EQ(apply_aspa_preference(100, AspaState::Invalid, pref), 0U);
  pref.valid = 1LL << 40;
  EXPECT_EQ(apply_aspa_preference(100, AspaState::Valid, pref), 0xFFFFFFFFU);
}

TEST_F(DecisionTest, AspaStateCodesRoundTripAndUnverifiedHasNone) {
  for (const auto s : {AspaState::Valid, AspaState::Unknown, AspaState::Invalid}) {
    const auto code = aspa_state_code(s);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(aspa_state_from_code(*code), s);
  }
  EXPECT_EQ(aspa_state_code(AspaState::Unverified), std::nullopt);
  EXPECT_STREQ(aspa_state_name(AspaState::Unverified), "unverified");
  EXPECT_STREQ(aspa_state_name(AspaState::Invalid), "invalid");
}

TEST_F(DecisionTest, DefaultLocalPrefTrustsOnlyIbgpAndLocal) {
  auto a = attrs_with_path(seq({65001}));
  a.local_pref = 300;
  EXPECT_EQ(default_local_pref(a, PeerKind::Ebgp), kDefaultLocalPref);
  EXPECT_EQ(default_local_pref(a, PeerKind::Ibgp), 300U);
  EXPECT_EQ(default_local_pref(a, PeerKind::Local), 300U);
  EXPECT_EQ(default_local_pref(attrs_with_path({}), PeerKind::Ibgp), kDefaultLocalPref);
}

TEST_F(DecisionTest, NamesAreStable) {
  EXPECT_STREQ(decision_step_name(DecisionStep::Med), "med");
  EXPECT_STREQ(path_state_name(PathState::NotValid), "not-valid");
  EXPECT_STREQ(path_state_name(PathState::Pending), "pending");
  EXPECT_STREQ(peer_kind_name(PeerKind::Ibgp), "ibgp");
  EXPECT_STREQ(origin_state_name(OriginState::NotFound),
               wire::origin_validation_state_name(OriginState::NotFound));
}

// PathFailure keeps the failed Secure_Path index in 16 bits: every index a BGPsec_PATH can
// have (at most 10 922 segments of six octets in 65535) fits; anything else reads as none.
TEST(PathFailure, KeepsEverySecurePathIndex) {
  EXPECT_EQ(failure_segment(-1), -1);
  EXPECT_EQ(failure_segment(0), 0);
  EXPECT_EQ(failure_segment(10921), 10921);
  EXPECT_EQ(failure_segment(32767), 32767);
  EXPECT_EQ(failure_segment(32768), -1);
  EXPECT_EQ(failure_segment(-2), -1);
  EXPECT_EQ(failure_segment(INT_MAX), -1);
}

}  // namespace
}  // namespace bgpsecd::rib
