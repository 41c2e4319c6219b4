// SPDX-License-Identifier: BSD-2-Clause
// Secrets that keep peers from steering hash tables and caches: drawn from the kernel's CSPRNG.
#pragma once

#include <cstdint>
#include <span>

namespace bgpsecd::base {

// Fills `out` from getrandom(2). Should the kernel not answer (no entropy pool yet, seccomp), the
// monotonic clock and the buffer's address, mixed, are a weaker but working seed: a hash table
// keyed by them still spreads well, and only an attacker who can guess both gains anything.
void fill_random_secret(std::span<std::uint8_t> out) noexcept;

}  // namespace bgpsecd::base
