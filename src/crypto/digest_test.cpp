// SPDX-License-Identifier: BSD-2-Clause
// SHA-256 and SHA-1 against the FIPS 180 example values, and against the RFC 8608 example
// signed data (the digests the example signatures are made over).
#include "crypto/digest.hpp"

#include <fstream>
#include <string_view>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/hex.hpp"

namespace bgpsecd::crypto {
namespace {

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(Sha256, Fips180Examples) {
  EXPECT_EQ(base::to_hex(sha256(as_bytes(""))),
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
  EXPECT_EQ(base::to_hex(sha256(as_bytes("abc"))),
            "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  EXPECT_EQ(
      base::to_hex(sha256(as_bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
      "248D6A61D20638B8E5C026930C3E6039A33CE45964FF2167F6ECEDD419DB06C1");
}

TEST(Sha1, Fips180Examples) {
  EXPECT_EQ(base::to_hex(sha1(as_bytes(""))), "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709");
  EXPECT_EQ(base::to_hex(sha1(as_bytes("abc"))), "A9993E364706816ABA3E25717850C26C9CD0D89D");
}

// RFC 8608 Appendix A (via the vectors file): the hash of each signed_data is the published one.
TEST(Sha256, Rfc8608ExampleSignedData) {
  std::ifstream in(BGPSEC_VECTORS_DIR "/rfc8608.json");
  ASSERT_TRUE(in) << "cannot open the RFC 8608 vectors";
  const auto doc = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  int checked = 0;
  for (const auto& example : doc["examples"]) {
    for (const auto& sig : example["signatures"]) {
      const auto data = base::from_hex(sig["signed_data"].get<std::string>());
      ASSERT_TRUE(data);
      EXPECT_EQ(data->size(), sig["signed_data_length"].get<std::size_t>());
      EXPECT_EQ(base::to_hex(sha256(*data)), sig["sha256_of_signed_data"].get<std::string>())
          << example["name"] << " signer " << sig["signer_asn"];
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4);
}

}  // namespace
}  // namespace bgpsecd::crypto
