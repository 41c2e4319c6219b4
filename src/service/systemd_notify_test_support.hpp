// SPDX-License-Identifier: BSD-2-Clause
// For tests: a stand-in for systemd's notification socket, so a test can read what
// SystemdNotifier (systemd_notify.hpp) sends.
#pragma once

#include <array>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace bgpsecd::service {

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

}  // namespace bgpsecd::service
