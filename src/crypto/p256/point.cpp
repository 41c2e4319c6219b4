// SPDX-License-Identifier: BSD-2-Clause
// The P-256 group operations of the verification engine: doubling, mixed and general
// addition, conversion to affine (single and batched), the curve equation, the generator.
#include "crypto/p256/point.hpp"

#include <vector>

namespace bgpsecd::crypto::p256 {

// 2P, "dbl-2001-b": 3M + 5S. Infinity stays infinity (Z3 = 2·Y·Z); P-256 has no point of
// order 2, so Y = 0 never occurs for a point other than infinity.
Jacobian jac_dbl(const Jacobian& p) noexcept {
  const Fe delta = fe_sqr(p.z);
  const Fe gamma = fe_sqr(p.y);
  const Fe beta = fe_mul(p.x, gamma);
  const Fe t = fe_mul(fe_sub(p.x, delta), fe_add(p.x, delta));
  const Fe alpha = fe_add(fe_dbl(t), t);
  const Fe beta4 = fe_dbl(fe_dbl(beta));
  Jacobian r;
  r.x = fe_sub(fe_sqr(alpha), fe_dbl(beta4));
  r.z = fe_sub(fe_sub(fe_sqr(fe_add(p.y, p.z)), gamma), delta);
  const Fe gamma2 = fe_sqr(gamma);
  const Fe gamma2_8 = fe_dbl(fe_dbl(fe_dbl(gamma2)));
  r.y = fe_sub(fe_mul(alpha, fe_sub(beta4, r.x)), gamma2_8);
  return r;
}

Jacobian jac_add_affine(const Jacobian& p, const Affine& q) noexcept {
  if (is_infinity(p)) {
    return to_jacobian(q);
  }
  const Fe z1z1 = fe_sqr(p.z);
  const Fe u2 = fe_mul(q.x, z1z1);
  const Fe s2 = fe_mul(q.y, fe_mul(p.z, z1z1));
  const Fe h = fe_sub(u2, p.x);
  const Fe r = fe_sub(s2, p.y);
  if (fe_is_zero(h)) {
    // Same x: P = Q (double) or P = -Q (infinity).
    return fe_is_zero(r) ? jac_dbl(p) : kInfinity;
  }
  const Fe hh = fe_sqr(h);
  const Fe hhh = fe_mul(h, hh);
  const Fe v = fe_mul(p.x, hh);
  Jacobian out;
  out.x = fe_sub(fe_sub(fe_sqr(r), hhh), fe_dbl(v));
  out.y = fe_sub(fe_mul(r, fe_sub(v, out.x)), fe_mul(p.y, hhh));
  out.z = fe_mul(p.z, h);
  return out;
}

// "add-1998-cmo-2" with the special cases made explicit.
Jacobian jac_add(const Jacobian& p, const Jacobian& q) noexcept {
  if (is_infinity(p)) {
    return q;
  }
  if (is_infinity(q)) {
    return p;
  }
  const Fe z1z1 = fe_sqr(p.z);
  const Fe z2z2 = fe_sqr(q.z);
  const Fe u1 = fe_mul(p.x, z2z2);
  const Fe u2 = fe_mul(q.x, z1z1);
  const Fe s1 = fe_mul(p.y, fe_mul(q.z, z2z2));
  const Fe s2 = fe_mul(q.y, fe_mul(p.z, z1z1));
  const Fe h = fe_sub(u2, u1);
  const Fe r = fe_sub(s2, s1);
  if (fe_is_zero(h)) {
    return fe_is_zero(r) ? jac_dbl(p) : kInfinity;
  }
  const Fe hh = fe_sqr(h);
  const Fe hhh = fe_mul(h, hh);
  const Fe v = fe_mul(u1, hh);
  Jacobian out;
  out.x = fe_sub(fe_sub(fe_sqr(r), hhh), fe_dbl(v));
  out.y = fe_sub(fe_mul(r, fe_sub(v, out.x)), fe_mul(s1, hhh));
  out.z = fe_mul(fe_mul(p.z, q.z), h);
  return out;
}

bool to_affine(const Jacobian& p, Affine& out) noexcept {
  if (is_infinity(p)) {
    return false;
  }
  const Fe zinv = fe_inv(p.z);
  const Fe zinv2 = fe_sqr(zinv);
  out.x = fe_mul(p.x, zinv2);
  out.y = fe_mul(p.y, fe_mul(zinv2, zinv));
  return true;
}

bool to_affine_batch(std::span<const Jacobian> in, std::span<Affine> out) {
  if (in.size() != out.size()) {
    return false;
  }
  if (in.empty()) {
    return true;
  }
  // prefix[i] = z_0 · … · z_i; one inversion of the whole product, then walk back.
  std::vector<Fe> prefix(in.size());
  Fe acc = kFeOne;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (is_infinity(in[i])) {
      return false;
    }
    acc = fe_mul(acc, in[i].z);
    prefix[i] = acc;
  }
  Fe inv = fe_inv(acc);  // (z_0 · … · z_{k})⁻¹
  for (std::size_t i = in.size(); i-- > 0;) {
    const Fe zinv = i > 0 ? fe_mul(inv, prefix[i - 1]) : inv;
    inv = fe_mul(inv, in[i].z);
    const Fe zinv2 = fe_sqr(zinv);
    out[i].x = fe_mul(in[i].x, zinv2);
    out[i].y = fe_mul(in[i].y, fe_mul(zinv2, zinv));
  }
  return true;
}

bool on_curve(const Affine& p) noexcept {
  const Fe x2 = fe_sqr(p.x);
  const Fe x3 = fe_mul(x2, p.x);
  const Fe three_x = fe_add(fe_dbl(p.x), p.x);
  const Fe rhs = fe_add(fe_sub(x3, three_x), kFeB);
  return fe_sqr(p.y) == rhs;
}

const Affine& generator() noexcept {
  // FIPS 186-4 §D.1.2.3 Gx, Gy in Montgomery form.
  static constexpr Affine kG = {
      Fe{{0x79E730D418A9143C, 0x75BA95FC5FEDB601, 0x79FB732B77622510, 0x18905F76A53755C6}},
      Fe{{0xDDF25357CE95560A, 0x8B4AB8E4BA19E45C, 0xD2E88688DD21F325, 0x8571FF1825885D85}}};
  return kG;
}

Jacobian scalar_mul_slow(const Jacobian& p, const Limbs& k) noexcept {
  Jacobian acc = kInfinity;
  for (std::size_t i = 256; i-- > 0;) {
    acc = jac_dbl(acc);
    if (((k[i / 64] >> (i % 64)) & 1U) != 0) {
      acc = jac_add(acc, p);
    }
  }
  return acc;
}

}  // namespace bgpsecd::crypto::p256
