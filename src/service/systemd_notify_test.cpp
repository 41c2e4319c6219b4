// SPDX-License-Identifier: BSD-2-Clause
// SystemdNotifier against a datagram socket of the test's own, named by $NOTIFY_SOCKET as
// systemd does (a path, and an abstract name): the messages of readiness, reload, stop and the
// watchdog keep-alive, and silence without the variable.
#include "service/systemd_notify.hpp"

#include <chrono>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "service/systemd_notify_test_support.hpp"

namespace bgpsecd::service {
namespace {

TEST(SystemdNotify, ReadyReloadingStoppingToAPathSocket) {
  const std::string path = "/tmp/bgpsecd-notify-" + std::to_string(::getpid());
  FakeManager manager(path);
  asio::io_context io;
  SystemdNotifier notifier(io);
  ASSERT_TRUE(notifier.enabled());
  EXPECT_FALSE(notifier.watchdog_interval().has_value());
  notifier.ready("3 neighbors");
  EXPECT_EQ(manager.next(), "READY=1\nSTATUS=3 neighbors");
  notifier.reloading();
  EXPECT_EQ(manager.next().rfind("RELOADING=1\nMONOTONIC_USEC=", 0), 0U);
  notifier.stopping();
  EXPECT_EQ(manager.next(), "STOPPING=1");
}

TEST(SystemdNotify, WatchdogKeepAlivesAtHalfTheIntervalToAnAbstractSocket) {
  FakeManager manager("@bgpsecd-notify-" + std::to_string(::getpid()));
  ::setenv("WATCHDOG_USEC", "200000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  asio::io_context io;
  SystemdNotifier notifier(io);
  ASSERT_EQ(notifier.watchdog_interval(), std::chrono::microseconds(100000));
  notifier.ready("up");
  EXPECT_EQ(manager.next(), "READY=1\nSTATUS=up");
  EXPECT_EQ(manager.next(), "WATCHDOG=1");
  io.run_for(std::chrono::milliseconds(250));
  EXPECT_EQ(manager.next(), "WATCHDOG=1");
  EXPECT_EQ(manager.next(), "WATCHDOG=1");
}

TEST(SystemdNotify, AWatchdogForAnotherProcessIsNotOurs) {
  FakeManager manager("@bgpsecd-notify-other-" + std::to_string(::getpid()));
  ::setenv("WATCHDOG_USEC", "200000", 1);
  ::setenv("WATCHDOG_PID", "1", 1);
  asio::io_context io;
  const SystemdNotifier notifier(io);
  EXPECT_FALSE(notifier.watchdog_interval().has_value());
}

TEST(SystemdNotify, NothingWithoutTheVariable) {
  ::unsetenv("NOTIFY_SOCKET");
  asio::io_context io;
  SystemdNotifier notifier(io);
  EXPECT_FALSE(notifier.enabled());
  EXPECT_FALSE(notifier.send("READY=1"));
}

}  // namespace
}  // namespace bgpsecd::service
