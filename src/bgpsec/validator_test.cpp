// SPDX-License-Identifier: BSD-2-Clause
// Validator tests (RFC 8205 §5.2): one case per structural and protocol
// check with its Reason and treat-as-withdraw action, every row of the §7 test matrix, and the
// signature step on paths signed hop by hop with generated keys and on the RFC 8608 examples.
#include "bgpsec/validator.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/byte_reader.hpp"
#include "base/byte_writer.hpp"
#include "base/hex.hpp"
#include "bgpsec/as_path_rebuild.hpp"
#include "bgpsec/reason.hpp"
#include "bgpsec/signature_verifier.hpp"
#include "bgpsec/signer.hpp"
#include "bgpsec/test_support.hpp"
#include "crypto/digest.hpp"
#include "wire/attributes.hpp"

namespace bgpsecd::bgpsec {
namespace {

using testing::kAs64496;
using testing::kAs65536;
using testing::kAs65537;
using testing::TestKeyTable;

// A second "suite" for tests only: the signature is SHA-256 of the signed octets (what
// DummySuiteSigner writes). 32 octets, so its blocks are cheaper than suite-1 blocks.
constexpr std::uint8_t kToySuite = 2;
constexpr std::uint8_t kUnknownSuite = 7;

base::Bytes encode(const wire::BgpsecPath& path) {
  base::ByteWriter w;
  wire::encode_bgpsec_path_value(path, w);
  return w.take();
}

base::Bytes example_value(std::size_t index) {
  return test_vectors::field(test_vectors::example(index), "bgpsec_path_value");
}

base::Prefix prefix(const char* text) { return base::Prefix::parse(text).value(); }

RouteContext route_for(const base::Prefix& p) {
  RouteContext r;
  r.prefix = p;
  return r;
}

PeerContext ebgp_peer(base::Asn own_as, base::Asn peer_as) {
  PeerContext p;
  p.own_as = own_as;
  p.peer_as = peer_as;
  p.relation = PeerRelation::Ebgp;
  return p;
}

// The RFC 8608 example as AS 65537 receives it from AS 65536.
PeerContext example_peer() { return ebgp_peer(kAs65537, kAs65536); }

// Wraps the default verifier: records which blocks reach the crypto step and how many
// signatures were verified; optionally implements kToySuite.
class RecordingVerifier final : public SignatureVerifier {
 public:
  explicit RecordingVerifier(bool toy_suite = false) : toy_suite_(toy_suite) {}
  [[nodiscard]] bool supports_suite(std::uint8_t suite) const noexcept override {
    return suite == wire::kAlgorithmSuite1 || (toy_suite_ && suite == kToySuite);
  }
  [[nodiscard]] VerifyOutcome verify_block(std::uint8_t suite,
                                           std::span<const VerifyJob> jobs) const override {
    suites_.push_back(suite);
    for (const auto& job : jobs) {
      EXPECT_FALSE(job.keys.empty()) << "the validator hands over only jobs with keys";
    }
    VerifyOutcome out;
    if (suite == kToySuite) {
      out.first_failure = jobs.size();
      for (std::size_t i = 0; i < jobs.size(); ++i) {
        ++out.checked;
        const auto digest = crypto::sha256(jobs[i].signed_data);
        if (!std::equal(digest.begin(), digest.end(), jobs[i].signature.begin(),
                        jobs[i].signature.end())) {
          out.first_failure = i;
          break;
        }
      }
    } else {
      out = default_signature_verifier().verify_block(suite, jobs);
    }
    checked_ += out.checked;
    return out;
  }
  [[nodiscard]] const std::vector<std::uint8_t>& suites() const noexcept { return suites_; }
  [[nodiscard]] std::size_t checked() const noexcept { return checked_; }

 private:
  bool toy_suite_;
  mutable std::vector<std::uint8_t> suites_;
  mutable std::size_t checked_ = 0;
};

PrivateKeySigner generated_signer() {
  return PrivateKeySigner(crypto::PrivateKey::generate().value());
}

// Signs a path hop by hop; each hop names its own Target AS (RFC 8205 §4.2).
class PathBuilder {
 public:
  explicit PathBuilder(const base::Prefix& p) : route_{p, base::kSafiUnicast} {}
  PathBuilder& add(const Hop& hop, std::initializer_list<const SignatureProvider*> providers) {
    const std::vector<const SignatureProvider*> list(providers);
    auto next = started_ ? forward(path_, hop, route_, list) : originate(hop, route_, list);
    EXPECT_TRUE(next.has_value()) << (next ? "" : next.error().message);
    if (next) {
      path_ = std::move(*next);
    }
    started_ = true;
    return *this;
  }
  [[nodiscard]] const wire::BgpsecPath& path() const noexcept { return path_; }

 private:
  SignedPrefix route_;
  wire::BgpsecPath path_;
  bool started_ = false;
};

void expect_treat_as_withdraw(const PathValidation& v, Reason reason) {
  EXPECT_EQ(v.state, PathState::NotValid);
  EXPECT_EQ(v.reason, reason) << "got " << reason_name(v.reason) << ", want "
                              << reason_name(reason);
  EXPECT_TRUE(v.treat_as_withdraw());
  EXPECT_EQ(v.action, base::Action::TreatAsWithdraw);
  EXPECT_TRUE(is_malformed(v.reason));
  EXPECT_EQ(v.signatures_checked, 0U);
}

void expect_valid(const PathValidation& v) {
  EXPECT_EQ(v.state, PathState::Valid) << reason_name(v.reason);
  EXPECT_EQ(v.reason, Reason::Valid) << reason_name(v.reason);
  EXPECT_FALSE(v.action.has_value());
  EXPECT_EQ(v.failed_segment, -1);
}

void expect_not_valid(const PathValidation& v, Reason reason, int failed_segment) {
  EXPECT_EQ(v.state, PathState::NotValid);
  EXPECT_EQ(v.reason, reason) << "got " << reason_name(v.reason);
  // Not Valid signatures keep the route: its treatment is local policy (RFC 8205
  // §5.1, RFC 8374 §8.3), not treat-as-withdraw.
  EXPECT_FALSE(v.action.has_value());
  EXPECT_FALSE(is_malformed(v.reason));
  EXPECT_EQ(v.failed_segment, failed_segment);
}

// ===== structural checks of the codec (RFC 8205 §5.2 #1 - #5, #13) =====

struct WireCase {
  const char* name;
  base::Bytes value;
  wire::BgpsecPathCheck check;
  Reason reason;
};

base::Bytes concat(std::initializer_list<std::span<const std::uint8_t>> parts) {
  base::ByteWriter w;
  for (const auto part : parts) {
    w.put_bytes(part);
  }
  return w.take();
}

base::Bytes bytes(std::initializer_list<std::uint8_t> list) { return base::Bytes(list); }

// The example value split at its parts: Secure_Path (14 octets) and the one block.
base::Bytes example_secure_path() {
  const auto v = example_value(0);
  return base::Bytes(v.begin(), v.begin() + 14);
}
base::Bytes example_block(std::uint8_t suite) {
  const auto v = example_value(0);
  base::Bytes block(v.begin() + 14, v.end());
  block[2] = suite;
  return block;
}
// A one-segment Secure_Path (AS 64496) for hand-made blocks.
base::Bytes one_segment_secure_path() {
  return bytes({0x00, 0x08, 0x01, 0x00, 0x00, 0x00, 0xFB, 0xF0});
}

std::vector<WireCase> wire_cases() {
  std::vector<WireCase> cases;
  const auto ex = example_value(0);
  const base::Bytes ski(base::Ski::kSize, 0xAB);

  cases.push_back({"OneOctetValue", bytes({0x00}), wire::BgpsecPathCheck::SecurePathTruncated,
                   Reason::SecurePathTruncated});
  {
    auto v = example_secure_path();
    v[1] = 0x14;  // claims three segments, has two
    cases.push_back({"SecurePathOverrunsAttribute", v, wire::BgpsecPathCheck::SecurePathTruncated,
                     Reason::SecurePathTruncated});
  }
  {
    auto v = ex;
    v[1] = 0x0F;  // §7 matrix row "Secure_Path Length 0x000F": (15 - 2) % 6 != 0
    cases.push_back({"SecurePathLength0x000F", v, wire::BgpsecPathCheck::SecurePathLength,
                     Reason::SecurePathLength});
  }
  {
    auto v = ex;
    v[1] = 0x02;  // no segment at all (< 8)
    cases.push_back({"SecurePathLengthBelowEight", v, wire::BgpsecPathCheck::SecurePathLength,
                     Reason::SecurePathLength});
  }
  cases.push_back({"NoSignatureBlock", example_secure_path(),
                   wire::BgpsecPathCheck::NoSignatureBlock, Reason::NoSignatureBlock});
  cases.push_back({"ThreeSignatureBlocks", concat({ex, example_block(2), example_block(3)}),
                   wire::BgpsecPathCheck::TooManySignatureBlocks, Reason::TooManySignatureBlocks});
  cases.push_back({"SignatureBlockHeaderMissing", concat({example_secure_path(), bytes({0x00})}),
                   wire::BgpsecPathCheck::SignatureBlockTruncated,
                   Reason::SignatureBlockTruncated});
  cases.push_back(
      {"SignatureBlockLengthBelowThree", concat({example_secure_path(), bytes({0x00, 0x02, 0x01})}),
       wire::BgpsecPathCheck::SignatureBlockTruncated, Reason::SignatureBlockTruncated});
  {
    auto v = ex;
    v[15] = 0xC0;  // block length 0x00C0 overruns the attribute by one octet
    cases.push_back({"SignatureBlockOverrunsAttribute", v,
                     wire::BgpsecPathCheck::SignatureBlockTruncated,
                     Reason::SignatureBlockTruncated});
  }
  // #3: the attribute must be consumed exactly; one stray octet is a truncated third block.
  cases.push_back({"LeftoverOctetAfterBlocks", concat({ex, bytes({0x00})}),
                   wire::BgpsecPathCheck::SignatureBlockTruncated,
                   Reason::SignatureBlockTruncated});
  cases.push_back(
      {"SignatureSegmentShorterThanSkiAndLength",
       concat({one_segment_secure_path(), bytes({0x00, 0x10, 0x01}), base::Bytes(13, 0xAB)}),
       wire::BgpsecPathCheck::SignatureSegmentTruncated, Reason::SignatureSegmentTruncated});
  // #5: Signature Length >= 1 and inside its block.
  cases.push_back(
      {"SignatureLengthZero",
       concat({one_segment_secure_path(), bytes({0x00, 0x19, 0x01}), ski, bytes({0x00, 0x00})}),
       wire::BgpsecPathCheck::SignatureLength, Reason::SignatureLength});
  cases.push_back({"SignatureOverrunsBlock",
                   concat({one_segment_secure_path(), bytes({0x00, 0x1A, 0x01}), ski,
                           bytes({0x00, 0x02, 0x30})}),
                   wire::BgpsecPathCheck::SignatureLength, Reason::SignatureLength});
  {
    // #4 and §7 matrix row "Signature_Block with one Signature_Segment removed (and lengths
    // fixed)": the encoder recomputes every length.
    auto path = testing::example_path(0);
    path.blocks[0].segments.pop_back();
    cases.push_back({"OneSignatureSegmentRemoved", encode(path),
                     wire::BgpsecPathCheck::SegmentCountMismatch, Reason::SegmentCountMismatch});
  }
  {
    // #4: every block is checked completely, also a second one of another suite.
    auto path = testing::example_path(0);
    auto second = path.blocks[0];
    second.suite = kToySuite;
    second.segments.pop_back();
    path.blocks.push_back(second);
    cases.push_back({"SecondBlockMissesASegment", encode(path),
                     wire::BgpsecPathCheck::SegmentCountMismatch, Reason::SegmentCountMismatch});
  }
  // #13: two blocks of one suite.
  cases.push_back({"TwoBlocksOfOneSuite", concat({ex, example_block(1)}),
                   wire::BgpsecPathCheck::DuplicateSuite, Reason::DuplicateSuite});
  return cases;
}

class ValidatorWireCheck : public ::testing::TestWithParam<WireCase> {};

TEST_P(ValidatorWireCheck, Rfc8205Sec5_2_DecodeErrorIsTreatAsWithdraw) {
  const auto& c = GetParam();
  const auto decoded = wire::decode_bgpsec_path(c.value);
  ASSERT_FALSE(decoded.has_value()) << base::to_hex(c.value);
  EXPECT_EQ(decoded.error().action, base::Action::TreatAsWithdraw);
  EXPECT_EQ(decoded.error().detail, static_cast<std::uint16_t>(c.check))
      << decoded.error().what << " for " << base::to_hex(c.value);
  EXPECT_EQ(reason_from_check(c.check), c.reason);
  expect_treat_as_withdraw(validation_from_wire_error(decoded.error()), c.reason);
}

INSTANTIATE_TEST_SUITE_P(Codec, ValidatorWireCheck, ::testing::ValuesIn(wire_cases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ValidatorWire, EveryCodecCheckHasItsOwnMalformedReason) {
  std::set<Reason> seen;
  constexpr auto kLastCheck = wire::BgpsecPathCheck::AttributeFlags;
  for (std::uint16_t c = 1; c <= static_cast<std::uint16_t>(kLastCheck); ++c) {
    const auto reason = reason_from_check(static_cast<wire::BgpsecPathCheck>(c));
    EXPECT_TRUE(is_malformed(reason)) << c;
    EXPECT_NE(reason, Reason::Malformed) << c;
    seen.insert(reason);
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kLastCheck));
}

TEST(ValidatorWire, UnknownDetailIsMalformedAndKeepsTheCodecsAction) {
  base::WireError e;
  e.action = base::Action::TreatAsWithdraw;
  e.detail = 999;
  expect_treat_as_withdraw(validation_from_wire_error(e), Reason::Malformed);
  EXPECT_EQ(reason_from_check(wire::BgpsecPathCheck::None), Reason::Malformed);
}

// #1: BGPsec_PATH is optional non-transitive (RFC 8205 §3). Other flags are treat-as-withdraw
// (RFC 7606 §3(c)) with their own check and Reason. The attribute walker finds them, before
// the BGPsec_PATH codec.
base::Result<wire::PathAttributes, base::WireError> decode_example_with_flags(std::uint8_t flags) {
  wire::DecodeContext ctx;
  ctx.bgpsec.receive_ipv4 = true;
  base::ByteWriter w;
  wire::put_attribute(flags, wire::kAttrBgpsecPath, example_value(0), w);
  return wire::decode_path_attributes(w.bytes(), ctx);
}

void expect_attribute_flags_error(std::uint8_t flags) {
  const auto decoded = decode_example_with_flags(flags);
  ASSERT_FALSE(decoded.has_value()) << "flags " << int{flags};
  EXPECT_EQ(decoded.error().action, base::Action::TreatAsWithdraw);
  EXPECT_EQ(decoded.error().code, base::notify::kUpdateMessageError);
  EXPECT_EQ(decoded.error().subcode, 4);  // Attribute Flags Error (RFC 4271 §6.3)
  EXPECT_EQ(decoded.error().detail,
            static_cast<std::uint16_t>(wire::BgpsecPathCheck::AttributeFlags));
  expect_treat_as_withdraw(validation_from_wire_error(decoded.error()), Reason::AttributeFlags);
}

TEST(ValidatorWire, Check1_OptionalNonTransitiveFlagsAreAccepted) {
  EXPECT_TRUE(decode_example_with_flags(0x90).has_value());  // Optional + Extended Length
  EXPECT_TRUE(decode_example_with_flags(0xB0).has_value());  // Partial is not checked
}

TEST(ValidatorWire, Check1_TransitiveFlagIsTreatAsWithdraw) {
  expect_attribute_flags_error(0xD0);  // Optional + Transitive + Extended Length
}

TEST(ValidatorWire, Check1_MissingOptionalFlagIsTreatAsWithdraw) {
  expect_attribute_flags_error(0x10);  // well-known (Optional clear), Extended Length
  expect_attribute_flags_error(0x50);  // well-known transitive, Extended Length
}

TEST(ValidatorWire, Check1_OtherAttributesFlagErrorsCarryNoBgpsecCheck) {
  wire::DecodeContext ctx;
  base::ByteWriter w;
  wire::put_attribute(0xC0, wire::kAttrMultiExitDisc, bytes({0, 0, 0, 7}),
                      w);  // MED marked transitive
  const auto decoded = wire::decode_path_attributes(w.bytes(), ctx);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().subcode, 4);
  EXPECT_EQ(decoded.error().detail, 0U);
}

// ===== the same structure on values not produced by the decoder =====

TEST(ValidatorStructure, BuiltValuesGetTheStructuralChecksToo) {
  const auto good = testing::example_path(0);
  const auto route = route_for(testing::example_prefix(0));
  const auto peer = example_peer();
  ASSERT_FALSE(check_path(good, route, peer).has_value());

  auto no_segment = good;
  no_segment.secure_path.clear();
  for (auto& b : no_segment.blocks) {
    b.segments.clear();
  }
  expect_treat_as_withdraw(*check_path(no_segment, route, peer), Reason::SecurePathLength);

  auto no_block = good;
  no_block.blocks.clear();
  expect_treat_as_withdraw(*check_path(no_block, route, peer), Reason::NoSignatureBlock);

  auto three = good;
  three.blocks.push_back(good.blocks[0]);
  three.blocks.push_back(good.blocks[0]);
  three.blocks[1].suite = 2;
  three.blocks[2].suite = 3;
  expect_treat_as_withdraw(*check_path(three, route, peer), Reason::TooManySignatureBlocks);

  auto mismatch = good;
  mismatch.blocks[0].segments.pop_back();
  expect_treat_as_withdraw(*check_path(mismatch, route, peer), Reason::SegmentCountMismatch);

  auto empty_sig = good;
  empty_sig.blocks[0].segments[1].signature.clear();
  const auto v = check_path(empty_sig, route, peer);
  expect_treat_as_withdraw(*v, Reason::SignatureLength);
  EXPECT_EQ(v->failed_segment, 1);

  auto duplicate = good;
  duplicate.blocks.push_back(good.blocks[0]);
  expect_treat_as_withdraw(*check_path(duplicate, route, peer), Reason::DuplicateSuite);
}

TEST(ValidatorStructure, DeferredVerificationRefusesAMalformedValue) {
  auto path = testing::example_path(0);
  path.blocks[0].segments.pop_back();
  const auto keys = testing::example_keys();
  const RecordingVerifier verifier;
  const Validator validator(keys, verifier);
  expect_treat_as_withdraw(
      validator.verify_signatures(path, testing::example_prefix(0), base::kSafiUnicast, kAs65537),
      Reason::SegmentCountMismatch);
  EXPECT_TRUE(verifier.suites().empty());
  EXPECT_EQ(keys.lookups(), 0U);
}

// ===== protocol checks #6 - #12 (no keys, no crypto) =====

class ValidatorProtocol : public ::testing::Test {
 protected:
  // Runs the full validator and checks that the failure came before any key lookup or crypto.
  PathValidation run(const wire::BgpsecPath& path, const RouteContext& route,
                     const PeerContext& peer) {
    const Validator validator(keys_, verifier_);
    auto v = validator.validate(path, route, peer);
    if (v.treat_as_withdraw()) {
      EXPECT_EQ(keys_.lookups(), 0U);
      EXPECT_TRUE(verifier_.suites().empty());
    }
    return v;
  }
  TestKeyTable keys_ = testing::example_keys();
  RecordingVerifier verifier_;
  wire::BgpsecPath path_ = testing::example_path(0);
  RouteContext route_ = route_for(testing::example_prefix(0));
  PeerContext peer_ = example_peer();
};

TEST_F(ValidatorProtocol, Check6_AsPathAlongsideBgpsecPath) {
  route_.as_path_present = true;
  expect_treat_as_withdraw(run(path_, route_, peer_), Reason::AsPathAlsoPresent);
}

TEST_F(ValidatorProtocol, Check7_BgpsecReceiveNotNegotiated) {
  peer_.bgpsec_receive_negotiated = false;
  expect_treat_as_withdraw(run(path_, route_, peer_), Reason::BgpsecNotNegotiated);
}

TEST_F(ValidatorProtocol, Check8_MostRecentAsIsNotTheEbgpPeer) {
  peer_.peer_as = base::Asn(65538);
  const auto v = run(path_, route_, peer_);
  expect_treat_as_withdraw(v, Reason::PeerAsMismatch);
  EXPECT_EQ(v.failed_segment, 0);
}

TEST_F(ValidatorProtocol, Check8_AppliesToConfedEbgpPeers) {
  peer_.peer_as = base::Asn(65538);
  peer_.relation = PeerRelation::ConfedEbgp;
  peer_.confederation_id = base::Asn(64999);
  expect_treat_as_withdraw(run(path_, route_, peer_), Reason::PeerAsMismatch);
}

TEST_F(ValidatorProtocol, Check8_NotAppliedToIbgpPeers) {
  // An iBGP peer passes the attribute on unchanged: the newest AS is not its own.
  peer_.peer_as = kAs65537;
  peer_.relation = PeerRelation::Ibgp;
  expect_valid(run(path_, route_, peer_));
}

TEST_F(ValidatorProtocol, Check9_PcountZeroFromAnOrdinaryEbgpPeer) {
  path_.secure_path[0].pcount = 0;
  const auto v = run(path_, route_, peer_);
  expect_treat_as_withdraw(v, Reason::PcountZeroNotAllowed);
  EXPECT_EQ(v.failed_segment, 0);
}

TEST_F(ValidatorProtocol, Check10_ConfedSegmentFromAnEbgpPeer) {
  path_.secure_path[0].flags = wire::kConfedSegmentFlag;
  expect_treat_as_withdraw(run(path_, route_, peer_), Reason::ConfedSegmentFromOutside);
}

TEST_F(ValidatorProtocol, Check10_ConfedSegmentFromAnIbgpPeerOutsideAnyConfederation) {
  path_.secure_path[1].flags = wire::kConfedSegmentFlag;
  peer_.relation = PeerRelation::Ibgp;
  const auto v = run(path_, route_, peer_);
  expect_treat_as_withdraw(v, Reason::ConfedSegmentFromOutside);
  EXPECT_EQ(v.failed_segment, 1);
}

TEST_F(ValidatorProtocol, Check10_ConfedSegmentsNotAtTheMostRecentEnd) {
  wire::BgpsecPath path;
  path.secure_path = {{1, wire::kConfedSegmentFlag, kAs65536},
                      {1, 0, base::Asn(65100)},
                      {1, wire::kConfedSegmentFlag, kAs64496}};
  path.blocks.push_back(wire::SignatureBlock{
      wire::kAlgorithmSuite1, std::vector<wire::SignatureSegment>(3, {base::Ski(), {0x30}})});
  peer_.relation = PeerRelation::ConfedEbgp;
  peer_.confederation_id = base::Asn(64999);
  const auto v = run(path, route_, peer_);
  expect_treat_as_withdraw(v, Reason::ConfedSegmentsNotContiguous);
  EXPECT_EQ(v.failed_segment, 2);
}

TEST_F(ValidatorProtocol, Check10_ConfedMemberPeerSegmentWithoutConfedFlag) {
  peer_.relation = PeerRelation::ConfedEbgp;
  peer_.confederation_id = base::Asn(64999);
  const auto v = run(path_, route_, peer_);
  expect_treat_as_withdraw(v, Reason::ConfedFlagMissing);
  EXPECT_EQ(v.failed_segment, 0);
}

TEST_F(ValidatorProtocol, Check11_MoreThanOnePrefix) {
  route_.prefix_count = 2;
  expect_treat_as_withdraw(run(path_, route_, peer_), Reason::MoreThanOnePrefix);
}

TEST_F(ValidatorProtocol, Check11_PrefixInTheClassicNlriField) {
  route_.prefix_in_mp_reach = false;
  expect_treat_as_withdraw(run(path_, route_, peer_), Reason::PrefixNotInMpReach);
}

TEST_F(ValidatorProtocol, Check12_AfiNotOneOrTwo) {
  route_.afi = 3;
  expect_treat_as_withdraw(run(path_, route_, peer_), Reason::UnsupportedAfiSafi);
}

TEST_F(ValidatorProtocol, Check12_AfiDisagreesWithThePrefix) {
  route_.afi = 2;  // IPv4 prefix announced under AFI 2
  expect_treat_as_withdraw(run(path_, route_, peer_), Reason::UnsupportedAfiSafi);
}

TEST_F(ValidatorProtocol, Check12_SafiNotUnicast) {
  route_.safi = 2;
  expect_treat_as_withdraw(run(path_, route_, peer_), Reason::UnsupportedAfiSafi);
}

TEST_F(ValidatorProtocol, Check14_UnknownSuiteIsNotAnError) {
  path_.blocks[0].suite = kUnknownSuite;
  const auto v = run(path_, route_, peer_);
  EXPECT_EQ(v.state, PathState::Unverifiable);
  EXPECT_EQ(v.reason, Reason::NoSupportedSuite);
  EXPECT_FALSE(v.action.has_value());
  EXPECT_FALSE(is_malformed(v.reason));
}

TEST_F(ValidatorProtocol, CheckPathAloneAcceptsTheExample) {
  EXPECT_FALSE(check_path(path_, route_, peer_).has_value());
  EXPECT_EQ(keys_.lookups(), 0U);
}

// ===== RFC 8205 §5.2 test matrix (RFC 8608 example, validator AS 65537) =====

class ValidatorMatrixExample : public ::testing::TestWithParam<std::size_t> {};

TEST_P(ValidatorMatrixExample, Row1_UnmodifiedExampleIsValid) {
  const auto keys = testing::example_keys();
  const Validator validator(keys);
  const auto v = validator.validate(testing::example_path(GetParam()),
                                    route_for(testing::example_prefix(GetParam())), example_peer());
  expect_valid(v);
  EXPECT_EQ(v.block_suite, wire::kAlgorithmSuite1);
  EXPECT_EQ(v.signatures_checked, 2U);
}

// Appendix A: each of the four published signatures verifies over its published octets with
// its AS's key, and all of them are high-S (the verifier must not normalise).
TEST_P(ValidatorMatrixExample, Rfc8608AppendixA_EachSignatureVerifies) {
  const auto& ex = test_vectors::example(GetParam());
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& sig = ex.at("signatures").at(i);
    // signatures[0] is AS 65536's (router_keys[1]), signatures[1] the origin's (router_keys[0]).
    const crypto::PublicKey keys[] = {testing::example_private_key(1 - i).public_key()};
    EXPECT_EQ(keys[0].ski().to_hex(), sig.at("ski").get<std::string>());
    const auto signed_data = test_vectors::field(sig, "signed_data");
    const auto signature = test_vectors::field(sig, "signature_der");
    EXPECT_TRUE(verify_suite1(VerifyJob{signed_data, signature, keys})) << "signature " << i;
    auto tampered = signed_data;
    tampered.back() ^= 0x01;
    EXPECT_FALSE(verify_suite1(VerifyJob{tampered, signature, keys})) << "signature " << i;
  }
  // The origin's signature alone, as AS 65536 validates it (target AS 65536).
  auto origin_only = testing::example_path(GetParam());
  origin_only.secure_path.erase(origin_only.secure_path.begin());
  origin_only.blocks[0].segments.erase(origin_only.blocks[0].segments.begin());
  const auto keys = testing::example_keys();
  const Validator validator(keys);
  expect_valid(validator.validate(origin_only, route_for(testing::example_prefix(GetParam())),
                                  ebgp_peer(kAs65536, kAs64496)));
}

INSTANTIATE_TEST_SUITE_P(Ipv4AndIpv6, ValidatorMatrixExample, ::testing::Values(0U, 1U));

TEST(ValidatorMatrix, Row2_ValidatorAsNot65537IsNotValidAtTheNewestSignature) {
  const auto keys = testing::example_keys();
  const Validator validator(keys);
  const auto v = validator.validate(testing::example_path(0), route_for(testing::example_prefix(0)),
                                    ebgp_peer(base::Asn(65538), kAs65536));
  expect_not_valid(v, Reason::SignatureInvalid, 0);
  EXPECT_EQ(v.signatures_checked, 1U);  // stopped at the first (newest) failure
}

TEST(ValidatorMatrix, Row3_KeyFor65536MissingIsNotValidWithoutCrypto) {
  auto keys = testing::example_keys();
  const auto transit = testing::example_private_key(1).public_key();
  keys.remove(kAs65536, transit.ski());
  const RecordingVerifier verifier;
  const Validator validator(keys, verifier);
  const auto v = validator.validate(testing::example_path(0), route_for(testing::example_prefix(0)),
                                    example_peer());
  expect_not_valid(v, Reason::KeyNotFound, 0);
  EXPECT_EQ(v.missing_key_asn, kAs65536);
  EXPECT_EQ(v.missing_key_ski, transit.ski());
  EXPECT_EQ(v.signatures_checked, 0U);
  EXPECT_TRUE(verifier.suites().empty());
}

TEST(ValidatorMatrix, Row4_UnrelatedKeyWithTheSameSkiUnderAnotherAsStillValid) {
  auto keys = testing::example_keys();
  const auto transit = testing::example_private_key(1).public_key();
  // rtrlib "duplicate_record": the same SKI registered for AS 64497 with another key.
  keys.add(base::Asn(64497), transit.ski(), generated_signer().key().public_key());
  const Validator validator(keys);
  expect_valid(validator.validate(testing::example_path(0), route_for(testing::example_prefix(0)),
                                  example_peer()));
}

TEST(ValidatorMatrix, Row4_KeysMatchOnAsAndSki) {
  // The transit key certified for another AS only: not a candidate for AS 65536's signature.
  TestKeyTable keys;
  keys.add(kAs64496, testing::example_private_key(0).public_key());
  keys.add(base::Asn(64497), testing::example_private_key(1).public_key());
  const Validator validator(keys);
  const auto v = validator.validate(testing::example_path(0), route_for(testing::example_prefix(0)),
                                    example_peer());
  expect_not_valid(v, Reason::KeyNotFound, 0);
  EXPECT_EQ(v.missing_key_asn, kAs65536);
}

TEST(ValidatorMatrix, Row5_LastByteOfOriginSignatureChangedIsNotValid) {
  auto path = testing::example_path(0);
  path.blocks[0].segments[1].signature.back() ^= 0x01;
  const auto keys = testing::example_keys();
  const Validator validator(keys);
  const auto v = validator.validate(path, route_for(testing::example_prefix(0)), example_peer());
  // The newest signature covers the origin's Signature_Segment (RFC 8205 §4.2), so it is the
  // newest failing one.
  expect_not_valid(v, Reason::SignatureInvalid, 0);
}

TEST(ValidatorMatrix, Row6_SecurePathLength0x000FIsTreatAsWithdraw) {
  auto value = example_value(0);
  value[0] = 0x00;
  value[1] = 0x0F;
  const auto decoded = wire::decode_bgpsec_path(value);
  ASSERT_FALSE(decoded.has_value());
  expect_treat_as_withdraw(validation_from_wire_error(decoded.error()), Reason::SecurePathLength);
}

TEST(ValidatorMatrix, Row7_OneSignatureSegmentRemovedIsTreatAsWithdraw) {
  auto path = testing::example_path(0);
  path.blocks[0].segments.erase(path.blocks[0].segments.begin());
  const auto value = encode(path);
  EXPECT_EQ(value.size(), example_value(0).size() - (base::Ski::kSize + 2 + 72));
  const auto decoded = wire::decode_bgpsec_path(value);
  ASSERT_FALSE(decoded.has_value());
  expect_treat_as_withdraw(validation_from_wire_error(decoded.error()),
                           Reason::SegmentCountMismatch);
}

TEST(ValidatorMatrix, Row8_AsPathAttributeAddedIsTreatAsWithdraw) {
  // ORIGIN, AS_PATH (AS_SEQUENCE 65536 64496) and BGPsec_PATH: the attribute list itself
  // decodes; the validator sees both paths and withdraws.
  base::ByteWriter attrs;
  attrs.put_bytes(bytes({0x40, 0x01, 0x01, 0x00}));
  attrs.put_bytes(
      bytes({0x40, 0x02, 0x0A, 0x02, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xFB, 0xF0}));
  wire::put_attribute(wire::kBgpsecPathFlags, wire::kAttrBgpsecPath, example_value(0), attrs);
  wire::DecodeContext ctx;
  ctx.bgpsec.receive_ipv4 = true;
  const auto decoded = wire::decode_path_attributes(attrs.bytes(), ctx);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().what;
  ASSERT_TRUE(decoded->bgpsec_path.has_value());
  auto route = route_for(testing::example_prefix(0));
  route.as_path_present = decoded->as_path.has_value();
  const auto keys = testing::example_keys();
  const Validator validator(keys);
  expect_treat_as_withdraw(validator.validate(*decoded->bgpsec_path, route, example_peer()),
                           Reason::AsPathAlsoPresent);
}

TEST(ValidatorMatrix, Row9_SuiteChangedTo2InTheOnlyBlockIsUnverifiable) {
  auto value = example_value(0);
  value[16] = 0x02;  // the suite octet; the block is still well formed
  const auto decoded = wire::decode_bgpsec_path(value);
  ASSERT_TRUE(decoded.has_value());
  const auto keys = testing::example_keys();
  const RecordingVerifier verifier;
  const Validator validator(keys, verifier);
  const auto v =
      validator.validate(*decoded, route_for(testing::example_prefix(0)), example_peer());
  EXPECT_EQ(v.state, PathState::Unverifiable);
  EXPECT_EQ(v.reason, Reason::NoSupportedSuite);
  EXPECT_FALSE(v.action.has_value());
  EXPECT_EQ(v.signatures_checked, 0U);
  EXPECT_TRUE(verifier.suites().empty());
  // RFC 8205 §5.2: the route goes on unsigned with the rebuilt AS_PATH.
  const wire::AsPath expected{{{wire::AsPathSegmentType::AsSequence, {kAs65536, kAs64496}}}};
  EXPECT_EQ(rebuild_as_path(decoded->secure_path), expected);
}

// ===== signatures of generated keys =====

class ValidatorHops : public ::testing::TestWithParam<std::size_t> {};

TEST_P(ValidatorHops, SignedWithGeneratedKeysIsValid) {
  const testing::SignedChain chain(GetParam());
  TestKeyTable keys;
  chain.register_keys(keys);
  const auto p = prefix("203.0.113.0/24");
  const auto path = chain.sign(p);
  ASSERT_EQ(path.secure_path.size(), GetParam());
  const Validator validator(keys);
  const auto v = validator.validate(path, route_for(p),
                                    ebgp_peer(chain.receiver(), chain.as_of(GetParam() - 1)));
  expect_valid(v);
  EXPECT_EQ(v.signatures_checked, GetParam());
  EXPECT_EQ(keys.lookups(), GetParam());
}

INSTANTIATE_TEST_SUITE_P(OneTwoThree, ValidatorHops, ::testing::Values(1U, 2U, 3U));

class ValidatorSigned : public ::testing::Test {
 protected:
  ValidatorSigned() { chain_.register_keys(keys_); }
  PathValidation run(const wire::BgpsecPath& path) const {
    const Validator validator(keys_, verifier_);
    return validator.validate(path, route_for(prefix_), peer_);
  }
  const testing::SignedChain chain_{3};
  const base::Prefix prefix_ = prefix("2001:db8:1::/48");
  const wire::BgpsecPath path_ = chain_.sign(prefix_);
  TestKeyTable keys_;
  RecordingVerifier verifier_;
  PeerContext peer_ = ebgp_peer(chain_.receiver(), chain_.as_of(2));
};

TEST_F(ValidatorSigned, WrongTargetAs) {
  peer_.own_as = base::Asn(64500);
  const auto v = run(path_);
  expect_not_valid(v, Reason::SignatureInvalid, 0);
  EXPECT_EQ(v.signatures_checked, 1U);
}

TEST_F(ValidatorSigned, OtherPrefix) {
  const Validator validator(keys_);
  expect_not_valid(validator.validate(path_, route_for(prefix("2001:db8:2::/48")), peer_),
                   Reason::SignatureInvalid, 0);
  // Same address, other length: the NLRI length octet is signed too.
  expect_not_valid(validator.validate(path_, route_for(prefix("2001:db8:1::/56")), peer_),
                   Reason::SignatureInvalid, 0);
}

TEST_F(ValidatorSigned, TamperedNewestSignature) {
  auto path = path_;
  path.blocks[0].segments[0].signature.back() ^= 0x01;
  expect_not_valid(run(path), Reason::SignatureInvalid, 0);
}

TEST_F(ValidatorSigned, TamperedSkiFindsNoKeyAndNeedsNoCrypto) {
  auto path = path_;
  auto ski = path.blocks[0].segments[1].ski.bytes();
  ski[0] ^= 0x01;
  path.blocks[0].segments[1].ski = base::Ski(ski);
  const auto v = run(path);
  expect_not_valid(v, Reason::KeyNotFound, 1);
  EXPECT_EQ(v.missing_key_asn, chain_.as_of(1));
  EXPECT_EQ(v.missing_key_ski, base::Ski(ski));
  EXPECT_EQ(v.signatures_checked, 0U);
  EXPECT_TRUE(verifier_.suites().empty());
}

TEST_F(ValidatorSigned, TamperedPcount) {
  auto path = path_;
  path.secure_path[1].pcount = 2;  // covered by the signatures of segments 1 and 0
  expect_not_valid(run(path), Reason::SignatureInvalid, 0);
}

TEST_F(ValidatorSigned, TamperedFlags) {
  auto path = path_;
  path.secure_path[0].flags = 0x01;  // an unassigned bit: not a confed segment, but signed
  expect_not_valid(run(path), Reason::SignatureInvalid, 0);
}

TEST_F(ValidatorSigned, MissingOlderKeyStopsBeforeAnyCrypto) {
  keys_.remove(chain_.as_of(0), chain_.signer(0).ski());
  const auto v = run(path_);
  expect_not_valid(v, Reason::KeyNotFound, 2);
  EXPECT_EQ(v.missing_key_asn, chain_.as_of(0));
  EXPECT_EQ(v.signatures_checked, 0U);
  EXPECT_EQ(verifier_.checked(), 0U);
  EXPECT_TRUE(verifier_.suites().empty());
}

TEST_F(ValidatorSigned, SeveralKeysPerSkiOnlyTheSecondVerifies) {
  TestKeyTable keys;
  for (std::size_t i = 0; i < 3; ++i) {
    keys.add(chain_.as_of(i), chain_.signer(i).ski(), generated_signer().key().public_key());
  }
  {
    const Validator validator(keys);
    expect_not_valid(validator.validate(path_, route_for(prefix_), peer_), Reason::SignatureInvalid,
                     0);
  }
  chain_.register_keys(keys);  // the right keys come second under the same (AS, SKI)
  const Validator validator(keys);
  expect_valid(validator.validate(path_, route_for(prefix_), peer_));
}

TEST_F(ValidatorSigned, NewestToOldestReportsTheNewestFailingSignature) {
  // Wrong keys for segments 1 and 2 (same SKIs): the walk from the newest stops at 1.
  TestKeyTable keys;
  chain_.register_keys(keys);
  for (std::size_t i = 0; i < 2; ++i) {
    keys.remove(chain_.as_of(i), chain_.signer(i).ski());
    keys.add(chain_.as_of(i), chain_.signer(i).ski(), generated_signer().key().public_key());
  }
  const Validator validator(keys);
  const auto v = validator.validate(path_, route_for(prefix_), peer_);
  expect_not_valid(v, Reason::SignatureInvalid, 1);
  EXPECT_EQ(v.signatures_checked, 2U);
}

TEST_F(ValidatorSigned, OnlyTheOriginSignatureWrong) {
  // The origin signs towards the wrong Target AS; the newer signatures are fine, so the walk
  // reaches the origin and reports it.
  const auto origin = generated_signer();
  const auto transit = generated_signer();
  TestKeyTable keys;
  keys.add(base::Asn(65001), origin.key().public_key());
  keys.add(base::Asn(65002), transit.key().public_key());
  const auto path = PathBuilder(prefix_)
                        .add(Hop{base::Asn(65001), base::Asn(65009), 1, false}, {&origin})
                        .add(Hop{base::Asn(65002), base::Asn(65003), 1, false}, {&transit})
                        .path();
  const Validator validator(keys);
  const auto v =
      validator.validate(path, route_for(prefix_), ebgp_peer(base::Asn(65003), base::Asn(65002)));
  expect_not_valid(v, Reason::SignatureInvalid, 1);
  EXPECT_EQ(v.signatures_checked, 2U);
}

// ===== high-S signatures (as in RFC 8608 Appendix A: must be accepted) =====

using Scalar = std::array<std::uint8_t, 32>;
// P-256 group order n and (n - 1) / 2 (FIPS 186-4 D.1.2.3).
constexpr Scalar kP256Order = {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
                               0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17,
                               0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};
constexpr Scalar kP256HalfOrder = {0x7F, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF,
                                   0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xDE, 0x73, 0x7D, 0x56, 0xD3, 0x8B,
                                   0xCF, 0x42, 0x79, 0xDC, 0xE5, 0x61, 0x7E, 0x31, 0x92, 0xA8};

// One DER INTEGER of at most 32 value octets (after a leading 0x00) into a 32-octet scalar.
bool read_der_integer(base::ByteReader& r, Scalar& out) {
  std::uint8_t tag = 0;
  std::uint8_t len = 0;
  std::span<const std::uint8_t> value;
  if (!r.read_u8(tag) || tag != 0x02 || !r.read_u8(len) || !r.read_bytes(len, value)) {
    return false;
  }
  while (!value.empty() && value.front() == 0) {
    value = value.subspan(1);
  }
  if (value.size() > out.size()) {
    return false;
  }
  out.fill(0);
  std::copy(value.begin(), value.end(), out.end() - static_cast<std::ptrdiff_t>(value.size()));
  return true;
}

bool parse_signature(const base::Bytes& der, Scalar& r, Scalar& s) {
  base::ByteReader reader(der);
  std::uint8_t tag = 0;
  std::uint8_t len = 0;
  base::ByteReader body;
  return reader.read_u8(tag) && tag == 0x30 && reader.read_u8(len) && reader.sub(len, body) &&
         reader.empty() && read_der_integer(body, r) && read_der_integer(body, s) && body.empty();
}

void write_der_integer(const Scalar& v, base::ByteWriter& out) {
  std::size_t first = 0;
  while (first + 1 < v.size() && v[first] == 0) {
    ++first;
  }
  const bool pad = (v[first] & 0x80) != 0;  // DER INTEGER is signed: keep it positive
  out.put_u8(0x02);
  out.put_u8(static_cast<std::uint8_t>(v.size() - first + (pad ? 1 : 0)));
  if (pad) {
    out.put_u8(0x00);
  }
  out.put_bytes(std::span<const std::uint8_t>(v).subspan(first));
}

base::Bytes encode_signature(const Scalar& r, const Scalar& s) {
  base::ByteWriter out;
  out.put_u8(0x30);
  const auto len = out.reserve_u8();
  write_der_integer(r, out);
  write_der_integer(s, out);
  out.fill_u8(len, static_cast<std::uint8_t>(out.since(len, 1)));
  return out.take();
}

// n - s, big-endian with borrow.
Scalar order_minus(const Scalar& s) {
  Scalar out{};
  int borrow = 0;
  for (std::size_t i = s.size(); i-- > 0;) {
    int d = kP256Order[i] - s[i] - borrow;
    borrow = d < 0 ? 1 : 0;
    out[i] = static_cast<std::uint8_t>(d + (borrow != 0 ? 256 : 0));
  }
  return out;
}

bool is_high_s(const Scalar& s) { return s > kP256HalfOrder; }

TEST(ValidatorHighS, Rfc8608ExampleSignaturesAreHighSAndVerify) {
  const auto path = testing::example_path(0);
  for (const auto& seg : path.blocks[0].segments) {
    Scalar r{};
    Scalar s{};
    ASSERT_TRUE(parse_signature(seg.signature, r, s)) << base::to_hex(seg.signature);
    EXPECT_TRUE(is_high_s(s));
    EXPECT_EQ(encode_signature(r, s), seg.signature);  // the DER helpers round-trip
  }
  const auto keys = testing::example_keys();
  const Validator validator(keys);
  expect_valid(validator.validate(path, route_for(testing::example_prefix(0)), example_peer()));
}

TEST(ValidatorHighS, BothSOfOneSignatureAreAccepted) {
  // (r, s) and (r, n - s) are both valid ECDSA signatures; one of them is high-S.
  const auto origin = generated_signer();
  TestKeyTable keys;
  keys.add(base::Asn(65001), origin.key().public_key());
  const auto p = prefix("198.51.100.0/24");
  auto path =
      PathBuilder(p).add(Hop{base::Asn(65001), base::Asn(65002), 1, false}, {&origin}).path();
  Scalar r{};
  Scalar s{};
  ASSERT_TRUE(parse_signature(path.blocks[0].segments[0].signature, r, s));
  const Scalar flipped = order_minus(s);
  EXPECT_NE(is_high_s(s), is_high_s(flipped));
  const Validator validator(keys);
  const auto peer = ebgp_peer(base::Asn(65002), base::Asn(65001));
  expect_valid(validator.validate(path, route_for(p), peer));
  path.blocks[0].segments[0].signature = encode_signature(r, flipped);
  expect_valid(validator.validate(path, route_for(p), peer));
  // Control: s + 1 instead of n - s fails.
  Scalar bumped = flipped;
  for (std::size_t i = bumped.size(); i-- > 0;) {
    if (++bumped[i] != 0) {
      break;
    }
  }
  path.blocks[0].segments[0].signature = encode_signature(r, bumped);
  expect_not_valid(validator.validate(path, route_for(p), peer), Reason::SignatureInvalid, 0);
}

// ===== pCount 0 (RFC 8205 §7.2: transparent route servers) =====

class ValidatorRouteServer : public ::testing::Test {
 protected:
  ValidatorRouteServer() {
    keys_.add(base::Asn(65001), origin_.key().public_key());
    keys_.add(base::Asn(65010), server_.key().public_key());
    keys_.add(base::Asn(65002), transit_.key().public_key());
  }
  const PrivateKeySigner origin_ = generated_signer();
  const PrivateKeySigner server_ = generated_signer();
  const PrivateKeySigner transit_ = generated_signer();
  const base::Prefix prefix_ = prefix("192.0.2.0/24");
  TestKeyTable keys_;
};

TEST_F(ValidatorRouteServer, PcountZeroAcceptedOnlyFromAConfiguredRouteServer) {
  // AS 65001 -> route server AS 65010 (pCount 0) -> AS 65003.
  const auto path = PathBuilder(prefix_)
                        .add(Hop{base::Asn(65001), base::Asn(65010), 1, false}, {&origin_})
                        .add(Hop{base::Asn(65010), base::Asn(65003), 0, false}, {&server_})
                        .path();
  const Validator validator(keys_);
  auto peer = ebgp_peer(base::Asn(65003), base::Asn(65010));
  // Check #8 holds: the route server's segment carries its AS.
  expect_treat_as_withdraw(validator.validate(path, route_for(prefix_), peer),
                           Reason::PcountZeroNotAllowed);
  peer.peer_is_transparent_route_server = true;
  expect_valid(validator.validate(path, route_for(prefix_), peer));
}

TEST_F(ValidatorRouteServer, OlderPcountZeroNeedsNoConfiguration) {
  // The route server's segment is not the most recent one: the peer is an ordinary AS.
  const auto path = PathBuilder(prefix_)
                        .add(Hop{base::Asn(65001), base::Asn(65010), 1, false}, {&origin_})
                        .add(Hop{base::Asn(65010), base::Asn(65002), 0, false}, {&server_})
                        .add(Hop{base::Asn(65002), base::Asn(65003), 1, false}, {&transit_})
                        .path();
  const Validator validator(keys_);
  expect_valid(
      validator.validate(path, route_for(prefix_), ebgp_peer(base::Asn(65003), base::Asn(65002))));
}

// ===== several Signature_Blocks (RFC 8205 §5.2) =====

class ValidatorBlocks : public ::testing::Test {
 protected:
  ValidatorBlocks() {
    keys_.add(base::Asn(65001), origin_.key().public_key());
    keys_.add(base::Asn(65002), transit_.key().public_key());
  }
  // Two hops, every hop signing with each of `providers` (per hop: suite 1 key, other).
  wire::BgpsecPath sign(bool toy_first, std::uint8_t other_suite) const {
    const testing::DummySuiteSigner origin_other(other_suite, origin_.ski());
    const testing::DummySuiteSigner transit_other(other_suite, transit_.ski());
    const SignatureProvider* o1 = &origin_;
    const SignatureProvider* o2 = &origin_other;
    const SignatureProvider* t1 = &transit_;
    const SignatureProvider* t2 = &transit_other;
    if (toy_first) {
      std::swap(o1, o2);
      std::swap(t1, t2);
    }
    return PathBuilder(prefix_)
        .add(Hop{base::Asn(65001), base::Asn(65002), 1, false}, {o1, o2})
        .add(Hop{base::Asn(65002), base::Asn(65003), 1, false}, {t1, t2})
        .path();
  }
  static std::size_t block_of(const wire::BgpsecPath& path, std::uint8_t suite) {
    return path.blocks[0].suite == suite ? 0 : 1;
  }
  PathValidation run(const wire::BgpsecPath& path, const SignatureVerifier& verifier) const {
    const Validator validator(keys_, verifier);
    return validator.validate(path, route_for(prefix_), peer_);
  }
  const PrivateKeySigner origin_ = generated_signer();
  const PrivateKeySigner transit_ = generated_signer();
  const base::Prefix prefix_ = prefix("192.0.2.0/24");
  const PeerContext peer_ = ebgp_peer(base::Asn(65003), base::Asn(65002));
  TestKeyTable keys_;
};

TEST_F(ValidatorBlocks, UnsupportedSuiteBlockIsIgnored) {
  const auto path = sign(false, kUnknownSuite);
  ASSERT_EQ(path.blocks.size(), 2U);
  const RecordingVerifier verifier;
  const auto v = run(path, verifier);
  expect_valid(v);
  EXPECT_EQ(v.block_suite, wire::kAlgorithmSuite1);
  EXPECT_EQ(verifier.suites(), std::vector<std::uint8_t>{wire::kAlgorithmSuite1});

  // A bad suite-1 block is Not Valid; the unsupported block does not make it Unverifiable.
  auto bad = path;
  bad.blocks[block_of(bad, wire::kAlgorithmSuite1)].segments[0].signature.back() ^= 0x01;
  const auto w = run(bad, verifier);
  expect_not_valid(w, Reason::SignatureInvalid, 0);
  EXPECT_EQ(w.block_suite, wire::kAlgorithmSuite1);
}

TEST_F(ValidatorBlocks, OnlyUnsupportedSuitesIsUnverifiable) {
  auto path = sign(false, kUnknownSuite);
  path.blocks.erase(path.blocks.begin() +
                    static_cast<std::ptrdiff_t>(block_of(path, wire::kAlgorithmSuite1)));
  const RecordingVerifier verifier;
  const auto v = run(path, verifier);
  EXPECT_EQ(v.state, PathState::Unverifiable);
  EXPECT_EQ(v.reason, Reason::NoSupportedSuite);
  EXPECT_FALSE(v.action.has_value());
  EXPECT_TRUE(verifier.suites().empty());
  EXPECT_EQ(keys_.lookups(), 0U);
}

TEST_F(ValidatorBlocks, CheaperBlockFirstAndStopAtTheFirstValidBlock) {
  for (const bool toy_first : {false, true}) {
    SCOPED_TRACE(toy_first ? "toy block first on the wire" : "suite-1 block first on the wire");
    const auto path = sign(toy_first, kToySuite);
    const RecordingVerifier verifier(true);
    const auto v = run(path, verifier);
    expect_valid(v);
    // 32-octet toy signatures are cheaper than ~71-octet ECDSA ones, wherever the block is.
    EXPECT_EQ(v.block_suite, kToySuite);
    EXPECT_EQ(verifier.suites(), std::vector<std::uint8_t>{kToySuite});
    EXPECT_EQ(v.signatures_checked, 2U);
  }
}

TEST_F(ValidatorBlocks, CheaperBlockNotValidThenTheOtherBlockDecides) {
  auto path = sign(false, kToySuite);
  path.blocks[block_of(path, kToySuite)].segments[1].signature[0] ^= 0x01;
  {
    const RecordingVerifier verifier(true);
    const auto v = run(path, verifier);
    expect_valid(v);
    EXPECT_EQ(v.block_suite, wire::kAlgorithmSuite1);
    EXPECT_EQ(verifier.suites(), (std::vector<std::uint8_t>{kToySuite, wire::kAlgorithmSuite1}));
    // The newest toy signature covers the origin's, so it fails first: 1 toy + 2 ECDSA.
    EXPECT_EQ(v.signatures_checked, 3U);
  }
  // Both blocks bad: the cheaper block's failure is reported.
  path.blocks[block_of(path, wire::kAlgorithmSuite1)].segments[0].signature.back() ^= 0x01;
  const RecordingVerifier verifier(true);
  const auto v = run(path, verifier);
  expect_not_valid(v, Reason::SignatureInvalid, 0);
  EXPECT_EQ(v.block_suite, kToySuite);
  EXPECT_EQ(verifier.suites(), (std::vector<std::uint8_t>{kToySuite, wire::kAlgorithmSuite1}));
}

TEST_F(ValidatorBlocks, MissingKeyInOneBlockLetsTheOtherBlockDecide) {
  auto path = sign(false, kToySuite);
  auto& toy = path.blocks[block_of(path, kToySuite)];
  auto ski = toy.segments[0].ski.bytes();
  ski[19] ^= 0xFF;
  toy.segments[0].ski = base::Ski(ski);  // the toy block's newest key cannot be found
  const RecordingVerifier verifier(true);
  const auto v = run(path, verifier);
  expect_valid(v);
  EXPECT_EQ(v.block_suite, wire::kAlgorithmSuite1);
  EXPECT_EQ(verifier.suites(), std::vector<std::uint8_t>{wire::kAlgorithmSuite1});
}

// ===== confederations (RFC 8205 §4.3) =====

// External AS 65001 -> confederation 64999 with members 65101 (edge) and 65102 -> external
// AS 65003. The edge adds the entry segment (AS 64999, pCount 0, Confed_Segment) targeting
// its Member-AS, then its own Member-AS segment towards 65102.
class ValidatorConfed : public ::testing::Test {
 protected:
  static constexpr base::Asn kExternal{65001};
  static constexpr base::Asn kConfedId{64999};
  static constexpr base::Asn kEdge{65101};
  static constexpr base::Asn kMember{65102};
  static constexpr base::Asn kReceiver{65003};

  ValidatorConfed() {
    keys_.add(kExternal, external_.key().public_key());
    // Both identities of the edge router are certified with its key.
    keys_.add(kConfedId, edge_.key().public_key());
    keys_.add(kEdge, edge_.key().public_key());
    keys_.add(kMember, member_.key().public_key());
  }
  wire::BgpsecPath inside(bool member_confed_flag = true, std::uint8_t member_pcount = 1) const {
    return PathBuilder(prefix_)
        .add(Hop{kExternal, kConfedId, 1, false}, {&external_})
        .add(Hop{kConfedId, kEdge, 0, true}, {&edge_})
        .add(Hop{kEdge, kMember, member_pcount, member_confed_flag}, {&edge_})
        .path();
  }
  PeerContext member_peer() const {
    PeerContext p;
    p.own_as = kMember;
    p.peer_as = kEdge;
    p.relation = PeerRelation::ConfedEbgp;
    p.confederation_id = kConfedId;
    return p;
  }
  PathValidation run(const wire::BgpsecPath& path, const PeerContext& peer) const {
    const Validator validator(keys_);
    return validator.validate(path, route_for(prefix_), peer);
  }
  const PrivateKeySigner external_ = generated_signer();
  const PrivateKeySigner edge_ = generated_signer();
  const PrivateKeySigner member_ = generated_signer();
  const base::Prefix prefix_ = prefix("2001:db8:ff::/48");
  TestKeyTable keys_;
};

TEST_F(ValidatorConfed, FromAnotherMemberAsIsValid) {
  const auto v = run(inside(), member_peer());
  expect_valid(v);
  EXPECT_EQ(v.signatures_checked, 3U);
}

TEST_F(ValidatorConfed, PcountZeroFromAMemberPeerNeedsNoConfiguration) {
  expect_valid(run(inside(true, 0), member_peer()));
}

TEST_F(ValidatorConfed, IbgpInsideTheMemberAsIsValid) {
  auto peer = member_peer();
  peer.relation = PeerRelation::Ibgp;
  peer.peer_as = kMember;
  expect_valid(run(inside(), peer));
}

TEST_F(ValidatorConfed, MemberSegmentWithoutConfedFlag) {
  // Without an entry segment only the missing flag is wrong.
  const auto path = PathBuilder(prefix_)
                        .add(Hop{kExternal, kEdge, 1, false}, {&external_})
                        .add(Hop{kEdge, kMember, 1, false}, {&edge_})
                        .path();
  const auto v = run(path, member_peer());
  expect_treat_as_withdraw(v, Reason::ConfedFlagMissing);
  EXPECT_EQ(v.failed_segment, 0);
  // With the entry segment below it, the confed entry segment now follows a plain one; the
  // walk from the newest end finds that first.
  const auto w = run(inside(false), member_peer());
  expect_treat_as_withdraw(w, Reason::ConfedSegmentsNotContiguous);
  EXPECT_EQ(w.failed_segment, 1);
}

TEST_F(ValidatorConfed, ConfedSegmentsFromAnExternalPeer) {
  auto peer = member_peer();
  peer.relation = PeerRelation::Ebgp;
  const auto v = run(inside(), peer);
  expect_treat_as_withdraw(v, Reason::ConfedSegmentFromOutside);
  EXPECT_EQ(v.failed_segment, 0);
}

TEST_F(ValidatorConfed, LeavingTheConfederationIsValidOutside) {
  // 65102 removes the confed segments and signs as the confederation towards 65003.
  auto stripped = remove_confed_segments(inside());
  ASSERT_EQ(stripped.secure_path.size(), 1U);
  const SignatureProvider* providers[] = {&member_};
  keys_.add(kConfedId, member_.key().public_key());
  const auto out = forward(stripped, Hop{kConfedId, kReceiver, 1, false},
                           SignedPrefix{prefix_, base::kSafiUnicast}, providers);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  const auto v = run(*out, ebgp_peer(kReceiver, kConfedId));
  expect_valid(v);
  EXPECT_EQ(v.signatures_checked, 2U);
}

TEST_F(ValidatorConfed, MemberAsTargetIsSigned) {
  // Validating inside with the confederation identifier instead of the Member-AS fails.
  auto peer = member_peer();
  peer.own_as = kConfedId;
  expect_not_valid(run(inside(), peer), Reason::SignatureInvalid, 0);
}

// ===== Reason names =====

TEST(ValidatorReason, EveryReasonHasAStableDistinctName) {
  std::set<std::string> names;
  for (int r = 0; r <= static_cast<int>(kLastReason); ++r) {
    const auto reason = static_cast<Reason>(r);
    const std::string name = reason_name(reason);
    EXPECT_NE(name, "unknown") << r;
    names.insert(name);
    // Only the §5.2 structural and protocol errors are treat-as-withdraw.
    const bool malformed = reason != Reason::Valid && reason != Reason::NoSupportedSuite &&
                           reason != Reason::KeyNotFound && reason != Reason::SignatureInvalid &&
                           reason != Reason::ServerInvalid;
    EXPECT_EQ(is_malformed(reason), malformed) << name;
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kLastReason) + 1);
  EXPECT_STREQ(reason_name(Reason::KeyNotFound), "key-not-found");
  EXPECT_STREQ(path_state_name(PathState::Unverifiable), "unverifiable");
}

}  // namespace
}  // namespace bgpsecd::bgpsec
