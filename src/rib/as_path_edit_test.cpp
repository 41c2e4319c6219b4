// SPDX-License-Identifier: BSD-2-Clause
// AS_PATH edits of export: prepending (RFC 4271 §5.1.2), confederation segments (RFC 5065
// §5.3) and private ASN removal (RFC 8374 §8.4.2, RFC 6996).
#include "rib/as_path_edit.hpp"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include <gtest/gtest.h>

namespace bgpsecd::rib {
namespace {

using T = wire::AsPathSegmentType;

wire::AsPathSegment seg(T type, std::initializer_list<std::uint32_t> asns) {
  wire::AsPathSegment s{type, {}};
  for (const auto a : asns) {
    s.asns.emplace_back(a);
  }
  return s;
}

TEST(AsPathEdit, Rfc4271Sec5_1_2_PrependGoesIntoTheLeadingSequenceOrANewOne) {
  wire::AsPath path{{seg(T::AsSequence, {65001})}};
  prepend_as(path, base::Asn(100), 2);
  EXPECT_EQ(path, (wire::AsPath{{seg(T::AsSequence, {100, 100, 65001})}}));

  wire::AsPath behind_set{{seg(T::AsSet, {1, 2})}};
  prepend_as(behind_set, base::Asn(100));
  EXPECT_EQ(behind_set, (wire::AsPath{{seg(T::AsSequence, {100}), seg(T::AsSet, {1, 2})}}));

  wire::AsPath full{{wire::AsPathSegment{T::AsSequence, std::vector(255, base::Asn(7))}}};
  prepend_as(full, base::Asn(100));
  ASSERT_EQ(full.segments.size(), 2U);
  EXPECT_EQ(full.segments.front(), seg(T::AsSequence, {100}));
}

TEST(AsPathEdit, Rfc5065Sec5_3_MemberAsGoesIntoAsConfedSequence) {
  wire::AsPath path{{seg(T::AsSequence, {65001})}};
  prepend_confed_member(path, base::Asn(64601));
  EXPECT_EQ(path, (wire::AsPath{{seg(T::AsConfedSequence, {64601}), seg(T::AsSequence, {65001})}}));
  prepend_confed_member(path, base::Asn(64602));
  EXPECT_EQ(
      path,
      (wire::AsPath{{seg(T::AsConfedSequence, {64602, 64601}), seg(T::AsSequence, {65001})}}));
}

TEST(AsPathEdit, Rfc5065Sec5_3_LeavingTheConfederationRemovesEveryConfedSegment) {
  wire::AsPath path{{seg(T::AsConfedSequence, {64602, 64601}), seg(T::AsConfedSet, {64603}),
                     seg(T::AsSequence, {65001})}};
  remove_confed_segments(path);
  EXPECT_EQ(path, (wire::AsPath{{seg(T::AsSequence, {65001})}}));
  // ... and the identifier goes in front as our AS.
  prepend_as(path, base::Asn(100));
  EXPECT_EQ(path, (wire::AsPath{{seg(T::AsSequence, {100, 65001})}}));
}

// ===== remove_private_as (RFC 8374 §8.4.2, RFC 6996) =====

constexpr auto kNone = PrivateAsRemoval::None;
constexpr auto kLeading = PrivateAsRemoval::Leading;
constexpr auto kAll = PrivateAsRemoval::All;
// Our AS and the peer's, public: nothing for the exceptions to do.
constexpr std::array kKeepPublic{base::Asn(100), base::Asn(200)};

TEST(AsPathEdit, Rfc8374Sec8_4_2_NoneKeepsEveryPrivateAsn) {
  wire::AsPath path{{seg(T::AsSequence, {64512, 3356, 64513}), seg(T::AsSet, {64514})}};
  const wire::AsPath before = path;
  EXPECT_EQ(remove_private_asns(path, kNone, kKeepPublic), 0U);
  EXPECT_EQ(path, before);
}

TEST(AsPathEdit, Rfc8374Sec8_4_2_LeadingRemovesUpToTheFirstPublicAsn) {
  // 64512 and 4200000000 (both RFC 6996 ranges) in front; 64513 behind the public 65536 stays.
  wire::AsPath path{{seg(T::AsSequence, {64512, 4200000000U, 65536, 64513})}};
  EXPECT_EQ(remove_private_asns(path, kLeading, kKeepPublic), 2U);
  EXPECT_EQ(path, (wire::AsPath{{seg(T::AsSequence, {65536, 64513})}}));
}

TEST(AsPathEdit, Rfc8374Sec8_4_2_AllRemovesTheRightmostPrivateAsnsToo) {
  wire::AsPath path{{seg(T::AsSequence, {64512, 4200000000U, 65536, 64513, 3356, 4294967294U})}};
  EXPECT_EQ(remove_private_asns(path, kAll, kKeepPublic), 4U);
  EXPECT_EQ(path, (wire::AsPath{{seg(T::AsSequence, {65536, 3356})}}));
}

TEST(AsPathEdit, Rfc8374Sec8_4_2_AllPrivatePathBecomesEmptyInBothModes) {
  // A stub customer on a private ASN, prepending: the route is then ours to sign.
  for (const auto mode : {kLeading, kAll}) {
    wire::AsPath path{{seg(T::AsSequence, {65534, 65534, 64512})}};
    EXPECT_EQ(remove_private_asns(path, mode, kKeepPublic), 3U);
    EXPECT_TRUE(path.segments.empty());
  }
}

TEST(AsPathEdit, Rfc6996RangeEdgesAreRespectedInBothModes) {
  // 64511 and 4199999999 are public; 65535 and 4294967295 are reserved (RFC 7300), not
  // private.
  for (const auto mode : {kLeading, kAll}) {
    for (const std::uint32_t public_asn : {64511U, 65535U, 4199999999U, 4294967295U}) {
      wire::AsPath path{{seg(T::AsSequence, {public_asn})}};
      EXPECT_EQ(remove_private_asns(path, mode, kKeepPublic), 0U) << public_asn;
    }
    for (const std::uint32_t private_asn : {64512U, 65534U, 4200000000U, 4294967294U}) {
      wire::AsPath path{{seg(T::AsSequence, {private_asn})}};
      EXPECT_EQ(remove_private_asns(path, mode, kKeepPublic), 1U) << private_asn;
    }
  }
}

TEST(AsPathEdit, Rfc8374Sec8_4_2_OurAsAndThePeersAsAreNeverRemoved) {
  // We are 64700 (private), the peer is 4200000009 (private).
  const std::array keep{base::Asn(64700), base::Asn(4200000009U)};
  wire::AsPath leading{{seg(T::AsSequence, {64512, 4200000009U, 64513, 3356})}};
  EXPECT_EQ(remove_private_asns(leading, kLeading, keep), 1U);  // the peer's AS ends the run
  EXPECT_EQ(leading, (wire::AsPath{{seg(T::AsSequence, {4200000009U, 64513, 3356})}}));
  wire::AsPath own{{seg(T::AsSequence, {64700, 64512})}};
  EXPECT_EQ(remove_private_asns(own, kLeading, keep), 0U);
  wire::AsPath all{{seg(T::AsSequence, {64512, 4200000009U, 64513, 3356, 64700, 64514})}};
  EXPECT_EQ(remove_private_asns(all, kAll, keep), 3U);
  EXPECT_EQ(all, (wire::AsPath{{seg(T::AsSequence, {4200000009U, 3356, 64700})}}));
}

TEST(AsPathEdit, Rfc8374Sec8_4_2_LeadingSkipsConfedSegmentsAndStopsAtAnAsSet) {
  wire::AsPath path{{seg(T::AsConfedSequence, {64601}), seg(T::AsSequence, {64512}),
                     seg(T::AsSet, {64513, 3356})}};
  EXPECT_EQ(remove_private_asns(path, kLeading, kKeepPublic), 1U);
  EXPECT_EQ(path,
            (wire::AsPath{{seg(T::AsConfedSequence, {64601}), seg(T::AsSet, {64513, 3356})}}));
}

TEST(AsPathEdit, Rfc8374Sec8_4_2_AllEmptiesAsSetsButLeavesConfedSegments) {
  wire::AsPath path{{seg(T::AsConfedSequence, {64601}), seg(T::AsConfedSet, {64602}),
                     seg(T::AsSequence, {64512, 3356}), seg(T::AsSet, {64513, 174}),
                     seg(T::AsSet, {64514, 4200000000U})}};
  EXPECT_EQ(remove_private_asns(path, kAll, kKeepPublic), 4U);
  EXPECT_EQ(path, (wire::AsPath{{seg(T::AsConfedSequence, {64601}), seg(T::AsConfedSet, {64602}),
                                 seg(T::AsSequence, {3356}), seg(T::AsSet, {174})}}));
}

TEST(AsPathEdit, Rfc8374Sec8_4_2_LeadingCrossesEmptiedSequenceSegments) {
  wire::AsPath path{{seg(T::AsSequence, {64512}), seg(T::AsSequence, {64513, 3356, 64514})}};
  EXPECT_EQ(remove_private_asns(path, kLeading, kKeepPublic), 2U);
  EXPECT_EQ(path, (wire::AsPath{{seg(T::AsSequence, {3356, 64514})}}));
}

TEST(AsPathEdit, Rfc8374Sec8_4_2_SecurePathCountsWhatTheModeWouldRemoveNotConfedOnes) {
  const std::vector<wire::SecurePathSegment> sp = {
      {0, wire::kConfedSegmentFlag, base::Asn(64601)},  // a member: leaves with the run
      {1, 0, base::Asn(64515)},
      {1, 0, base::Asn(3356)},
      {1, 0, base::Asn(64512)},
      {1, 0, base::Asn(200)},  // the peer's
  };
  EXPECT_EQ(private_asns_in(sp, kNone, kKeepPublic), 0U);
  EXPECT_EQ(private_asns_in(sp, kLeading, kKeepPublic), 1U);
  EXPECT_EQ(private_asns_in(sp, kAll, kKeepPublic), 2U);
  const std::array keep_64515{base::Asn(64515)};
  EXPECT_EQ(private_asns_in(sp, kAll, keep_64515), 1U);
}

}  // namespace
}  // namespace bgpsecd::rib
