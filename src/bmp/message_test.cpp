// SPDX-License-Identifier: BSD-2-Clause
// BMP messages byte for byte against the RFC 7854 / RFC 9069 layouts written out by hand.
#include "bmp/message.hpp"

#include <string>

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "bmp/test_pdus.hpp"

namespace bgpsecd::bmp {
namespace {

using test::canon;
using test::hex;

std::string h(const base::Bytes& bytes) { return base::to_hex(bytes); }

const std::string kLocRibHeader =
    "03 00 0000000000000000 00000000000000000000000000000000 0000fde9 c0000201 5f5e1000 0001e240";

TEST(BmpMessage, Rfc7854Sec4_3_InitiationCarriesSysDescrAndSysName) {
  EXPECT_EQ(h(encode_initiation("bgpsecd 1.0", "r1")),
            canon("03 0000001b 04"                      // version 3, 27 octets, type 4
                  "0001 000b 62677073656364 20 312e30"  // sysDescr "bgpsecd 1.0"
                  "0002 0002 7231"));                   // sysName "r1"
}

TEST(BmpMessage, Rfc7854Sec4_5_TerminationReasonAndString) {
  EXPECT_EQ(h(encode_termination(TerminationReason::AdminClosed)),
            canon("03 0000000c 05 0001 0002 0000"));
  EXPECT_EQ(h(encode_termination(TerminationReason::OutOfResources, "bye")),
            canon("03 00000013 05 0000 0003 627965 0001 0002 0002"));
}

TEST(BmpMessage, Rfc7854Sec4_6_RouteMonitoringIpv4PrePolicy) {
  EXPECT_EQ(h(encode_route_monitoring(test::ipv4_peer(), test::end_of_rib())),
            canon("03 00000047 00" + test::ipv4_peer_header_hex("00") + test::kEndOfRibHex));
}

TEST(BmpMessage, Rfc7854Sec4_2_PostPolicyIpv6PeerSetsVAndL) {
  auto peer = test::ipv4_peer();
  peer.address = base::IpAddress::parse("2001:db8::1").value();
  peer.post_policy = true;
  EXPECT_EQ(h(encode_route_monitoring(peer, test::end_of_rib())),
            canon(std::string("03 00000047 00"
                              "00 c0 0000000000000000 20010db8000000000000000000000001"
                              "0000fde9 c0000201 5f5e1000 0001e240") +
                  test::kEndOfRibHex));
}

TEST(BmpMessage, Rfc8671Sec4_AdjRibOutAndLegacyAsPathFlags) {
  auto peer = test::ipv4_peer();
  peer.adj_rib_out = true;
  peer.legacy_as_path = true;
  EXPECT_EQ(h(encode_route_monitoring(peer, test::end_of_rib())),
            canon("03 00000047 00" + test::ipv4_peer_header_hex("30") + test::kEndOfRibHex));
}

TEST(BmpMessage, Rfc9069Sec4_2_LocRibPeerHeaderWithFilteredFlag) {
  const auto peer = loc_rib_peer_header(65001, 0xC0000201, 0x5F5E1000, 123456, true);
  EXPECT_EQ(h(encode_route_monitoring(peer, test::end_of_rib())),
            canon(std::string("03 00000047 00"
                              "03 80 0000000000000000 00000000000000000000000000000000"
                              "0000fde9 c0000201 5f5e1000 0001e240") +
                  test::kEndOfRibHex));
}

TEST(BmpMessage, Rfc7854Sec4_10_PeerUpIpv4) {
  const auto open = test::open();
  EXPECT_EQ(h(encode_peer_up(test::ipv4_peer(), base::IpAddress::parse("192.0.2.2").value(), 179,
                             50000, open, open)),
            canon("03 0000007e 03" + test::ipv4_peer_header_hex("00") +
                  "000000000000000000000000 c0000202"  // local address
                  "00b3 c350" +                        // local port 179, remote port 50000
                  test::kOpenHex +
                  test::kOpenHex));
}

TEST(BmpMessage, Rfc9069Sec5_1_LocRibPeerUpHasZeroAddressAndTableName) {
  const auto open = test::open();
  const auto peer = loc_rib_peer_header(65001, 0xC0000201, 0x5F5E1000, 123456, false);
  EXPECT_EQ(h(encode_peer_up(peer, base::IpAddress{}, 0, 0, open, open,
                             {string_tlv(kInfoTableName, "global")})),
            canon("03 00000088 03" + kLocRibHeader + "00000000000000000000000000000000 0000 0000" +
                  test::kOpenHex + test::kOpenHex + "0003 0006 676c6f62616c"));
}

TEST(BmpMessage, Rfc7854Sec4_9_PeerDownReasons) {
  const auto peer = test::ipv4_peer();
  const std::string notification = "ffffffffffffffffffffffffffffffff 0015 03 06 02";
  EXPECT_EQ(h(encode_peer_down(peer, PeerDownReason::LocalNotification, hex(notification))),
            canon("03 00000046 02" + test::ipv4_peer_header_hex("00") + "01" + notification));
  EXPECT_EQ(h(encode_peer_down(peer, PeerDownReason::RemoteNotification, hex(notification))),
            canon("03 00000046 02" + test::ipv4_peer_header_hex("00") + "03" + notification));
  // Reason 2: the FSM event as two octets (RFC 4271 §8.1 event 2, ManualStop).
  EXPECT_EQ(h(encode_peer_down(peer, PeerDownReason::LocalNoNotification, fsm_event_data(2))),
            canon("03 00000033 02" + test::ipv4_peer_header_hex("00") + "02 0002"));
  EXPECT_EQ(h(encode_peer_down(peer, PeerDownReason::RemoteNoNotification)),
            canon("03 00000031 02" + test::ipv4_peer_header_hex("00") + "04"));
  EXPECT_EQ(h(encode_peer_down(peer, PeerDownReason::PeerDeconfigured)),
            canon("03 00000031 02" + test::ipv4_peer_header_hex("00") + "05"));
}

TEST(BmpMessage, Rfc9069Sec5_3_LocRibPeerDownReason6WithTableName) {
  const auto peer = loc_rib_peer_header(65001, 0xC0000201, 0x5F5E1000, 123456, false);
  EXPECT_EQ(h(encode_peer_down(peer, PeerDownReason::LocalTlv,
                               tlv_data({string_tlv(kInfoTableName, "global")}))),
            canon("03 0000003b 02" + kLocRibHeader + "06 0003 0006 676c6f62616c"));
}

TEST(BmpMessage, Rfc7854Sec4_8_StatisticsReport) {
  const auto bytes = encode_statistics(
      test::ipv4_peer(), {counter32(kStatRejectedPrefixes, 5), gauge64(kStatAdjRibInRoutes, 10),
                          per_afi_gauge64(kStatPerAfiAdjRibInRoutes, base::Afi::Ipv6, 1, 3)});
  EXPECT_EQ(h(bytes), canon("03 00000057 01" + test::ipv4_peer_header_hex("00") +
                            "00000003"                            // 3 counters
                            "0000 0004 00000005"                  // type 0, u32
                            "0007 0008 000000000000000a"          // type 7, u64
                            "0009 000b 0002 01 0000000000000003"  // type 9: AFI 2, SAFI 1, u64
                            ));
}

}  // namespace
}  // namespace bgpsecd::bmp
