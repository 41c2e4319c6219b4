// SPDX-License-Identifier: BSD-2-Clause
// RpkiStore: snapshot isolation (an old snapshot keeps its data after updates), change sets
// for full reloads and deltas (net presence changes only), reference counting across
// sources, and atomic rejection of a bad delta.
#include "rpki/rpki_store.hpp"

#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/hex.hpp"

namespace bgpsecd::rpki {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

VrpEntry vrp(const std::string& p, unsigned max_length, std::uint32_t asn) {
  auto parsed = base::Prefix::parse(p);
  EXPECT_TRUE(parsed) << p;
  return VrpEntry{
      parsed.value_or(base::Prefix()), static_cast<std::uint8_t>(max_length), base::Asn(asn), {}};
}

// RFC 8608 Appendix A public points (rfc8608.json), for AS 64496 and AS 65536.
crypto::PublicKey example_key(int which) {
  const char* kPoints[] = {
      "047391BABB92A0CB3BE10E59B19EBFFB214E04A91E0CBA1B139A7D38D90F77E55AA05B8E695678E0FA16904B"
      "55D9D4F5C0DFC58895EE50BC4F75D205A25BD36FF5",
      "0428FC5FE9AFCF5F4CAB3F5F85CB212FC1E9D0E0DBEAEE425BD2F0D3175AA0E989EA9B603E38F35FB329DF49"
      "5641F2BA040F1C3AC6138307F257CBA6B8B588F41F"};
  auto point = base::from_hex(kPoints[which]);
  EXPECT_TRUE(point);
  auto key = crypto::PublicKey::from_point(*point);
  EXPECT_TRUE(key) << key.error().message;
  return *key;
}

RouterKeyEntry key_entry(std::uint32_t asn, int which) {
  const auto key = example_key(which);
  return RouterKeyEntry{base::Asn(asn), key.ski(), key, {}};
}

std::size_t found(const RouterKeyLookup& lookup, const RouterKeyEntry& k) {
  std::vector<crypto::PublicKey> out;
  lookup.find(k.asn, k.ski, out);
  return out.size();
}

TEST(RpkiStore, StartsEmptyAtGenerationZero) {
  RpkiStore store;
  const auto snap = store.snapshot();
  ASSERT_NE(snap, nullptr);
  EXPECT_EQ(snap->generation, 0U);
  EXPECT_TRUE(snap->vrps.empty());
  EXPECT_TRUE(snap->router_keys.empty());
}

TEST(RpkiStore, OldSnapshotKeepsOldDataAfterFullReloadAndDelta) {
  RpkiStore store;
  const auto k0 = key_entry(64496, 0);
  ASSERT_TRUE(store.apply(RpkiData{{vrp("192.0.2.0/24", 24, 64496)}, {k0}}));
  const auto first = store.snapshot();
  EXPECT_EQ(first->generation, 1U);

  ASSERT_TRUE(store.apply(RpkiData{{vrp("198.51.100.0/24", 24, 64497)}, {}}));
  Delta delta;
  delta.vrps.push_back({vrp("203.0.113.0/24", 24, 64498), true});
  ASSERT_TRUE(store.apply(delta));
  const auto third = store.snapshot();
  EXPECT_EQ(third->generation, 3U);

  // The first snapshot is untouched by both later updates.
  EXPECT_EQ(first->vrps.size(), 1U);
  EXPECT_EQ(first->vrps.validate_origin(vrp("192.0.2.0/24", 24, 0).prefix, base::Asn(64496)),
            OriginState::Valid);
  EXPECT_EQ(found(first->router_keys, k0), 1U);
  // The current one has the new data only.
  EXPECT_EQ(third->vrps.size(), 2U);
  EXPECT_EQ(third->vrps.validate_origin(vrp("192.0.2.0/24", 24, 0).prefix, base::Asn(64496)),
            OriginState::NotFound);
  EXPECT_EQ(found(third->router_keys, k0), 0U);
  EXPECT_EQ(found(store, k0), 0U);
}

TEST(RpkiStore, FullReloadChangeSetIsTheDifference) {
  RpkiStore store;
  const auto k0 = key_entry(64496, 0);
  const auto k1 = key_entry(65536, 1);
  auto changes = store.apply(
      RpkiData{{vrp("192.0.2.0/24", 24, 64496), vrp("2001:db8::/32", 48, 64496)}, {k0}});
  ASSERT_TRUE(changes) << changes.error().message;
  EXPECT_THAT(changes->vrps_added,
              ElementsAre(vrp("192.0.2.0/24", 24, 64496), vrp("2001:db8::/32", 48, 64496)));
  EXPECT_THAT(changes->vrps_removed, IsEmpty());
  EXPECT_THAT(changes->keys_added, ElementsAre(k0));

  // Second reload: one VRP kept, one replaced (maxLength change = remove + add), key swapped.
  changes = store.apply(
      RpkiData{{vrp("192.0.2.0/24", 24, 64496), vrp("2001:db8::/32", 32, 64496)}, {k1}});
  ASSERT_TRUE(changes);
  EXPECT_THAT(changes->vrps_added, ElementsAre(vrp("2001:db8::/32", 32, 64496)));
  EXPECT_THAT(changes->vrps_removed, ElementsAre(vrp("2001:db8::/32", 48, 64496)));
  EXPECT_THAT(changes->keys_added, ElementsAre(k1));
  EXPECT_THAT(changes->keys_removed, ElementsAre(k0));
  EXPECT_EQ(found(store, k1), 1U);

  // Same data again: nothing changes, though the generation moves on.
  changes = store.apply(
      RpkiData{{vrp("2001:db8::/32", 32, 64496), vrp("192.0.2.0/24", 24, 64496)}, {k1}});
  ASSERT_TRUE(changes);
  EXPECT_TRUE(changes->empty());
  EXPECT_EQ(store.snapshot()->generation, 3U);
}

// What revalidation looks at (RFC 8374 §9.2): the prefixes of changed VRPs and the (AS, SKI)
// of changed router keys, added and removed alike, each once.
TEST(RpkiStore, ChangeSetNamesTheChangedPrefixesAndKeyIds) {
  ChangeSet change;
  change.vrps_added = {vrp("192.0.2.0/24", 24, 64496), vrp("192.0.2.0/24", 32, 64497)};
  change.vrps_removed = {vrp("2001:db8::/32", 48, 64496)};
  change.keys_added = {key_entry(64496, 0)};
  change.keys_removed = {key_entry(65536, 1), key_entry(64497, 1)};
  EXPECT_EQ(change.vrp_prefixes(),
            (std::set<base::Prefix>{base::Prefix::parse("192.0.2.0/24").value(),
                                    base::Prefix::parse("2001:db8::/32").value()}));
  EXPECT_EQ(change.router_key_ids(),
            (std::set<RouterKeyId>{{base::Asn(64496), example_key(0).ski()},
                                   {base::Asn(64497), example_key(1).ski()},
                                   {base::Asn(65536), example_key(1).ski()}}));
  EXPECT_TRUE(ChangeSet{}.vrp_prefixes().empty());
  EXPECT_TRUE(ChangeSet{}.router_key_ids().empty());
}

TEST(RpkiStore, DeltaChangeSetAndReferencesFromTwoSources) {
  RpkiStore store;
  const auto v = vrp("192.0.2.0/24", 24, 64496);
  const auto k0 = key_entry(64496, 0);
  Delta both;
  both.vrps = {{v, true}, {v, true}};  // announced by two caches
  both.router_keys = {{k0, true}, {k0, true}};
  auto changes = store.apply(both);
  ASSERT_TRUE(changes) << changes.error().message;
  EXPECT_THAT(changes->vrps_added, ElementsAre(v));
  EXPECT_THAT(changes->keys_added, ElementsAre(k0));
  EXPECT_EQ(store.snapshot()->vrps.references(v), 2U);

  Delta one;
  one.vrps = {{v, false}};
  one.router_keys = {{k0, false}};
  changes = store.apply(one);
  ASSERT_TRUE(changes);
  EXPECT_TRUE(changes->empty()) << "the second source still announces both";
  EXPECT_TRUE(store.snapshot()->vrps.contains(v));
  EXPECT_EQ(found(store, k0), 1U);

  changes = store.apply(one);
  ASSERT_TRUE(changes);
  EXPECT_THAT(changes->vrps_removed, ElementsAre(v));
  EXPECT_THAT(changes->keys_removed, ElementsAre(k0));
  EXPECT_TRUE(store.snapshot()->vrps.empty());
  EXPECT_EQ(found(store, k0), 0U);
}

TEST(RpkiStore, DeltaAnnounceThenWithdrawIsNoChange) {
  RpkiStore store;
  const auto v = vrp("2001:db8::/32", 48, 64496);
  Delta delta;
  delta.vrps = {{v, true}, {v, false}};
  auto changes = store.apply(delta);
  ASSERT_TRUE(changes);
  EXPECT_TRUE(changes->empty());
  EXPECT_TRUE(store.snapshot()->vrps.empty());
}

TEST(RpkiStore, Rfc8210Sec56WithdrawalOfUnknownRecordRejectsWholeDelta) {
  RpkiStore store;
  ASSERT_TRUE(store.apply(RpkiData{{vrp("192.0.2.0/24", 24, 64496)}, {}}));
  const auto before = store.snapshot();

  Delta delta;
  delta.vrps = {{vrp("198.51.100.0/24", 24, 64497), true},
                {vrp("203.0.113.0/24", 24, 64498), false}};
  auto changes = store.apply(delta);
  ASSERT_FALSE(changes);
  EXPECT_EQ(changes.error().message, "vrps[1]: VRP 203.0.113.0/24-24 AS64498 is not in the table");
  // Nothing was published: the first change of the failed delta is not visible.
  EXPECT_EQ(store.snapshot(), before);

  Delta key_delta;
  key_delta.router_keys = {{key_entry(64496, 0), false}};
  changes = store.apply(key_delta);
  ASSERT_FALSE(changes);
  EXPECT_THAT(changes.error().message, HasSubstr("router_keys[0]: router key AS64496 SKI "
                                                 "AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154"));
  EXPECT_EQ(store.snapshot(), before);
}

TEST(RpkiStore, FullReloadWithBadMaxLengthPublishesNothing) {
  RpkiStore store;
  ASSERT_TRUE(store.apply(RpkiData{{vrp("192.0.2.0/24", 24, 64496)}, {}}));
  const auto before = store.snapshot();
  auto bad = vrp("198.51.100.0/24", 24, 64497);
  bad.max_length = 20;
  ASSERT_FALSE(store.apply(RpkiData{{bad}, {}}));
  EXPECT_EQ(store.snapshot(), before);
}

TEST(RpkiStore, FullReloadAfterDeltasKeepsReferencesConsistent) {
  RpkiStore store;
  const auto k0 = key_entry(64496, 0);
  Delta delta;
  delta.router_keys = {{k0, true}, {k0, true}};
  ASSERT_TRUE(store.apply(delta));
  // A full reload listing the key once resets its count to one ...
  ASSERT_TRUE(store.apply(RpkiData{{}, {k0}}));
  Delta withdraw;
  withdraw.router_keys = {{k0, false}};
  auto changes = store.apply(withdraw);
  ASSERT_TRUE(changes);
  // ... so one withdrawal removes it.
  EXPECT_THAT(changes->keys_removed, ElementsAre(k0));
}

// docs/aspa.md §2: the snapshot's ASPA table unites a customer's records; the ChangeSet names
// the customers whose provider set changed.
TEST(RpkiStore, AspasInFullReloadAndDelta) {
  RpkiStore store;
  RpkiData data;
  data.aspas = {{base::Asn(10), {base::Asn(20)}},
                {base::Asn(10), {base::Asn(21)}},
                {base::Asn(11), {base::Asn(0)}}};
  auto first = store.apply(data);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->aspa_customers, (std::vector<base::Asn>{base::Asn(10), base::Asn(11)}));
  const auto snap = store.snapshot();
  EXPECT_EQ(snap->aspas.authorized(base::Asn(10), base::Asn(21)),
            aspa::Authorization::ProviderPlus);

  data.aspas = {{base::Asn(10), {base::Asn(21), base::Asn(20)}}, {base::Asn(12), {base::Asn(1)}}};
  auto second = store.apply(data);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->aspa_customers, (std::vector<base::Asn>{base::Asn(11), base::Asn(12)}));

  // A changed record: the old set withdrawn, the new one announced (in any provider order).
  Delta delta;
  delta.aspas.push_back({{base::Asn(10), {base::Asn(20), base::Asn(21)}}, false});
  delta.aspas.push_back({{base::Asn(10), {base::Asn(30)}}, true});
  delta.aspas.push_back({{base::Asn(12), {base::Asn(1)}}, false});
  delta.aspas.push_back({{base::Asn(13), {base::Asn(0)}}, true});
  auto third = store.apply(delta);
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_EQ(third->aspa_customers,
            (std::vector<base::Asn>{base::Asn(10), base::Asn(12), base::Asn(13)}));
  const auto now = store.snapshot();
  EXPECT_EQ(now->aspas.authorized(base::Asn(10), base::Asn(20)),
            aspa::Authorization::NotProviderPlus);
  EXPECT_EQ(now->aspas.authorized(base::Asn(10), base::Asn(30)), aspa::Authorization::ProviderPlus);
  EXPECT_EQ(now->aspas.authorized(base::Asn(12), base::Asn(1)), aspa::Authorization::NoAttestation);
  // The older snapshot is untouched.
  EXPECT_EQ(snap->aspas.authorized(base::Asn(10), base::Asn(20)),
            aspa::Authorization::ProviderPlus);

  Delta bad;
  bad.aspas.push_back({{base::Asn(99), {}}, false});
  auto refused = store.apply(bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "aspas[0]: no ASPA for customer AS99 with providers {} to withdraw");
  Delta wrong_set;
  wrong_set.aspas.push_back({{base::Asn(10), {base::Asn(31)}}, false});
  refused = store.apply(wrong_set);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "aspas[0]: no ASPA for customer AS10 with providers {AS31} to withdraw");
  EXPECT_EQ(store.snapshot(), now);
}

// docs/aspa.md §11.4: two sources with a record for one customer give the union; each source's
// withdrawal takes only its own set out.
TEST(RpkiStore, AspaRecordsOfSeveralSourcesUnite) {
  RpkiStore store;
  Delta a;
  a.aspas.push_back({{base::Asn(10), {base::Asn(20)}}, true});
  ASSERT_TRUE(store.apply(a));
  Delta b;
  b.aspas.push_back({{base::Asn(10), {base::Asn(21), base::Asn(20)}}, true});
  auto added = store.apply(b);
  ASSERT_TRUE(added);
  EXPECT_EQ(added->aspa_customers, std::vector<base::Asn>{base::Asn(10)});
  EXPECT_EQ(store.snapshot()->aspas.records(),
            (std::vector<aspa::AspaRecord>{{base::Asn(10), {base::Asn(20), base::Asn(21)}}}));

  // The same set from a third source holds a second reference.
  ASSERT_TRUE(store.apply(a));
  Delta a_gone;
  a_gone.aspas.push_back({{base::Asn(10), {base::Asn(20)}}, false});
  auto unchanged = store.apply(a_gone);
  ASSERT_TRUE(unchanged);
  EXPECT_TRUE(unchanged->aspa_customers.empty());

  Delta b_gone;
  b_gone.aspas.push_back({{base::Asn(10), {base::Asn(20), base::Asn(21)}}, false});
  auto narrowed = store.apply(b_gone);
  ASSERT_TRUE(narrowed);
  EXPECT_EQ(narrowed->aspa_customers, std::vector<base::Asn>{base::Asn(10)});
  EXPECT_EQ(store.snapshot()->aspas.records(),
            (std::vector<aspa::AspaRecord>{{base::Asn(10), {base::Asn(20)}}}));
  ASSERT_TRUE(store.apply(a_gone));
  EXPECT_TRUE(store.snapshot()->aspas.empty());
}

}  // namespace
}  // namespace bgpsecd::rpki
