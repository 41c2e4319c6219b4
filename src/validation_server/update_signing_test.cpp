// SPDX-License-Identifier: BSD-2-Clause
// Signing for SIGN_REQUEST: the attribute the server builds validates at the peer AS, the
// newest-only payload is exactly that attribute's new parts, and the errors.
#include "validation_server/update_signing.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "base/byte_writer.hpp"
#include "base/hex.hpp"
#include "bgpsec/validator.hpp"
#include "validation_server/update_validation.hpp"
#include "validation_server/validation_test_support.hpp"

namespace bgpsecd::validation_server {
namespace {

using bgpsec::testing::example_private_key;
using bgpsec::testing::FixedNonceSigner;
using bgpsec::testing::kAs65537;
using bgpsec::testing::TestKeyTable;
using testing::example_update;

constexpr base::Asn kPeerAs{65538};

crypto::PrivateKey generated_key() { return crypto::PrivateKey::generate().value(); }

srx::SignRequestPdu request(std::uint8_t block_type, std::uint16_t algorithm = 1,
                            std::uint32_t pcount = 1) {
  srx::SignRequestPdu r;
  r.algorithm = algorithm;
  r.block_type = block_type;
  r.update_id = 0x2e427f2b;
  r.prepend_counter = pcount;
  r.peer_as = kPeerAs.value();
  return r;
}

struct Fixture {
  crypto::PrivateKey active = generated_key();
  crypto::PrivateKey next = generated_key();
  SigningKeys keys;

  // Signing with a fixed nonce makes two signatures over the same octets equal.
  Fixture() {
    keys.set(kAs65537, KeyRole::Active,
             std::make_shared<FixedNonceSigner>(active, bgpsec::testing::example_nonce()));
  }

  // The RFC 8608 keys and ours, as AS 65538 would find them in the RPKI.
  [[nodiscard]] TestKeyTable rpki_keys() const {
    auto table = bgpsec::testing::example_keys();
    table.add(kAs65537, active.public_key());
    table.add(kAs65537, next.public_key());
    return table;
  }

  // Validates the attribute `bytes` (block type 0) as AS 65538 receiving it from AS 65537.
  [[nodiscard]] bgpsec::PathValidation validate_at_peer(const base::Bytes& bytes,
                                                        const base::Prefix& prefix) const {
    auto path = decode_update_attribute(bytes);
    EXPECT_TRUE(path.has_value());
    if (!path) {
      return {};
    }
    const auto table = rpki_keys();
    const bgpsec::Validator validator(table);
    bgpsec::RouteContext route;
    route.prefix = prefix;
    bgpsec::PeerContext peer;
    peer.own_as = kPeerAs;
    peer.peer_as = kAs65537;
    return validator.validate(*path, route, peer);
  }
};

class SignForwarded : public ::testing::TestWithParam<std::size_t> {};

TEST_P(SignForwarded, WholeAttributeValidatesAtThePeerAs) {
  const Fixture f;
  const auto update = example_update(GetParam());
  const auto bytes = sign_update(update, request(0), kAs65537, f.keys);
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  const auto v = f.validate_at_peer(*bytes, update.prefix);
  EXPECT_EQ(v.state, bgpsec::PathState::Valid) << bgpsec::reason_name(v.reason);
  EXPECT_EQ(v.signatures_checked, 3U);

  const auto path = decode_update_attribute(*bytes).value();
  ASSERT_EQ(path.secure_path.size(), 3U);
  EXPECT_EQ(path.secure_path[0], (wire::SecurePathSegment{1, 0, kAs65537}));
  EXPECT_EQ(path.blocks[0].segments[0].ski, f.active.public_key().ski());
  // The received hops are kept as they were.
  const auto received = decode_update_attribute(update.bgpsec_attribute).value();
  EXPECT_EQ(std::vector(path.secure_path.begin() + 1, path.secure_path.end()),
            received.secure_path);

  // The newest signature is checked with our router key: without it, no key is found there.
  const auto without_ours = bgpsec::testing::example_keys();
  const bgpsec::Validator validator(without_ours);
  const auto missing = validator.verify_signatures(path, update.prefix, 1, kPeerAs);
  EXPECT_EQ(missing.reason, bgpsec::Reason::KeyNotFound);
  EXPECT_EQ(missing.failed_segment, 0);
  // And it targets the peer AS: as another AS the path is not valid.
  const auto table = f.rpki_keys();
  const bgpsec::Validator with_ours(table);
  EXPECT_EQ(with_ours.verify_signatures(path, update.prefix, 1, base::Asn(65539)).reason,
            bgpsec::Reason::SignatureInvalid);
}

TEST_P(SignForwarded, NewestOnlyIsTheNewPartsOfTheWholeAttribute) {
  const Fixture f;
  const auto update = example_update(GetParam());
  const auto whole = sign_update(update, request(0), kAs65537, f.keys);
  const auto newest = sign_update(update, request(kSignBlockNewestOnly), kAs65537, f.keys);
  ASSERT_TRUE(whole.has_value());
  ASSERT_TRUE(newest.has_value());
  const auto path = decode_update_attribute(*whole).value();
  base::ByteWriter expected;
  wire::encode_secure_path_segment(path.secure_path.front(), expected);
  wire::encode_signature_segment(path.blocks[0].segments.front(), expected);
  EXPECT_EQ(*newest, expected.bytes());
  // 6 octets of segment, then SKI (20), length (2) and the signature.
  ASSERT_GE(newest->size(), 28U);
  EXPECT_EQ(base::Bytes(newest->begin(), newest->begin() + 6),
            (base::Bytes{0x01, 0x00, 0x00, 0x01, 0x00, 0x01}));  // pCount 1, AS 65537
  EXPECT_EQ(newest->size(), 28U + path.blocks[0].segments.front().signature.size());
  // Other block-type bits do not matter.
  EXPECT_EQ(sign_update(update, request(0x81), kAs65537, f.keys), newest);
}

INSTANTIATE_TEST_SUITE_P(Ipv4AndIpv6, SignForwarded, ::testing::Values(0U, 1U));

TEST(SignUpdate, PrependCounterBecomesPcount) {
  const Fixture f;
  const auto update = example_update(0);
  const auto bytes = sign_update(update, request(0, 1, 3), kAs65537, f.keys);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(decode_update_attribute(*bytes).value().secure_path[0].pcount, 3);
  EXPECT_EQ(f.validate_at_peer(*bytes, update.prefix).state, bgpsec::PathState::Valid);
}

TEST(SignUpdate, NextAlgorithmSignsWithTheNextKey) {
  Fixture f;
  const auto update = example_update(0);
  auto none = sign_update(update, request(0, kSignAlgorithmNext), kAs65537, f.keys);
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, srx::SrxErrorCode::AlgorithmNotSupported);

  f.keys.set(kAs65537, KeyRole::Next, std::make_shared<bgpsec::PrivateKeySigner>(f.next));
  const auto bytes = sign_update(update, request(0, kSignAlgorithmNext), kAs65537, f.keys);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(decode_update_attribute(*bytes).value().blocks[0].segments[0].ski,
            f.next.public_key().ski());
  EXPECT_EQ(f.validate_at_peer(*bytes, update.prefix).state, bgpsec::PathState::Valid);
}

// A route of the router's own AS without a BGPsec_PATH is originated.
TEST(SignUpdate, OwnUnsignedRouteIsOriginated) {
  const Fixture f;
  for (const std::vector<std::uint32_t>& as_path :
       {std::vector<std::uint32_t>{}, std::vector<std::uint32_t>{65537, 65537}}) {
    UpdateContent update;
    update.prefix = base::Prefix::parse("2001:db8:5::/48").value();
    update.as_path = as_path;
    update.safi = 0;  // as QuaggaSRx sends it for a route without BGPsec_PATH
    const auto bytes = sign_update(update, request(0), kAs65537, f.keys);
    ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
    EXPECT_EQ(f.validate_at_peer(*bytes, update.prefix).state, bgpsec::PathState::Valid);
    const auto path = decode_update_attribute(*bytes).value();
    EXPECT_EQ(path.secure_path, (std::vector{wire::SecurePathSegment{1, 0, kAs65537}}));
  }
}

TEST(SignUpdate, Errors) {
  Fixture f;
  const auto update = example_update(0);
  const auto code = [&](const UpdateContent& content, const srx::SignRequestPdu& r,
                        base::Asn own_as = kAs65537) {
    const auto result = sign_update(content, r, own_as, f.keys);
    EXPECT_FALSE(result.has_value());
    return result ? srx::SrxErrorCode::InternalError : result.error().code;
  };
  using srx::SrxErrorCode;
  // No key for the AS, or an algorithm other than 1 and 2 (while both keys are there).
  f.keys.set(kAs65537, KeyRole::Next, std::make_shared<bgpsec::PrivateKeySigner>(f.next));
  EXPECT_EQ(code(update, request(0), base::Asn(65540)), SrxErrorCode::AlgorithmNotSupported);
  EXPECT_EQ(code(update, request(0, 0)), SrxErrorCode::AlgorithmNotSupported);
  EXPECT_EQ(code(update, request(0, 3)), SrxErrorCode::AlgorithmNotSupported);
  EXPECT_EQ(code(update, request(0, 0xFFFF)), SrxErrorCode::AlgorithmNotSupported);
  // Updates that cannot be signed.
  auto malformed = update;
  malformed.bgpsec_attribute[5] = 0x0F;
  EXPECT_EQ(code(malformed, request(0)), SrxErrorCode::AlgorithmNotSupported);
  auto learned_unsigned = update;
  learned_unsigned.bgpsec_attribute.clear();
  EXPECT_EQ(code(learned_unsigned, request(0)), SrxErrorCode::AlgorithmNotSupported);
  auto multicast = update;
  multicast.safi = 2;
  EXPECT_EQ(code(multicast, request(0)), SrxErrorCode::AlgorithmNotSupported);
  EXPECT_EQ(code(update, request(0, 1, 256)), SrxErrorCode::AlgorithmNotSupported);
}

// The tool check (ctest tool.bgpsec_verify_server_signature sets BGPSEC to the `bgpsec`
// binary): `bgpsec verify` at the peer AS accepts the attribute the server signed, with the
// router keys in an rpki-client JSON file, and refuses it at another AS.
TEST(SignUpdateTool, BgpsecVerifyAcceptsTheSignedPath) {
  const char* tool = std::getenv("BGPSEC");
  if (tool == nullptr) {
    GTEST_SKIP() << "BGPSEC is not set (run as ctest tool.bgpsec_verify_server_signature)";
  }
  const Fixture f;
  const auto update = example_update(1);
  const auto bytes = sign_update(update, request(0), kAs65537, f.keys);
  ASSERT_TRUE(bytes.has_value());
  auto keys = testing::example_key_entries();
  keys.push_back(testing::key_entry(kAs65537, f.active.public_key()));
  std::string dir_template =
      (std::filesystem::temp_directory_path() / "bgpsecvd-sign-XXXXXX").string();
  ASSERT_NE(::mkdtemp(dir_template.data()), nullptr);
  const std::filesystem::path dir(dir_template);
  const auto rpki_file = dir / "rpki.json";
  std::ofstream(rpki_file) << rpki::to_rpki_client_json(rpki::RpkiData{{}, keys});
  const auto verify = [&](base::Asn as, std::string& out) {
    const std::string command = std::string(tool) + " verify --prefix " +
                                update.prefix.to_string() + " --attribute " + base::to_hex(*bytes) +
                                " --as " + as.to_string() + " --rpki " + rpki_file.string() +
                                " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
      return -1;
    }
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) {
      out += buffer.data();
    }
    const int status = ::pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  std::string at_peer;
  EXPECT_EQ(verify(kPeerAs, at_peer), 0) << at_peer;
  EXPECT_NE(at_peer.find(R"("path":"valid")"), std::string::npos) << at_peer;
  std::string elsewhere;
  EXPECT_EQ(verify(base::Asn(65539), elsewhere), 1) << elsewhere;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bgpsecd::validation_server
