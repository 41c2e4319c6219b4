// SPDX-License-Identifier: BSD-2-Clause
// Attribute interning: equal sets share one object, different ones do not, sets leave the
// store with their last handle, and handles may outlive the store.
#include "rib/attribute_store.hpp"

#include <utility>

#include <gtest/gtest.h>

#include "rib/test_util.hpp"

namespace bgpsecd::rib {
namespace {

using testing::attrs_with_path;
using testing::seq;

TEST(AttributeStoreTest, EqualSetsShareOneObject) {
  AttributeStore store;
  const auto a = store.intern(attrs_with_path(seq({65001, 65002})));
  const auto b = store.intern(attrs_with_path(seq({65001, 65002})));
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(store.size(), 1U);
}

TEST(AttributeStoreTest, DifferentSetsAreDistinct) {
  AttributeStore store;
  auto base = attrs_with_path(seq({65001}));
  const auto a = store.intern(base);
  // Every field takes part in equality and hashing; change a few kinds of them.
  auto med = base;
  med.med = 0;
  auto communities = base;
  communities.communities = {wire::kCommunityNoExport};
  auto unknown = base;
  unknown.unknown.push_back({wire::kAttrFlagOptional | wire::kAttrFlagTransitive, 99, {1, 2}});
  auto bgpsec = base;
  bgpsec.as_path.reset();
  bgpsec.bgpsec_path = wire::BgpsecPath{{{1, 0, base::Asn(65001)}}, {wire::SignatureBlock{}}};
  const auto b = store.intern(med);
  const auto c = store.intern(communities);
  const auto d = store.intern(unknown);
  const auto e = store.intern(bgpsec);
  EXPECT_EQ(store.size(), 5U);
  EXPECT_NE(a.get(), b.get());
  EXPECT_NE(b.get(), c.get());
  EXPECT_NE(c.get(), d.get());
  EXPECT_NE(d.get(), e.get());
  EXPECT_EQ(*e, bgpsec);
  EXPECT_EQ(store.intern(bgpsec).get(), e.get());
}

TEST(AttributeStoreTest, EqualValuesHashEqual) {
  auto a = attrs_with_path(seq({65001, 65002}));
  a.large_communities = {{1, 2, 3}};
  a.ext_communities = {wire::make_origin_validation_community(wire::OriginValidationState::Valid)};
  const auto b = a;
  EXPECT_EQ(hash_path_attributes(a), hash_path_attributes(b));
  auto c = a;
  c.large_communities[0].local2 = 4;
  EXPECT_NE(hash_path_attributes(a), hash_path_attributes(c));
}

TEST(AttributeStoreTest, SetLeavesWithItsLastHandle) {
  AttributeStore store;
  auto a = store.intern(attrs_with_path(seq({65001})));
  auto b = store.intern(attrs_with_path(seq({65001})));
  const auto other = store.intern(attrs_with_path(seq({65002})));
  EXPECT_EQ(store.size(), 2U);
  a.reset();
  EXPECT_EQ(store.size(), 2U);
  b.reset();
  EXPECT_EQ(store.size(), 1U);
  // Interning the same value again makes a new set.
  const auto again = store.intern(attrs_with_path(seq({65001})));
  EXPECT_EQ(store.size(), 2U);
  EXPECT_EQ(*again, attrs_with_path(seq({65001})));
}

TEST(AttributeStoreTest, HandlesMayOutliveTheStore) {
  AttributesHandle kept;
  {
    AttributeStore store;
    kept = store.intern(attrs_with_path(seq({65001})));
  }
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(*kept, attrs_with_path(seq({65001})));
  kept.reset();  // unregisters from the table the store left behind (ASan would catch a bug)
}

TEST(AttributeStoreTest, MovedStoreKeepsItsSets) {
  AttributeStore store;
  const auto a = store.intern(attrs_with_path(seq({65001})));
  AttributeStore moved = std::move(store);
  EXPECT_EQ(moved.size(), 1U);
  EXPECT_EQ(moved.intern(attrs_with_path(seq({65001}))).get(), a.get());
}

TEST(AttributeStoreTest, StripNlriMakesEveryPrefixOfAnUpdateShareOneSet) {
  AttributeStore store;
  wire::PathAttributes one = attrs_with_path(seq({65001}));
  one.mp_reach = wire::MpReach{base::Afi::Ipv6,
                               base::kSafiUnicast,
                               {testing::addr("2001:db8::1")},
                               {testing::pfx("2001:db8:1::/48")}};
  one.mp_unreach =
      wire::MpUnreach{base::Afi::Ipv6, base::kSafiUnicast, {testing::pfx("2001:db8:9::/48")}};
  wire::PathAttributes two = one;
  two.mp_reach->nlri = {testing::pfx("2001:db8:2::/48")};
  strip_nlri(one);
  strip_nlri(two);
  EXPECT_TRUE(one.mp_reach->nlri.empty());
  EXPECT_FALSE(one.mp_unreach.has_value());
  ASSERT_EQ(one.mp_reach->next_hops.size(), 1U);  // the next hop stays
  EXPECT_EQ(store.intern(one).get(), store.intern(two).get());
}

}  // namespace
}  // namespace bgpsecd::rib
