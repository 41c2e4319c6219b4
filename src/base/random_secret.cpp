// SPDX-License-Identifier: BSD-2-Clause
#include "base/random_secret.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

#include <sys/random.h>
#include <sys/types.h>

#include "base/mix64.hpp"

namespace bgpsecd::base {
namespace {

bool fill_from_kernel(std::span<std::uint8_t> out) noexcept {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t got = ::getrandom(out.data() + done, out.size() - done, 0);
    if (got <= 0) {
      return false;
    }
    done += static_cast<std::size_t>(got);
  }
  return true;
}

}  // namespace

void fill_random_secret(std::span<std::uint8_t> out) noexcept {
  if (fill_from_kernel(out)) {
    return;
  }
  auto state = mix64(
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
      reinterpret_cast<std::uintptr_t>(out.data()));
  for (std::size_t i = 0; i < out.size(); i += sizeof state) {
    state = mix64(state + 0x9e3779b97f4a7c15ULL);
    std::memcpy(out.data() + i, &state, std::min(sizeof state, out.size() - i));
  }
}

}  // namespace bgpsecd::base
