// SPDX-License-Identifier: BSD-2-Clause
// RFC 8538: the Cease we send (Hard Reset or not) and whether a session that went down keeps
// the peer's routes stale, for each kind of drop with and without the N bit.
#include "session/graceful_notification.hpp"

#include <gtest/gtest.h>

#include "base/wire_error.hpp"

namespace bgpsecd::session {
namespace {

Negotiated graceful(bool n_bit) {
  Negotiated n;
  n.graceful_restart = true;
  n.peer_graceful_restart = PeerGracefulRestart{};
  n.peer_graceful_restart->restart_time = 120;
  n.peer_graceful_restart->notification = n_bit;
  n.graceful_notification = n_bit;
  return n;
}

wire::NotificationMessage cease(std::uint8_t sub) { return {base::notify::kCease, sub, {}}; }

SessionDown down(DownReason reason, std::optional<wire::NotificationMessage> sent = std::nullopt,
                 std::optional<wire::NotificationMessage> received = std::nullopt) {
  return SessionDown{reason, State::Established, true, std::move(sent), std::move(received)};
}

TEST(GracefulNotification, Rfc8538Sec3_HardResetCarriesTheCeaseItReplaces) {
  // RFC 8538 §5 MUST rows: 1 max prefixes, 2 admin shutdown, 3 deconfigured, 4 admin reset.
  for (const int i : {1, 2, 3, 4}) {
    const auto sub = static_cast<std::uint8_t>(i);
    EXPECT_EQ(cease_notification(sub, true), (wire::NotificationMessage{6, 9, {6, sub}})) << +sub;
    EXPECT_EQ(cease_notification(sub, false), cease(sub)) << +sub;
  }
  // Other Configuration Change and Connection Collision Resolution stay graceful.
  for (const int i : {5, 6, 7}) {
    const auto sub = static_cast<std::uint8_t>(i);
    EXPECT_EQ(cease_notification(sub, true), cease(sub)) << +sub;
  }
  EXPECT_TRUE(is_hard_reset(cease_notification(subcode::kCeaseAdminReset, true)));
  EXPECT_FALSE(is_hard_reset(cease(subcode::kCeaseOtherConfigChange)));
  EXPECT_FALSE(is_hard_reset(wire::NotificationMessage{4, 9, {}}));  // not Cease
}

TEST(GracefulNotification, Rfc4724Sec4_WithoutTheNBitOnlyATcpFailureKeepsRoutes) {
  const auto n = graceful(false);
  EXPECT_TRUE(keeps_routes(n, down(DownReason::ConnectionFailed)));
  EXPECT_FALSE(keeps_routes(n, down(DownReason::NotificationReceived, std::nullopt, cease(6))));
  EXPECT_FALSE(keeps_routes(n, down(DownReason::ManualStop, cease(6))));
  EXPECT_FALSE(
      keeps_routes(n, down(DownReason::HoldTimerExpired, wire::NotificationMessage{4, 0, {}})));
}

TEST(GracefulNotification, Rfc8538Sec4_WithTheNBitEveryNotificationButHardResetKeepsRoutes) {
  const auto n = graceful(true);
  EXPECT_TRUE(keeps_routes(n, down(DownReason::ConnectionFailed)));
  // Received and sent, Cease or not.
  EXPECT_TRUE(keeps_routes(n, down(DownReason::NotificationReceived, std::nullopt, cease(4))));
  EXPECT_TRUE(keeps_routes(n, down(DownReason::ManualStop, cease(6))));
  EXPECT_TRUE(
      keeps_routes(n, down(DownReason::HoldTimerExpired, wire::NotificationMessage{4, 0, {}})));
  EXPECT_TRUE(
      keeps_routes(n, down(DownReason::MalformedMessage, wire::NotificationMessage{3, 1, {}})));
  // Hard Reset either way flushes.
  const auto hard = cease_notification(subcode::kCeaseAdminReset, true);
  EXPECT_FALSE(keeps_routes(n, down(DownReason::NotificationReceived, std::nullopt, hard)));
  EXPECT_FALSE(keeps_routes(n, down(DownReason::ManualStop, hard)));
}

TEST(GracefulNotification, NoGracefulRestartNoRetention) {
  auto n = graceful(true);
  auto d = down(DownReason::ConnectionFailed);
  d.was_established = false;
  EXPECT_FALSE(keeps_routes(n, d));
  n.peer_graceful_restart->restart_time = 0;
  EXPECT_FALSE(keeps_routes(n, down(DownReason::ConnectionFailed)));
  EXPECT_FALSE(keeps_routes(Negotiated{}, down(DownReason::ConnectionFailed)));
}

}  // namespace
}  // namespace bgpsecd::session
