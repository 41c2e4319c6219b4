// SPDX-License-Identifier: BSD-2-Clause
// AS_PATH reconstruction from a Secure_Path (RFC 8205 §4.4): pCount
// expansion, pCount 0, confederation runs, the 255-ASN segment limit, path length and origin
// AS, checked on the value and on the encoded AS_PATH bytes.
#include "bgpsec/as_path_rebuild.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/byte_writer.hpp"
#include "base/hex.hpp"
#include "bgpsec/test_support.hpp"

namespace bgpsecd::bgpsec {
namespace {

constexpr auto kSeq = wire::AsPathSegmentType::AsSequence;
constexpr auto kConfedSeq = wire::AsPathSegmentType::AsConfedSequence;

wire::SecurePathSegment plain(std::uint32_t asn, std::uint8_t pcount = 1) {
  return {pcount, 0, base::Asn(asn)};
}
wire::SecurePathSegment confed(std::uint32_t asn, std::uint8_t pcount = 1) {
  return {pcount, wire::kConfedSegmentFlag, base::Asn(asn)};
}

wire::AsPathSegment seg(wire::AsPathSegmentType type, std::vector<std::uint32_t> asns) {
  wire::AsPathSegment s;
  s.type = type;
  for (const auto a : asns) {
    s.asns.emplace_back(a);
  }
  return s;
}

// Hex text with optional spaces, for readable byte expectations.
base::Bytes hex(std::string text) {
  std::erase(text, ' ');
  return test_vectors::hex_bytes(text);
}

base::Bytes encode(const wire::AsPath& path) {
  base::ByteWriter w;
  wire::encode_as_path_value(path, true, w);
  return w.take();
}

// The rebuilt path, its 4-octet encoding, and that the encoding decodes to the same value.
void expect_rebuild(const std::vector<wire::SecurePathSegment>& sp, const wire::AsPath& expected,
                    const base::Bytes& expected_bytes) {
  const auto rebuilt = rebuild_as_path(sp);
  EXPECT_EQ(rebuilt, expected);
  const auto bytes = encode(rebuilt);
  EXPECT_EQ(base::to_hex(bytes), base::to_hex(expected_bytes));
  const auto decoded = wire::decode_as_path(bytes, true);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, rebuilt);
}

TEST(AsPathRebuild, Rfc8608ExamplePath) {
  const auto path = testing::example_path(0);
  expect_rebuild(path.secure_path, wire::AsPath{{seg(kSeq, {65536, 64496})}},
                 hex("0202 00010000 0000FBF0"));
  EXPECT_EQ(secure_path_length(path.secure_path), 2U);
  EXPECT_EQ(secure_path_origin_as(path.secure_path), base::Asn(64496));
}

TEST(AsPathRebuild, Rfc8205Sec4_4_PcountExpandsPrepending) {
  const std::vector sp = {plain(65003, 3), plain(65002), plain(65001, 2)};
  expect_rebuild(sp, wire::AsPath{{seg(kSeq, {65003, 65003, 65003, 65002, 65001, 65001})}},
                 hex("0206 0000FDEB 0000FDEB 0000FDEB 0000FDEA 0000FDE9 0000FDE9"));
  EXPECT_EQ(secure_path_length(sp), 6U);
  EXPECT_EQ(secure_path_origin_as(sp), base::Asn(65001));
}

TEST(AsPathRebuild, Rfc8205Sec7_2_PcountZeroContributesNothing) {
  // A transparent route server (AS 65010) between 65001 and 65002.
  const std::vector sp = {plain(65002), plain(65010, 0), plain(65001)};
  expect_rebuild(sp, wire::AsPath{{seg(kSeq, {65002, 65001})}}, hex("0202 0000FDEA 0000FDE9"));
  EXPECT_EQ(secure_path_length(sp), 2U);
}

TEST(AsPathRebuild, OnlyPcountZeroGivesAnEmptyPathButKeepsTheOrigin) {
  const std::vector sp = {plain(65010, 0)};
  expect_rebuild(sp, wire::AsPath{}, base::Bytes{});
  EXPECT_EQ(secure_path_length(sp), 0U);
  // The origin for RFC 6811 is the least recent segment's AS, whatever its pCount.
  EXPECT_EQ(secure_path_origin_as(sp), base::Asn(65010));
}

TEST(AsPathRebuild, Rfc8205Sec4_3_ConfedRunBecomesAsConfedSequenceFirst) {
  // Members 65102 and 65101 of a confederation, then the external path.
  const std::vector sp = {confed(65102), confed(65101), plain(65001), plain(65000)};
  expect_rebuild(sp, wire::AsPath{{seg(kConfedSeq, {65102, 65101}), seg(kSeq, {65001, 65000})}},
                 hex("0302 0000FE4E 0000FE4D 0202 0000FDE9 0000FDE8"));
  // RFC 4271 §9.1.2.2(a) via RFC 5065: confederation segments do not count.
  EXPECT_EQ(secure_path_length(sp), 2U);
  EXPECT_EQ(rebuild_as_path(sp).length_for_decision(), 2U);
  EXPECT_EQ(secure_path_origin_as(sp), base::Asn(65000));
}

TEST(AsPathRebuild, ConfedEntrySegmentWithPcountZeroContributesNothing) {
  // The edge's entry segment (confederation identifier, pCount 0) is not in AS_CONFED_SEQUENCE.
  const std::vector sp = {confed(65101), confed(64999, 0), plain(65001)};
  expect_rebuild(sp, wire::AsPath{{seg(kConfedSeq, {65101}), seg(kSeq, {65001})}},
                 hex("0301 0000FE4D 0201 0000FDE9"));
  EXPECT_EQ(secure_path_length(sp), 1U);
}

TEST(AsPathRebuild, ConfedPcountExpands) {
  const std::vector sp = {confed(65101, 2), plain(65001)};
  expect_rebuild(sp, wire::AsPath{{seg(kConfedSeq, {65101, 65101}), seg(kSeq, {65001})}},
                 hex("0302 0000FE4D 0000FE4D 0201 0000FDE9"));
}

TEST(AsPathRebuild, UnassignedFlagBitsAreNotConfed) {
  const std::vector<wire::SecurePathSegment> sp = {{1, 0x7F, base::Asn(65002)}, plain(65001)};
  expect_rebuild(sp, wire::AsPath{{seg(kSeq, {65002, 65001})}}, hex("0202 0000FDEA 0000FDE9"));
}

TEST(AsPathRebuild, EmptySecurePath) {
  const std::vector<wire::SecurePathSegment> sp;
  EXPECT_EQ(rebuild_as_path(sp), wire::AsPath{});
  EXPECT_EQ(secure_path_length(sp), 0U);
  EXPECT_EQ(secure_path_origin_as(sp), base::Asn(0));
}

// RFC 4271 §5.1.2: a 1-octet segment length, so at most 255 ASNs per segment.
TEST(AsPathRebuild, Exactly255AsnsFitOneSegment) {
  const std::vector sp = {plain(65002, 254), plain(65001)};
  const auto rebuilt = rebuild_as_path(sp);
  ASSERT_EQ(rebuilt.segments.size(), 1U);
  EXPECT_EQ(rebuilt.segments[0].asns.size(), 255U);
  const auto bytes = encode(rebuilt);
  ASSERT_EQ(bytes.size(), 2U + 255U * 4U);
  EXPECT_EQ(bytes[0], 0x02);
  EXPECT_EQ(bytes[1], 0xFF);
}

TEST(AsPathRebuild, SplitsAt255AsnsAcrossPcountExpansion) {
  // 255 + 255 + 1 = 511 ASNs: 255, 255, 1.
  const std::vector sp = {plain(65003, 255), plain(65002, 255), plain(65001)};
  const auto rebuilt = rebuild_as_path(sp);
  ASSERT_EQ(rebuilt.segments.size(), 3U);
  EXPECT_EQ(rebuilt.segments[0], seg(kSeq, std::vector<std::uint32_t>(255, 65003)));
  EXPECT_EQ(rebuilt.segments[1], seg(kSeq, std::vector<std::uint32_t>(255, 65002)));
  EXPECT_EQ(rebuilt.segments[2], seg(kSeq, {65001}));
  EXPECT_EQ(secure_path_length(sp), 511U);
  EXPECT_EQ(rebuilt.length_for_decision(), 511U);

  const auto bytes = encode(rebuilt);
  ASSERT_EQ(bytes.size(), 3U * 2U + 511U * 4U);
  EXPECT_EQ(base::to_hex(std::span<const std::uint8_t>(bytes).first(6)), "02FF0000FDEB");
  EXPECT_EQ(base::to_hex(std::span<const std::uint8_t>(bytes).subspan(2 + 255 * 4, 6)),
            "02FF0000FDEA");
  EXPECT_EQ(base::to_hex(std::span<const std::uint8_t>(bytes).subspan(2 * (2 + 255 * 4))),
            "02010000FDE9");
  const auto decoded = wire::decode_as_path(bytes, true);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, rebuilt);
}

TEST(AsPathRebuild, SplitsInsideOneSegmentsRun) {
  // 300 one-pCount segments: 255 then 45, the order of the Secure_Path kept.
  std::vector<wire::SecurePathSegment> sp;
  for (std::uint32_t i = 0; i < 300; ++i) {
    sp.push_back(plain(4200000000U + i));
  }
  const auto rebuilt = rebuild_as_path(sp);
  ASSERT_EQ(rebuilt.segments.size(), 2U);
  EXPECT_EQ(rebuilt.segments[0].asns.size(), 255U);
  EXPECT_EQ(rebuilt.segments[1].asns.size(), 45U);
  EXPECT_EQ(rebuilt.segments[0].asns.front(), base::Asn(4200000000U));
  EXPECT_EQ(rebuilt.segments[1].asns.front(), base::Asn(4200000255U));
  EXPECT_EQ(rebuilt.segments[1].asns.back(), base::Asn(4200000299U));
  EXPECT_EQ(secure_path_origin_as(sp), base::Asn(4200000299U));
  base::Asn origin;
  ASSERT_TRUE(rebuilt.origin_as(origin));
  EXPECT_EQ(origin, secure_path_origin_as(sp));
}

TEST(AsPathRebuild, LongConfedRunSplitsAsConfedSequences) {
  const std::vector sp = {confed(65102, 200), confed(65101, 100), plain(65001)};
  const auto rebuilt = rebuild_as_path(sp);
  ASSERT_EQ(rebuilt.segments.size(), 3U);
  EXPECT_EQ(rebuilt.segments[0].type, kConfedSeq);
  EXPECT_EQ(rebuilt.segments[0].asns.size(), 255U);
  EXPECT_EQ(rebuilt.segments[1].type, kConfedSeq);
  EXPECT_EQ(rebuilt.segments[1].asns.size(), 45U);
  EXPECT_EQ(rebuilt.segments[2], seg(kSeq, {65001}));
  EXPECT_EQ(secure_path_length(sp), 1U);
}

TEST(AsPathRebuild, SignedPathRebuildsToItsAses) {
  // A path signed hop by hop with prepending on the middle hop.
  const testing::SignedChain chain(3);
  const auto path = chain.sign(base::Prefix::parse("192.0.2.0/24").value(), {1, 2, 1});
  expect_rebuild(path.secure_path, wire::AsPath{{seg(kSeq, {65003, 65002, 65002, 65001})}},
                 hex("0204 0000FDEB 0000FDEA 0000FDEA 0000FDE9"));
  EXPECT_EQ(secure_path_origin_as(path.secure_path), chain.as_of(0));
}

}  // namespace
}  // namespace bgpsecd::bgpsec
