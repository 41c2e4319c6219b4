// SPDX-License-Identifier: BSD-2-Clause
#include "wire/mp_reach.hpp"

#include <gtest/gtest.h>

#include "wire/update_test_util.hpp"

namespace bgpsecd::wire {
namespace {

using test::hex;
using test::ip;
using test::pfx;
using test::same_bytes;

base::Bytes encode(const MpReach& r) {
  base::ByteWriter w;
  encode_mp_reach_value(r, w);
  return w.take();
}

base::Bytes encode(const MpUnreach& u) {
  base::ByteWriter w;
  encode_mp_unreach_value(u, w);
  return w.take();
}

void expect_both_ways(const base::Bytes& bytes, const MpReach& expected) {
  auto decoded = decode_mp_reach(bytes);
  ASSERT_TRUE(decoded) << decoded.error().what;
  EXPECT_EQ(*decoded, expected);
  EXPECT_TRUE(same_bytes(bytes, encode(expected)));
}

// The MP_REACH_NLRI value of the RFC 8608 IPv4 example.
TEST(MpReach, Ipv4ExampleBothWays) {
  expect_both_ways(hex("0001 01 04 C6336464 00 18C00002"),
                   MpReach{base::Afi::Ipv4, 1, {ip("198.51.100.100")}, {pfx("192.0.2.0/24")}});
}

// The MP_REACH_NLRI value of the RFC 8608 IPv6 example.
TEST(MpReach, Ipv6ExampleBothWays) {
  expect_both_ways(hex("0002 01 10 20010010 00000000 00000000 C6336464 00 2020010DB8"),
                   MpReach{base::Afi::Ipv6, 1, {ip("2001:10::c633:6464")}, {pfx("2001:db8::/32")}});
}

// RFC 2545 §3: global and link-local next hop.
TEST(MpReach, Ipv6GlobalAndLinkLocalNextHop) {
  expect_both_ways(
      hex("0002 01 20 20010DB8000000000000000000000001 FE800000000000000000000000000001 00"
          " 30 20010DB80001 40 20010DB800020000"),
      MpReach{base::Afi::Ipv6,
              1,
              {ip("2001:db8::1"), ip("fe80::1")},
              {pfx("2001:db8:1::/48"), pfx("2001:db8:2::/64")}});
}

// RFC 8950: IPv4 NLRI with an IPv6 next hop.
TEST(MpReach, Rfc8950_Ipv4NlriWithIpv6NextHop) {
  expect_both_ways(hex("0001 01 10 20010DB8000000000000000000000001 00 18C00002"),
                   MpReach{base::Afi::Ipv4, 1, {ip("2001:db8::1")}, {pfx("192.0.2.0/24")}});
}

TEST(MpReach, ReservedOctetIsIgnored) {
  auto decoded = decode_mp_reach(hex("0001 01 04 C6336464 07 18C00002"));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->nlri, std::vector<base::Prefix>{pfx("192.0.2.0/24")});
}

// RFC 7606 §7.11: the prefixes cannot be located, so the session is reset.
TEST(MpReach, Rfc7606_7_11_MalformedIsSessionReset) {
  const char* cases[] = {
      "0001",                                     // truncated AFI/SAFI
      "0001 01 08 C6336464C6336465 00 18C00002",  // next-hop length 8
      "0002 01 04 C6336464 00 2020010DB8",        // IPv6 with a 4-octet next hop
      "0001 01 04 C6336464",                      // reserved octet missing
      "0001 01 10 C6336464",                      // next hop overruns
      "0001 01 04 C6336464 00 21C0000200",        // /33
      "0001 01 04 C6336464 00 18C000",            // cut prefix
  };
  for (const char* c : cases) {
    auto r = decode_mp_reach(hex(c), 50);
    ASSERT_FALSE(r) << c;
    EXPECT_EQ(r.error().action, base::Action::SessionReset) << c;
    EXPECT_EQ(r.error().code, 3) << c;
    EXPECT_EQ(r.error().subcode, 9) << c;
    EXPECT_GE(r.error().offset, 50U) << c;
  }
}

TEST(MpReach, UnsupportedAfiSafiIsDiscarded) {
  for (const char* c :
       {"0019 41 04 C6336464 00", "0001 02 04 C6336464 00 18E00000", "0001 80 04 C6336464 00"}) {
    auto r = decode_mp_reach(hex(c));
    ASSERT_FALSE(r) << c;
    EXPECT_EQ(r.error().action, base::Action::AttributeDiscard) << c;
  }
}

TEST(MpUnreach, BothWays) {
  const auto bytes = hex("0002 01 2020010DB8 30 20010DB80001");
  const MpUnreach expected{base::Afi::Ipv6, 1, {pfx("2001:db8::/32"), pfx("2001:db8:1::/48")}};
  auto decoded = decode_mp_unreach(bytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, expected);
  EXPECT_TRUE(same_bytes(bytes, encode(expected)));
}

TEST(MpUnreach, EmptyIsEndOfRibShape) {
  auto decoded = decode_mp_unreach(hex("0002 01"));
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->withdrawn.empty());
  EXPECT_TRUE(same_bytes(hex("000201"), encode(*decoded)));
}

// RFC 7606 §7.12.
TEST(MpUnreach, Rfc7606_7_12_MalformedIsSessionReset) {
  for (const char* c : {"00", "0002 01 81 20010DB8", "0001 01 18 C000"}) {
    auto r = decode_mp_unreach(hex(c));
    ASSERT_FALSE(r) << c;
    EXPECT_EQ(r.error().action, base::Action::SessionReset) << c;
    EXPECT_EQ(r.error().subcode, 9) << c;
  }
}

}  // namespace
}  // namespace bgpsecd::wire
