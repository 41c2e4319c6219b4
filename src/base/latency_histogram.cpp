// SPDX-License-Identifier: BSD-2-Clause
#include "base/latency_histogram.hpp"

#include <algorithm>

namespace bgpsecd::base {

void LatencyHistogram::observe(std::chrono::nanoseconds elapsed) noexcept {
  const double seconds = std::max(0.0, std::chrono::duration<double>(elapsed).count());
  ++count_;
  sum_seconds_ += seconds;
  const auto* bound = std::lower_bound(kBounds.begin(), kBounds.end(), seconds);
  if (bound != kBounds.end()) {
    ++in_bucket_.at(static_cast<std::size_t>(bound - kBounds.begin()));
  }
}

std::uint64_t LatencyHistogram::at_or_below(std::size_t bound_index) const noexcept {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bound_index && i < in_bucket_.size(); ++i) {
    total += in_bucket_[i];
  }
  return total;
}

double LatencyHistogram::mean_seconds() const noexcept {
  return count_ == 0 ? 0.0 : sum_seconds_ / static_cast<double>(count_);
}

}  // namespace bgpsecd::base
