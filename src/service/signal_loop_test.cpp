// SPDX-License-Identifier: BSD-2-Clause
// SignalLoop with signals raised at this process (asio's signal_set sees raise()) and a
// stand-in for systemd: SIGHUP runs the reload and says RELOADING, then READY with the outcome;
// SIGTERM and SIGINT run the stop, say STOPPING and end io_context::run() after the grace.
#include "service/signal_loop.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "service/systemd_notify_test_support.hpp"

namespace bgpsecd::service {
namespace {

// Runs handlers until `done` holds; false when five seconds pass first.
bool run_until(asio::io_context& io, const std::function<bool()>& done) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) {
      return false;
    }
    io.run_one_for(std::chrono::milliseconds(50));
  }
  return true;
}

TEST(SignalLoop, HupReloadsTermStopsInOrderWithTheNotifications) {
  FakeManager manager("@bgpsecd-signal-loop-" + std::to_string(::getpid()));
  asio::io_context io;
  std::vector<std::string> calls;
  bool reload_takes = false;
  SignalLoop loop(io, {.ready_status = "3 neighbors",
                       .stopping_log = "stopping",
                       .reloading_log = "reloading",
                       .stop = [&calls] { calls.emplace_back("stop"); },
                       .reload =
                           [&] {
                             calls.emplace_back("reload");
                             return reload_takes;
                           }});
  EXPECT_EQ(manager.next(), "READY=1\nSTATUS=3 neighbors");

  ASSERT_EQ(std::raise(SIGHUP), 0);
  ASSERT_TRUE(run_until(io, [&] { return calls.size() == 1; }));
  EXPECT_EQ(manager.next().rfind("RELOADING=1\nMONOTONIC_USEC=", 0), 0U);
  EXPECT_EQ(manager.next(), "READY=1\nSTATUS=reload failed, the previous configuration runs");

  // The loop waits for the next SIGHUP again.
  reload_takes = true;
  ASSERT_EQ(std::raise(SIGHUP), 0);
  ASSERT_TRUE(run_until(io, [&] { return calls.size() == 2; }));
  EXPECT_EQ(manager.next().rfind("RELOADING=1\nMONOTONIC_USEC=", 0), 0U);
  EXPECT_EQ(manager.next(), "READY=1\nSTATUS=reloaded");

  ASSERT_EQ(std::raise(SIGTERM), 0);
  const auto start = std::chrono::steady_clock::now();
  io.run();  // returns once the grace after the stop is over
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(250));
  EXPECT_TRUE(io.stopped());
  EXPECT_EQ(manager.next(), "STOPPING=1");
  EXPECT_EQ(calls, (std::vector<std::string>{"reload", "reload", "stop"}));
}

TEST(SignalLoop, SigintStopsWithoutAReload) {
  ::unsetenv("NOTIFY_SOCKET");  // no service manager: nothing is sent
  asio::io_context io;
  std::vector<std::string> calls;
  SignalLoop loop(io, {.ready_status = "up",
                       .stopping_log = "stopping",
                       .reloading_log = "reloading",
                       .stop = [&calls] { calls.emplace_back("stop"); },
                       .reload =
                           [&calls] {
                             calls.emplace_back("reload");
                             return true;
                           }});
  ASSERT_EQ(std::raise(SIGINT), 0);
  io.run();
  EXPECT_EQ(calls, std::vector<std::string>{"stop"});
}

}  // namespace
}  // namespace bgpsecd::service
