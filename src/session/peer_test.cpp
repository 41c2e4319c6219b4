// SPDX-License-Identifier: BSD-2-Clause
// Two Peers in one process over loopback (127.0.0.1 <-> 127.0.0.2, real sockets and timers):
// session set-up, UPDATEs both plain IPv4 and MP_REACH IPv6, KEEPALIVEs with a 3 s hold time,
// Cease on stop() and the reconnect after the idle hold, simultaneous starts; RFC 4271 §6.8
// collisions against a remote played by the test. Each test has its own ports (17901-17912),
// so ctest may run them in parallel.
#include "session/peer.hpp"

#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "session/listener.hpp"
#include "wire/keepalive.hpp"
#include "wire/open.hpp"

namespace bgpsecd::session {
namespace {

using std::chrono::seconds;

struct Recorder : PeerHandler {
  explicit Recorder(std::string n) : name(std::move(n)) {}
  std::string name;
  std::vector<Negotiated> established;
  std::vector<wire::UpdateMessage> updates;
  std::vector<SessionDown> downs;
  std::vector<wire::RouteRefreshMessage> refreshes;
  int collision_lines = 0;

  void on_established(const Negotiated& n) override { established.push_back(n); }
  void on_update(wire::DecodedUpdate&& u) override {
    EXPECT_FALSE(u.has_errors());
    updates.push_back(std::move(u.update));
  }
  void on_route_refresh(const wire::RouteRefreshMessage& r) override { refreshes.push_back(r); }
  void on_down(const SessionDown& d) override { downs.push_back(d); }
  void on_log(LogLevel level, const std::string& text) override {
    if (text.find("collision") != std::string::npos) {
      ++collision_lines;
    }
    std::cerr << "[" << name << " " << log_level_name(level) << "] " << text << "\n";
  }
};

base::IpAddress ip(const char* text) { return base::IpAddress::parse(text).value(); }
base::Prefix pfx(const char* text) { return base::Prefix::parse(text).value(); }

wire::UpdateMessage ipv4_update() {
  wire::UpdateMessage u;
  u.attrs.origin = wire::Origin::Igp;
  u.attrs.as_path = wire::AsPath{{{wire::AsPathSegmentType::AsSequence, {base::Asn(65001)}}}};
  u.attrs.next_hop = ip("192.0.2.1");
  u.attrs.communities = {0xFDE90001};
  u.nlri = {pfx("198.51.100.0/24"), pfx("203.0.113.128/25")};
  return u;
}

wire::UpdateMessage ipv6_update() {
  wire::UpdateMessage u;
  u.attrs.origin = wire::Origin::Igp;
  u.attrs.as_path = wire::AsPath{{{wire::AsPathSegmentType::AsSequence, {base::Asn(65001)}}}};
  u.attrs.mp_reach = wire::MpReach{
      base::Afi::Ipv6, base::kSafiUnicast, {ip("2001:db8::1")}, {pfx("2001:db8:1::/48")}};
  return u;
}

// One side: its listener, its Peer and what it saw.
struct Side {
  Side(asio::io_context& io, const char* name, const char* local, std::uint16_t local_port,
       const char* remote, std::uint16_t remote_port, std::uint32_t local_as, std::uint32_t peer_as,
       std::uint32_t router_id, bool passive)
      : recorder(name),
        listener(
            io,
            [this, remote](const asio::ip::address& a) {
              return a == asio::ip::make_address(remote) ? peer : nullptr;
            },
            [this](LogLevel level, const std::string& text) { recorder.on_log(level, text); }) {
    PeerConfig config;
    config.fsm.session.local_as = base::Asn(local_as);
    config.fsm.session.peer_as = base::Asn(peer_as);
    config.fsm.session.router_id = router_id;
    config.fsm.session.hold_time = 3;
    config.fsm.session.families = {kIpv4Unicast, kIpv6Unicast};
    config.fsm.passive = passive;
    config.fsm.connect_retry_time = seconds(2);
    config.remote_address = asio::ip::make_address(remote);
    config.remote_port = remote_port;
    config.local_address = asio::ip::make_address(local);
    config.name = remote;
    auto created = Peer::create(io, config, recorder);
    EXPECT_TRUE(created.has_value());
    if (created) {
      peer = *created;
    }
    auto listening =
        listener.listen(asio::ip::tcp::endpoint(asio::ip::make_address(local), local_port));
    EXPECT_TRUE(listening.has_value()) << (listening ? "" : listening.error().message);
  }
  Recorder recorder;
  std::shared_ptr<Peer> peer;
  Listener listener;
};

class PeerTest : public ::testing::Test {
 protected:
  // a = 127.0.0.1 (AS 65001, id 10.0.0.1), b = 127.0.0.2 (AS 65002, id 10.0.0.2).
  void make(std::uint16_t port_a, std::uint16_t port_b, bool b_passive) {
    a_ = std::make_unique<Side>(io_, "a", "127.0.0.1", port_a, "127.0.0.2", port_b, 65001, 65002,
                                0x0A000001, false);
    b_ = std::make_unique<Side>(io_, "b", "127.0.0.2", port_b, "127.0.0.1", port_a, 65002, 65001,
                                0x0A000002, b_passive);
  }

  bool run_until(const std::function<bool()>& done, seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) {
        return false;
      }
      io_.restart();
      io_.run_for(std::chrono::milliseconds(20));
    }
    return true;
  }
  void run_for(std::chrono::milliseconds duration) {
    io_.restart();
    io_.run_for(duration);
  }
  bool both_established() const {
    return a_->peer->state() == State::Established && b_->peer->state() == State::Established &&
           !a_->peer->has_collision_candidate() && !b_->peer->has_collision_candidate();
  }

  asio::io_context io_;
  std::unique_ptr<Side> a_;
  std::unique_ptr<Side> b_;
};

TEST_F(PeerTest, EstablishesExchangesUpdatesAndKeepsAlive) {
  make(17901, 17902, /*b_passive=*/true);
  EXPECT_FALSE(a_->peer->send_update(ipv4_update()).has_value());  // not Established
  b_->peer->start();
  a_->peer->start();
  ASSERT_TRUE(run_until([&] { return both_established(); }, seconds(10)));
  ASSERT_EQ(a_->recorder.established.size(), 1U);
  ASSERT_EQ(b_->recorder.established.size(), 1U);
  EXPECT_EQ(a_->recorder.established[0].peer_as, base::Asn(65002));
  EXPECT_EQ(b_->recorder.established[0].peer_bgp_id, 0x0A000001U);
  EXPECT_TRUE(b_->recorder.established[0].has_family(kIpv6Unicast));
  EXPECT_EQ(a_->recorder.established[0].hold_time, seconds(3));
  EXPECT_TRUE(a_->peer->locally_initiated());
  EXPECT_FALSE(b_->peer->locally_initiated());

  ASSERT_TRUE(a_->peer->send_update(ipv4_update()).has_value());
  ASSERT_TRUE(a_->peer->send_update(ipv6_update()).has_value());
  ASSERT_TRUE(b_->peer->send_route_refresh(wire::RouteRefreshMessage{2, 0, 1}).has_value());
  ASSERT_TRUE(run_until(
      [&] { return b_->recorder.updates.size() == 2 && a_->recorder.refreshes.size() == 1; },
      seconds(5)));
  EXPECT_EQ(b_->recorder.updates[0], ipv4_update());
  EXPECT_EQ(b_->recorder.updates[1], ipv6_update());
  EXPECT_EQ(a_->recorder.refreshes[0].afi, 2);
  EXPECT_EQ(a_->peer->counters().updates_out, 2U);
  EXPECT_EQ(b_->peer->counters().updates_in, 2U);
  EXPECT_EQ(a_->peer->queued_bytes(), 0U);

  // Hold time 3 s: without KEEPALIVEs (every ~1 s) the session would die within 4 s.
  const auto a_in = a_->peer->counters().messages_in;
  const auto b_in = b_->peer->counters().messages_in;
  run_for(std::chrono::milliseconds(4000));
  EXPECT_TRUE(both_established());
  EXPECT_GE(a_->peer->counters().messages_in, a_in + 2);
  EXPECT_GE(b_->peer->counters().messages_in, b_in + 2);
  EXPECT_TRUE(a_->recorder.downs.empty());
  EXPECT_TRUE(b_->recorder.downs.empty());
}

TEST_F(PeerTest, StopSendsCeaseAndRestartReconnects) {
  make(17903, 17904, /*b_passive=*/true);
  b_->peer->start();
  a_->peer->start();
  ASSERT_TRUE(run_until([&] { return both_established(); }, seconds(10)));

  a_->peer->stop();
  ASSERT_TRUE(run_until([&] { return !b_->recorder.downs.empty(); }, seconds(5)));
  const auto& down = b_->recorder.downs[0];
  EXPECT_EQ(down.reason, DownReason::NotificationReceived);
  EXPECT_TRUE(down.was_established);
  ASSERT_TRUE(down.received.has_value());
  EXPECT_EQ(down.received->code, base::notify::kCease);
  EXPECT_EQ(down.received->subcode, subcode::kCeaseAdminShutdown);
  ASSERT_EQ(a_->recorder.downs.size(), 1U);
  EXPECT_EQ(a_->recorder.downs[0].reason, DownReason::ManualStop);
  EXPECT_EQ(a_->peer->state(), State::Idle);
  EXPECT_FALSE(a_->peer->send_update(ipv4_update()).has_value());

  // b refuses connections while its idle hold (5 s) runs; a keeps retrying every ~2 s.
  a_->peer->start();
  ASSERT_TRUE(run_until([&] { return both_established() && b_->recorder.established.size() == 2; },
                        seconds(12)));
  EXPECT_EQ(a_->recorder.established.size(), 2U);
  EXPECT_EQ(a_->peer->counters().established_transitions, 2U);
  ASSERT_TRUE(a_->peer->send_update(ipv4_update()).has_value());
  ASSERT_TRUE(run_until([&] { return b_->recorder.updates.size() == 1; }, seconds(5)));
}

TEST_F(PeerTest, CollisionEndsWithOneSession) {
  make(17905, 17906, /*b_passive=*/false);
  a_->peer->start();
  b_->peer->start();
  ASSERT_TRUE(run_until([&] { return both_established(); }, seconds(15)));
  run_for(std::chrono::milliseconds(1500));  // let any loser's close arrive
  ASSERT_TRUE(both_established());
  // Both ends use the same connection: one of them opened it.
  EXPECT_NE(a_->peer->locally_initiated(), b_->peer->locally_initiated());
  if (a_->recorder.collision_lines > 0 && b_->recorder.collision_lines > 0 &&
      a_->peer->counters().established_transitions == 1) {
    // RFC 4271 §6.8: b has the higher BGP Identifier, so b's connection stays.
    EXPECT_TRUE(b_->peer->locally_initiated());
  }
  ASSERT_TRUE(a_->peer->send_update(ipv4_update()).has_value());
  ASSERT_TRUE(b_->peer->send_update(ipv6_update()).has_value());
  ASSERT_TRUE(run_until(
      [&] { return b_->recorder.updates.size() == 1 && a_->recorder.updates.size() == 1; },
      seconds(5)));
  EXPECT_EQ(a_->recorder.updates[0], ipv6_update());
}

// The remote end played by the test: raw socket, everything received kept.
struct RawConnection {
  explicit RawConnection(asio::io_context& io) : socket(io) {}
  void start_reading() {
    socket.async_read_some(asio::buffer(buffer), [this](const asio::error_code& ec, std::size_t n) {
      if (ec) {
        eof = true;
        return;
      }
      received.insert(received.end(), buffer.begin(), buffer.begin() + static_cast<long>(n));
      start_reading();
    });
  }
  // (type, whole message) of every complete message received so far.
  [[nodiscard]] std::vector<std::pair<int, base::Bytes>> messages() const {
    std::vector<std::pair<int, base::Bytes>> out;
    std::size_t at = 0;
    while (received.size() - at >= 19) {
      const std::size_t length = (std::size_t{received[at + 16]} << 8) | received[at + 17];
      if (length < 19 || received.size() - at < length) {
        break;
      }
      out.emplace_back(received[at + 18],
                       base::Bytes(received.begin() + static_cast<long>(at),
                                   received.begin() + static_cast<long>(at + length)));
      at += length;
    }
    return out;
  }
  [[nodiscard]] bool has(int type) const {
    for (const auto& m : messages()) {
      if (m.first == type) {
        return true;
      }
    }
    return false;
  }
  void send(const base::Bytes& bytes) { asio::write(socket, asio::buffer(bytes)); }

  asio::ip::tcp::socket socket;
  std::array<std::uint8_t, 4096> buffer{};
  base::Bytes received;
  bool eof = false;
};

// How the remote speaker answers in collide(): an OPEN on both connections at once, or an
// OPEN and a KEEPALIVE on the connection it opened while a's own one hears nothing yet.
enum class RemoteAnswer : std::uint8_t { OpenOnBoth, AcceptedConnectionReadyFirst };

// RFC 4271 §6.8 with the test as the remote speaker, so both connections are certainly open
// at once: a's own (sock1) and one the remote opens towards a while a is in OpenSent (sock2).
void collide(asio::io_context& io, Side& a, std::uint16_t remote_port, std::uint32_t remote_id,
             bool expect_local_kept,
             const std::function<bool(const std::function<bool()>&, seconds)>& run_until,
             RemoteAnswer answer = RemoteAnswer::OpenOnBoth) {
  asio::ip::tcp::acceptor remote(
      io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.2"), remote_port));
  RawConnection sock1(io);
  RawConnection sock2(io);
  bool accepted = false;
  remote.async_accept(sock1.socket, [&](const asio::error_code& ec) {
    accepted = !ec;
    sock1.start_reading();
  });
  a.peer->start();
  ASSERT_TRUE(run_until([&] { return accepted && sock1.has(1); }, seconds(5)));
  ASSERT_EQ(a.peer->state(), State::OpenSent);

  sock2.socket.open(asio::ip::tcp::v4());
  sock2.socket.bind(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.2"), 0));
  sock2.socket.connect(a.listener.local_endpoints().at(0));
  sock2.start_reading();
  ASSERT_TRUE(run_until([&] { return sock2.has(1); }, seconds(5)));
  EXPECT_TRUE(a.peer->has_collision_candidate());

  SessionConfig remote_config;
  remote_config.local_as = base::Asn(65002);
  remote_config.peer_as = base::Asn(65001);
  remote_config.router_id = remote_id;
  remote_config.hold_time = 3;
  const auto open = wire::encode_open(build_open(remote_config).value(), wire::EncodeContext{});
  ASSERT_TRUE(open.has_value());
  RawConnection& winner = expect_local_kept ? sock1 : sock2;
  RawConnection& loser = expect_local_kept ? sock2 : sock1;
  if (answer == RemoteAnswer::AcceptedConnectionReadyFirst) {
    // The OPEN names the remote's identifier, and the identifiers decide at once: which
    // connection could be Established first must not, or two speakers each keeping their
    // fastest connection would close both.
    sock2.send(*open);
    sock2.send(wire::encode_keepalive());
    ASSERT_TRUE(run_until([&] { return loser.eof; }, seconds(5)));
    if (expect_local_kept) {
      sock1.send(*open);
    }
  } else {
    sock1.send(*open);
    sock2.send(*open);
  }
  ASSERT_TRUE(run_until([&] { return loser.eof && winner.has(4); }, seconds(5)));
  // The loser got Cease / Connection Collision Resolution (RFC 4486 §4) before the close.
  const auto messages = loser.messages();
  ASSERT_FALSE(messages.empty());
  ASSERT_EQ(messages.back().first, 3);
  ASSERT_GE(messages.back().second.size(), 21U);
  EXPECT_EQ(messages.back().second[19], base::notify::kCease);
  EXPECT_EQ(messages.back().second[20], subcode::kCeaseCollision);
  EXPECT_FALSE(winner.has(3));

  winner.send(wire::encode_keepalive());
  ASSERT_TRUE(run_until([&] { return a.peer->state() == State::Established; }, seconds(5)));
  EXPECT_FALSE(a.peer->has_collision_candidate());
  EXPECT_EQ(a.peer->locally_initiated(), expect_local_kept);
  EXPECT_EQ(a.recorder.established.size(), 1U);
  EXPECT_TRUE(a.recorder.downs.empty());  // the loser was never this session
}

TEST_F(PeerTest, CollisionKeepsOurConnectionWhenOurIdentifierIsHigher) {
  a_ = std::make_unique<Side>(io_, "a", "127.0.0.1", 17909, "127.0.0.2", 17910, 65001, 65002,
                              0x0A000001, false);
  collide(io_, *a_, 17910, 0x0A000000, /*expect_local_kept=*/true,
          [this](const std::function<bool()>& f, seconds t) { return run_until(f, t); });
}

TEST_F(PeerTest, CollisionKeepsTheirConnectionWhenTheirIdentifierIsHigher) {
  a_ = std::make_unique<Side>(io_, "a", "127.0.0.1", 17911, "127.0.0.2", 17912, 65001, 65002,
                              0x0A000001, false);
  collide(io_, *a_, 17912, 0x0A000002, /*expect_local_kept=*/false,
          [this](const std::function<bool()>& f, seconds t) { return run_until(f, t); });
}

TEST_F(PeerTest, CollisionKeepsOurConnectionEvenWhenTheirsIsReadyFirst) {
  a_ = std::make_unique<Side>(io_, "a", "127.0.0.1", 17913, "127.0.0.2", 17914, 65001, 65002,
                              0x0A000001, false);
  collide(
      io_, *a_, 17914, 0x0A000000, /*expect_local_kept=*/true,
      [this](const std::function<bool()>& f, seconds t) { return run_until(f, t); },
      RemoteAnswer::AcceptedConnectionReadyFirst);
}

TEST_F(PeerTest, CollisionTakesTheirConnectionReadyFirstWhenTheirIdentifierIsHigher) {
  a_ = std::make_unique<Side>(io_, "a", "127.0.0.1", 17915, "127.0.0.2", 17916, 65001, 65002,
                              0x0A000001, false);
  collide(
      io_, *a_, 17916, 0x0A000002, /*expect_local_kept=*/false,
      [this](const std::function<bool()>& f, seconds t) { return run_until(f, t); },
      RemoteAnswer::AcceptedConnectionReadyFirst);
}

TEST_F(PeerTest, ListenerClosesUnknownPeers) {
  make(17907, 17908, /*b_passive=*/true);
  asio::ip::tcp::socket stranger(io_);
  stranger.open(asio::ip::tcp::v4());
  stranger.bind(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.3"), 0));
  stranger.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 17907));
  bool closed = false;
  std::array<std::uint8_t, 64> buffer{};
  stranger.async_read_some(asio::buffer(buffer), [&](const asio::error_code& ec, std::size_t) {
    closed = ec == asio::error::eof || ec == asio::error::connection_reset;
  });
  EXPECT_TRUE(run_until([&] { return closed; }, seconds(5)));

  // A known peer is refused too while its session is Idle (not started).
  asio::ip::tcp::socket known(io_);
  known.open(asio::ip::tcp::v4());
  known.bind(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.2"), 0));
  known.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 17907));
  closed = false;
  known.async_read_some(asio::buffer(buffer), [&](const asio::error_code& ec, std::size_t) {
    closed = ec == asio::error::eof || ec == asio::error::connection_reset;
  });
  EXPECT_TRUE(run_until([&] { return closed; }, seconds(5)));
  EXPECT_EQ(a_->peer->counters().accepts, 1U);
}

}  // namespace
}  // namespace bgpsecd::session
