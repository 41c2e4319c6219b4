// SPDX-License-Identifier: BSD-2-Clause
#include "base/hex.hpp"

#include <gtest/gtest.h>

#include "base/ski.hpp"

namespace bgpsecd::base {
namespace {

TEST(Hex, RoundTrip) {
  const Bytes b{0x00, 0xAB, 0x4D, 0xFF};
  EXPECT_EQ(to_hex(b), "00AB4DFF");
  EXPECT_EQ(to_hex_lower(b), "00ab4dff");
  EXPECT_EQ(from_hex("00ab4DfF").value(), b);
  EXPECT_EQ(from_hex("0x00 AB 4D FF").value(), b);
}

TEST(Hex, RejectsBadInput) {
  EXPECT_FALSE(from_hex("ABC"));
  EXPECT_FALSE(from_hex("zz"));
}

TEST(Base64, Rfc4648Vectors) {
  const std::string in = "foobar";
  const Bytes b(in.begin(), in.end());
  EXPECT_EQ(to_base64(std::span(b).first(0)), "");
  EXPECT_EQ(to_base64(std::span(b).first(1)), "Zg==");
  EXPECT_EQ(to_base64(std::span(b).first(2)), "Zm8=");
  EXPECT_EQ(to_base64(std::span(b).first(3)), "Zm9v");
  EXPECT_EQ(to_base64(b), "Zm9vYmFy");
  EXPECT_EQ(from_base64("Zg==").value(), Bytes{'f'});
  EXPECT_EQ(from_base64("Zg").value(), Bytes{'f'});
  EXPECT_EQ(from_base64("Zm8").value(), (Bytes{'f', 'o'}));
}

TEST(Base64, BothAlphabets) {
  const Bytes b{0xFB, 0xFF, 0xBF};
  EXPECT_EQ(to_base64(b), "+/+/");
  EXPECT_EQ(to_base64(b, Base64Alphabet::UrlSafe), "-_-_");
  EXPECT_EQ(from_base64("+/+/").value(), b);
  EXPECT_EQ(from_base64("-_-_").value(), b);
  const Bytes c{0xFB};
  EXPECT_EQ(to_base64(c, Base64Alphabet::UrlSafe), "-w");
}

TEST(Base64, RejectsBadInput) {
  EXPECT_FALSE(from_base64("Z"));
  EXPECT_FALSE(from_base64("Zm9v!"));
  EXPECT_FALSE(from_base64("Zh=="));  // non-zero trailing bits
  EXPECT_FALSE(from_base64("Zm9=="));
}

TEST(Ski, HexForms) {
  auto ski = Ski::from_hex("ab4d910f55cae71a215ef3cafe3acc45b5eec154");
  ASSERT_TRUE(ski);
  EXPECT_EQ(ski->to_hex(), "AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154");
  EXPECT_EQ(Ski::from_hex("AB:4D:91:0F:55:CA:E7:1A:21:5E:F3:CA:FE:3A:CC:45:B5:EE:C1:54").value(),
            *ski);
  EXPECT_FALSE(Ski::from_hex("AB4D"));
}

}  // namespace
}  // namespace bgpsecd::base
