// SPDX-License-Identifier: BSD-2-Clause
// The service manager's notification protocol (sd_notify(3)) without libsystemd: text
// datagrams to the AF_UNIX socket named by $NOTIFY_SOCKET. With systemd's Type=notify the
// daemon says when it is ready (listeners and control socket up), reloading and stopping, and
// with WatchdogSec= it sends a keep-alive from its I/O thread, so a stuck I/O thread gets the
// daemon restarted. Without $NOTIFY_SOCKET (not started by systemd) everything is a no-op.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <asio.hpp>

namespace bgpsecd::service {

class SystemdNotifier {
 public:
  // Reads $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID (the watchdog is ours only when
  // WATCHDOG_PID is unset or our PID).
  explicit SystemdNotifier(asio::io_context& io);
  SystemdNotifier(const SystemdNotifier&) = delete;
  SystemdNotifier& operator=(const SystemdNotifier&) = delete;
  SystemdNotifier(SystemdNotifier&&) = delete;
  SystemdNotifier& operator=(SystemdNotifier&&) = delete;
  ~SystemdNotifier();

  [[nodiscard]] bool enabled() const noexcept { return !socket_path_.empty(); }
  // READY=1 with a STATUS= line; starts the watchdog keep-alives when WatchdogSec= is set.
  void ready(std::string_view status);
  // RELOADING=1 (with MONOTONIC_USEC=, as systemd 253+ wants it); ready() follows.
  void reloading();
  void stopping();
  void status(std::string_view status);
  // The keep-alive interval (half of WatchdogSec=), if the watchdog is on.
  [[nodiscard]] std::optional<std::chrono::microseconds> watchdog_interval() const noexcept {
    return watchdog_;
  }

  // One datagram to the socket; false when it could not be sent (never fatal).
  bool send(std::string_view message) const;

 private:
  void arm_watchdog();

  std::string socket_path_;  // "@..." for an abstract socket
  std::optional<std::chrono::microseconds> watchdog_;
  asio::steady_timer timer_;
  bool watchdog_running_ = false;
};

}  // namespace bgpsecd::service
