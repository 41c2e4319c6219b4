// SPDX-License-Identifier: BSD-2-Clause
// Field inversion for the P-256 verification engine (the rest of field.hpp is inline).
#include "crypto/p256/field.hpp"

#include <array>

#include "crypto/p256/cpu_features.hpp"

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
  // mulx (BMI2) and adcx/adox (ADX) only use general registers: no OS support to check.
  const CpuFeatures cpu = read_cpu_features();
  return cpu.bmi2 && cpu.adx;
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
