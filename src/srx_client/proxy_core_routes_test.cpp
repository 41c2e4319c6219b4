// SPDX-License-Identifier: BSD-2-Clause
// ProxyCore: routes. VERIFY requests, receipts, results at once and pushed later,
// DELETE_UPDATE, refusals, timeouts, SIGN_REQUEST and SIGN_NOTIFICATION (docs/srx-proxy.md §2,
// §7.2-§7.5, §9). Each PDU is checked byte for byte.
#include <gtest/gtest.h>

#include "srx/test_vectors.hpp"
#include "srx/update_id.hpp"
#include "srx_client/proxy_core_test_util.hpp"

namespace bgpsecd::srx_client::test {
namespace {

using V = std::vector<std::string>;
using std::chrono::seconds;
constexpr auto kOrigin = srx::kFlagOrigin;
constexpr auto kPath = srx::kFlagPath;
constexpr auto kValid = srx::SrxResult::Valid;
constexpr auto kInvalid = srx::SrxResult::Invalid;

std::string delete_update(std::uint32_t id) {
  return Harness::encoded(srx::DeleteUpdatePdu{900, id});
}

TEST(ProxyRoutes, VerifyV4Bytes) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(kOrigin | kPath), h.now));
  // Flags 0x83 (origin, path, receipt), AS_SEQUENCE, defaults 3, token 1, 10.0.0.0/24, AS
  // 65100, no path, SCA prefix AFI 1 SAFI 1, local AS 0 (the server takes the HELLO's).
  EXPECT_EQ(h.take(), V{Harness::compact("03 83 00 00 00 00 02 00 0000003c 03 03 03 18 00000001 "
                                         "0a000000 0000fe4c 00000000 0000 0000 0001 01 18 "
                                         "0a000000 000000000000000000000000 00000000")});
  EXPECT_EQ(h.core().awaiting_answers(), 1U);
}

TEST(ProxyRoutes, VerifyV6DecodesAsTheStandardLayout) {
  RouteRequest request;
  request.prefix = base::Prefix::parse("2001:db8:1::/48").value();
  request.origin_as = 65000;
  request.as_path = {65001, 65000};
  const auto pdu = verify_request(request, 9);
  const auto bytes = srx::encode_srx_pdu(pdu).value();
  EXPECT_EQ(bytes[0], 4);
  auto decoded = srx::decode_srx_pdu(bytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(std::get<srx::VerifyRequestPdu>(*decoded), pdu);
  EXPECT_EQ(pdu.layout, srx::VerifyLayout::Standard);
  // docs/srx-proxy.md §4: the server computes the same ID from what we send.
  EXPECT_EQ(srx::update_id(pdu), 0xEF54DB5EU);
}

// The captured QuaggaSRx route, sent by us: the server gets the same update (ID 2E427F2B).
TEST(ProxyRoutes, CapturedQuaggaRouteGivesNistsUpdateId) {
  const auto captured =
      std::get<srx::VerifyRequestPdu>(srx::decode_srx_pdu(hex(srx::test::kQuaggaVerifyV4)).value());
  RouteRequest request;
  request.prefix = base::Prefix(captured.prefix_address, captured.prefix_length);
  request.origin_as = captured.origin_as;
  request.as_path = captured.as_path;
  request.bgpsec_attribute = captured.bgpsec_attribute;
  request.local_as = captured.local_as;
  EXPECT_EQ(srx::update_id(verify_request(request, 1)), 0x2E427F2BU);
}

TEST(ProxyRoutes, SubmittedBeforeTheSessionIsSentAtHelloResponse) {
  Harness h;
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));
  EXPECT_TRUE(h.take().empty());
  h.core().connected(h.now);
  h.feed("01 0003 00 00000000 00000010 00000007");
  const auto sent = h.take();
  ASSERT_EQ(sent.size(), 2U);
  EXPECT_EQ(sent[1], Harness::encoded(verify_request(plain_route(), 1)));
}

TEST(ProxyRoutes, ReceiptThenResultThenLaterChange) {
  Harness h;
  h.activate();
  auto request = plain_route(kOrigin | kPath);
  request.defaults.origin = srx::SrxResult::NotFound;
  ASSERT_TRUE(h.core().submit(1, request, h.now));
  EXPECT_EQ(h.core().results(1)->origin, srx::SrxResult::NotFound);  // the default meanwhile
  // Receipt: 0x83, values 3 (nothing known yet), token 1, ID F0F4232E.
  h.feed("06 83 03 03 03 00 0000 00000014 00000001 f0f4232e");
  EXPECT_TRUE(h.events.empty());
  EXPECT_EQ(h.core().route(1)->update_id, kPlainId);
  EXPECT_EQ(h.core().route(1)->pending, kOrigin | kPath);
  EXPECT_EQ(h.core().awaiting_answers(), 0U);
  // Origin valid.
  h.feed("06 01 00 03 03 00 0000 00000014 00000000 f0f4232e");
  ASSERT_EQ(h.events.size(), 1U);
  EXPECT_EQ(h.events[0].key, 1U);
  EXPECT_EQ(h.events[0].arrived, kOrigin);
  EXPECT_EQ(h.events[0].changed, kOrigin);
  EXPECT_EQ(h.events[0].results.origin, kValid);
  EXPECT_EQ(h.core().route(1)->pending, kPath);
  // Path invalid, equal to nothing before: arrived and changed from the default 3.
  h.feed("06 02 00 02 03 00 0000 00000014 00000000 f0f4232e");
  ASSERT_EQ(h.events.size(), 2U);
  EXPECT_EQ(h.events[1].arrived, kPath);
  EXPECT_EQ(h.events[1].results.path, kInvalid);
  EXPECT_EQ(h.core().route(1)->pending, 0);
  // Pushed later (an RPKI change, docs/srx-proxy.md §7.3): origin invalid.
  h.feed("06 01 02 02 03 00 0000 00000014 00000000 f0f4232e");
  ASSERT_EQ(h.events.size(), 3U);
  EXPECT_EQ(h.events[2].arrived, 0);
  EXPECT_EQ(h.events[2].changed, kOrigin);
  EXPECT_EQ(h.events[2].results.origin, kInvalid);
  // The same value again: no event.
  h.feed("06 01 02 02 03 00 0000 00000014 00000000 f0f4232e");
  EXPECT_EQ(h.events.size(), 3U);
  EXPECT_EQ(h.core().counters().notifications, 4U);
  EXPECT_EQ(h.take(), V{Harness::encoded(verify_request(request, 1))});
}

// The latencies an operator sees: VERIFY to receipt, and VERIFY to the last wanted result;
// a result pushed later (the route was answered already) is not a latency.
TEST(ProxyRoutes, ReceiptAndResultLatencies) {
  using std::chrono::milliseconds;
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(kOrigin | kPath), h.now));
  h.now += milliseconds(4);
  h.feed("06 83 03 03 03 00 0000 00000014 00000001 f0f4232e");
  h.now += milliseconds(16);
  h.feed("06 01 00 03 03 00 0000 00000014 00000000 f0f4232e");  // origin: path still pending
  EXPECT_EQ(h.core().counters().result_latency.count(), 0U);
  h.now += milliseconds(20);
  h.feed("06 02 00 00 03 00 0000 00000014 00000000 f0f4232e");  // path: all there after 40 ms
  h.now += milliseconds(500);
  h.feed("06 02 00 02 03 00 0000 00000014 00000000 f0f4232e");  // pushed later
  const auto& c = h.core().counters();
  ASSERT_EQ(c.receipt_latency.count(), 1U);
  EXPECT_NEAR(c.receipt_latency.sum_seconds(), 0.004, 1e-9);
  ASSERT_EQ(c.result_latency.count(), 1U);
  EXPECT_NEAR(c.result_latency.sum_seconds(), 0.040, 1e-9);
}

TEST(ProxyRoutes, ReceiptOfAKnownUpdateCarriesItsResults) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(kOrigin | kPath), h.now));
  h.feed("06 83 00 03 03 00 0000 00000014 00000001 f0f4232e");
  ASSERT_EQ(h.events.size(), 1U);
  EXPECT_EQ(h.events[0].arrived, kOrigin);
  EXPECT_EQ(h.events[0].results.origin, kValid);
  EXPECT_EQ(h.core().route(1)->pending, kPath);
}

TEST(ProxyRoutes, TypesNotWantedAreIgnored) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(kOrigin), h.now));
  h.receipt(1, kPlainId);
  h.notify(kPlainId, kPath | srx::kFlagAspa, kValid);
  EXPECT_TRUE(h.events.empty());
  EXPECT_EQ(h.core().results(1)->path, srx::SrxResult::Undefined);
}

TEST(ProxyRoutes, NotificationForAnUnknownUpdateIsIgnored) {
  Harness h;
  h.activate();
  h.notify(0x1234, kOrigin, kValid);
  EXPECT_TRUE(h.events.empty());
  EXPECT_TRUE(h.closed.empty());
}

TEST(ProxyRoutes, ReceiptForATokenNeverSentIsIgnored) {
  Harness h;
  h.activate();
  h.receipt(42, kPlainId);
  EXPECT_TRUE(h.take().empty());
  EXPECT_TRUE(h.closed.empty());
}

TEST(ProxyRoutes, TwoRoutesOfOneUpdateShareResultsAndTheHold) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));
  ASSERT_TRUE(h.core().submit(2, plain_route(), h.now));
  h.receipt(1, kPlainId);
  h.receipt(2, kPlainId);
  h.take();
  h.notify(kPlainId, kOrigin, kValid);
  ASSERT_EQ(h.events.size(), 2U);
  EXPECT_EQ(h.events[0].key, 1U);
  EXPECT_EQ(h.events[1].key, 2U);
  h.core().withdraw(1);
  EXPECT_TRUE(h.take().empty());  // route 2 still holds the update
  h.core().withdraw(2);
  EXPECT_EQ(h.take(), V{delete_update(kPlainId)});
  EXPECT_EQ(h.core().counters().deletes, 1U);
  EXPECT_EQ(h.core().route_count(), 0U);
}

TEST(ProxyRoutes, DeleteUpdateBytes) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));
  h.receipt(1, kPlainId);
  h.take();
  h.core().withdraw(1);
  EXPECT_EQ(h.take(), V{Harness::compact("08 0384 00 00000000 00000010 f0f4232e")});
}

TEST(ProxyRoutes, WithdrawnBeforeItsReceiptIsDeletedWhenTheReceiptComes) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));
  h.take();
  h.core().withdraw(1);
  EXPECT_TRUE(h.take().empty());
  h.receipt(1, kPlainId);
  EXPECT_EQ(h.take(), V{delete_update(kPlainId)});
  EXPECT_TRUE(h.events.empty());
}

TEST(ProxyRoutes, StoreOnlyRouteIsNeverDeleted) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(0), h.now));
  EXPECT_EQ(h.take(), V{Harness::encoded(verify_request(plain_route(0), 1))});
  h.receipt(1, kPlainId, 0);
  h.core().withdraw(1);
  // docs/srx-proxy.md §7.2: flags 0x80 alone make us no holder; DELETE would get ERROR 5.
  EXPECT_TRUE(h.take().empty());
}

TEST(ProxyRoutes, ReplacedRouteDeletesTheOldUpdateAndSendsTheNew) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));
  h.receipt(1, kPlainId);
  h.take();
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));  // unchanged: nothing
  EXPECT_TRUE(h.take().empty());
  auto other = plain_route();
  other.origin_as = 65101;
  ASSERT_TRUE(h.core().submit(1, other, h.now));
  EXPECT_EQ(h.take(), (V{delete_update(kPlainId), Harness::encoded(verify_request(other, 2))}));
  EXPECT_EQ(h.core().route(1)->request, other);
}

TEST(ProxyRoutes, UnencodableRouteIsRefused) {
  Harness h;
  h.activate();
  auto request = plain_route();
  request.bgpsec_attribute.assign(70000, 0);
  auto submitted = h.core().submit(1, request, h.now);
  ASSERT_FALSE(submitted);
  EXPECT_EQ(submitted.error().code, srx::SrxErrorCode::InternalError);
  EXPECT_EQ(h.core().route_count(), 0U);
  EXPECT_TRUE(h.take().empty());
}

TEST(ProxyRoutes, NoReceiptWithinTimeoutEndsTheSession) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));
  h.take();
  h.now += seconds{29};
  h.core().tick(h.now);
  EXPECT_TRUE(h.closed.empty());
  h.now += seconds{1};
  h.core().tick(h.now);
  EXPECT_EQ(h.take(), V{Harness::compact("02 0384 00 00000000 0000000c")});
  EXPECT_EQ(h.closed, V{"no answer to the VERIFY with token 1 within 30 s"});
}

// docs/srx-proxy.md §7.5: ERROR 5 refuses one VERIFY and the session goes on.
TEST(ProxyRoutes, Error5RefusesTheOldestVerifyAndTheSessionStays) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));
  auto other = plain_route();
  other.origin_as = 65101;
  ASSERT_TRUE(h.core().submit(2, other, h.now));
  h.feed("0b 0005 00 00000000 0000000c");
  EXPECT_TRUE(h.closed.empty());
  EXPECT_EQ(h.core().counters().refused, 1U);
  EXPECT_EQ(h.core().route(1)->pending, 0);
  EXPECT_EQ(h.core().awaiting_answers(), 1U);
  h.receipt(2, 0x1111);
  EXPECT_EQ(h.core().route(2)->update_id, 0x1111U);
  // No timeout for the refused one.
  h.now += seconds{60};
  h.core().tick(h.now);
  EXPECT_TRUE(h.closed.empty());
}

TEST(ProxyRoutes, Error5WithNothingWaitingIsLogged) {
  Harness h;
  h.activate();
  h.feed("0b 0005 00 00000000 0000000c");
  EXPECT_TRUE(h.closed.empty());
  EXPECT_EQ(h.core().counters().errors, 1U);
}

TEST(ProxyRoutes, SignWaitsForTheUpdateIdThenGetsTheNotification) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));
  h.take();
  const SignParameters parameters{1, 0x01, 1, 65003};
  ASSERT_TRUE(h.core().sign(1, parameters, h.now));
  EXPECT_TRUE(h.take().empty());
  EXPECT_EQ(h.core().route(1)->signs, std::vector<SignParameters>{parameters});
  h.receipt(1, kPlainId);
  // SIGN_REQUEST: algorithm 1, block type 0x01, update ID, prepend counter 1, peer AS 65003.
  EXPECT_EQ(h.take(),
            V{Harness::compact("05 0001 01 00000000 00000018 f0f4232e 00000001 0000fdeb")});
  EXPECT_EQ(h.core().counters().sign_requests, 1U);
  // docs/srx-proxy.md §9: block type 0x01, the new segment (pCount 1, flags 0, AS 65000), a
  // 20-byte SKI, signature length 2 and 2 signature bytes.
  h.feed(
      "07 000000 00000000 00000032 f0f4232e 0000001e 01 00 0000fde8 "
      "0102030405060708090a0b0c0d0e0f1011121314 0002 abcd");
  ASSERT_EQ(h.signs.size(), 1U);
  EXPECT_EQ(h.signs[0].key, 1U);
  EXPECT_EQ(h.signs[0].parameters, parameters);
  ASSERT_TRUE(h.signs[0].answer);
  EXPECT_EQ(base::to_hex(*h.signs[0].answer),
            Harness::compact("01 00 0000fde8 0102030405060708090a0b0c0d0e0f1011121314 0002 abcd"));
  EXPECT_EQ(h.core().awaiting_answers(), 0U);
}

TEST(ProxyRoutes, SignRefusedWithError4KeepsTheSession) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));
  h.receipt(1, kPlainId);
  ASSERT_TRUE(h.core().sign(1, SignParameters{2, 0, 1, 65003}, h.now));
  h.feed("0b 0004 00 00000000 0000000c");
  ASSERT_EQ(h.signs.size(), 1U);
  ASSERT_FALSE(h.signs[0].answer);
  EXPECT_EQ(h.signs[0].answer.error().code, srx::SrxErrorCode::AlgorithmNotSupported);
  EXPECT_TRUE(h.closed.empty());
}

// bgpsecvd answers a SIGN_REQUEST for an update it lost with ERROR 5, then SYNC_REQUEST.
TEST(ProxyRoutes, SignForALostUpdateFailsAndTheSyncSendsTheRouteAgain) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));
  h.receipt(1, kPlainId);
  ASSERT_TRUE(h.core().sign(1, SignParameters{}, h.now));
  h.take();
  h.feed("0b 0005 00 00000000 0000000c");
  h.feed("0a 000000 00000000 0000000c");
  ASSERT_EQ(h.signs.size(), 1U);
  EXPECT_EQ(h.signs[0].answer.error().code, srx::SrxErrorCode::UpdateNotFound);
  EXPECT_EQ(h.take(), V{Harness::encoded(verify_request(plain_route(), 2))});
}

TEST(ProxyRoutes, UnsolicitedSignNotificationIsIgnored) {
  Harness h;
  h.activate();
  h.receive(srx::SignNotificationPdu{kPlainId, base::Bytes{1, 2}});
  EXPECT_TRUE(h.signs.empty());
  EXPECT_TRUE(h.closed.empty());
}

TEST(ProxyRoutes, SignOfAnUnknownRouteFails) {
  Harness h;
  h.activate();
  EXPECT_FALSE(h.core().sign(5, SignParameters{}, h.now));
}

TEST(ProxyRoutes, UnansweredSignIsAskedAgainAfterAReconnect) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));
  h.receipt(1, kPlainId);
  ASSERT_TRUE(h.core().sign(1, SignParameters{}, h.now));
  h.core().disconnected(h.now);
  EXPECT_EQ(h.core().route(1)->signs.size(), 1U);
  h.core().connected(h.now);
  h.receive(srx::HelloResponsePdu{7});
  h.take();
  h.receipt(2, kPlainId);
  EXPECT_EQ(h.take(), V{Harness::encoded(srx::SignRequestPdu{1, 0, kPlainId, 1, 0})});
}

TEST(ProxyRoutes, HeldListsEveryRouteForAReplay) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(2, plain_route(kOrigin | kPath), h.now));
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));
  h.receipt(1, kPlainId, kOrigin | kPath);
  h.notify(kPlainId, kOrigin, kValid);
  const auto held = h.core().held();
  ASSERT_EQ(held.size(), 2U);
  EXPECT_EQ(held[0].key, 1U);
  EXPECT_FALSE(held[0].update_id);  // its receipt is still on the way
  EXPECT_EQ(held[1].key, 2U);
  EXPECT_EQ(held[1].update_id, kPlainId);
  EXPECT_EQ(held[1].known.origin, kValid);
  EXPECT_EQ(held[1].pending, kPath);
}

}  // namespace
}  // namespace bgpsecd::srx_client::test
