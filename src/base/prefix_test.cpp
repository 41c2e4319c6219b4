// SPDX-License-Identifier: BSD-2-Clause
#include "base/prefix.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <unordered_set>
#include <vector>

#include <gtest/gtest.h>

namespace bgpsecd::base {
namespace {

TEST(Prefix, ParsesAndPrints) {
  auto p4 = Prefix::parse("192.0.2.0/24");
  ASSERT_TRUE(p4);
  EXPECT_EQ(p4->afi(), Afi::Ipv4);
  EXPECT_EQ(p4->length(), 24);
  EXPECT_EQ(p4->to_string(), "192.0.2.0/24");
  EXPECT_EQ(p4->nlri_octets().size(), 3U);
  auto p6 = Prefix::parse("2001:db8::/32");
  ASSERT_TRUE(p6);
  EXPECT_EQ(p6->afi(), Afi::Ipv6);
  EXPECT_EQ(p6->to_string(), "2001:db8::/32");
  EXPECT_EQ(p6->nlri_octets().size(), 4U);
  EXPECT_EQ(Prefix::parse("0.0.0.0/0")->nlri_octets().size(), 0U);
}

TEST(Prefix, RejectsMalformed) {
  EXPECT_FALSE(Prefix::parse("192.0.2.0"));
  EXPECT_FALSE(Prefix::parse("192.0.2.1/24"));  // host bits set
  EXPECT_FALSE(Prefix::parse("192.0.2.0/33"));
  EXPECT_FALSE(Prefix::parse("2001:db8::/129"));
  EXPECT_FALSE(Prefix::parse("192.0.2.0/"));
  EXPECT_FALSE(Prefix::parse("192.0.2.0/2x"));
  EXPECT_FALSE(Prefix::parse("300.0.2.0/24"));
}

TEST(Prefix, MasksHostBitsOnConstruction) {
  const Prefix p(IpAddress::parse("192.0.2.77").value(), 25);
  EXPECT_EQ(p.to_string(), "192.0.2.0/25");
  const Prefix q(IpAddress::parse("192.0.2.200").value(), 25);
  EXPECT_EQ(q.to_string(), "192.0.2.128/25");
}

TEST(Prefix, Contains) {
  const auto p = Prefix::parse("10.0.0.0/8").value();
  EXPECT_TRUE(p.contains(Prefix::parse("10.1.0.0/16").value()));
  EXPECT_TRUE(p.contains(p));
  EXPECT_FALSE(p.contains(Prefix::parse("11.0.0.0/16").value()));
  EXPECT_FALSE(p.contains(Prefix::parse("0.0.0.0/0").value()));
  EXPECT_FALSE(p.contains(Prefix::parse("2001:db8::/32").value()));
}

TEST(Prefix, ForEachWithinVisitsTheCoveredRunOnly) {
  std::map<Prefix, int> map;
  for (const char* text : {"10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24", "10.1.0.0/16",
                           "11.0.0.0/8", "::/0", "2001:db8::/32"}) {
    map[Prefix::parse(text).value()] = 0;
  }
  const auto within = [&](const char* covering) {
    std::vector<std::string> seen;
    for_each_within(map, Prefix::parse(covering).value(),
                    [&](const auto& entry) { seen.push_back(entry.first.to_string()); });
    return seen;
  };
  EXPECT_EQ(within("10.0.0.0/16"),
            (std::vector<std::string>{"10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24"}));
  EXPECT_EQ(within("10.0.0.0/8"),
            (std::vector<std::string>{"10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24",
                                      "10.1.0.0/16"}));
  EXPECT_EQ(within("10.0.1.0/25"), std::vector<std::string>{});
  EXPECT_EQ(within("0.0.0.0/0").size(), 6U);  // IPv4 only
  EXPECT_EQ(within("2001::/16"), (std::vector<std::string>{"2001:db8::/32"}));
}

// The word-wise comparison orders as family, then octets one by one (unsigned), then length:
// the order ForEachWithin and every map of prefixes rely on. Random octets, and octets that
// differ only in one position near each word boundary or in the sign bit.
TEST(Prefix, OrderIsFamilyThenOctetsThenLength) {
  std::mt19937_64 rng(8205);
  std::vector<Prefix> prefixes;
  const auto add = [&](Afi afi, std::array<std::uint8_t, 16> octets, std::uint8_t length) {
    prefixes.emplace_back(IpAddress(afi, octets), length);
  };
  for (int i = 0; i < 300; ++i) {
    std::array<std::uint8_t, 16> octets{};
    for (auto& o : octets) {
      o = static_cast<std::uint8_t>(rng() % 4 == 0 ? 0x80 | (rng() & 1) : rng());
    }
    const auto afi = rng() % 2 == 0 ? Afi::Ipv4 : Afi::Ipv6;
    add(afi, octets, static_cast<std::uint8_t>(rng() % (max_prefix_length(afi) + 1)));
  }
  for (const std::size_t position : {0U, 3U, 7U, 8U, 9U, 15U}) {
    for (const int value : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
      std::array<std::uint8_t, 16> octets{};
      octets.fill(0xff);
      octets[position] = static_cast<std::uint8_t>(value);
      add(Afi::Ipv6, octets, 128);
      add(Afi::Ipv6, octets, 127);
      add(Afi::Ipv4, octets, 32);
    }
  }
  const auto key = [](const Prefix& p) {
    const auto octets = p.address().octets();
    return std::make_tuple(p.afi(), std::vector<std::uint8_t>(octets.begin(), octets.end()),
                           p.length());
  };
  for (const auto& a : prefixes) {
    for (const auto& b : prefixes) {
      ASSERT_EQ(a < b, key(a) < key(b)) << a.to_string() << " " << b.to_string();
      ASSERT_EQ(a == b, key(a) == key(b)) << a.to_string() << " " << b.to_string();
      const auto ka = key(a);
      const auto kb = key(b);
      ASSERT_EQ(a.address() < b.address(), std::make_pair(std::get<0>(ka), std::get<1>(ka)) <
                                               std::make_pair(std::get<0>(kb), std::get<1>(kb)));
    }
  }
}

// Equal prefixes hash equal, and a hash set tells apart prefixes that differ in family, one
// octet or the length alone.
TEST(Prefix, HashKeepsEveryDistinctPrefix) {
  std::unordered_set<Prefix, PrefixHash> set;
  std::vector<Prefix> all;
  for (std::uint32_t i = 0; i < 4096; ++i) {
    all.emplace_back(IpAddress::v4(i << 8), 24);
    all.emplace_back(IpAddress::v4(i << 8), 32);
    std::array<std::uint8_t, 16> v6{0x20, 0x01, 0x0d, 0xb8};
    v6[15] = static_cast<std::uint8_t>(i);
    v6[8] = static_cast<std::uint8_t>(i >> 8);
    all.emplace_back(IpAddress(Afi::Ipv6, v6), 128);
  }
  all.emplace_back(IpAddress::v4(0), 0);
  all.emplace_back(IpAddress(Afi::Ipv6, std::array<std::uint8_t, 16>{}), 0);
  for (const auto& p : all) {
    EXPECT_TRUE(set.insert(p).second) << p.to_string();
  }
  EXPECT_EQ(set.size(), all.size());
  for (const auto& p : all) {
    const auto copy = Prefix::parse(p.to_string()).value();
    EXPECT_EQ(PrefixHash{}(copy), PrefixHash{}(p));
    EXPECT_TRUE(set.contains(copy)) << p.to_string();
  }
}

TEST(BgpIdentifier, Rfc6286Sec2_1_ANonZeroIpv4AddressOnly) {
  EXPECT_EQ(parse_bgp_identifier("192.0.2.1").value(), 0xC0000201u);
  EXPECT_EQ(parse_bgp_identifier("255.255.255.255").value(), 0xFFFFFFFFu);
  EXPECT_FALSE(parse_bgp_identifier("0.0.0.0").has_value());
  EXPECT_FALSE(parse_bgp_identifier("2001:db8::1").has_value());
  EXPECT_FALSE(parse_bgp_identifier("192.0.2").has_value());
  EXPECT_FALSE(parse_bgp_identifier("").has_value());
}

}  // namespace
}  // namespace bgpsecd::base
