// SPDX-License-Identifier: BSD-2-Clause
// How much one slice of a walk over a whole table may do on the I/O thread before it yields
// (our table to a new peer, speaker_table.cpp; the routes of an ended session,
// speaker_departure.cpp): a few milliseconds, so that every session's keepalives and UPDATEs
// and the control socket are served between slices.
#pragma once

#include <chrono>
#include <cstddef>

namespace bgpsecd::daemon {

class SliceBudget {
 public:
  // At most this long, and at most this many items (the count keeps slices short where the
  // clock is coarse, and lets tests see several); the clock is read every kClockEvery items.
  static constexpr auto kTime = std::chrono::milliseconds(5);
  static constexpr std::size_t kItems = 1024;
  static constexpr std::size_t kClockEvery = 32;

  // True once `done` items have used the slice up.
  [[nodiscard]] bool spent(std::size_t done) const noexcept {
    return done == kItems ||
           (done % kClockEvery == 0 && done > 0 && std::chrono::steady_clock::now() >= deadline_);
  }

 private:
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::now() + kTime;
};

}  // namespace bgpsecd::daemon
