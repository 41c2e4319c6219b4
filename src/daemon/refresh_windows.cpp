// SPDX-License-Identifier: BSD-2-Clause
// Enhanced Route Refresh windows (RFC 7313 §4), one timer per open address family.
#include "daemon/refresh_windows.hpp"

#include <utility>

namespace bgpsecd::daemon {

void RefreshWindows::open(base::Afi afi, std::chrono::seconds limit,
                          std::function<void()> expired) {
  Window& w = windows_[afi];
  if (w.timer) {
    w.timer->cancel();
  }
  w.token = ++next_token_;
  w.timer = std::make_unique<asio::steady_timer>(io_);
  w.timer->expires_after(limit);
  std::weak_ptr<RefreshWindows*> self = self_;
  w.timer->async_wait(
      [self, afi, token = w.token, expired = std::move(expired)](const asio::error_code& ec) {
        const auto alive = self.lock();
        if (ec || !alive) {
          return;
        }
        // A window closed or opened again after this wait expired has another token (or none).
        RefreshWindows& windows = **alive;
        const auto it = windows.windows_.find(afi);
        if (it == windows.windows_.end() || it->second.token != token) {
          return;
        }
        windows.windows_.erase(it);
        expired();
      });
}

bool RefreshWindows::close(base::Afi afi) {
  const auto it = windows_.find(afi);
  if (it == windows_.end()) {
    return false;
  }
  it->second.timer->cancel();
  windows_.erase(it);
  return true;
}

void RefreshWindows::close_all() {
  for (auto& [afi, w] : windows_) {
    w.timer->cancel();
  }
  windows_.clear();
}

}  // namespace bgpsecd::daemon
