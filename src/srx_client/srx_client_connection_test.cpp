// SPDX-License-Identifier: BSD-2-Clause
// SrxClientConnection over real loopback sockets against a scripted server in the same
// io_context: the handshake and ordered whole PDUs, results, the end of a session on malformed
// input (GOODBYE, then a reconnect), a server that closes, and stop() saying GOODBYE.
// Addresses 127.0.37.2-4 and ports 17996-17998 belong to these tests.
#include "srx_client/srx_client_connection.hpp"

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "srx/framer.hpp"

namespace bgpsecd::srx_client {
namespace {

using std::chrono::milliseconds;

// A server that accepts proxies one after another and records the PDUs each sends.
class ScriptedServer {
 public:
  ScriptedServer(asio::io_context& io, const std::string& address, std::uint16_t port)
      : acceptor_(io, asio::ip::tcp::endpoint(asio::ip::make_address(address), port)) {
    accept();
  }

  void send(const srx::SrxPdu& pdu) {
    auto bytes = std::make_shared<base::Bytes>(srx::encode_srx_pdu(pdu).value());
    asio::async_write(*socket_, asio::buffer(*bytes),
                      [bytes](const asio::error_code&, std::size_t) {});
  }
  void send_raw(base::Bytes raw) {
    auto bytes = std::make_shared<base::Bytes>(std::move(raw));
    asio::async_write(*socket_, asio::buffer(*bytes),
                      [bytes](const asio::error_code&, std::size_t) {});
  }
  void close_connection() {
    asio::error_code ignored;
    socket_->close(ignored);
  }

  std::vector<srx::SrxPdu> received;  // of every connection, in order
  int accepted = 0;
  bool peer_closed = false;

 private:
  void accept() {
    acceptor_.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket socket) {
      if (ec) {
        return;
      }
      ++accepted;
      peer_closed = false;
      socket_ = std::make_shared<asio::ip::tcp::socket>(std::move(socket));
      framer_ = srx::SrxFramer{};
      read(socket_);
      accept();
    });
  }
  void read(const std::shared_ptr<asio::ip::tcp::socket>& socket) {
    socket->async_read_some(asio::buffer(buffer_),
                            [this, socket](const asio::error_code& ec, std::size_t n) {
                              if (ec) {
                                peer_closed = socket == socket_;
                                return;
                              }
                              framer_.append(std::span<const std::uint8_t>(buffer_.data(), n));
                              while (true) {
                                auto next = framer_.next();
                                if (!next || !next->has_value()) {
                                  break;
                                }
                                received.push_back(srx::decode_srx_pdu(**next).value());
                              }
                              read(socket);
                            });
  }

  asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<asio::ip::tcp::socket> socket_;
  srx::SrxFramer framer_;
  std::array<std::uint8_t, 65536> buffer_{};
};

class SrxClientConnectionTest : public ::testing::Test {
 protected:
  std::shared_ptr<SrxClientConnection> make(const std::string& address, std::uint16_t port) {
    SrxClientConnection::Handlers handlers;
    handlers.core.results = [this](const ResultEvent& event) { events.push_back(event); };
    handlers.state_changed = [this](ProxyState state, const std::string& why) {
      states.emplace_back(state, why);
    };
    SrxClientOptions options;
    options.server = service::parse_endpoint(address, port).value();
    options.first_backoff = milliseconds(50);
    options.max_backoff = milliseconds(200);
    options.tick_interval = milliseconds(50);
    ProxyCore::Options core;
    core.proxy_id = 7;
    core.asn = 65000;
    return std::make_shared<SrxClientConnection>(io, options, core, handlers);
  }
  bool run_until(const std::function<bool()>& done) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done()) {
      if (std::chrono::steady_clock::now() >= end) {
        return false;
      }
      io.run_for(milliseconds(20));
      if (io.stopped()) {
        io.restart();
      }
    }
    return true;
  }
  static RouteRequest route(std::uint32_t origin_as) {
    RouteRequest request;
    request.prefix = base::Prefix::parse("10.0.0.0/24").value();
    request.origin_as = origin_as;
    request.wanted = srx::kFlagOrigin;
    return request;
  }
  template <class T>
  static bool is(const srx::SrxPdu& pdu) {
    return std::holds_alternative<T>(pdu);
  }

  asio::io_context io;
  std::vector<ResultEvent> events;
  std::vector<std::pair<ProxyState, std::string>> states;
};

TEST_F(SrxClientConnectionTest, HandshakeRequestsInOrderAndResults) {
  ScriptedServer server(io, "127.0.37.2", 17996);
  auto connection = make("127.0.37.2", 17996);
  auto now = std::chrono::steady_clock::now();
  for (std::uint32_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(connection->core().submit(i, route(65100 + i), now));
  }
  connection->start();
  ASSERT_TRUE(run_until([&] { return server.received.size() == 1; }));
  ASSERT_TRUE(is<srx::HelloPdu>(server.received[0]));
  EXPECT_EQ(std::get<srx::HelloPdu>(server.received[0]).asn, 65000U);
  server.send(srx::HelloResponsePdu{7});
  server.send(srx::SyncRequestPdu{});
  ASSERT_TRUE(run_until([&] { return server.received.size() == 4; }));
  for (std::uint32_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(is<srx::VerifyRequestPdu>(server.received[1 + i]));
    const auto& verify = std::get<srx::VerifyRequestPdu>(server.received[1 + i]);
    EXPECT_EQ(verify.request_token, i + 1);
    EXPECT_EQ(verify.origin_as, 65100 + i);
  }
  EXPECT_EQ(connection->core().state(), ProxyState::Active);
  server.send(srx::VerifyNotificationPdu{0x81, 3, 3, 3, 2, 0x1234});
  server.send(srx::VerifyNotificationPdu{0x01, 0, 3, 3, 0, 0x1234});
  ASSERT_TRUE(run_until([&] { return !events.empty(); }));
  EXPECT_EQ(events[0].key, 1U);
  EXPECT_EQ(events[0].results.origin, srx::SrxResult::Valid);

  connection->stop();
  ASSERT_TRUE(run_until([&] { return server.peer_closed; }));
  ASSERT_EQ(server.received.size(), 5U);
  EXPECT_TRUE(is<srx::GoodbyePdu>(server.received[4]));
}

TEST_F(SrxClientConnectionTest, MalformedInputEndsWithGoodbyeAndReconnects) {
  ScriptedServer server(io, "127.0.37.3", 17997);
  auto connection = make("127.0.37.3", 17997);
  connection->start();
  ASSERT_TRUE(run_until([&] { return server.received.size() == 1; }));
  server.send(srx::HelloResponsePdu{7});
  ASSERT_TRUE(run_until([&] { return connection->core().state() == ProxyState::Active; }));
  // A PDU whose length field says 11: the stream has lost its boundaries (§1).
  server.send_raw(base::Bytes{0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11});
  ASSERT_TRUE(run_until([&] { return server.accepted == 2 && server.received.size() == 3; }));
  EXPECT_TRUE(is<srx::GoodbyePdu>(server.received[1]));
  EXPECT_TRUE(is<srx::HelloPdu>(server.received[2]));
  bool saw_closing = false;
  for (const auto& [state, why] : states) {
    saw_closing = saw_closing || (state == ProxyState::Disconnected &&
                                  why.rfind("malformed input from the server", 0) == 0);
  }
  EXPECT_TRUE(saw_closing);
  connection->stop();
}

TEST_F(SrxClientConnectionTest, ServerClosingIsALossAndTheRoutesGoAgain) {
  ScriptedServer server(io, "127.0.37.4", 17998);
  auto connection = make("127.0.37.4", 17998);
  ASSERT_TRUE(connection->core().submit(1, route(65100), std::chrono::steady_clock::now()));
  connection->start();
  ASSERT_TRUE(run_until([&] { return server.received.size() == 1; }));
  server.send(srx::HelloResponsePdu{7});
  ASSERT_TRUE(run_until([&] { return server.received.size() == 2; }));
  server.close_connection();
  ASSERT_TRUE(run_until([&] { return server.accepted == 2 && server.received.size() == 3; }));
  EXPECT_TRUE(is<srx::HelloPdu>(server.received[2]));
  server.send(srx::HelloResponsePdu{7});
  ASSERT_TRUE(run_until([&] { return server.received.size() == 4; }));
  EXPECT_TRUE(is<srx::VerifyRequestPdu>(server.received[3]));
  EXPECT_GE(connection->connects(), 2U);
  connection->stop();
}

}  // namespace
}  // namespace bgpsecd::srx_client
