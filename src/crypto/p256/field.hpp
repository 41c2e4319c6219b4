// SPDX-License-Identifier: BSD-2-Clause
// Arithmetic in GF(p), p = 2^256 - 2^224 + 2^192 + 2^96 - 1 (the P-256 prime, FIPS 186-4
// §D.1.2.3), for the verification engine. Elements are kept in Montgomery form (a·2^256 mod p)
// and always fully reduced to [0, p), so equality is limb equality. The special form of p makes
// Montgomery reduction cheap: -p⁻¹ ≡ 1 (mod 2^64), and m·p needs one 64×64 multiplication.
// Not constant time (public data only).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <span>

#include "crypto/p256/limbs.hpp"

namespace bgpsecd::crypto::p256 {

struct Fe {
  Limbs v{};  // Montgomery form, < p
  friend bool operator==(const Fe&, const Fe&) = default;
};

inline constexpr Limbs kP = {0xFFFFFFFFFFFFFFFF, 0x00000000FFFFFFFF, 0x0000000000000000,
                             0xFFFFFFFF00000001};
// 2^512 mod p, to enter Montgomery form.
inline constexpr Limbs kR2ModP = {0x0000000000000003, 0xFFFFFFFBFFFFFFFF, 0xFFFFFFFFFFFFFFFE,
                                  0x00000004FFFFFFFD};
// 1 in Montgomery form (2^256 mod p).
inline constexpr Fe kFeOne = {
    {0x0000000000000001, 0xFFFFFFFF00000000, 0xFFFFFFFFFFFFFFFF, 0x00000000FFFFFFFE}};
// The curve coefficient b (FIPS 186-4 §D.1.2.3) in Montgomery form; a = -3.
inline constexpr Fe kFeB = {
    {0xD89CDF6229C4BDDF, 0xACF005CD78843090, 0xE5A220ABF7212ED6, 0xDC30061D04874834}};

BGPSEC_P256_INLINE bool fe_is_zero(const Fe& a) noexcept { return is_zero4(a.v); }

// (hi:t) - p if that is not negative, else t; hi is 0 or 1 and (hi:t) < 2p.
BGPSEC_P256_INLINE Fe fe_reduce_once(const Limbs& t, std::uint64_t hi) noexcept {
  Limbs d{};
  std::uint64_t borrow = sub4(d, t, kP);
  sbb(hi, 0, borrow);
  // borrow set: (hi:t) < p, keep t.
  return Fe{select4(0 - borrow, t, d)};
}

BGPSEC_P256_INLINE Fe fe_add(const Fe& a, const Fe& b) noexcept {
  Limbs t{};
  const std::uint64_t carry = add4(t, a.v, b.v);
  return fe_reduce_once(t, carry);
}

BGPSEC_P256_INLINE Fe fe_sub(const Fe& a, const Fe& b) noexcept {
  Limbs t{};
  const std::uint64_t borrow = sub4(t, a.v, b.v);
  const std::uint64_t mask = 0 - borrow;
  const Limbs p_or_zero = {kP[0] & mask, kP[1] & mask, kP[2] & mask, kP[3] & mask};
  Limbs r{};
  add4(r, t, p_or_zero);
  return Fe{r};
}

BGPSEC_P256_INLINE Fe fe_dbl(const Fe& a) noexcept { return fe_add(a, a); }

BGPSEC_P256_INLINE Fe fe_neg(const Fe& a) noexcept { return fe_sub(Fe{}, a); }

// One Montgomery round: (t0..t4) += a·b_i, then adds m·p with m = t0 (since -p⁻¹ ≡ 1 mod 2^64)
// and drops the zero low limb. With a, b < p the running value stays < 2p (CIOS invariant).
BGPSEC_P256_INLINE void fe_mont_round(std::uint64_t& t0, std::uint64_t& t1, std::uint64_t& t2,
                                      std::uint64_t& t3, std::uint64_t& t4, const Limbs& a,
                                      std::uint64_t bi) noexcept {
  std::uint64_t c = 0;
  t0 = mac(t0, a[0], bi, c);
  t1 = mac(t1, a[1], bi, c);
  t2 = mac(t2, a[2], bi, c);
  t3 = mac(t3, a[3], bi, c);
  std::uint64_t t5 = 0;
  t4 = adc(t4, c, t5);
  // m·p = m·2^256 - m·2^224 + m·2^192 + m·2^96 - m. Limb by limb: t0 + m·(2^64 - 1) = m·2^64
  // (low limb 0, carry m); t1 + m·(2^32 - 1) + m = t1 + m·2^32; limb 2 of p is 0; limb 3 is
  // 2^64 - 2^32 + 1.
  const std::uint64_t m = t0;
  u128 x = static_cast<u128>(t1) + (static_cast<u128>(m) << 32);
  t0 = static_cast<std::uint64_t>(x);
  x = static_cast<u128>(t2) + static_cast<std::uint64_t>(x >> 64);
  t1 = static_cast<std::uint64_t>(x);
  x = static_cast<u128>(m) * kP[3] + t3 + static_cast<std::uint64_t>(x >> 64);
  t2 = static_cast<std::uint64_t>(x);
  x = static_cast<u128>(t4) + static_cast<std::uint64_t>(x >> 64);
  t3 = static_cast<std::uint64_t>(x);
  t4 = t5 + static_cast<std::uint64_t>(x >> 64);
}

// a·b·2^-256 mod p, portable C++.
BGPSEC_P256_INLINE Fe fe_mul_portable(const Fe& a, const Fe& b) noexcept {
  std::uint64_t t0 = 0;
  std::uint64_t t1 = 0;
  std::uint64_t t2 = 0;
  std::uint64_t t3 = 0;
  std::uint64_t t4 = 0;
  fe_mont_round(t0, t1, t2, t3, t4, a.v, b.v[0]);
  fe_mont_round(t0, t1, t2, t3, t4, a.v, b.v[1]);
  fe_mont_round(t0, t1, t2, t3, t4, a.v, b.v[2]);
  fe_mont_round(t0, t1, t2, t3, t4, a.v, b.v[3]);
  return fe_reduce_once({t0, t1, t2, t3}, t4);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define BGPSEC_P256_HAVE_MULX 1

// The same Montgomery product with BMI2 mulx and the two ADX carry chains (adcx for the low
// halves, adox for the high halves of a·b_i), as OpenSSL's ecp_nistz256 does; about 1.5-2×
// faster than what g++ makes of fe_mul_portable. Only call when the CPU has BMI2 and ADX
// (fe_mul checks). Same rounds as fe_mont_round: the five running limbs rotate through
// r8-r13, and the result (< 2p) is reduced once more (BGPSEC_P256_FINAL) and stored to out.
// clang-format off
#define BGPSEC_P256_ROUND(B, T0, T1, T2, T3, T4, T5)                            \
  "movq " B ", %%rdx\n\t"                                                       \
  "xorl %%" T5 "d, %%" T5 "d\n\t"            /* T5 = 0, CF = OF = 0 */          \
  "mulxq 0(%[a]), %%rax, %%rcx\n\t"  "adcxq %%rax, %%" T0 "\n\t"  "adoxq %%rcx, %%" T1 "\n\t" \
  "mulxq 8(%[a]), %%rax, %%rcx\n\t"  "adcxq %%rax, %%" T1 "\n\t"  "adoxq %%rcx, %%" T2 "\n\t" \
  "mulxq 16(%[a]), %%rax, %%rcx\n\t" "adcxq %%rax, %%" T2 "\n\t"  "adoxq %%rcx, %%" T3 "\n\t" \
  "mulxq 24(%[a]), %%rax, %%rcx\n\t" "adcxq %%rax, %%" T3 "\n\t"  "adoxq %%rcx, %%" T4 "\n\t" \
  "adcxq %%" T5 ", %%" T4 "\n\t"             /* low chain's carry into T4 */    \
  "adoxq %%" T5 ", %%" T5 "\n\t"             /* high chain's carry: T5 = OF */  \
  "adcq $0, %%" T5 "\n\t"                    /* and T4's carry */
// m = T0 (-p⁻¹ ≡ 1 mod 2^64); adds m·p = m·2^96 + m·p3·2^192 (+ m·(2^64 - 1), which zeroes T0).
#define BGPSEC_P256_REDUCE(T0, T1, T2, T3, T4, T5)                              \
  "movq %%" T0 ", %%rdx\n\t"                                                    \
  "mulxq %[p3], %%rax, %%rcx\n\t"                                               \
  "movq %%" T0 ", %%r14\n\t"                                                    \
  "shlq $32, %%r14\n\t"                                                         \
  "shrq $32, %%" T0 "\n\t"                                                      \
  "addq %%r14, %%" T1 "\n\t"                                                    \
  "adcq %%" T0 ", %%" T2 "\n\t"                                                 \
  "adcq %%rax, %%" T3 "\n\t"                                                    \
  "adcq %%rcx, %%" T4 "\n\t"                                                    \
  "adcq $0, %%" T5 "\n\t"
// The value (T0..T3, T4) < 2p, less p when that is not negative, stored to out[0..3] (what
// fe_reduce_once does, here with cmov and without a round trip through memory). TMP is a
// register free at this point. p's limbs: all ones (-1 as a sign-extended immediate), 2^32 - 1
// (loaded into TMP: as an immediate it would sign-extend to all ones; not a memory operand,
// which unoptimised builds would give a register of its own, one more than there are), 0, [p3].
#define BGPSEC_P256_FINAL(T0, T1, T2, T3, T4, TMP)                              \
  "movl $0xFFFFFFFF, %%" TMP "d\n\t"          /* zero-extended: p1 */            \
  "movq %%" T0 ", %%rax\n\t"                                                    \
  "movq %%" T1 ", %%rcx\n\t"                                                    \
  "movq %%" T2 ", %%rdx\n\t"                                                    \
  "movq %%" T3 ", %%r14\n\t"                                                    \
  "subq $-1, %%rax\n\t"                                                        \
  "sbbq %%" TMP ", %%rcx\n\t"                                                   \
  "sbbq $0, %%rdx\n\t"                                                         \
  "sbbq %[p3], %%r14\n\t"                                                      \
  "sbbq $0, %%" T4 "\n\t"                  /* CF: the value was below p */     \
  "cmovcq %%" T0 ", %%rax\n\t"                                                  \
  "cmovcq %%" T1 ", %%rcx\n\t"                                                  \
  "cmovcq %%" T2 ", %%rdx\n\t"                                                  \
  "cmovcq %%" T3 ", %%r14\n\t"                                                  \
  "movq %%rax, 0(%[o])\n\t"                                                     \
  "movq %%rcx, 8(%[o])\n\t"                                                     \
  "movq %%rdx, 16(%[o])\n\t"                                                    \
  "movq %%r14, 24(%[o])\n\t"
// clang-format on

BGPSEC_P256_INLINE Fe fe_mul_mulx(const Fe& a, const Fe& b) noexcept {
  Fe out;
  // clang-format off
  asm("movq 0(%[b]), %%rdx\n\t"
      "mulxq 0(%[a]), %%r8, %%r9\n\t"
      "mulxq 8(%[a]), %%rax, %%r10\n\t"
      "addq %%rax, %%r9\n\t"
      "mulxq 16(%[a]), %%rax, %%r11\n\t"
      "adcq %%rax, %%r10\n\t"
      "mulxq 24(%[a]), %%rax, %%r12\n\t"
      "adcq %%rax, %%r11\n\t"
      "adcq $0, %%r12\n\t"
      "xorl %%r13d, %%r13d\n\t"
      BGPSEC_P256_REDUCE("r8", "r9", "r10", "r11", "r12", "r13")
      BGPSEC_P256_ROUND("8(%[b])", "r9", "r10", "r11", "r12", "r13", "r8")
      BGPSEC_P256_REDUCE("r9", "r10", "r11", "r12", "r13", "r8")
      BGPSEC_P256_ROUND("16(%[b])", "r10", "r11", "r12", "r13", "r8", "r9")
      BGPSEC_P256_REDUCE("r10", "r11", "r12", "r13", "r8", "r9")
      BGPSEC_P256_ROUND("24(%[b])", "r11", "r12", "r13", "r8", "r9", "r10")
      BGPSEC_P256_REDUCE("r11", "r12", "r13", "r8", "r9", "r10")
      BGPSEC_P256_FINAL("r12", "r13", "r8", "r9", "r10", "r11")
      :
      : [a] "r"(a.v.data()), [b] "r"(b.v.data()), [o] "r"(out.v.data()), [p3] "m"(kP[3])
      : "rax", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "cc", "memory");
  // clang-format on
  return out;
}
// a²·2^-256 mod p: the six cross products once, doubled, plus the four squares (10
// multiplications instead of 16), then the low half reduced by four Montgomery rounds and the
// high half added: (L + H·2^256 + m·p)/2^256 = H + (L + m·p)/2^256 < 2p.
BGPSEC_P256_INLINE Fe fe_sqr_mulx(const Fe& a) noexcept {
  Fe out;
  // clang-format off
  asm("movq 0(%[a]), %%rdx\n\t"                                  // a0
      "mulxq 8(%[a]), %%r9, %%r10\n\t"                           // a0·a1
      "mulxq 16(%[a]), %%rax, %%r11\n\t"                         // a0·a2
      "addq %%rax, %%r10\n\t"
      "mulxq 24(%[a]), %%rax, %%r12\n\t"                         // a0·a3
      "adcq %%rax, %%r11\n\t"
      "adcq $0, %%r12\n\t"
      "movq 8(%[a]), %%rdx\n\t"                                  // a1
      "mulxq 16(%[a]), %%rax, %%rcx\n\t"                         // a1·a2
      "mulxq 24(%[a]), %%r14, %%r13\n\t"                         // a1·a3
      "addq %%rax, %%r11\n\t"
      "adcq %%r14, %%r12\n\t"
      "adcq $0, %%r13\n\t"
      "addq %%rcx, %%r12\n\t"
      "adcq $0, %%r13\n\t"
      "movq 16(%[a]), %%rdx\n\t"                                 // a2
      "mulxq 24(%[a]), %%rax, %%r14\n\t"                         // a2·a3
      "addq %%rax, %%r13\n\t"
      "adcq $0, %%r14\n\t"
      "xorl %%r15d, %%r15d\n\t"                                  // doubled into r9..r15
      "addq %%r9, %%r9\n\t"
      "adcq %%r10, %%r10\n\t"
      "adcq %%r11, %%r11\n\t"
      "adcq %%r12, %%r12\n\t"
      "adcq %%r13, %%r13\n\t"
      "adcq %%r14, %%r14\n\t"
      "adcq $0, %%r15\n\t"
      "movq 0(%[a]), %%rdx\n\t"                                  // + the squares
      "mulxq %%rdx, %%r8, %%rax\n\t"
      "addq %%rax, %%r9\n\t"
      "movq 8(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %%rax, %%rcx\n\t"
      "adcq %%rax, %%r10\n\t"
      "adcq %%rcx, %%r11\n\t"
      "movq 16(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %%rax, %%rcx\n\t"
      "adcq %%rax, %%r12\n\t"
      "adcq %%rcx, %%r13\n\t"
      "movq 24(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %%rax, %%rcx\n\t"
      "adcq %%rax, %%r14\n\t"
      "adcq %%rcx, %%r15\n\t"
      "movq %%r12, 0(%[o])\n\t"                                  // high half H aside
      "movq %%r13, 8(%[o])\n\t"
      "movq %%r14, 16(%[o])\n\t"
      "movq %%r15, 24(%[o])\n\t"
      "xorl %%r12d, %%r12d\n\t"
      "xorl %%r13d, %%r13d\n\t"
      BGPSEC_P256_REDUCE("r8", "r9", "r10", "r11", "r12", "r13")
      "xorl %%r8d, %%r8d\n\t"
      BGPSEC_P256_REDUCE("r9", "r10", "r11", "r12", "r13", "r8")
      "xorl %%r9d, %%r9d\n\t"
      BGPSEC_P256_REDUCE("r10", "r11", "r12", "r13", "r8", "r9")
      "xorl %%r10d, %%r10d\n\t"
      BGPSEC_P256_REDUCE("r11", "r12", "r13", "r8", "r9", "r10")
      "addq 0(%[o]), %%r12\n\t"                                  // + H
      "adcq 8(%[o]), %%r13\n\t"
      "adcq 16(%[o]), %%r8\n\t"
      "adcq 24(%[o]), %%r9\n\t"
      "adcq $0, %%r10\n\t"
      BGPSEC_P256_FINAL("r12", "r13", "r8", "r9", "r10", "r11")
      :
      : [a] "r"(a.v.data()), [o] "r"(out.v.data()), [p3] "m"(kP[3])
      : "rax", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cc",
        "memory");
  // clang-format on
  return out;
}
#undef BGPSEC_P256_ROUND
#undef BGPSEC_P256_REDUCE
#undef BGPSEC_P256_FINAL
#endif

// Whether fe_mul uses fe_mul_mulx: set once at start-up from the CPU's features (BMI2 and
// ADX), false until then and on other CPUs and architectures. Tests may switch it off to run
// the portable path (use_mulx_for_test).
[[nodiscard]] bool mulx_enabled() noexcept;
void use_mulx_for_test(bool on) noexcept;

namespace detail {
extern std::atomic<bool> g_use_mulx;
}

// a·b·2^-256 mod p.
BGPSEC_P256_INLINE Fe fe_mul(const Fe& a, const Fe& b) noexcept {
#ifdef BGPSEC_P256_HAVE_MULX
  if (detail::g_use_mulx.load(std::memory_order_relaxed)) {
    return fe_mul_mulx(a, b);
  }
#endif
  return fe_mul_portable(a, b);
}

BGPSEC_P256_INLINE Fe fe_sqr(const Fe& a) noexcept {
#ifdef BGPSEC_P256_HAVE_MULX
  if (detail::g_use_mulx.load(std::memory_order_relaxed)) {
    return fe_sqr_mulx(a);
  }
#endif
  return fe_mul_portable(a, a);
}

// a^(p-2) = a⁻¹ (Fermat); 0 for 0. Slow (≈ 256 squarings): table building and tests only.
Fe fe_inv(const Fe& a) noexcept;

// Plain integer (< p) to Montgomery form and back.
BGPSEC_P256_INLINE Fe fe_from_limbs(const Limbs& a) noexcept { return fe_mul(Fe{a}, Fe{kR2ModP}); }
BGPSEC_P256_INLINE Limbs fe_to_limbs(const Fe& a) noexcept { return fe_mul(a, Fe{{1, 0, 0, 0}}).v; }

// 32 big-endian octets; false (and out unchanged) when the integer is not below p.
[[nodiscard]] BGPSEC_P256_INLINE bool fe_from_bytes(std::span<const std::uint8_t, 32> in,
                                                    Fe& out) noexcept {
  const Limbs a = limbs_from_be(in);
  if (!less4(a, kP)) {
    return false;
  }
  out = fe_from_limbs(a);
  return true;
}

BGPSEC_P256_INLINE void fe_to_bytes(const Fe& a, std::span<std::uint8_t, 32> out) noexcept {
  limbs_to_be(fe_to_limbs(a), out);
}

}  // namespace bgpsecd::crypto::p256
