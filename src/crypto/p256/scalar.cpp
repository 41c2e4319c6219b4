// SPDX-License-Identifier: BSD-2-Clause
// Scalars modulo n: Montgomery multiplication (CIOS, 4 × 64-bit limbs) and inversion.
#include "crypto/p256/scalar.hpp"

#include <array>

namespace bgpsecd::crypto::p256 {
namespace {

// -n⁻¹ mod 2^64.
constexpr std::uint64_t kN0Inv = 0xCCD1C8AAEE00BC4F;
// 2^512 mod n, to enter Montgomery form.
constexpr Limbs kR2ModN = {0x83244C95BE79EEA2, 0x4699799C49BD6FA6, 0x2845B2392B6BEC59,
                           0x66E12D94F3D95620};
// n - 2, the Fermat exponent.
constexpr Limbs kNMinus2 = {0xF3B9CAC2FC63254F, 0xBCE6FAADA7179E84, 0xFFFFFFFFFFFFFFFF,
                            0xFFFFFFFF00000000};

// a·b·2^-256 mod n for a, b < n.
Limbs mont_mul(const Limbs& a, const Limbs& b) noexcept {
  std::array<std::uint64_t, 6> t{};
  for (std::size_t i = 0; i < 4; ++i) {
    std::uint64_t c = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      t[j] = mac(t[j], a[j], b[i], c);
    }
    std::uint64_t c2 = 0;
    t[4] = adc(t[4], c, c2);
    t[5] = c2;
    const std::uint64_t m = t[0] * kN0Inv;
    c = 0;
    static_cast<void>(mac(t[0], m, kN[0], c));  // low limb becomes 0 by the choice of m
    for (std::size_t j = 1; j < 4; ++j) {
      t[j - 1] = mac(t[j], m, kN[j], c);
    }
    c2 = 0;
    t[3] = adc(t[4], c, c2);
    t[4] = t[5] + c2;
  }
  // The running value stays < 2n; one conditional subtraction finishes.
  const Limbs r = {t[0], t[1], t[2], t[3]};
  Limbs d{};
  std::uint64_t borrow = sub4(d, r, kN);
  sbb(t[4], 0, borrow);
  return select4(0 - borrow, r, d);
}

}  // namespace

Limbs sc_reduce(const Limbs& a) noexcept {
  Limbs d{};
  const std::uint64_t borrow = sub4(d, a, kN);
  return select4(0 - borrow, a, d);
}

Limbs sc_mul(const Limbs& a, const Limbs& b) noexcept { return mont_mul(mont_mul(a, b), kR2ModN); }

Limbs sc_neg(const Limbs& a) noexcept {
  if (is_zero4(a)) {
    return a;
  }
  Limbs r{};
  sub4(r, kN, a);
  return r;
}

// ===== Inversion: Bernstein-Yang "safegcd" divsteps, variable time =====
//
// D. J. Bernstein, B.-Y. Yang, "Fast constant-time gcd computation and modular inversion"
// (2019), in the variable-time form with batches of 62 divsteps on the low 64 bits (as
// libsecp256k1's modinv64_var does). Starting from f = n, g = a, δ = 1:
//   divstep: g odd and δ > 0: (δ, f, g) ← (1 - δ, g, (g - f)/2)
//            g odd:            (δ, f, g) ← (1 + δ, f, (g + f)/2)
//            g even:           (δ, f, g) ← (1 + δ, f, g/2)
// until g = 0; then f = ±gcd(n, a) = ±1. Alongside, d and e with f ≡ d·a and g ≡ e·a (mod n)
// follow the same linear maps, so a⁻¹ = ±d. 62 divsteps only look at the low 62 bits of f and
// g; they give a matrix T with 2^62·(f', g') = T·(f, g), applied to the full numbers at once.
// Numbers are in signed 62-bit limbs (value = Σ v[i]·2^(62·i), v[0..3] in [0, 2^62), v[4]
// signed), so dividing by 2^62 is dropping a limb.

namespace {

using i128 = __int128;
constexpr std::uint64_t kM62 = (std::uint64_t{1} << 62) - 1;

struct S62 {
  std::array<std::int64_t, 5> v{};
};

struct Transition {
  std::int64_t u = 1, v = 0, q = 0, r = 1;  // 2^62·(f', g') = (u·f + v·g, q·f + r·g)
};

constexpr S62 to_s62(const Limbs& a) noexcept {
  return {{static_cast<std::int64_t>(a[0] & kM62),
           static_cast<std::int64_t>(((a[0] >> 62) | (a[1] << 2)) & kM62),
           static_cast<std::int64_t>(((a[1] >> 60) | (a[2] << 4)) & kM62),
           static_cast<std::int64_t>(((a[2] >> 58) | (a[3] << 6)) & kM62),
           static_cast<std::int64_t>(a[3] >> 56)}};
}

// For 0 ≤ value < 2^256 with normalised limbs.
constexpr Limbs from_s62(const S62& s) noexcept {
  const auto u = [&](std::size_t i) { return static_cast<std::uint64_t>(s.v[i]); };
  return {u(0) | (u(1) << 62), (u(1) >> 2) | (u(2) << 60), (u(2) >> 4) | (u(3) << 58),
          (u(3) >> 6) | (u(4) << 56)};
}

constexpr S62 kN62 = to_s62(kN);
// -n⁻¹ mod 2^62 (the Montgomery constant, cut to 62 bits).
constexpr std::uint64_t kNInv62 = kN0Inv & kM62;

// x·2^k for a signed x without shifting a negative value; |x·2^k| < 2^63 here.
std::int64_t shl(std::int64_t x, unsigned k) noexcept {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(x) << k);
}

// 62 divsteps on the low 64 bits of f (odd) and g; returns the new δ.
std::int64_t divsteps_62(std::int64_t delta, std::uint64_t f, std::uint64_t g,
                         Transition& t) noexcept {
  Transition m;
  unsigned left = 62;
  for (;;) {
    // A run of even g: z plain halvings at once (bit `left` stops the count).
    const auto z = static_cast<unsigned>(__builtin_ctzll(g | (std::uint64_t{1} << left)));
    g >>= z;
    m.u = shl(m.u, z);
    m.v = shl(m.v, z);
    delta += z;
    left -= z;
    if (left == 0) {
      break;
    }
    // g is odd. Only the low bits matter, so wrapping uint64 arithmetic is right here.
    if (delta > 0) {
      delta = 1 - delta;
      const std::uint64_t old_f = f;
      f = g;
      g = (g - old_f) >> 1;
      const Transition o = m;
      m.u = 2 * o.q;
      m.v = 2 * o.r;
      m.q = o.q - o.u;
      m.r = o.r - o.v;
    } else {
      delta = 1 + delta;
      g = (g + f) >> 1;
      m.q += m.u;
      m.r += m.v;
      m.u *= 2;
      m.v *= 2;
    }
    --left;
  }
  t = m;
  return delta;
}

// (f, g) ← T·(f, g) / 2^62, exact.
void update_fg(S62& f, S62& g, const Transition& t) noexcept {
  i128 cf = static_cast<i128>(t.u) * f.v[0] + static_cast<i128>(t.v) * g.v[0];
  i128 cg = static_cast<i128>(t.q) * f.v[0] + static_cast<i128>(t.r) * g.v[0];
  cf >>= 62;  // the low 62 bits are zero by construction
  cg >>= 62;
  for (std::size_t i = 1; i < 5; ++i) {
    cf += static_cast<i128>(t.u) * f.v[i] + static_cast<i128>(t.v) * g.v[i];
    cg += static_cast<i128>(t.q) * f.v[i] + static_cast<i128>(t.r) * g.v[i];
    f.v[i - 1] = static_cast<std::int64_t>(static_cast<std::uint64_t>(cf) & kM62);
    g.v[i - 1] = static_cast<std::int64_t>(static_cast<std::uint64_t>(cg) & kM62);
    cf >>= 62;
    cg >>= 62;
  }
  f.v[4] = static_cast<std::int64_t>(cf);
  g.v[4] = static_cast<std::int64_t>(cg);
}

// x + sign·n with normalised limbs (sign is ±1).
S62 add_n(const S62& x, std::int64_t sign) noexcept {
  S62 r;
  std::int64_t c = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const std::int64_t s = x.v[i] + sign * kN62.v[i] + c;
    r.v[i] = static_cast<std::int64_t>(static_cast<std::uint64_t>(s) & kM62);
    c = s >> 62;
  }
  r.v[4] = x.v[4] + sign * kN62.v[4] + c;
  return r;
}

// Into [0, n); x is within a few n of it.
void normalize(S62& x) noexcept {
  while (x.v[4] < 0) {
    x = add_n(x, 1);
  }
  for (;;) {
    const S62 t = add_n(x, -1);
    if (t.v[4] < 0) {
      return;
    }
    x = t;
  }
}

// (d, e) ← T·(d, e) / 2^62 mod n, in [0, n). Adding md·n (me·n) first makes the low 62 bits
// zero (Montgomery's trick), so the division is exact.
void update_de(S62& d, S62& e, const Transition& t) noexcept {
  i128 cd = static_cast<i128>(t.u) * d.v[0] + static_cast<i128>(t.v) * e.v[0];
  i128 ce = static_cast<i128>(t.q) * d.v[0] + static_cast<i128>(t.r) * e.v[0];
  const auto md = static_cast<std::int64_t>((static_cast<std::uint64_t>(cd) * kNInv62) & kM62);
  const auto me = static_cast<std::int64_t>((static_cast<std::uint64_t>(ce) * kNInv62) & kM62);
  cd += static_cast<i128>(md) * kN62.v[0];
  ce += static_cast<i128>(me) * kN62.v[0];
  cd >>= 62;
  ce >>= 62;
  for (std::size_t i = 1; i < 5; ++i) {
    cd += static_cast<i128>(t.u) * d.v[i] + static_cast<i128>(t.v) * e.v[i] +
          static_cast<i128>(md) * kN62.v[i];
    ce += static_cast<i128>(t.q) * d.v[i] + static_cast<i128>(t.r) * e.v[i] +
          static_cast<i128>(me) * kN62.v[i];
    d.v[i - 1] = static_cast<std::int64_t>(static_cast<std::uint64_t>(cd) & kM62);
    e.v[i - 1] = static_cast<std::int64_t>(static_cast<std::uint64_t>(ce) & kM62);
    cd >>= 62;
    ce >>= 62;
  }
  d.v[4] = static_cast<std::int64_t>(cd);
  e.v[4] = static_cast<std::int64_t>(ce);
  // |T entries| ≤ 2^62 and d, e < n give a result in (-2n, 3n).
  normalize(d);
  normalize(e);
}

bool is_zero(const S62& x) noexcept { return (x.v[0] | x.v[1] | x.v[2] | x.v[3] | x.v[4]) == 0; }

// Fermat, a^(n-2) with a 4-bit window (≈ 252 squarings, 60 multiplications): the fallback
// should divsteps ever run past their bound, which the analysis of Bernstein and Yang rules out.
Limbs inv_fermat(const Limbs& a) noexcept {
  const Limbs am = mont_mul(a, kR2ModN);
  std::array<Limbs, 16> pow{};
  pow[1] = am;
  for (std::size_t i = 2; i < pow.size(); ++i) {
    pow[i] = mont_mul(pow[i - 1], am);
  }
  Limbs acc{};
  bool started = false;
  for (std::size_t i = 64; i-- > 0;) {
    const unsigned digit = static_cast<unsigned>(kNMinus2[i / 16] >> (4 * (i % 16))) & 0xFU;
    if (started) {
      for (int k = 0; k < 4; ++k) {
        acc = mont_mul(acc, acc);
      }
      if (digit != 0) {
        acc = mont_mul(acc, pow[digit]);
      }
    } else if (digit != 0) {
      acc = pow[digit];
      started = true;
    }
  }
  return mont_mul(acc, {1, 0, 0, 0});
}

}  // namespace

Limbs sc_inv(const Limbs& a) noexcept {
  const Limbs ar = sc_reduce(a);
  if (is_zero4(ar)) {
    return ar;
  }
  S62 f = kN62;
  S62 g = to_s62(ar);
  S62 d;  // 0
  S62 e;
  e.v[0] = 1;
  std::int64_t delta = 1;
  // 256-bit inputs need at most 741 divsteps (Bernstein-Yang, Theorem 11.2: ⌊(49·256 + 57)/17⌋);
  // 12 batches are 744.
  for (int batch = 0; batch < 12; ++batch) {
    const std::uint64_t f0 =
        static_cast<std::uint64_t>(f.v[0]) | (static_cast<std::uint64_t>(f.v[1]) << 62);
    const std::uint64_t g0 =
        static_cast<std::uint64_t>(g.v[0]) | (static_cast<std::uint64_t>(g.v[1]) << 62);
    Transition t;
    delta = divsteps_62(delta, f0, g0, t);
    update_de(d, e, t);
    update_fg(f, g, t);
    if (is_zero(g)) {
      // f = ±1 since n is prime: a⁻¹ = ±d.
      if (f.v[4] < 0) {
        return sc_neg(from_s62(d));
      }
      return from_s62(d);
    }
  }
  return inv_fermat(ar);
}

}  // namespace bgpsecd::crypto::p256
