// SPDX-License-Identifier: BSD-2-Clause
// Capability codecs: byte vectors both ways per capability, and the malformed-length errors.
#include "wire/capability.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/hex.hpp"

namespace bgpsecd::wire {
namespace {

base::Bytes h(std::string_view hex) { return base::from_hex(hex).value(); }

base::Result<std::vector<Capability>, base::WireError> decode_all(const base::Bytes& bytes,
                                                                  std::size_t base_offset = 0) {
  std::vector<Capability> out;
  auto r = decode_capabilities(base::ByteReader(bytes, base_offset), out);
  if (!r) {
    return base::fail(r.error());
  }
  return out;
}

// Decoding `hex` gives exactly `cap`, and encoding `cap` gives `hex` back.
void round_trip(std::string_view hex, const Capability& cap) {
  const auto decoded = decode_all(h(hex));
  ASSERT_TRUE(decoded.has_value()) << hex << ": " << decoded.error().what;
  ASSERT_EQ(decoded->size(), 1U) << hex;
  EXPECT_EQ(decoded->front(), cap) << hex;
  base::ByteWriter w;
  ASSERT_TRUE(encode_capability(cap, w).has_value());
  EXPECT_EQ(base::to_hex(w.bytes()), base::to_hex(h(hex)));
  EXPECT_EQ(capability_value_size(cap) + 2, w.size());
}

void expect_malformed(std::string_view hex, std::uint32_t offset, std::uint32_t length) {
  const auto decoded = decode_all(h(hex), 100);
  ASSERT_FALSE(decoded.has_value()) << hex;
  EXPECT_EQ(decoded.error().action, base::Action::SessionReset) << hex;
  EXPECT_EQ(decoded.error().code, base::notify::kOpenMessageError) << hex;
  EXPECT_EQ(decoded.error().subcode, 0) << hex;
  EXPECT_EQ(decoded.error().offset, 100 + offset) << hex;
  EXPECT_EQ(decoded.error().length, length) << hex;
}

TEST(Capability, Rfc4760Multiprotocol) {
  round_trip("010400010001", Capability{MultiprotocolCap{1, 1}});
  round_trip("010400020001", Capability{MultiprotocolCap{2, 1}});
  // The reserved octet is ignored on receipt and sent as zero.
  const auto decoded = decode_all(h("010400027F01"));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->front(), (Capability{MultiprotocolCap{2, 1}}));
}

TEST(Capability, EmptyValuedCapabilities) {
  round_trip("0200", Capability{RouteRefreshCap{}});
  round_trip("0600", Capability{ExtendedMessageCap{}});
  round_trip("4600", Capability{EnhancedRouteRefreshCap{}});
}

TEST(Capability, Rfc8205Sec2_BgpsecDirectionsAndAfis) {
  round_trip("0703080001", Capability{BgpsecCap{0, true, 1}});
  round_trip("0703000001", Capability{BgpsecCap{0, false, 1}});
  round_trip("0703080002", Capability{BgpsecCap{0, true, 2}});
  round_trip("0703000002", Capability{BgpsecCap{0, false, 2}});
}

TEST(Capability, Rfc8205Sec2_BgpsecUnassignedBitsIgnored) {
  const auto decoded = decode_all(h("07030F0001"));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->front(), (Capability{BgpsecCap{0, true, 1}}));
  base::ByteWriter w;
  ASSERT_TRUE(encode_capability(decoded->front(), w).has_value());
  EXPECT_EQ(base::to_hex(w.bytes()), "0703080001");
}

TEST(Capability, Rfc8205Sec2_BgpsecOtherVersionIsKeptNotAnError) {
  round_trip("0703180002", Capability{BgpsecCap{1, true, 2}});
}

TEST(Capability, Rfc4724Sec3_GracefulRestartTwoFamilies) {
  GracefulRestartCap gr;
  gr.restart_flags = GracefulRestartCap::kRestartState;
  gr.restart_time = 120;
  gr.families = {{1, 1, GracefulRestartFamily::kForwardingPreserved}, {2, 1, 0}};
  round_trip("400A80780001018000020100", Capability{gr});
}

TEST(Capability, Rfc4724Sec3_GracefulRestartWithoutFamilies) {
  GracefulRestartCap gr;
  gr.restart_flags = GracefulRestartCap::kNotification;
  gr.restart_time = 4095;
  round_trip("40024FFF", Capability{gr});
}

// RFC 8538 §2: R and N together are 0xC in the top four bits of the flags/time word.
TEST(Capability, Rfc8538Sec2_GracefulRestartRestartAndNotificationBits) {
  GracefulRestartCap gr;
  gr.restart_flags = GracefulRestartCap::kRestartState | GracefulRestartCap::kNotification;
  gr.restart_time = 120;
  gr.families = {{1, 1, 0}};
  round_trip("4006C07800010100", Capability{gr});
}

TEST(Capability, Rfc6793FourOctetAs) {
  round_trip("410400010000", Capability{FourOctetAsCap{base::Asn(65536)}});
  round_trip("4104FFFFFFFE", Capability{FourOctetAsCap{base::Asn(4294967294U)}});
}

TEST(Capability, Rfc7911AddPath) {
  AddPathCap ap;
  ap.families = {{1, 1, AddPathFamily::kBoth}, {2, 1, AddPathFamily::kReceive}};
  round_trip("45080001010300020101", Capability{ap});
}

TEST(Capability, Rfc9234Sec3_1Role) {
  round_trip("090100", Capability{RoleCap{0}});  // Provider
  round_trip("090103", Capability{RoleCap{3}});  // Customer
  round_trip("090104", Capability{RoleCap{4}});  // Peer
  // A reserved value is kept for the negotiation to refuse (RFC 9234 §4.2).
  round_trip("090107", Capability{RoleCap{7}});
}

TEST(Capability, Rfc9234Sec3_1RoleOfWrongLengthIsOpenError) {
  expect_malformed("0900", 0, 2);
  expect_malformed("09020304", 0, 4);
}

TEST(Capability, UnknownIsPreservedByteExact) {
  round_trip("4905036162630A", Capability{UnknownCap{73, h("036162630A")}});
  round_trip("8000", Capability{UnknownCap{128, {}}});
  round_trip("FF03000102", Capability{UnknownCap{255, h("000102")}});
}

TEST(Capability, SeveralInOneParameterKeepOrder) {
  const auto decoded = decode_all(h("0200410400010000070300000206000703080001"));
  ASSERT_TRUE(decoded.has_value());
  ASSERT_EQ(decoded->size(), 5U);
  EXPECT_EQ((*decoded)[0].code(), 2);
  EXPECT_EQ((*decoded)[1].code(), 65);
  EXPECT_EQ((*decoded)[2], (Capability{BgpsecCap{0, false, 2}}));
  EXPECT_EQ((*decoded)[3].code(), 6);
  EXPECT_EQ((*decoded)[4], (Capability{BgpsecCap{0, true, 1}}));
}

TEST(Capability, Rfc5492_WrongLengthForKnownCodeIsOpenError) {
  expect_malformed("0103000101", 0, 5);          // MP != 4
  expect_malformed("01050001000100", 0, 7);      // MP != 4
  expect_malformed("07020800", 0, 4);            // BGPsec != 3
  expect_malformed("0704080001FF", 0, 6);        // BGPsec != 3
  expect_malformed("41020001", 0, 4);            // 4-octet AS != 4
  expect_malformed("4003007800", 0, 5);          // GR not 2 + 4k
  expect_malformed("400700780001010000", 0, 9);  // GR not 2 + 4k
  expect_malformed("4001FF", 0, 3);              // GR shorter than 2
  expect_malformed("4500", 0, 2);                // ADD-PATH empty
  expect_malformed("4505000101030F", 0, 7);      // ADD-PATH not 4k
  expect_malformed("020100", 0, 3);              // route refresh not empty
  expect_malformed("060100", 0, 3);              // extended message not empty
  expect_malformed("020041020000", 2, 4);        // the second one is wrong
}

TEST(Capability, Rfc5492Sec4_LengthOverrunningParameterIsOpenError) {
  expect_malformed("4104000100", 1, 1);
  expect_malformed("41", 0, 1);
  expect_malformed("020041", 2, 1);
}

TEST(Capability, EncodeRefusesValueOver255Octets) {
  base::ByteWriter w;
  EXPECT_FALSE(encode_capability(Capability{UnknownCap{99, base::Bytes(256, 0)}}, w));
  EXPECT_EQ(w.size(), 0U);
  EXPECT_TRUE(encode_capability(Capability{UnknownCap{99, base::Bytes(255, 0)}}, w));
  EXPECT_EQ(w.size(), 257U);
}

TEST(Capability, Names) {
  EXPECT_STREQ(capability_name(1), "multiprotocol");
  EXPECT_STREQ(capability_name(7), "bgpsec");
  EXPECT_STREQ(capability_name(9), "role");
  EXPECT_STREQ(capability_name(64), "graceful-restart");
  EXPECT_STREQ(capability_name(65), "four-octet-as");
  EXPECT_STREQ(capability_name(69), "add-path");
  EXPECT_STREQ(capability_name(128), "route-refresh-old");
  EXPECT_STREQ(capability_name(200), "unknown");
}

TEST(Capability, Json) {
  EXPECT_EQ(to_json(Capability{BgpsecCap{0, true, 1}}),
            nlohmann::json::parse(
                R"({"code":7,"name":"bgpsec","version":0,"direction":"send","afi":"ipv4"})"));
  EXPECT_EQ(
      to_json(Capability{MultiprotocolCap{2, 1}}),
      nlohmann::json::parse(R"({"code":1,"name":"multiprotocol","afi":"ipv6","safi":"unicast"})"));
  EXPECT_EQ(to_json(Capability{FourOctetAsCap{base::Asn(65536)}}),
            nlohmann::json::parse(R"({"code":65,"name":"four-octet-as","asn":65536})"));
  EXPECT_EQ(to_json(Capability{RoleCap{2}}),
            nlohmann::json::parse(R"({"code":9,"name":"role","role":"rs-client"})"));
  EXPECT_EQ(to_json(Capability{RoleCap{9}}),
            nlohmann::json::parse(R"({"code":9,"name":"role","role":9})"));
  EXPECT_EQ(to_json(Capability{UnknownCap{73, h("0A0B")}}),
            nlohmann::json::parse(R"({"code":73,"name":"unknown","value":"0A0B"})"));
  GracefulRestartCap gr;
  gr.restart_flags = 0x8;
  gr.restart_time = 120;
  gr.families = {{1, 1, 0x80}};
  EXPECT_EQ(to_json(Capability{gr}), nlohmann::json::parse(R"({
      "code":64,"name":"graceful-restart","restart_flags":8,"restarted":true,
      "notification":false,"restart_time":120,
      "families":[{"afi":"ipv4","safi":"unicast","forwarding_preserved":true}]})"));
  AddPathCap ap;
  ap.families = {{2, 1, 2}, {1, 1, 9}};
  EXPECT_EQ(to_json(Capability{ap}), nlohmann::json::parse(R"({
      "code":69,"name":"add-path","families":[
        {"afi":"ipv6","safi":"unicast","send_receive":"send"},
        {"afi":"ipv4","safi":"unicast","send_receive":9}]})"));
}

}  // namespace
}  // namespace bgpsecd::wire
