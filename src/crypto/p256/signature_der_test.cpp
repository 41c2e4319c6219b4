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

}  // namespace
}  // namespace bgpsecd::crypto::p256
