// SPDX-License-Identifier: BSD-2-Clause
// Fixed-base comb tables (see comb.hpp): signed-digit recoding, table building with one batched
// inversion, and the Horner evaluation.
#include "crypto/p256/comb.hpp"

#include <algorithm>
#include <array>

#include "base/check.hpp"

namespace bgpsecd::crypto::p256 {
namespace {

// Bits [pos, pos + w) of k (zero above bit 255), w ≤ 8.
unsigned window_at(const Limbs& k, unsigned pos, unsigned w) noexcept {
  if (pos >= 256) {
    return 0;
  }
  const unsigned limb = pos / 64;
  const unsigned off = pos % 64;
  std::uint64_t v = k[limb] >> off;
  // off > 0 here (w < 64), so the shift below is in range.
  if (off + w > 64 && limb + 1 < 4) {
    v |= k[limb + 1] << (64 - off);
  }
  return static_cast<unsigned>(v & ((1U << w) - 1U));
}

unsigned digit_count(unsigned w) noexcept { return (257 + w - 1) / w; }

}  // namespace

Digits recode(const Limbs& k, unsigned window_bits) noexcept {
  const unsigned w = std::clamp(window_bits, kMinWindowBits, kMaxWindowBits);
  const int half = 1 << (w - 1);
  const int full = 1 << w;
  Digits out;
  out.count = digit_count(w);
  int carry = 0;
  for (unsigned i = 0; i < out.count; ++i) {
    int v = static_cast<int>(window_at(k, i * w, w)) + carry;
    carry = 0;
    if (v > half) {
      v -= full;
      carry = 1;
    }
    out.d[i] = static_cast<std::int16_t>(v);
  }
  // ⌈257/w⌉ digits leave the top window at most w-1 bits, so it never carries out.
  BGPSEC_ASSERT(carry == 0);
  return out;
}

CombTable CombTable::build(const Affine& p, unsigned window_bits, unsigned spacing) {
  CombTable t;
  t.window_bits_ = std::clamp(window_bits, kMinWindowBits, kMaxWindowBits);
  t.spacing_ = std::clamp(spacing, 1U, kMaxSpacing);
  const unsigned m = digit_count(t.window_bits_);
  t.positions_ = (m + t.spacing_ - 1) / t.spacing_;
  t.per_position_ = std::size_t{1} << (t.window_bits_ - 1);

  std::vector<Jacobian> jac(t.positions_ * t.per_position_);
  Jacobian base = to_jacobian(p);
  for (std::size_t a = 0; a < t.positions_; ++a) {
    if (a > 0) {
      for (unsigned i = 0; i < t.window_bits_ * t.spacing_; ++i) {
        base = jac_dbl(base);
      }
    }
    const std::size_t row = a * t.per_position_;
    jac[row] = base;
    for (std::size_t d = 1; d < t.per_position_; ++d) {
      jac[row + d] = d == 1 ? jac_dbl(base) : jac_add(jac[row + d - 1], base);
    }
  }
  std::vector<Affine> affine(jac.size());
  // d·2^j·P is never infinity for d < n and P of prime order n ≠ 2, so this cannot fail for a
  // point on the curve; the caller checked that.
  const bool ok = to_affine_batch(jac, affine);
  BGPSEC_CHECK(ok, "comb table: point at infinity in a table of a curve point");
  t.entries_.resize(affine.size());
  for (std::size_t i = 0; i < affine.size(); ++i) {
    t.entries_[i].p = affine[i];
  }
  return t;
}

Jacobian CombTable::mul_add(const Jacobian& acc, const Limbs& k) const noexcept {
  const Digits digits = recode(k, window_bits_);
  // The additions in the order the Horner loop makes them, each round's end marked: round r
  // takes digits i ≡ spacing-1-r (mod spacing). Each entry is one cache line, and a key's table
  // is usually cold (one of thousands, used a few times a second): a miss costs as much as a
  // third of an addition, and the next entry's load cannot start by itself while the current
  // addition's few hundred dependent instructions fill the reorder window. The digits are known
  // before the first addition, so the entry two additions ahead is prefetched.
  struct Addition {
    const Affine* point;
    bool negative;
  };
  std::array<Addition, kMaxDigits> additions{};
  std::array<std::size_t, kMaxSpacing> round_end{};
  std::size_t count = 0;
  for (unsigned round = 0; round < spacing_; ++round) {
    const unsigned b = spacing_ - 1 - round;
    for (std::size_t a = 0; a < positions_; ++a) {
      const std::size_t i = a * spacing_ + b;
      if (i >= digits.count) {
        break;
      }
      if (const int d = digits.d[i]; d != 0) {
        additions[count++] = {&entry(a, static_cast<unsigned>(d < 0 ? -d : d)), d < 0};
      }
    }
    round_end[round] = count;
  }
  constexpr std::size_t kAhead = 2;
  for (std::size_t j = 0; j < std::min(kAhead, count); ++j) {
    __builtin_prefetch(additions[j].point);
  }
  Jacobian r = acc;
  std::size_t j = 0;
  for (unsigned round = 0; round < spacing_; ++round) {
    if (round > 0 && !is_infinity(r)) {
      for (unsigned i = 0; i < window_bits_; ++i) {
        r = jac_dbl(r);
      }
    }
    for (; j < round_end[round]; ++j) {
      if (j + kAhead < count) {
        __builtin_prefetch(additions[j + kAhead].point);
      }
      const Affine& e = *additions[j].point;
      r = additions[j].negative ? jac_add_affine(r, negate(e)) : jac_add_affine(r, e);
    }
  }
  return r;
}

const CombTable& generator_table() {
  // Built once (thread-safe static initialisation), read-only afterwards.
  static const CombTable table = CombTable::build(generator(), kGeneratorWindowBits, 1);
  return table;
}

}  // namespace bgpsecd::crypto::p256
