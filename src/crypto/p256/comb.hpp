// SPDX-License-Identifier: BSD-2-Clause
// Fixed-base comb tables: k·P as a sum of table entries, so that a point known in advance (the
// generator G, or a router key Q loaded long before its signatures arrive) costs few additions
// and no (or few) doublings per scalar multiplication.
//
// The scalar k < 2^256 is written in signed base-2^w digits, k = Σ d_i·2^(w·i) with
// d_i ∈ [-2^(w-1), 2^(w-1)] and i < m = ⌈257/w⌉. With spacing s, digit i = a·s + b is looked up
// in position a, which holds d·2^(w·s·a)·P for d = 1 … 2^(w-1) (affine; -P is free). Then
//   k·P = Σ_b 2^(w·b) · Σ_a d_{a·s+b} · 2^(w·s·a)·P,
// a Horner loop over b: w·(s-1) doublings and up to m mixed additions, from
// ⌈m/s⌉ · 2^(w-1) entries of 64 octets. s = 1 is a full comb (no doublings at all).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "crypto/p256/point.hpp"

namespace bgpsecd::crypto::p256 {

inline constexpr unsigned kMinWindowBits = 2;
inline constexpr unsigned kMaxWindowBits = 8;
inline constexpr unsigned kMaxSpacing = 16;

inline constexpr std::size_t kMaxDigits = 129;  // ⌈257/2⌉ for the narrowest window

// Signed digits of a scalar; count() of them are meaningful.
struct Digits {
  std::array<std::int16_t, kMaxDigits> d{};
  unsigned count = 0;
};

// k = Σ d_i·2^(w·i), d_i ∈ [-2^(w-1), 2^(w-1)], for any 256-bit k and w in [2, 8].
[[nodiscard]] Digits recode(const Limbs& k, unsigned window_bits) noexcept;

// A table entry on its own cache line (one lookup, one line).
struct alignas(64) CombEntry {
  Affine p;
};

class CombTable {
 public:
  // Builds the table for base point p (affine, on the curve, not infinity). window_bits in
  // [2, 8] and spacing in [1, 16] (callers check; out-of-range values are clamped).
  [[nodiscard]] static CombTable build(const Affine& p, unsigned window_bits, unsigned spacing);

  [[nodiscard]] unsigned window_bits() const noexcept { return window_bits_; }
  [[nodiscard]] unsigned spacing() const noexcept { return spacing_; }
  [[nodiscard]] std::size_t positions() const noexcept { return positions_; }
  [[nodiscard]] std::size_t bytes() const noexcept { return entries_.size() * sizeof(CombEntry); }
  // d·2^(w·s·position)·P for d in [1, 2^(w-1)].
  [[nodiscard]] const Affine& entry(std::size_t position, unsigned d) const noexcept {
    return entries_[position * per_position_ + d - 1].p;
  }

  // acc + k·P, by the Horner loop above. Doubles acc as well, so acc must be infinity unless
  // the caller wants 2^(w·(s-1))·acc + k·P.
  [[nodiscard]] Jacobian mul_add(const Jacobian& acc, const Limbs& k) const noexcept;

 private:
  unsigned window_bits_ = 0;
  unsigned spacing_ = 0;
  std::size_t positions_ = 0;
  std::size_t per_position_ = 0;
  std::vector<CombEntry> entries_;
};

// The generator's full comb (s = 1), built once on first use, immutable afterwards.
inline constexpr unsigned kGeneratorWindowBits = 7;
[[nodiscard]] const CombTable& generator_table();

}  // namespace bgpsecd::crypto::p256
