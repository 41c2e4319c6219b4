// SPDX-License-Identifier: BSD-2-Clause
// Multi-buffer P-256 verification with AVX-512 IFMA (see ifma.hpp).
//
// Representation. A vector field element holds eight residues mod p, one per 64-bit lane, as
// five limbs of 52 bits (limb k: bits 52k … 52k+51), in Montgomery form with R = 2^260:
// x is kept as x·2^260 mod p, not fully reduced. Every vector operation returns a value below
// 2p with normalised limbs (each below 2^52, as IFMA reads only the low 52 bits), and accepts
// values below 4p:
// - mul: (a·b + m·p) / 2^260 < 16p²/2^260 + p < 2p, since 16p < 2^260.
// - add, sub: a + b, or a - b + 4p, are below 8p < 2^259; one fold of the bits above 2^256
//   (2^256 ≡ 2^224 - 2^192 - 2^96 + 1) brings them below 2^256 + 8·2^224 < 2p.
// -p⁻¹ ≡ 1 (mod 2^52) because p ≡ -1 (mod 2^96), so each Montgomery round's multiplier is just
// the low limb.
//
// Table entries. The comb tables hold affine points in the scalar engine's Montgomery form
// (x·2^256). Rather than convert each entry, the mixed addition multiplies Z1² by
// K = 2^264 mod p once: mul(Z1², K) = z²·2^264, and mul(x·2^256, z²·2^264) = x·z²·2^260, the
// vector form of U2; likewise for S2 with mul(z²·2^264, Z1) = z³·2^264.
//
// Every function that touches vector registers carries the IFMA target attribute and lives in
// this file (internal linkage), so the rest of the program is compiled for the baseline CPU and
// none of this code runs unless ifma_enabled().
#include "crypto/p256/ifma.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define BGPSEC_P256_HAVE_IFMA 1
#endif

#include "base/check.hpp"
#include "crypto/p256/cpu_features.hpp"
#include "crypto/p256/field.hpp"
#include "crypto/p256/point.hpp"
#include "crypto/p256/scalar.hpp"
#include "crypto/p256/verify.hpp"

namespace bgpsecd::crypto::p256 {
namespace {

bool cpu_has_ifma() noexcept {
#ifdef BGPSEC_P256_HAVE_IFMA
  const CpuFeatures cpu = read_cpu_features();
  return cpu.avx512f && cpu.avx512ifma && cpu.os_saves_zmm;
#else
  return false;
#endif
}

// Dynamic initialisation at start-up; zero-initialised (scalar path) before that.
std::atomic<bool> g_use_ifma{cpu_has_ifma()};

void verify_lanes_scalar(std::span<const VerifyLane> lanes, std::span<bool> results) noexcept {
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    results[i] = verify_scalars(*lanes[i].table, lanes[i].e, lanes[i].r, lanes[i].s);
  }
}

}  // namespace

bool ifma_supported() noexcept {
  static const bool supported = cpu_has_ifma();
  return supported;
}

bool ifma_enabled() noexcept { return g_use_ifma.load(std::memory_order_relaxed); }

void use_ifma_for_test(bool on) noexcept {
  g_use_ifma.store(on && ifma_supported(), std::memory_order_relaxed);
}

#ifdef BGPSEC_P256_HAVE_IFMA

// g++ 12's AVX-512 headers start the shift intrinsics from _mm512_undefined_epi32(), a
// self-initialised `__m512i __Y = __Y;`, which -Wuninitialized reports at every shift inlined
// into a function that has the instruction set only by its target attribute (not by -mavx512f).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#define BGPSEC_IFMA inline __attribute__((always_inline, target("avx512f,avx512ifma")))
#define BGPSEC_IFMA_FN __attribute__((noinline, target("avx512f,avx512ifma")))
// The limb loops must be unrolled for the limbs to live in registers: at -O2 g++ keeps a
// 25-iteration loop nest and its accumulators in memory.
#define BGPSEC_UNROLL _Pragma("GCC unroll 32")

namespace {

using V = __m512i;
using Mask = __mmask8;

constexpr std::uint64_t kMask52 = (std::uint64_t{1} << 52) - 1;
constexpr std::size_t kVLimbs = 5;
using Limbs52 = std::array<std::uint64_t, kVLimbs>;

// p, 4p, K = 2^264 mod p, 2^260 mod p (one in vector form), 2^520 mod p (into vector form),
// each as five 52-bit limbs.
constexpr Limbs52 kP52 = {0xFFFFFFFFFFFFF, 0x00FFFFFFFFFFF, 0x0000000000000, 0x0001000000000,
                          0x0FFFFFFFF0000};
constexpr Limbs52 kFourP52 = {0xFFFFFFFFFFFFC, 0x03FFFFFFFFFFF, 0x0000000000000, 0x0004000000000,
                              0x3FFFFFFFC0000};
constexpr Limbs52 kK52 = {0x0000000000100, 0x0000000000000, 0xFFFFFFFFFFFFF, 0xFEFFFFFFFFFFF,
                          0x0000000FFFFFF};
constexpr Limbs52 kOne52 = {0x0000000000010, 0xF000000000000, 0xFFFFFFFFFFFFF, 0xFFEFFFFFFFFFF,
                            0x00000000FFFFF};
constexpr Limbs52 kR2V52 = {0x0000000000300, 0xFFFFFFFF00000, 0xFFFFEFFFFFFFB, 0xFDFFFFFFFFFFF,
                            0x0000004FFFFFF};

struct FeV {
  V l[kVLimbs];
};

struct PointV {
  FeV x;
  FeV y;
  FeV z;
};

BGPSEC_IFMA V broadcast(std::uint64_t x) { return _mm512_set1_epi64(static_cast<long long>(x)); }

BGPSEC_IFMA FeV broadcast(const Limbs52& c) {
  FeV r;
  BGPSEC_UNROLL
  for (std::size_t i = 0; i < kVLimbs; ++i) {
    r.l[i] = broadcast(c[i]);
  }
  return r;
}

// Montgomery product a·b·2^-260 mod p; a, b < 4p with normalised limbs; result < 2p, normalised.
// The 25 partial products go into ten column accumulators (each column gets at most twenty
// terms below 2^52, so no 64-bit lane overflows), then five reduction rounds add m·p with
// m = the running low limb, each clearing one limb.
BGPSEC_IFMA FeV mul(const FeV& a, const FeV& b) {
  const V zero = _mm512_setzero_si512();
  V t[2 * kVLimbs];
  BGPSEC_UNROLL
  for (auto& v : t) {
    v = zero;
  }
  BGPSEC_UNROLL
  for (std::size_t i = 0; i < kVLimbs; ++i) {
    BGPSEC_UNROLL
    for (std::size_t j = 0; j < kVLimbs; ++j) {
      t[i + j] = _mm512_madd52lo_epu64(t[i + j], a.l[i], b.l[j]);
      t[i + j + 1] = _mm512_madd52hi_epu64(t[i + j + 1], a.l[i], b.l[j]);
    }
  }
  const V mask = broadcast(kMask52);
  const V p0 = broadcast(kP52[0]);
  const V p1 = broadcast(kP52[1]);
  const V p3 = broadcast(kP52[3]);
  const V p4 = broadcast(kP52[4]);
  BGPSEC_UNROLL
  for (std::size_t i = 0; i < kVLimbs; ++i) {
    const V m = _mm512_and_si512(t[i], mask);
    // t[i] + lo(m·p0) ≡ 0 (mod 2^52); only its carry moves on.
    const V low = _mm512_madd52lo_epu64(t[i], m, p0);
    t[i + 1] = _mm512_add_epi64(t[i + 1], _mm512_srli_epi64(low, 52));
    t[i + 1] = _mm512_madd52hi_epu64(t[i + 1], m, p0);
    t[i + 1] = _mm512_madd52lo_epu64(t[i + 1], m, p1);
    t[i + 2] = _mm512_madd52hi_epu64(t[i + 2], m, p1);
    // p's limb 2 is zero.
    t[i + 3] = _mm512_madd52lo_epu64(t[i + 3], m, p3);
    t[i + 4] = _mm512_madd52hi_epu64(t[i + 4], m, p3);
    t[i + 4] = _mm512_madd52lo_epu64(t[i + 4], m, p4);
    t[i + 5] = _mm512_madd52hi_epu64(t[i + 5], m, p4);
  }
  FeV r;
  V c = t[5];
  BGPSEC_UNROLL
  for (std::size_t i = 0; i < kVLimbs - 1; ++i) {
    r.l[i] = _mm512_and_si512(c, mask);
    c = _mm512_add_epi64(t[6 + i], _mm512_srli_epi64(c, 52));
  }
  r.l[kVLimbs - 1] = c;  // below 2^49: the value is below 2p < 2^257
  return r;
}

BGPSEC_IFMA FeV sqr(const FeV& a) { return mul(a, a); }

// Limbs that may be negative or above 2^52, of a value in [0, 2^260), to normalised limbs of a
// value below 2p: signed carries, a fold of bits 256 and up by 2^256 ≡ 2^224 - 2^192 - 2^96 + 1
// (limb 4 bit 16, limb 3 bit 36, limb 1 bit 44, limb 0 bit 0), signed carries again.
BGPSEC_IFMA void carry_signed(V (&t)[kVLimbs]) {
  const V mask = broadcast(kMask52);
  BGPSEC_UNROLL
  for (std::size_t i = 0; i < kVLimbs - 1; ++i) {
    t[i + 1] = _mm512_add_epi64(t[i + 1], _mm512_srai_epi64(t[i], 52));
    t[i] = _mm512_and_si512(t[i], mask);
  }
}

BGPSEC_IFMA FeV reduce(V (&t)[kVLimbs]) {
  carry_signed(t);
  const V q = _mm512_srli_epi64(t[4], 48);
  t[4] = _mm512_add_epi64(_mm512_and_si512(t[4], broadcast((std::uint64_t{1} << 48) - 1)),
                          _mm512_slli_epi64(q, 16));
  t[3] = _mm512_sub_epi64(t[3], _mm512_slli_epi64(q, 36));
  t[1] = _mm512_sub_epi64(t[1], _mm512_slli_epi64(q, 44));
  t[0] = _mm512_add_epi64(t[0], q);
  carry_signed(t);
  FeV r;
  BGPSEC_UNROLL
  for (std::size_t i = 0; i < kVLimbs; ++i) {
    r.l[i] = t[i];
  }
  return r;
}

BGPSEC_IFMA FeV add(const FeV& a, const FeV& b) {
  V t[kVLimbs];
  BGPSEC_UNROLL
  for (std::size_t i = 0; i < kVLimbs; ++i) {
    t[i] = _mm512_add_epi64(a.l[i], b.l[i]);
  }
  return reduce(t);
}

// a - b + 4p, for b < 4p.
BGPSEC_IFMA FeV sub(const FeV& a, const FeV& b) {
  V t[kVLimbs];
  BGPSEC_UNROLL
  for (std::size_t i = 0; i < kVLimbs; ++i) {
    t[i] = _mm512_sub_epi64(_mm512_add_epi64(a.l[i], broadcast(kFourP52[i])), b.l[i]);
  }
  return reduce(t);
}

BGPSEC_IFMA FeV dbl(const FeV& a) { return add(a, a); }

BGPSEC_IFMA FeV blend(Mask take_b, const FeV& a, const FeV& b) {
  FeV r;
  BGPSEC_UNROLL
  for (std::size_t i = 0; i < kVLimbs; ++i) {
    r.l[i] = _mm512_mask_blend_epi64(take_b, a.l[i], b.l[i]);
  }
  return r;
}

BGPSEC_IFMA PointV blend(Mask take_b, const PointV& a, const PointV& b) {
  return {blend(take_b, a.x, b.x), blend(take_b, a.y, b.y), blend(take_b, a.z, b.z)};
}

// 2P, dbl-2001-b as jac_dbl (point.cpp).
BGPSEC_IFMA_FN PointV point_dbl(const PointV& p) {
  const FeV delta = sqr(p.z);
  const FeV gamma = sqr(p.y);
  const FeV beta = mul(p.x, gamma);
  const FeV t = mul(sub(p.x, delta), add(p.x, delta));
  const FeV alpha = add(dbl(t), t);
  const FeV beta4 = dbl(dbl(beta));
  PointV r;
  r.x = sub(sqr(alpha), dbl(beta4));
  r.z = sub(sub(sqr(add(p.y, p.z)), gamma), delta);
  const FeV gamma2_8 = dbl(dbl(dbl(sqr(gamma))));
  r.y = sub(mul(alpha, sub(beta4, r.x)), gamma2_8);
  return r;
}

// P + E, E affine in the scalar engine's form (see the top of the file), madd as
// jac_add_affine without the special cases: right whenever x(P) ≠ x(E); otherwise Z3 ≡ 0.
BGPSEC_IFMA_FN PointV point_add_entry(const PointV& p, const FeV& ex, const FeV& ey) {
  const FeV zz_k = mul(sqr(p.z), broadcast(kK52));
  const FeV u2 = mul(ex, zz_k);
  const FeV s2 = mul(ey, mul(zz_k, p.z));
  const FeV h = sub(u2, p.x);
  const FeV r = sub(s2, p.y);
  const FeV hh = sqr(h);
  const FeV hhh = mul(h, hh);
  const FeV v = mul(p.x, hh);
  PointV out;
  out.x = sub(sub(sqr(r), hhh), dbl(v));
  out.y = sub(mul(r, sub(v, out.x)), mul(p.y, hhh));
  out.z = mul(p.z, h);
  return out;
}

// An entry as a vector point with Z = 1.
BGPSEC_IFMA_FN PointV entry_point(const FeV& ex, const FeV& ey) {
  const FeV k = broadcast(kK52);
  return {mul(ex, k), mul(ey, k), broadcast(kOne52)};
}

// Four 64-bit limbs per lane (c[0] least significant, value below 2^256) to five 52-bit limbs.
BGPSEC_IFMA FeV split52(const V* c) {
  const V mask = broadcast(kMask52);
  FeV r;
  r.l[0] = _mm512_and_si512(c[0], mask);
  r.l[1] = _mm512_and_si512(
      _mm512_or_si512(_mm512_srli_epi64(c[0], 52), _mm512_slli_epi64(c[1], 12)), mask);
  r.l[2] = _mm512_and_si512(
      _mm512_or_si512(_mm512_srli_epi64(c[1], 40), _mm512_slli_epi64(c[2], 24)), mask);
  r.l[3] = _mm512_and_si512(
      _mm512_or_si512(_mm512_srli_epi64(c[2], 28), _mm512_slli_epi64(c[3], 36)), mask);
  r.l[4] = _mm512_srli_epi64(c[3], 16);
  return r;
}

// Eight table entries (one 64-octet Affine per lane: x limbs 0-3, y limbs 0-3) to x and y
// vectors: an 8 × 8 transpose of 64-bit words.
BGPSEC_IFMA void load_entries(const Affine* const* entries, FeV& x, FeV& y) {
  static_assert(sizeof(Affine) == 64);
  V r[8];
  BGPSEC_UNROLL
  for (std::size_t i = 0; i < 8; ++i) {
    r[i] = _mm512_loadu_si512(static_cast<const void*>(entries[i]));
  }
  V a[8];
  BGPSEC_UNROLL
  for (std::size_t i = 0; i < 4; ++i) {
    a[2 * i] = _mm512_unpacklo_epi64(r[2 * i], r[2 * i + 1]);
    a[2 * i + 1] = _mm512_unpackhi_epi64(r[2 * i], r[2 * i + 1]);
  }
  // b0: words 0, 4 of rows 0-3; b1: words 2, 6; b2: words 1, 5; b3: words 3, 7; b4-b7: rows 4-7.
  V b[8];
  BGPSEC_UNROLL
  for (std::size_t h = 0; h < 2; ++h) {
    b[4 * h + 0] = _mm512_shuffle_i64x2(a[4 * h + 0], a[4 * h + 2], 0x88);
    b[4 * h + 1] = _mm512_shuffle_i64x2(a[4 * h + 0], a[4 * h + 2], 0xDD);
    b[4 * h + 2] = _mm512_shuffle_i64x2(a[4 * h + 1], a[4 * h + 3], 0x88);
    b[4 * h + 3] = _mm512_shuffle_i64x2(a[4 * h + 1], a[4 * h + 3], 0xDD);
  }
  V col[8];
  col[0] = _mm512_shuffle_i64x2(b[0], b[4], 0x88);
  col[4] = _mm512_shuffle_i64x2(b[0], b[4], 0xDD);
  col[2] = _mm512_shuffle_i64x2(b[1], b[5], 0x88);
  col[6] = _mm512_shuffle_i64x2(b[1], b[5], 0xDD);
  col[1] = _mm512_shuffle_i64x2(b[2], b[6], 0x88);
  col[5] = _mm512_shuffle_i64x2(b[2], b[6], 0xDD);
  col[3] = _mm512_shuffle_i64x2(b[3], b[7], 0x88);
  col[7] = _mm512_shuffle_i64x2(b[3], b[7], 0xDD);
  x = split52(&col[0]);
  y = split52(&col[4]);
}

// Eight lanes of vector form to plain integers mod p, fully reduced.
BGPSEC_IFMA std::array<Limbs, kIfmaLanes> to_plain(const FeV& a) {
  FeV one{};
  const V zero = _mm512_setzero_si512();
  BGPSEC_UNROLL
  for (auto& l : one.l) {
    l = zero;
  }
  one.l[0] = broadcast(1);
  // a·1·2^-260 < 4p/2^260 + p, so at most p (p only for a ≡ 0).
  const FeV plain = mul(a, one);
  alignas(64) std::uint64_t limb[kVLimbs][kIfmaLanes];
  BGPSEC_UNROLL
  for (std::size_t i = 0; i < kVLimbs; ++i) {
    _mm512_store_si512(static_cast<void*>(limb[i]), plain.l[i]);
  }
  std::array<Limbs, kIfmaLanes> out{};
  BGPSEC_UNROLL
  for (std::size_t lane = 0; lane < kIfmaLanes; ++lane) {
    const std::uint64_t l0 = limb[0][lane];
    const std::uint64_t l1 = limb[1][lane];
    const std::uint64_t l2 = limb[2][lane];
    const std::uint64_t l3 = limb[3][lane];
    const std::uint64_t l4 = limb[4][lane];
    Limbs v = {l0 | (l1 << 52), (l1 >> 12) | (l2 << 40), (l2 >> 24) | (l3 << 28),
               (l3 >> 36) | (l4 << 16)};
    if (!less4(v, kP)) {
      Limbs d{};
      sub4(d, v, kP);
      v = d;
    }
    out[lane] = v;
  }
  return out;
}

// Eight plain integers below p, as 4 × 64-bit limbs, into vector form (a·2^260 mod p).
BGPSEC_IFMA FeV from_plain(const std::array<Limbs, kIfmaLanes>& a) {
  alignas(64) std::uint64_t word[4][kIfmaLanes];
  BGPSEC_UNROLL
  for (std::size_t lane = 0; lane < kIfmaLanes; ++lane) {
    BGPSEC_UNROLL
    for (std::size_t i = 0; i < 4; ++i) {
      word[i][lane] = a[lane][i];
    }
  }
  V c[4];
  BGPSEC_UNROLL
  for (std::size_t i = 0; i < 4; ++i) {
    c[i] = _mm512_load_si512(static_cast<const void*>(word[i]));
  }
  return mul(split52(c), broadcast(kR2V52));
}

// One lock-step addition: lane i adds its entry (negated where neg has bit i) unless its digit
// is zero (zero has bit i); a lane still at infinity takes the entry itself.
struct Step {
  std::array<const Affine*, kIfmaLanes> entry{};
  Mask neg = 0;
  Mask zero = 0;
};

BGPSEC_IFMA void apply_step(PointV& acc, Mask& infinity, const Step& step) {
  FeV ex;
  FeV ey;
  load_entries(step.entry.data(), ex, ey);
  if (step.neg != 0) {
    FeV zero_fe;
    for (auto& l : zero_fe.l) {
      l = _mm512_setzero_si512();
    }
    ey = blend(step.neg, ey, sub(zero_fe, ey));
  }
  const auto adding = static_cast<Mask>(~step.zero);
  const auto first = static_cast<Mask>(infinity & adding);
  const auto summing = static_cast<Mask>(~infinity & adding);
  if (summing != 0) {
    acc = blend(summing, acc, point_add_entry(acc, ex, ey));
  }
  if (first != 0) {
    acc = blend(first, acc, entry_point(ex, ey));
  }
  infinity = static_cast<Mask>(infinity & step.zero);
}

// The additions of one comb evaluation for each lane, in verify_scalars' order: key tables
// (same shape in every lane) round by round, then the generator table. doublings_before[j]
// is the number of doublings the accumulator gets before step j.
// Not value-initialised (20 KiB per group): build_schedule writes each step it counts.
struct Schedule {
  std::array<Step, 2 * kMaxDigits> steps;
  std::array<unsigned char, 2 * kMaxDigits> doublings_before;
  std::size_t count = 0;
};

void add_digit(Step& step, std::size_t lane, const CombTable& table, std::size_t position,
               int d) noexcept {
  const auto bit = static_cast<Mask>(1U << lane);
  if (d == 0) {
    step.zero = static_cast<Mask>(step.zero | bit);
    step.entry[lane] = &table.entry(position, 1);  // loaded, never used
    return;
  }
  if (d < 0) {
    step.neg = static_cast<Mask>(step.neg | bit);
  }
  step.entry[lane] = &table.entry(position, static_cast<unsigned>(d < 0 ? -d : d));
}

void build_schedule(std::span<const CombTable* const> tables, std::span<const Digits> key_digits,
                    std::span<const Digits> gen_digits, Schedule& out) noexcept {
  const CombTable& shape = *tables[0];
  const unsigned spacing = shape.spacing();
  const CombTable& g = generator_table();
  out.count = 0;
  unsigned pending_doublings = 0;
  for (unsigned round = 0; round < spacing; ++round) {
    const unsigned b = spacing - 1 - round;
    if (round > 0) {
      pending_doublings += shape.window_bits();
    }
    for (std::size_t a = 0; a < shape.positions(); ++a) {
      const std::size_t i = a * spacing + b;
      if (i >= key_digits[0].count) {
        break;
      }
      Step& step = out.steps[out.count];
      step = Step{};
      for (std::size_t lane = 0; lane < kIfmaLanes; ++lane) {
        add_digit(step, lane, *tables[lane], a, key_digits[lane].d[i]);
      }
      out.doublings_before[out.count] = static_cast<unsigned char>(pending_doublings);
      pending_doublings = 0;
      ++out.count;
    }
  }
  for (std::size_t i = 0; i < gen_digits[0].count; ++i) {
    Step& step = out.steps[out.count];
    step = Step{};
    for (std::size_t lane = 0; lane < kIfmaLanes; ++lane) {
      add_digit(step, lane, g, i, gen_digits[lane].d[i]);
    }
    out.doublings_before[out.count] = 0;
    ++out.count;
  }
}

// Two to eight lanes whose tables share one shape; the rest of the eight repeat lane 0.
BGPSEC_IFMA_FN void verify_group(std::span<const VerifyLane> lanes, std::span<bool> results) {
  BGPSEC_ASSERT(!lanes.empty() && lanes.size() <= kIfmaLanes && results.size() >= lanes.size());
  std::array<const CombTable*, kIfmaLanes> tables{};
  std::array<Digits, kIfmaLanes> key_digits;
  std::array<Digits, kIfmaLanes> gen_digits;
  // SEC 1 §4.1.4 step 5, w = s⁻¹ for all lanes with one inversion (Montgomery's trick: invert
  // the product, then peel one factor off per lane); s ≠ 0 and n is prime, so no product is 0.
  const std::size_t n = std::min(lanes.size(), kIfmaLanes);
  std::array<Limbs, kIfmaLanes> prefix{};
  prefix[0] = lanes[0].s;
  for (std::size_t lane = 1; lane < n; ++lane) {
    prefix[lane] = sc_mul(prefix[lane - 1], lanes[lane].s);
  }
  std::array<Limbs, kIfmaLanes> w{};
  Limbs inv = sc_inv(prefix[n - 1]);
  for (std::size_t lane = n; lane-- > 1;) {
    w[lane] = sc_mul(inv, prefix[lane - 1]);
    inv = sc_mul(inv, lanes[lane].s);
  }
  w[0] = inv;
  for (std::size_t lane = 0; lane < kIfmaLanes; ++lane) {
    const std::size_t from = lane < n ? lane : 0;
    const VerifyLane& in = lanes[from];
    // Step 5-6, as verify_scalars: u1 = e·w, u2 = r·w.
    const Limbs u1 = sc_mul(sc_reduce(in.e), w[from]);
    const Limbs u2 = sc_mul(in.r, w[from]);
    tables[lane] = in.table;
    key_digits[lane] = recode(u2, in.table->window_bits());
    gen_digits[lane] = recode(u1, kGeneratorWindowBits);
  }
  Schedule schedule;
  build_schedule(tables, key_digits, gen_digits, schedule);

  PointV acc;
  for (auto* fe : {&acc.x, &acc.y, &acc.z}) {
    for (auto& l : fe->l) {
      l = _mm512_setzero_si512();
    }
  }
  Mask infinity = 0xFF;
  constexpr std::size_t kAhead = 2;
  for (std::size_t j = 0; j < std::min(kAhead, schedule.count); ++j) {
    for (const Affine* e : schedule.steps[j].entry) {
      __builtin_prefetch(e);
    }
  }
  for (std::size_t j = 0; j < schedule.count; ++j) {
    if (j + kAhead < schedule.count) {
      for (const Affine* e : schedule.steps[j + kAhead].entry) {
        __builtin_prefetch(e);
      }
    }
    if (infinity != 0xFF) {
      for (unsigned d = 0; d < schedule.doublings_before[j]; ++d) {
        acc = point_dbl(acc);
      }
    }
    apply_step(acc, infinity, schedule.steps[j]);
  }

  const std::array<Limbs, kIfmaLanes> x = to_plain(acc.x);
  const std::array<Limbs, kIfmaLanes> z = to_plain(acc.z);
  for (std::size_t lane = 0; lane < n; ++lane) {
    const VerifyLane& in = lanes[lane];
    if ((infinity & (1U << lane)) != 0 || is_zero4(z[lane])) {
      // An exceptional sum on the way (or the point at infinity): the complete scalar path.
      results[lane] = verify_scalars(*in.table, in.e, in.r, in.s);
      continue;
    }
    const Jacobian point{fe_from_limbs(x[lane]), kFeOne, fe_from_limbs(z[lane])};
    results[lane] = x_matches_r(point, in.r);
  }
}

BGPSEC_IFMA_FN IfmaFieldResults field_ops(const std::array<Limbs, kIfmaLanes>& a,
                                          const std::array<Limbs, kIfmaLanes>& b) {
  const FeV va = from_plain(a);
  const FeV vb = from_plain(b);
  IfmaFieldResults out;
  out.product = to_plain(mul(va, vb));
  out.sum = to_plain(add(va, vb));
  out.difference = to_plain(sub(va, vb));
  return out;
}

}  // namespace

void verify_lanes(std::span<const VerifyLane> lanes, std::span<bool> results) noexcept {
  if (!ifma_enabled() || lanes.size() < 2) {
    verify_lanes_scalar(lanes, results);
    return;
  }
  // Group by table shape (lock step needs the same schedule), in input order within a shape.
  std::array<std::size_t, 64> order_small{};
  std::vector<std::size_t> order_large;
  std::span<std::size_t> order;
  if (lanes.size() <= order_small.size()) {
    order = std::span(order_small).first(lanes.size());
  } else {
    order_large.resize(lanes.size());
    order = order_large;
  }
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const CombTable& ta = *lanes[a].table;
    const CombTable& tb = *lanes[b].table;
    return std::pair(ta.window_bits(), ta.spacing()) < std::pair(tb.window_bits(), tb.spacing());
  });
  std::array<VerifyLane, kIfmaLanes> group{};
  std::array<bool, kIfmaLanes> group_results{};
  std::size_t i = 0;
  while (i < order.size()) {
    const CombTable& first = *lanes[order[i]].table;
    std::size_t n = 0;
    while (i + n < order.size() && n < kIfmaLanes) {
      const CombTable& t = *lanes[order[i + n]].table;
      if (t.window_bits() != first.window_bits() || t.spacing() != first.spacing()) {
        break;
      }
      group[n] = lanes[order[i + n]];
      ++n;
    }
    if (n == 1) {
      results[order[i]] = verify_scalars(*group[0].table, group[0].e, group[0].r, group[0].s);
    } else {
      verify_group(std::span(group).first(n), group_results);
      for (std::size_t k = 0; k < n; ++k) {
        results[order[i + k]] = group_results[k];
      }
    }
    i += n;
  }
}

IfmaFieldResults ifma_field_ops_for_test(const std::array<Limbs, kIfmaLanes>& a,
                                         const std::array<Limbs, kIfmaLanes>& b) noexcept {
  return field_ops(a, b);
}

#undef BGPSEC_IFMA
#undef BGPSEC_IFMA_FN
#undef BGPSEC_UNROLL
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#else  // no IFMA on this architecture or compiler

void verify_lanes(std::span<const VerifyLane> lanes, std::span<bool> results) noexcept {
  verify_lanes_scalar(lanes, results);
}

IfmaFieldResults ifma_field_ops_for_test(const std::array<Limbs, kIfmaLanes>&,
                                         const std::array<Limbs, kIfmaLanes>&) noexcept {
  return {};
}

#endif

}  // namespace bgpsecd::crypto::p256
