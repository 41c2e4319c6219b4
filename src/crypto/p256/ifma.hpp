// SPDX-License-Identifier: BSD-2-Clause
// Multi-buffer ECDSA P-256 verification: eight signatures (different keys, different digests)
// in one pass, with AVX-512 IFMA (vpmadd52luq / vpmadd52huq: eight 52 × 52-bit
// multiply-accumulates per instruction). Each lane runs the same comb evaluation as
// verify_scalars (verify.hpp) on its own key's table and the shared generator table, in lock
// step with the others; field elements are five 52-bit limbs per lane.
//
// The vector additions are not complete: a lane whose sum ever meets P = ±Q (or the point at
// infinity in the middle) ends with Z ≡ 0, because Z only ever gets multiplied (Z3 = Z1·H in an
// addition, 2·Y·Z in a doubling). Such a lane is verified again, alone, by verify_scalars, whose
// additions are complete. So the outcome is verify_scalars' outcome for every input.
//
// Used where the CPU has AVX-512F and AVX-512 IFMA and the OS saves the ZMM state (checked
// once at start-up); everywhere else verify_lanes runs verify_scalars lane by lane. Not constant
// time (public data only).
#pragma once

#include <array>
#include <cstddef>
#include <span>

#include "crypto/p256/comb.hpp"
#include "crypto/p256/limbs.hpp"

namespace bgpsecd::crypto::p256 {

inline constexpr std::size_t kIfmaLanes = 8;

// One signature to verify: the key's table and SEC 1 §4.1.4's e, r, s (r, s already checked
// to be in [1, n-1], as verify_scalars requires).
struct VerifyLane {
  const CombTable* table = nullptr;
  Limbs e{};
  Limbs r{};
  Limbs s{};
};

// The CPU has AVX-512F and AVX-512 IFMA, and the OS saves the ZMM and mask registers.
[[nodiscard]] bool ifma_supported() noexcept;
// Whether verify_lanes uses IFMA: ifma_supported() unless switched off (use_ifma_for_test, or
// crypto::allow_batch_ifma for the daemon's [bgpsec] multi_buffer).
[[nodiscard]] bool ifma_enabled() noexcept;
void use_ifma_for_test(bool on) noexcept;

// results[i] = verify_scalars(*lanes[i].table, lanes[i].e, lanes[i].r, lanes[i].s) for every i
// (results.size() >= lanes.size()). With IFMA, lanes whose tables have the same shape go
// through together, up to eight at a time.
void verify_lanes(std::span<const VerifyLane> lanes, std::span<bool> results) noexcept;

// Test hooks on the vector field arithmetic: for eight pairs of integers below p, a·b, a + b and
// a - b mod p, fully reduced, computed through the IFMA representation (into it and back out).
// Only to be called when ifma_supported().
struct IfmaFieldResults {
  std::array<Limbs, kIfmaLanes> product{};
  std::array<Limbs, kIfmaLanes> sum{};
  std::array<Limbs, kIfmaLanes> difference{};
};
[[nodiscard]] IfmaFieldResults ifma_field_ops_for_test(
    const std::array<Limbs, kIfmaLanes>& a, const std::array<Limbs, kIfmaLanes>& b) noexcept;

}  // namespace bgpsecd::crypto::p256
