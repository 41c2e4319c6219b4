// RFC 8205 §4.2 signed octets: both forms reproduce the `signed_data` of all four RFC 8608
// example signatures exactly.
#include "bgpsec/signed_data.hpp"

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "bgpsec/test_support.hpp"
#include "crypto/digest.hpp"

namespace bgpsecd::bgpsec {
namespace {

using test_vectors::example;

class SignedDataExample : public ::testing::TestWithParam<std::size_t> {};

TEST_P(SignedDataExample, Rfc8205Sec4_2_SingleSignatureFormMatchesVectors) {
  const auto& ex = example(GetParam());
  const auto path = testing::example_path(GetParam());
  const SignedRoute route{wire::kAlgorithmSuite1, testing::example_prefix(GetParam()),
                          base::kSafiUnicast};
  const auto& block = path.blocks[0];
  const std::span<const wire::SecurePathSegment> sp(path.secure_path);
  const std::span<const wire::SignatureSegment> sigs(block.segments);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& sig = ex.at("signatures").at(i);
    const base::Asn target(sig.at("target_asn").get<std::uint32_t>());
    const auto data = build_signed_data(target, sp.subspan(i), sigs.subspan(i + 1), route);
    EXPECT_EQ(base::to_hex(data), sig.at("signed_data").get<std::string>()) << "signature " << i;
    EXPECT_EQ(base::to_hex(crypto::sha256(data)),
              sig.at("sha256_of_signed_data").get<std::string>());
  }
}

TEST_P(SignedDataExample, Rfc8205Sec4_2_OneBufferFormMatchesVectors) {
  const auto& ex = example(GetParam());
  const auto path = testing::example_path(GetParam());
  // The validating AS is 65537: the newest signature's target.
  const BlockSignedData data(testing::kAs65537, path.secure_path, path.blocks[0],
                             testing::example_prefix(GetParam()), base::kSafiUnicast);
  ASSERT_EQ(data.size(), 2U);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& sig = ex.at("signatures").at(i);
    EXPECT_EQ(base::to_hex(data.for_segment(i)), sig.at("signed_data").get<std::string>())
        << "signature " << i;
    EXPECT_EQ(data.for_segment(i).size(), sig.at("signed_data_length").get<std::size_t>());
  }
}

INSTANTIATE_TEST_SUITE_P(Ipv4AndIpv6, SignedDataExample, ::testing::Values(0U, 1U));

TEST(SignedData, Rfc8205Sec4_2_OriginIs18OctetsForIpv4Slash24) {
  const wire::SecurePathSegment s1{1, 0, base::Asn(64496)};
  const auto data =
      build_signed_data(base::Asn(65536), std::span(&s1, 1), {},
                        SignedRoute{1, base::Prefix::parse("192.0.2.0/24").value(), 1});
  EXPECT_EQ(base::to_hex(data), "0001000001000000FBF00100010118C00002");
}

TEST(SignedData, Rfc8205Sec4_2_NlriHasMinimalOctets) {
  const wire::SecurePathSegment s1{1, 0, base::Asn(1)};
  const auto route = [](const char* p) {
    return SignedRoute{1, base::Prefix::parse(p).value(), 1};
  };
  EXPECT_EQ(
      base::to_hex(build_signed_data(base::Asn(2), std::span(&s1, 1), {}, route("0.0.0.0/0"))),
      "00000002010000000001"
      "01"
      "0001"
      "01"
      "00");
  EXPECT_EQ(
      base::to_hex(build_signed_data(base::Asn(2), std::span(&s1, 1), {}, route("10.128.0.0/9"))),
      "00000002010000000001"
      "01"
      "0001"
      "01"
      "09"
      "0A80");
  EXPECT_EQ(base::to_hex(
                build_signed_data(base::Asn(2), std::span(&s1, 1), {}, route("2001:db8:1::/48"))),
            "00000002010000000001"
            "01"
            "0002"
            "01"
            "30"
            "20010DB80001");
}

TEST(SignedData, OneBufferFormMatchesSingleFormOnALongerPath) {
  // Four hops with different signature lengths, flags and pCounts.
  wire::BgpsecPath path;
  path.secure_path = {{1, 0x80, base::Asn(10)},
                      {0, 0, base::Asn(20)},
                      {3, 0, base::Asn(30)},
                      {1, 0, base::Asn(40)}};
  wire::SignatureBlock block;
  block.suite = 1;
  for (std::uint8_t i = 0; i < 4; ++i) {
    std::array<std::uint8_t, 20> ski{};
    ski.fill(static_cast<std::uint8_t>(0x10 + i));
    block.segments.push_back({base::Ski(ski), base::Bytes(std::size_t{70} + i, i)});
  }
  const SignedRoute route{1, base::Prefix::parse("2001:db8::/32").value(), 1};
  const BlockSignedData data(base::Asn(5), path.secure_path, block, route.prefix, route.safi);
  const std::span<const wire::SecurePathSegment> sp(path.secure_path);
  const std::span<const wire::SignatureSegment> sigs(block.segments);
  for (std::size_t i = 0; i < 4; ++i) {
    const base::Asn target = i == 0 ? base::Asn(5) : path.secure_path[i - 1].asn;
    const auto single = build_signed_data(target, sp.subspan(i), sigs.subspan(i + 1), route);
    EXPECT_EQ(base::to_hex(data.for_segment(i)), base::to_hex(single)) << "segment " << i;
  }
}

}  // namespace
}  // namespace bgpsecd::bgpsec
