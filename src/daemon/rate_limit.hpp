// SPDX-License-Identifier: BSD-2-Clause
// A token bucket for log lines caused by a remote party (docs/style.md §2.13: remote-caused errors
// are rate limited per peer, so a peer sending a stream of bad UPDATEs cannot flood the log).
// Time is passed in, so tests need no clock.
#pragma once

#include <chrono>
#include <cstdint>

namespace bgpsecd::daemon {

class RateLimit {
 public:
  using Clock = std::chrono::steady_clock;
  // At most `burst` lines at once, refilled at one line per `interval`.
  explicit RateLimit(std::uint32_t burst = 10,
                     Clock::duration interval = std::chrono::seconds(6)) noexcept
      : burst_(burst), interval_(interval), tokens_(burst) {}

  // True when a line may be written now (and counts it); false when it is to be left out.
  [[nodiscard]] bool allow(Clock::time_point now) noexcept {
    if (!started_) {
      started_ = true;
      last_ = now;
    }
    if (now > last_ && interval_.count() > 0) {
      const auto refill = static_cast<std::uint64_t>((now - last_) / interval_);
      if (refill > 0) {
        tokens_ = static_cast<std::uint32_t>(
            std::min<std::uint64_t>(burst_, std::uint64_t{tokens_} + refill));
        last_ += interval_ * static_cast<Clock::rep>(refill);
      }
    }
    if (tokens_ == 0) {
      return false;
    }
    --tokens_;
    return true;
  }

 private:
  std::uint32_t burst_;
  Clock::duration interval_;
  std::uint32_t tokens_;
  Clock::time_point last_{};
  bool started_ = false;
};

}  // namespace bgpsecd::daemon
