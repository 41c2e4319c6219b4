// SPDX-License-Identifier: BSD-2-Clause
// The branches of path preparation and of both procedures that the published vectors
// (vectors_test.cpp) do not reach, and the hops a verdict reports.
#include "aspa/verify.hpp"

#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "wire/as_path_text.hpp"

namespace bgpsecd::aspa {
namespace {

using base::Asn;

wire::AsPath path_of(const char* text) {
  auto p = wire::parse_as_path_text(text);
  EXPECT_TRUE(p.has_value()) << text;
  return p.value_or(wire::AsPath{});
}

// 1 → {2}, 2 → {3}, 3 → {0}, 5 → {6}: a chain 1 < 2 < 3 with 3 at the top.
AspaTable chain() {
  const std::vector<AspaRecord> records = {
      {Asn(1), {Asn(2)}}, {Asn(2), {Asn(3)}}, {Asn(3), {Asn(0)}}, {Asn(5), {Asn(6)}}};
  return AspaTable::build(records);
}

TEST(AspaPrepare, CollapsesOnlyConsecutiveDuplicates) {
  auto p = prepare_path(path_of("1 1 2 2 2 1"));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, (std::vector<Asn>{Asn(1), Asn(2), Asn(1)}));
}

TEST(AspaPrepare, PrependsAcrossSegmentsCollapse) {
  wire::AsPath path;
  path.segments.push_back({wire::AsPathSegmentType::AsSequence, {Asn(1), Asn(2)}});
  path.segments.push_back({wire::AsPathSegmentType::AsSequence, {Asn(2), Asn(3)}});
  auto p = prepare_path(path);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, (std::vector<Asn>{Asn(1), Asn(2), Asn(3)}));
}

TEST(AspaPrepare, EmptyPathAndEmptySegments) {
  EXPECT_EQ(prepare_path(wire::AsPath{}).error(), AspaReason::EmptyPath);
  wire::AsPath empty_segment;
  empty_segment.segments.push_back({wire::AsPathSegmentType::AsSequence, {}});
  EXPECT_EQ(prepare_path(empty_segment).error(), AspaReason::EmptyPath);
}

TEST(AspaPrepare, AsSetAnywhereIsRefused) {
  for (const char* text : {"{1} 2 3", "1 {2,4} 3", "1 2 {3}", "{1,2}"}) {
    auto p = prepare_path(path_of(text));
    ASSERT_FALSE(p.has_value()) << text;
    EXPECT_EQ(p.error(), AspaReason::AsSet) << text;
  }
}

TEST(AspaPrepare, ConfederationSegmentsAreRefused) {
  for (const char* text : {"(64512 64513) 1 2", "1 [64512,64513] 2"}) {
    auto p = prepare_path(path_of(text));
    ASSERT_FALSE(p.has_value()) << text;
    EXPECT_EQ(p.error(), AspaReason::ConfedSegment) << text;
  }
}

TEST(AspaVerify, EmptyPathIsInvalidBothWays) {
  for (const auto d : {Direction::Upstream, Direction::Downstream}) {
    const auto v = verify(chain(), wire::AsPath{}, {d, Asn(1)});
    EXPECT_EQ(v.state, AspaState::Invalid);
    EXPECT_EQ(v.reason, AspaReason::EmptyPath);
    EXPECT_EQ(v.path_length, 0U);
  }
}

TEST(AspaVerify, SingleAsIsValidBothWays) {
  for (const auto d : {Direction::Upstream, Direction::Downstream}) {
    for (const char* text : {"1", "7", "7 7 7"}) {
      const auto v = verify(chain(), path_of(text), {d, std::nullopt});
      EXPECT_EQ(v.state, AspaState::Valid) << text << " " << direction_name(d);
      EXPECT_EQ(v.path_length, 1U) << text;
    }
  }
}

TEST(AspaVerify, NeighborCheckComesBeforeTheAsSetCheck) {
  // Steps 2 then 3: a wrong neighbor is reported even when a set follows.
  const auto v = verify(chain(), path_of("9 {1,2}"), {Direction::Downstream, Asn(3)});
  EXPECT_EQ(v.reason, AspaReason::NeighborMismatch);
  // A leading set has no single most recent AS: step 3 refuses it.
  const auto w = verify(chain(), path_of("{3} 2 1"), {Direction::Upstream, Asn(3)});
  EXPECT_EQ(w.reason, AspaReason::AsSet);
}

TEST(AspaVerify, NeighborCheckUsesThePathBeforeCollapsing) {
  const auto v = verify(chain(), path_of("2 2 1"), {Direction::Upstream, Asn(2)});
  EXPECT_EQ(v.state, AspaState::Valid);
}

TEST(AspaVerify, UpstreamInvalidNamesTheFirstNotProviderHop) {
  // Origin 1, then 2 (1 → 2 P+), then 5 (2 → 5 Not P+), then 6 (5 → 6 P+).
  const auto v = verify(chain(), path_of("6 5 2 1"), {Direction::Upstream, Asn(6)});
  EXPECT_EQ(v.state, AspaState::Invalid);
  EXPECT_EQ(v.reason, AspaReason::NotProviderPlus);
  ASSERT_TRUE(v.up_hop.has_value());
  EXPECT_EQ(*v.up_hop, (Hop{2, Asn(2), Asn(5), Authorization::NotProviderPlus}));
  EXPECT_FALSE(v.down_hop.has_value());
}

TEST(AspaVerify, UpstreamInvalidTrumpsAnEarlierUnknown) {
  // 7 → 1: no attestation (Unknown) first, then 1 → 9 Not P+: Invalid names the later hop.
  const auto v = verify(chain(), path_of("9 1 7"), {Direction::Upstream, Asn(9)});
  EXPECT_EQ(v.state, AspaState::Invalid);
  ASSERT_TRUE(v.up_hop.has_value());
  EXPECT_EQ(v.up_hop->customer, Asn(1));
  EXPECT_EQ(v.up_hop->provider, Asn(9));
}

TEST(AspaVerify, UpstreamUnknownNamesTheFirstUnattestedHop) {
  // Origin 7 has no ASPA: 7 → 1 has no attestation; 1 → 2 and 2 → 3 are Provider+.
  const auto v = verify(chain(), path_of("3 2 1 7"), {Direction::Upstream, Asn(3)});
  EXPECT_EQ(v.state, AspaState::Unknown);
  EXPECT_EQ(v.reason, AspaReason::NoAttestation);
  ASSERT_TRUE(v.up_hop.has_value());
  EXPECT_EQ(*v.up_hop, (Hop{1, Asn(7), Asn(1), Authorization::NoAttestation}));
}

TEST(AspaVerify, DownstreamApexesOneHopApartAreValid) {
  // 5 6 3 2 1: the up-ramp 1 → 2 → 3 ends at 3 → 6 (3 has no providers: max_up 3); from the
  // neighbor, 5 → 6 is Provider+, 6 → 3 has no attestation (min_down 2) and 3 → 2 is Not
  // Provider+ (max_down 3). min_up + min_down = 5 = N: the one unattested hop is the gap
  // between the two apexes, which is allowed.
  const auto table = chain();
  const std::vector<Asn> path = {Asn(5), Asn(6), Asn(3), Asn(2), Asn(1)};
  const auto r = compute_ramps(table, path, true);
  EXPECT_EQ(r.max_up, 3U);
  EXPECT_EQ(r.min_up, 3U);
  EXPECT_EQ(r.max_down, 3U);
  EXPECT_EQ(r.min_down, 2U);
  const auto v = verify_prepared(table, path, Direction::Downstream);
  EXPECT_EQ(v.state, AspaState::Valid);
  EXPECT_EQ(v.path_length, 5U);
  EXPECT_FALSE(v.up_hop.has_value());
  // Upstream, the same path is Invalid at 3 → 6.
  const auto u = verify_prepared(table, path, Direction::Upstream);
  EXPECT_EQ(u.state, AspaState::Invalid);
  ASSERT_TRUE(u.up_hop.has_value());
  EXPECT_EQ(*u.up_hop, (Hop{3, Asn(3), Asn(6), Authorization::NotProviderPlus}));
}

TEST(AspaVerify, DownstreamInvalidReportsBothNotProviderHops) {
  const auto table = chain();
  // 1 2 3 2 1: up 1 → 2 → 3, down 3 → 2 → 1: a valley-free path with apex 3.
  EXPECT_EQ(verify(table, path_of("1 2 3 2 1"), {Direction::Downstream, Asn(1)}).state,
            AspaState::Valid);
  // 1 2 1 2 1: the up-ramp ends at 2 → 1 (AS(2) → AS(3), max_up 2), the down-ramp at
  // AS(4) = 2 → AS(3) = 1 (max_down 2). 2 + 2 < 5: a valley, Invalid.
  const auto v = verify(table, path_of("1 2 1 2 1"), {Direction::Downstream, Asn(1)});
  EXPECT_EQ(v.state, AspaState::Invalid);
  EXPECT_EQ(v.reason, AspaReason::NotProviderPlus);
  ASSERT_TRUE(v.up_hop.has_value());
  ASSERT_TRUE(v.down_hop.has_value());
  EXPECT_EQ(*v.up_hop, (Hop{2, Asn(2), Asn(1), Authorization::NotProviderPlus}));
  EXPECT_EQ(*v.down_hop, (Hop{4, Asn(2), Asn(1), Authorization::NotProviderPlus}));
  // The same path upstream is Invalid at the same up-ramp hop, with no down hop.
  const auto u = verify(table, path_of("1 2 1 2 1"), {Direction::Upstream, Asn(1)});
  EXPECT_EQ(u.state, AspaState::Invalid);
  EXPECT_EQ(u.up_hop, v.up_hop);
  EXPECT_FALSE(u.down_hop.has_value());
}

TEST(AspaVerify, DownstreamTwoAsesAreAlwaysValid) {
  const auto table = chain();
  for (const char* text : {"3 5", "5 3", "1 3", "9 8"}) {
    EXPECT_EQ(verify(table, path_of(text), {Direction::Downstream, std::nullopt}).state,
              AspaState::Valid)
        << text;
  }
}

TEST(AspaVerify, UnknownVersusInvalidBoundaryDownstream) {
  const auto table = chain();
  // 9 8 1: 1 → 8 is Not Provider+ (max_up 1); 9 and 8 have no ASPA, so the down-ramp has no
  // Not Provider+ hop (max_down 3): 1 + 3 >= 3, not Invalid; min_up 1 + min_down 1 < 3:
  // Unknown.
  const auto v = verify(table, path_of("9 8 1"), {Direction::Downstream, Asn(9)});
  EXPECT_EQ(v.state, AspaState::Unknown);
  ASSERT_TRUE(v.up_hop.has_value());
  ASSERT_TRUE(v.down_hop.has_value());
  EXPECT_EQ(*v.down_hop, (Hop{3, Asn(9), Asn(8), Authorization::NoAttestation}));
  // 9 3 1: 1 → 3 Not Provider+ (max_up 1); 3 → 1 Not Provider+ at J = 2 (max_down 2):
  // 1 + 2 = N exactly, so not Invalid; 9 → 3 unattested: Unknown.
  EXPECT_EQ(verify(table, path_of("9 3 1"), {Direction::Downstream, Asn(9)}).state,
            AspaState::Unknown);
  // 2 3 2 1: max_up 3 (3 → 2), max_down 2 (3 → 2 at J = 3): 3 + 2 >= 4, Valid.
  EXPECT_EQ(verify(table, path_of("2 3 2 1"), {Direction::Downstream, Asn(2)}).state,
            AspaState::Valid);
}

TEST(AspaVerify, As0InThePathNeverMatchesAnAs0Aspa) {
  const std::vector<AspaRecord> records = {{Asn(1), {Asn(0)}}};
  const auto table = AspaTable::build(records);
  const auto v = verify(table, path_of("0 1"), {Direction::Upstream, Asn(0)});
  EXPECT_EQ(v.state, AspaState::Invalid);
}

// The ramps straight from their definitions (docs/aspa.md §5), with no early stop.
Ramps ramps_by_definition(const AspaTable& t, const std::vector<Asn>& path) {
  const std::size_t n = path.size();
  const auto as_at = [&](std::size_t i) { return path[n - i]; };
  Ramps r{n, n, n, n, {}, {}, {}, {}};
  for (std::size_t i = n - 1; i >= 1; --i) {
    const auto a = t.authorized(as_at(i), as_at(i + 1));
    if (a == Authorization::NotProviderPlus) {
      r.max_up = i;
    }
    if (a != Authorization::ProviderPlus) {
      r.min_up = i;
    }
  }
  for (std::size_t j = 2; j <= n; ++j) {
    const auto a = t.authorized(as_at(j), as_at(j - 1));
    if (a == Authorization::NotProviderPlus) {
      r.max_down = n - j + 1;
    }
    if (a != Authorization::ProviderPlus) {
      r.min_down = n - j + 1;
    }
  }
  return r;
}

TEST(AspaVerify, EarlyStopGivesTheDefinedRampsOnRandomPaths) {
  std::mt19937 rng(7);
  std::vector<AspaRecord> records;
  for (std::uint32_t c = 1; c <= 12; ++c) {
    if (rng() % 4 == 0) {
      continue;  // no ASPA
    }
    AspaRecord r{Asn(c), {}};
    for (auto k = rng() % 4; k > 0; --k) {
      r.providers.emplace_back(static_cast<std::uint32_t>(rng() % 13));
    }
    records.push_back(std::move(r));
  }
  const auto table = AspaTable::build(records);
  for (int round = 0; round < 20000; ++round) {
    std::vector<Asn> path;
    for (auto len = 1 + rng() % 9; path.size() < len;) {
      const Asn a(static_cast<std::uint32_t>(1 + rng() % 12));
      if (path.empty() || path.back() != a) {
        path.push_back(a);
      }
    }
    const auto got = compute_ramps(table, path, true);
    const auto want = ramps_by_definition(table, path);
    ASSERT_EQ(got.max_up, want.max_up) << round;
    ASSERT_EQ(got.min_up, want.min_up) << round;
    ASSERT_EQ(got.max_down, want.max_down) << round;
    ASSERT_EQ(got.min_down, want.min_down) << round;
  }
}

TEST(AspaVerify, Names) {
  EXPECT_STREQ(aspa_state_name(AspaState::Valid), "valid");
  EXPECT_STREQ(aspa_state_name(AspaState::Invalid), "invalid");
  EXPECT_STREQ(aspa_state_name(AspaState::Unknown), "unknown");
  EXPECT_STREQ(direction_name(Direction::Upstream), "upstream");
  EXPECT_STREQ(direction_name(Direction::Downstream), "downstream");
  EXPECT_STREQ(aspa_reason_name(AspaReason::NotProviderPlus), "not-provider+");
  EXPECT_STREQ(aspa_reason_name(AspaReason::NeighborMismatch), "neighbor-mismatch");
}

}  // namespace
}  // namespace bgpsecd::aspa
