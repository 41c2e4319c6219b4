// SPDX-License-Identifier: BSD-2-Clause
#include "wire/communities.hpp"

#include <gtest/gtest.h>

#include "wire/update_test_util.hpp"

namespace bgpsecd::wire {
namespace {

using test::hex;
using test::same_bytes;

TEST(Communities, BothWays) {
  const auto bytes = hex("FDE90064 FFFFFF01");
  std::vector<std::uint32_t> list;
  ASSERT_TRUE(decode_communities(bytes, list));
  EXPECT_EQ(list, (std::vector<std::uint32_t>{0xFDE90064, kCommunityNoExport}));
  base::ByteWriter w;
  encode_communities(list, w);
  EXPECT_TRUE(same_bytes(bytes, w.bytes()));
}

// RFC 7606 §7.8 / §7.14, RFC 8092 §6: not a non-zero multiple of the element size.
TEST(Communities, Rfc7606_7_8_LengthMustBeNonZeroMultiple) {
  std::vector<std::uint32_t> c;
  EXPECT_FALSE(decode_communities({}, c));
  EXPECT_FALSE(decode_communities(hex("FDE9006400"), c));
  std::vector<ExtendedCommunity> e;
  EXPECT_FALSE(decode_ext_communities({}, e));
  EXPECT_FALSE(decode_ext_communities(hex("0002FDE900000064 00"), e));
  std::vector<LargeCommunity> l;
  EXPECT_FALSE(decode_large_communities({}, l));
  EXPECT_FALSE(decode_large_communities(hex("0000FDE9 00000001"), l));
}

TEST(ExtendedCommunities, BothWays) {
  const auto bytes = hex("0002FDE900000064 4300000000000002");
  std::vector<ExtendedCommunity> list;
  ASSERT_TRUE(decode_ext_communities(bytes, list));
  ASSERT_EQ(list.size(), 2U);
  EXPECT_EQ(list[0].bytes, (std::array<std::uint8_t, 8>{0x00, 0x02, 0xFD, 0xE9, 0, 0, 0, 0x64}));
  base::ByteWriter w;
  encode_ext_communities(list, w);
  EXPECT_TRUE(same_bytes(bytes, w.bytes()));
}

TEST(LargeCommunities, BothWays) {
  const auto bytes = hex("0000FDE9 00000001 00000002  FA56EA00 FFFFFFFF 00000000");
  std::vector<LargeCommunity> list;
  ASSERT_TRUE(decode_large_communities(bytes, list));
  EXPECT_EQ(list, (std::vector<LargeCommunity>{{65001, 1, 2}, {4200000000U, 0xFFFFFFFF, 0}}));
  base::ByteWriter w;
  encode_large_communities(list, w);
  EXPECT_TRUE(same_bytes(bytes, w.bytes()));
}

// RFC 8097 §2: type 0x43, subtype 0x00, 5 reserved octets, state in the last octet.
TEST(OriginValidationCommunity, Rfc8097_2_Layout) {
  const auto valid = make_origin_validation_community(OriginValidationState::Valid);
  const auto not_found = make_origin_validation_community(OriginValidationState::NotFound);
  const auto invalid = make_origin_validation_community(OriginValidationState::Invalid);
  EXPECT_TRUE(
      same_bytes(hex("4300000000000000"), base::Bytes(valid.bytes.begin(), valid.bytes.end())));
  EXPECT_TRUE(same_bytes(hex("4300000000000001"),
                         base::Bytes(not_found.bytes.begin(), not_found.bytes.end())));
  EXPECT_TRUE(
      same_bytes(hex("4300000000000002"), base::Bytes(invalid.bytes.begin(), invalid.bytes.end())));
  EXPECT_EQ(read_origin_validation_state(valid), OriginValidationState::Valid);
  EXPECT_EQ(read_origin_validation_state(not_found), OriginValidationState::NotFound);
  EXPECT_EQ(read_origin_validation_state(invalid), OriginValidationState::Invalid);
}

TEST(OriginValidationCommunity, Rfc8097_2_OtherCommunitiesAndUndefinedStates) {
  ExtendedCommunity other{{0x03, 0x00, 0, 0, 0, 0, 0, 0x01}};  // transitive opaque
  EXPECT_EQ(read_origin_validation_state(other), std::nullopt);
  ExtendedCommunity subtype{{0x43, 0x01, 0, 0, 0, 0, 0, 0x01}};
  EXPECT_EQ(read_origin_validation_state(subtype), std::nullopt);
  ExtendedCommunity undefined{{0x43, 0x00, 0, 0, 0, 0, 0, 0x03}};
  EXPECT_EQ(read_origin_validation_state(undefined), std::nullopt);

  const std::vector<ExtendedCommunity> list{
      other, undefined, make_origin_validation_community(OriginValidationState::Invalid)};
  EXPECT_EQ(find_origin_validation_state(list), OriginValidationState::Invalid);
  EXPECT_EQ(find_origin_validation_state(std::span<const ExtendedCommunity>(list).first(2)),
            std::nullopt);
  EXPECT_STREQ(origin_validation_state_name(OriginValidationState::NotFound), "not-found");
}

// RFC 8374 §8.7 path state inside the AS: bgpsecd's type 0x43 / subtype 0x88 community
// (communities.hpp), state in the last octet, 0..3.
TEST(BgpsecPathStateCommunity, Rfc8374_8_7_LayoutAndUndefinedStates) {
  const auto deferred = make_bgpsec_path_state_community(BgpsecPathStateCode::Deferred);
  EXPECT_TRUE(same_bytes(hex("4388000000000003"),
                         base::Bytes(deferred.bytes.begin(), deferred.bytes.end())));
  EXPECT_EQ(read_bgpsec_path_state(deferred), BgpsecPathStateCode::Deferred);
  EXPECT_EQ(read_bgpsec_path_state(make_bgpsec_path_state_community(BgpsecPathStateCode::Valid)),
            BgpsecPathStateCode::Valid);
  ExtendedCommunity undefined{{0x43, 0x88, 0, 0, 0, 0, 0, 0x04}};
  EXPECT_EQ(read_bgpsec_path_state(undefined), std::nullopt);
  // Neither is mistaken for the other.
  const auto origin = make_origin_validation_community(OriginValidationState::Valid);
  EXPECT_EQ(read_bgpsec_path_state(origin), std::nullopt);
  EXPECT_EQ(read_origin_validation_state(deferred), std::nullopt);
  const std::vector<ExtendedCommunity> list{origin, deferred};
  EXPECT_EQ(find_bgpsec_path_state(list), BgpsecPathStateCode::Deferred);
}

// ASPA state inside the AS: bgpsecd's type 0x43 / subtype 0x89 community (communities.hpp),
// state in the last octet, 0..2.
TEST(AspaStateCommunity, LayoutAndUndefinedStates) {
  const auto invalid = make_aspa_state_community(AspaStateCode::Invalid);
  EXPECT_TRUE(
      same_bytes(hex("4389000000000002"), base::Bytes(invalid.bytes.begin(), invalid.bytes.end())));
  EXPECT_EQ(read_aspa_state(invalid), AspaStateCode::Invalid);
  EXPECT_EQ(read_aspa_state(make_aspa_state_community(AspaStateCode::Unknown)),
            AspaStateCode::Unknown);
  ExtendedCommunity undefined{{0x43, 0x89, 0, 0, 0, 0, 0, 0x03}};
  EXPECT_EQ(read_aspa_state(undefined), std::nullopt);
  // Not mistaken for the origin or the path state community, nor they for it.
  const auto path = make_bgpsec_path_state_community(BgpsecPathStateCode::Valid);
  const auto origin = make_origin_validation_community(OriginValidationState::Valid);
  EXPECT_EQ(read_aspa_state(path), std::nullopt);
  EXPECT_EQ(read_aspa_state(origin), std::nullopt);
  EXPECT_EQ(read_bgpsec_path_state(invalid), std::nullopt);
  EXPECT_EQ(read_origin_validation_state(invalid), std::nullopt);
  const std::vector<ExtendedCommunity> list{origin, undefined, path, invalid};
  EXPECT_EQ(find_aspa_state(list), AspaStateCode::Invalid);
  EXPECT_EQ(find_aspa_state(std::span<const ExtendedCommunity>(list).first(3)), std::nullopt);
}

}  // namespace
}  // namespace bgpsecd::wire
