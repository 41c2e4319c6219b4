// SPDX-License-Identifier: BSD-2-Clause
// Strict DER ECDSA-Sig-Value for P-256 signatures (RFC 8608 §3.1, RFC 3279 §2.2.3):
//   SEQUENCE { r INTEGER, s INTEGER }
// in its one DER encoding, with 1 ≤ r, s < n. This accepts exactly what PublicKey::verify
// (OpenSSL, which re-encodes and compares) accepts as a well-formed signature.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/p256/limbs.hpp"

namespace bgpsecd::crypto::p256 {

struct SignatureScalars {
  Limbs r{};
  Limbs s{};
};

// DER longer than this cannot hold r, s < n: 2 + 2·(2 + 33) octets.
inline constexpr std::size_t kMaxDerSignatureSize = 72;

// False for anything but the DER encoding of two integers in [1, n-1] with nothing after it:
// wrong tags, long-form or non-minimal lengths, lengths past the end, empty, negative or
// non-minimal INTEGERs, r or s equal to 0 or at least n, trailing octets anywhere. out is only
// written on success.
[[nodiscard]] bool parse_der_signature(std::span<const std::uint8_t> der,
                                       SignatureScalars& out) noexcept;

// r ‖ s, each as 32 big-endian octets: the fixed-size form of a P-256 signature (the IEEE
// P1363 layout). Every signature parse_der_signature accepts has exactly one, and
// der_from_compact gives the DER octets back, so a store can keep 64 octets instead of the up
// to 72 received and still forward the signature octet for octet (RFC 8205 §4.2 signs over
// the received Signature_Segments).
inline constexpr std::size_t kCompactSignatureSize = 64;
using CompactSignature = std::array<std::uint8_t, kCompactSignatureSize>;

// The compact form of `der`, when parse_der_signature accepts it; false (out untouched)
// otherwise.
[[nodiscard]] bool compact_from_der(std::span<const std::uint8_t> der,
                                    CompactSignature& out) noexcept;

// The DER encoding of the two 32-octet integers of `compact` (X.690 §8.3: fewest octets, a 00
// before a leading octet with its top bit set), written to the front of `out`; returns the
// length. For a compact form made by compact_from_der that is the DER it came from.
[[nodiscard]] std::size_t der_from_compact(
    const CompactSignature& compact, std::span<std::uint8_t, kMaxDerSignatureSize> out) noexcept;

}  // namespace bgpsecd::crypto::p256
