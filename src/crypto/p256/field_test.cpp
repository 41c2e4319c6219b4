// SPDX-License-Identifier: BSD-2-Clause
// GF(p) arithmetic of the engine against OpenSSL's BIGNUM modular arithmetic, on random and edge
// values, plus the algebraic identities the point formulas rely on.
#include "crypto/p256/field.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "crypto/p256/test_util.hpp"

namespace bgpsecd::crypto::p256 {
namespace {

using test::from_bn;
using test::to_bn;

class FieldTest : public ::testing::Test {
 protected:
  BnCtxPtr ctx_{BN_CTX_new()};
  BnPtr p_{to_bn(kP)};
  test::Values values_{0x5EED};
  // Whether this CPU can run fe_mul_mulx (then fe_mul uses it unless a test switched it off).
  bool mulx_available_ = [] {
    const bool was = mulx_enabled();
    use_mulx_for_test(true);
    const bool can = mulx_enabled();
    use_mulx_for_test(was);
    return can;
  }();

  Limbs ref_mul(const Limbs& a, const Limbs& b) {
    BnPtr r(BN_new());
    BN_mod_mul(r.get(), to_bn(a).get(), to_bn(b).get(), p_.get(), ctx_.get());
    return from_bn(r.get());
  }
  Limbs ref_add(const Limbs& a, const Limbs& b) {
    BnPtr r(BN_new());
    BN_mod_add(r.get(), to_bn(a).get(), to_bn(b).get(), p_.get(), ctx_.get());
    return from_bn(r.get());
  }
  Limbs ref_sub(const Limbs& a, const Limbs& b) {
    BnPtr r(BN_new());
    BN_mod_sub(r.get(), to_bn(a).get(), to_bn(b).get(), p_.get(), ctx_.get());
    return from_bn(r.get());
  }
};

TEST_F(FieldTest, MontgomeryRoundTrip) {
  for (int i = 0; i < 2000; ++i) {
    const Limbs a = values_.below(kP);
    EXPECT_EQ(fe_to_limbs(fe_from_limbs(a)), a);
  }
  EXPECT_EQ(fe_from_limbs({1, 0, 0, 0}), kFeOne);
}

TEST_F(FieldTest, MulAddSubMatchOpenSsl) {
  for (int i = 0; i < 20000; ++i) {
    const Limbs a = values_.below(kP);
    const Limbs b = values_.below(kP);
    const Fe fa = fe_from_limbs(a);
    const Fe fb = fe_from_limbs(b);
    ASSERT_EQ(fe_to_limbs(fe_mul(fa, fb)), ref_mul(a, b)) << i;
    ASSERT_EQ(fe_mul_portable(fa, fb), fe_mul(fa, fb)) << i;
#ifdef BGPSEC_P256_HAVE_MULX
    if (mulx_available_) {
      ASSERT_EQ(fe_mul_mulx(fa, fb), fe_mul(fa, fb)) << i;
      ASSERT_EQ(fe_sqr_mulx(fa), fe_mul_portable(fa, fa)) << i;
    }
#endif
    ASSERT_EQ(fe_to_limbs(fe_sqr(fa)), ref_mul(a, a)) << i;
    ASSERT_EQ(fe_to_limbs(fe_add(fa, fb)), ref_add(a, b)) << i;
    ASSERT_EQ(fe_to_limbs(fe_sub(fa, fb)), ref_sub(a, b)) << i;
    ASSERT_EQ(fe_to_limbs(fe_neg(fa)), ref_sub({0, 0, 0, 0}, a)) << i;
    ASSERT_EQ(fe_to_limbs(fe_dbl(fa)), ref_add(a, a)) << i;
  }
}

TEST_F(FieldTest, ResultsAreFullyReduced) {
  // Equality of elements is limb equality, so every result must be below p.
  for (int i = 0; i < 5000; ++i) {
    const Fe a{values_.below(kP)};
    const Fe b{values_.below(kP)};
    for (const Fe& r : {fe_mul(a, b), fe_sqr(a), fe_add(a, b), fe_sub(a, b), fe_neg(a)}) {
      ASSERT_TRUE(less4(r.v, kP));
    }
  }
}

// Both multiplications on inputs near p and near the carry boundaries of each limb, where a
// dropped carry would show.
TEST_F(FieldTest, MultiplicationEdgeValues) {
  std::vector<Limbs> edges = {{0, 0, 0, 0}, {1, 0, 0, 0}, {~0ULL, 0, 0, 0}, {0, ~0ULL, 0, 0}};
  Limbs p_minus{};
  for (std::uint64_t k = 1; k < 40; ++k) {
    sub4(p_minus, kP, {k * k, 0, 0, 0});
    edges.push_back(p_minus);
  }
  edges.push_back({~0ULL, ~0ULL, ~0ULL, 0xFFFFFFFF00000000ULL});
  edges.push_back({0, 0, 0, 0xFFFFFFFF00000000ULL});
  edges.push_back({~0ULL, 0xFFFFFFFFULL, 0, 0});
  for (const Limbs& a : edges) {
    for (const Limbs& b : edges) {
      const Fe fa{a};
      const Fe fb{b};
      // got = a·b·2^-256, so got·2^512·2^-256 = a·b (mod p).
      const Fe got = fe_mul_portable(fa, fb);
      ASSERT_TRUE(less4(got.v, kP));
      ASSERT_EQ(fe_mul_portable(got, Fe{kR2ModP}).v, ref_mul(a, b));
#ifdef BGPSEC_P256_HAVE_MULX
      if (mulx_available_) {
        ASSERT_EQ(fe_mul_mulx(fa, fb), got);
        ASSERT_EQ(fe_sqr_mulx(fa), fe_mul_portable(fa, fa));
      }
#endif
    }
  }
}

TEST_F(FieldTest, InverseTimesSelfIsOne) {
  for (int i = 0; i < 200; ++i) {
    const Fe a = fe_from_limbs(values_.below(kP));
    if (fe_is_zero(a)) {
      EXPECT_TRUE(fe_is_zero(fe_inv(a)));
      continue;
    }
    EXPECT_EQ(fe_mul(a, fe_inv(a)), kFeOne);
  }
}

TEST_F(FieldTest, Identities) {
  for (int i = 0; i < 1000; ++i) {
    const Fe a = fe_from_limbs(values_.below(kP));
    const Fe b = fe_from_limbs(values_.below(kP));
    const Fe c = fe_from_limbs(values_.below(kP));
    EXPECT_EQ(fe_mul(a, fe_add(b, c)), fe_add(fe_mul(a, b), fe_mul(a, c)));
    EXPECT_EQ(fe_sub(fe_add(a, b), b), a);
    EXPECT_EQ(fe_add(a, fe_neg(a)), Fe{});
    EXPECT_EQ(fe_mul(a, kFeOne), a);
  }
}

TEST_F(FieldTest, BytesRejectValuesAtLeastP) {
  std::array<std::uint8_t, 32> be{};
  limbs_to_be(kP, be);
  Fe out = kFeOne;
  EXPECT_FALSE(fe_from_bytes(be, out));
  EXPECT_EQ(out, kFeOne);  // unchanged
  be.fill(0xFF);
  EXPECT_FALSE(fe_from_bytes(be, out));
  Limbs p_minus_1{};
  sub4(p_minus_1, kP, {1, 0, 0, 0});
  limbs_to_be(p_minus_1, be);
  ASSERT_TRUE(fe_from_bytes(be, out));
  std::array<std::uint8_t, 32> back{};
  fe_to_bytes(out, back);
  EXPECT_EQ(back, be);
}

}  // namespace
}  // namespace bgpsecd::crypto::p256
