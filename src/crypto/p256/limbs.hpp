// SPDX-License-Identifier: BSD-2-Clause
// 256-bit unsigned integers as four little-endian 64-bit limbs, and the carry helpers the P-256
// field (field.hpp) and scalar (scalar.hpp) arithmetic are built on. Portable C++ on
// unsigned __int128 (g++ and clang turn these into add/adc/sbb/mul). Variable time is fine:
// the verification engine only ever handles public data (keys, digests, signatures).
#pragma once

#include <array>
#include <cstdint>
#include <span>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace bgpsecd::crypto::p256 {

// The arithmetic helpers are always inlined: the engine's sources are compiled with -O2 in
// every build type, the tests that include these headers may not be, and an out-of-line copy
// of an inline function is shared between all objects (the linker keeps one of them, maybe an
// unoptimised one).
#define BGPSEC_P256_INLINE inline __attribute__((always_inline))

using Limbs = std::array<std::uint64_t, 4>;  // limb 0 is the least significant
using u128 = unsigned __int128;

// a + b + carry; carry is 0 or 1 on entry and on return. On x86-64 the compiler's carry
// intrinsics, which become one adc or sbb each; g++ 12 makes a chain of unsigned __int128
// additions into several instructions per limb, and a field addition built on them cost about
// as much as half a multiplication.
BGPSEC_P256_INLINE std::uint64_t adc(std::uint64_t a, std::uint64_t b,
                                     std::uint64_t& carry) noexcept {
#if defined(__x86_64__)
  unsigned long long r = 0;
  carry = _addcarry_u64(static_cast<unsigned char>(carry), a, b, &r);
  return r;
#else
  const u128 t = static_cast<u128>(a) + b + carry;
  carry = static_cast<std::uint64_t>(t >> 64);
  return static_cast<std::uint64_t>(t);
#endif
}

// a - b - borrow; borrow is 0 or 1 on entry and on return.
BGPSEC_P256_INLINE std::uint64_t sbb(std::uint64_t a, std::uint64_t b,
                                     std::uint64_t& borrow) noexcept {
#if defined(__x86_64__)
  unsigned long long r = 0;
  borrow = _subborrow_u64(static_cast<unsigned char>(borrow), a, b, &r);
  return r;
#else
  const u128 t = static_cast<u128>(a) - b - borrow;
  borrow = static_cast<std::uint64_t>(t >> 64) & 1U;
  return static_cast<std::uint64_t>(t);
#endif
}

// a + b * c + carry, with the high word back in carry (never overflows 128 bits).
BGPSEC_P256_INLINE std::uint64_t mac(std::uint64_t a, std::uint64_t b, std::uint64_t c,
                                     std::uint64_t& carry) noexcept {
  const u128 t = static_cast<u128>(b) * c + a + carry;
  carry = static_cast<std::uint64_t>(t >> 64);
  return static_cast<std::uint64_t>(t);
}

// r = a + b, returning the carry out.
BGPSEC_P256_INLINE std::uint64_t add4(Limbs& r, const Limbs& a, const Limbs& b) noexcept {
  std::uint64_t c = 0;
  r[0] = adc(a[0], b[0], c);
  r[1] = adc(a[1], b[1], c);
  r[2] = adc(a[2], b[2], c);
  r[3] = adc(a[3], b[3], c);
  return c;
}

// r = a - b, returning the borrow out.
BGPSEC_P256_INLINE std::uint64_t sub4(Limbs& r, const Limbs& a, const Limbs& b) noexcept {
  std::uint64_t c = 0;
  r[0] = sbb(a[0], b[0], c);
  r[1] = sbb(a[1], b[1], c);
  r[2] = sbb(a[2], b[2], c);
  r[3] = sbb(a[3], b[3], c);
  return c;
}

// a < b as unsigned 256-bit integers.
BGPSEC_P256_INLINE bool less4(const Limbs& a, const Limbs& b) noexcept {
  Limbs unused{};
  return sub4(unused, a, b) != 0;
}

BGPSEC_P256_INLINE bool is_zero4(const Limbs& a) noexcept {
  return (a[0] | a[1] | a[2] | a[3]) == 0;
}

// mask ? a : b, for masks of all ones or all zeros.
BGPSEC_P256_INLINE Limbs select4(std::uint64_t mask, const Limbs& a, const Limbs& b) noexcept {
  return {(a[0] & mask) | (b[0] & ~mask), (a[1] & mask) | (b[1] & ~mask),
          (a[2] & mask) | (b[2] & ~mask), (a[3] & mask) | (b[3] & ~mask)};
}

// 32 octets, big-endian (the SEC 1 encoding of field elements and scalars).
BGPSEC_P256_INLINE Limbs limbs_from_be(std::span<const std::uint8_t, 32> in) noexcept {
  Limbs r{};
  for (std::size_t i = 0; i < 4; ++i) {
    std::uint64_t w = 0;
    for (std::size_t j = 0; j < 8; ++j) {
      w = (w << 8) | in[8 * (3 - i) + j];
    }
    r[i] = w;
  }
  return r;
}

BGPSEC_P256_INLINE void limbs_to_be(const Limbs& a, std::span<std::uint8_t, 32> out) noexcept {
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = 0; j < 8; ++j) {
      out[8 * (3 - i) + j] = static_cast<std::uint8_t>(a[i] >> (56 - 8 * j));
    }
  }
}

}  // namespace bgpsecd::crypto::p256
