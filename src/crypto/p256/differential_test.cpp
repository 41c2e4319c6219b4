// SPDX-License-Identifier: BSD-2-Clause
// 100 000 differential cases of PrecomputedVerifier against PublicKey::verify (OpenSSL):
// random keys (every table shape), random digests, valid and high-S signatures, and
// every kind of broken one (differential.hpp). scripts/p256-differential runs millions.
#include "crypto/p256/differential.hpp"

#include <gtest/gtest.h>

#include "crypto/p256/field.hpp"

namespace bgpsecd::crypto::p256 {
namespace {

TEST(Differential, HundredThousandCasesAgreeWithOpenSsl) {
  DiffOptions options;
  options.cases = 100'000;
  options.seed = 20240501;
  int shown = 0;
  options.on_mismatch = [&](const DiffCase& c) {
    if (++shown <= 20) {
      ADD_FAILURE() << describe(c);
    }
  };
  const DiffStats stats = run_differential(options);
  EXPECT_EQ(stats.mismatches, 0U);
  EXPECT_GE(stats.cases, options.cases);
  EXPECT_GE(stats.keys, 200U);
  // The run must have covered what it claims: every variant, valid ones accepted (so a
  // verifier that says "no" to everything cannot pass), broken ones refused.
  for (const char* always_valid :
       {"valid", "high_low_s_twin", "crafted_x_at_least_n", "crafted_small_key_u1_eq_u2"}) {
    const auto it = stats.per_kind.find(always_valid);
    ASSERT_NE(it, stats.per_kind.end()) << always_valid;
    EXPECT_GT(it->second.cases, 0U) << always_valid;
    EXPECT_EQ(it->second.accepted, it->second.cases) << always_valid;
  }
  for (const char* never_valid : {"r_zero",
                                  "s_zero",
                                  "r_equals_n",
                                  "s_equals_n",
                                  "r_above_n",
                                  "s_above_n",
                                  "r_plus_n",
                                  "s_plus_n",
                                  "r_all_ones",
                                  "truncated",
                                  "trailing_octets",
                                  "trailing_in_sequence",
                                  "non_minimal_r",
                                  "non_minimal_s",
                                  "negative_r",
                                  "negative_s",
                                  "long_form_outer_length",
                                  "long_form_integer_length",
                                  "indefinite_length",
                                  "extra_integer",
                                  "empty",
                                  "digest_bit_flip",
                                  "r_plus_1",
                                  "s_plus_1",
                                  "crafted_infinity",
                                  "crafted_r_is_x_at_least_n",
                                  "crafted_x_at_least_n_wrong_digest",
                                  "crafted_small_key_infinity",
                                  "high_s_wrong_digest"}) {
    const auto it = stats.per_kind.find(never_valid);
    ASSERT_NE(it, stats.per_kind.end()) << never_valid;
    EXPECT_GT(it->second.cases, 0U) << never_valid;
    EXPECT_EQ(it->second.accepted, 0U) << never_valid;
  }
  for (const char* some_kind :
       {"r_random", "s_random", "swap_r_s", "der_bit_flip", "garbage", "byte_replaced", "wrong_key",
        "wrong_outer_tag", "wrong_integer_tag", "outer_length_plus", "outer_length_minus",
        "integer_length_plus", "integer_length_minus"}) {
    EXPECT_TRUE(stats.per_kind.count(some_kind)) << some_kind;
  }
}

// The same on the portable multiplication, for CPUs without BMI2/ADX (on those the test above
// already ran it).
TEST(Differential, PortableArithmeticAgreesWithOpenSsl) {
  const bool was = mulx_enabled();
  use_mulx_for_test(false);
  DiffOptions options;
  options.cases = 10'000;
  options.seed = 7;
  options.pool = 8;
  int shown = 0;
  options.on_mismatch = [&](const DiffCase& c) {
    if (++shown <= 20) {
      ADD_FAILURE() << describe(c);
    }
  };
  const DiffStats stats = run_differential(options);
  use_mulx_for_test(was);
  EXPECT_EQ(stats.mismatches, 0U);
  EXPECT_GT(stats.accepted, 1000U);
}

}  // namespace
}  // namespace bgpsecd::crypto::p256
