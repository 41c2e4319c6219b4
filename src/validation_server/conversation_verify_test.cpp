// SPDX-License-Identifier: BSD-2-Clause
// ServerCore: VERIFY rows of the receipt/notification table, results, DELETE_UPDATE,
// SIGN_REQUEST, keep-window collection and limits (docs/srx-proxy.md §7.2-§7.5).
#include <gtest/gtest.h>

#include "validation_server/conversation_test_util.hpp"

namespace bgpsecd::validation_server::test {
namespace {

using V = std::vector<std::string>;
using srx::SrxResult;
const std::string kReceipt = "06 83 03 03 03 00 0000 00000014 00000001 2e427f2b";

std::string note(std::uint8_t types, SrxResult o, SrxResult p, SrxResult a, std::uint32_t token,
                 std::uint32_t id = kQuaggaId) {
  return Harness::encoded(srx::VerifyNotificationPdu{types, static_cast<std::uint8_t>(o),
                                                     static_cast<std::uint8_t>(p),
                                                     static_cast<std::uint8_t>(a), token, id});
}
std::string error(std::uint16_t code) { return Harness::encoded(srx::ErrorPdu{code}); }

constexpr auto U = SrxResult::Undefined;

// Row 1 (as NIST): new update with receipt -> receipt with the defaults; one notification per
// requested type once known, even when it equals the default.
TEST(ConversationVerify, NewWithReceiptGetsReceiptThenEveryResult) {
  Harness h;
  const auto c = h.hello(7);
  h.receive(c, quagga_verify(0x83, 1));
  EXPECT_EQ(h.to(c), (V{Harness::compact(kReceipt)}));
  ASSERT_EQ(h.validations.size(), 1U);
  EXPECT_EQ(h.validations[0].types, 0x03);
  const auto gen = h.validations[0].generation;
  h.core().on_result(kQuaggaId, ResultType::Origin, SrxResult::Valid, gen);
  h.core().on_result(kQuaggaId, ResultType::Path, SrxResult::Undefined, gen);  // = default
  h.core().on_result(kQuaggaId, ResultType::Path, SrxResult::Invalid, gen);
  EXPECT_EQ(h.to(c), (V{Harness::compact(kReceipt),
                        Harness::compact("06 01 00 03 03 00 0000 00000014 00000000 2e427f2b"),
                        note(0x02, SrxResult::Valid, SrxResult::Invalid, U, 0)}));
}

TEST(ConversationVerify, ReceiptResultEqualToDefaultIsStillNotified) {
  Harness h;
  const auto c = h.hello(7);
  h.receive(c, quagga_verify(0x81, 1, /*roa_default=*/1));
  h.core().on_result(kQuaggaId, ResultType::Origin, SrxResult::NotFound,
                     h.validations.at(0).generation);
  EXPECT_EQ(h.to(c), (V{note(0x81, SrxResult::NotFound, U, U, 1),
                        note(0x01, SrxResult::NotFound, U, U, 0)}));
}

// Row 2, our fix (NIST stores it and never validates): new update without receipt is validated
// and notified when the result differs from the supplied default.
TEST(ConversationVerify, FixNewWithoutReceiptIsValidatedAndNotifiedWhenDiffering) {
  Harness h;
  const auto c = h.hello(7);
  h.receive(c, quagga_verify(0x01, 0, /*roa_default=*/1));
  EXPECT_TRUE(h.to(c).empty());
  ASSERT_EQ(h.validations.size(), 1U);
  h.core().on_result(kQuaggaId, ResultType::Origin, SrxResult::Invalid,
                     h.validations[0].generation);
  EXPECT_EQ(h.to(c), (V{note(0x01, SrxResult::Invalid, U, U, 0)}));
}

TEST(ConversationVerify, FixNewWithoutReceiptEqualToDefaultIsSilent) {
  Harness h;
  const auto c = h.hello(7);
  h.receive(c, quagga_verify(0x01, 0, /*roa_default=*/0));
  h.core().on_result(kQuaggaId, ResultType::Origin, SrxResult::Valid,
                     h.validations.at(0).generation);
  EXPECT_TRUE(h.to(c).empty());
  EXPECT_EQ(h.core().update(kQuaggaId)->results.origin, SrxResult::Valid);
  // A later change is notified as usual.
  h.core().revalidate(kQuaggaId, srx::kFlagOrigin);
  h.core().on_result(kQuaggaId, ResultType::Origin, SrxResult::Invalid,
                     h.validations.at(1).generation);
  EXPECT_EQ(h.to(c), (V{note(0x01, SrxResult::Invalid, U, U, 0)}));
}

// Row 3 (as NIST): known update with receipt -> receipt with the stored values; only types
// without a result are validated.
TEST(ConversationVerify, KnownWithReceiptGetsStoredValues) {
  Harness h;
  const auto a = h.hello(7);
  h.receive(a, quagga_verify(0x81, 1));
  h.core().on_result(kQuaggaId, ResultType::Origin, SrxResult::Valid,
                     h.validations.at(0).generation);
  const auto b = h.hello(8);
  h.receive(b, quagga_verify(0x83, 5, 2, 2));
  EXPECT_EQ(h.to(b), (V{note(0x83, SrxResult::Valid, U, U, 5)}));
  ASSERT_EQ(h.validations.size(), 2U);
  EXPECT_EQ(h.validations[1].types, 0x02);
}

// Row 4 (as NIST, bits of the differing types only): known, no receipt, default != stored.
TEST(ConversationVerify, KnownWithoutReceiptDifferingDefaultGetsNotification) {
  Harness h;
  const auto a = h.hello(7);
  h.receive(a, quagga_verify(0x83, 1));
  h.core().on_result(kQuaggaId, ResultType::Origin, SrxResult::Valid,
                     h.validations.at(0).generation);
  h.core().on_result(kQuaggaId, ResultType::Path, SrxResult::Invalid,
                     h.validations.at(0).generation);
  const auto b = h.hello(8);
  h.receive(b, quagga_verify(0x03, 77, /*roa_default=*/0, /*bgpsec_default=*/0));
  EXPECT_EQ(h.to(b), (V{note(0x02, SrxResult::Valid, SrxResult::Invalid, U, 0)}));
  EXPECT_EQ(h.validations.size(), 1U);
}

// Row 5 (as NIST): known, no receipt, default = stored -> nothing.
TEST(ConversationVerify, KnownWithoutReceiptEqualDefaultIsSilent) {
  Harness h;
  const auto a = h.hello(7);
  h.receive(a, quagga_verify(0x81, 1));
  h.core().on_result(kQuaggaId, ResultType::Origin, SrxResult::Valid,
                     h.validations.at(0).generation);
  const auto b = h.hello(8);
  h.receive(b, quagga_verify(0x01, 0, 0));
  EXPECT_TRUE(h.to(b).empty());
  EXPECT_EQ(h.core().update(kQuaggaId)->holders.count(8), 1U);
}

// Known but still being validated, no receipt: the first result is compared with the default.
TEST(ConversationVerify, KnownPendingWithoutReceiptComparesFirstResultWithDefault) {
  Harness h;
  const auto a = h.hello(7);
  h.receive(a, quagga_verify(0x81, 1));
  const auto b = h.hello(8);
  h.receive(b, quagga_verify(0x01, 0, 0));
  EXPECT_EQ(h.validations.size(), 1U);  // in flight already
  h.core().on_result(kQuaggaId, ResultType::Origin, SrxResult::Valid, h.validations[0].generation);
  EXPECT_EQ(h.to(a), (V{note(0x01, SrxResult::Valid, U, U, 0)}));
  EXPECT_TRUE(h.to(b).empty());
}

// Row 6 (as NIST): flags 0x80 alone -> receipt 0x80 with the defaults, stored, no holder.
TEST(ConversationVerify, ReceiptOnlyStoresWithoutHolder) {
  Harness h;
  const auto c = h.hello(7);
  h.receive(c, quagga_verify(0x80, 1, 1, 2));
  EXPECT_EQ(h.to(c), (V{note(0x80, SrxResult::NotFound, SrxResult::Invalid, U, 1)}));
  EXPECT_TRUE(h.validations.empty());
  ASSERT_NE(h.core().update(kQuaggaId), nullptr);
  EXPECT_TRUE(h.core().update(kQuaggaId)->holders.empty());
}

// Row 7 (as NIST): flags 0 -> stored silently.
TEST(ConversationVerify, NoFlagsStoresSilently) {
  Harness h;
  const auto c = h.hello(7);
  h.receive(c, quagga_verify(0x00, 1));
  EXPECT_TRUE(h.sent.empty());
  EXPECT_TRUE(h.validations.empty());
  EXPECT_EQ(h.core().update_count(), 1U);
}

TEST(ConversationVerify, SynchronousValidationStillSendsReceiptFirst) {
  Harness h({}, /*answer_at_once=*/true);
  const auto c = h.hello(7);
  h.receive(c, quagga_verify(0x83, 1));
  EXPECT_EQ(h.to(c), (V{Harness::compact(kReceipt), note(0x01, SrxResult::Valid, U, U, 0),
                        note(0x02, SrxResult::Valid, SrxResult::Valid, U, 0)}));
}

TEST(ConversationVerify, StaleGenerationIsIgnored) {
  Harness h;
  const auto c = h.hello(7);
  h.receive(c, quagga_verify(0x81, 1));
  h.core().revalidate(kQuaggaId, srx::kFlagOrigin);
  ASSERT_EQ(h.validations.size(), 2U);
  h.sent.clear();
  h.core().on_result(kQuaggaId, ResultType::Origin, SrxResult::Invalid,
                     h.validations[0].generation);
  EXPECT_TRUE(h.sent.empty());
  EXPECT_EQ(h.core().update(kQuaggaId)->results.origin, U);
  h.core().on_result(kQuaggaId, ResultType::Origin, SrxResult::Valid, h.validations[1].generation);
  EXPECT_EQ(h.to(c), (V{note(0x01, SrxResult::Valid, U, U, 0)}));
}

TEST(ConversationVerify, RevalidationSkipsTypesNeverAskedFor) {
  Harness h;
  h.receive(h.hello(7), quagga_verify(0x81, 1));  // origin only
  ASSERT_EQ(h.validations.size(), 1U);
  h.core().revalidate(kQuaggaId, srx::kFlagOrigin | srx::kFlagPath);
  ASSERT_EQ(h.validations.size(), 2U);
  EXPECT_EQ(h.validations[1].types, srx::kFlagOrigin);
  h.core().revalidate(kQuaggaId, srx::kFlagPath);
  EXPECT_EQ(h.validations.size(), 2U);
}

TEST(ConversationVerify, UnchangedResultAfterRevalidationIsNotNotified) {
  Harness h({}, true);
  const auto c = h.hello(7);
  h.receive(c, quagga_verify(0x81, 1));
  h.sent.clear();
  h.core().revalidate(kQuaggaId, srx::kFlagOrigin);
  EXPECT_TRUE(h.sent.empty());
}

TEST(ConversationVerify, ResultForCollectedUpdateIsIgnored) {
  Harness h;
  const auto c = h.hello(7);
  h.receive(c, quagga_verify(0x81, 1));
  h.receive(c, srx::DeleteUpdatePdu{0, kQuaggaId});
  h.now += std::chrono::seconds{900};
  EXPECT_EQ(h.core().collect(h.now), 1U);
  h.sent.clear();
  h.core().on_result(kQuaggaId, ResultType::Origin, SrxResult::Valid,
                     h.validations.at(0).generation);
  EXPECT_TRUE(h.sent.empty());
  EXPECT_EQ(h.core().update_count(), 0U);
}

TEST(ConversationVerify, TwoProxiesGetOnlyTheTypesTheyAskedFor) {
  Harness h;
  const auto a = h.hello(7);
  const auto b = h.hello(8);
  h.receive(a, quagga_verify(0x81, 1));
  h.receive(b, quagga_verify(0x82, 2));
  h.sent.clear();
  h.core().on_result(kQuaggaId, ResultType::Origin, SrxResult::Valid,
                     h.validations.at(0).generation);
  h.core().on_result(kQuaggaId, ResultType::Path, SrxResult::Invalid,
                     h.validations.at(1).generation);
  h.core().on_result(kQuaggaId, ResultType::Aspa, SrxResult::Valid, 99);  // never asked
  EXPECT_EQ(h.to(a), (V{note(0x01, SrxResult::Valid, U, U, 0)}));
  EXPECT_EQ(h.to(b), (V{note(0x02, SrxResult::Valid, SrxResult::Invalid, U, 0)}));
}

TEST(ConversationVerify, ContentTakesHeaderPrefixAndHelloAsFallback) {
  Harness h;
  const auto c = h.hello(7, 65123);
  auto request = quagga_verify(0x81, 1);
  request.prefix_address = base::IpAddress::parse("10.5.3.9").value();
  request.local_as = 0;
  h.receive(c, request);
  ASSERT_EQ(h.core().update_count(), 1U);
  const auto id = h.validations.at(0).id;
  const auto& content = h.core().update(id)->content;
  EXPECT_EQ(content.prefix.to_string(), "10.5.0.0/20");
  EXPECT_EQ(content.local_as, 65123U);
  EXPECT_EQ(content.origin_as, request.origin_as);
  EXPECT_EQ(content.bgpsec_attribute, request.bgpsec_attribute);
}

TEST(ConversationDelete, HeldUpdateIsReleasedSilently) {
  Harness h;
  const auto c = h.hello(7);
  h.receive(c, quagga_verify(0x81, 1));
  h.sent.clear();
  h.feed(c, "08 0384 00 00000000 00000010 2e427f2b");
  EXPECT_TRUE(h.sent.empty());
  EXPECT_TRUE(h.core().update(kQuaggaId)->holders.empty());
  h.core().on_result(kQuaggaId, ResultType::Origin, SrxResult::Valid,
                     h.validations.at(0).generation);
  EXPECT_TRUE(h.sent.empty());
}

TEST(ConversationDelete, NotHeldOrUnknownGetsError5AndSessionStays) {
  Harness h;
  const auto a = h.hello(7);
  const auto b = h.hello(8);
  h.receive(a, quagga_verify(0x81, 1));
  h.sent.clear();
  h.feed(b, "08 0384 00 00000000 00000010 2e427f2b");  // held by a, not b
  h.feed(b, "08 0384 00 00000000 00000010 12345678");  // unknown
  EXPECT_EQ(h.to(b), (V{Harness::compact("0b 0005 00 00000000 0000000c"), error(5)}));
  EXPECT_TRUE(h.closed.empty());
  EXPECT_EQ(h.core().update(kQuaggaId)->holders.count(7), 1U);
}

TEST(ConversationKeepWindow, CollectedAfterMaxOfKeepWindowAndMinimum) {
  Harness h;
  const auto c = h.hello(7);
  h.receive(c, quagga_verify(0x81, 1));
  h.receive(c, other_verify(0x81, 2));
  const auto other = h.validations.at(1).id;
  const auto start = h.now;
  h.receive(c, srx::DeleteUpdatePdu{10, kQuaggaId});  // below the minimum: 900 s
  h.receive(c, srx::DeleteUpdatePdu{2000, other});    // above: 2000 s
  EXPECT_EQ(h.core().collect(start + std::chrono::seconds{899}), 0U);
  EXPECT_EQ(h.core().collect(start + std::chrono::seconds{900}), 1U);
  EXPECT_EQ(h.forgotten, (std::vector<std::uint32_t>{kQuaggaId}));
  EXPECT_EQ(h.core().collect(start + std::chrono::seconds{1999}), 0U);
  EXPECT_EQ(h.core().collect(start + std::chrono::seconds{2000}), 1U);
  EXPECT_EQ(h.forgotten, (std::vector<std::uint32_t>{kQuaggaId, other}));
}

TEST(ConversationKeepWindow, TcpLossStartsTheWindowAndAReholdStopsIt) {
  Harness h;
  auto c = h.hello(7);
  h.receive(c, quagga_verify(0x81, 1));
  h.core().disconnected(c, h.now);
  c = h.hello(7);
  h.receive(c, quagga_verify(0x01, 0));
  EXPECT_EQ(h.core().collect(h.now + std::chrono::hours{24}), 0U);
  EXPECT_TRUE(h.forgotten.empty());
}

TEST(ConversationKeepWindow, ConfiguredMinimumApplies) {
  ServerCore::Options options;
  options.min_keep_window = std::chrono::seconds{60};
  Harness h(options);
  const auto c = h.hello(7);
  h.receive(c, quagga_verify(0x00, 1));  // stored without holder: the window starts at once
  EXPECT_EQ(h.core().collect(h.now + std::chrono::seconds{59}), 0U);
  EXPECT_EQ(h.core().collect(h.now + std::chrono::seconds{60}), 1U);
}

TEST(ConversationLimits, PerProxyLimitGetsError5AndNothingElse) {
  ServerCore::Options options;
  options.max_updates_per_proxy = 1;
  Harness h(options);
  const auto a = h.hello(7);
  const auto b = h.hello(8);
  h.receive(a, quagga_verify(0x81, 1));
  h.sent.clear();
  h.receive(a, other_verify(0x81, 2));
  EXPECT_EQ(h.to(a), (V{error(5)}));
  EXPECT_TRUE(h.closed.empty());
  EXPECT_EQ(h.core().update_count(), 1U);
  EXPECT_EQ(h.validations.size(), 1U);
  h.receive(a, quagga_verify(0x81, 3));  // the one it holds: still answered
  EXPECT_EQ(h.to(a).size(), 2U);
  h.receive(b, other_verify(0x81, 4));  // another proxy has its own allowance
  EXPECT_EQ(h.to(b).size(), 1U);
  EXPECT_EQ(h.core().connections()[0].counters.errors, 1U);
}

TEST(ConversationLimits, TotalLimitGetsError5) {
  ServerCore::Options options;
  options.max_updates = 1;
  Harness h(options);
  const auto a = h.hello(7);
  h.receive(a, quagga_verify(0x00, 1));
  h.receive(a, other_verify(0x80, 2));
  EXPECT_EQ(h.to(a), (V{error(5)}));
  EXPECT_EQ(h.core().update_count(), 1U);
}

TEST(ConversationSign, UnknownUpdateGetsError5ThenSyncRequest) {
  Harness h;
  const auto c = h.hello(7);
  h.feed(c, "05 0001 01 00000000 00000018 2e427f2b 00000001 0000fde9");
  EXPECT_EQ(h.to(c), (V{error(5), Harness::compact("0a 000000 00000000 0000000c")}));
  EXPECT_TRUE(h.closed.empty());
}

TEST(ConversationSign, KnownUpdateIsSignedOrRefusedByTheHook) {
  Harness h;
  const auto c = h.hello(7, 65005);
  h.receive(c, quagga_verify(0x00, 1));
  h.receive(c, srx::SignRequestPdu{1, 1, kQuaggaId, 1, 65001});
  EXPECT_EQ(h.to(c), (V{error(4)}));
  std::uint32_t seen_as = 0;
  h.signer = [&](std::uint32_t, const UpdateContent&, const srx::SignRequestPdu& request,
                 std::uint32_t as) -> base::Result<base::Bytes, srx::SrxError> {
    seen_as = as;
    return base::Bytes{0xaa, static_cast<std::uint8_t>(request.peer_as & 0xff)};
  };
  h.sent.clear();
  h.receive(c, srx::SignRequestPdu{1, 1, kQuaggaId, 1, 65001});
  EXPECT_EQ(h.to(c), (V{Harness::compact("07 000000 00000000 00000016 2e427f2b 00000002 aae9")}));
  EXPECT_EQ(seen_as, 65005U);
  EXPECT_EQ(h.core().connections()[0].counters.sign_requests, 2U);
}

}  // namespace
}  // namespace bgpsecd::validation_server::test
