// SPDX-License-Identifier: BSD-2-Clause
// MRT TABLE_DUMP_V2 records byte for byte against RFC 6396 §4.3 layouts written out by hand.
#include "mrt/table_dump.hpp"

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "wire/update_test_util.hpp"

namespace bgpsecd::mrt {
namespace {

using wire::test::hex;

constexpr std::uint32_t kTime = 1600000000;  // 5F5E1000

base::IpAddress ip(const char* text) { return base::IpAddress::parse(text).value(); }

wire::PathAttributes plain_attrs() {
  wire::PathAttributes a;
  a.origin = wire::Origin::Igp;
  a.as_path = wire::AsPath{{wire::AsPathSegment{wire::AsPathSegmentType::AsSequence,
                                                {base::Asn(65001), base::Asn(65002)}}}};
  return a;
}

TEST(MrtTableDump, PeerIndexTable) {
  const auto bytes = encode_peer_index_table(
      kTime, 0x0A000001, "",
      {Peer{0xC0000201, ip("192.0.2.1"), 65001}, Peer{0xC0000202, ip("2001:db8::2"), 4200000000}});
  EXPECT_EQ(
      base::to_hex(bytes),
      base::to_hex(hex(
          "5f5e1000 000d 0001 0000002e"    // timestamp, TABLE_DUMP_V2, PEER_INDEX_TABLE, length 46
          "0a000001 0000 0002"             // collector BGP ID, no view name, 2 peers
          "02 c0000201 c0000201 0000fde9"  // IPv4 peer, 4-octet AS 65001
          "03 c0000202 20010db8000000000000000000000002 fa56ea00")));  // IPv6, AS 4200000000
}

TEST(MrtTableDump, RibIpv4WithFourOctetAsPath) {
  auto attrs = plain_attrs();
  attrs.next_hop = ip("192.0.2.1");
  const auto bytes = encode_rib_record(kTime, 7, base::Prefix::parse("10.0.0.0/8").value(),
                                       {RibEntry{0, kTime, attrs}});
  EXPECT_EQ(
      base::to_hex(bytes),
      base::to_hex(hex("5f5e1000 000d 0002 00000028"  // RIB_IPV4_UNICAST, length 40
                       "00000007 08 0a 0001"          // sequence 7, 10.0.0.0/8, one entry
                       "0000 5f5e1000 0018"           // peer 0, originated, 24 octets of attributes
                       "40010100"                     // ORIGIN IGP
                       "40020a02020000fde90000fdea"   // AS_PATH, 4-octet ASNs (RFC 6396 §4.3.4)
                       "400304c0000201")));           // NEXT_HOP
}

TEST(MrtTableDump, RibIpv6HasTheNextHopOnlyInMpReach) {
  auto attrs = plain_attrs();
  attrs.mp_reach = wire::MpReach{base::Afi::Ipv6,
                                 base::kSafiUnicast,
                                 {ip("2001:db8::2")},
                                 {base::Prefix::parse("2001:db8::/32").value()}};
  const auto bytes = encode_rib_record(kTime, 0, base::Prefix::parse("2001:db8::/32").value(),
                                       {RibEntry{1, kTime, attrs}});
  EXPECT_EQ(
      base::to_hex(bytes),
      base::to_hex(hex(
          "5f5e1000 000d 0004 00000038"  // RIB_IPV6_UNICAST, length 56
          "00000000 20 20010db8 0001"    // sequence 0, 2001:db8::/32, one entry
          "0001 5f5e1000 0025"           // peer 1, originated, 37 octets of attributes
          "40010100"
          "40020a02020000fde90000fdea"
          "800e11 10 20010db8000000000000000000000002")));  // MP_REACH: next hop length, address
}

TEST(MrtTableDump, BgpsecRouteKeepsItsPathBesideTheRebuiltAsPath) {
  auto attrs = plain_attrs();
  attrs.next_hop = ip("192.0.2.1");
  wire::BgpsecPath path;
  path.secure_path = {wire::SecurePathSegment{1, 0, base::Asn(65001)},
                      wire::SecurePathSegment{1, 0, base::Asn(65002)}};
  attrs.bgpsec_path = path;
  const auto bytes = encode_rib_record(kTime, 1, base::Prefix::parse("10.0.0.0/8").value(),
                                       {RibEntry{0, kTime, attrs}});
  // After the three attributes above: BGPsec_PATH, flags 0x90 (optional, extended length),
  // type 33, its Secure_Path of two segments and no Signature_Block.
  const std::string text = base::to_hex(bytes);
  EXPECT_NE(text.find("40020A02020000FDE90000FDEA"), std::string::npos) << text;
  EXPECT_NE(text.find("9021000E000E01000000FDE901000000FDEA"), std::string::npos) << text;
}

}  // namespace
}  // namespace bgpsecd::mrt
