// SPDX-License-Identifier: BSD-2-Clause
// SRx proxy PDU codec, byte vectors in both directions: each vector decodes to the expected
// value and the value encodes to the same bytes. Vectors marked "captured" are PDUs that
// QuaggaSRx, NIST's test client or srx_server put on the wire.
#include "srx/pdu.hpp"

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "srx/test_vectors.hpp"
#include "wire/update_test_util.hpp"

namespace bgpsecd::srx {
namespace {

using test::kQuaggaVerifyV4;
using test::kShiftedVerifyV6;
using wire::test::hex;

void expect_both_ways(std::string_view vector, const SrxPdu& expected) {
  const auto bytes = hex(vector);
  const auto decoded = decode_srx_pdu(bytes);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_TRUE(*decoded == expected) << "decoded value differs for " << vector;
  const auto encoded = encode_srx_pdu(expected);
  ASSERT_TRUE(encoded.has_value()) << encoded.error().message;
  EXPECT_EQ(base::to_hex(*encoded), base::to_hex(bytes));
}

base::IpAddress ip(std::string_view text) { return base::IpAddress::parse(text).value(); }

// A request as QuaggaSRx fills it: receipt plus `validations`, sources ROUTER (1), defaults
// UNDEFINED (3), AS_SEQUENCE.
VerifyRequestPdu quagga_request(std::uint8_t validations, const char* prefix,
                                std::uint8_t prefix_length, std::uint32_t token) {
  VerifyRequestPdu v;
  v.flags = static_cast<std::uint8_t>(kFlagReceipt | validations);
  v.roa_source = 1;
  v.bgpsec_source = 1;
  v.aspa_source = 1;
  v.as_type = 2;
  v.roa_default = 3;
  v.bgpsec_default = 3;
  v.aspa_default = 3;
  v.prefix_length = prefix_length;
  v.request_token = token;
  v.prefix_address = ip(prefix);
  return v;
}

TEST(SrxPdu, HelloFromQuaggaSrxHasNoPeerCount) {
  // Captured: 20 bytes, version 3, proxy ID 127.0.0.40, AS 65000.
  expect_both_ways("00 0003 00 00000000 00000014 7f000028 0000fde8",
                   HelloPdu{0x7f000028, 65000, false, 0, {}});
}

TEST(SrxPdu, HelloFromTestClientCountsAPeerItDoesNotSend) {
  // Captured: 24 bytes, noPeers = 1 and no list.
  expect_both_ways("00 0003 00 00000000 00000018 00000001 0000fde8 00000001",
                   HelloPdu{1, 65000, true, 1, {}});
}

TEST(SrxPdu, HelloWithPeers) {
  // libSRxProxy with two peers: noPeers = 2 but only the first peer is sent.
  expect_both_ways("00 0003 00 00000000 0000001c 00000002 0000fde8 00000002 0000fde9",
                   HelloPdu{2, 65000, true, 2, {65001}});
  expect_both_ways("00 0003 00 00000000 00000020 00000002 0000fde8 00000002 0000fde9 0000fdea",
                   HelloPdu{2, 65000, true, 2, {65001, 65002}});
}

TEST(SrxPdu, HelloPeerListReadsAtMostNoPeersEntries) {
  const auto decoded =
      decode_srx_pdu(hex("00 0003 00 00000000 00000020 00000002 0000fde8 00000001 0000fde9 "
                         "0000fdea"));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_TRUE(*decoded == SrxPdu(HelloPdu{2, 65000, true, 1, {65001}}));
}

TEST(SrxPdu, HelloResponse) {
  // Captured: the proxy ID echoed.
  expect_both_ways("01 0003 00 00000000 00000010 7f000028", HelloResponsePdu{0x7f000028});
}

TEST(SrxPdu, Goodbye) {
  // Captured: QuaggaSRx keeps 900 s, srx_server sends 0.
  expect_both_ways("02 0384 00 00000000 0000000c", GoodbyePdu{900});
  expect_both_ways("02 0000 00 00000000 0000000c", GoodbyePdu{0});
}

VerifyRequestPdu quagga_verify_v4() {
  auto v = quagga_request(kFlagOrigin | kFlagPath, "10.5.0.0", 20, 1);
  v.origin_as = 65005;
  v.sca_afi = 1;
  v.sca_safi = 1;
  v.local_as = 65000;
  v.as_path = {65005};
  const auto attr = std::string(kQuaggaVerifyV4.substr(2 * 64));
  v.bgpsec_attribute = hex(attr);
  return v;
}

TEST(SrxPdu, VerifyV4FromQuaggaSrxWithBgpsecAttribute) {
  const auto v = quagga_verify_v4();
  ASSERT_EQ(v.bgpsec_attribute.size(), 107U);
  EXPECT_EQ(v.bgpsec_attribute[0], 0x90);  // the attribute is sent with its header
  expect_both_ways(kQuaggaVerifyV4, v);
  const auto decoded = decode_srx_pdu(hex(kQuaggaVerifyV4));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(srx_pdu_type(*decoded), SrxPduType::VerifyV4);
}

TEST(SrxPdu, VerifyV4OriginOnlyIsSixtyBytes) {
  // NIST's test client: origin validation only, no path data at all.
  auto v = quagga_request(kFlagOrigin, "10.0.0.0", 24, 5);
  v.roa_source = v.bgpsec_source = v.aspa_source = v.as_type = 0;
  v.origin_as = 65100;
  expect_both_ways(
      "03 81 00 00 00 00 00 00 0000003c 03 03 03 18 00000005 0a000000 0000fe4c 00000000 0000 0000"
      "0000 00 00 00000000000000000000000000000000 00000000",
      v);
}

TEST(SrxPdu, VerifyV4UnsignedRouteHasPathWithoutAttribute) {
  // QuaggaSRx, unsigned BGP-4 route: two hops, attrLen 0, AFI/SAFI/localAS 0 (68 + 4 bytes).
  auto v = quagga_request(kFlagOrigin | kFlagPath, "10.98.0.0", 24, 2);
  v.as_rel_type = 1;
  v.origin_as = 65020;
  v.as_path = {65005, 65020};
  expect_both_ways(
      "03 83 01 01 01 00 02 01 00000044 03 03 03 18 00000002 0a620000 0000fdfc 00000008 0002 0000"
      "0000 00 00 00000000000000000000000000000000 00000000 0000fded 0000fdfc",
      v);
}

TEST(SrxPdu, VerifyV6Standard) {
  auto v = quagga_request(kFlagOrigin | kFlagPath | kFlagAspa, "2001:db8:1::", 48, 9);
  v.as_rel_type = 4;
  v.origin_as = 65000;
  v.sca_afi = 2;
  v.sca_safi = 1;
  v.local_as = 65002;
  v.as_path = {65001, 65000};
  v.bgpsec_attribute = hex("90210008 aabbccdd");
  expect_both_ways(
      "04 87 01 01 01 00 02 04 00000058 03 03 03 30 00000009 20010db8000100000000000000000000"
      "0000fde8 00000010 0002 0008 0002 01 00 00000000000000000000000000000000 0000fdea"
      "0000fde9 0000fde8 90210008 aabbccdd",
      v);
}

TEST(SrxPdu, VerifyV6ShiftedLayoutFromLibSrxProxyIsRecognised) {
  // libSRxProxy leaves the ASPA source and default, asType and asRelType at 0.
  auto v = quagga_request(kFlagOrigin | kFlagPath, "2001:db8:1::", 48, 7);
  v.aspa_source = v.aspa_default = v.as_type = 0;
  v.origin_as = 65020;
  v.as_path = {65005, 65020};
  v.bgpsec_attribute = hex("90210008 aabbccddeeff1122");
  v.layout = VerifyLayout::ShiftedIpv6;
  expect_both_ways(kShiftedVerifyV6, v);
}

TEST(SrxPdu, VerifyV6ShiftedLayoutWithShortPathData) {
  // One hop, no attribute: 4 bytes of path data at offset 60; bytes 64-75 stay zero.
  VerifyRequestPdu v;
  v.flags = 0x81;
  v.prefix_length = 32;
  v.prefix_address = ip("2001:db8::");
  v.origin_as = 65001;
  v.as_path = {65001};
  v.layout = VerifyLayout::ShiftedIpv6;
  expect_both_ways(
      "04 81 00 00 00 00 00 00 0000004c 00 00 00 20 00000000 20010db8000000000000000000000000"
      "0000fde9 00000004 0001 0000 0000 00 00 0000000000000000 0000fde9 000000000000000000000000",
      v);
}

TEST(SrxPdu, VerifyV6WithAfiSetIsNotTakenForShifted) {
  // The same bytes with SCA AFI 2 are a standard request whose path data starts at 72.
  auto bytes = hex(kShiftedVerifyV6);
  bytes[49] = 2;
  const auto decoded = decode_srx_pdu(bytes);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  const auto& v = std::get<VerifyRequestPdu>(*decoded);
  EXPECT_EQ(v.layout, VerifyLayout::Standard);
  EXPECT_EQ(v.local_as, 0x90210008U);  // bytes 68-71: the attribute's header
  EXPECT_EQ(v.as_path, (std::vector<std::uint32_t>{0xaabbccdd, 0xeeff1122}));
  EXPECT_EQ(v.bgpsec_attribute, base::Bytes(12, 0));
}

TEST(SrxPdu, SignRequest) {
  expect_both_ways("05 0001 01 00000000 00000018 2e427f2b 00000001 0000fde9",
                   SignRequestPdu{1, 1, 0x2e427f2b, 1, 65001});
}

TEST(SrxPdu, VerifyNotificationReceipt) {
  // Captured: receipt for token 1, defaults 3/3/3.
  const VerifyNotificationPdu receipt{0x83, 3, 3, 3, 1, 0x2e427f2b};
  EXPECT_TRUE(receipt.is_receipt());
  expect_both_ways("06 83 03 03 03 00 0000 00000014 00000001 2e427f2b", receipt);
}

TEST(SrxPdu, VerifyNotificationResult) {
  // Captured: the origin result VALID, token 0, no receipt bit.
  const VerifyNotificationPdu result{0x01, 0, 3, 3, 0, 0x2e427f2b};
  EXPECT_FALSE(result.is_receipt());
  expect_both_ways("06 01 00 03 03 00 0000 00000014 00000000 2e427f2b", result);
  // Captured after an RPKI change: DONOTUSE (4) in the fields whose bit is not set.
  expect_both_ways("06 02 04 02 04 00 0000 00000014 00000000 2e427f2b",
                   VerifyNotificationPdu{0x02, 4, 2, 4, 0, 0x2e427f2b});
}

TEST(SrxPdu, SignNotification) {
  expect_both_ways("07 000000 00000000 00000017 2e427f2b 00000003 aabbcc",
                   SignNotificationPdu{0x2e427f2b, hex("aabbcc")});
}

TEST(SrxPdu, DeleteUpdate) {
  expect_both_ways("08 0384 00 00000000 00000010 2e427f2b", DeleteUpdatePdu{900, 0x2e427f2b});
}

TEST(SrxPdu, PeerChange) {
  expect_both_ways("09 0000 01 00000000 00000010 0000fde9", PeerChangePdu{1, 65001});
}

TEST(SrxPdu, PeerChangeIgnoresGarbageInReservedBytes) {
  const auto decoded = decode_srx_pdu(hex("09 abcd 00 deadbeef 00000010 0000fde9"));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_TRUE(*decoded == SrxPdu(PeerChangePdu{0, 65001}));
}

TEST(SrxPdu, SyncRequest) { expect_both_ways("0a 000000 00000000 0000000c", SyncRequestPdu{}); }

TEST(SrxPdu, Error) {
  // Captured: UPDATE_NOT_FOUND.
  expect_both_ways("0b 0005 00 00000000 0000000c", ErrorPdu{5});
  // An unknown code is carried, not refused.
  expect_both_ways("0b 0063 00 00000000 0000000c", ErrorPdu{99});
}

TEST(SrxPdu, TypeNames) {
  EXPECT_STREQ(srx_pdu_type_name(6), "VERIFY_NOTIFICATION");
  EXPECT_STREQ(srx_pdu_type_name(12), "UNKNOWN");
  EXPECT_STREQ(srx_error_code_name(5), "update not found");
}

}  // namespace
}  // namespace bgpsecd::srx
