// SPDX-License-Identifier: BSD-2-Clause
// The signals both daemons answer, and what systemd (Type=notify, systemd_notify.hpp) hears
// about them. Constructed once the daemon listens: READY=1 with a status line. SIGHUP:
// RELOADING=1, the reload, READY=1 saying whether it took. SIGINT or SIGTERM: STOPPING=1, the
// stop, and after a short grace the io_context is stopped, so the goodbyes the stop queued
// (Cease NOTIFICATIONs, SRx GOODBYEs) still go out. Everything runs on the io_context's thread.
#pragma once

#include <functional>
#include <string>

#include <asio.hpp>

#include "service/systemd_notify.hpp"

namespace bgpsecd::service {

struct SignalLoopOptions {
  // The STATUS= of the first READY=1.
  std::string ready_status;
  // What the log line says after "signal N: " and after "SIGHUP: ".
  std::string stopping_log;
  std::string reloading_log;
  // Starts the daemon's orderly stop; the io_context runs on for the grace after it.
  std::function<void()> stop;
  // Re-reads the configuration; true when the new one runs. It logs its own failure.
  std::function<bool()> reload;
};

class SignalLoop {
 public:
  SignalLoop(asio::io_context& io, SignalLoopOptions options);
  SignalLoop(const SignalLoop&) = delete;
  SignalLoop& operator=(const SignalLoop&) = delete;
  SignalLoop(SignalLoop&&) = delete;
  SignalLoop& operator=(SignalLoop&&) = delete;
  ~SignalLoop() = default;

 private:
  void wait_reload();

  asio::io_context& io_;
  SignalLoopOptions options_;
  SystemdNotifier notifier_;
  asio::signal_set stop_signals_;
  asio::signal_set reload_signal_;
  asio::steady_timer grace_;
};

}  // namespace bgpsecd::service
