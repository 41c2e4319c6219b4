// SPDX-License-Identifier: BSD-2-Clause
// The RFC 4271 §8 FSM driven event by event: the happy path to Established, each timer,
// NOTIFICATION and unexpected messages in each state, malformed input, the idle-hold
// back-off, passive mode and collision resolution. Actions are compared as short strings.
#include "session/fsm.hpp"

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "wire/keepalive.hpp"
#include "wire/notification.hpp"
#include "wire/update.hpp"

namespace bgpsecd::session {
namespace {

using Strings = std::vector<std::string>;

constexpr std::uint32_t kOurId = 0x0A000001;
constexpr std::uint32_t kPeerId = 0x0A000002;

std::string describe(const Action& action) {
  return std::visit(
      [](const auto& a) -> std::string {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, Connect>) {
          return "connect";
        } else if constexpr (std::is_same_v<A, SendMessage>) {
          std::string s = std::string("send ") + wire::message_type_name(a.type);
          if (a.type == wire::MessageType::Notification) {
            auto n = wire::decode_notification(std::span<const std::uint8_t>(a.bytes).subspan(19));
            s += n ? " " + std::to_string(n->code) + "/" + std::to_string(n->subcode) +
                         (n->data.empty() ? "" : " " + base::to_hex(n->data))
                   : " (undecodable)";
          }
          return s;
        } else if constexpr (std::is_same_v<A, CloseConnection>) {
          return "close";
        } else if constexpr (std::is_same_v<A, StartTimer>) {
          return std::string("start ") + timer_name(a.timer) + " " +
                 std::to_string(a.duration.count());
        } else if constexpr (std::is_same_v<A, StopTimer>) {
          return std::string("stop ") + timer_name(a.timer);
        } else if constexpr (std::is_same_v<A, DeliverUpdate>) {
          return "deliver UPDATE";
        } else if constexpr (std::is_same_v<A, DeliverRouteRefresh>) {
          return "deliver ROUTE-REFRESH";
        } else if constexpr (std::is_same_v<A, SessionEstablished>) {
          return "established";
        } else {
          static_assert(std::is_same_v<A, SessionDown>);
          std::string s = std::string("down (") + down_reason_name(a.reason) + " in " +
                          state_name(a.from) + ")";
          if (a.received) {
            s += " received " + std::to_string(a.received->code) + "/" +
                 std::to_string(a.received->subcode);
          }
          return s;
        }
      },
      action);
}

Strings describe(const std::vector<Action>& actions) {
  Strings out;
  for (const auto& a : actions) {
    out.push_back(describe(a));
  }
  return out;
}

SessionConfig our_session() {
  SessionConfig c;
  c.local_as = base::Asn(65001);
  c.router_id = kOurId;
  c.peer_as = base::Asn(65002);
  c.hold_time = 90;
  c.families = {kIpv4Unicast, kIpv6Unicast};
  c.bgpsec = {true, true, true, true};
  return c;
}

SessionConfig peer_session() {
  auto c = our_session();
  c.local_as = base::Asn(65002);
  c.router_id = kPeerId;
  c.peer_as = base::Asn(65001);
  return c;
}

base::Bytes open_bytes(const SessionConfig& c) {
  return wire::encode_open(build_open(c).value(), wire::EncodeContext{}).value();
}

base::Bytes eor_bytes() {
  return wire::encode_update(wire::make_end_of_rib(base::Afi::Ipv4), wire::EncodeContext{}).value();
}

base::Bytes notification_bytes(std::uint8_t code, std::uint8_t sub) {
  return wire::encode_notification({code, sub, {}}, wire::EncodeContext{});
}

FsmConfig config() {
  FsmConfig c;
  c.session = our_session();
  return c;
}

Fsm make(const FsmConfig& c = config()) {
  auto fsm = Fsm::create(c);
  EXPECT_TRUE(fsm.has_value()) << (fsm ? "" : fsm.error().message);
  return std::move(fsm).value();
}

// Drives a fresh FSM to `target` along the happy path.
void drive(Fsm& fsm, State target, const SessionConfig& peer = peer_session()) {
  if (fsm.state() == State::Idle) {
    (void)fsm.handle(ManualStart{});
  }
  if (target == State::Connect || fsm.state() == target) {
    return;
  }
  (void)fsm.handle(TcpConnectionConfirmed{});
  if (target == State::OpenSent) {
    return;
  }
  (void)fsm.receive_bytes(open_bytes(peer));
  if (target == State::OpenConfirm) {
    return;
  }
  (void)fsm.receive_bytes(wire::encode_keepalive());
}

TEST(Fsm, Rfc4271Sec8_HappyPathToEstablished) {
  auto fsm = make();
  EXPECT_EQ(fsm.state(), State::Idle);

  EXPECT_EQ(describe(fsm.handle(ManualStart{})), (Strings{"start ConnectRetry 120", "connect"}));
  EXPECT_EQ(fsm.state(), State::Connect);

  auto actions = fsm.handle(TcpConnectionConfirmed{});
  EXPECT_EQ(describe(actions), (Strings{"stop ConnectRetry", "send OPEN", "start Hold 240"}));
  EXPECT_EQ(fsm.state(), State::OpenSent);
  // The OPEN sent is our config's OPEN, byte for byte.
  EXPECT_EQ(base::to_hex(std::get<SendMessage>(actions[1]).bytes),
            base::to_hex(open_bytes(our_session())));

  EXPECT_EQ(describe(fsm.receive_bytes(open_bytes(peer_session()))),
            (Strings{"send KEEPALIVE", "start Keepalive 30", "start Hold 90"}));
  EXPECT_EQ(fsm.state(), State::OpenConfirm);
  ASSERT_TRUE(fsm.negotiated().has_value());
  EXPECT_EQ(fsm.negotiated()->peer_bgp_id, kPeerId);
  EXPECT_TRUE(fsm.decode_context().extended_messages);
  EXPECT_EQ(fsm.decode_context().bgpsec, (wire::BgpsecDirections{true, true, true, true}));

  actions = fsm.receive_bytes(wire::encode_keepalive());
  EXPECT_EQ(describe(actions), (Strings{"start Hold 90", "start Stable 60", "established"}));
  EXPECT_EQ(fsm.state(), State::Established);
  EXPECT_EQ(std::get<SessionEstablished>(actions.back()).negotiated.peer_as, base::Asn(65002));

  actions = fsm.receive_bytes(eor_bytes());
  EXPECT_EQ(describe(actions), (Strings{"start Hold 90", "deliver UPDATE"}));
  EXPECT_TRUE(wire::end_of_rib(std::get<DeliverUpdate>(actions.back()).update.update).has_value());

  const auto rr = base::from_hex(
                      "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
                      "0017"
                      "05"
                      "00010001")
                      .value();
  EXPECT_EQ(describe(fsm.receive_bytes(rr)), (Strings{"start Hold 90", "deliver ROUTE-REFRESH"}));
  EXPECT_EQ(describe(fsm.receive_bytes(wire::encode_keepalive())), (Strings{"start Hold 90"}));
}

TEST(Fsm, OpenAndKeepaliveInOneRead) {
  auto fsm = make();
  drive(fsm, State::OpenSent);
  auto read = open_bytes(peer_session());
  const auto ka = wire::encode_keepalive();
  read.insert(read.end(), ka.begin(), ka.end());
  EXPECT_EQ(describe(fsm.receive_bytes(read)),
            (Strings{"send KEEPALIVE", "start Keepalive 30", "start Hold 90", "start Hold 90",
                     "start Stable 60", "established"}));
  EXPECT_EQ(fsm.state(), State::Established);
}

TEST(Fsm, Rfc4271Sec8_2_2_PassiveWaitsInActive) {
  auto c = config();
  c.passive = true;
  auto fsm = make(c);
  EXPECT_EQ(describe(fsm.handle(ManualStart{})), Strings{});
  EXPECT_EQ(fsm.state(), State::Active);
  EXPECT_FALSE(fsm.timer_armed(Timer::ConnectRetry));
  EXPECT_EQ(describe(fsm.handle(TcpConnectionConfirmed{})),
            (Strings{"send OPEN", "start Hold 240"}));
  EXPECT_EQ(fsm.state(), State::OpenSent);
  // Losing that connection in OpenSent goes back to listening, still without connecting out.
  EXPECT_EQ(describe(fsm.handle(TcpConnectionFails{})),
            (Strings{"stop Hold", "close", "down (connection failed in OpenSent)"}));
  EXPECT_EQ(fsm.state(), State::Active);
}

TEST(Fsm, Rfc4271Sec8_2_2_IdleRefusesConnections) {
  auto fsm = make();
  EXPECT_EQ(describe(fsm.handle(TcpConnectionConfirmed{})), (Strings{"close"}));
  EXPECT_EQ(fsm.state(), State::Idle);
  EXPECT_EQ(describe(fsm.receive_bytes(wire::encode_keepalive())), Strings{});
}

// ---- timers ----

TEST(Fsm, Rfc4271Sec8_2_2_ConnectRetryExpiry) {
  auto fsm = make();
  drive(fsm, State::Connect);
  EXPECT_EQ(describe(fsm.handle(TimerExpired{Timer::ConnectRetry})),
            (Strings{"close", "start ConnectRetry 120", "connect"}));
  EXPECT_EQ(fsm.state(), State::Connect);

  // Connect fails: Active, waiting for ConnectRetry; its expiry connects again.
  EXPECT_EQ(describe(fsm.handle(TcpConnectionFails{})),
            (Strings{"close", "start ConnectRetry 120"}));
  EXPECT_EQ(fsm.state(), State::Active);
  EXPECT_EQ(describe(fsm.handle(TimerExpired{Timer::ConnectRetry})),
            (Strings{"start ConnectRetry 120", "connect"}));
  EXPECT_EQ(fsm.state(), State::Connect);
}

TEST(Fsm, Rfc4271Sec6_5_HoldTimerExpiryInEachState) {
  struct Case {
    State state;
    Strings expect;
  };
  const Case cases[] = {
      {State::OpenSent,
       {"send NOTIFICATION 4/0", "stop Hold", "close", "down (hold timer expired in OpenSent)",
        "start IdleHold 5"}},
      {State::OpenConfirm,
       {"send NOTIFICATION 4/0", "stop Hold", "stop Keepalive", "close",
        "down (hold timer expired in OpenConfirm)", "start IdleHold 5"}},
      {State::Established,
       {"send NOTIFICATION 4/0", "stop Hold", "stop Keepalive", "stop Stable", "close",
        "down (hold timer expired in Established)", "start IdleHold 5"}},
  };
  for (const auto& c : cases) {
    auto fsm = make();
    drive(fsm, c.state);
    ASSERT_EQ(fsm.state(), c.state);
    // The timer fires: the FSM no longer counts it armed, so it is not stopped again.
    auto actions = fsm.handle(TimerExpired{Timer::Hold});
    auto expect = c.expect;
    std::erase(expect, "stop Hold");
    EXPECT_EQ(describe(actions), expect) << state_name(c.state);
    EXPECT_EQ(fsm.state(), State::Idle);
    const auto& down = std::get<SessionDown>(actions[actions.size() - 2]);
    EXPECT_EQ(down.was_established, c.state == State::Established);
    ASSERT_TRUE(down.sent.has_value());
    EXPECT_EQ(down.sent->code, base::notify::kHoldTimerExpired);
  }
}

TEST(Fsm, Rfc4271Sec10_KeepaliveExpirySendsKeepalive) {
  for (const State s : {State::OpenConfirm, State::Established}) {
    auto fsm = make();
    drive(fsm, s);
    EXPECT_EQ(describe(fsm.handle(TimerExpired{Timer::Keepalive})),
              (Strings{"send KEEPALIVE", "start Keepalive 30"}))
        << state_name(s);
    EXPECT_EQ(fsm.state(), s);
  }
}

TEST(Fsm, Rfc4271Sec10_ConfiguredKeepaliveInterval) {
  auto c = config();
  c.session.keepalive = 7;
  auto fsm = make(c);
  drive(fsm, State::OpenSent);
  EXPECT_EQ(describe(fsm.receive_bytes(open_bytes(peer_session()))),
            (Strings{"send KEEPALIVE", "start Keepalive 7", "start Hold 90"}));
  // A peer with a smaller hold time: a third of it still wins.
  auto fast_peer = peer_session();
  fast_peer.hold_time = 9;
  auto other = make(c);
  drive(other, State::OpenSent);
  EXPECT_EQ(describe(other.receive_bytes(open_bytes(fast_peer))),
            (Strings{"send KEEPALIVE", "start Keepalive 3", "start Hold 9"}));
}

TEST(Fsm, Rfc4724Sec4_1_RestartStateOnlyUntilTheFirstSession) {
  auto c = config();
  c.session.graceful_restart = GracefulRestartConfig{};
  c.session.graceful_restart->restarting = true;
  c.session.graceful_restart->forwarding_preserved = {kIpv4Unicast, kIpv6Unicast};
  auto fsm = make(c);
  const auto restarting_open = open_bytes(c.session);
  (void)fsm.handle(ManualStart{});
  auto actions = fsm.handle(TcpConnectionConfirmed{});
  EXPECT_EQ(base::to_hex(std::get<SendMessage>(actions[1]).bytes), base::to_hex(restarting_open));
  // A connection that fails before Established: the next OPEN still says we restarted.
  (void)fsm.handle(TcpConnectionFails{});
  drive(fsm, State::Connect);
  actions = fsm.handle(TcpConnectionConfirmed{});
  ASSERT_EQ(describe(actions)[1], "send OPEN");
  EXPECT_EQ(base::to_hex(std::get<SendMessage>(actions[1]).bytes), base::to_hex(restarting_open));
  (void)fsm.receive_bytes(open_bytes(peer_session()));
  (void)fsm.receive_bytes(wire::encode_keepalive());
  ASSERT_EQ(fsm.state(), State::Established);
  // After the session came up: no R bit, the F bit for every family (a later reset of the
  // session keeps what forwards on our routes).
  auto plain = c.session;
  plain.graceful_restart->restarting = false;
  plain.graceful_restart->forwarding_preserved = plain.families;
  EXPECT_EQ(fsm.our_open(), build_open(plain).value());
  (void)fsm.handle(TcpConnectionFails{});
  (void)fsm.handle(TimerExpired{Timer::IdleHold});
  actions = fsm.handle(TcpConnectionConfirmed{});
  ASSERT_EQ(describe(actions)[1], "send OPEN");
  EXPECT_EQ(base::to_hex(std::get<SendMessage>(actions[1]).bytes), base::to_hex(open_bytes(plain)));
}

TEST(Fsm, Rfc4271Sec4_4_HoldTimeZeroMeansNoTimers) {
  auto c = config();
  c.session.hold_time = 0;
  auto fsm = make(c);
  drive(fsm, State::OpenSent);
  // The OpenSent hold timer is stopped and no keepalive timer is armed.
  EXPECT_EQ(describe(fsm.receive_bytes(open_bytes(peer_session()))),
            (Strings{"send KEEPALIVE", "stop Hold"}));
  EXPECT_EQ(describe(fsm.receive_bytes(wire::encode_keepalive())),
            (Strings{"start Stable 60", "established"}));
  EXPECT_FALSE(fsm.timer_armed(Timer::Hold));
  EXPECT_FALSE(fsm.timer_armed(Timer::Keepalive));
  EXPECT_EQ(describe(fsm.receive_bytes(eor_bytes())), (Strings{"deliver UPDATE"}));
}

TEST(Fsm, TimersNotArmedAreIgnored) {
  auto fsm = make();
  for (std::size_t t = 0; t < kTimerCount; ++t) {
    EXPECT_EQ(describe(fsm.handle(TimerExpired{static_cast<Timer>(t)})), Strings{});
  }
  drive(fsm, State::Established);
  // ConnectRetry was stopped when the connection came up: a late expiry does nothing.
  EXPECT_EQ(describe(fsm.handle(TimerExpired{Timer::ConnectRetry})), Strings{});
  EXPECT_EQ(describe(fsm.handle(TimerExpired{Timer::IdleHold})), Strings{});
  EXPECT_EQ(fsm.state(), State::Established);
}

// ---- NOTIFICATION and unexpected messages ----

TEST(Fsm, Rfc4271Sec8_2_2_NotificationReceivedInEachState) {
  for (const State s : {State::Connect, State::Active}) {
    auto fsm = make();
    drive(fsm, State::Connect);
    if (s == State::Active) {
      (void)fsm.handle(TcpConnectionFails{});
    }
    ASSERT_EQ(fsm.state(), s);
    EXPECT_EQ(describe(fsm.handle(NotificationReceived{{6, 2, {}}})), Strings{}) << state_name(s);
    EXPECT_EQ(fsm.state(), s);
  }
  for (const State s : {State::OpenSent, State::OpenConfirm, State::Established}) {
    auto fsm = make();
    drive(fsm, s);
    auto actions = fsm.receive_bytes(notification_bytes(6, 2));
    const auto strings = describe(actions);
    // No NOTIFICATION is sent in reply; the session closes and backs off.
    EXPECT_EQ(std::count(strings.begin(), strings.end(), "close"), 1) << state_name(s);
    EXPECT_EQ(strings.end()[-2],
              "down (NOTIFICATION received in " + std::string(state_name(s)) + ") received 6/2");
    EXPECT_EQ(strings.back(), "start IdleHold 5");
    for (const auto& a : strings) {
      EXPECT_EQ(a.find("send"), std::string::npos) << state_name(s);
    }
    EXPECT_EQ(fsm.state(), State::Idle);
  }
}

TEST(Fsm, Rfc6608_UnexpectedMessagesAreFsmErrors) {
  struct Case {
    State state;
    base::Bytes message;
    const char* sent;
  };
  const Case cases[] = {
      {State::OpenSent, wire::encode_keepalive(), "send NOTIFICATION 5/1"},
      {State::OpenSent, eor_bytes(), "send NOTIFICATION 5/1"},
      {State::OpenConfirm, eor_bytes(), "send NOTIFICATION 5/2"},
      {State::OpenConfirm, open_bytes(peer_session()), "send NOTIFICATION 5/2"},
      {State::Established, open_bytes(peer_session()), "send NOTIFICATION 5/3"},
  };
  for (const auto& c : cases) {
    auto fsm = make();
    drive(fsm, c.state);
    const auto strings = describe(fsm.receive_bytes(c.message));
    ASSERT_FALSE(strings.empty());
    EXPECT_EQ(strings.front(), c.sent) << state_name(c.state);
    EXPECT_EQ(strings.end()[-2],
              "down (unexpected message in " + std::string(state_name(c.state)) + ")");
    EXPECT_EQ(fsm.state(), State::Idle);
  }
}

// ---- malformed input ----

TEST(Fsm, Rfc4271Sec6_1_BadMarkerSendsNotificationAndCloses) {
  auto fsm = make();
  drive(fsm, State::Established);
  auto bad = wire::encode_keepalive();
  bad[0] = 0;
  EXPECT_EQ(describe(fsm.receive_bytes(bad)),
            (Strings{"send NOTIFICATION 1/1", "stop Hold", "stop Keepalive", "stop Stable", "close",
                     "down (malformed message in Established)", "start IdleHold 5"}));
  EXPECT_EQ(fsm.state(), State::Idle);
}

TEST(Fsm, Rfc4271Sec6_2_MalformedOrRejectedOpen) {
  struct Case {
    const char* name;
    base::Bytes open;
    const char* sent;
  };
  auto v3 = open_bytes(peer_session());
  v3[19] = 3;  // Version
  auto hold1 = open_bytes(peer_session());
  hold1[22] = 0;
  hold1[23] = 1;  // Hold Time 1
  auto wrong_as = peer_session();
  wrong_as.local_as = base::Asn(65003);
  const Case cases[] = {
      {"version 3", v3, "send NOTIFICATION 2/1 0004"},
      {"hold time 1", hold1, "send NOTIFICATION 2/6 0001"},
      {"bad peer AS", open_bytes(wrong_as), "send NOTIFICATION 2/2"},
  };
  for (const auto& c : cases) {
    auto fsm = make();
    drive(fsm, State::OpenSent);
    const auto strings = describe(fsm.receive_bytes(c.open));
    ASSERT_FALSE(strings.empty()) << c.name;
    EXPECT_EQ(strings.front(), c.sent) << c.name;
    EXPECT_EQ(fsm.state(), State::Idle) << c.name;
  }
}

TEST(Fsm, Rfc8654_MessageSizeFollowsTheNegotiatedContext) {
  // An UPDATE withdrawing 1500 /24s is 6023 octets.
  wire::UpdateMessage big;
  for (std::uint32_t i = 0; i < 1500; ++i) {
    big.withdrawn.emplace_back(base::IpAddress::v4(0x0A000000U + (i << 8)), std::uint8_t{24});
  }
  wire::EncodeContext ext;
  ext.extended_messages = true;
  const auto bytes = wire::encode_update(big, ext).value();
  ASSERT_GT(bytes.size(), 4096U);

  // We advertised extended messages: accepted.
  auto fsm = make();
  drive(fsm, State::Established);
  EXPECT_EQ(describe(fsm.receive_bytes(bytes)), (Strings{"start Hold 90", "deliver UPDATE"}));

  // We did not: Bad Message Length with the Length field as data.
  auto c = config();
  c.session.extended_messages = false;
  auto small = make(c);
  drive(small, State::Established);
  const auto strings = describe(small.receive_bytes(bytes));
  ASSERT_FALSE(strings.empty());
  EXPECT_EQ(strings.front(), "send NOTIFICATION 1/2 1787");
  EXPECT_EQ(small.state(), State::Idle);
}

// ---- stop, back-off, collisions ----

TEST(Fsm, Rfc4486_ManualStopSendsCeaseAndStaysIdle) {
  auto fsm = make();
  drive(fsm, State::Established);
  auto actions = fsm.handle(ManualStop{});
  EXPECT_EQ(describe(actions),
            (Strings{"send NOTIFICATION 6/2", "stop Hold", "stop Keepalive", "stop Stable", "close",
                     "down (manual stop in Established)"}));
  EXPECT_EQ(fsm.state(), State::Idle);
  EXPECT_FALSE(fsm.timer_armed(Timer::IdleHold));
  EXPECT_TRUE(std::get<SessionDown>(actions.back()).was_established);

  // Stopping while connecting just abandons the attempt.
  auto connecting = make();
  drive(connecting, State::Connect);
  EXPECT_EQ(describe(connecting.handle(ManualStop{})), (Strings{"stop ConnectRetry", "close"}));
  EXPECT_EQ(connecting.state(), State::Idle);
}

TEST(Fsm, Rfc8538Sec3_ManualStopSendsHardResetWhenTheNBitWasExchanged) {
  auto c = config();
  c.session.graceful_restart = GracefulRestartConfig{};
  c.session.graceful_restart->notification = true;
  auto peer = peer_session();
  peer.graceful_restart = c.session.graceful_restart;
  auto fsm = make(c);
  drive(fsm, State::Established, peer);
  ASSERT_TRUE(fsm.negotiated()->graceful_notification);
  auto actions = describe(fsm.handle(ManualStop{subcode::kCeaseAdminReset}));
  EXPECT_EQ(actions.front(), "send NOTIFICATION 6/9 0604");
  // A reset for changed configuration is not a Hard Reset: the peer keeps our routes.
  fsm = make(c);
  drive(fsm, State::Established, peer);
  actions = describe(fsm.handle(ManualStop{subcode::kCeaseOtherConfigChange}));
  EXPECT_EQ(actions.front(), "send NOTIFICATION 6/6");
  // Without N from the peer: the plain Cease.
  peer.graceful_restart->notification = false;
  fsm = make(c);
  drive(fsm, State::Established, peer);
  actions = describe(fsm.handle(ManualStop{subcode::kCeaseAdminReset}));
  EXPECT_EQ(actions.front(), "send NOTIFICATION 6/4");
}

TEST(Fsm, Rfc4271Sec8_1_2_Event5_AutomaticStartPassiveOnlyInsteadOfAPendingRestart) {
  auto fsm = make();
  drive(fsm, State::Established);
  (void)fsm.handle(TcpConnectionFails{});
  ASSERT_TRUE(fsm.timer_armed(Timer::IdleHold));
  EXPECT_EQ(describe(fsm.handle(AutomaticStartPassive{})),
            (Strings{"stop IdleHold", "start ConnectRetry 120"}));
  EXPECT_EQ(fsm.state(), State::Active);
  EXPECT_EQ(describe(fsm.handle(TcpConnectionConfirmed{})).front(), "stop ConnectRetry");
  EXPECT_EQ(fsm.state(), State::OpenSent);

  // After ManualStop (or before any start) the session stays down.
  auto stopped = make();
  drive(stopped, State::Established);
  (void)stopped.handle(ManualStop{});
  EXPECT_EQ(describe(stopped.handle(AutomaticStartPassive{})), Strings{});
  EXPECT_EQ(stopped.state(), State::Idle);
  auto fresh = make();
  EXPECT_EQ(describe(fresh.handle(AutomaticStartPassive{})), Strings{});
  EXPECT_EQ(fresh.state(), State::Idle);
}

TEST(Fsm, Rfc4271Sec8_1_1_IdleHoldBackoffGrowsAndResetsAfterStableSession) {
  auto fsm = make();
  (void)fsm.handle(ManualStart{});
  Strings holds;
  for (int i = 0; i < 7; ++i) {
    drive(fsm, State::OpenSent);
    const auto actions = describe(fsm.handle(TimerExpired{Timer::Hold}));
    holds.push_back(actions.back());
    // IdleHold expiry restarts by itself.
    EXPECT_EQ(describe(fsm.handle(TimerExpired{Timer::IdleHold})),
              (Strings{"start ConnectRetry 120", "connect"}));
  }
  EXPECT_EQ(holds, (Strings{"start IdleHold 5", "start IdleHold 10", "start IdleHold 20",
                            "start IdleHold 40", "start IdleHold 80", "start IdleHold 120",
                            "start IdleHold 120"}));

  // An Established session that drops before Stable fires keeps the back-off ...
  drive(fsm, State::Established);
  EXPECT_EQ(describe(fsm.handle(TcpConnectionFails{})).back(), "start IdleHold 120");
  (void)fsm.handle(TimerExpired{Timer::IdleHold});
  // ... one that lasts resets it.
  drive(fsm, State::Established);
  EXPECT_EQ(describe(fsm.handle(TimerExpired{Timer::Stable})), Strings{});
  EXPECT_EQ(fsm.next_idle_hold().count(), 5);
  EXPECT_EQ(describe(fsm.handle(TcpConnectionFails{})).back(), "start IdleHold 5");
  EXPECT_EQ(fsm.next_idle_hold().count(), 10);
}

TEST(Fsm, Rfc4271Sec6_8_CollisionDumpSendsCease7) {
  auto fsm = make();
  drive(fsm, State::OpenConfirm);
  EXPECT_EQ(describe(fsm.handle(CollisionDump{})),
            (Strings{"send NOTIFICATION 6/7", "stop Hold", "stop Keepalive", "close",
                     "down (connection collision in OpenConfirm)"}));
  EXPECT_EQ(fsm.state(), State::Idle);
  EXPECT_FALSE(fsm.timer_armed(Timer::IdleHold));
}

TEST(Fsm, Rfc4271Sec6_8_ResolveCollision) {
  // The higher BGP Identifier keeps the connection it initiated.
  EXPECT_EQ(resolve_collision(kPeerId, kOurId, base::Asn(1), base::Asn(2)),
            KeepConnection::LocallyInitiated);
  EXPECT_EQ(resolve_collision(kOurId, kPeerId, base::Asn(2), base::Asn(1)),
            KeepConnection::RemotelyInitiated);
  // Unsigned comparison: 192.0.2.1 is higher than 10.0.0.1.
  EXPECT_EQ(resolve_collision(0xC0000201, kOurId, base::Asn(1), base::Asn(1)),
            KeepConnection::LocallyInitiated);
  // RFC 6286 §2.3: equal identifiers, the larger AS wins.
  EXPECT_EQ(resolve_collision(kOurId, kOurId, base::Asn(65002), base::Asn(65001)),
            KeepConnection::LocallyInitiated);
  EXPECT_EQ(resolve_collision(kOurId, kOurId, base::Asn(65001), base::Asn(4200000000)),
            KeepConnection::RemotelyInitiated);
  // Both ends decide alike: what one keeps as its own, the other keeps as the remote's.
  for (const auto& [a, b] : {std::pair{1U, 2U}, std::pair{7U, 7U}}) {
    const auto mine = resolve_collision(a, b, base::Asn(10), base::Asn(20));
    const auto theirs = resolve_collision(b, a, base::Asn(20), base::Asn(10));
    EXPECT_NE(mine, theirs);
  }
}

TEST(Fsm, CreateRejectsBadConfig) {
  auto c = config();
  c.session.hold_time = 2;
  EXPECT_FALSE(Fsm::create(c).has_value());
  c = config();
  c.session.peer_as = base::kAsTrans;
  EXPECT_FALSE(Fsm::create(c).has_value());
  c = config();
  c.idle_hold_max = std::chrono::seconds(1);
  EXPECT_FALSE(Fsm::create(c).has_value());
}

}  // namespace
}  // namespace bgpsecd::session
