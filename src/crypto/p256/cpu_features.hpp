// SPDX-License-Identifier: BSD-2-Clause
// The CPU features the verification engine picks its code paths by, read once with CPUID (and
// XGETBV for the register state the OS saves): BMI2 + ADX for the mulx field multiplication
// (field.hpp), AVX-512F + AVX-512 IFMA for the multi-buffer engine (ifma.hpp). All false on
// other architectures and compilers.
#pragma once

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#define BGPSEC_P256_HAVE_CPUID 1
#endif

namespace bgpsecd::crypto::p256 {

struct CpuFeatures {
  bool bmi2 = false;
  bool adx = false;
  bool avx512f = false;
  bool avx512ifma = false;
  bool os_saves_zmm = false;  // XCR0: SSE, AVX, opmask and all ZMM state
};

inline CpuFeatures read_cpu_features() noexcept {
  CpuFeatures f;
#ifdef BGPSEC_P256_HAVE_CPUID
  unsigned eax = 0;
  unsigned ebx = 0;
  unsigned ecx = 0;
  unsigned edx = 0;
  // Leaf 1: ECX bit 27 OSXSAVE (XGETBV usable).
  const bool osxsave = __get_cpuid(1, &eax, &ebx, &ecx, &edx) != 0 && (ecx & (1U << 27)) != 0;
  if (osxsave) {
    // XCR0: SSE (bit 1), AVX (2), opmask (5), ZMM0-15 upper halves (6), ZMM16-31 (7).
    unsigned xcr0_lo = 0;
    unsigned xcr0_hi = 0;
    __asm__("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    constexpr unsigned kZmmState = (1U << 1) | (1U << 2) | (1U << 5) | (1U << 6) | (1U << 7);
    f.os_saves_zmm = (xcr0_lo & kZmmState) == kZmmState;
  }
  // Leaf 7, subleaf 0, EBX: bit 8 BMI2, 16 AVX512F, 19 ADX, 21 AVX512_IFMA. (clang 14's
  // __builtin_cpu_supports does not know "adx".)
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) != 0) {
    f.bmi2 = (ebx & (1U << 8)) != 0;
    f.avx512f = (ebx & (1U << 16)) != 0;
    f.adx = (ebx & (1U << 19)) != 0;
    f.avx512ifma = (ebx & (1U << 21)) != 0;
  }
#endif
  return f;
}

}  // namespace bgpsecd::crypto::p256
