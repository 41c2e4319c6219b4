// SPDX-License-Identifier: BSD-2-Clause
// SIGHUP reloads, SIGINT/SIGTERM stop, with systemd told each step (signal_loop.hpp).
#include "service/signal_loop.hpp"

#include <chrono>
#include <csignal>
#include <utility>

#include <spdlog/spdlog.h>

namespace bgpsecd::service {
namespace {

// How long the goodbyes queued by the stop get to go out before the io_context stops.
constexpr std::chrono::milliseconds kStopGrace(300);

}  // namespace

SignalLoop::SignalLoop(asio::io_context& io, SignalLoopOptions options)
    : io_(io),
      options_(std::move(options)),
      notifier_(io),
      stop_signals_(io, SIGINT, SIGTERM),
      reload_signal_(io, SIGHUP),
      grace_(io) {
  notifier_.ready(options_.ready_status);
  stop_signals_.async_wait([this](const asio::error_code& ec, int signal) {
    if (ec) {
      return;
    }
    spdlog::info("signal {}: {}", signal, options_.stopping_log);
    notifier_.stopping();
    options_.stop();
    grace_.expires_after(kStopGrace);
    grace_.async_wait([this](const asio::error_code&) { io_.stop(); });
  });
  wait_reload();
}

void SignalLoop::wait_reload() {
  reload_signal_.async_wait([this](const asio::error_code& ec, int) {
    if (ec) {
      return;
    }
    spdlog::info("SIGHUP: {}", options_.reloading_log);
    notifier_.reloading();
    const bool reloaded = options_.reload();
    notifier_.ready(reloaded ? "reloaded" : "reload failed, the previous configuration runs");
    wait_reload();
  });
}

}  // namespace bgpsecd::service
