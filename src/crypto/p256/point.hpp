// SPDX-License-Identifier: BSD-2-Clause
// P-256 group law for the verification engine: affine points (table entries, never the point at
// infinity) and Jacobian points (X/Z², Y/Z³; Z = 0 is the point at infinity). The additions are
// complete: they detect P = Q (and double) and P = -Q (and give infinity), since verification
// must be right for every input an attacker can choose, not just for random ones.
// Formulas: https://hyperelliptic.org/EFD/g1p/auto-shortw-jacobian-3.html (a = -3).
#pragma once

#include <span>

#include "crypto/p256/field.hpp"

namespace bgpsecd::crypto::p256 {

struct Affine {
  Fe x;
  Fe y;
  friend bool operator==(const Affine&, const Affine&) = default;
};

struct Jacobian {
  Fe x;
  Fe y;
  Fe z;  // 0: the point at infinity
};

inline constexpr Jacobian kInfinity = {kFeOne, kFeOne, Fe{}};

BGPSEC_P256_INLINE bool is_infinity(const Jacobian& p) noexcept { return fe_is_zero(p.z); }

BGPSEC_P256_INLINE Jacobian to_jacobian(const Affine& p) noexcept { return {p.x, p.y, kFeOne}; }

BGPSEC_P256_INLINE Affine negate(const Affine& p) noexcept { return {p.x, fe_neg(p.y)}; }

// 2P, "dbl-2001-b": 3M + 5S. Infinity stays infinity (Z3 = 2·Y·Z); P-256 has no point of
// order 2, so Y = 0 never occurs for a point other than infinity.
[[nodiscard]] Jacobian jac_dbl(const Jacobian& p) noexcept;

// P + Q with Q affine, "madd" 8M + 3S in the general case; complete (P = infinity, P = Q,
// P = -Q).
[[nodiscard]] Jacobian jac_add_affine(const Jacobian& p, const Affine& q) noexcept;

// P + Q, both Jacobian, complete (12M + 4S in the general case). Table building only.
Jacobian jac_add(const Jacobian& p, const Jacobian& q) noexcept;

// X/Z², Y/Z³; false for infinity.
[[nodiscard]] bool to_affine(const Jacobian& p, Affine& out) noexcept;

// Converts every point to affine with one field inversion (Montgomery's trick). None may be
// infinity (checked: returns false and leaves out unspecified). out.size() == in.size().
[[nodiscard]] bool to_affine_batch(std::span<const Jacobian> in, std::span<Affine> out);

// y² = x³ - 3x + b.
[[nodiscard]] bool on_curve(const Affine& p) noexcept;

// The generator G (FIPS 186-4 §D.1.2.3).
[[nodiscard]] const Affine& generator() noexcept;

// k·P by plain double-and-add; slow and simple, a reference for tests and table checks.
[[nodiscard]] Jacobian scalar_mul_slow(const Jacobian& p, const Limbs& k) noexcept;

}  // namespace bgpsecd::crypto::p256
