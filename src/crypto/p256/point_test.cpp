// SPDX-License-Identifier: BSD-2-Clause
// The group law, comb tables and u1·G + u2·Q of the engine against OpenSSL's EC_POINT code:
// known multiples, every table shape, the exceptional cases of the mixed addition (P = Q and
// P = -Q reached inside a comb evaluation), and the x(R) mod n = r check including x(R) ≥ n.
#include "crypto/p256/point.hpp"

#include <optional>

#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "base/hex.hpp"
#include "crypto/p256/comb.hpp"
#include "crypto/p256/scalar.hpp"
#include "crypto/p256/test_util.hpp"
#include "crypto/p256/verify.hpp"

namespace bgpsecd::crypto::p256 {
namespace {

using test::from_bn;
using test::to_bn;

using Encoded = std::array<std::uint8_t, 65>;

// OpenSSL as the reference.
class Reference {
 public:
  Reference() : group_(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1)), ctx_(BN_CTX_new()) {}

  // g·G + q_scalar·q; nullopt for infinity.
  std::optional<Encoded> mul(const Limbs& g, const std::optional<Encoded>& q = std::nullopt,
                             const Limbs& q_scalar = {}) const {
    const EcPointPtr out(EC_POINT_new(group_.get()));
    const EcPointPtr qp(EC_POINT_new(group_.get()));
    if (q) {
      EXPECT_EQ(EC_POINT_oct2point(group_.get(), qp.get(), q->data(), q->size(), ctx_.get()), 1);
    }
    const BnPtr gb = to_bn(g);
    const BnPtr qb = to_bn(q_scalar);
    EXPECT_EQ(EC_POINT_mul(group_.get(), out.get(), gb.get(), q ? qp.get() : nullptr,
                           q ? qb.get() : nullptr, ctx_.get()),
              1);
    if (EC_POINT_is_at_infinity(group_.get(), out.get()) == 1) {
      return std::nullopt;
    }
    Encoded enc{};
    EXPECT_EQ(EC_POINT_point2oct(group_.get(), out.get(), POINT_CONVERSION_UNCOMPRESSED, enc.data(),
                                 enc.size(), ctx_.get()),
              enc.size());
    return enc;
  }

 private:
  EcGroupPtr group_;
  BnCtxPtr ctx_;
};

std::optional<Encoded> encode(const Jacobian& p) {
  Affine a;
  if (!to_affine(p, a)) {
    return std::nullopt;
  }
  Encoded enc{};
  enc[0] = 0x04;
  fe_to_bytes(a.x, std::span<std::uint8_t, 32>(enc.data() + 1, 32));
  fe_to_bytes(a.y, std::span<std::uint8_t, 32>(enc.data() + 33, 32));
  return enc;
}

Affine decode(const Encoded& e) {
  Affine a;
  EXPECT_TRUE(fe_from_bytes(std::span<const std::uint8_t, 32>(e.data() + 1, 32), a.x));
  EXPECT_TRUE(fe_from_bytes(std::span<const std::uint8_t, 32>(e.data() + 33, 32), a.y));
  return a;
}

std::string show(const std::optional<Encoded>& e) { return e ? base::to_hex(*e) : "infinity"; }

Limbs small(std::uint64_t v) { return {v, 0, 0, 0}; }

// A private scalar in [1, n-1].
Limbs nonzero(test::Values& values) {
  const Limbs d = values.below(kN);
  return is_zero4(d) ? small(1) : d;
}

TEST(Point, GeneratorIsTheStandardOne) {
  const Reference ref;
  EXPECT_TRUE(on_curve(generator()));
  EXPECT_EQ(encode(to_jacobian(generator())), ref.mul(small(1)));
}

TEST(Point, AdditionSpecialCases) {
  const Jacobian p = scalar_mul_slow(to_jacobian(generator()), small(12345));
  Affine pa;
  ASSERT_TRUE(to_affine(p, pa));
  const auto doubled = encode(jac_dbl(p));
  EXPECT_EQ(encode(jac_add(p, p)), doubled);
  EXPECT_EQ(encode(jac_add_affine(p, pa)), doubled);
  EXPECT_TRUE(is_infinity(jac_add_affine(p, negate(pa))));
  EXPECT_TRUE(is_infinity(jac_add(p, to_jacobian(negate(pa)))));
  EXPECT_EQ(encode(jac_add_affine(kInfinity, pa)), encode(p));
  EXPECT_EQ(encode(jac_add(kInfinity, p)), encode(p));
  EXPECT_EQ(encode(jac_add(p, kInfinity)), encode(p));
  EXPECT_TRUE(is_infinity(jac_dbl(kInfinity)));
}

TEST(Point, KnownMultiplesMatchOpenSsl) {
  const Reference ref;
  test::Values values(11);
  Limbs n_minus_1{};
  sub4(n_minus_1, kN, small(1));
  for (const Limbs& k : {small(1), small(2), small(3), n_minus_1, Limbs{0, 0, 0, 1ULL << 63}}) {
    EXPECT_EQ(encode(scalar_mul_slow(to_jacobian(generator()), k)), ref.mul(k)) << show(ref.mul(k));
  }
  EXPECT_TRUE(is_infinity(scalar_mul_slow(to_jacobian(generator()), kN)));
  for (int i = 0; i < 20; ++i) {
    const Limbs k = values.below(kN);
    const auto got = encode(scalar_mul_slow(to_jacobian(generator()), k));
    EXPECT_EQ(got, ref.mul(k));
    if (got) {
      EXPECT_TRUE(on_curve(decode(*got)));
    }
  }
}

TEST(Comb, RecodingSumsBackToTheScalar) {
  test::Values values(13);
  const BnCtxPtr ctx(BN_CTX_new());
  for (unsigned w = kMinWindowBits; w <= kMaxWindowBits; ++w) {
    for (int i = 0; i < 200; ++i) {
      const Limbs k = i == 0 ? Limbs{~0ULL, ~0ULL, ~0ULL, ~0ULL} : values.random();
      const Digits d = recode(k, w);
      ASSERT_EQ(d.count, (257 + w - 1) / w);
      BnPtr sum(BN_new());
      BN_zero(sum.get());
      for (unsigned j = d.count; j-- > 0;) {
        ASSERT_LE(std::abs(d.d[j]), 1 << (w - 1));
        BN_lshift(sum.get(), sum.get(), static_cast<int>(w));
        const BnPtr digit(BN_new());
        BN_set_word(digit.get(), static_cast<BN_ULONG>(std::abs(d.d[j])));
        if (d.d[j] < 0) {
          BN_sub(sum.get(), sum.get(), digit.get());
        } else {
          BN_add(sum.get(), sum.get(), digit.get());
        }
      }
      ASSERT_EQ(BN_cmp(sum.get(), to_bn(k).get()), 0) << "w=" << w;
    }
  }
}

TEST(Comb, EveryShapeMatchesOpenSsl) {
  const Reference ref;
  test::Values values(17);
  for (unsigned w = kMinWindowBits; w <= kMaxWindowBits; ++w) {
    for (unsigned s : {1U, 2U, 3U, 5U, 16U}) {
      const auto q = ref.mul(nonzero(values));
      ASSERT_TRUE(q);
      const CombTable table = CombTable::build(decode(*q), w, s);
      EXPECT_EQ(table.window_bits(), w);
      EXPECT_EQ(table.spacing(), s);
      for (int i = 0; i < 4; ++i) {
        Limbs k = values.below(kN);
        if (i == 0) {
          k = {~0ULL, ~0ULL, ~0ULL, ~0ULL};  // above n: the table works on any 256-bit integer
        }
        EXPECT_EQ(encode(table.mul_add(kInfinity, k)), ref.mul({}, q, k))
            << "w=" << w << " s=" << s << " i=" << i;
      }
      EXPECT_TRUE(is_infinity(table.mul_add(kInfinity, {})));
      EXPECT_TRUE(is_infinity(table.mul_add(kInfinity, kN)));
    }
  }
}

TEST(Comb, GeneratorTable) {
  const Reference ref;
  test::Values values(19);
  EXPECT_EQ(generator_table().window_bits(), kGeneratorWindowBits);
  EXPECT_EQ(generator_table().spacing(), 1U);
  EXPECT_EQ(generator_table().bytes(), 37U * 64 * 64);
  for (int i = 0; i < 200; ++i) {
    const Limbs k = values.below(kN);
    ASSERT_EQ(encode(generator_table().mul_add(kInfinity, k)), ref.mul(k)) << i;
  }
}

TEST(DoubleMul, MatchesOpenSsl) {
  const Reference ref;
  test::Values values(23);
  for (int key = 0; key < 8; ++key) {
    const auto q = ref.mul(nonzero(values));
    ASSERT_TRUE(q);
    const CombTable table = CombTable::build(decode(*q), 2 + static_cast<unsigned>(key % 7),
                                             1 + static_cast<unsigned>(key % 4));
    for (int i = 0; i < 50; ++i) {
      const Limbs u1 = values.below(kN);
      const Limbs u2 = values.below(kN);
      ASSERT_EQ(encode(double_mul(table, u1, u2)), ref.mul(u1, q, u2)) << key << " " << i;
    }
  }
}

// Q = G with the generator's own shape: the two evaluations walk the same table entries, so
// chosen scalars make the mixed addition meet P = Q (doubling) and P = -Q (infinity).
TEST(DoubleMul, ExceptionalAdditionsInsideTheComb) {
  const Reference ref;
  const auto g = ref.mul(small(1));
  const CombTable table = CombTable::build(generator(), kGeneratorWindowBits, 1);
  const Limbs minus_5 = sc_neg(small(5));
  const Limbs five_plus = {5 + (3U << 7), 0, 0, 0};
  struct Case {
    Limbs u1;
    Limbs u2;
  };
  for (const Case& c : {Case{small(5), small(5)},          // 5G + 5G: doubling
                        Case{small(5), minus_5},           // 5G - 5G: infinity
                        Case{five_plus, minus_5},          // infinity, then more additions
                        Case{small(0), small(7)},          // u1 = 0
                        Case{sc_neg(small(7)), small(7)},  // R = infinity
                        Case{small(64), small(64)},        // the largest digit of w = 7
                        Case{small(65), sc_neg(small(65))}}) {
    EXPECT_EQ(encode(double_mul(table, c.u1, c.u2)), ref.mul(c.u1, g, c.u2))
        << show(ref.mul(c.u1, g, c.u2));
  }
}

// Jacobian (X·Z², Y·Z³, Z) for a random Z, so the r check cannot rely on Z = 1.
Jacobian rescale(const Affine& a, const Fe& z) {
  const Fe z2 = fe_sqr(z);
  return {fe_mul(a.x, z2), fe_mul(a.y, fe_mul(z2, z)), z};
}

TEST(XMatchesR, OrdinaryAndAboveN) {
  const BnCtxPtr ctx(BN_CTX_new());
  const Fe z = fe_from_limbs({0x1234, 0x5678, 0x9ABC, 0xDEF0});
  // An ordinary point: x < n.
  const Jacobian p = scalar_mul_slow(to_jacobian(generator()), small(999));
  Affine pa;
  ASSERT_TRUE(to_affine(p, pa));
  const Limbs x = fe_to_limbs(pa.x);
  ASSERT_TRUE(less4(x, kN));
  EXPECT_TRUE(x_matches_r(rescale(pa, z), x));
  Limbs x1{};
  add4(x1, x, small(1));
  EXPECT_FALSE(x_matches_r(rescale(pa, z), x1));
  EXPECT_FALSE(x_matches_r(kInfinity, x));

  // A point with n ≤ x < p: the first x = n + j on the curve.
  const BnPtr p_bn = to_bn(kP);
  BnPtr xb = to_bn(kN);
  BnPtr y;
  for (;;) {
    BN_add_word(xb.get(), 1);
    const BnPtr rhs(BN_new());
    const BnPtr t(BN_new());
    BN_mod_sqr(t.get(), xb.get(), p_bn.get(), ctx.get());
    BN_mod_mul(rhs.get(), t.get(), xb.get(), p_bn.get(), ctx.get());
    BN_set_word(t.get(), 3);
    BN_mod_mul(t.get(), t.get(), xb.get(), p_bn.get(), ctx.get());
    BN_mod_sub(rhs.get(), rhs.get(), t.get(), p_bn.get(), ctx.get());
    BN_mod_add(rhs.get(), rhs.get(), test::to_bn(fe_to_limbs(kFeB)).get(), p_bn.get(), ctx.get());
    y.reset(BN_mod_sqrt(nullptr, rhs.get(), p_bn.get(), ctx.get()));
    if (y) {
      break;
    }
  }
  const Affine big{fe_from_limbs(from_bn(xb.get())), fe_from_limbs(from_bn(y.get()))};
  ASSERT_TRUE(on_curve(big));
  Limbs r{};
  sub4(r, from_bn(xb.get()), kN);  // x - n, small
  EXPECT_TRUE(x_matches_r(rescale(big, z), r));
  Limbs r1{};
  add4(r1, r, small(1));
  EXPECT_FALSE(x_matches_r(rescale(big, z), r1));
}

}  // namespace
}  // namespace bgpsecd::crypto::p256
