// SPDX-License-Identifier: BSD-2-Clause
// The connection to one BMP monitoring station (RFC 7854 §3.3): we connect, write what the
// speaker hands us, read and discard whatever the station sends, and reconnect with
// exponential back-off. A slow or dead station never holds BGP up: messages wait in a bounded
// queue, and when it overflows the connection is dropped (logged, counted) and the station is
// sent everything afresh after the next connect. docs/bmp.md.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include <asio.hpp>

#include "base/bytes.hpp"
#include "daemon/config.hpp"

namespace bgpsecd::daemon {

enum class BmpState : std::uint8_t { Connecting, Up, Waiting, Closing, Stopped };
[[nodiscard]] const char* bmp_state_name(BmpState state) noexcept;

struct BmpCounters {
  std::uint64_t messages = 0;   // BMP messages written
  std::uint64_t bytes = 0;      // octets written
  std::uint64_t connects = 0;   // connections established
  std::uint64_t failures = 0;   // connects that failed and connections that ended
  std::uint64_t drops = 0;      // connections dropped because the queue overflowed
  std::uint64_t discarded = 0;  // octets the station sent us (read and thrown away)
};

class BmpStation : public std::enable_shared_from_this<BmpStation> {
 public:
  // `on_up` runs once a connection is established (send Initiation and the tables), `on_stats`
  // every stats_interval while up.
  using Callback = std::function<void(BmpStation&)>;
  BmpStation(asio::io_context& io, BmpStationConfig config, Callback on_up, Callback on_stats);

  void start();
  // Sends `last` (the Termination) if up, then closes; nothing is sent after.
  void stop(base::Bytes last);
  // Queues one message while up (dropped otherwise: the station is sent everything on the next
  // connect). `resync` marks the tables sent after a connect: the queue limit counts only what
  // comes on top of them, so a table larger than the limit still goes out.
  void send(base::Bytes message, bool resync = false);

  [[nodiscard]] bool up() const noexcept { return state_ == BmpState::Up; }
  [[nodiscard]] BmpState state() const noexcept { return state_; }
  [[nodiscard]] const BmpStationConfig& config() const noexcept { return config_; }
  [[nodiscard]] std::string name() const { return config_.address.to_string(); }
  [[nodiscard]] const BmpCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] std::size_t queued_bytes() const noexcept { return queued_bytes_; }
  [[nodiscard]] const std::string& last_error() const noexcept { return last_error_; }

 private:
  struct Item {
    base::Bytes bytes;
    bool resync = false;
  };
  void connect();
  void on_connected();
  void write_next();
  void read_next();
  void arm_stats();
  // The connection failed or ended: close, log, wait, connect again.
  void fail(const std::string& why);
  void close_socket();

  BmpStationConfig config_;
  Callback on_up_;
  Callback on_stats_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;  // connect timeout and back-off
  asio::steady_timer stats_timer_;
  BmpState state_ = BmpState::Waiting;
  std::uint64_t generation_ = 0;  // bumped per connection: late handlers of an old one return
  std::chrono::seconds backoff_;
  std::deque<Item> queue_;
  std::size_t queued_bytes_ = 0;
  std::size_t resync_bytes_ = 0;  // of queued_bytes_, the part marked resync
  bool writing_ = false;
  std::array<std::uint8_t, 4096> read_buffer_{};
  BmpCounters counters_;
  std::string last_error_;
};

}  // namespace bgpsecd::daemon
