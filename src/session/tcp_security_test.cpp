// SPDX-License-Identifier: BSD-2-Clause
// TCP MD5 (RFC 2385) and GTSM (RFC 5082) on real loopback sockets (a listener on 127.0.41.1,
// a client from 127.0.41.2, kernel-chosen ports): a connection comes up only when both ends
// agree.
#include "session/tcp_security.hpp"

#include <chrono>
#include <optional>

#include <gtest/gtest.h>

namespace bgpsecd::session {
namespace {

using asio::ip::tcp;

const asio::ip::address kHost = asio::ip::make_address("127.0.41.1");
const asio::ip::address kClient = asio::ip::make_address("127.0.41.2");

// A listener with `listener_key` for peers at kHost and `listener_gtsm` hops, a client with
// `client_key` / `client_gtsm` (0: off) or the raw TTL `client_ttl`: whether a byte sent by
// the client reaches the accepted socket within a second.
bool byte_arrives(const std::string& listener_key, const std::string& client_key,
                  std::uint8_t listener_gtsm = 0, std::uint8_t client_gtsm = 0,
                  std::optional<int> client_ttl = std::nullopt) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(kHost, 0));
  if (!listener_key.empty()) {
    EXPECT_TRUE(set_md5_key(acceptor.native_handle(), false, kClient, listener_key));
  }
  if (listener_gtsm != 0) {
    EXPECT_TRUE(set_gtsm(acceptor.native_handle(), false, listener_gtsm));
  }
  tcp::socket client(io);
  client.open(tcp::v4());
  client.bind(tcp::endpoint(kClient, 0));
  if (!client_key.empty()) {
    EXPECT_TRUE(set_md5_key(client.native_handle(), false, kHost, client_key));
  }
  if (client_gtsm != 0) {
    EXPECT_TRUE(set_gtsm(client.native_handle(), false, client_gtsm));
  }
  if (client_ttl) {
    client.set_option(asio::ip::unicast::hops(*client_ttl));
  }
  bool arrived = false;
  tcp::socket accepted(io);
  std::array<char, 1> in{};
  acceptor.async_accept(accepted, [&](const asio::error_code& ec) {
    if (!ec) {
      accepted.async_read_some(asio::buffer(in), [&](const asio::error_code& e, std::size_t n) {
        arrived = !e && n == 1;
      });
    }
  });
  client.async_connect(acceptor.local_endpoint(), [&](const asio::error_code& ec) {
    if (!ec) {
      asio::write(client, asio::buffer("x", 1));
    }
  });
  io.run_for(std::chrono::seconds(1));
  return arrived;
}

TEST(TcpSecurity, Rfc2385_SameKeyBothEndsConnects) {
  EXPECT_TRUE(byte_arrives("s3cret", "s3cret"));
}

TEST(TcpSecurity, Rfc2385_DifferentOrMissingKeyNeverConnects) {
  EXPECT_FALSE(byte_arrives("s3cret", "other"));
  EXPECT_FALSE(byte_arrives("s3cret", ""));
  EXPECT_FALSE(byte_arrives("", "s3cret"));
}

TEST(TcpSecurity, Rfc2385_KeyLengthIsLimited) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.open(tcp::v4());
  EXPECT_TRUE(set_md5_key(socket.native_handle(), false, kHost, std::string(80, 'k')));
  const auto too_long = set_md5_key(socket.native_handle(), false, kHost, std::string(81, 'k'));
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().message.find("80"), std::string::npos);
  // Removing a key that was never set is not an error.
  EXPECT_TRUE(set_md5_key(socket.native_handle(), false, asio::ip::make_address("127.0.41.9"), ""));
}

TEST(TcpSecurity, Rfc5082_Ttl255Connects) { EXPECT_TRUE(byte_arrives("", "", 1, 1)); }

TEST(TcpSecurity, Rfc5082_ALowerTtlIsDropped) {
  EXPECT_FALSE(byte_arrives("", "", 1, 0, 64));
  // Two hops away: 254 is accepted, 253 is not.
  EXPECT_TRUE(byte_arrives("", "", 2, 0, 254));
  EXPECT_FALSE(byte_arrives("", "", 2, 0, 253));
}

TEST(TcpSecurity, Rfc5082_ZeroHopsIsRefused) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.open(tcp::v6());
  EXPECT_FALSE(set_gtsm(socket.native_handle(), true, 0));
  EXPECT_TRUE(set_gtsm(socket.native_handle(), true, 1));
}

}  // namespace
}  // namespace bgpsecd::session
