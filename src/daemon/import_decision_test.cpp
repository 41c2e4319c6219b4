// SPDX-License-Identifier: BSD-2-Clause
// The speaker's BGPsec import decisions without sockets: RFC 8205 §5.2 failures withdrawn or
// stripped (RFC 8374 §8.5), from the decoder as from the checks, both modes; states trusted or
// revalidated from iBGP and "validation deferred" (RFC 8374 §8.7); the state a replacing route
// starts with; and signature-check results that arrive for a route replaced meanwhile.
#include "daemon/import_decision.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "rib/attribute_store.hpp"
#include "rib/test_util.hpp"
#include "wire/communities.hpp"
#include "wire/update.hpp"
#include "wire/update_test_util.hpp"

namespace bgpsecd::daemon {
namespace {

using Action = PathDecision::Action;
using wire::test::attr;
using wire::test::body;
using wire::test::cat;
using wire::test::hex;

const base::Prefix kPrefix = base::Prefix::parse("192.0.2.0/24").value();

// Peer AS 65002 (eBGP unless said otherwise) sends to us, AS 65301.
ImportSettings settings(SyntaxErrorAction action = SyntaxErrorAction::Withdraw, bool ebgp = true,
                        IbgpState ibgp_state = IbgpState::Trust) {
  ImportSettings s;
  s.ebgp = ebgp;
  s.syntax_error_action = action;
  s.ibgp_state = ibgp_state;
  s.peer.own_as = base::Asn(65301);
  s.peer.peer_as = base::Asn(ebgp ? 65002 : 65301);
  s.peer.relation = ebgp ? bgpsec::PeerRelation::Ebgp : bgpsec::PeerRelation::Ibgp;
  return s;
}

// Secure_Path 65002 65001 with one block of `suite` (signatures need not verify here).
wire::BgpsecPath signed_path(std::uint8_t suite = wire::kAlgorithmSuite1) {
  wire::BgpsecPath path;
  path.secure_path = {{1, 0, base::Asn(65002)}, {1, 0, base::Asn(65001)}};
  wire::SignatureBlock block;
  block.suite = suite;
  block.segments = {{base::Ski{}, {0x30}}, {base::Ski{}, {0x30}}};
  path.blocks = {block};
  return path;
}

wire::PathAttributes signed_attrs(std::uint8_t suite = wire::kAlgorithmSuite1) {
  wire::PathAttributes a;
  a.origin = wire::Origin::Igp;
  a.bgpsec_path = signed_path(suite);
  return a;
}

wire::AsPath as_path_65002_65001() { return rib::testing::seq({65002, 65001}); }

bgpsec::RouteContext route_of(const wire::PathAttributes& attrs) {
  bgpsec::RouteContext route;
  route.prefix = kPrefix;
  route.afi = 1;
  route.as_path_present = attrs.as_path.has_value();
  return route;
}

PathDecision decide(const wire::PathAttributes& attrs, const ImportSettings& s,
                    const std::optional<wire::MalformedBgpsecPath>& malformed = std::nullopt) {
  return decide_path(ReceivedPath{attrs, malformed, route_of(attrs)}, s,
                     bgpsec::default_signature_verifier());
}

wire::PathAttributes with_state(wire::PathAttributes a, wire::BgpsecPathStateCode code) {
  a.ext_communities.push_back(wire::make_bgpsec_path_state_community(code));
  return a;
}

// ===== RFC 8374 §8.7: states from iBGP =====

TEST(ImportDecision, Rfc8374_8_7_PathStateTrustedOnlyFromIbgpInTrustMode) {
  const auto valid = with_state(signed_attrs(), wire::BgpsecPathStateCode::Valid);
  EXPECT_EQ(trusted_path_state(settings(SyntaxErrorAction::Withdraw, false), valid),
            rib::PathState::Valid);
  EXPECT_EQ(trusted_path_state(settings(SyntaxErrorAction::Withdraw, false),
                               with_state(signed_attrs(), wire::BgpsecPathStateCode::NotValid)),
            rib::PathState::NotValid);
  EXPECT_EQ(trusted_path_state(settings(SyntaxErrorAction::Withdraw, false),
                               with_state(signed_attrs(), wire::BgpsecPathStateCode::Unsigned)),
            rib::PathState::Unsigned);
  // eBGP cannot vouch; "revalidate" ignores the state; no state: validate here.
  EXPECT_FALSE(trusted_path_state(settings(), valid));
  EXPECT_FALSE(trusted_path_state(
      settings(SyntaxErrorAction::Withdraw, false, IbgpState::Revalidate), valid));
  EXPECT_FALSE(trusted_path_state(settings(SyntaxErrorAction::Withdraw, false), signed_attrs()));
  // "Validation deferred": the ingress did not validate, so the egress does.
  EXPECT_FALSE(trusted_path_state(settings(SyntaxErrorAction::Withdraw, false),
                                  with_state(signed_attrs(), wire::BgpsecPathStateCode::Deferred)));
}

TEST(ImportDecision, Rfc8097_3_OriginStateTrustedOnlyFromIbgpInTrustMode) {
  auto attrs = signed_attrs();
  attrs.ext_communities.push_back(
      wire::make_origin_validation_community(wire::OriginValidationState::Invalid));
  EXPECT_EQ(trusted_origin_state(settings(SyntaxErrorAction::Withdraw, false), attrs),
            rib::OriginState::Invalid);
  EXPECT_FALSE(trusted_origin_state(settings(), attrs));
  EXPECT_FALSE(trusted_origin_state(
      settings(SyntaxErrorAction::Withdraw, false, IbgpState::Revalidate), attrs));
  EXPECT_FALSE(trusted_origin_state(settings(SyntaxErrorAction::Withdraw, false), signed_attrs()));
}

// ===== decide_path: well-formed paths =====

TEST(ImportDecision, UnsignedRouteIsKeptUnsigned) {
  wire::PathAttributes attrs;
  attrs.as_path = as_path_65002_65001();
  const auto d = decide(attrs, settings(SyntaxErrorAction::Strip));
  EXPECT_EQ(d.action, Action::Keep);
  EXPECT_EQ(d.state, rib::PathState::Unsigned);
  EXPECT_FALSE(d.verify());
  EXPECT_FALSE(d.syntax_error());
}

TEST(ImportDecision, Rfc8374_8_1_WellFormedPathGoesToTheSignatureCheck) {
  const auto d = decide(signed_attrs(), settings());
  EXPECT_EQ(d.action, Action::Keep);
  EXPECT_EQ(d.state, rib::PathState::Pending);
  EXPECT_TRUE(d.verify());
}

TEST(ImportDecision, Rfc8374_8_7_TrustedIbgpStateSkipsTheChecks) {
  // Trusted: the ingress's state, no check here (not even RFC 8205 §5.2 #6, which the AS_PATH
  // would fail).
  auto attrs = with_state(signed_attrs(), wire::BgpsecPathStateCode::NotValid);
  attrs.as_path = as_path_65002_65001();
  const auto trusted = decide(attrs, settings(SyntaxErrorAction::Withdraw, false));
  EXPECT_EQ(trusted.action, Action::Keep);
  EXPECT_EQ(trusted.state, rib::PathState::NotValid);
  EXPECT_FALSE(trusted.verify());
  // Deferred, or ibgp_state = "revalidate": checked here like an eBGP route.
  const auto deferred = decide(with_state(signed_attrs(), wire::BgpsecPathStateCode::Deferred),
                               settings(SyntaxErrorAction::Withdraw, false));
  EXPECT_TRUE(deferred.verify());
  const auto revalidated =
      decide(with_state(signed_attrs(), wire::BgpsecPathStateCode::Valid),
             settings(SyntaxErrorAction::Withdraw, false, IbgpState::Revalidate));
  EXPECT_TRUE(revalidated.verify());
}

TEST(ImportDecision, Rfc8205_5_2_FailedCheckWithdrawsOrStrips) {
  auto attrs = signed_attrs();
  attrs.as_path = as_path_65002_65001();  // #6: AS_PATH and BGPsec_PATH together
  const auto withdrawn = decide(attrs, settings(SyntaxErrorAction::Withdraw));
  EXPECT_EQ(withdrawn.action, Action::Withdraw);
  EXPECT_EQ(withdrawn.reason, bgpsec::Reason::AsPathAlsoPresent);
  EXPECT_TRUE(withdrawn.syntax_error());
  EXPECT_EQ(std::string(withdrawn.outcome), "treated as withdrawn");

  const auto stripped = decide(attrs, settings(SyntaxErrorAction::Strip));
  EXPECT_EQ(stripped.action, Action::Strip);
  EXPECT_EQ(stripped.reason, bgpsec::Reason::AsPathAlsoPresent);
  EXPECT_TRUE(stripped.syntax_error());
  EXPECT_EQ(stripped.as_path, as_path_65002_65001());
  EXPECT_NE(std::string(stripped.outcome).find("stripped"), std::string::npos);
  wire::PathAttributes stored = attrs;
  apply_path_decision(stripped, stored);
  EXPECT_FALSE(stored.bgpsec_path.has_value());
  EXPECT_EQ(stored.as_path, as_path_65002_65001());

  // #7 from a peer without BGPsec receive negotiated, #8 another peer AS: the same two ways.
  auto not_negotiated = settings(SyntaxErrorAction::Strip);
  not_negotiated.peer.bgpsec_receive_negotiated = false;
  EXPECT_EQ(decide(signed_attrs(), not_negotiated).reason, bgpsec::Reason::BgpsecNotNegotiated);
  auto other_peer = settings(SyntaxErrorAction::Withdraw);
  other_peer.peer.peer_as = base::Asn(65399);
  EXPECT_EQ(decide(signed_attrs(), other_peer).action, Action::Withdraw);
  EXPECT_EQ(decide(signed_attrs(), other_peer).reason, bgpsec::Reason::PeerAsMismatch);
}

TEST(ImportDecision, NoSupportedSuiteIsStrippedWithoutSyntaxError) {
  const auto d = decide(signed_attrs(2), settings(SyntaxErrorAction::Withdraw));
  EXPECT_EQ(d.action, Action::Strip);
  EXPECT_EQ(d.reason, bgpsec::Reason::NoSupportedSuite);
  EXPECT_FALSE(d.syntax_error());
  EXPECT_EQ(d.as_path, as_path_65002_65001());
}

TEST(ImportDecision, KeepLeavesTheAttributesAlone) {
  auto attrs = signed_attrs();
  const auto before = attrs;
  apply_path_decision(decide(attrs, settings()), attrs);
  EXPECT_EQ(attrs, before);
}

// ===== decide_path: BGPsec_PATHs the decoder rejects (RFC 8374 §8.5 (B), (C)) =====

// An UPDATE from AS 65002 for 192.0.2.0/24 with ORIGIN, MP_REACH_NLRI and `bgpsec_path`.
wire::DecodedUpdate decoded_with(const base::Bytes& bgpsec_path) {
  const auto reach = attr(0x80, 14, hex("00010104C6336464 00 18C00002"));
  auto decoded =
      wire::decode_update(body({}, cat({attr(0x40, 1, hex("00")), reach, bgpsec_path}), {}), {});
  EXPECT_TRUE(decoded.has_value());
  return decoded.value_or(wire::DecodedUpdate{});
}

// Secure_Path 65002 65001 and one block with `segments` signature segments.
base::Bytes path_value(int segments, const char* secure_path = "000E 01 00 0000FDEA 01 00 0000FDE9",
                       std::size_t block_length_offset = 0) {
  base::Bytes block = hex("01");
  for (int i = 0; i < segments; ++i) {
    block = cat({block, hex("AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154 0001 AA")});
  }
  return cat({hex(secure_path), wire::test::u16(block.size() + 2 + block_length_offset), block});
}

struct DecoderCase {
  const char* name;
  base::Bytes attribute;
  bgpsec::Reason reason;
  bool secure_path_parsed;  // strip keeps the route; else it is withdrawn in both modes
};

std::vector<DecoderCase> decoder_cases() {
  return {
      {"SegmentCountMismatch", attr(0x90, 33, path_value(1)), bgpsec::Reason::SegmentCountMismatch,
       true},
      {"SecurePathLength", attr(0x90, 33, path_value(2, "000F 01 00 0000FDEA 01 00 0000FDE9 00")),
       bgpsec::Reason::SecurePathLength, false},
      {"SecurePathTruncated", attr(0x90, 33, hex("000E 01 00 0000FDEA")),
       bgpsec::Reason::SecurePathTruncated, false},
      {"SignatureBlockLength",
       attr(0x90, 33, path_value(2, "000E 01 00 0000FDEA 01 00 0000FDE9", 1)),
       bgpsec::Reason::SignatureBlockTruncated, true},
      {"SignatureLengthOverrunsBlock",
       attr(0x90, 33,
            cat({hex("000E 01 00 0000FDEA 01 00 0000FDE9 001A 01"),
                 hex("AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154 0005 AA")})),
       bgpsec::Reason::SignatureLength, true},
      {"AttributeFlagsTransitive", attr(0xD0, 33, path_value(2)), bgpsec::Reason::AttributeFlags,
       true},
  };
}

TEST(ImportDecision, Rfc8374_8_5_DecoderRejectionsInBothModes) {
  for (const auto& c : decoder_cases()) {
    SCOPED_TRACE(c.name);
    const auto decoded = decoded_with(c.attribute);
    ASSERT_TRUE(decoded.malformed_bgpsec_path.has_value());
    EXPECT_FALSE(decoded.strongest_elsewhere().has_value());
    const auto& attrs = decoded.update.attrs;
    const auto withdrawn =
        decide(attrs, settings(SyntaxErrorAction::Withdraw), decoded.malformed_bgpsec_path);
    EXPECT_EQ(withdrawn.action, Action::Withdraw);
    EXPECT_EQ(withdrawn.reason, c.reason) << bgpsec::reason_name(withdrawn.reason);
    EXPECT_TRUE(withdrawn.syntax_error());

    const auto stripped =
        decide(attrs, settings(SyntaxErrorAction::Strip), decoded.malformed_bgpsec_path);
    EXPECT_EQ(stripped.reason, c.reason);
    EXPECT_TRUE(stripped.syntax_error());
    if (c.secure_path_parsed) {
      EXPECT_EQ(stripped.action, Action::Strip);
      EXPECT_EQ(stripped.as_path, as_path_65002_65001());
      wire::PathAttributes stored = attrs;
      apply_path_decision(stripped, stored);
      EXPECT_EQ(stored.as_path, as_path_65002_65001());
      EXPECT_FALSE(stored.bgpsec_path.has_value());
    } else {
      EXPECT_EQ(stripped.action, Action::Withdraw);
      EXPECT_NE(std::string(stripped.outcome).find("Secure_Path did not parse"), std::string::npos);
    }
  }
}

TEST(ImportDecision, Rfc8374_8_5_MalformedPathDecidedBeforeTrustedIbgpState) {
  const auto decoded = decoded_with(attr(0x90, 33, path_value(1)));
  auto attrs = with_state(decoded.update.attrs, wire::BgpsecPathStateCode::Valid);
  const auto d =
      decide(attrs, settings(SyntaxErrorAction::Strip, false), decoded.malformed_bgpsec_path);
  EXPECT_EQ(d.action, Action::Strip);
  EXPECT_EQ(d.reason, bgpsec::Reason::SegmentCountMismatch);
}

// ===== the state a route enters the Adj-RIB-In with =====

struct Routes {
  rib::AttributeStore store;
  rib::PeerHandle peer = rib::testing::make_peer("192.0.2.2", 65002, 1, rib::PeerKind::Ebgp);

  rib::Route route(wire::PathAttributes attrs, rib::PathState state = rib::PathState::Pending) {
    rib::Route r;
    r.prefix = kPrefix;
    r.peer = peer;
    r.bgpsec = rib::take_bgpsec_path(attrs);
    r.attrs = store.intern(std::move(attrs));
    r.path_state = state;
    return r;
  }
};

PathDecision keep(rib::PathState state) {
  PathDecision d;
  d.state = state;
  return d;
}

TEST(ImportDecision, ReceiptOfUnsignedOrTrustedRouteCancelsTheCheckOfTheOldOne) {
  Routes routes;
  const auto held = routes.route(signed_attrs());
  for (const auto state : {rib::PathState::Unsigned, rib::PathState::Valid}) {
    wire::PathAttributes attrs;
    attrs.as_path = as_path_65002_65001();
    const auto s = state_on_receipt(keep(state), routes.route(attrs, state), &held, true);
    EXPECT_EQ(s.state, state);
    EXPECT_FALSE(s.failure.has_value());
    EXPECT_FALSE(s.start_check);
    EXPECT_TRUE(s.cancel_check);
  }
}

TEST(ImportDecision, ReceiptOfNewSignedPathStartsACheckAndDropsTheOldOne) {
  Routes routes;
  auto other = signed_attrs();
  other.med = 5;
  const auto held = routes.route(other, rib::PathState::Valid);
  for (const rib::Route* before : {static_cast<const rib::Route*>(nullptr), &held}) {
    const auto s = state_on_receipt(keep(rib::PathState::Pending), routes.route(signed_attrs()),
                                    before, before != nullptr);
    EXPECT_EQ(s.state, rib::PathState::Pending);
    EXPECT_TRUE(s.start_check);
    // The old route's check must not land on this one, which may yet be deferred, postponed
    // or never checked.
    EXPECT_TRUE(s.cancel_check);
  }
}

TEST(ImportDecision, ReceiptOfTheSameSignedPathKeepsItsState) {
  Routes routes;
  auto held = routes.route(signed_attrs(), rib::PathState::NotValid);
  held.path_failure = rib::PathFailure{.reason = 3, .suite = 1, .segment = 1};
  const auto again = routes.route(signed_attrs());
  ASSERT_EQ(again.attrs, held.attrs);
  ASSERT_TRUE(again.bgpsec == held.bgpsec);
  auto s = state_on_receipt(keep(rib::PathState::Pending), again, &held, false);
  EXPECT_EQ(s.state, rib::PathState::NotValid);
  EXPECT_EQ(s.failure, held.path_failure);
  EXPECT_FALSE(s.start_check);
  EXPECT_FALSE(s.cancel_check);
  // Still Pending: the check under way applies; none under way (never checked): start one.
  held.path_state = rib::PathState::Pending;
  held.path_failure.reset();
  s = state_on_receipt(keep(rib::PathState::Pending), again, &held, true);
  EXPECT_EQ(s.state, rib::PathState::Pending);
  EXPECT_FALSE(s.start_check);
  EXPECT_FALSE(s.cancel_check);
  s = state_on_receipt(keep(rib::PathState::Pending), again, &held, false);
  EXPECT_EQ(s.state, rib::PathState::Pending);
  EXPECT_TRUE(s.start_check);
}

// ===== results of signature checks =====

TEST(ImportDecision, PendingResultDoesNotLandOnAReplacedRoute) {
  PendingChecks checks;
  const auto other = base::Prefix::parse("198.51.100.0/24").value();
  checks.start(kPrefix, 1);
  checks.start(other, 2);
  checks.start(kPrefix, 3);  // the route was replaced by another signed one
  EXPECT_FALSE(checks.finish(kPrefix, 1));
  EXPECT_TRUE(checks.in_flight(kPrefix));
  EXPECT_TRUE(checks.finish(kPrefix, 3));
  EXPECT_FALSE(checks.in_flight(kPrefix));
  EXPECT_FALSE(checks.finish(kPrefix, 3));  // once only
  checks.cancel(other);                     // replaced by an unsigned route, or withdrawn
  EXPECT_FALSE(checks.in_flight(other));
  EXPECT_FALSE(checks.finish(other, 2));
}

TEST(ImportDecision, PendingChecksKeepEachPrefixApartAcrossShards) {
  // Enough prefixes to fill every shard several times over; each keeps its own token.
  PendingChecks checks;
  std::vector<base::Prefix> prefixes;
  for (std::uint32_t i = 0; i < 20'000; ++i) {
    const std::uint32_t net = 0x0A000000U | (i << 8);
    prefixes.push_back(base::Prefix::parse(std::to_string(net >> 24) + "." +
                                           std::to_string((net >> 16) & 255U) + "." +
                                           std::to_string((net >> 8) & 255U) + ".0/24")
                           .value());
    checks.start(prefixes.back(), i + 1);
  }
  for (std::uint32_t i = 0; i < prefixes.size(); i += 2) {
    EXPECT_FALSE(checks.finish(prefixes[i], i + 2)) << i;  // another prefix's token
    EXPECT_TRUE(checks.finish(prefixes[i], i + 1)) << i;
  }
  for (std::uint32_t i = 0; i < prefixes.size(); ++i) {
    EXPECT_EQ(checks.in_flight(prefixes[i]), i % 2 == 1) << i;
  }
}

TEST(ImportDecision, ReplacementThenLateResult) {
  // A signed route is being checked (token 1); an unsigned route replaces it before the
  // result comes: the receipt cancels the check, so the late result is dropped.
  Routes routes;
  PendingChecks checks;
  const auto held = routes.route(signed_attrs());
  checks.start(kPrefix, 1);
  wire::PathAttributes unsigned_attrs;
  unsigned_attrs.as_path = as_path_65002_65001();
  const auto s = state_on_receipt(keep(rib::PathState::Unsigned),
                                  routes.route(unsigned_attrs, rib::PathState::Unsigned), &held,
                                  checks.in_flight(kPrefix));
  ASSERT_TRUE(s.cancel_check);
  checks.cancel(kPrefix);
  EXPECT_FALSE(checks.finish(kPrefix, 1));
}

bgpsec::PathValidation validation(bgpsec::PathState state, bgpsec::Reason reason,
                                  int failed_segment = -1) {
  bgpsec::PathValidation v;
  v.state = state;
  v.reason = reason;
  v.failed_segment = failed_segment;
  v.block_suite = 1;
  return v;
}

TEST(ImportDecision, CheckedStateOfEachOutcome) {
  Routes routes;
  const auto pending = routes.route(signed_attrs());
  auto c = checked_state(pending, validation(bgpsec::PathState::Valid, bgpsec::Reason::Valid));
  EXPECT_EQ(c.state, rib::PathState::Valid);
  EXPECT_FALSE(c.failure.has_value());
  EXPECT_TRUE(c.changed);
  c = checked_state(pending,
                    validation(bgpsec::PathState::NotValid, bgpsec::Reason::SignatureInvalid, 1));
  EXPECT_EQ(c.state, rib::PathState::NotValid);
  ASSERT_TRUE(c.failure.has_value());
  EXPECT_EQ(c.failure->reason, static_cast<std::uint8_t>(bgpsec::Reason::SignatureInvalid));
  EXPECT_EQ(c.failure->segment, 1);
  EXPECT_EQ(c.failure->suite, 1);
  c = checked_state(pending,
                    validation(bgpsec::PathState::Unverifiable, bgpsec::Reason::NoSupportedSuite));
  EXPECT_EQ(c.state, rib::PathState::Unsigned);
}

TEST(ImportDecision, Rfc8374_9_2_RecheckWithTheSameOutcomeChangesNothing) {
  Routes routes;
  const auto valid = routes.route(signed_attrs(), rib::PathState::Valid);
  EXPECT_FALSE(
      checked_state(valid, validation(bgpsec::PathState::Valid, bgpsec::Reason::Valid)).changed);
  auto not_valid = routes.route(signed_attrs(), rib::PathState::NotValid);
  not_valid.path_failure = rib::PathFailure{
      .reason = static_cast<std::uint8_t>(bgpsec::Reason::KeyNotFound), .suite = 1, .segment = 0};
  EXPECT_FALSE(checked_state(not_valid, validation(bgpsec::PathState::NotValid,
                                                   bgpsec::Reason::KeyNotFound, 0))
                   .changed);
  // Another failure, or Valid now: changed.
  EXPECT_TRUE(checked_state(not_valid,
                            validation(bgpsec::PathState::NotValid, bgpsec::Reason::KeyNotFound, 1))
                  .changed);
  EXPECT_TRUE(checked_state(not_valid, validation(bgpsec::PathState::Valid, bgpsec::Reason::Valid))
                  .changed);
}

}  // namespace
}  // namespace bgpsecd::daemon
