// SPDX-License-Identifier: BSD-2-Clause
// The MRT decoder against our own encoder (round trip and the encoder's golden bytes) and
// against BGP4MP records written out by hand from the RFC 6396 §4.4 layouts.
#include "mrt/record.hpp"

#include <gtest/gtest.h>

#include "mrt/table_dump.hpp"
#include "wire/update_test_util.hpp"

namespace bgpsecd::mrt {
namespace {

using wire::test::cat;
using wire::test::hex;

constexpr std::uint32_t kTime = 1600000000;

using wire::test::as_sequence;
using wire::test::ip;
using wire::test::pfx;

std::vector<Record> read_all(std::span<const std::uint8_t> bytes, std::size_t* skipped = nullptr) {
  RecordReader reader(bytes);
  std::vector<Record> out;
  for (;;) {
    auto rec = reader.next();
    EXPECT_TRUE(rec.has_value()) << rec.error().message();
    if (!rec || !*rec) {
      break;
    }
    out.push_back(std::move(**rec));
  }
  if (skipped != nullptr) {
    *skipped = reader.skipped();
  }
  return out;
}

TEST(MrtRecord, EncoderOutputDecodesBack) {
  const std::vector<Peer> peers{Peer{0xC0000201, ip("192.0.2.1"), 65001},
                                Peer{0xC0000202, ip("2001:db8::2"), 4200000000}};
  wire::PathAttributes v4;
  v4.origin = wire::Origin::Igp;
  v4.as_path = as_sequence({65001, 65002, 65002, 4200000001});
  v4.next_hop = ip("192.0.2.1");
  v4.med = 10;
  v4.local_pref = 200;
  v4.communities = {0xFDE90001};
  wire::PathAttributes v6;
  v6.origin = wire::Origin::Incomplete;
  v6.as_path = as_sequence({4200000000, 65003});
  v6.mp_reach = wire::MpReach{base::Afi::Ipv6,
                              base::kSafiUnicast,
                              {ip("2001:db8::2"), ip("fe80::2")},
                              {pfx("2001:db8:100::/40")}};
  const std::vector<RibEntry> entries4{RibEntry{0, kTime, v4}, RibEntry{1, kTime - 5, v4}};
  const std::vector<RibEntry> entries6{RibEntry{1, kTime, v6}};
  const auto bytes = cat({encode_peer_index_table(kTime, 0x0A000001, "view", peers),
                          encode_rib_record(kTime, 0, pfx("10.1.0.0/16"), entries4),
                          encode_rib_record(kTime, 1, pfx("2001:db8:100::/40"), entries6)});
  const auto records = read_all(bytes);
  ASSERT_EQ(records.size(), 3U);
  EXPECT_EQ(records[0].header,
            (RecordHeader{kTime, kTypeTableDumpV2, kSubtypePeerIndexTable,
                          static_cast<std::uint32_t>(records[1].offset - 12), 0}));
  EXPECT_EQ(std::get<PeerIndexTable>(records[0].body), (PeerIndexTable{0x0A000001, "view", peers}));
  EXPECT_EQ(std::get<RibRecord>(records[1].body), (RibRecord{0, pfx("10.1.0.0/16"), entries4, {}}));
  EXPECT_EQ(std::get<RibRecord>(records[2].body),
            (RibRecord{1, pfx("2001:db8:100::/40"), entries6, {}}));
  EXPECT_EQ(records[2].offset + 12 + records[2].header.length, bytes.size());
}

// The encoder's golden RIB_IPV6_UNICAST record (table_dump_test.cpp), preceded by a peer
// table: the abbreviated MP_REACH_NLRI (RFC 6396 §4.3.4) comes back as a whole MpReach.
TEST(MrtRecord, Rfc6396Sec4_3_4_AbbreviatedMpReach) {
  const auto bytes = cat({hex("5f5e1000 000d 0001 00000020"
                              "0a000001 0000 0002"
                              "02 c0000201 c0000201 0000fde9"
                              "00 c0000202 c0000202 fdea"),  // a 2-octet-AS peer entry
                          hex("5f5e1000 000d 0004 00000038"
                              "00000000 20 20010db8 0001"
                              "0001 5f5e1000 0025"
                              "40010100"
                              "40020a02020000fde90000fdea"
                              "800e11 10 20010db8000000000000000000000002")});
  const auto records = read_all(bytes);
  ASSERT_EQ(records.size(), 2U);
  const auto& peers = std::get<PeerIndexTable>(records[0].body).peers;
  ASSERT_EQ(peers.size(), 2U);
  EXPECT_EQ(peers[1].asn, 65002U);
  const auto& rib = std::get<RibRecord>(records[1].body);
  EXPECT_EQ(rib.prefix, pfx("2001:db8::/32"));
  ASSERT_EQ(rib.entries.size(), 1U);
  EXPECT_EQ(rib.entries[0].peer_index, 1);
  EXPECT_EQ(rib.entries[0].attrs.as_path, as_sequence({65001, 65002}));
  EXPECT_EQ(rib.entries[0].attrs.mp_reach,
            (wire::MpReach{
                base::Afi::Ipv6, base::kSafiUnicast, {ip("2001:db8::2")}, {pfx("2001:db8::/32")}}));
}

// Older dumpers wrote the whole MP_REACH_NLRI into RIB entries; it is read as well.
TEST(MrtRecord, FullMpReachInRibEntryIsReadToo) {
  const auto bytes = cat({hex("5f5e1000 000d 0001 00000015"
                              "0a000001 0000 0001"
                              "02 c0000201 c0000201 0000fde9"),
                          hex("5f5e1000 000d 0004 00000038"
                              "00000005 20 20010db8 0001"
                              "0000 5f5e1000 0025"
                              "40010100"
                              "400206 0101 0000fde9"  // an AS_SET
                              "800e15 0002 01 10 20010db8000000000000000000000002 00")});
  const auto records = read_all(bytes);
  ASSERT_EQ(records.size(), 2U);
  const auto& rib = std::get<RibRecord>(records[1].body);
  ASSERT_EQ(rib.entries.size(), 1U);
  EXPECT_EQ(rib.entries[0].attrs.as_path->segments[0].type, wire::AsPathSegmentType::AsSet);
  EXPECT_EQ(rib.entries[0].attrs.mp_reach->next_hops, std::vector{ip("2001:db8::2")});
  EXPECT_EQ(rib.entries[0].attrs.mp_reach->nlri, std::vector{pfx("2001:db8::/32")});
}

// RFC 8050 §4: RIB_IPV4_UNICAST_ADDPATH as GoBGP writes its table dumps, a Path Identifier
// after Originated Time.
TEST(MrtRecord, Rfc8050Sec4_AddPathRibSubtypes) {
  const auto bytes = cat({hex("5f5e1000 000d 0001 00000015"
                              "0a000001 0000 0001"
                              "02 c0000201 c0000201 0000fde9"),
                          hex("5f5e1000 000d 0008 0000002a"
                              "00000002 18 0a0000 0001"
                              "0000 5f5e1000 00000007 0014"
                              "40010102"
                              "400206 0201 0000fbf0"
                              "400304 c0000201")});
  const auto records = read_all(bytes);
  ASSERT_EQ(records.size(), 2U);
  const auto& rib = std::get<RibRecord>(records[1].body);
  EXPECT_EQ(rib.prefix, pfx("10.0.0.0/24"));
  EXPECT_EQ(rib.path_ids, std::vector<std::uint32_t>{7});
  ASSERT_EQ(rib.entries.size(), 1U);
  EXPECT_EQ(rib.entries[0].attrs.as_path, as_sequence({64496}));
}

// RFC 6396 §4.4.2 BGP4MP_MESSAGE: 2-octet AS fields and a 2-octet AS_PATH whose AS_TRANS is
// resolved from AS4_PATH (RFC 6793 §4.2.3).
const char* const kBgp4mpMessage =
    "5f5e1000 0010 0001 0000004c"
    "fde9 fdea 0000 0001 c0000201 c0000202"
    "ffffffffffffffffffffffffffffffff 003c 02"
    "0000 0021"
    "40010100"
    "400206 0202 fde9 5ba0"          // AS_PATH 65001 AS_TRANS
    "c0110a 0202 0000fde9 fa56ea00"  // AS4_PATH 65001 4200000000
    "400304 c0000201"
    "18 0a0000";  // 10.0.0.0/24

// RFC 6396 §3, §4.4.3: BGP4MP_ET MESSAGE_AS4 with microseconds, IPv6, 4-octet AS_PATH
// with a prepend.
const char* const kBgp4mpEtMessageAs4 =
    "5f5e1000 0011 0004 00000079"
    "0001e240"
    "0000fde9 fa56ea00 0001 0002"
    "20010db8000000000000000000000001 20010db8000000000000000000000002"
    "ffffffffffffffffffffffffffffffff 0049 02"
    "0000 0032"
    "40010100"
    "40020e 0203 0000fde9 0000fde9 00010000"
    "800e1a 0002 01 10 20010db8000000000000000000000001 00 20 20010db8";

TEST(MrtRecord, Rfc6396Sec4_4_2_Bgp4mpMessageMergesAs4Path) {
  const auto records = read_all(hex(kBgp4mpMessage));
  ASSERT_EQ(records.size(), 1U);
  const auto& m = std::get<Bgp4mpUpdate>(records[0].body);
  EXPECT_EQ(m.peer_as, 65001U);
  EXPECT_EQ(m.local_as, 65002U);
  EXPECT_FALSE(m.as4);
  EXPECT_EQ(m.peer_address, ip("192.0.2.1"));
  EXPECT_EQ(m.local_address, ip("192.0.2.2"));
  EXPECT_EQ(m.update.nlri, std::vector{pfx("10.0.0.0/24")});
  EXPECT_EQ(m.update.attrs.as_path, as_sequence({65001, 4200000000}));
}

TEST(MrtRecord, Rfc6396Sec4_4_3_Bgp4mpEtMessageAs4) {
  const auto records = read_all(hex(kBgp4mpEtMessageAs4));
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0].header.microseconds, 123456U);
  const auto& m = std::get<Bgp4mpUpdate>(records[0].body);
  EXPECT_TRUE(m.as4);
  EXPECT_FALSE(m.local);
  EXPECT_EQ(m.peer_as, 65001U);
  EXPECT_EQ(m.local_as, 4200000000U);
  EXPECT_EQ(m.interface_index, 1);
  EXPECT_EQ(m.peer_address, ip("2001:db8::1"));
  EXPECT_EQ(m.update.attrs.as_path, as_sequence({65001, 65001, 65536}));
  ASSERT_TRUE(m.update.attrs.mp_reach);
  EXPECT_EQ(m.update.attrs.mp_reach->nlri, std::vector{pfx("2001:db8::/32")});
}

// Types, subtypes and BGP messages the reader does not handle are skipped by their Length
// and counted; the records around them still decode.
TEST(MrtRecord, UnknownTypesAndNonUpdatesAreSkippedAndCounted) {
  const auto bytes = cat({hex("5f5e1000 000c 0001 00000004 deadbeef"),  // TABLE_DUMP (v1)
                          hex(kBgp4mpMessage),
                          hex("5f5e1000 0010 0005 00000004 00010006"),  // STATE_CHANGE_AS4
                          hex("5f5e1000 0010 0004 00000027"             // a KEEPALIVE
                              "0000fde9 0000fdea 0000 0001 c0000201 c0000202"
                              "ffffffffffffffffffffffffffffffff 0013 04"),
                          hex("5f5e1000 000d 0003 00000000"),  // RIB_IPV4_MULTICAST
                          hex(kBgp4mpEtMessageAs4)});
  std::size_t skipped = 0;
  const auto records = read_all(bytes, &skipped);
  ASSERT_EQ(records.size(), 6U);
  EXPECT_EQ(skipped, 4U);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(records[0].body));
  EXPECT_TRUE(std::holds_alternative<Bgp4mpUpdate>(records[1].body));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(records[3].body));
  EXPECT_TRUE(std::holds_alternative<Bgp4mpUpdate>(records[5].body));
}

}  // namespace
}  // namespace bgpsecd::mrt
