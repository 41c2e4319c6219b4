// SPDX-License-Identifier: BSD-2-Clause
// RFC 8205 §4.2 signed octets: both forms reproduce the `signed_data` of all four RFC 8608
// example signatures exactly.
#include "bgpsec/signed_data.hpp"

#include <array>
#include <string>

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

// ===== hand-written octets (RFC 8205 §4.2), not produced by our code =====
//
// A three-hop path towards AS 65004, as it appears on the wire (most recent first):
//   S3 = pCount 1, Confed_Segment (0x80), AS 65003       01 80 0000FDEB
//   S2 = pCount 3 (prepended), flags 0, AS 65002         03 00 0000FDEA
//   S1 = pCount 1, flags 0, AS 4200000001 (origin)       01 00 FA56EA01
// and two Signature_Blocks with stand-in signatures of different lengths:
//   suite 1: G3 = SKI 33..33, C3C3C3; G2 = SKI 22..22, B2B2B2B2; G1 = SKI 11..11, A1A1A1A1A1
//   suite 2: G3 = SKI 66..66, F3;     G2 = SKI 55..55, E2E2;     G1 = SKI 44..44, D1D1D1
// Each signature covers Target AS ‖ G(k-1) ‖ S(k) ‖ … ‖ G(1) ‖ S(2) ‖ S(1) ‖ Suite ‖ AFI ‖ SAFI ‖
// NLRI, with G taken from the block being signed; the Target AS of G(k) for k < 3 is the AS
// of S(k+1).

wire::SignatureSegment stand_in_signature(std::uint8_t ski_octet, std::size_t length,
                                          std::uint8_t sig_octet) {
  std::array<std::uint8_t, base::Ski::kSize> ski{};
  ski.fill(ski_octet);
  return {base::Ski(ski), base::Bytes(length, sig_octet)};
}

wire::BgpsecPath three_hop_confed_path() {
  wire::BgpsecPath path;
  path.secure_path = {{1, wire::kConfedSegmentFlag, base::Asn(65003)},
                      {3, 0, base::Asn(65002)},
                      {1, 0, base::Asn(4200000001U)}};
  wire::SignatureBlock suite1;
  suite1.suite = 1;
  suite1.segments = {stand_in_signature(0x33, 3, 0xC3), stand_in_signature(0x22, 4, 0xB2),
                     stand_in_signature(0x11, 5, 0xA1)};
  wire::SignatureBlock suite2;
  suite2.suite = 2;
  suite2.segments = {stand_in_signature(0x66, 1, 0xF3), stand_in_signature(0x55, 2, 0xE2),
                     stand_in_signature(0x44, 3, 0xD1)};
  path.blocks = {suite1, suite2};
  return path;
}

struct HandWritten {
  const char* name;
  const char* prefix;
  // Expected octets per block (suite 1, suite 2), then per signature (index on the wire: 0 is
  // G3, the newest).
  std::array<std::array<const char*, 3>, 2> expected;
};

const HandWritten kHandWritten[] = {
    {"Ipv4",
     "192.0.2.0/24",
     {{{// suite 1, G3: Target AS 65004
        "0000FDEC"
        "2222222222222222222222222222222222222222"
        "0004"
        "B2B2B2B2"      // G2
        "01800000FDEB"  // S3 (confed)
        "1111111111111111111111111111111111111111"
        "0005"
        "A1A1A1A1A1"    // G1
        "03000000FDEA"  // S2 (pCount 3)
        "0100FA56EA01"  // S1
        "01"
        "0001"
        "01"
        "18C00002",
        // suite 1, G2: Target AS 65003 (the AS of S3)
        "0000FDEB"
        "1111111111111111111111111111111111111111"
        "0005"
        "A1A1A1A1A1"    // G1
        "03000000FDEA"  // S2
        "0100FA56EA01"  // S1
        "01"
        "0001"
        "01"
        "18C00002",
        // suite 1, G1: Target AS 65002 (the AS of S2)
        "0000FDEA"
        "0100FA56EA01"  // S1
        "01"
        "0001"
        "01"
        "18C00002"},
       {// suite 2, G3
        "0000FDEC"
        "5555555555555555555555555555555555555555"
        "0002"
        "E2E2"          // G2 of block 2
        "01800000FDEB"  // S3
        "4444444444444444444444444444444444444444"
        "0003"
        "D1D1D1"        // G1 of block 2
        "03000000FDEA"  // S2
        "0100FA56EA01"  // S1
        "02"
        "0001"
        "01"
        "18C00002",
        // suite 2, G2
        "0000FDEB"
        "4444444444444444444444444444444444444444"
        "0003"
        "D1D1D1"
        "03000000FDEA"
        "0100FA56EA01"
        "02"
        "0001"
        "01"
        "18C00002",
        // suite 2, G1
        "0000FDEA"
        "0100FA56EA01"
        "02"
        "0001"
        "01"
        "18C00002"}}}},
    {"Ipv6",
     "2001:db8:8000::/33",
     {{{// suite 1, G3; NLRI = /33 in 5 octets
        "0000FDEC"
        "2222222222222222222222222222222222222222"
        "0004"
        "B2B2B2B2"
        "01800000FDEB"
        "1111111111111111111111111111111111111111"
        "0005"
        "A1A1A1A1A1"
        "03000000FDEA"
        "0100FA56EA01"
        "01"
        "0002"
        "01"
        "2120010DB880",
        // suite 1, G2
        "0000FDEB"
        "1111111111111111111111111111111111111111"
        "0005"
        "A1A1A1A1A1"
        "03000000FDEA"
        "0100FA56EA01"
        "01"
        "0002"
        "01"
        "2120010DB880",
        // suite 1, G1
        "0000FDEA"
        "0100FA56EA01"
        "01"
        "0002"
        "01"
        "2120010DB880"},
       {// suite 2, G3
        "0000FDEC"
        "5555555555555555555555555555555555555555"
        "0002"
        "E2E2"
        "01800000FDEB"
        "4444444444444444444444444444444444444444"
        "0003"
        "D1D1D1"
        "03000000FDEA"
        "0100FA56EA01"
        "02"
        "0002"
        "01"
        "2120010DB880",
        // suite 2, G2
        "0000FDEB"
        "4444444444444444444444444444444444444444"
        "0003"
        "D1D1D1"
        "03000000FDEA"
        "0100FA56EA01"
        "02"
        "0002"
        "01"
        "2120010DB880",
        // suite 2, G1
        "0000FDEA"
        "0100FA56EA01"
        "02"
        "0002"
        "01"
        "2120010DB880"}}}},
};

class SignedDataHandWritten : public ::testing::TestWithParam<HandWritten> {};

TEST_P(SignedDataHandWritten, Rfc8205Sec4_2_ThreeHopsPcountConfedTwoBlocks_SingleSignatureForm) {
  const auto& c = GetParam();
  const auto path = three_hop_confed_path();
  const auto prefix = base::Prefix::parse(c.prefix).value();
  const std::span<const wire::SecurePathSegment> sp(path.secure_path);
  for (std::size_t b = 0; b < 2; ++b) {
    const auto& block = path.blocks[b];
    const std::span<const wire::SignatureSegment> sigs(block.segments);
    const SignedRoute route{block.suite, prefix, base::kSafiUnicast};
    for (std::size_t i = 0; i < 3; ++i) {
      const base::Asn target = i == 0 ? base::Asn(65004) : path.secure_path[i - 1].asn;
      EXPECT_EQ(base::to_hex(build_signed_data(target, sp.subspan(i), sigs.subspan(i + 1), route)),
                c.expected[b][i])
          << "block " << b << ", signature " << i;
    }
  }
}

TEST_P(SignedDataHandWritten, Rfc8205Sec4_2_ThreeHopsPcountConfedTwoBlocks_OneBufferForm) {
  const auto& c = GetParam();
  const auto path = three_hop_confed_path();
  const auto prefix = base::Prefix::parse(c.prefix).value();
  for (std::size_t b = 0; b < 2; ++b) {
    // The validator at AS 65004 builds one buffer per block.
    const BlockSignedData data(base::Asn(65004), path.secure_path, path.blocks[b], prefix,
                               base::kSafiUnicast);
    ASSERT_EQ(data.size(), 3U);
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(base::to_hex(data.for_segment(i)), c.expected[b][i])
          << "block " << b << ", signature " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Ipv4AndIpv6, SignedDataHandWritten, ::testing::ValuesIn(kHandWritten),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace bgpsecd::bgpsec
