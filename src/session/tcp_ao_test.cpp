// SPDX-License-Identifier: BSD-2-Clause
// TCP-AO (RFC 5925): which keys a socket holds and sends with as lifetimes pass (pure), and on
// real loopback sockets (127.0.41.3 and .4, kernel-chosen ports) where the kernel has TCP-AO:
// matching keys connect, a wrong key never does, and a key rolls on a live connection. On a
// kernel without TCP-AO the probe must say so, and adding a key must fail with that reason.
#include "session/tcp_ao.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace bgpsecd::session {
namespace {

using asio::ip::tcp;
using std::chrono::hours;

const WallClock::time_point kNow = WallClock::time_point{} + hours(24 * 365 * 57);

AoKey key(std::uint8_t send_id, std::uint8_t recv_id, std::string secret = "secret") {
  AoKey k;
  k.send_id = send_id;
  k.recv_id = recv_id;
  k.secret = std::move(secret);
  return k;
}

TEST(TcpAoPlan, OneOpenKeyIsInstalledAndSends) {
  const auto plan = plan_ao_keys({key(1, 2)}, kNow);
  ASSERT_EQ(plan.installed.size(), 1U);
  ASSERT_TRUE(plan.send_key);
  EXPECT_EQ(plan.installed[*plan.send_key].send_id, 1);
  EXPECT_FALSE(plan.next_change);
}

TEST(TcpAoPlan, RolloverMovesTheSendKeyAndKeepsAcceptingTheOld) {
  // The old key sends until the switch and is accepted for an hour after; the new one is
  // accepted an hour before it starts sending (RFC 5925 §6.1: both ends hold it first).
  AoKey old_key = key(1, 1, "old");
  old_key.send_until = kNow;
  old_key.accept_until = kNow + hours(1);
  AoKey new_key = key(2, 2, "new");
  new_key.accept_from = kNow - hours(1);
  new_key.send_from = kNow;

  const auto before = plan_ao_keys({old_key, new_key}, kNow - hours(2));
  ASSERT_EQ(before.installed.size(), 1U);
  EXPECT_EQ(before.installed[*before.send_key].send_id, 1);
  EXPECT_EQ(before.next_change, kNow - hours(1));

  const auto overlap = plan_ao_keys({old_key, new_key}, kNow - hours(1));
  ASSERT_EQ(overlap.installed.size(), 2U);
  EXPECT_EQ(overlap.installed[*overlap.send_key].send_id, 1);
  EXPECT_EQ(overlap.next_change, kNow);

  const auto switched = plan_ao_keys({old_key, new_key}, kNow);
  ASSERT_EQ(switched.installed.size(), 2U);
  EXPECT_EQ(switched.installed[*switched.send_key].send_id, 2);
  EXPECT_EQ(switched.next_change, kNow + hours(1));

  const auto after = plan_ao_keys({old_key, new_key}, kNow + hours(1));
  ASSERT_EQ(after.installed.size(), 1U);
  EXPECT_EQ(after.installed[0].send_id, 2);
  EXPECT_FALSE(after.next_change);
}

TEST(TcpAoPlan, PreferredWinsThenLatestSendStartThenHigherId) {
  AoKey a = key(1, 1);
  AoKey b = key(2, 2);
  b.send_from = kNow - hours(2);
  AoKey c = key(3, 3);
  c.send_from = kNow - hours(1);
  auto plan = plan_ao_keys({a, b, c}, kNow);
  EXPECT_EQ(plan.installed[*plan.send_key].send_id, 3);
  a.preferred = true;
  plan = plan_ao_keys({a, b, c}, kNow);
  EXPECT_EQ(plan.installed[*plan.send_key].send_id, 1);
  // Two open keys: the higher SendID.
  plan = plan_ao_keys({key(4, 4), key(5, 5)}, kNow);
  EXPECT_EQ(plan.installed[*plan.send_key].send_id, 5);
}

TEST(TcpAoPlan, AcceptOnlyKeyIsHeldButNeverSends) {
  AoKey k = key(1, 1);
  k.send_until = kNow - hours(1);
  const auto plan = plan_ao_keys({k}, kNow);
  EXPECT_EQ(plan.installed.size(), 1U);
  EXPECT_FALSE(plan.send_key);
}

TEST(TcpAoPlan, FutureAndExpiredKeysAreNotHeld) {
  AoKey future = key(1, 1);
  future.send_from = future.accept_from = kNow + hours(3);
  AoKey expired = key(2, 2);
  expired.send_until = expired.accept_until = kNow - hours(3);
  const auto plan = plan_ao_keys({future, expired}, kNow);
  EXPECT_TRUE(plan.installed.empty());
  EXPECT_FALSE(plan.send_key);
  EXPECT_EQ(plan.next_change, kNow + hours(3));
}

TEST(TcpAoAlgorithm, NamesRoundTrip) {
  for (const auto a :
       {AoAlgorithm::HmacSha1_96, AoAlgorithm::AesCmac128_96, AoAlgorithm::HmacSha256}) {
    EXPECT_EQ(parse_ao_algorithm(ao_algorithm_name(a)), a);
  }
  EXPECT_EQ(ao_kernel_algorithm(AoAlgorithm::HmacSha1_96), "hmac(sha1)");
  EXPECT_EQ(ao_kernel_algorithm(AoAlgorithm::AesCmac128_96), "cmac(aes128)");
  EXPECT_FALSE(parse_ao_algorithm("md5"));
}

const asio::ip::address kHost = asio::ip::make_address("127.0.41.3");
const asio::ip::address kClient = asio::ip::make_address("127.0.41.4");

TEST(TcpAoKernel, WithoutKernelSupportEveryCallSaysWhatIsMissing) {
  if (tcp_ao_available()) {
    GTEST_SKIP() << "this kernel has TCP-AO";
  }
  const auto probe = tcp_ao_available();
  EXPECT_NE(probe.error().message.find("CONFIG_TCP_AO"), std::string::npos)
      << probe.error().message;
  asio::io_context io;
  tcp::socket client(io);
  client.open(tcp::v4());
  const auto added = add_ao_key(client.native_handle(), false, kHost, key(1, 1), true);
  ASSERT_FALSE(added);
  EXPECT_NE(added.error().message.find("CONFIG_TCP_AO"), std::string::npos);
  EXPECT_EQ(added.error().message.find("secret"), std::string::npos);  // never the key
}

// Whether a byte from a client holding `client_keys` (sending with the first) reaches a
// listener holding `listener_keys` within a second.
bool byte_arrives(const std::vector<AoKey>& listener_keys, const std::vector<AoKey>& client_keys,
                  tcp::socket* keep_client = nullptr, tcp::socket* keep_server = nullptr) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(kHost, 0));
  for (const AoKey& k : listener_keys) {
    EXPECT_TRUE(add_ao_key(acceptor.native_handle(), false, kClient, k, false));
  }
  tcp::socket client(io);
  client.open(tcp::v4());
  client.bind(tcp::endpoint(kClient, 0));
  for (std::size_t i = 0; i < client_keys.size(); ++i) {
    EXPECT_TRUE(add_ao_key(client.native_handle(), false, kHost, client_keys[i], i == 0));
  }
  tcp::socket server(io);
  bool got = false;
  std::array<char, 1> buffer{};
  acceptor.async_accept(server, [&](const asio::error_code& ec) {
    if (!ec) {
      server.async_read_some(asio::buffer(buffer),
                             [&](const asio::error_code& e, std::size_t n) { got = !e && n == 1; });
    }
  });
  client.async_connect(acceptor.local_endpoint(), [&](const asio::error_code& ec) {
    if (!ec) {
      asio::write(client, asio::buffer("x", 1));
    }
  });
  io.run_for(std::chrono::seconds(1));
  if (keep_client != nullptr && keep_server != nullptr && got) {
    *keep_client = std::move(client);
    *keep_server = std::move(server);
  }
  return got;
}

TEST(TcpAoKernel, MatchingKeysConnectAndAWrongKeyNever) {
  if (!tcp_ao_available()) {
    GTEST_SKIP() << tcp_ao_available().error().message;
  }
  // The client's SendID is the listener's RecvID and the other way round.
  EXPECT_TRUE(byte_arrives({key(2, 1, "s3cret")}, {key(1, 2, "s3cret")}));
  EXPECT_FALSE(byte_arrives({key(2, 1, "s3cret")}, {key(1, 2, "wrong")}));
  EXPECT_FALSE(byte_arrives({key(2, 1, "s3cret")}, {}));
}

TEST(TcpAoKernel, AKeyRollsOnALiveConnection) {
  if (!tcp_ao_available()) {
    GTEST_SKIP() << tcp_ao_available().error().message;
  }
  asio::io_context io;
  tcp::socket client(io);
  tcp::socket server(io);
  ASSERT_TRUE(byte_arrives({key(2, 1, "old")}, {key(1, 2, "old")}, &client, &server));
  // Both ends get the new key (RFC 5925 §6.1), then the client switches to it and drops the
  // old one; the server follows the client's RNextKeyID.
  AoKeyPlan with_both{{key(2, 1, "old"), key(4, 3, "new")}, 0, std::nullopt};
  auto applied =
      apply_ao_plan(server.native_handle(), false, false, kClient, {key(2, 1, "old")}, with_both);
  ASSERT_TRUE(applied.outcome) << applied.outcome.error().message;
  AoKeyPlan client_new{{key(3, 4, "new")}, 0, std::nullopt};
  applied =
      apply_ao_plan(client.native_handle(), false, false, kHost, {key(1, 2, "old")}, client_new);
  ASSERT_TRUE(applied.outcome) << applied.outcome.error().message;
  ASSERT_EQ(applied.held.size(), 1U);
  asio::write(client, asio::buffer("y", 1));
  std::array<char, 1> buffer{};
  asio::error_code ec;
  server.read_some(asio::buffer(buffer), ec);
  EXPECT_FALSE(ec);
  EXPECT_EQ(buffer[0], 'y');
  const auto state = ao_socket_state(client.native_handle());
  ASSERT_TRUE(state);
  EXPECT_EQ(state->current_send_id, 3);
}

}  // namespace
}  // namespace bgpsecd::session
