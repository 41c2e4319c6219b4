// SPDX-License-Identifier: BSD-2-Clause
// Tables from real AS paths: prepends become pCount, unsignable paths are skipped and counted,
// routes keep their prefixes and order, equal paths are stored once, transit ASes first.
#include "bgpsec/real_path_table.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::bgpsec {
namespace {

constexpr base::Asn kTarget{64512};
constexpr base::Asn kPeer{65001};

base::Prefix pfx(const char* text) { return base::Prefix::parse(text).value(); }

wire::AsPathSegment segment(wire::AsPathSegmentType type,
                            std::initializer_list<std::uint32_t> asns) {
  wire::AsPathSegment s{type, {}};
  for (auto a : asns) {
    s.asns.emplace_back(a);
  }
  return s;
}

mrt::PathRoute route(const char* prefix, std::initializer_list<wire::AsPathSegment> segments) {
  return {pfx(prefix), wire::AsPath{segments}};
}

constexpr auto kSeq = wire::AsPathSegmentType::AsSequence;
constexpr auto kSet = wire::AsPathSegmentType::AsSet;
constexpr auto kConfed = wire::AsPathSegmentType::AsConfedSequence;

std::vector<wire::SecurePathSegment> secure(
    std::initializer_list<std::pair<std::uint32_t, int>> s) {
  std::vector<wire::SecurePathSegment> out;
  for (auto [asn, pcount] : s) {
    out.push_back({.pcount = static_cast<std::uint8_t>(pcount), .flags = 0, .asn = base::Asn(asn)});
  }
  return out;
}

TEST(RealPathTable, Rfc8205Sec4_2_PrependsBecomePcount) {
  const std::vector<mrt::PathRoute> routes{
      route("10.0.0.0/8", {segment(kSeq, {3356, 174, 174, 174, 4200000000})}),
      route("10.1.0.0/16", {segment(kSeq, {3356}), segment(kSeq, {174, 64496, 64496})}),
      route("2001:db8::/32", {segment(kSeq, {3356, 174, 174, 174, 4200000000})})};
  const base::Asn reserved[] = {kTarget, kPeer};
  RealPathStats stats;
  auto table = make_real_path_table(routes, reserved, 100, stats);
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(stats.kept, 3U);
  EXPECT_EQ(stats.prepends, 3U);
  ASSERT_EQ(table->paths.size(), 2U) << "equal paths stored once";
  EXPECT_EQ(table->paths[0], secure({{3356, 1}, {174, 3}, {4200000000, 1}}));
  EXPECT_EQ(table->paths[1], secure({{3356, 1}, {174, 1}, {64496, 2}}));
  ASSERT_EQ(table->routes.size(), 3U);
  EXPECT_EQ(table->routes[0].prefix, pfx("10.0.0.0/8"));
  EXPECT_EQ(table->routes[2].prefix, pfx("2001:db8::/32"));
  EXPECT_EQ(table->routes[2].path, 0U);
  EXPECT_EQ(table->routes[1].path, 1U);
  EXPECT_EQ(table->ases[table->routes[0].origin], base::Asn(4200000000));
  EXPECT_EQ(table->ases[table->routes[1].origin], base::Asn(64496));
  EXPECT_EQ(table->hops(0), 4U);
  EXPECT_EQ(table->transit_count, 2U);
  EXPECT_EQ(table->ases, (std::vector<base::Asn>{base::Asn(3356), base::Asn(174),
                                                 base::Asn(4200000000), base::Asn(64496)}));
}

TEST(RealPathTable, UnsignablePathsAreSkippedAndCounted) {
  const std::vector<mrt::PathRoute> routes{
      route("10.0.0.0/24", {segment(kSeq, {3356, 13335}), segment(kSet, {1, 2})}),
      route("10.0.1.0/24", {segment(kConfed, {65100}), segment(kSeq, {3356, 13335})}),
      route("10.0.2.0/24", {segment(kSeq, {3356, 0})}),
      route("10.0.3.0/24", {segment(kSeq, {3356, 64512, 13335})}),
      route("10.0.4.0/24", {}),
      route("10.0.5.0/24", {segment(kSeq, {13335})})};
  const base::Asn reserved[] = {kTarget, kPeer};
  RealPathStats stats;
  auto table = make_real_path_table(routes, reserved, 100, stats);
  ASSERT_TRUE(table) << table.error().message;
  EXPECT_EQ(stats.with_set, 1U);
  EXPECT_EQ(stats.with_confed, 1U);
  EXPECT_EQ(stats.with_as0, 1U);
  EXPECT_EQ(stats.with_reserved, 1U);
  EXPECT_EQ(stats.empty, 1U);
  EXPECT_EQ(stats.kept, 1U);
  ASSERT_EQ(table->routes.size(), 1U);
  EXPECT_EQ(table->routes[0].prefix, pfx("10.0.5.0/24"));
  EXPECT_EQ(table->transit_count, 0U);

  RealPathStats one;
  auto first = make_real_path_table(routes, {}, 1, one);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->routes.size(), 1U) << "the limit counts kept routes";
  EXPECT_EQ(first->routes[0].prefix, pfx("10.0.3.0/24")) << "the first three are not signable";

  RealPathStats none;
  EXPECT_FALSE(make_real_path_table(std::span(routes).first(2), reserved, 100, none));
}

TEST(RealPathTable, LongPrependSplitsAt255) {
  wire::AsPathSegment s{kSeq, std::vector<base::Asn>(300, base::Asn(64496))};
  const std::vector<mrt::PathRoute> routes{{pfx("10.0.0.0/8"), wire::AsPath{{s}}}};
  RealPathStats stats;
  auto table = make_real_path_table(routes, {}, 100, stats);
  ASSERT_TRUE(table);
  EXPECT_EQ(table->paths[0], secure({{64496, 255}, {64496, 45}}));
}

}  // namespace
}  // namespace bgpsecd::bgpsec
