// SPDX-License-Identifier: BSD-2-Clause
// Helpers shared by the p256 engine's unit tests: random 256-bit values, and conversion between
// limbs and OpenSSL BIGNUMs, which serve as the independent reference.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include <openssl/bn.h>

#include "crypto/openssl_ptr.hpp"
#include "crypto/p256/limbs.hpp"

namespace bgpsecd::crypto::p256::test {

inline BnPtr to_bn(const Limbs& a) {
  std::array<std::uint8_t, 32> be{};
  limbs_to_be(a, be);
  return BnPtr(BN_bin2bn(be.data(), static_cast<int>(be.size()), nullptr));
}

// a < 2^256 assumed.
inline Limbs from_bn(const BIGNUM* a) {
  std::array<std::uint8_t, 32> be{};
  BN_bn2binpad(a, be.data(), static_cast<int>(be.size()));
  return limbs_from_be(be);
}

inline BnPtr bn_hex(const char* hex) {
  BIGNUM* out = nullptr;
  BN_hex2bn(&out, hex);
  return BnPtr(out);
}

// Random values, with edge values (0, 1, all ones, single bits, limb boundaries) mixed in.
class Values {
 public:
  explicit Values(std::uint64_t seed) : rng_(seed) {}
  Limbs random() { return {rng_(), rng_(), rng_(), rng_()}; }
  // Below `bound`: random values mod bound plus edges.
  Limbs below(const Limbs& bound) {
    const std::uint64_t pick = rng_() % 16;
    Limbs v{};
    switch (pick) {
      case 0:
        return {0, 0, 0, 0};
      case 1:
        return {1, 0, 0, 0};
      case 2: {
        Limbs r{};
        sub4(r, bound, {1, 0, 0, 0});
        return r;
      }
      case 3: {
        v = {0, 0, 0, 0};
        const unsigned bit = static_cast<unsigned>(rng_() % 255);
        v[bit / 64] = std::uint64_t{1} << (bit % 64);
        break;
      }
      case 4:
        v = {~std::uint64_t{0}, ~std::uint64_t{0}, ~std::uint64_t{0}, rng_() >> 1};
        break;
      default:
        v = random();
        break;
    }
    while (!less4(v, bound)) {
      v[3] >>= 1;
    }
    return v;
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace bgpsecd::crypto::p256::test
