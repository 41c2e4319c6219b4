// SPDX-License-Identifier: BSD-2-Clause
// Strict DER ECDSA-Sig-Value for P-256 signatures (RFC 8608 §3.1, RFC 3279 §2.2.3):
//   SEQUENCE { r INTEGER, s INTEGER }
// in its one DER encoding, with 1 ≤ r, s < n. This accepts exactly what PublicKey::verify
// (OpenSSL, which re-encodes and compares) accepts as a well-formed signature.
#pragma once

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

}  // namespace bgpsecd::crypto::p256
