// SPDX-License-Identifier: BSD-2-Clause
// SRx proxy PDU decoder on malformed input: each case names the ERROR code a server answers
// with (WrongVersion for a HELLO of another version, InvalidPacket for everything else).
#include <gtest/gtest.h>

#include "srx/pdu.hpp"
#include "wire/update_test_util.hpp"

namespace bgpsecd::srx {
namespace {

using wire::test::hex;

struct Malformed {
  const char* name;
  const char* bytes;
  SrxErrorCode code;
};

const Malformed kMalformed[] = {
    {"empty", "", SrxErrorCode::InvalidPacket},
    {"shorter than the header", "02 0000 00 00000000 0000", SrxErrorCode::InvalidPacket},
    {"buffer shorter than the length field", "02 0000 00 00000000 00000010",
     SrxErrorCode::InvalidPacket},
    {"buffer longer than the length field", "02 0000 00 00000000 0000000c 00",
     SrxErrorCode::InvalidPacket},
    {"length field below the header size", "02 0000 00 00000000 0000000b",
     SrxErrorCode::InvalidPacket},
    {"length field zero", "0a 000000 00000000 00000000", SrxErrorCode::InvalidPacket},
    {"length field above the maximum", "03 0000 00 00000000 00050044", SrxErrorCode::InvalidPacket},
    {"HELLO version 2", "00 0002 00 00000000 00000014 7f000028 0000fde8",
     SrxErrorCode::WrongVersion},
    {"HELLO version 0x0300", "00 0300 00 00000000 00000014 7f000028 0000fde8",
     SrxErrorCode::WrongVersion},
    {"HELLO_RESPONSE version 4", "01 0004 00 00000000 00000010 7f000028",
     SrxErrorCode::WrongVersion},
    {"HELLO shorter than 20", "00 0003 00 00000000 00000010 7f000028", SrxErrorCode::InvalidPacket},
    {"HELLO_RESPONSE long", "01 0003 00 00000000 00000014 7f000028 00000000",
     SrxErrorCode::InvalidPacket},
    {"GOODBYE long", "02 0384 00 00000000 00000010 00000000", SrxErrorCode::InvalidPacket},
    {"unknown type 12", "0c 000000 00000000 0000000c", SrxErrorCode::InvalidPacket},
    {"unknown type 13", "0d 000000 00000000 0000000c", SrxErrorCode::InvalidPacket},
    {"unknown type 255", "ff 000000 00000000 0000000c", SrxErrorCode::InvalidPacket},
    {"SIGN_REQUEST short", "05 0001 01 00000000 00000014 2e427f2b 00000001",
     SrxErrorCode::InvalidPacket},
    // The PDF's VERIFY_NOTIFICATION size; the protocol as deployed sends 20 bytes.
    {"VERIFY_NOTIFICATION of 16 bytes", "06 83 03 03 03 00 0000 00000010 00000001",
     SrxErrorCode::InvalidPacket},
    {"VERIFY_NOTIFICATION long", "06 83 03 03 03 00 0000 00000018 00000001 2e427f2b 00000000",
     SrxErrorCode::InvalidPacket},
    {"SIGN_NOTIFICATION bgpsecLength past the end",
     "07 000000 00000000 00000017 2e427f2b 00000004 aabbcc", SrxErrorCode::InvalidPacket},
    {"SIGN_NOTIFICATION bgpsecLength short", "07 000000 00000000 00000017 2e427f2b 00000002 aabbcc",
     SrxErrorCode::InvalidPacket},
    {"SIGN_NOTIFICATION short", "07 000000 00000000 00000010 2e427f2b",
     SrxErrorCode::InvalidPacket},
    {"DELETE_UPDATE short", "08 0384 00 00000000 0000000c", SrxErrorCode::InvalidPacket},
    {"PEER_CHANGE long", "09 0000 01 00000000 00000014 0000fde9 00000000",
     SrxErrorCode::InvalidPacket},
    {"SYNC_REQUEST long", "0a 000000 00000000 00000010 00000000", SrxErrorCode::InvalidPacket},
    {"ERROR long", "0b 0005 00 00000000 00000010 00000000", SrxErrorCode::InvalidPacket},
    // VERIFY_V4 of the PDF's minimum size 62 with no path data: the lengths do not add up.
    {"VERIFY_V4 length not fixed part plus bgpsecLength",
     "03 81 00 00 00 00 00 00 0000003e 03 03 03 18 00000005 0a000000 0000fe4c 00000000 0000 0000"
     "0000 00 00 00000000000000000000000000000000 00000000 0000",
     SrxErrorCode::InvalidPacket},
    {"VERIFY_V4 shorter than its fixed part",
     "03 81 00 00 00 00 00 00 0000003b 03 03 03 18 00000005 0a000000 0000fe4c 00000000 0000 0000"
     "0000 00 00 00000000000000000000000000000000 000000",
     SrxErrorCode::InvalidPacket},
    {"VERIFY_V4 numHops past the end",
     "03 83 00 00 00 00 00 00 00000040 03 03 03 18 00000002 0a620000 0000fdfc 00000008 0002 0000"
     "0000 00 00 00000000000000000000000000000000 00000000 0000fdfc",
     SrxErrorCode::InvalidPacket},
    {"VERIFY_V4 bgpsecLength not 4 numHops + attrLen",
     "03 83 00 00 00 00 00 00 00000040 03 03 03 18 00000002 0a620000 0000fdfc 00000005 0001 0000"
     "0000 00 00 00000000000000000000000000000000 00000000 0000fdfc",
     SrxErrorCode::InvalidPacket},
    {"VERIFY_V4 attrLen past the end",
     "03 83 00 00 00 00 00 00 00000040 03 03 03 18 00000002 0a620000 0000fdfc 00000008 0001 0004"
     "0000 00 00 00000000000000000000000000000000 00000000 0000fdfc",
     SrxErrorCode::InvalidPacket},
    {"VERIFY_V4 prefix length 33",
     "03 81 00 00 00 00 00 00 0000003c 03 03 03 21 00000005 0a000000 0000fe4c 00000000 0000 0000"
     "0000 00 00 00000000000000000000000000000000 00000000",
     SrxErrorCode::InvalidPacket},
    {"VERIFY_V6 prefix length 129",
     "04 81 00 00 00 00 00 00 00000048 03 03 03 81 00000005 20010db8000000000000000000000000"
     "0000fe4c 00000000 0000 0000 0000 00 00 00000000000000000000000000000000 00000000",
     SrxErrorCode::InvalidPacket},
    {"VERIFY_V6 of the VERIFY_V4 size",
     "04 81 00 00 00 00 00 00 0000003c 03 03 03 18 00000005 0a000000 0000fe4c 00000000 0000 0000"
     "0000 00 00 00000000000000000000000000000000 00000000",
     SrxErrorCode::InvalidPacket},
};

TEST(SrxPduMalformed, EachCaseGivesItsErrorCode) {
  for (const auto& c : kMalformed) {
    const auto decoded = decode_srx_pdu(hex(c.bytes));
    ASSERT_FALSE(decoded.has_value()) << c.name;
    EXPECT_EQ(decoded.error().code, c.code) << c.name << ": " << decoded.error().message;
  }
}

TEST(SrxPduMalformed, LengthAtTheMaximumPassesTheHeaderCheck) {
  const auto at_max = decode_srx_header(hex("04 000000 00000000 00050043"));
  ASSERT_TRUE(at_max.has_value());
  EXPECT_EQ(at_max->length, kSrxMaxPduSize);
  EXPECT_FALSE(decode_srx_header(hex("04 000000 00000000 00050044")).has_value());
}

TEST(SrxPduMalformed, EncoderRefusesWhatTheDecoderWouldRefuse) {
  VerifyRequestPdu v;
  v.prefix_address = base::IpAddress::parse("2001:db8::").value();
  v.as_path.assign(65536, 65000);
  EXPECT_EQ(encode_srx_pdu(v).error().code, SrxErrorCode::InternalError);
  v.as_path = {65000};
  v.layout = VerifyLayout::ShiftedIpv6;
  v.sca_afi = 2;  // a shifted request always has AFI 0
  EXPECT_EQ(encode_srx_pdu(v).error().code, SrxErrorCode::InternalError);
  HelloPdu hello{1, 65000, false, 0, {65001}};
  EXPECT_EQ(encode_srx_pdu(hello).error().code, SrxErrorCode::InternalError);
  hello.has_peer_count = true;
  hello.peer_count = 1;
  hello.peers.assign(kSrxMaxPduSize / 4, 65001);
  EXPECT_EQ(encode_srx_pdu(hello).error().code, SrxErrorCode::InternalError);
}

}  // namespace
}  // namespace bgpsecd::srx
