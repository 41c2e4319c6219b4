// SPDX-License-Identifier: BSD-2-Clause
// One SRx server over TCP, from the proxy's side: owns a ProxyCore and drives it with one asio
// socket and two steady timers (connect timeout and tick, reconnect backoff). Connects with a
// timeout, cuts the byte stream into PDUs (srx::SrxFramer), writes the core's PDUs whole and in
// order with TCP_NODELAY (so that a server never sees half a PDU at the end of a write) and
// SO_KEEPALIVE (the protocol has no keepalive of its own, docs/srx-proxy.md §1), and
// reconnects with a doubling backoff after every loss.
//
// Threads: everything, the core's hooks included, runs on the io_context's thread; the owner
// calls core() only from there. Create with std::make_shared, call start() once, and stop()
// before dropping the last reference.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <asio.hpp>

#include "base/bytes.hpp"
#include "service/endpoint_asio.hpp"
#include "srx/framer.hpp"
#include "srx_client/proxy_core.hpp"

namespace bgpsecd::srx_client {

struct SrxClientOptions {
  service::Endpoint server;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds first_backoff{1000};  // after the first loss; doubles up to max
  std::chrono::milliseconds max_backoff{60000};
  std::chrono::milliseconds tick_interval{1000};  // how often ProxyCore::tick runs
  // Output waiting for a server that does not read; beyond this the connection is dropped.
  std::size_t max_queued_bytes = std::size_t{64} << 20;
};

class SrxClientConnection : public std::enable_shared_from_this<SrxClientConnection> {
 public:
  struct Handlers {
    // The core's owner events (results, signed_path, log); send and close are ours.
    ProxyCore::Hooks core;
    // The core's state changed (connected, active, lost: `why` says what happened).
    std::function<void(ProxyState, const std::string& why)> state_changed;
  };

  SrxClientConnection(asio::io_context& io, SrxClientOptions options,
                      ProxyCore::Options core_options, Handlers handlers);
  SrxClientConnection(const SrxClientConnection&) = delete;
  SrxClientConnection& operator=(const SrxClientConnection&) = delete;
  SrxClientConnection(SrxClientConnection&&) = delete;
  SrxClientConnection& operator=(SrxClientConnection&&) = delete;
  ~SrxClientConnection() = default;

  // Connects (and keeps reconnecting) until stop().
  void start();
  // GOODBYE if a session is up, then closes without reconnecting; no handler is called after.
  void stop();

  [[nodiscard]] ProxyCore& core() noexcept { return core_; }
  [[nodiscard]] const ProxyCore& core() const noexcept { return core_; }
  [[nodiscard]] const SrxClientOptions& options() const noexcept { return options_; }
  [[nodiscard]] std::uint64_t connects() const noexcept { return connects_; }
  // The wait before the next connection attempt.
  [[nodiscard]] std::chrono::milliseconds backoff() const noexcept { return backoff_; }

 private:
  ProxyCore::Hooks core_hooks(ProxyCore::Hooks owner);
  void connect();
  void on_connected(const asio::error_code& ec, std::uint64_t generation);
  void read();
  void on_read(const asio::error_code& ec, std::size_t n);
  void send(base::Bytes pdu);
  void write();
  void close_after_write(const std::string& why);
  void lost(const std::string& why);
  void schedule_reconnect();
  void arm_tick();
  void report(const std::string& why);

  asio::io_context& io_;
  SrxClientOptions options_;
  Handlers handlers_;
  ProxyCore core_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;  // connect timeout, then tick; reconnect wait while down
  srx::SrxFramer framer_;
  std::array<std::uint8_t, 64 * 1024> buffer_{};
  std::deque<base::Bytes> queue_;
  std::size_t queued_bytes_ = 0;
  // Bumped at every new socket: callbacks of an older one are ignored.
  std::uint64_t generation_ = 0;
  std::uint64_t connects_ = 0;
  std::chrono::milliseconds backoff_;
  bool connecting_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool stopped_ = false;
  std::string close_reason_;
  ProxyState reported_ = ProxyState::Disconnected;
};

}  // namespace bgpsecd::srx_client
