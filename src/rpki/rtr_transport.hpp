// SPDX-License-Identifier: BSD-2-Clause
// One RPKI cache over TCP (RFC 8210 §9: port 323 by default) or over SSH on TCP (RFC 8210 §9,
// subsystem "rpki-rtr"; rtr_ssh.hpp): drives the pure RtrClient state machine (rtr_client.hpp)
// with asio sockets and steady timers, and hands its data changes and log lines to the owner.
// Everything runs on the io_context's thread; handlers are called from there. Opening a
// connection (TCP and, for SSH, key exchange, authentication and subsystem) must finish within
// kRtrConnectTimeout, so a cache that accepts and then says nothing cannot hold the client.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <asio.hpp>

#include "base/bytes.hpp"
#include "rpki/rtr_client.hpp"
#include "rpki/rtr_ssh.hpp"

namespace bgpsecd::rpki {

struct RtrCacheConfig {
  std::string host;
  std::uint16_t port = 323;  // RFC 8210 §9 (tests use unprivileged ports)
  // Lower is preferred (RFC 8210 §10: routers talk to the most preferred caches first).
  std::uint8_t preference = 1;
  std::uint8_t max_version = kRtrMaxVersion;
  // Set: RTR over SSH to host:port (port 22 is the usual one then); empty: plain TCP.
  std::optional<RtrSshConfig> ssh;

  // "host:port", with brackets around an IPv6 literal; for logs and metrics labels.
  [[nodiscard]] std::string name() const;
  friend bool operator==(const RtrCacheConfig&, const RtrCacheConfig&) = default;
};

// "host:port", "[v6]:port" or "host" (port 323). Errors name what is wrong.
[[nodiscard]] base::Result<RtrCacheConfig> parse_cache_address(const std::string& text);

inline constexpr std::chrono::seconds kRtrConnectTimeout{10};

enum class RtrLogLevel : std::uint8_t { Debug, Info, Warning };

class RtrTcpSession : public std::enable_shared_from_this<RtrTcpSession> {
 public:
  struct Handlers {
    // A committed transaction (Cache Response ... End of Data) from this cache.
    std::function<void(const RtrDataUpdate&)> on_update;
    // Everything learned from this cache is gone (error, expiry): why, as text and as kind.
    std::function<void(const RtrDropAll&)> on_drop_all;
    // The cache sent an Error Report (after the client has acted on it; optional).
    std::function<void(const ErrorReportPdu&)> on_error_report;
    // A line for the log; the cache's name is already in it.
    std::function<void(RtrLogLevel, const std::string&)> on_log;
  };

  // Create with std::make_shared; call start() once. Keep the object alive while the
  // io_context runs, or call stop() first.
  RtrTcpSession(asio::io_context& io, RtrCacheConfig config, Handlers handlers);
  RtrTcpSession(const RtrTcpSession&) = delete;
  RtrTcpSession& operator=(const RtrTcpSession&) = delete;
  RtrTcpSession(RtrTcpSession&&) = delete;
  RtrTcpSession& operator=(RtrTcpSession&&) = delete;
  ~RtrTcpSession() = default;

  void start();
  // Closes the connection and cancels the timer; no handler is called afterwards.
  void stop();

  [[nodiscard]] const RtrCacheConfig& config() const noexcept { return config_; }
  [[nodiscard]] const RtrClient& client() const noexcept { return client_; }
  [[nodiscard]] bool connected() const noexcept { return socket_.is_open() && !connecting_; }
  // Octets and PDUs-worth of traffic, for metrics.
  [[nodiscard]] std::uint64_t bytes_received() const noexcept { return bytes_received_; }
  [[nodiscard]] std::uint64_t connects() const noexcept { return connects_; }

 private:
  void process(RtrEvents events);
  void connect();
  // The connection is open (TCP, or SSH with its subsystem): tell the client, start reading.
  void on_open();
  // The connection could not be opened: log why, close, tell the client.
  void fail_open(const std::string& why);
  void read();
  void write();
  void close();
  // SSH (rtr_transport_ssh.cpp): the handshake on the open TCP socket, then reads and writes
  // through the channel, each resumed when the socket is ready for what libssh waits for.
  void ssh_start();
  void ssh_handshake();
  void ssh_read();
  void ssh_write();
  void ssh_wait(SshWait what, void (RtrTcpSession::*then)());
  void arm_timer();
  void log(RtrLogLevel level, const std::string& message) const;

  asio::io_context& io_;
  RtrCacheConfig config_;
  Handlers handlers_;
  RtrClient client_;
  asio::ip::tcp::resolver resolver_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  asio::steady_timer connect_timer_;
  std::unique_ptr<RtrSshChannel> ssh_;  // while an SSH connection is open
  std::array<std::uint8_t, 16384> read_buffer_{};
  std::deque<base::Bytes> write_queue_;
  bool writing_ = false;
  bool connecting_ = false;
  bool close_after_write_ = false;
  bool stopped_ = false;
  // Bumped whenever the connection is replaced, so completions of an old one are ignored.
  std::uint64_t generation_ = 0;
  std::uint64_t bytes_received_ = 0;
  std::uint64_t connects_ = 0;
};

}  // namespace bgpsecd::rpki
