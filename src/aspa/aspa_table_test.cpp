// SPDX-License-Identifier: BSD-2-Clause
#include "aspa/aspa_table.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace bgpsecd::aspa {
namespace {

using base::Asn;

TEST(AspaTable, EmptyTableHasNoAttestation) {
  const AspaTable t;
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.authorized(Asn(1), Asn(2)), Authorization::NoAttestation);
  EXPECT_FALSE(t.has_record(Asn(1)));
  EXPECT_TRUE(t.providers(Asn(1)).empty());
}

TEST(AspaTable, AuthorizedIsSetMembership) {
  const std::vector<AspaRecord> records = {{Asn(10), {Asn(30), Asn(20)}}};
  const auto t = AspaTable::build(records);
  EXPECT_EQ(t.authorized(Asn(10), Asn(20)), Authorization::ProviderPlus);
  EXPECT_EQ(t.authorized(Asn(10), Asn(30)), Authorization::ProviderPlus);
  EXPECT_EQ(t.authorized(Asn(10), Asn(40)), Authorization::NotProviderPlus);
  EXPECT_EQ(t.authorized(Asn(20), Asn(10)), Authorization::NoAttestation);
}

TEST(AspaTable, SeveralRecordsForOneCustomerAreTheirUnion) {
  // docs/aspa.md §2: the provider set is the union of the customer's ASPAs (and of the
  // IPv4 and IPv6 lists of older exports).
  const std::vector<AspaRecord> records = {
      {Asn(10), {Asn(30), Asn(20)}}, {Asn(5), {Asn(7)}}, {Asn(10), {Asn(20), Asn(25)}}};
  const auto t = AspaTable::build(records);
  EXPECT_EQ(t.size(), 2U);
  const auto p = t.providers(Asn(10));
  EXPECT_EQ(std::vector<std::uint32_t>(p.begin(), p.end()),
            (std::vector<std::uint32_t>{20, 25, 30}));
  const std::vector<AspaRecord> expect = {{Asn(5), {Asn(7)}},
                                          {Asn(10), {Asn(20), Asn(25), Asn(30)}}};
  EXPECT_EQ(t.records(), expect);
}

TEST(AspaTable, As0MeansNoProvidersAndNeverMatches) {
  // docs/aspa.md §2: {AS 0} declares no transit providers; AS 0 matches nothing, not even a
  // path holding AS 0, and beside real providers it changes nothing.
  const std::vector<AspaRecord> records = {{Asn(10), {Asn(0)}}, {Asn(11), {Asn(0), Asn(20)}}};
  const auto t = AspaTable::build(records);
  EXPECT_TRUE(t.has_record(Asn(10)));
  EXPECT_TRUE(t.providers(Asn(10)).empty());
  EXPECT_EQ(t.authorized(Asn(10), Asn(0)), Authorization::NotProviderPlus);
  EXPECT_EQ(t.authorized(Asn(10), Asn(20)), Authorization::NotProviderPlus);
  EXPECT_EQ(t.authorized(Asn(11), Asn(20)), Authorization::ProviderPlus);
  EXPECT_EQ(t.authorized(Asn(11), Asn(0)), Authorization::NotProviderPlus);
}

TEST(AspaTable, RecordWithoutProvidersIsAnAttestation) {
  const std::vector<AspaRecord> records = {{Asn(10), {}}};
  const auto t = AspaTable::build(records);
  EXPECT_EQ(t.authorized(Asn(10), Asn(1)), Authorization::NotProviderPlus);
}

TEST(AspaTable, LargeProviderSetsAreBisected) {
  AspaRecord r{Asn(1), {}};
  for (std::uint32_t p = 100; p < 200; p += 2) {
    r.providers.emplace_back(p);
  }
  const auto t = AspaTable::build(std::vector<AspaRecord>{r});
  EXPECT_EQ(t.authorized(Asn(1), Asn(100)), Authorization::ProviderPlus);
  EXPECT_EQ(t.authorized(Asn(1), Asn(198)), Authorization::ProviderPlus);
  EXPECT_EQ(t.authorized(Asn(1), Asn(101)), Authorization::NotProviderPlus);
  EXPECT_EQ(t.authorized(Asn(1), Asn(200)), Authorization::NotProviderPlus);
}

TEST(AspaTable, MemoryIsFlat) {
  std::vector<AspaRecord> records;
  for (std::uint32_t c = 1; c <= 1000; ++c) {
    records.push_back({Asn(c), {Asn(c + 100000), Asn(c + 200000)}});
  }
  const auto t = AspaTable::build(records);
  // 4 (customer) + 4 (offset) + 2 * 4 (providers) per customer, plus one offset.
  EXPECT_EQ(t.memory_bytes(), 1000U * 16U + 4U);
}

TEST(AspaTable, AuthorizationNames) {
  EXPECT_STREQ(authorization_name(Authorization::ProviderPlus), "provider+");
  EXPECT_STREQ(authorization_name(Authorization::NotProviderPlus), "not-provider+");
  EXPECT_STREQ(authorization_name(Authorization::NoAttestation), "no-attestation");
}

}  // namespace
}  // namespace bgpsecd::aspa
