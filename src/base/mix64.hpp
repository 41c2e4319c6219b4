// SPDX-License-Identifier: BSD-2-Clause
#pragma once

#include <cstdint>

namespace bgpsecd::base {

// The 64-bit finaliser of MurmurHash3: a bijection that spreads every input bit over the output.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

}  // namespace bgpsecd::base
