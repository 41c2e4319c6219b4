// SPDX-License-Identifier: BSD-2-Clause
#include "base/prefix.hpp"

#include <map>
#include <string>
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
