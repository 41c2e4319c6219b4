// SPDX-License-Identifier: BSD-2-Clause
// OPEN codec: byte vectors both ways, RFC 9072 extended parameters, every RFC 4271 §6.2
// error with its code/subcode/offset, AS_TRANS helpers and JSON.
#include "wire/open.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/hex.hpp"
#include "wire/header.hpp"
#include "wire/notification.hpp"

namespace bgpsecd::wire {
namespace {

constexpr std::string_view kMarker = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";

base::Bytes h(std::string_view hex) { return base::from_hex(hex).value(); }
std::string hex(std::string_view s) { return base::to_hex(h(s)); }

// RFC 8205 §2.1: a speaker that sends and receives for IPv4 and IPv6 advertises four
// BGPsec capabilities, next to MP for both AFIs, 4-octet AS (My AS = AS_TRANS) and extended
// messages. All capabilities share one parameter.
constexpr std::string_view kBgpsecOpen =
    "0047"      // length 71
    "01"        // OPEN
    "04"        // version
    "5BA0"      // My AS = AS_TRANS
    "005A"      // hold time 90
    "C0000201"  // 192.0.2.1
    "2A"        // Opt Parm Len 42
    "0228"      // parameter 2, 40 octets
    "010400010001"
    "010400020001"
    "410400010000"
    "0703080001"
    "0703000001"
    "0703080002"
    "0703000002"
    "0600";

OpenMessage bgpsec_open() {
  OpenMessage m;
  m.my_as = 23456;
  m.hold_time = 90;
  m.bgp_id = 0xC0000201;
  m.capabilities = {
      Capability{MultiprotocolCap{1, 1}},           Capability{MultiprotocolCap{2, 1}},
      Capability{FourOctetAsCap{base::Asn(65536)}}, Capability{BgpsecCap{0, true, 1}},
      Capability{BgpsecCap{0, false, 1}},           Capability{BgpsecCap{0, true, 2}},
      Capability{BgpsecCap{0, false, 2}},           Capability{ExtendedMessageCap{}}};
  return m;
}

// Graceful restart with two families and an unknown capability kept byte for byte.
constexpr std::string_view kMixedOpen =
    "0048"
    "01"
    "04"
    "FC00"
    "00B4"
    "0A000001"
    "2B"
    "0229"
    "010400010001"
    "41040000FC00"
    "400A80780001018000020100"
    "4905036162630A"
    "0200"
    "4600"
    "450400010103";

OpenMessage mixed_open() {
  OpenMessage m;
  m.my_as = 64512;
  m.hold_time = 180;
  m.bgp_id = 0x0A000001;
  GracefulRestartCap gr;
  gr.restart_flags = GracefulRestartCap::kRestartState;
  gr.restart_time = 120;
  gr.families = {{1, 1, 0x80}, {2, 1, 0}};
  AddPathCap ap;
  ap.families = {{1, 1, AddPathFamily::kBoth}};
  m.capabilities = {Capability{MultiprotocolCap{1, 1}},
                    Capability{FourOctetAsCap{base::Asn(64512)}},
                    Capability{gr},
                    Capability{UnknownCap{73, h("036162630A")}},
                    Capability{RouteRefreshCap{}},
                    Capability{EnhancedRouteRefreshCap{}},
                    Capability{ap}};
  return m;
}

// The OPEN body of a whole message given as hex without the marker.
base::Bytes body_of(std::string_view without_marker) {
  const auto bytes = h(without_marker);
  return base::Bytes(bytes.begin() + 3, bytes.end());
}

void round_trip(std::string_view without_marker, const OpenMessage& value) {
  const auto decoded = decode_open(body_of(without_marker));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().what;
  EXPECT_EQ(*decoded, value);
  const auto encoded = encode_open(value, EncodeContext{});
  ASSERT_TRUE(encoded.has_value()) << encoded.error().message;
  EXPECT_EQ(base::to_hex(*encoded), std::string(kMarker) + hex(without_marker));
}

// A minimal OPEN body: version 4, AS 65000, hold 90, ID 192.0.2.1, then `params_hex`
// (starting with Opt Parm Len).
base::Bytes body(std::string_view params_hex, std::string_view fixed = "04FDE8005AC0000201") {
  return h(std::string(fixed) + std::string(params_hex));
}

void expect_error(const base::Bytes& b, std::uint8_t code, std::uint8_t subcode,
                  std::uint32_t offset, std::uint32_t length) {
  const auto decoded = decode_open(b);
  ASSERT_FALSE(decoded.has_value()) << base::to_hex(b);
  EXPECT_EQ(decoded.error().action, base::Action::SessionReset);
  EXPECT_EQ(decoded.error().code, code) << base::to_hex(b);
  EXPECT_EQ(decoded.error().subcode, subcode) << base::to_hex(b);
  EXPECT_EQ(decoded.error().offset, offset) << base::to_hex(b);
  EXPECT_EQ(decoded.error().length, length) << base::to_hex(b);
}

TEST(Open, Rfc8205Sec2_FourBgpsecCapabilitiesBothWays) {
  round_trip(kBgpsecOpen, bgpsec_open());
  EXPECT_EQ(speaker_as(bgpsec_open()), base::Asn(65536));
}

TEST(Open, GracefulRestartAddPathAndUnknownBothWays) {
  round_trip(kMixedOpen, mixed_open());
  EXPECT_EQ(speaker_as(mixed_open()), base::Asn(64512));
}

TEST(Open, Rfc5492Sec4_OneCapabilityPerParameterDecodesAlike) {
  const auto split = body(
      "37"
      "0206010400010001"
      "020641040000FC00"
      "020C400A80780001018000020100"
      "02074905036162630A"
      "02020200"
      "02024600"
      "0206450400010103",
      "04FC0000B40A000001");
  const auto decoded = decode_open(split);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().what;
  EXPECT_EQ(*decoded, mixed_open());
}

TEST(Open, NoOptionalParameters) {
  OpenMessage m;
  m.my_as = 65000;
  m.hold_time = 0;  // RFC 4271 §4.2: zero is allowed (no keepalives)
  m.bgp_id = 1;
  round_trip("001D0104FDE800000000000100", m);
  EXPECT_EQ(speaker_as(m), base::Asn(65000));
}

TEST(Open, Rfc9072Sec2_ExtendedOptionalParametersDecode) {
  const auto decoded =
      decode_open(body("FFFF000B020008"
                       "010400010001"
                       "0200"));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().what;
  EXPECT_EQ(decoded->capabilities, (std::vector<Capability>{Capability{MultiprotocolCap{1, 1}},
                                                            Capability{RouteRefreshCap{}}}));
  const auto two =
      decode_open(body("FFFF000E020006010400010001"
                       "0200020200"));
  ASSERT_TRUE(two.has_value()) << two.error().what;
  EXPECT_EQ(two->capabilities, decoded->capabilities);
  // Re-encoded in the classic format, which fits.
  const auto encoded = encode_open(*decoded, EncodeContext{});
  ASSERT_TRUE(encoded.has_value());
  EXPECT_EQ(base::to_hex(*encoded),
            std::string(kMarker) + hex("00270104FDE8005AC00002010A0208010400010001"
                                       "0200"));
}

TEST(Open, Rfc9072Sec2_EncodeUsesExtendedFormatWhenNeeded) {
  OpenMessage m = bgpsec_open();
  m.capabilities.clear();
  for (std::uint8_t safi = 1; safi <= 50; ++safi) {
    // Built in place: g++ 12 at -O2 warns (-Wmaybe-uninitialized) about moving a temporary
    // Capability's variant into the vector, a false positive.
    m.capabilities.emplace_back().value = MultiprotocolCap{1, safi};
  }
  const auto encoded = encode_open(m, EncodeContext{});
  ASSERT_TRUE(encoded.has_value()) << encoded.error().message;
  // 300 octets of capabilities in two parameters (252 + 48), each with a 3-octet header.
  base::ByteReader r(*encoded);
  std::uint8_t opt_len = 0;
  std::uint8_t ext_type = 0;
  std::uint16_t ext_len = 0;
  std::uint8_t type = 0;
  std::uint16_t param_len = 0;
  ASSERT_TRUE(r.skip(28) && r.read_u8(opt_len) && r.read_u8(ext_type) && r.read_u16(ext_len) &&
              r.read_u8(type) && r.read_u16(param_len));
  EXPECT_EQ(opt_len, 255);
  EXPECT_EQ(ext_type, 255);
  EXPECT_EQ(ext_len, 306);
  EXPECT_EQ(type, 2);
  EXPECT_EQ(param_len, 252);
  const auto decoded = decode_open(std::span(*encoded).subspan(kHeaderSize));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().what;
  EXPECT_EQ(*decoded, m);

  // A capability longer than 253 octets only fits a 2-octet parameter length.
  OpenMessage big = bgpsec_open();
  big.capabilities = {Capability{UnknownCap{99, base::Bytes(254, 0xAB)}}};
  const auto big_encoded = encode_open(big, EncodeContext{});
  ASSERT_TRUE(big_encoded.has_value());
  EXPECT_EQ(big_encoded->size(), 19U + 10 + 3 + 3 + 256);
  const auto big_decoded = decode_open(std::span(*big_encoded).subspan(kHeaderSize));
  ASSERT_TRUE(big_decoded.has_value());
  EXPECT_EQ(*big_decoded, big);
}

TEST(Open, Rfc8654Sec3_EncodeRefusesOpenOver4096) {
  OpenMessage m = bgpsec_open();
  m.capabilities.assign(700, Capability{MultiprotocolCap{1, 1}});
  EncodeContext ext;
  ext.extended_messages = true;
  EXPECT_FALSE(encode_open(m, ext).has_value());
}

TEST(Open, EncodeRefusesCapabilityOver255) {
  OpenMessage m = bgpsec_open();
  m.capabilities = {Capability{UnknownCap{99, base::Bytes(256, 0)}}};
  EXPECT_FALSE(encode_open(m, EncodeContext{}).has_value());
}

TEST(Open, Rfc6793Sec9_MakeOpenUsesAsTrans) {
  const auto m = make_open(base::Asn(65536), 90, 0xC0000201, {Capability{MultiprotocolCap{1, 1}}});
  EXPECT_EQ(m.my_as, 23456);
  ASSERT_EQ(m.capabilities.size(), 2U);
  EXPECT_EQ(m.capabilities[0], (Capability{FourOctetAsCap{base::Asn(65536)}}));
  EXPECT_EQ(speaker_as(m), base::Asn(65536));
  const auto small = make_open(base::Asn(65535), 90, 1, {});
  EXPECT_EQ(small.my_as, 65535);
  EXPECT_EQ(speaker_as(small), base::Asn(65535));
  const auto kept =
      make_open(base::Asn(70000), 90, 1, {Capability{FourOctetAsCap{base::Asn(70000)}}});
  EXPECT_EQ(kept.capabilities.size(), 1U);
  EXPECT_NE(find_capability<FourOctetAsCap>(kept), nullptr);
  EXPECT_EQ(find_capability<BgpsecCap>(kept), nullptr);
}

TEST(Open, Rfc4271Sec6_1_ShortBodyIsBadMessageLength) {
  expect_error(h("04FDE8005AC0000201"), 1, 2, 16, 2);
  expect_error({}, 1, 2, 16, 2);
}

TEST(Open, Rfc4271Sec6_2_UnsupportedVersion) {
  const auto b = body("00", "03FDE8005AC0000201");
  expect_error(b, 2, 1, 19, 1);
  // The NOTIFICATION carries the version we support, as two octets.
  const auto n = notification_from_error(decode_open(b).error(), b);
  EXPECT_EQ(base::to_hex(n.data), "0004");
  // Version is checked first.
  expect_error(body("00", "05FDE8000100000000"), 2, 1, 19, 1);
}

TEST(Open, Rfc4271Sec6_2_UnacceptableHoldTime) {
  expect_error(body("00", "04FDE80001C0000201"), 2, 6, 22, 2);
  expect_error(body("00", "04FDE80002C0000201"), 2, 6, 22, 2);
  EXPECT_TRUE(decode_open(body("00", "04FDE80000C0000201")).has_value());
  EXPECT_TRUE(decode_open(body("00", "04FDE80003C0000201")).has_value());
}

TEST(Open, Rfc6286Sec2_1_ZeroBgpIdentifier) {
  expect_error(body("00", "04FDE8005A00000000"), 2, 3, 24, 4);
}

TEST(Open, Rfc4271Sec6_2_UnsupportedOptionalParameter) {
  expect_error(body("040102ABCD"), 2, 4, 29, 1);      // type 1, deprecated Authentication
  expect_error(body("03FF0100"), 2, 4, 29, 1);        // type 255 without the RFC 9072 form
  expect_error(body("0602000302ABCD"), 2, 4, 31, 1);  // after an empty capability parameter
}

TEST(Open, OptParmLenDisagreeingWithMessageIsOpenError) {
  expect_error(body("0A0206010400010001"), 2, 0, 28, 1);  // says 10, 8 follow
  expect_error(body("070206010400010001"), 2, 0, 28, 1);  // says 7, 8 follow
  expect_error(body("01"), 2, 0, 28, 1);                  // says 1, none follow
}

TEST(Open, ParameterOrCapabilityLengthLyingIsOpenError) {
  expect_error(body("050206010400"), 2, 0, 30, 1);    // parameter overruns
  expect_error(body("0102"), 2, 0, 29, 1);            // parameter header truncated
  expect_error(body("06020407020800"), 2, 0, 31, 4);  // BGPsec capability length 2
  expect_error(body("0402024104"), 2, 0, 32, 1);      // capability overruns parameter
}

TEST(Open, Rfc9072Sec2_ExtendedLengthErrors) {
  expect_error(body("FFFF00"), 2, 0, 28, 1);  // extended length cut
  expect_error(body("FFFF000C020008010400010001"
                    "0200"),
               2, 0, 30, 2);  // 12 != 11
  expect_error(body("FFFF0005020009"
                    "0102"),
               2, 0, 33, 2);  // parameter overruns
}

TEST(Open, Json) {
  const auto j = to_json(bgpsec_open());
  EXPECT_EQ(j.at("type"), "OPEN");
  EXPECT_EQ(j.at("version"), 4);
  EXPECT_EQ(j.at("my_as"), 23456);
  EXPECT_EQ(j.at("speaker_as"), 65536);
  EXPECT_EQ(j.at("hold_time"), 90);
  EXPECT_EQ(j.at("bgp_id"), "192.0.2.1");
  ASSERT_EQ(j.at("capabilities").size(), 8U);
  EXPECT_EQ(j.at("capabilities")[3],
            nlohmann::json::parse(
                R"({"code":7,"name":"bgpsec","version":0,"direction":"send","afi":"ipv4"})"));
  EXPECT_FALSE(j.contains("other_params"));
  OpenMessage m = bgpsec_open();
  m.other_params = {{1, h("ABCD")}};
  EXPECT_EQ(to_json(m).at("other_params"), nlohmann::json::parse(R"([{"type":1,"value":"ABCD"}])"));
}

TEST(Open, OtherParamsAreEncodedAfterCapabilities) {
  OpenMessage m;
  m.my_as = 65000;
  m.hold_time = 90;
  m.bgp_id = 0xC0000201;
  m.capabilities = {Capability{RouteRefreshCap{}}};
  m.other_params = {{1, h("ABCD")}};
  const auto encoded = encode_open(m, EncodeContext{});
  ASSERT_TRUE(encoded.has_value());
  EXPECT_EQ(base::to_hex(*encoded), std::string(kMarker) + hex("00250104FDE8005AC0000201"
                                                               "08"
                                                               "02020200"
                                                               "0102ABCD"));
}

}  // namespace
}  // namespace bgpsecd::wire
