// SPDX-License-Identifier: BSD-2-Clause
// Field inversion for the P-256 verification engine (the rest of field.hpp is inline).
#include "crypto/p256/field.hpp"

#include <array>

#ifdef BGPSEC_P256_HAVE_MULX
#include <cpuid.h>
#endif

namespace bgpsecd::crypto::p256 {
namespace {

// p - 2, the Fermat exponent.
constexpr Limbs kPMinus2 = {0xFFFFFFFFFFFFFFFD, 0x00000000FFFFFFFF, 0x0000000000000000,
                            0xFFFFFFFF00000001};

}  // namespace

namespace detail {
namespace {
bool cpu_has_mulx() noexcept {
#ifdef BGPSEC_P256_HAVE_MULX
  // CPUID leaf 7, subleaf 0: EBX bit 8 is BMI2 (mulx), bit 19 is ADX (adcx, adox). Both only
  // use general registers, so no OS support check is needed. (clang 14's
  // __builtin_cpu_supports does not know "adx".)
  unsigned eax = 0;
  unsigned ebx = 0;
  unsigned ecx = 0;
  unsigned edx = 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) {
    return false;
  }
  return (ebx & (1U << 8)) != 0 && (ebx & (1U << 19)) != 0;
#else
  return false;
#endif
}
}  // namespace

// Dynamic initialisation at start-up; zero-initialised (portable path) before that.
std::atomic<bool> g_use_mulx{cpu_has_mulx()};
}  // namespace detail

bool mulx_enabled() noexcept { return detail::g_use_mulx.load(std::memory_order_relaxed); }

void use_mulx_for_test(bool on) noexcept {
  detail::g_use_mulx.store(on && detail::cpu_has_mulx(), std::memory_order_relaxed);
}

// Fermat with a fixed 4-bit window: about 252 squarings and 60 multiplications. Only table
// building and tests invert (verification compares in Jacobian coordinates instead).
Fe fe_inv(const Fe& a) noexcept {
  std::array<Fe, 16> pow{};
  pow[1] = a;
  for (std::size_t i = 2; i < pow.size(); ++i) {
    pow[i] = fe_mul(pow[i - 1], a);
  }
  Fe acc{};
  bool started = false;
  for (std::size_t i = 64; i-- > 0;) {
    const unsigned digit = static_cast<unsigned>(kPMinus2[i / 16] >> (4 * (i % 16))) & 0xFU;
    if (started) {
      for (int k = 0; k < 4; ++k) {
        acc = fe_sqr(acc);
      }
      if (digit != 0) {
        acc = fe_mul(acc, pow[digit]);
      }
    } else if (digit != 0) {
      acc = pow[digit];
      started = true;
    }
  }
  return acc;
}

}  // namespace bgpsecd::crypto::p256
