// SPDX-License-Identifier: BSD-2-Clause
#include "service/systemd_notify.hpp"

#include <cstdlib>
#include <cstring>
#include <ctime>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace bgpsecd::service {
namespace {

std::optional<std::chrono::microseconds> watchdog_from_environment() {
  const char* usec = std::getenv("WATCHDOG_USEC");
  if (usec == nullptr) {
    return std::nullopt;
  }
  // sd_watchdog_enabled(3): WATCHDOG_PID, when set, names the process the watchdog is for.
  if (const char* pid = std::getenv("WATCHDOG_PID");
      pid != nullptr && std::strtol(pid, nullptr, 10) != static_cast<long>(::getpid())) {
    return std::nullopt;
  }
  char* end = nullptr;
  const unsigned long long value = std::strtoull(usec, &end, 10);
  if (end == usec || *end != '\0' || value == 0) {
    return std::nullopt;
  }
  // sd_watchdog_enabled(3) advises a keep-alive every half of the interval.
  return std::chrono::microseconds(value / 2);
}

}  // namespace

SystemdNotifier::SystemdNotifier(asio::io_context& io) : timer_(io) {
  if (const char* path = std::getenv("NOTIFY_SOCKET");
      path != nullptr && (path[0] == '/' || path[0] == '@')) {
    socket_path_ = path;
    watchdog_ = watchdog_from_environment();
  }
}

SystemdNotifier::~SystemdNotifier() { timer_.cancel(); }

bool SystemdNotifier::send(std::string_view message) const {
  if (socket_path_.empty()) {
    return false;
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path_.size() >= sizeof address.sun_path) {
    return false;
  }
  std::memcpy(address.sun_path, socket_path_.data(), socket_path_.size());
  if (address.sun_path[0] == '@') {
    address.sun_path[0] = '\0';  // an abstract socket name
  }
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path_.size());
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return false;
  }
  const auto sent = ::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL,
                             reinterpret_cast<const sockaddr*>(&address), length);
  ::close(fd);
  return sent == static_cast<ssize_t>(message.size());
}

void SystemdNotifier::ready(std::string_view status) {
  send("READY=1\nSTATUS=" + std::string(status));
  if (watchdog_ && !watchdog_running_) {
    watchdog_running_ = true;
    arm_watchdog();
  }
}

void SystemdNotifier::reloading() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  const auto usec = static_cast<long long>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
  send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void SystemdNotifier::stopping() {
  timer_.cancel();
  watchdog_running_ = false;
  send("STOPPING=1");
}

void SystemdNotifier::status(std::string_view status) { send("STATUS=" + std::string(status)); }

void SystemdNotifier::arm_watchdog() {
  send("WATCHDOG=1");
  timer_.expires_after(*watchdog_);
  timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec && watchdog_running_) {
      arm_watchdog();
    }
  });
}

}  // namespace bgpsecd::service
