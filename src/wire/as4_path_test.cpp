// SPDX-License-Identifier: BSD-2-Clause
#include "wire/as4_path.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::wire {
namespace {

constexpr std::uint32_t kTrans = 23456;
constexpr auto kSeq = AsPathSegmentType::AsSequence;
constexpr auto kSet = AsPathSegmentType::AsSet;
constexpr auto kConfedSeq = AsPathSegmentType::AsConfedSequence;

AsPathSegment seg(AsPathSegmentType type, std::initializer_list<std::uint32_t> asns) {
  AsPathSegment s;
  s.type = type;
  for (auto a : asns) {
    s.asns.emplace_back(a);
  }
  return s;
}

// RFC 6793 §4.2.3: leading part of AS_PATH + AS4_PATH, as many ASNs as AS_PATH.
TEST(MergeAs4Path, Rfc6793_4_2_3_ReplacesTheTrailingPart) {
  const AsPath as_path{{seg(kSeq, {65001, kTrans, 65002, kTrans})}};
  const AsPath as4_path{{seg(kSeq, {4200000001U, 65002, 4200000002U})}};
  const AsPath expected{{seg(kSeq, {65001, 4200000001U, 65002, 4200000002U})}};
  EXPECT_EQ(merge_as4_path(as_path, as4_path), expected);
}

TEST(MergeAs4Path, Rfc6793_4_2_3_EqualLengthTakesAs4PathWhole) {
  const AsPath as_path{{seg(kSeq, {kTrans, kTrans})}};
  const AsPath as4_path{{seg(kSeq, {4200000001U, 4200000002U})}};
  EXPECT_EQ(merge_as4_path(as_path, as4_path), as4_path);
}

TEST(MergeAs4Path, Rfc6793_4_2_3_LongerAs4PathIsIgnored) {
  const AsPath as_path{{seg(kSeq, {65001})}};
  const AsPath as4_path{{seg(kSeq, {4200000001U, 4200000002U})}};
  EXPECT_EQ(merge_as4_path(as_path, as4_path), as_path);
}

TEST(MergeAs4Path, Rfc6793_4_2_3_SetCountsOneAndIsNotSplit) {
  // AS_PATH counts 3 (65001, the set, kTrans); AS4_PATH counts 1: keep 65001 and the set.
  const AsPath as_path{{seg(kSeq, {65001}), seg(kSet, {65010, 65011}), seg(kSeq, {kTrans})}};
  const AsPath as4_path{{seg(kSeq, {4200000001U})}};
  const AsPath expected{{seg(kSeq, {65001}), seg(kSet, {65010, 65011}), seg(kSeq, {4200000001U})}};
  EXPECT_EQ(merge_as4_path(as_path, as4_path), expected);
}

TEST(MergeAs4Path, Rfc6793_4_2_3_ConfederationSegmentsStayAndDoNotCount) {
  const AsPath as_path{{seg(kConfedSeq, {65100, 65101}), seg(kSeq, {65001, kTrans})}};
  const AsPath as4_path{{seg(kSeq, {4200000001U})}};
  const AsPath expected{{seg(kConfedSeq, {65100, 65101}), seg(kSeq, {65001, 4200000001U})}};
  EXPECT_EQ(merge_as4_path(as_path, as4_path), expected);
}

// RFC 6793 §6: AS4_PATH must not carry confederation segments; they are left out.
TEST(MergeAs4Path, Rfc6793_6_ConfederationSegmentsInAs4PathAreDropped) {
  const AsPath as_path{{seg(kSeq, {65001, kTrans})}};
  const AsPath as4_path{{seg(kConfedSeq, {65100}), seg(kSeq, {4200000001U})}};
  const AsPath expected{{seg(kSeq, {65001, 4200000001U})}};
  EXPECT_EQ(merge_as4_path(as_path, as4_path), expected);
}

TEST(MergeAs4Path, LongResultStaysInSegmentsOf255) {
  AsPath as_path{{AsPathSegment{kSeq, {}}}};
  for (std::uint32_t i = 0; i < 200; ++i) {
    as_path.segments[0].asns.emplace_back(64512 + i);
  }
  AsPath as4_path{{AsPathSegment{kSeq, {}}}};
  for (std::uint32_t i = 0; i < 100; ++i) {
    as_path.segments[0].asns.emplace_back(kTrans);
    as4_path.segments[0].asns.emplace_back(4200000000U + i);
  }
  // 300 ASNs in one AS_PATH segment is only possible in memory; the kept 200 and AS4_PATH's
  // 100 do not fit one segment, so they stay two.
  const AsPath merged = merge_as4_path(as_path, as4_path);
  ASSERT_EQ(merged.segments.size(), 2U);
  EXPECT_EQ(merged.segments[0].asns.size(), 200U);
  EXPECT_EQ(merged.segments[1], as4_path.segments[0]);
}

TEST(MergeAs4Path, EmptyAs4PathKeepsAsPath) {
  const AsPath as_path{{seg(kSeq, {65001, 65002})}};
  EXPECT_EQ(merge_as4_path(as_path, AsPath{}), as_path);
}

}  // namespace
}  // namespace bgpsecd::wire
