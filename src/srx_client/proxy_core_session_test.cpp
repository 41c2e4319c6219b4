// SPDX-License-Identifier: BSD-2-Clause
// ProxyCore: the session. HELLO, HELLO_RESPONSE, GOODBYE, ERROR, SYNC_REQUEST, PEER_CHANGE,
// timeouts and what the server must not send (docs/srx-proxy.md §2, §3, §7.1, §7.4). Each PDU
// is checked byte for byte.
#include <gtest/gtest.h>

#include "srx/test_vectors.hpp"
#include "srx_client/proxy_core_test_util.hpp"

namespace bgpsecd::srx_client::test {
namespace {

using V = std::vector<std::string>;
using std::chrono::seconds;

const std::string kGoodbye = Harness::compact("02 0384 00 00000000 0000000c");  // keepWindow 900

TEST(ProxySession, HelloCarriesIdAsAndPeerCount) {
  Harness h;
  h.core().connected(h.now);
  EXPECT_EQ(h.take(),
            V{Harness::compact("00 0003 00 00000000 00000018 00000007 0000fde8 00000000")});
  EXPECT_EQ(h.core().state(), ProxyState::AwaitingHelloResponse);
}

TEST(ProxySession, HelloListsEveryPeer) {
  auto options = Harness::default_options();
  options.peers = {65001, 65002};
  Harness h(options);
  h.core().connected(h.now);
  EXPECT_EQ(h.take(), V{Harness::compact("00 0003 00 00000000 00000020 00000007 0000fde8 00000002 "
                                         "0000fde9 0000fdea")});
}

TEST(ProxySession, HelloResponseMakesActiveAndAssignedIdIsKept) {
  auto options = Harness::default_options();
  options.proxy_id = 0;
  Harness h(options);
  h.core().connected(h.now);
  h.take();
  h.feed("01 0003 00 00000000 00000010 ffffffff");
  EXPECT_EQ(h.core().state(), ProxyState::Active);
  EXPECT_EQ(h.core().proxy_id(), 0xffffffffU);
  // The reconnect asks for the same ID, so that the server's reservation is found.
  h.core().disconnected(h.now);
  EXPECT_EQ(h.core().state(), ProxyState::Disconnected);
  h.core().connected(h.now);
  EXPECT_EQ(h.take(),
            V{Harness::compact("00 0003 00 00000000 00000018 ffffffff 0000fde8 00000000")});
}

TEST(ProxySession, NoHelloResponseWithinTimeoutEndsWithGoodbye) {
  Harness h;
  h.core().connected(h.now);
  h.take();
  h.now += seconds{9};
  h.core().tick(h.now);
  EXPECT_TRUE(h.closed.empty());
  h.now += seconds{1};
  h.core().tick(h.now);
  EXPECT_EQ(h.take(), V{kGoodbye});
  EXPECT_EQ(h.closed, V{"no HELLO_RESPONSE within 10 s"});
  EXPECT_EQ(h.core().state(), ProxyState::Closing);
}

TEST(ProxySession, GoodbyeFromServerClosesWithoutAnswer) {
  Harness h;
  h.activate();
  h.feed("02 0000 00 00000000 0000000c");
  EXPECT_TRUE(h.take().empty());
  EXPECT_EQ(h.closed, V{"the server said GOODBYE"});
  // Nothing counts after the end.
  h.feed("0a 000000 00000000 0000000c");
  EXPECT_TRUE(h.take().empty());
}

// docs/srx-proxy.md §3: codes 0-3 end the session (the server sends GOODBYE and closes).
TEST(ProxySession, SessionEndingErrorsClose) {
  for (const char* pdu : {"0b 0000 00 00000000 0000000c", "0b 0001 00 00000000 0000000c",
                          "0b 0002 00 00000000 0000000c", "0b 0003 00 00000000 0000000c"}) {
    Harness h;
    h.activate();
    h.feed(pdu);
    EXPECT_TRUE(h.take().empty()) << pdu;
    ASSERT_EQ(h.closed.size(), 1U) << pdu;
    EXPECT_EQ(h.closed[0].rfind("the server sent ERROR ", 0), 0U) << h.closed[0];
    EXPECT_EQ(h.core().counters().errors, 1U);
  }
}

TEST(ProxySession, DuplicateProxyIdBeforeHelloResponseCloses) {
  Harness h;
  h.core().connected(h.now);
  h.take();
  h.feed("0b 0001 00 00000000 0000000c");
  EXPECT_EQ(h.closed.size(), 1U);
  EXPECT_EQ(h.core().state(), ProxyState::Closing);
}

TEST(ProxySession, MalformedInputEndsWithGoodbye) {
  Harness h;
  h.activate();
  // A VERIFY_NOTIFICATION of 16 bytes (the PDF's length, not the deployed 20).
  h.feed("06 83 03 03 03 00 0000 00000010 00000001");
  EXPECT_EQ(h.take(), V{kGoodbye});
  ASSERT_EQ(h.closed.size(), 1U);
  EXPECT_EQ(h.closed[0].rfind("malformed input from the server", 0), 0U) << h.closed[0];
}

TEST(ProxySession, WrongHelloResponseVersionEndsWithGoodbye) {
  Harness h;
  h.core().connected(h.now);
  h.take();
  h.feed("01 0002 00 00000000 00000010 00000007");
  EXPECT_EQ(h.take(), V{kGoodbye});
  EXPECT_EQ(h.closed.size(), 1U);
}

TEST(ProxySession, ProxyToServerTypesFromTheServerEndTheSession) {
  const std::vector<srx::SrxPdu> pdus{srx::test::hello_pdu(1, 2), srx::SignRequestPdu{},
                                      srx::DeleteUpdatePdu{}, srx::PeerChangePdu{}};
  for (const auto& pdu : pdus) {
    Harness h;
    h.activate();
    h.receive(pdu);
    EXPECT_EQ(h.take(), V{kGoodbye});
    EXPECT_EQ(h.closed.size(), 1U);
  }
}

TEST(ProxySession, ResultsBeforeHelloResponseEndTheSession) {
  Harness h;
  h.core().connected(h.now);
  h.take();
  h.feed("06 83 03 03 03 00 0000 00000014 00000001 2e427f2b");
  EXPECT_EQ(h.take(), V{kGoodbye});
  EXPECT_EQ(h.closed, V{"VERIFY_NOTIFICATION before HELLO_RESPONSE"});
}

TEST(ProxySession, SecondHelloResponseEndsTheSession) {
  Harness h;
  h.activate();
  h.feed("01 0003 00 00000000 00000010 00000007");
  EXPECT_EQ(h.take(), V{kGoodbye});
  EXPECT_EQ(h.closed.size(), 1U);
}

TEST(ProxySession, PeerChangeSentWhenActiveAndListedInTheNextHello) {
  Harness h;
  h.core().peer_change(65010, true);  // not connected: only remembered
  EXPECT_TRUE(h.take().empty());
  h.activate();
  h.core().peer_change(65011, true);
  h.core().peer_change(65011, true);  // already known: nothing
  h.core().peer_change(65010, false);
  EXPECT_EQ(h.take(), (V{Harness::compact("09 0000 01 00000000 00000010 0000fdf3"),
                         Harness::compact("09 0000 00 00000000 00000010 0000fdf2")}));
  h.core().disconnected(h.now);
  h.core().connected(h.now);
  EXPECT_EQ(h.take(), V{Harness::compact("00 0003 00 00000000 0000001c 00000007 0000fde8 00000001 "
                                         "0000fdf3")});
}

TEST(ProxySession, ShutdownSaysGoodbyeOnce) {
  Harness h;
  h.core().shutdown();  // not connected: nothing to say
  EXPECT_TRUE(h.take().empty());
  h.activate();
  h.core().shutdown();
  h.core().shutdown();
  EXPECT_EQ(h.take(), V{kGoodbye});
  EXPECT_EQ(h.closed, V{"shut down"});
}

TEST(ProxySession, SyncRequestRightAfterHelloResponseIsAnsweredByTheReplay) {
  Harness h;
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));
  h.core().connected(h.now);
  h.take();
  h.feed("01 0003 00 00000000 00000010 00000007");
  h.feed("0a 000000 00000000 0000000c");
  EXPECT_EQ(h.take(), V{Harness::encoded(verify_request(plain_route(), 1))});
  EXPECT_EQ(h.core().counters().syncs, 0U);
  // A later SYNC_REQUEST sends every route again, with a new token.
  h.receipt(1, kPlainId);
  h.feed("0a 000000 00000000 0000000c");
  EXPECT_EQ(h.take(), V{Harness::encoded(verify_request(plain_route(), 2))});
  EXPECT_EQ(h.core().counters().syncs, 1U);
}

TEST(ProxySession, ReconnectSendsEveryRouteAgainAndKeepsResults) {
  Harness h;
  h.activate();
  ASSERT_TRUE(h.core().submit(1, plain_route(), h.now));
  h.receipt(1, kPlainId);
  h.notify(kPlainId, srx::kFlagOrigin, srx::SrxResult::Valid);
  h.take();
  h.core().disconnected(h.now);
  EXPECT_EQ(h.core().route(1)->pending, srx::kFlagOrigin);
  EXPECT_FALSE(h.core().route(1)->update_id);
  EXPECT_EQ(h.core().results(1)->origin, srx::SrxResult::Valid);
  h.core().connected(h.now);
  h.take();
  h.receive(srx::HelloResponsePdu{7});
  EXPECT_EQ(h.take(), V{Harness::encoded(verify_request(plain_route(), 2))});
}

}  // namespace
}  // namespace bgpsecd::srx_client::test
