// SPDX-License-Identifier: BSD-2-Clause
// How long something took, counted into fixed buckets the way a Prometheus histogram reports it
// (cumulative counts per upper bound, a sum and a count), so that an operator can see the
// distribution and not only a mean. Fixed bounds from 1 ms to 10 s cover a validation
// server's answers on loopback as well as across a slow WAN link.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace bgpsecd::base {

class LatencyHistogram {
 public:
  // Upper bounds in seconds; a last bucket, +Inf, catches the rest.
  static constexpr std::array<double, 12> kBounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                  0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

  void observe(std::chrono::nanoseconds elapsed) noexcept;

  // Observations at or below kBounds[i] (cumulative, as Prometheus' `le` buckets).
  [[nodiscard]] std::uint64_t at_or_below(std::size_t bound_index) const noexcept;
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] double sum_seconds() const noexcept { return sum_seconds_; }
  // 0 before the first observation.
  [[nodiscard]] double mean_seconds() const noexcept;

 private:
  std::array<std::uint64_t, kBounds.size()> in_bucket_{};  // not cumulative
  std::uint64_t count_ = 0;
  double sum_seconds_ = 0;
};

}  // namespace bgpsecd::base
