// SPDX-License-Identifier: BSD-2-Clause
// ECDSA P-256 verification on parsed values (SEC 1 §4.1.4), with the key's comb table and the
// generator's: R = u1·G + u2·Q costs table additions only (plus w·(s-1) doublings for a key
// table with spacing s), and x(R) mod n = r is checked without a field inversion.
#pragma once

#include "crypto/p256/comb.hpp"
#include "crypto/p256/limbs.hpp"
#include "crypto/p256/point.hpp"

namespace bgpsecd::crypto::p256 {

// u1·G + u2·Q, Q being the point q_table was built for. u1, u2 < 2^256 (any value).
[[nodiscard]] Jacobian double_mul(const CombTable& q_table, const Limbs& u1,
                                  const Limbs& u2) noexcept;

// x(R) ≡ r (mod n) for R ≠ infinity and 1 ≤ r < n: X = r·Z², or X = (r+n)·Z² when r + n < p
// (x(R) lies in [0, p), and p < 2n, so these are the only two candidates).
[[nodiscard]] bool x_matches_r(const Jacobian& point, const Limbs& r) noexcept;

// SEC 1 §4.1.4 steps 4-8 for digest integer e (any 256-bit value; SHA-256 has exactly the bit
// length of n, so no truncation, step 4), and r, s already checked to be in [1, n-1].
[[nodiscard]] bool verify_scalars(const CombTable& q_table, const Limbs& e, const Limbs& r,
                                  const Limbs& s) noexcept;

}  // namespace bgpsecd::crypto::p256
