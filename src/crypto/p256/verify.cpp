// SPDX-License-Identifier: BSD-2-Clause
// ECDSA P-256 verification core (see verify.hpp).
#include "crypto/p256/verify.hpp"

#include "crypto/p256/scalar.hpp"

namespace bgpsecd::crypto::p256 {
namespace {

// p - n: r + n < p exactly when r < p - n.
constexpr Limbs kPMinusN = {0x0C46353D039CDAAE, 0x4319055358E8617B, 0, 0};

}  // namespace

Jacobian double_mul(const CombTable& q_table, const Limbs& u1, const Limbs& u2) noexcept {
  // The key's table first: a spaced comb doubles its accumulator, which starts at infinity so
  // only u2·Q gets doubled. The generator's table is a full comb and adds without doubling.
  const Jacobian acc = q_table.mul_add(kInfinity, u2);
  return generator_table().mul_add(acc, u1);
}

bool x_matches_r(const Jacobian& point, const Limbs& r) noexcept {
  if (is_infinity(point)) {
    return false;
  }
  const Fe z2 = fe_sqr(point.z);
  // r < n < p, so r is a field element as it stands.
  if (fe_mul(fe_from_limbs(r), z2) == point.x) {
    return true;
  }
  if (!less4(r, kPMinusN)) {
    return false;
  }
  Limbs r_plus_n{};
  add4(r_plus_n, r, kN);
  return fe_mul(fe_from_limbs(r_plus_n), z2) == point.x;
}

bool verify_scalars(const CombTable& q_table, const Limbs& e, const Limbs& r,
                    const Limbs& s) noexcept {
  // SEC 1 §4.1.4 step 5-6: w = s⁻¹, u1 = e·w, u2 = r·w (mod n).
  const Limbs w = sc_inv(s);
  const Limbs u1 = sc_mul(sc_reduce(e), w);
  const Limbs u2 = sc_mul(r, w);
  // Step 6-7: R = u1·G + u2·Q, infinity rejects; step 8: x(R) mod n = r.
  return x_matches_r(double_mul(q_table, u1, u2), r);
}

}  // namespace bgpsecd::crypto::p256
