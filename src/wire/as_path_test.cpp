// SPDX-License-Identifier: BSD-2-Clause
#include "wire/as_path.hpp"

#include <gtest/gtest.h>

#include "wire/update_test_util.hpp"

namespace bgpsecd::wire {
namespace {

using test::hex;
using test::same_bytes;

AsPathSegment seg(AsPathSegmentType type, std::initializer_list<std::uint32_t> asns) {
  AsPathSegment s;
  s.type = type;
  for (auto a : asns) {
    s.asns.emplace_back(a);
  }
  return s;
}

constexpr auto kSeq = AsPathSegmentType::AsSequence;
constexpr auto kSet = AsPathSegmentType::AsSet;
constexpr auto kConfedSeq = AsPathSegmentType::AsConfedSequence;
constexpr auto kConfedSet = AsPathSegmentType::AsConfedSet;

base::Bytes encode(const AsPath& p, bool four_octet) {
  base::ByteWriter w;
  encode_as_path_value(p, four_octet, w);
  return w.take();
}

TEST(AsPath, FourOctetBothWays) {
  const auto bytes = hex("0202 0000FDE9 00010000  0102 0000FDEA 0000FDEB  0301 0000FDE8");
  const AsPath expected{
      {seg(kSeq, {65001, 65536}), seg(kSet, {65002, 65003}), seg(kConfedSeq, {65000})}};
  auto path = decode_as_path(bytes, true);
  ASSERT_TRUE(path);
  EXPECT_EQ(*path, expected);
  EXPECT_TRUE(same_bytes(bytes, encode(expected, true)));
}

TEST(AsPath, TwoOctetBothWays) {
  const auto bytes = hex("0203 FDE9 5BA0 FDEA  0401 FDE8");
  const AsPath expected{{seg(kSeq, {65001, 23456, 65002}), seg(kConfedSet, {65000})}};
  auto path = decode_as_path(bytes, false);
  ASSERT_TRUE(path);
  EXPECT_EQ(*path, expected);
  EXPECT_TRUE(same_bytes(bytes, encode(expected, false)));
}

TEST(AsPath, EmptyValueIsEmptyPath) {
  auto path = decode_as_path({}, true);
  ASSERT_TRUE(path);
  EXPECT_TRUE(path->segments.empty());
  EXPECT_TRUE(encode(AsPath{}, true).empty());
}

// RFC 6793 §4.2.2: ASNs above 65535 go to an old speaker as AS_TRANS.
TEST(AsPath, Rfc6793_4_2_2_TwoOctetEncodingUsesAsTrans) {
  const AsPath p{{seg(kSeq, {65001, 4200000000U})}};
  EXPECT_TRUE(same_bytes(hex("0202 FDE9 5BA0"), encode(p, false)));
}

// RFC 4271 §5.1.2: more than 255 ASNs continue in a new segment.
TEST(AsPath, Rfc4271_5_1_2_LongSequenceIsSplit) {
  AsPath p{{AsPathSegment{kSeq, {}}}};
  for (std::uint32_t i = 0; i < 300; ++i) {
    p.segments[0].asns.emplace_back(64512 + i);
  }
  const auto bytes = encode(p, true);
  ASSERT_EQ(bytes.size(), 2 + 255 * 4 + 2 + 45 * 4U);
  auto back = decode_as_path(bytes, true);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->segments.size(), 2U);
  EXPECT_EQ(back->segments[0].asns.size(), 255U);
  EXPECT_EQ(back->segments[1].asns.size(), 45U);
  EXPECT_EQ(back->segments[1].asns.back(), base::Asn(64512 + 299));
}

TEST(AsPath, EmptySegmentsAreNotWritten) {
  const AsPath p{{AsPathSegment{kSeq, {}}, seg(kSeq, {1})}};
  EXPECT_TRUE(same_bytes(hex("0201 00000001"), encode(p, true)));
}

struct MalformedCase {
  const char* name;
  const char* hex;
  std::uint32_t bad_offset;  // within the value
};

// RFC 7606 §7.2: unknown segment type, zero-length segment, overrun, underrun.
TEST(AsPath, Rfc7606_7_2_MalformedIsTreatAsWithdraw) {
  const MalformedCase cases[] = {
      {"unknown type", "0201 00000001 0501 00000002", 6},
      {"type zero", "0001 00000001", 0},
      {"zero length", "0200", 0},
      {"overrun", "0202 00000001", 0},
      {"one octet left", "0201 00000001 02", 6},
  };
  for (const auto& c : cases) {
    const auto bytes = hex(c.hex);
    auto r = decode_as_path(bytes, true, 100);
    ASSERT_FALSE(r) << c.name;
    EXPECT_TRUE(test::is_error(r.error(), base::Action::TreatAsWithdraw, 3, 11, 100 + c.bad_offset,
                               static_cast<std::uint32_t>(bytes.size()) - c.bad_offset))
        << c.name;
  }
  // Two-octet ASNs: a segment of 2 needs 4 octets.
  auto r = decode_as_path(hex("0202 FDE9 FD"), false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().subcode, 11);
}

TEST(AsPath, LengthForDecision) {
  // RFC 4271 §9.1.2.2(a): a set counts 1, confederation segments 0.
  const AsPath p{
      {seg(kConfedSeq, {1, 2}), seg(kSeq, {3, 4, 5}), seg(kSet, {6, 7}), seg(kConfedSet, {8})}};
  EXPECT_EQ(p.length_for_decision(), 4U);
  EXPECT_EQ(AsPath{}.length_for_decision(), 0U);
}

TEST(AsPath, OriginAs) {
  base::Asn origin(1);
  // RFC 6811 §2: the right-most AS of a final AS_SEQUENCE.
  EXPECT_TRUE((AsPath{{seg(kSeq, {3, 4, 5})}}).origin_as(origin));
  EXPECT_EQ(origin, base::Asn(5));
  EXPECT_FALSE((AsPath{{seg(kSeq, {3}), seg(kSet, {6, 7})}}).origin_as(origin));
  EXPECT_EQ(origin, base::Asn(0));
  EXPECT_FALSE(AsPath{}.origin_as(origin));
  EXPECT_FALSE((AsPath{{seg(kSeq, {3}), seg(kConfedSeq, {9})}}).origin_as(origin));
}

TEST(AsPath, Contains) {
  const AsPath p{{seg(kSeq, {3, 4}), seg(kSet, {6, 7})}};
  EXPECT_TRUE(p.contains(base::Asn(4)));
  EXPECT_TRUE(p.contains(base::Asn(7)));
  EXPECT_FALSE(p.contains(base::Asn(5)));
}

}  // namespace
}  // namespace bgpsecd::wire
