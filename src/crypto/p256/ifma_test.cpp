// SPDX-License-Identifier: BSD-2-Clause
// The multi-buffer (AVX-512 IFMA) engine against the scalar one: field operations with edge
// values, whole verifications of valid and broken signatures in batches of every size and of
// mixed table shapes, and lanes whose lock-step sums meet P = Q or P = -Q half-way, which the
// vector additions cannot do and must hand to the complete scalar path. The tests that need
// IFMA are skipped on CPUs without it; verify_batch's agreement with verify runs everywhere.
#include "crypto/p256/ifma.hpp"

#include <memory>
#include <random>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/fast_verify.hpp"
#include "crypto/keys.hpp"
#include "crypto/p256/field.hpp"
#include "crypto/p256/point.hpp"
#include "crypto/p256/scalar.hpp"
#include "crypto/p256/test_util.hpp"
#include "crypto/p256/verify.hpp"

namespace bgpsecd::crypto::p256 {
namespace {

// Switches IFMA on for a test and back to the start-up setting after it.
class IfmaOn {
 public:
  IfmaOn() : was_(ifma_enabled()) { use_ifma_for_test(true); }
  ~IfmaOn() { use_ifma_for_test(was_); }
  IfmaOn(const IfmaOn&) = delete;
  IfmaOn& operator=(const IfmaOn&) = delete;

 private:
  bool was_;
};

TEST(IfmaField, MulAddSubAgreeWithTheScalarField) {
  if (!ifma_supported()) {
    GTEST_SKIP() << "this CPU has no AVX-512 IFMA";
  }
  test::Values values(7);
  for (int round = 0; round < 20000; ++round) {
    std::array<Limbs, kIfmaLanes> a{};
    std::array<Limbs, kIfmaLanes> b{};
    for (std::size_t lane = 0; lane < kIfmaLanes; ++lane) {
      a[lane] = values.below(kP);
      b[lane] = values.below(kP);
    }
    const IfmaFieldResults got = ifma_field_ops_for_test(a, b);
    for (std::size_t lane = 0; lane < kIfmaLanes; ++lane) {
      const Fe fa = fe_from_limbs(a[lane]);
      const Fe fb = fe_from_limbs(b[lane]);
      ASSERT_EQ(got.product[lane], fe_to_limbs(fe_mul(fa, fb))) << "round " << round;
      ASSERT_EQ(got.sum[lane], fe_to_limbs(fe_add(fa, fb))) << "round " << round;
      ASSERT_EQ(got.difference[lane], fe_to_limbs(fe_sub(fa, fb))) << "round " << round;
    }
  }
}

struct Signed {
  Limbs e{};
  Limbs r{};
  Limbs s{};
};

// a + b mod n, for a, b < n.
Limbs sc_add(const Limbs& a, const Limbs& b) {
  Limbs t{};
  const std::uint64_t carry = add4(t, a, b);
  if (carry != 0 || !less4(t, kN)) {
    sub4(t, t, kN);
  }
  return t;
}

// A valid signature by private key d with nonce k over digest integer e: r = x(k·G) mod n,
// s = k⁻¹·(e + r·d) mod n (SEC 1 §4.1.3).
Signed sign(const Limbs& d, const Limbs& k, const Limbs& e) {
  Affine big_r;
  EXPECT_TRUE(to_affine(scalar_mul_slow(to_jacobian(generator()), k), big_r));
  Signed out;
  out.e = e;
  out.r = sc_reduce(fe_to_limbs(big_r.x));
  out.s = sc_mul(sc_inv(k), sc_add(sc_reduce(e), sc_mul(out.r, d)));
  return out;
}

Affine public_point(const Limbs& d) {
  Affine q;
  EXPECT_TRUE(to_affine(scalar_mul_slow(to_jacobian(generator()), d), q));
  return q;
}

struct Lanes {
  std::vector<CombTable> tables;
  std::vector<VerifyLane> lanes;
  std::vector<bool> expected;
};

// count signatures by keys of the given shapes (cycled), every third one broken in a
// different way (r, s or e off by one, or r swapped for s).
Lanes make_lanes(std::size_t count, std::span<const std::pair<unsigned, unsigned>> shapes,
                 std::uint64_t seed) {
  test::Values values(seed);
  std::mt19937_64 rng(seed);
  Lanes out;
  out.tables.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    Limbs d{};
    do {
      d = values.below(kN);
    } while (is_zero4(d));
    const auto [w, s] = shapes[i % shapes.size()];
    out.tables.push_back(CombTable::build(public_point(d), w, s));
    Limbs k{};
    do {
      k = values.below(kN);
    } while (is_zero4(k));
    Signed sig = sign(d, k, values.random());
    bool valid = true;
    if (i % 3 == 2) {
      valid = false;
      switch (rng() % 4) {
        case 0:
          sig.e[0] ^= 1;
          break;
        case 1:
          sig.r[0] ^= 2;
          break;
        case 2:
          sig.s = sc_neg(sig.s);  // the other-S twin: still valid
          valid = true;
          break;
        default:
          std::swap(sig.r, sig.s);
          break;
      }
    }
    if (is_zero4(sig.r) || is_zero4(sig.s) || !less4(sig.r, kN) || !less4(sig.s, kN)) {
      --i;
      out.tables.pop_back();
      continue;
    }
    out.lanes.push_back({nullptr, sig.e, sig.r, sig.s});
    out.expected.push_back(valid);
  }
  for (std::size_t i = 0; i < out.lanes.size(); ++i) {
    out.lanes[i].table = &out.tables[i];
  }
  return out;
}

void expect_agreement(const Lanes& in) {
  std::unique_ptr<bool[]> results(new bool[in.lanes.size() + 3]);
  for (std::size_t i = 0; i < in.lanes.size() + 3; ++i) {
    results[i] = true;
  }
  verify_lanes(in.lanes, std::span(results.get(), in.lanes.size() + 3));
  for (std::size_t i = 0; i < in.lanes.size(); ++i) {
    const VerifyLane& l = in.lanes[i];
    const bool scalar = verify_scalars(*l.table, l.e, l.r, l.s);
    EXPECT_EQ(results[i], scalar) << "lane " << i << " of " << in.lanes.size();
    EXPECT_EQ(scalar, in.expected[i]) << "lane " << i;
  }
}

TEST(IfmaVerify, BatchesOfEverySizeAgreeWithTheScalarEngine) {
  if (!ifma_supported()) {
    GTEST_SKIP() << "this CPU has no AVX-512 IFMA";
  }
  const IfmaOn on;
  const std::pair<unsigned, unsigned> shape[] = {{5, 2}};
  for (std::size_t count = 1; count <= 17; ++count) {
    expect_agreement(make_lanes(count, shape, 100 + count));
  }
}

TEST(IfmaVerify, MixedShapesAreGroupedAndAgree) {
  if (!ifma_supported()) {
    GTEST_SKIP() << "this CPU has no AVX-512 IFMA";
  }
  const IfmaOn on;
  const std::pair<unsigned, unsigned> shapes[] = {{5, 2}, {3, 5}, {8, 1}, {2, 16}, {5, 2},
                                                  {7, 1}, {4, 4}, {5, 2}, {6, 2}};
  expect_agreement(make_lanes(60, shapes, 9));
}

// Key Q = G with the generator's own table shape, so that the key's part of the comb sum
// (u2·G) and the first generator entry (d·G, d the lowest 7-bit digit of u1) can be made equal
// (P = Q: the vector addition gives Z = 0) or opposite (P = -Q: infinity half-way). Both
// signatures are valid; only the scalar fallback gets them right.
TEST(IfmaVerify, LanesMeetingEqualOrOppositePointsFallBackToTheCompleteAdditions) {
  if (!ifma_supported()) {
    GTEST_SKIP() << "this CPU has no AVX-512 IFMA";
  }
  const IfmaOn on;
  const CombTable g_table = CombTable::build(generator(), kGeneratorWindowBits, 1);
  test::Values values(3);
  Lanes in;
  in.tables.reserve(1);
  in.tables.push_back(g_table);
  for (int i = 0; i < 8; ++i) {
    const std::uint64_t small = 5 + static_cast<std::uint64_t>(i);
    const Limbs u2 = {small, 0, 0, 0};
    // u1 = ±small + 128·t: its lowest signed 7-bit digit is ±small.
    Limbs t = values.random();
    t[3] >>= 8;
    Limbs u1 = {t[0] << 7, (t[1] << 7) | (t[0] >> 57), (t[2] << 7) | (t[1] >> 57),
                (t[3] << 7) | (t[2] >> 57)};
    u1 = i % 2 == 0 ? [&] {
      Limbs r{};
      add4(r, u1, u2);
      return r;
    }()
                    : [&] {
                        Limbs r{};
                        sub4(r, u1, u2);
                        return r;
                      }();
    Limbs sum{};
    add4(sum, u1, u2);
    Affine big_r;
    ASSERT_TRUE(to_affine(scalar_mul_slow(to_jacobian(generator()), sc_reduce(sum)), big_r));
    const Limbs r = sc_reduce(fe_to_limbs(big_r.x));
    const Limbs s = sc_mul(r, sc_inv(u2));  // u2 = r/s
    const Limbs e = sc_mul(u1, s);          // u1 = e/s
    in.lanes.push_back({&in.tables[0], e, r, s});
    in.expected.push_back(true);
  }
  expect_agreement(in);
  std::unique_ptr<bool[]> results(new bool[in.lanes.size()]);
  verify_lanes(in.lanes, std::span(results.get(), in.lanes.size()));
  for (std::size_t i = 0; i < in.lanes.size(); ++i) {
    EXPECT_TRUE(results[i]) << "lane " << i;
  }
}

// The public batch call on DER signatures made by OpenSSL, with broken ones and missing
// verifiers in between, more than one chunk of requests: the same answers as verify(), with
// IFMA on (where the CPU has it) and off.
TEST(VerifyBatch, AgreesWithVerifyOneByOne) {
  std::vector<PrivateKey> keys;
  std::vector<PrecomputedVerifier> verifiers;
  const TableShape shapes[] = {{5, 2}, {4, 4}, {5, 2}, {8, 1}};
  for (int i = 0; i < 12; ++i) {
    auto key = PrivateKey::generate();
    ASSERT_TRUE(key);
    auto v = PrecomputedVerifier::from_key(key->public_key(), shapes[i % 4]);
    ASSERT_TRUE(v);
    keys.push_back(*key);
    verifiers.push_back(*v);
  }
  std::mt19937_64 rng(5);
  constexpr std::size_t kCount = 150;
  std::vector<Sha256Digest> digests(kCount);
  std::vector<base::Bytes> signatures(kCount);
  std::vector<VerifyRequest> requests(kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    for (auto& octet : digests[i]) {
      octet = static_cast<std::uint8_t>(rng());
    }
    const std::size_t k = rng() % keys.size();
    auto der = keys[k].sign(digests[i]);
    ASSERT_TRUE(der);
    signatures[i] = *der;
    switch (i % 7) {
      case 1:
        signatures[i][signatures[i].size() - 1] ^= 1;  // wrong s
        break;
      case 3:
        digests[i][0] ^= 0x80;  // wrong digest
        break;
      case 5:
        signatures[i].push_back(0);  // trailing octet: not DER
        break;
      default:
        break;
    }
    requests[i] = {&verifiers[k], &digests[i], signatures[i]};
  }
  requests[17].verifier = nullptr;
  for (const bool ifma : {true, false}) {
    const bool was = ifma_enabled();
    use_ifma_for_test(ifma);
    std::unique_ptr<bool[]> results(new bool[kCount]);
    PrecomputedVerifier::verify_batch(requests, std::span(results.get(), kCount));
    use_ifma_for_test(was);
    std::size_t valid = 0;
    for (std::size_t i = 0; i < kCount; ++i) {
      const bool one = requests[i].verifier != nullptr &&
                       requests[i].verifier->verify(*requests[i].digest, requests[i].der_signature);
      EXPECT_EQ(results[i], one) << "request " << i << " ifma " << ifma;
      valid += one ? 1 : 0;
    }
    EXPECT_GT(valid, kCount / 2);
    EXPECT_LT(valid, kCount);
  }
}

}  // namespace
}  // namespace bgpsecd::crypto::p256
