// SPDX-License-Identifier: BSD-2-Clause
// ServerCore: handshake, GOODBYE, reconnect and the malformed-input matrix (docs/srx-proxy.md
// §7.1, §7.4). Each PDU is checked byte for byte.
#include <gtest/gtest.h>

#include "validation_server/conversation_test_util.hpp"

namespace bgpsecd::validation_server::test {
namespace {

using V = std::vector<std::string>;

std::string error(std::uint16_t code) { return Harness::encoded(srx::ErrorPdu{code}); }
std::string goodbye() { return Harness::encoded(srx::GoodbyePdu{900}); }

TEST(ConversationHandshake, HelloGetsResponseThenSyncRequest) {
  Harness h;
  const auto c = h.connect();
  h.feed(c, "00 0003 00 00000000 00000014 7f000028 0000fde8");
  EXPECT_EQ(h.to(c), (V{Harness::compact("01 0003 00 00000000 00000010 7f000028"),
                        Harness::compact("0a 000000 00000000 0000000c")}));
  EXPECT_TRUE(h.closed.empty());
  const auto views = h.core().connections();
  ASSERT_EQ(views.size(), 1U);
  EXPECT_EQ(views[0].proxy_id, 0x7f000028U);
  EXPECT_EQ(views[0].asn, 65000U);
  EXPECT_EQ(views[0].state, ConnectionState::Active);
}

TEST(ConversationHandshake, OnlyConnectionsNotClosedCount) {
  Harness h;
  const auto a = h.hello(7);
  const auto turned_away = h.connect();
  const auto refused = h.connect();
  EXPECT_EQ(h.core().open_connection_count(), 3U);
  h.core().turn_away(turned_away);
  EXPECT_EQ(h.core().open_connection_count(), 2U);
  // Turned away: nothing is sent, and a PDU still in its socket is ignored.
  h.receive(turned_away, srx::test::hello_pdu(8, 65008));
  EXPECT_TRUE(h.to(turned_away).empty());
  // Refused after a protocol error: ERROR, GOODBYE, and it counts no longer.
  h.feed(refused, "00 0002 00 00000000 00000014 7f000028 0000fde8");
  EXPECT_EQ(h.core().open_connection_count(), 1U);
  EXPECT_EQ(h.core().connections().size(), 3U);  // until the transport reports them gone
  h.core().disconnected(turned_away, Clock::now());
  h.core().disconnected(refused, Clock::now());
  EXPECT_EQ(h.core().connections().size(), 1U);
  EXPECT_EQ(h.core().connections()[0].id, a);
}

TEST(ConversationHandshake, ProxyIdZeroGetsUniqueNonZeroIds) {
  Harness h;
  const auto a = h.connect();
  h.receive(a, srx::test::hello_pdu(0, 65001));
  const auto b = h.connect();
  h.receive(b, srx::test::hello_pdu(0, 65002));
  const auto ra = h.to(a);
  const auto rb = h.to(b);
  ASSERT_EQ(ra.size(), 2U);
  ASSERT_EQ(rb.size(), 2U);
  EXPECT_EQ(ra[0], Harness::encoded(srx::HelloResponsePdu{0xffffffff}));
  EXPECT_EQ(rb[0], Harness::encoded(srx::HelloResponsePdu{0xfffffffe}));
  EXPECT_TRUE(h.closed.empty());
}

TEST(ConversationHandshake, WrongVersionGetsError0GoodbyeClose) {
  Harness h;
  const auto c = h.connect();
  h.feed(c, "00 0002 00 00000000 00000014 7f000028 0000fde8");
  EXPECT_EQ(h.to(c), (V{Harness::compact("0b 0000 00 00000000 0000000c"), goodbye()}));
  EXPECT_EQ(h.closed, (std::vector<ConnectionId>{c}));
}

TEST(ConversationHandshake, SecondActiveConnectionWithSameIdGetsError1) {
  Harness h;
  const auto first = h.hello(7);
  const auto second = h.connect();
  h.receive(second, srx::test::hello_pdu(7, 65005));
  EXPECT_EQ(h.to(second), (V{error(1), Harness::encoded(srx::GoodbyePdu{})}));
  EXPECT_EQ(h.closed, (std::vector<ConnectionId>{second}));
  EXPECT_TRUE(h.to(first).empty());
  // The first session is untouched: it still gets receipts.
  h.receive(first, quagga_verify(0x80, 9));
  EXPECT_EQ(h.to(first).size(), 1U);
}

TEST(ConversationHandshake, ReconnectAfterTcpLossKeepsTheIdAndStoredResults) {
  Harness h;
  auto c = h.hello(7);
  h.receive(c, quagga_verify(0x81, 1));
  h.core().on_result(kQuaggaId, ResultType::Origin, srx::SrxResult::Valid,
                     h.validations.at(0).generation);
  h.core().disconnected(c, h.now);
  EXPECT_EQ(h.core().update(kQuaggaId)->holders.size(), 0U);
  c = h.hello(7);
  EXPECT_TRUE(h.closed.empty());
  // A SYNC re-send without receipt: default = stored -> nothing; default differs -> notified.
  h.receive(c, quagga_verify(0x01, 0, 0));
  EXPECT_TRUE(h.to(c).empty());
  h.receive(c, quagga_verify(0x01, 0, 2));
  EXPECT_EQ(h.to(c), (V{Harness::compact("06 01 00 03 03 00 0000 00000014 00000000 2e427f2b")}));
  EXPECT_EQ(h.validations.size(), 1U);  // the known result is not computed again
}

TEST(ConversationHandshake, GoodbyeFromProxyDropsHoldsFreesIdAndCloses) {
  Harness h;
  const auto c = h.hello(7);
  h.receive(c, quagga_verify(0x81, 1));
  h.sent.clear();
  h.feed(c, "02 0384 00 00000000 0000000c");
  EXPECT_TRUE(h.to(c).empty());
  EXPECT_EQ(h.closed, (std::vector<ConnectionId>{c}));
  EXPECT_TRUE(h.core().update(kQuaggaId)->holders.empty());
  // The result no longer goes to anyone.
  h.core().on_result(kQuaggaId, ResultType::Origin, srx::SrxResult::Valid,
                     h.validations.at(0).generation);
  EXPECT_TRUE(h.sent.empty());
}

TEST(ConversationHandshake, PeerChangeIsSilentEvenBeforeHello) {
  Harness h;
  const auto c = h.connect();
  h.feed(c, "09 0000 01 00000000 00000010 0000fde9");
  EXPECT_TRUE(h.sent.empty());
  EXPECT_TRUE(h.closed.empty());
  h.feed(c, "00 0003 00 00000000 00000014 7f000028 0000fde8");
  EXPECT_EQ(h.to(c).size(), 2U);
}

TEST(ConversationHandshake, VerifyRightAfterHelloIsAccepted) {
  Harness h;
  const auto c = h.connect();
  h.receive(c, srx::test::hello_pdu(7, 65005));
  h.receive(c, quagga_verify(0x83, 1));
  const auto out = h.to(c);
  ASSERT_EQ(out.size(), 3U);
  EXPECT_EQ(out[2], Harness::compact("06 83 03 03 03 00 0000 00000014 00000001 2e427f2b"));
}

TEST(ConversationHandshake, ShutdownSaysGoodbyeToEveryOpenConnection) {
  Harness h;
  const auto a = h.hello(1);
  const auto b = h.connect();
  h.core().shutdown();
  EXPECT_EQ(h.to(a), (V{goodbye()}));
  EXPECT_EQ(h.to(b), (V{goodbye()}));
  EXPECT_EQ(h.closed, (std::vector<ConnectionId>{a, b}));
}

// The malformed matrix: each input gets exactly ERROR <code>, GOODBYE and a close; another
// established connection sees nothing and keeps working.
struct Bad {
  const char* name;
  bool after_hello;
  const char* bytes;
  std::uint16_t code;
};
const Bad kBad[] = {
    {"short GOODBYE", true, "02 0000 00 00000000 0000000b", 2},
    {"long GOODBYE", true, "02 0384 00 00000000 00000010 00000000", 2},
    {"wrong version", false, "00 0004 00 00000000 00000014 7f000028 0000fde8", 0},
    {"unknown type 12", true, "0c 000000 00000000 0000000c", 2},
    {"unknown type 200", true, "c8 000000 00000000 0000000c", 2},
    {"second HELLO", true, "00 0003 00 00000000 00000014 7f000029 0000fde8", 2},
    {"HELLO_RESPONSE from a proxy", true, "01 0003 00 00000000 00000010 7f000028", 2},
    {"VERIFY_NOTIFICATION from a proxy", true, "06 83 03 03 03 00 0000 00000014 00000001 2e427f2b",
     2},
    {"SYNC_REQUEST from a proxy", true, "0a 000000 00000000 0000000c", 2},
    {"ERROR from a proxy", false, "0b 0005 00 00000000 0000000c", 2},
    {"DELETE before HELLO", false, "08 0384 00 00000000 00000010 2e427f2b", 3},
    {"SIGN before HELLO", false, "05 0001 01 00000000 00000018 2e427f2b 00000001 0000fde9", 3},
};

TEST(ConversationHandshake, MalformedMatrix) {
  for (const auto& bad : kBad) {
    SCOPED_TRACE(bad.name);
    Harness h;
    const auto bystander = h.hello(1);
    const auto c = bad.after_hello ? h.hello(2) : h.connect();
    h.feed(c, bad.bytes);
    EXPECT_EQ(h.to(c), (V{error(bad.code), goodbye()}));
    EXPECT_EQ(h.closed, (std::vector<ConnectionId>{c}));
    // Anything after the refusal is ignored.
    h.receive(c, quagga_verify(0x81, 1));
    EXPECT_EQ(h.to(c).size(), 2U);
    EXPECT_TRUE(h.to(bystander).empty());
    h.receive(bystander, quagga_verify(0x80, 5));
    EXPECT_EQ(h.to(bystander).size(), 1U);
  }
}

TEST(ConversationHandshake, VerifyBeforeHelloGetsError3) {
  Harness h;
  const auto c = h.connect();
  h.receive(c, quagga_verify(0x81, 1));
  EXPECT_EQ(h.to(c), (V{Harness::compact("0b 0003 00 00000000 0000000c"), goodbye()}));
  EXPECT_EQ(h.core().update_count(), 0U);
}

TEST(ConversationHandshake, RefusedSessionReleasesItsUpdates) {
  Harness h;
  const auto c = h.hello(2);
  h.receive(c, quagga_verify(0x81, 1));
  h.feed(c, "0c 000000 00000000 0000000c");
  EXPECT_TRUE(h.core().update(kQuaggaId)->holders.empty());
  // The ID is free again for a reconnect.
  const auto again = h.hello(2);
  EXPECT_EQ(h.core().connections().back().id, again);
  EXPECT_EQ(h.core().connections().back().state, ConnectionState::Active);
}

}  // namespace
}  // namespace bgpsecd::validation_server::test
