// SPDX-License-Identifier: BSD-2-Clause
// VRP table: RFC 6811 §2 route origin validation edge cases (exact, more-specific, maxLength
// boundaries, AS 0, IPv6, /0, host routes, several covering VRPs, the NONE origin), a check
// against the definition on random data, reference counting for deltas, and diff.
#include "rpki/vrp_table.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bgpsecd::rpki {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

base::Prefix prefix(const std::string& text) {
  auto p = base::Prefix::parse(text);
  EXPECT_TRUE(p) << text;
  return p.value_or(base::Prefix());
}

VrpEntry vrp(const std::string& p, unsigned max_length, std::uint32_t asn) {
  return VrpEntry{prefix(p), static_cast<std::uint8_t>(max_length), base::Asn(asn), {}};
}

VrpTable table_of(const std::vector<VrpEntry>& vrps) {
  auto table = VrpTable::build(vrps);
  EXPECT_TRUE(table) << table.error().message;
  return table ? std::move(*table) : VrpTable();
}

// The VRP set every edge case below runs against.
std::vector<VrpEntry> edge_vrps() {
  return {
      vrp("192.0.2.0/24", 24, 64496),        // exact-length VRP
      vrp("192.0.2.1/32", 32, 64510),        // host-route VRP inside it
      vrp("198.51.100.0/22", 24, 64497),     // maxLength longer than the prefix
      vrp("203.0.113.0/24", 32, 0),          // AS 0 (RFC 6483 §4): never matches
      vrp("10.0.0.0/8", 8, 64500),           // two VRPs for one prefix,
      vrp("10.0.0.0/8", 16, 64501),          //   different AS and maxLength
      vrp("2001:db8::/32", 48, 64496),       // IPv6
      vrp("2001:db8:1::/48", 48, 64497),     // IPv6 more-specific, other AS
      vrp("2001:db8:2::1/128", 128, 64511),  // IPv6 host route
      vrp("2001:db8:3::/96", 112, 64512),    // IPv6 beyond 64 bits
  };
}

struct OriginCase {
  const char* route;
  std::uint32_t origin;
  OriginState expected;
  const char* why;
};

// RFC 6811 §2: covered = VRP prefix contains the route; matched = covered, route length <=
// maxLength and same (non-zero) AS. NotFound if nothing covers, Valid if something matches,
// Invalid otherwise.
const OriginCase kOriginCases[] = {
    {"192.0.2.0/24", 64496, OriginState::Valid, "exact prefix and AS"},
    {"192.0.2.0/24", 64497, OriginState::Invalid, "exact prefix, other AS"},
    {"192.0.2.0/25", 64496, OriginState::Invalid, "more-specific beyond maxLength 24"},
    {"192.0.2.128/25", 64496, OriginState::Invalid, "upper half beyond maxLength"},
    {"192.0.2.0/23", 64496, OriginState::NotFound, "less-specific is not covered"},
    {"192.0.3.0/24", 64496, OriginState::NotFound, "adjacent prefix"},
    {"192.0.2.1/32", 64510, OriginState::Valid, "host-route VRP"},
    {"192.0.2.1/32", 64496, OriginState::Invalid, "host route, /24 VRP's maxLength is 24"},
    {"192.0.2.2/32", 64510, OriginState::Invalid, "other host, covered by the /24 only"},
    {"198.51.100.0/22", 64497, OriginState::Valid, "prefix length of a maxLength-24 VRP"},
    {"198.51.100.0/23", 64497, OriginState::Valid, "between prefix length and maxLength"},
    {"198.51.103.0/24", 64497, OriginState::Valid, "route length == maxLength"},
    {"198.51.103.0/25", 64497, OriginState::Invalid, "route length == maxLength + 1"},
    {"198.51.104.0/24", 64497, OriginState::NotFound, "outside the /22"},
    {"203.0.113.0/24", 0, OriginState::Invalid, "AS 0 VRP never matches, even origin 0"},
    {"203.0.113.5/32", 64496, OriginState::Invalid, "AS 0 VRP covers a host route"},
    {"192.0.2.0/24", 0, OriginState::Invalid, "origin AS 0 matches no VRP"},
    {"10.0.0.0/8", 64500, OriginState::Valid, "first of two VRPs for the prefix"},
    {"10.0.0.0/8", 64501, OriginState::Valid, "second of two VRPs for the prefix"},
    {"10.1.0.0/16", 64501, OriginState::Valid, "second VRP's maxLength 16"},
    {"10.1.0.0/16", 64500, OriginState::Invalid, "first VRP's maxLength is 8"},
    {"10.1.2.0/24", 64501, OriginState::Invalid, "beyond both maxLengths"},
    {"10.1.2.0/24", 64502, OriginState::Invalid, "covered, no AS matches"},
    {"11.0.0.0/8", 64500, OriginState::NotFound, "next /8"},
    {"0.0.0.0/0", 64496, OriginState::NotFound, "/0 route is covered only by a /0 VRP"},
    {"2001:db8::/32", 64496, OriginState::Valid, "IPv6 exact"},
    {"2001:db8:ff::/48", 64496, OriginState::Valid, "IPv6 more-specific within maxLength"},
    {"2001:db8::/49", 64496, OriginState::Invalid, "IPv6 beyond maxLength"},
    {"2001:db8:1::/48", 64497, OriginState::Valid, "IPv6 more-specific VRP"},
    {"2001:db8:1::/48", 64496, OriginState::Valid, "also matched by the covering /32-48"},
    {"2001:db8:1::/64", 64497, OriginState::Invalid, "IPv6 beyond the /48's maxLength"},
    {"2001:db8:1::/48", 64498, OriginState::Invalid, "IPv6 covered twice, no AS matches"},
    {"2001:db9::/32", 64496, OriginState::NotFound, "IPv6 neighbour"},
    {"2001:db8::/31", 64496, OriginState::NotFound, "IPv6 less-specific"},
    {"2001:db8:2::1/128", 64511, OriginState::Valid, "IPv6 host-route VRP"},
    {"2001:db8:2::2/128", 64511, OriginState::Invalid, "IPv6 other host"},
    {"2001:db8:3::1:0/112", 64512, OriginState::Valid, "IPv6 /112 in a /96-112 VRP"},
    {"2001:db8:3::1:8000/113", 64512, OriginState::Invalid, "IPv6 /113 beyond maxLength"},
    {"2001:db8:3:0:1::/80", 64512, OriginState::Invalid, "IPv6 /80 outside the /96"},
    {"::/0", 64496, OriginState::NotFound, "IPv6 /0 route"},
    {"192.0.2.0/24", 64496, OriginState::Valid, "IPv4 VRPs do not leak into IPv6 and back"},
};

TEST(VrpTable, Rfc6811Sec2EdgeCases) {
  const auto table = table_of(edge_vrps());
  for (const auto& c : kOriginCases) {
    EXPECT_EQ(table.validate_origin(prefix(c.route), base::Asn(c.origin)), c.expected)
        << c.route << " AS" << c.origin << ": " << c.why << " (got "
        << origin_state_name(table.validate_origin(prefix(c.route), base::Asn(c.origin))) << ")";
  }
}

TEST(VrpTable, Rfc6811Sec2SlashZeroVrps) {
  const auto table = table_of({vrp("0.0.0.0/0", 32, 65000), vrp("::/0", 0, 65001)});
  EXPECT_EQ(table.validate_origin(prefix("0.0.0.0/0"), base::Asn(65000)), OriginState::Valid);
  EXPECT_EQ(table.validate_origin(prefix("1.2.3.0/24"), base::Asn(65000)), OriginState::Valid);
  EXPECT_EQ(table.validate_origin(prefix("1.2.3.4/32"), base::Asn(65000)), OriginState::Valid);
  EXPECT_EQ(table.validate_origin(prefix("1.2.3.0/24"), base::Asn(1)), OriginState::Invalid);
  EXPECT_EQ(table.validate_origin(prefix("::/0"), base::Asn(65001)), OriginState::Valid);
  // maxLength 0: every IPv6 route but ::/0 itself is too specific.
  EXPECT_EQ(table.validate_origin(prefix("2001:db8::/32"), base::Asn(65001)), OriginState::Invalid);
}

// RFC 6811 §2: an AS_PATH ending in an AS_SET has origin NONE, which matches no VRP.
// Implementations differ for covered routes (FRR and GoBGP: NotFound); the definitions give
// Invalid.
TEST(VrpTable, Rfc6811Sec2NoneOrigin) {
  const auto table = table_of(edge_vrps());
  EXPECT_EQ(table.validate_origin_none(prefix("192.0.2.0/24")), OriginState::Invalid);
  EXPECT_EQ(table.validate_origin_none(prefix("10.0.0.0/8")), OriginState::Invalid);
  EXPECT_EQ(table.validate_origin_none(prefix("2001:db8::/32")), OriginState::Invalid);
  EXPECT_EQ(table.validate_origin_none(prefix("198.51.104.0/24")), OriginState::NotFound);
  EXPECT_EQ(table.validate_origin_none(prefix("2001:db9::/32")), OriginState::NotFound);
}

TEST(VrpTable, OriginStateNames) {
  EXPECT_STREQ(origin_state_name(OriginState::Valid), "valid");
  EXPECT_STREQ(origin_state_name(OriginState::Invalid), "invalid");
  EXPECT_STREQ(origin_state_name(OriginState::NotFound), "not-found");
}

TEST(VrpTable, CoveringListsEveryCoveringVrpShortestFirst) {
  const auto table = table_of(edge_vrps());
  const auto cover = table.covering(prefix("2001:db8:1::/56"));
  ASSERT_EQ(cover.size(), 2U);
  EXPECT_TRUE(vrp_equal(cover[0], vrp("2001:db8::/32", 48, 64496)));
  EXPECT_TRUE(vrp_equal(cover[1], vrp("2001:db8:1::/48", 48, 64497)));
  EXPECT_TRUE(table.covering(prefix("198.51.104.0/24")).empty());
}

// The definition, straight from RFC 6811 §2, to compare the table against.
OriginState reference_state(const std::vector<VrpEntry>& vrps, const base::Prefix& route,
                            base::Asn origin) {
  bool covered = false;
  for (const auto& v : vrps) {
    if (v.prefix.contains(route)) {
      covered = true;
      if (v.asn.value() != 0 && v.asn == origin && route.length() <= v.max_length) {
        return OriginState::Valid;
      }
    }
  }
  return covered ? OriginState::Invalid : OriginState::NotFound;
}

// A narrow address space (later octets 0..3) so that VRPs and routes overlap often; the first
// octet comes from `first_octets`, so routes outside the VRPs' first octets are NotFound.
base::Prefix random_prefix(std::mt19937& rng, bool v6, unsigned length, unsigned first_octets) {
  std::array<std::uint8_t, 16> bytes{};
  bytes[0] = static_cast<std::uint8_t>((v6 ? 0x20 : 10) + rng() % first_octets);
  for (std::size_t i = 1; i < bytes.size(); ++i) {
    bytes[i] = static_cast<std::uint8_t>(rng() % 4);
  }
  return base::Prefix(base::IpAddress(v6 ? base::Afi::Ipv6 : base::Afi::Ipv4, bytes),
                      static_cast<std::uint8_t>(length));
}

TEST(VrpTable, Rfc6811Sec2AgreesWithDefinitionOnRandomData) {
  std::mt19937 rng(6811);
  std::vector<VrpEntry> vrps;
  for (int i = 0; i < 400; ++i) {
    const bool v6 = i % 4 == 0;
    const unsigned bits = v6 ? 128 : 32;
    // Lengths >= 8: a shorter VRP would cover every route in this narrow space.
    const unsigned length = 8 + static_cast<unsigned>(rng() % (bits - 7));
    const unsigned max_length = length + static_cast<unsigned>(rng() % (bits - length + 1));
    vrps.push_back(VrpEntry{random_prefix(rng, v6, length, 2),
                            static_cast<std::uint8_t>(max_length),
                            base::Asn(static_cast<std::uint32_t>(rng() % 4)),
                            {}});
  }
  const auto table = table_of(vrps);
  int seen[3] = {0, 0, 0};
  for (int i = 0; i < 4000; ++i) {
    const bool v6 = i % 4 == 0;
    const unsigned bits = v6 ? 128 : 32;
    const auto route = random_prefix(rng, v6, static_cast<unsigned>(rng() % (bits + 1)), 3);
    const base::Asn origin(static_cast<std::uint32_t>(rng() % 4));
    const auto expected = reference_state(vrps, route, origin);
    ASSERT_EQ(table.validate_origin(route, origin), expected)
        << route.to_string() << " AS" << origin.value();
    ++seen[static_cast<int>(expected)];
  }
  // The data must exercise all three outcomes, or the comparison proves little.
  EXPECT_GT(seen[0], 50);
  EXPECT_GT(seen[1], 50);
  EXPECT_GT(seen[2], 50);
}

// 10.w.x.y for IPv4, 2001:db8:wx:yz:: for IPv6 (random octets), cut to `length`: buckets of
// thousands of VRPs that share their first bits, as the table's index sees real ones.
base::Prefix spread_prefix(std::mt19937& rng, bool v6, unsigned length) {
  std::array<std::uint8_t, 16> bytes{};
  if (v6) {
    bytes = {0x20, 0x01, 0x0d, 0xb8};
    for (std::size_t i = 4; i < 8; ++i) {
      bytes[i] = static_cast<std::uint8_t>(rng());
    }
  } else {
    bytes = {10};
    for (std::size_t i = 1; i < 4; ++i) {
      bytes[i] = static_cast<std::uint8_t>(rng());
    }
  }
  return base::Prefix(base::IpAddress(v6 ? base::Afi::Ipv6 : base::Afi::Ipv4, bytes),
                      static_cast<std::uint8_t>(length));
}

TEST(VrpTable, IndexedBucketsAgreeWithDefinitionBeforeAndAfterDeltas) {
  // Two buckets large enough for the lookup index (IPv4 /24, IPv6 /48), a few small ones,
  // and routes that hit and miss them; then a delta (the touched buckets lose their index)
  // and index() again. Every answer must be the definition's.
  std::mt19937 rng(8210);
  std::vector<VrpEntry> vrps;
  const auto make = [&](bool v6) {
    const unsigned length = v6 ? (rng() % 8 == 0 ? 40 : 48) : (rng() % 8 == 0 ? 20 : 24);
    const unsigned max_length = length + static_cast<unsigned>(rng() % 3);
    return VrpEntry{spread_prefix(rng, v6, length),
                    static_cast<std::uint8_t>(max_length),
                    base::Asn(static_cast<std::uint32_t>(rng() % 3)),
                    {}};
  };
  for (int i = 0; i < 14'000; ++i) {
    vrps.push_back(make(i % 2 == 0));
  }
  auto table = table_of(vrps);
  const auto check = [&](const char* when) {
    int seen[3] = {0, 0, 0};
    for (int i = 0; i < 3'000; ++i) {
      const bool v6 = i % 2 == 0;
      const unsigned length =
          v6 ? 36 + static_cast<unsigned>(rng() % 16) : 18 + static_cast<unsigned>(rng() % 10);
      auto route = spread_prefix(rng, v6, length);
      if (i % 5 == 0) {  // outside the bits the buckets share: skipped, NotFound
        route = base::Prefix(base::IpAddress(v6 ? base::Afi::Ipv6 : base::Afi::Ipv4,
                                             std::array<std::uint8_t, 16>{
                                                 v6 ? std::uint8_t{0x2a} : std::uint8_t{11}, 2, 3}),
                             static_cast<std::uint8_t>(length));
      }
      base::Asn origin(static_cast<std::uint32_t>(rng() % 3));
      if (i % 5 == 1 || i % 5 == 2) {  // a VRP's prefix or a more-specific, often its AS
        const auto& v = vrps[rng() % vrps.size()];
        route = base::Prefix(v.prefix.address(),
                             static_cast<std::uint8_t>(v.prefix.length() + rng() % 3));
        origin = i % 5 == 1 ? v.asn : origin;
      }
      const auto expected = reference_state(vrps, route, origin);
      ASSERT_EQ(table.validate_origin(route, origin), expected)
          << when << ": " << route.to_string() << " AS" << origin.value();
      ++seen[static_cast<int>(expected)];
    }
    EXPECT_GT(seen[0], 100) << when;
    EXPECT_GT(seen[1], 100) << when;
    EXPECT_GT(seen[2], 100) << when;
  };
  check("built");
  for (int i = 0; i < 300; ++i) {  // a delta: 300 withdrawn, 300 new
    const auto gone = vrps[static_cast<std::size_t>(i) * 7];
    vrps.erase(vrps.begin() + i * 7);
    if (std::find_if(vrps.begin(), vrps.end(), [&](const VrpEntry& v) {
          return v.prefix == gone.prefix && v.max_length == gone.max_length && v.asn == gone.asn;
        }) == vrps.end()) {
      ASSERT_TRUE(table.remove(gone).value());
    } else {
      ASSERT_FALSE(table.remove(gone).value());  // listed twice: one reference left
    }
    vrps.push_back(make(i % 2 == 0));
    ASSERT_TRUE(table.add(vrps.back()).has_value());
  }
  check("after a delta, before index()");
  // The delta dropped the index of both large buckets: building them again takes memory, so
  // the checks above did run on indexed buckets.
  const auto unindexed = table.memory_bytes();
  table.index();
  EXPECT_GT(table.memory_bytes(), unindexed + 4 * 1024);
  check("indexed again");
}

TEST(VrpTable, DeltaReferenceCountingKeepsVrpUntilEverySourceWithdraws) {
  VrpTable table;
  const auto v = vrp("192.0.2.0/24", 24, 64496);
  auto first = table.add(v);
  ASSERT_TRUE(first);
  EXPECT_TRUE(*first);  // 0 -> 1: new
  auto second = table.add(v);
  ASSERT_TRUE(second);
  EXPECT_FALSE(*second);  // 1 -> 2: a second source
  EXPECT_EQ(table.size(), 1U);
  EXPECT_EQ(table.references(v), 2U);

  auto removed = table.remove(v);
  ASSERT_TRUE(removed);
  EXPECT_FALSE(*removed);  // one source still announces it
  EXPECT_TRUE(table.contains(v));
  EXPECT_EQ(table.validate_origin(v.prefix, v.asn), OriginState::Valid);

  removed = table.remove(v);
  ASSERT_TRUE(removed);
  EXPECT_TRUE(*removed);
  EXPECT_FALSE(table.contains(v));
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.validate_origin(v.prefix, v.asn), OriginState::NotFound);

  // RFC 8210 §5.6: withdrawing an unknown record is an error.
  removed = table.remove(v);
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().message, "VRP 192.0.2.0/24-24 AS64496 is not in the table");
}

TEST(VrpTable, VrpsDifferingOnlyInMaxLengthOrAsnAreDistinct) {
  VrpTable table;
  ASSERT_TRUE(table.add(vrp("2001:db8::/32", 32, 64496)));
  ASSERT_TRUE(table.add(vrp("2001:db8::/32", 48, 64496)));
  ASSERT_TRUE(table.add(vrp("2001:db8::/32", 48, 64497)));
  EXPECT_EQ(table.size(), 3U);
  EXPECT_EQ(table.size(base::Afi::Ipv6), 3U);
  EXPECT_EQ(table.size(base::Afi::Ipv4), 0U);
  ASSERT_TRUE(table.remove(vrp("2001:db8::/32", 48, 64496)));
  EXPECT_EQ(table.validate_origin(prefix("2001:db8::/40"), base::Asn(64496)), OriginState::Invalid);
  EXPECT_EQ(table.validate_origin(prefix("2001:db8::/40"), base::Asn(64497)), OriginState::Valid);
}

TEST(VrpTable, Rfc6482Sec33MaxLengthOutOfRangeIsRefused) {
  VrpTable table;
  auto short_max = table.add(vrp("192.0.2.0/24", 23, 64496));
  ASSERT_FALSE(short_max);
  EXPECT_EQ(short_max.error().message,
            "VRP 192.0.2.0/24-23 AS64496: maxLength 23 is outside 24..32");
  auto long_max = table.add(vrp("2001:db8::/32", 129, 64496));
  ASSERT_FALSE(long_max);
  EXPECT_THAT(long_max.error().message, HasSubstr("outside 32..128"));
  EXPECT_TRUE(table.empty());

  auto built =
      VrpTable::build(std::vector<VrpEntry>{vrp("10.0.0.0/8", 8, 1), vrp("10.0.0.0/8", 33, 1)});
  ASSERT_FALSE(built);
  EXPECT_THAT(built.error().message, HasSubstr("maxLength 33"));
}

TEST(VrpTable, BuildCountsDuplicatesAsReferences) {
  const auto v = vrp("198.51.100.0/22", 24, 64497);
  auto table = table_of({v, vrp("10.0.0.0/8", 8, 1), v, v});
  EXPECT_EQ(table.size(), 2U);
  EXPECT_EQ(table.references(v), 3U);
  EXPECT_EQ(table.references(vrp("10.0.0.0/8", 8, 2)), 0U);
  EXPECT_GT(table.memory_bytes(), 0U);
}

TEST(VrpTable, ForEachVisitsInVrpLessOrderAndRoundTripsThroughBuild) {
  const auto table = table_of(edge_vrps());
  const auto all = table.entries();
  ASSERT_EQ(all.size(), edge_vrps().size());
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), vrp_less));
  for (const auto& v : edge_vrps()) {
    EXPECT_TRUE(table.contains(v)) << vrp_to_string(v);
  }
  EXPECT_TRUE(vrp_equal(all.front(), vrp("10.0.0.0/8", 8, 64500)));
  EXPECT_TRUE(vrp_equal(all.back(), vrp("2001:db8:2::1/128", 128, 64511)));
  const auto again = table_of(all);
  EXPECT_EQ(again.entries(), all);
}

TEST(VrpTable, DiffFindsAddedAndRemoved) {
  const auto before =
      table_of({vrp("192.0.2.0/24", 24, 1), vrp("2001:db8::/32", 32, 2), vrp("10.0.0.0/8", 8, 3)});
  const auto after = table_of({vrp("192.0.2.0/24", 24, 1), vrp("2001:db8::/32", 48, 2),
                               vrp("10.0.0.0/8", 8, 3), vrp("10.0.0.0/8", 8, 3)});
  std::vector<VrpEntry> added;
  std::vector<VrpEntry> removed;
  VrpTable::diff(before, after, added, removed);
  EXPECT_THAT(added, ElementsAre(vrp("2001:db8::/32", 48, 2)));
  EXPECT_THAT(removed, ElementsAre(vrp("2001:db8::/32", 32, 2)));
}

TEST(VrpTable, ClearEmptiesEverything) {
  auto table = table_of(edge_vrps());
  table.clear();
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(table.validate_origin(prefix("192.0.2.0/24"), base::Asn(64496)), OriginState::NotFound);
}

}  // namespace
}  // namespace bgpsecd::rpki
