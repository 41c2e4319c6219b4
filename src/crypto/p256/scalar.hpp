// SPDX-License-Identifier: BSD-2-Clause
// Arithmetic modulo the P-256 group order n (FIPS 186-4 §D.1.2.3), as ECDSA verification needs
// it (SEC 1 §4.1.4 step 4-5): e mod n, s⁻¹, u1 = e·s⁻¹ and u2 = r·s⁻¹. Scalars are plain
// integers in [0, n) as four little-endian limbs; multiplication goes through Montgomery form
// internally. Not constant time (public data only).
#pragma once

#include "crypto/p256/limbs.hpp"

namespace bgpsecd::crypto::p256 {

inline constexpr Limbs kN = {0xF3B9CAC2FC632551, 0xBCE6FAADA7179E84, 0xFFFFFFFFFFFFFFFF,
                             0xFFFFFFFF00000000};

// a mod n for any 256-bit a (one subtraction suffices: 2^256 < 2n).
[[nodiscard]] Limbs sc_reduce(const Limbs& a) noexcept;

// a·b mod n, for a, b < n.
[[nodiscard]] Limbs sc_mul(const Limbs& a, const Limbs& b) noexcept;

// a⁻¹ mod n for 0 < a < n (n is prime); 0 for 0.
[[nodiscard]] Limbs sc_inv(const Limbs& a) noexcept;

// (n - a) mod n.
[[nodiscard]] Limbs sc_neg(const Limbs& a) noexcept;

}  // namespace bgpsecd::crypto::p256
