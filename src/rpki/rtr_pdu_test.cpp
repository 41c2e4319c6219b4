// SPDX-License-Identifier: BSD-2-Clause
// RTR PDU codec: byte vectors both ways for every PDU type in versions 0, 1 and 2 (both ASPA
// layouts, docs/aspa.md §11.2), every malformed
// case with the Error Report code it must produce, and the stream framer.
#include "rpki/rtr_pdu.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "base/hex.hpp"

namespace bgpsecd::rpki {
namespace {

base::Bytes h(std::string_view hex) { return base::from_hex(hex).value(); }

// RFC 8608 Appendix A key of AS 64496 and its SKI (RFC 6487 §4.8.2).
constexpr std::string_view kSpki =
    "3059301306072A8648CE3D020106082A8648CE3D030107034200047391BABB92A0CB3BE10E59B19EBFFB214E"
    "04A91E0CBA1B139A7D38D90F77E55AA05B8E695678E0FA16904B55D9D4F5C0DFC58895EE50BC4F75D205A25B"
    "D36FF5";
constexpr std::string_view kSki = "AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154";

crypto::PublicKey example_key() { return crypto::PublicKey::from_spki_der(h(kSpki)).value(); }

base::Prefix pfx(std::string_view text) { return base::Prefix::parse(text).value(); }

// Decodes `hex` to `pdu` and encodes `pdu` (in the version of the first octet) back to `hex`.
void expect_both_ways(const std::string& hex, const RtrPdu& pdu) {
  const auto bytes = h(hex);
  const auto decoded = decode_rtr_pdu(bytes);
  ASSERT_TRUE(decoded.has_value()) << hex << ": " << decoded.error().message;
  EXPECT_TRUE(*decoded == pdu) << hex;
  const auto encoded = encode_rtr_pdu(pdu, bytes.at(0));
  ASSERT_TRUE(encoded.has_value()) << encoded.error().message;
  EXPECT_EQ(base::to_hex(*encoded), base::to_hex(bytes));
}

void expect_error(const std::string& hex, RtrErrorCode code) {
  const auto decoded = decode_rtr_pdu(h(hex));
  ASSERT_FALSE(decoded.has_value()) << hex;
  EXPECT_EQ(decoded.error().code, code) << hex << ": " << decoded.error().message;
  EXPECT_FALSE(decoded.error().message.empty());
}

struct Vector {
  std::string after_version;  // hex of the PDU without its first (version) octet
  RtrPdu pdu;
};

// PDUs whose layout is the same in versions 0 and 1 (RFC 6810 §5, RFC 8210 §5).
std::vector<Vector> common_vectors() {
  return {
      {"00 1234 0000000C 01020304", SerialNotifyPdu{0x1234, 0x01020304}},
      {"01 1234 0000000C FFFFFFFF", SerialQueryPdu{0x1234, 0xFFFFFFFF}},
      {"02 0000 00000008", ResetQueryPdu{}},
      {"03 BEEF 00000008", CacheResponsePdu{0xBEEF}},
      {"04 0000 00000014 01 18 18 00 C0000200 0000FBF0",
       PrefixPdu{true, pfx("192.0.2.0/24"), 24, base::Asn(64496)}},
      {"04 0000 00000014 00 00 20 00 00000000 00000000",
       PrefixPdu{false, pfx("0.0.0.0/0"), 32, base::Asn(0)}},
      {"06 0000 00000020 00 20 30 00 20010DB8000000000000000000000000 0001000F",
       PrefixPdu{false, pfx("2001:db8::/32"), 48, base::Asn(65551)}},
      {"06 0000 00000020 01 80 80 00 20010DB8000000000000000000000001 FA56EA01",
       PrefixPdu{true, pfx("2001:db8::1/128"), 128, base::Asn(4200000001U)}},
      {"08 0000 00000008", CacheResetPdu{}},
      {"0A 0007 0000001B 00000008 0102000000000008 00000003 647570",
       ErrorReportPdu{7, h("0102000000000008"), "dup"}},
      {"0A 0002 00000010 00000000 00000000", ErrorReportPdu{2, {}, ""}},
      // StayRTR appends a NUL to the error text (the RFC's has none); carried as is.
      {"0A 0004 00000014 00000000 00000004 42616400",
       ErrorReportPdu{4, {}, std::string("Bad\0", 4)}},
  };
}

TEST(RtrPdu, Rfc8210Sec5_EveryPduBothWaysInVersion1) {
  for (const auto& v : common_vectors()) {
    SCOPED_TRACE(v.after_version);
    expect_both_ways("01" + v.after_version, v.pdu);
  }
}

TEST(RtrPdu, Rfc8210bis_EveryVersion1PduBothWaysInVersion2) {
  for (const auto& v : common_vectors()) {
    SCOPED_TRACE(v.after_version);
    expect_both_ways("02" + v.after_version, v.pdu);
  }
  expect_both_ways("02 07 BEEF 00000018 0000002A 00000E10 00000258 00001C20",
                   EndOfDataPdu{0xBEEF, 42, RtrIntervals{3600, 600, 7200}});
}

TEST(RtrPdu, Rfc6810Sec5_EveryPduBothWaysInVersion0) {
  for (const auto& v : common_vectors()) {
    SCOPED_TRACE(v.after_version);
    expect_both_ways("00" + v.after_version, v.pdu);
  }
}

TEST(RtrPdu, Rfc8210Sec5_8_EndOfDataVersion1CarriesIntervals) {
  expect_both_ways("01 07 BEEF 00000018 0000002A 00000E10 00000258 00001C20",
                   EndOfDataPdu{0xBEEF, 42, RtrIntervals{3600, 600, 7200}});
  expect_both_ways("01 07 0001 00000018 00000000 00000001 00000002 00000258",
                   EndOfDataPdu{1, 0, RtrIntervals{1, 2, 600}});
}

TEST(RtrPdu, Rfc6810Sec5_7_EndOfDataVersion0HasOnlyTheSerial) {
  expect_both_ways("00 07 BEEF 0000000C 0000002A", EndOfDataPdu{0xBEEF, 42, std::nullopt});
  // Intervals are not written in version 0; absent intervals are written as defaults in v1.
  const EndOfDataPdu with{1, 2, RtrIntervals{10, 20, 700}};
  EXPECT_EQ(base::to_hex(encode_rtr_pdu(with, 0).value()), "000700010000000C00000002");
  const EndOfDataPdu without{1, 2, std::nullopt};
  EXPECT_EQ(base::to_hex(encode_rtr_pdu(without, 1).value()),
            "010700010000001800000002"
            "00000E100000025800001C20");
}

TEST(RtrPdu, Rfc8210Sec5_10_RouterKeyBothWays) {
  const auto key = example_key();
  ASSERT_EQ(key.ski().to_hex(), kSki);
  // 123 octets = 8 + 20 SKI + 4 ASN + 91 SPKI, as StayRTR sends it (docs/peers.md §2.1).
  expect_both_ways("01 09 0100 0000007B" + std::string(kSki) + "0000FBF0" + std::string(kSpki),
                   RouterKeyPdu{true, key.ski(), base::Asn(64496), key});
  expect_both_ways("01 09 0000 0000007B" + std::string(kSki) + "FA56EA01" + std::string(kSpki),
                   RouterKeyPdu{false, key.ski(), base::Asn(4200000001U), key});
}

TEST(RtrPdu, Rfc8210Sec5_10_RouterKeyKeepsTheSkiAsSent) {
  const auto key = example_key();
  const std::string other_ski(40, '1');
  const auto decoded =
      decode_rtr_pdu(h("01 09 0100 0000007B" + other_ski + "0000FBF0" + std::string(kSpki)));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(std::get<RouterKeyPdu>(*decoded).ski.to_hex(), other_ski);
}

TEST(RtrPdu, Rfc8210Sec5_6_HostBitsAreCleared) {
  const auto decoded = decode_rtr_pdu(h("01 04 0000 00000014 01 18 18 00 C0000201 0000FBF0"));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(std::get<PrefixPdu>(*decoded).prefix, pfx("192.0.2.0/24"));
}

TEST(RtrPdu, Rfc8210Sec5_1_ZeroFieldsAreIgnoredOnReceipt) {
  const auto reset = decode_rtr_pdu(h("01 02 FFFF 00000008"));
  ASSERT_TRUE(reset.has_value());
  EXPECT_TRUE(std::holds_alternative<ResetQueryPdu>(*reset));
  const auto prefix = decode_rtr_pdu(h("01 04 1234 00000014 01 18 18 FF C0000200 0000FBF0"));
  ASSERT_TRUE(prefix.has_value());
  EXPECT_TRUE(*prefix == RtrPdu(PrefixPdu{true, pfx("192.0.2.0/24"), 24, base::Asn(64496)}));
}

TEST(RtrPdu, Rfc8210Sec5_1_ShortOrInconsistentLengthIsCorruptData) {
  expect_error("", RtrErrorCode::CorruptData);
  expect_error("01 02 0000 00", RtrErrorCode::CorruptData);           // shorter than header
  expect_error("01 02 0000 00000007", RtrErrorCode::CorruptData);     // length below 8
  expect_error("01 02 0000 0000000C", RtrErrorCode::CorruptData);     // says 12, 8 given
  expect_error("01 02 0000 00000008 00", RtrErrorCode::CorruptData);  // says 8, 9 given
  expect_error("01 0A 0000 00010000", RtrErrorCode::CorruptData);     // above 64 KiB
}

TEST(RtrPdu, Rfc8210Sec5_WrongLengthForTypeIsCorruptData) {
  expect_error("01 00 1234 00000008", RtrErrorCode::CorruptData);
  expect_error("01 01 1234 00000010 00000001 00000000", RtrErrorCode::CorruptData);
  expect_error("01 02 0000 0000000C 00000000", RtrErrorCode::CorruptData);
  expect_error("01 03 1234 0000000C 00000000", RtrErrorCode::CorruptData);
  expect_error("01 04 0000 00000018 01 18 18 00 C0000200 0000FBF0 00000000",
               RtrErrorCode::CorruptData);
  expect_error("01 06 0000 00000014 01 18 18 00 C0000200 0000FBF0", RtrErrorCode::CorruptData);
  expect_error("01 07 BEEF 0000000C 0000002A", RtrErrorCode::CorruptData);  // v1 needs 24
  expect_error("00 07 BEEF 00000018 0000002A 00000E10 00000258 00001C20",
               RtrErrorCode::CorruptData);  // v0 is 12
  expect_error("01 08 0000 0000000C 00000000", RtrErrorCode::CorruptData);
  expect_error("01 09 0100 0000001C" + std::string(kSki), RtrErrorCode::CorruptData);
  expect_error("01 0A 0000 0000000C 00000000", RtrErrorCode::CorruptData);
}

TEST(RtrPdu, Rfc8210Sec5_6_BadFlagsAreCorruptData) {
  expect_error("01 04 0000 00000014 02 18 18 00 C0000200 0000FBF0", RtrErrorCode::CorruptData);
  expect_error("01 06 0000 00000020 81 20 30 00 20010DB8000000000000000000000000 0001000F",
               RtrErrorCode::CorruptData);
  expect_error("01 09 0300 0000007B" + std::string(kSki) + "0000FBF0" + std::string(kSpki),
               RtrErrorCode::CorruptData);
}

TEST(RtrPdu, Rfc8210Sec5_6_PrefixLengthAboveMaxLengthIsCorruptData) {
  expect_error("01 04 0000 00000014 01 18 10 00 C0000200 0000FBF0", RtrErrorCode::CorruptData);
  expect_error("01 06 0000 00000020 01 30 20 00 20010DB8000000000000000000000000 0001000F",
               RtrErrorCode::CorruptData);
}

TEST(RtrPdu, Rfc8210Sec5_6_MaxLengthAboveAddressSizeIsCorruptData) {
  expect_error("01 04 0000 00000014 01 18 21 00 C0000200 0000FBF0", RtrErrorCode::CorruptData);
  expect_error("01 04 0000 00000014 01 21 21 00 C0000200 0000FBF0", RtrErrorCode::CorruptData);
  expect_error("01 06 0000 00000020 01 20 81 00 20010DB8000000000000000000000000 0001000F",
               RtrErrorCode::CorruptData);
}

TEST(RtrPdu, Rfc8210Sec5_10_BadSpkiIsCorruptData) {
  std::string bad_point(kSpki);
  bad_point.back() = '6';  // point no longer on the curve
  expect_error("01 09 0100 0000007B" + std::string(kSki) + "0000FBF0" + bad_point,
               RtrErrorCode::CorruptData);
  expect_error("01 09 0100 0000007C" + std::string(kSki) + "0000FBF0" + std::string(kSpki) + "00",
               RtrErrorCode::CorruptData);  // trailing octet after the SPKI
  expect_error("01 09 0100 00000021" + std::string(kSki) + "0000FBF0" + "30",
               RtrErrorCode::CorruptData);
}

TEST(RtrPdu, Rfc8210Sec5_11_ErrorReportLengthsMustAddUp) {
  // Encapsulated length beyond the PDU.
  expect_error("01 0A 0000 00000010 00000001 00000000", RtrErrorCode::CorruptData);
  // Text length beyond the PDU.
  expect_error("01 0A 0000 00000011 00000000 00000002 41", RtrErrorCode::CorruptData);
  // Octets after the text.
  expect_error("01 0A 0000 00000011 00000000 00000000 41", RtrErrorCode::CorruptData);
}

TEST(RtrPdu, Rfc8210Sec5_UnknownTypeIsUnsupportedPduType) {
  expect_error("01 05 0000 00000008", RtrErrorCode::UnsupportedPduType);
  expect_error("02 0C 0000 00000008", RtrErrorCode::UnsupportedPduType);
  expect_error("00 FF 0000 00000008", RtrErrorCode::UnsupportedPduType);
}

// --- ASPA (docs/aspa.md §11.2) ---

AspaPdu aspa(bool announce, std::uint32_t customer, std::vector<std::uint32_t> providers,
             AspaPduLayout layout = AspaPduLayout::Current, std::uint8_t afi = 0) {
  AspaPdu p{announce, base::Asn(customer), {}, layout, afi};
  for (const auto provider : providers) {
    p.providers.emplace_back(provider);
  }
  return p;
}

TEST(RtrPdu, Rfc8210bisSec5_12_AspaCurrentLayoutBothWays) {
  expect_both_ways("02 0B 0100 00000014 0000FBF0 0000FBF1 0000FBF2",
                   aspa(true, 64496, {64497, 64498}));
  expect_both_ways("02 0B 0100 00000010 FA56EA01 00000000", aspa(true, 4200000001U, {0}));
  expect_both_ways("02 0B 0000 0000000C 0000FBF0", aspa(false, 64496, {}));
}

TEST(RtrPdu, StayRtr05_AspaOldLayoutBothWays) {
  // As StayRTR 0.5.1 writes it: octets 2-3 zero, then flags, AFI, provider count, customer.
  expect_both_ways("02 0B 0000 00000018 01 00 0002 0000FBF0 0000FBF1 0000FBF2",
                   aspa(true, 64496, {64497, 64498}, AspaPduLayout::StayRtr05, 0));
  expect_both_ways("02 0B 0000 00000014 01 01 0001 0000FBF0 0000FBF1",
                   aspa(true, 64496, {64497}, AspaPduLayout::StayRtr05, 1));
  // A withdrawal carries the old provider list.
  expect_both_ways("02 0B 0000 00000014 00 01 0001 0000FBF0 0000FBF1",
                   aspa(false, 64496, {64497}, AspaPduLayout::StayRtr05, 1));
}

TEST(RtrPdu, Rfc8210bisSec5_12_AspaCurrentLayoutOctet3IsIgnored) {
  const auto decoded = decode_rtr_pdu(h("02 0B 01FF 00000010 0000FBF0 0000FBF1"));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_TRUE(*decoded == RtrPdu(aspa(true, 64496, {64497})));
}

TEST(RtrPdu, Rfc8210bisSec5_12_AspaProviderListErrors) {
  // No providers in an announcement, AS 0 beside others, providers not strictly increasing.
  expect_error("02 0B 0100 0000000C 0000FBF0", RtrErrorCode::AspaProviderListError);
  expect_error("02 0B 0100 00000014 0000FBF0 00000000 0000FBF1",
               RtrErrorCode::AspaProviderListError);
  expect_error("02 0B 0100 00000014 0000FBF0 0000FBF2 0000FBF1",
               RtrErrorCode::AspaProviderListError);
  expect_error("02 0B 0100 00000014 0000FBF0 0000FBF1 0000FBF1",
               RtrErrorCode::AspaProviderListError);
  expect_error("02 0B 0000 00000010 01 00 0000 0000FBF0", RtrErrorCode::AspaProviderListError);
}

TEST(RtrPdu, Rfc8210bisSec5_12_MalformedAspaIsCorruptData) {
  expect_error("02 0B 0100 00000008", RtrErrorCode::CorruptData);  // no customer
  expect_error("02 0B 0100 00000012 0000FBF0 0000FBF1 0000", RtrErrorCode::CorruptData);
  expect_error("02 0B 0200 00000010 0000FBF0 0000FBF1", RtrErrorCode::CorruptData);  // flags
  // Octet 2 zero and longer than 12: neither a current-layout withdrawal nor the old layout.
  expect_error("02 0B 0000 00000010 0000FBF0 0000FBF1", RtrErrorCode::CorruptData);
  expect_error("02 0B 0000 00000014 01 02 0001 0000FBF0 0000FBF1",
               RtrErrorCode::CorruptData);  // AFI 2
  expect_error("02 0B 0000 00000014 01 00 0002 0000FBF0 0000FBF1",
               RtrErrorCode::CorruptData);  // count disagrees with the length
  expect_error("02 0B 0001 00000014 01 00 0001 0000FBF0 0000FBF1",
               RtrErrorCode::CorruptData);  // octet 3 set: not the old layout
  expect_error("02 0B 0000 00000014 02 00 0001 0000FBF0 0000FBF1",
               RtrErrorCode::CorruptData);  // old-layout flags
}

TEST(RtrPdu, Rfc8210bisSec5_12_AspaOnlyInVersion2) {
  expect_error("01 0B 0100 00000010 0000FBF0 0000FBF1", RtrErrorCode::UnsupportedPduType);
  expect_error("00 0B 0100 00000010 0000FBF0 0000FBF1", RtrErrorCode::UnsupportedPduType);
  const auto encoded = encode_rtr_pdu(aspa(true, 1, {2}), 1);
  ASSERT_FALSE(encoded.has_value());
  EXPECT_EQ(encoded.error().code, RtrErrorCode::UnsupportedPduType);
}

TEST(RtrPdu, Rfc8210Sec5_10_RouterKeyInVersion0IsUnsupportedPduType) {
  expect_error("00 09 0100 0000007B" + std::string(kSki) + "0000FBF0" + std::string(kSpki),
               RtrErrorCode::UnsupportedPduType);
  const auto key = example_key();
  const auto encoded = encode_rtr_pdu(RouterKeyPdu{true, key.ski(), base::Asn(1), key}, 0);
  ASSERT_FALSE(encoded.has_value());
  EXPECT_EQ(encoded.error().code, RtrErrorCode::UnsupportedPduType);
}

TEST(RtrPdu, Rfc8210Sec7_UnknownVersionIsUnsupportedProtocolVersion) {
  expect_error("03 02 0000 00000008", RtrErrorCode::UnsupportedProtocolVersion);
  expect_error("03 0A 0004 00000010 00000000 00000000", RtrErrorCode::UnsupportedProtocolVersion);
  const auto encoded = encode_rtr_pdu(ResetQueryPdu{}, 3);
  ASSERT_FALSE(encoded.has_value());
  EXPECT_EQ(encoded.error().code, RtrErrorCode::UnsupportedProtocolVersion);
}

TEST(RtrPdu, HeaderDecodesWithMoreBytesFollowing) {
  const auto header = decode_rtr_header(h("01 09 0100 0000007B 00"));
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(*header, (RtrPduHeader{1, 9, 0x0100, 123}));
}

TEST(RtrPdu, Names) {
  EXPECT_STREQ(rtr_error_code_name(7), "Duplicate Announcement Received");
  EXPECT_STREQ(rtr_error_code_name(9), "ASPA Provider List Error");
  EXPECT_STREQ(rtr_error_code_name(10), "Unknown");
  EXPECT_STREQ(rtr_pdu_type_name(11), "ASPA");
  EXPECT_STREQ(rtr_pdu_type_name(9), "Router Key");
  EXPECT_STREQ(rtr_pdu_type_name(5), "Unknown");
}

// --- Framer ---

std::vector<base::Bytes> drain(RtrFramer& framer) {
  std::vector<base::Bytes> out;
  while (true) {
    auto next = framer.next();
    EXPECT_TRUE(next.has_value());
    if (!next || !next->has_value()) {
      return out;
    }
    out.push_back(std::move(**next));
  }
}

TEST(RtrFramer, SplitsMergedPdusAndJoinsSplitOnes) {
  const auto stream =
      h("01 03 BEEF 00000008  01 04 0000 00000014 01 18 18 00 C0000200 0000FBF0"
        "01 07 BEEF 00000018 0000002A 00000E10 00000258 00001C20");
  RtrFramer merged;
  merged.append(stream);
  const auto whole = drain(merged);
  ASSERT_EQ(whole.size(), 3U);
  EXPECT_EQ(base::to_hex(whole[0]), "0103BEEF00000008");
  EXPECT_EQ(whole[1].size(), 20U);
  EXPECT_EQ(whole[2].size(), 24U);
  EXPECT_EQ(merged.buffered(), 0U);

  RtrFramer split;
  std::vector<base::Bytes> pieces;
  for (const auto b : stream) {
    split.append(std::span(&b, 1));
    for (auto& p : drain(split)) {
      pieces.push_back(std::move(p));
    }
  }
  EXPECT_EQ(pieces, whole);
}

TEST(RtrFramer, WaitsForTheWholePdu) {
  RtrFramer framer;
  framer.append(h("01 07 BEEF 00000018 0000002A"));
  EXPECT_TRUE(drain(framer).empty());
  EXPECT_EQ(framer.buffered(), 12U);
  framer.append(h("00000E10 00000258 00001C20 0102"));
  const auto out = drain(framer);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(framer.buffered(), 2U);
}

TEST(RtrFramer, Rfc8210Sec5_1_BadLengthIsStickyCorruptData) {
  RtrFramer framer;
  framer.append(h("01 0A 0000 00100000"));  // 1 MiB: over the limit
  auto next = framer.next();
  ASSERT_FALSE(next.has_value());
  EXPECT_EQ(next.error().code, RtrErrorCode::CorruptData);
  framer.append(h("01 02 0000 00000008"));
  EXPECT_FALSE(framer.next().has_value());

  RtrFramer tiny;
  tiny.append(h("01 02 0000 00000004"));
  ASSERT_FALSE(tiny.next().has_value());
  tiny.reset();
  tiny.append(h("01 02 0000 00000008"));
  EXPECT_EQ(drain(tiny).size(), 1U);
}

}  // namespace
}  // namespace bgpsecd::rpki
