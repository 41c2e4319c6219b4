// SPDX-License-Identifier: BSD-2-Clause
// Signer tests: both RFC 8608 example BGPsec_PATH values re-created from scratch byte for
// byte (fixed nonce k), segment fields, block handling and refusals.
#include "bgpsec/signer.hpp"

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "bgpsec/signed_data.hpp"
#include "bgpsec/test_support.hpp"

namespace bgpsecd::bgpsec {
namespace {

using testing::kAs64496;
using testing::kAs65536;
using testing::kAs65537;

base::Bytes encode(const wire::BgpsecPath& path) {
  base::ByteWriter w;
  wire::encode_bgpsec_path_value(path, w);
  return w.take();
}

class SignerExample : public ::testing::TestWithParam<std::size_t> {};

TEST_P(SignerExample, Rfc8608AppendixA_RecreatesExamplePathByteForByte) {
  const auto& ex = test_vectors::example(GetParam());
  const testing::FixedNonceSigner origin_key(testing::example_private_key(0),
                                             testing::example_nonce());
  const testing::FixedNonceSigner transit_key(testing::example_private_key(1),
                                              testing::example_nonce());
  const SignedPrefix route{testing::example_prefix(GetParam()), base::kSafiUnicast};

  // AS 64496 originates towards AS 65536.
  const SignatureProvider* origin_providers[] = {&origin_key};
  const auto origin = originate(Hop{kAs64496, kAs65536, 1, false}, route, origin_providers);
  ASSERT_TRUE(origin.has_value()) << origin.error().message;
  ASSERT_EQ(origin->blocks.size(), 1U);
  EXPECT_EQ(base::to_hex(origin->blocks[0].segments[0].signature),
            ex.at("signatures").at(1).at("signature_der").get<std::string>());

  // AS 65536 forwards towards AS 65537.
  const SignatureProvider* transit_providers[] = {&transit_key};
  const auto forwarded =
      forward(*origin, Hop{kAs65536, kAs65537, 1, false}, route, transit_providers);
  ASSERT_TRUE(forwarded.has_value()) << forwarded.error().message;
  EXPECT_EQ(base::to_hex(encode(*forwarded)), ex.at("bgpsec_path_value").get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Ipv4AndIpv6, SignerExample, ::testing::Values(0U, 1U));

TEST(Signer, Rfc8205Sec4_2_OriginSegmentCarriesPcountAndConfedFlag) {
  const testing::DummySuiteSigner key(1);
  const SignatureProvider* providers[] = {&key};
  const SignedPrefix route{base::Prefix::parse("192.0.2.0/24").value()};
  const auto plain = originate(Hop{base::Asn(7), base::Asn(8), 3, false}, route, providers);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->secure_path.front(), (wire::SecurePathSegment{3, 0x00, base::Asn(7)}));
  const auto confed = originate(Hop{base::Asn(7), base::Asn(8), 0, true}, route, providers);
  ASSERT_TRUE(confed.has_value());
  EXPECT_EQ(confed->secure_path.front(), (wire::SecurePathSegment{0, 0x80, base::Asn(7)}));
}

TEST(Signer, Rfc8205Sec4_2_SignsTheOctetsWithTheTargetAs) {
  // DummySuiteSigner "signs" with the digest itself, which exposes what was hashed.
  const testing::DummySuiteSigner key(1);
  const SignatureProvider* providers[] = {&key};
  const SignedPrefix route{base::Prefix::parse("192.0.2.0/24").value()};
  const auto path = originate(Hop{kAs64496, kAs65536, 1, false}, route, providers).value();
  const auto expected =
      crypto::sha256(test_vectors::hex_bytes("0001000001000000FBF00100010118C00002"));
  EXPECT_EQ(path.blocks[0].segments[0].signature, base::Bytes(expected.begin(), expected.end()));
}

TEST(Signer, OriginatesOneBlockPerSuite) {
  const testing::DummySuiteSigner suite1(1);
  const testing::DummySuiteSigner suite2(2);
  const SignatureProvider* providers[] = {&suite1, &suite2};
  const auto path =
      originate(Hop{base::Asn(7), base::Asn(8)},
                SignedPrefix{base::Prefix::parse("2001:db8::/32").value()}, providers);
  ASSERT_TRUE(path.has_value());
  ASSERT_EQ(path->blocks.size(), 2U);
  EXPECT_EQ(path->blocks[0].suite, 1);
  EXPECT_EQ(path->blocks[1].suite, 2);
  // What we build decodes again.
  EXPECT_TRUE(wire::decode_bgpsec_path(encode(*path)).has_value());
}

TEST(Signer, ForwardExtendsEveryBlockWeCanSignAndDropsTheOthers) {
  const testing::DummySuiteSigner suite1(1);
  const testing::DummySuiteSigner suite2(2);
  const SignedPrefix route{base::Prefix::parse("192.0.2.0/24").value()};
  const SignatureProvider* both[] = {&suite1, &suite2};
  const auto received = originate(Hop{base::Asn(7), base::Asn(8)}, route, both).value();

  const SignatureProvider* only1[] = {&suite1};
  const auto out = forward(received, Hop{base::Asn(8), base::Asn(9)}, route, only1);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  ASSERT_EQ(out->secure_path.size(), 2U);
  EXPECT_EQ(out->secure_path[0].asn, base::Asn(8));
  // RFC 8205 §6.1: the suite-2 block could not be extended and is dropped.
  ASSERT_EQ(out->blocks.size(), 1U);
  EXPECT_EQ(out->blocks[0].suite, 1);
  ASSERT_EQ(out->blocks[0].segments.size(), 2U);
  EXPECT_EQ(out->blocks[0].segments[1], received.blocks[0].segments[0]);
}

TEST(Signer, ForwardFailsWhenNoBlockCanBeExtended) {
  const testing::DummySuiteSigner suite2(2);
  const testing::DummySuiteSigner suite1(1);
  const SignedPrefix route{base::Prefix::parse("192.0.2.0/24").value()};
  const SignatureProvider* only2[] = {&suite2};
  const auto received = originate(Hop{base::Asn(7), base::Asn(8)}, route, only2).value();
  const SignatureProvider* only1[] = {&suite1};
  EXPECT_FALSE(forward(received, Hop{base::Asn(8), base::Asn(9)}, route, only1).has_value());
}

TEST(Signer, RefusesBadProviderSets) {
  const testing::DummySuiteSigner a(1);
  const testing::DummySuiteSigner b(1);
  const testing::DummySuiteSigner c(2);
  const testing::DummySuiteSigner d(3);
  const SignedPrefix route{base::Prefix::parse("192.0.2.0/24").value()};
  const Hop hop{base::Asn(7), base::Asn(8)};
  EXPECT_FALSE(originate(hop, route, {}).has_value());
  const SignatureProvider* same_suite[] = {&a, &b};
  EXPECT_FALSE(originate(hop, route, same_suite).has_value());
  const SignatureProvider* three[] = {&a, &c, &d};
  EXPECT_FALSE(originate(hop, route, three).has_value());
}

TEST(Signer, ForwardRefusesAPathOfTheWrongShape) {
  const testing::DummySuiteSigner key(1);
  const SignatureProvider* providers[] = {&key};
  const SignedPrefix route{base::Prefix::parse("192.0.2.0/24").value()};
  auto received = originate(Hop{base::Asn(7), base::Asn(8)}, route, providers).value();
  received.secure_path.push_back(received.secure_path.front());  // 2 segments, 1 signature
  EXPECT_FALSE(forward(received, Hop{base::Asn(8), base::Asn(9)}, route, providers).has_value());
}

TEST(Signer, RefusesToGrowPastTheAttributeLengthLimit) {
  // 555 hops with 90-octet signatures fill 65495 octets; one more hop (60) overflows.
  const testing::DummySuiteSigner key(1);
  const SignatureProvider* providers[] = {&key};
  wire::BgpsecPath big;
  wire::SignatureBlock block;
  for (std::uint32_t i = 0; i < 555; ++i) {
    big.secure_path.push_back({1, 0, base::Asn(i + 1)});
    block.segments.push_back({base::Ski(), base::Bytes(90, 0x30)});
  }
  big.blocks.push_back(block);
  ASSERT_LE(wire::bgpsec_path_value_size(big), wire::kMaxBgpsecPathValueSize);
  const auto out = forward(big, Hop{base::Asn(9999), base::Asn(8)},
                           SignedPrefix{base::Prefix::parse("192.0.2.0/24").value()}, providers);
  EXPECT_FALSE(out.has_value());
}

TEST(Signer, PrivateKeySignerSignaturesVerify) {
  const PrivateKeySigner key(crypto::PrivateKey::generate().value());
  const SignatureProvider* providers[] = {&key};
  const SignedPrefix route{base::Prefix::parse("198.51.100.0/24").value()};
  const auto path = originate(Hop{base::Asn(7), base::Asn(8)}, route, providers).value();
  EXPECT_EQ(path.blocks[0].segments[0].ski, key.key().public_key().ski());
  const auto data = build_signed_data(base::Asn(8), path.secure_path, {},
                                      SignedRoute{1, route.prefix, route.safi});
  EXPECT_TRUE(
      key.key().public_key().verify(crypto::sha256(data), path.blocks[0].segments[0].signature));
}

}  // namespace
}  // namespace bgpsecd::bgpsec
