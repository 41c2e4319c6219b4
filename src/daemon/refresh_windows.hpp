// SPDX-License-Identifier: BSD-2-Clause
// The receiving side of Enhanced Route Refresh (RFC 7313 §4) for one neighbor: the address
// families between the peer's BoRR and its EoRR, each with the timer that ends a window whose
// EoRR never comes. What the routes do (marked stale, swept) is the speaker's business.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include <asio.hpp>

#include "base/prefix.hpp"

namespace bgpsecd::daemon {

class RefreshWindows {
 public:
  explicit RefreshWindows(asio::io_context& io) : io_(io) {}
  RefreshWindows(const RefreshWindows&) = delete;
  RefreshWindows& operator=(const RefreshWindows&) = delete;
  ~RefreshWindows() { close_all(); }

  // BoRR: opens the window of `afi`, or starts it again (a new BoRR before the EoRR). When it
  // is still open after `limit`, it closes and `expired` runs.
  void open(base::Afi afi, std::chrono::seconds limit, std::function<void()> expired);
  // EoRR: closes the window of `afi`; false when none was open.
  bool close(base::Afi afi);
  // The session ended: every window closes, no timer fires.
  void close_all();
  [[nodiscard]] bool is_open(base::Afi afi) const { return windows_.contains(afi); }

 private:
  struct Window {
    std::unique_ptr<asio::steady_timer> timer;
    std::uint64_t token = 0;
  };
  asio::io_context& io_;
  std::map<base::Afi, Window> windows_;
  std::uint64_t next_token_ = 0;
  // Seen by the timer handlers: a handler whose windows are gone does nothing.
  std::shared_ptr<RefreshWindows*> self_ = std::make_shared<RefreshWindows*>(this);
};

}  // namespace bgpsecd::daemon
