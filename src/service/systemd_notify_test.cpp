// SPDX-License-Identifier: BSD-2-Clause
// SystemdNotifier against a datagram socket of the test's own, named by $NOTIFY_SOCKET as
// systemd does (a path, and an abstract name): the messages of readiness, reload, stop and the
// watchdog keep-alive, and silence without the variable.
#include "service/systemd_notify.hpp"

#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace bgpsecd::service {
namespace {

// A bound AF_UNIX datagram socket standing in for systemd; unsets the variables on the way out.
class FakeManager {
 public:
  explicit FakeManager(const std::string& name) : fd_(::socket(AF_UNIX, SOCK_DGRAM, 0)) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name.data(), name.size());
    if (name[0] == '@') {
      address.sun_path[0] = '\0';
    } else {
      ::unlink(name.c_str());
      path_ = name;
    }
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    EXPECT_EQ(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length), 0);
    timeval timeout{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
  }
  FakeManager(const FakeManager&) = delete;
  FakeManager& operator=(const FakeManager&) = delete;
  ~FakeManager() {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
    ::close(fd_);
    if (!path_.empty()) {
      ::unlink(path_.c_str());
    }
  }
  // The next datagram, or "" after a second without one.
  std::string next() const {
    std::array<char, 512> buffer{};
    const auto n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    return n > 0 ? std::string(buffer.data(), static_cast<std::size_t>(n)) : std::string();
  }

 private:
  int fd_;
  std::string path_;
};

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
