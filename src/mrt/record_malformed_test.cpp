// SPDX-License-Identifier: BSD-2-Clause
// Malformed MRT input, one defect per case: each gives its error at the offset of the bad
// bytes, and the reader stops (framing) or carries on with the next record (inside a record).
#include <gtest/gtest.h>

#include "mrt/record.hpp"
#include "wire/update_test_util.hpp"

namespace bgpsecd::mrt {
namespace {

using wire::test::cat;
using wire::test::hex;

const char* const kPeerTable =  // 33 octets: one IPv4 peer with a 4-octet AS
    "5f5e1000 000d 0001 00000015 0a000001 0000 0001 02 c0000201 c0000201 0000fde9";
const char* const kKeepalive =  // BGP4MP_MESSAGE_AS4 with a KEEPALIVE: skipped
    "5f5e1000 0010 0004 00000027 0000fde9 0000fdea 0000 0001 c0000201 c0000202"
    "ffffffffffffffffffffffffffffffff 0013 04";

struct Case {
  const char* name;
  std::string bytes;
  std::size_t record_offset;
  std::size_t offset;
  std::string what;
  bool framing;
  bool wire;
};

class MrtMalformed : public testing::TestWithParam<Case> {};

TEST_P(MrtMalformed, ReportsTheBadBytes) {
  const Case& c = GetParam();
  const auto bytes = hex(c.bytes);
  RecordReader reader(bytes);
  std::optional<DecodeError> error;
  std::size_t records = 0;
  for (;;) {
    auto rec = reader.next();
    if (!rec) {
      EXPECT_FALSE(error) << "second error: " << rec.error().message();
      error = rec.error();
      continue;
    }
    if (!*rec) {
      break;
    }
    ++records;
  }
  ASSERT_TRUE(error) << c.name;
  EXPECT_EQ(error->what, c.what) << error->message();
  EXPECT_EQ(error->record_offset, c.record_offset) << error->message();
  EXPECT_EQ(error->offset, c.offset) << error->message();
  EXPECT_EQ(error->framing, c.framing);
  EXPECT_EQ(error->wire.has_value(), c.wire);
  EXPECT_NE(error->message().find("offset " + std::to_string(c.offset)), std::string::npos)
      << error->message();
  if (!c.framing) {
    // The record after the malformed one is read: the KEEPALIVE each case ends with.
    EXPECT_EQ(reader.skipped(), 1U) << c.name;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Matrix, MrtMalformed,
    testing::Values(
        // RFC 6396 §2: fewer than 12 octets for the common header.
        Case{"ShortHeader", "5f5e1000 000d 0001", 0, 0, "MRT header truncated", true, false},
        Case{"ShortHeaderAfterARecord", std::string(kPeerTable) + "5f5e1000 00", 33, 33,
             "MRT header truncated", true, false},
        // A Length that runs past the end of the stream.
        Case{"LengthPastEnd", "5f5e1000 000d 0001 00000064 0a000001", 0, 8,
             "MRT record Length past the end", true, false},
        // RFC 6396 §4.3.4: a Peer Index beyond the PEER_INDEX_TABLE (one peer: index 0).
        Case{"BadPeerIndex",
             std::string(kPeerTable) +
                 "5f5e1000 000d 0002 00000014 00000000 08 0a 0001 0001 5f5e1000 0004 40010100" +
                 kKeepalive,
             33, 53, "RIB entry names a peer not in the PEER_INDEX_TABLE", false, false},
        Case{"RibBeforeAnyPeerTable",
             std::string("5f5e1000 000d 0002 00000014 00000000 08 0a 0001 0000 5f5e1000 0004 "
                         "40010100") +
                 kKeepalive,
             0, 20, "RIB entry names a peer not in the PEER_INDEX_TABLE", false, false},
        // An AS_PATH whose length (10) runs past the entry's Attribute Length.
        Case{"TruncatedAttribute",
             std::string(kPeerTable) +
                 "5f5e1000 000d 0002 0000001d 00000000 08 0a 0001 0000 5f5e1000 000d "
                 "40010100 40020a 02020000fde9" +
                 kKeepalive,
             33, 65, "RIB entry attributes malformed", false, true},
        // An entry count of 2 with one entry there.
        Case{"TruncatedRibEntry",
             std::string(kPeerTable) +
                 "5f5e1000 000d 0002 00000014 00000000 08 0a 0002 0000 5f5e1000 0004 40010100" +
                 kKeepalive,
             33, 65, "RIB entry truncated", false, false},
        // RFC 4271 §4.3: an IPv4 prefix length over 32.
        Case{"PrefixTooLong",
             std::string(kPeerTable) + "5f5e1000 000d 0002 00000009 00000000 21 0a000000" +
                 kKeepalive,
             33, 49, "RIB record prefix malformed or truncated", false, false},
        Case{"TruncatedPeerEntry",
             std::string("5f5e1000 000d 0001 00000013 0a000001 0000 0001 02 c0000201 c0000201 "
                         "fde9") +
                 kKeepalive,
             0, 20, "PEER_INDEX_TABLE peer entry truncated", false, false},
        // RFC 6396 §4.4.2: Address Family 1 or 2 only.
        Case{"Bgp4mpBadAddressFamily",
             std::string("5f5e1000 0010 0004 00000027 0000fde9 0000fdea 0000 0003 c0000201 "
                         "c0000202 ffffffffffffffffffffffffffffffff 0013 04") +
                 kKeepalive,
             0, 22, "BGP4MP address family is neither IPv4 nor IPv6", false, false},
        // The BGP message says 20 octets, the record holds 19.
        Case{"Bgp4mpMessageLengthDiffers",
             std::string("5f5e1000 0010 0004 00000027 0000fde9 0000fdea 0000 0001 c0000201 "
                         "c0000202 ffffffffffffffffffffffffffffffff 0014 04") +
                 kKeepalive,
             0, 48, "BGP4MP BGP message header malformed", false, false},
        // Fewer than the 19 octets of a BGP header after the addresses.
        Case{"Bgp4mpMessageTruncated",
             std::string("5f5e1000 0010 0004 0000001e 0000fde9 0000fdea 0000 0001 c0000201 "
                         "c0000202 ffffffffffffffffffff") +
                 kKeepalive,
             0, 32, "BGP4MP BGP message truncated", false, false},
        Case{"Bgp4mpEtWithoutMicroseconds",
             std::string("5f5e1000 0011 0004 00000002 0000") + kKeepalive, 0, 12,
             "BGP4MP_ET microseconds truncated", false, false}),
    [](const testing::TestParamInfo<Case>& param) { return std::string(param.param.name); });

}  // namespace
}  // namespace bgpsecd::mrt
