// SPDX-License-Identifier: BSD-2-Clause
// Strict DER ECDSA-Sig-Value parsing (RFC 8608 §3.1): what is accepted, and each way of being
// malformed that OpenSSL's re-encode-and-compare rejects.
#include "crypto/p256/signature_der.hpp"

#include <gtest/gtest.h>

#include "base/bytes.hpp"
#include "base/hex.hpp"
#include "crypto/p256/scalar.hpp"

namespace bgpsecd::crypto::p256 {
namespace {

base::Bytes hex(std::string_view text) {
  auto b = base::from_hex(text);
  EXPECT_TRUE(b) << text;
  return b ? *b : base::Bytes{};
}

// RFC 8608 Appendix A, AS 65536's IPv4 signature (high-S).
const char* const kExample =
    "3046022100EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF371602210090F2C129ABB2"
    "F39B6A07963BD555A87AB2B7333B7B91F1668FD8618C83FAC3F1";

bool parses(std::string_view der_hex) {
  SignatureScalars out;
  return parse_der_signature(hex(der_hex), out);
}

TEST(SignatureDer, Rfc8608ExampleParses) {
  SignatureScalars out;
  ASSERT_TRUE(parse_der_signature(hex(kExample), out));
  EXPECT_EQ(out.r, (Limbs{0xC34D0EA84EAF3716, 0x9D2C877B56AAF991, 0x1140DD9CD45E81D6,
                          0xEFD48B2AACB6A8FD}));
  EXPECT_EQ(out.s[3], 0x90F2C129ABB2F39BU);
}

TEST(SignatureDer, SmallestAndLargestValues) {
  EXPECT_TRUE(parses("3006020101020101"));  // r = s = 1
  // r = s = n - 1
  const char* n_minus_1 = "022100FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632550";
  EXPECT_TRUE(parses(std::string("3046") + n_minus_1 + n_minus_1));
  // Short values with and without the sign octet.
  EXPECT_TRUE(parses("300702020080020101"));
  EXPECT_TRUE(parses("300602017F02017F"));
  EXPECT_TRUE(parses("300702020100020101"));  // r = 256
}

TEST(SignatureDer, OutOfRangeValues) {
  const char* n = "022100FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551";
  EXPECT_FALSE(parses(std::string("3026") + n + "020101"));  // r = n
  EXPECT_FALSE(parses(std::string("3026020101") + n));       // s = n
  EXPECT_FALSE(parses("3006020100020101"));                  // r = 0
  EXPECT_FALSE(parses("3006020101020100"));                  // s = 0
}

TEST(SignatureDer, MalformedEncodings) {
  EXPECT_FALSE(parses(""));
  EXPECT_FALSE(parses("30"));
  EXPECT_FALSE(parses("3000"));
  EXPECT_FALSE(parses("3106020101020101"));        // SET
  EXPECT_FALSE(parses("3006030101020101"));        // BIT STRING r
  EXPECT_FALSE(parses("300602010102010100"));      // trailing octet
  EXPECT_FALSE(parses("3007020101020101"));        // outer length too long
  EXPECT_FALSE(parses("3005020101020101"));        // outer length too short
  EXPECT_FALSE(parses("300702010102010100"));      // extra octet inside the SEQUENCE
  EXPECT_FALSE(parses("30090201010201010201ff"));  // third INTEGER
  EXPECT_FALSE(parses("3004020101020100"));        // s cut off
  EXPECT_FALSE(parses("308106020101020101"));      // long-form outer length
  EXPECT_FALSE(parses("300702810101020101"));      // long-form INTEGER length
  EXPECT_FALSE(parses("30800201010201010000"));    // indefinite length
  EXPECT_FALSE(parses("30050200020101"));          // empty INTEGER
  EXPECT_FALSE(parses("3006020180020101"));        // negative r
  EXPECT_FALSE(parses("3006020101020180"));        // negative s
  EXPECT_FALSE(parses("300702020001020101"));      // non-minimal r (00 01)
  EXPECT_FALSE(parses("300702020000020101"));      // non-minimal zero
  // 73 octets is too long for r, s < n whatever they hold.
  EXPECT_FALSE(parses(std::string(146, '0')));
}

TEST(SignatureDer, EveryTruncationOfTheExampleFails) {
  const auto good = hex(kExample);
  SignatureScalars out;
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(parse_der_signature(std::span(good).first(n), out)) << n;
  }
}

TEST(SignatureDer, FailureLeavesOutputUnchanged) {
  SignatureScalars out;
  out.r = {1, 2, 3, 4};
  EXPECT_FALSE(parse_der_signature(hex("3006020100020101"), out));
  EXPECT_EQ(out.r, (Limbs{1, 2, 3, 4}));
}

// The compact form (r ‖ s) and back gives the received octets for every accepted encoding,
// whatever the lengths of r and s.
TEST(SignatureDer, CompactFormRoundTrips) {
  const char* n_minus_1 = "022100FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632550";
  for (const std::string& der :
       {std::string(kExample), std::string("3006020101020101"), std::string("300702020080020101"),
        std::string("300602017F02017F"), std::string("300702020100020101"),
        std::string("3046") + n_minus_1 + n_minus_1,
        std::string("3025") + "0220" + std::string(62, '7') + "01" + "020101"}) {
    const auto bytes = hex(der);
    CompactSignature compact{};
    ASSERT_TRUE(compact_from_der(bytes, compact)) << der;
    std::array<std::uint8_t, kMaxDerSignatureSize> out{};
    const std::size_t length = der_from_compact(compact, out);
    EXPECT_EQ(base::to_hex(std::span(out).first(length)), base::to_hex(bytes)) << der;
  }
}

TEST(SignatureDer, CompactFormHoldsRAndSBigEndian) {
  CompactSignature compact{};
  ASSERT_TRUE(compact_from_der(hex("300702020100020101"), compact));  // r = 256, s = 1
  CompactSignature expected{};
  expected[30] = 0x01;
  expected[63] = 0x01;
  EXPECT_EQ(compact, expected);
  ASSERT_TRUE(compact_from_der(hex(kExample), compact));
  EXPECT_EQ(base::to_hex(std::span(compact).first(4)), "EFD48B2A");
  EXPECT_EQ(base::to_hex(std::span(compact).subspan(32, 4)), "90F2C129");
}

// Only what parse_der_signature accepts has a compact form: a non-minimal INTEGER or a value
// out of range keeps its octets as received (the stored path falls back to them).
TEST(SignatureDer, NoCompactFormForWhatDoesNotParse) {
  CompactSignature compact{};
  compact.fill(0xAA);
  for (const char* der : {"300702020001020101", "3006020100020101", "300602010102010100", ""}) {
    EXPECT_FALSE(compact_from_der(hex(der), compact)) << der;
  }
  EXPECT_EQ(compact[0], 0xAA);
}

// Any 64 octets encode to DER of at most 72 octets, and the extremes are as X.690 writes them.
TEST(SignatureDer, DerFromCompactExtremes) {
  std::array<std::uint8_t, kMaxDerSignatureSize> out{};
  CompactSignature zeros{};
  ASSERT_EQ(der_from_compact(zeros, out), 8U);
  EXPECT_EQ(base::to_hex(std::span(out).first(8)), "3006020100020100");
  CompactSignature ones{};
  ones.fill(0xFF);
  ASSERT_EQ(der_from_compact(ones, out), kMaxDerSignatureSize);
  EXPECT_EQ(base::to_hex(std::span(out).first(5)), "3046022100");
}

}  // namespace
}  // namespace bgpsecd::crypto::p256
