// SPDX-License-Identifier: BSD-2-Clause
// Arithmetic modulo n against OpenSSL's BIGNUM.
#include "crypto/p256/scalar.hpp"

#include <gtest/gtest.h>

#include "crypto/p256/test_util.hpp"

namespace bgpsecd::crypto::p256 {
namespace {

using test::from_bn;
using test::to_bn;

TEST(Scalar, MulInverseNegReduceMatchOpenSsl) {
  const BnCtxPtr ctx(BN_CTX_new());
  const BnPtr n = to_bn(kN);
  test::Values values(7);
  for (int i = 0; i < 3000; ++i) {
    const Limbs a = values.below(kN);
    const Limbs b = values.below(kN);
    BnPtr r(BN_new());
    BN_mod_mul(r.get(), to_bn(a).get(), to_bn(b).get(), n.get(), ctx.get());
    ASSERT_EQ(sc_mul(a, b), from_bn(r.get())) << i;
    BN_mod_sub(r.get(), n.get(), to_bn(a).get(), n.get(), ctx.get());
    ASSERT_EQ(sc_neg(a), from_bn(r.get())) << i;
    if (!is_zero4(a) && i % 10 == 0) {
      const BnPtr inv(BN_mod_inverse(nullptr, to_bn(a).get(), n.get(), ctx.get()));
      ASSERT_EQ(sc_inv(a), from_bn(inv.get())) << i;
    }
    const Limbs any = values.random();
    BN_nnmod(r.get(), to_bn(any).get(), n.get(), ctx.get());
    ASSERT_EQ(sc_reduce(any), from_bn(r.get())) << i;
  }
}

// The divstep inversion on many values, edge values and inputs at or above n included.
TEST(Scalar, InverseTimesSelfIsOne) {
  test::Values values(29);
  const Limbs one = {1, 0, 0, 0};
  for (int i = 0; i < 100000; ++i) {
    const Limbs a = values.below(kN);
    if (is_zero4(a)) {
      continue;
    }
    ASSERT_EQ(sc_mul(a, sc_inv(a)), one) << i;
  }
  for (unsigned bit = 0; bit < 256; ++bit) {
    Limbs a{};
    a[bit / 64] = std::uint64_t{1} << (bit % 64);
    ASSERT_EQ(sc_mul(sc_reduce(a), sc_inv(a)), one) << bit;
    Limbs below{};
    sub4(below, kN, a);  // n - 2^bit
    ASSERT_EQ(sc_mul(below, sc_inv(below)), one) << bit;
  }
  Limbs n_plus_1{};
  add4(n_plus_1, kN, one);
  EXPECT_EQ(sc_inv(n_plus_1), one);  // taken mod n first
  EXPECT_EQ(sc_inv(kN), (Limbs{0, 0, 0, 0}));
}

TEST(Scalar, EdgeValues) {
  Limbs n_minus_1{};
  sub4(n_minus_1, kN, {1, 0, 0, 0});
  // (n-1)² = 1, (n-1)⁻¹ = n-1, 1⁻¹ = 1, n mod n = 0.
  EXPECT_EQ(sc_mul(n_minus_1, n_minus_1), (Limbs{1, 0, 0, 0}));
  EXPECT_EQ(sc_inv(n_minus_1), n_minus_1);
  EXPECT_EQ(sc_inv({1, 0, 0, 0}), (Limbs{1, 0, 0, 0}));
  EXPECT_EQ(sc_inv({0, 0, 0, 0}), (Limbs{0, 0, 0, 0}));
  EXPECT_EQ(sc_reduce(kN), (Limbs{0, 0, 0, 0}));
  EXPECT_EQ(sc_neg({0, 0, 0, 0}), (Limbs{0, 0, 0, 0}));
}

}  // namespace
}  // namespace bgpsecd::crypto::p256
