// SPDX-License-Identifier: BSD-2-Clause
// Fast ECDSA P-256 verification for router keys (RFC 8608 §3.1), with a precomputed table per
// key so that u2·Q costs about as little as u1·G.
//
// A PrecomputedVerifier is built once per key (when the key is loaded, or lazily on its first
// signature) and then verifies any number of signatures with our own field and group
// arithmetic (crypto/p256/), not OpenSSL's. Same contract as PublicKey::verify: a strictly
// parsed DER ECDSA-Sig-Value (RFC 8608 §3.1) with r, s in [1, n-1] and nothing after it;
// high-S accepted. Verification handles only public data, so the code is not constant time.
// Field multiplication uses mulx/adcx/adox where the CPU has BMI2 and ADX (checked at start-up),
// portable C++ elsewhere.
//
// Memory: the table holds ⌈⌈257/w⌉/s⌉ · 2^(w-1) affine points of 64 octets (TableShape below;
// the default w = 5, s = 2 is 26 KiB per key), plus one generator table of 148 KiB shared by
// all keys and built on first use (warm_up_fast_verify() builds it ahead).
//
// Thread safety: tables are immutable after construction; verify() may run on one verifier from
// any number of threads. Copies share the table. Nothing throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "base/result.hpp"
#include "crypto/digest.hpp"
#include "crypto/keys.hpp"

namespace bgpsecd::crypto {

namespace p256 {
class CombTable;
}

// The size/speed trade-off of a key's table: signed digits of window_bits bits, and spacing
// positions sharing one table position (spacing - 1 times window_bits doublings per verify).
// Per verify: ⌈257/w⌉ mixed additions + w·(s-1) doublings for u2·Q; 37 additions for u1·G.
struct TableShape {
  unsigned window_bits = 5;  // 2 … 8
  unsigned spacing = 2;      // 1 … 16
  friend bool operator==(const TableShape&, const TableShape&) = default;
};

class PrecomputedVerifier;

// One signature of a batch (PrecomputedVerifier::verify_batch); the pointers and the span must
// stay valid for the call.
struct VerifyRequest {
  const PrecomputedVerifier* verifier = nullptr;
  const Sha256Digest* digest = nullptr;
  std::span<const std::uint8_t> der_signature;
};

class PrecomputedVerifier {
 public:
  // The 65-octet uncompressed point 04 || X || Y (X, Y < p, on the curve), as
  // PublicKey::point() gives it. Builds the key's table (about 0.2 ms for the default shape).
  // Errors: not 65 octets or not uncompressed, a coordinate not below p, not on the curve,
  // shape out of range.
  [[nodiscard]] static base::Result<PrecomputedVerifier> from_point(
      std::span<const std::uint8_t> point, TableShape shape = {});
  [[nodiscard]] static base::Result<PrecomputedVerifier> from_key(const PublicKey& key,
                                                                  TableShape shape = {});

  // ECDSA P-256 verification of a DER ECDSA-Sig-Value over a SHA-256 digest (SEC 1 §4.1.4).
  // False for malformed DER, r or s out of [1, n-1], trailing octets, or a wrong signature.
  [[nodiscard]] bool verify(const Sha256Digest& digest,
                            std::span<const std::uint8_t> der_signature) const noexcept;

  // results[i] = requests[i].verifier->verify(*requests[i].digest, requests[i].der_signature)
  // for every i (results.size() >= requests.size()). Where the CPU has AVX-512 IFMA, signatures
  // whose keys' tables have the same shape are verified eight at a time (multi-buffer), which
  // is several times the throughput of verify(); elsewhere one by one.
  static void verify_batch(std::span<const VerifyRequest> requests,
                           std::span<bool> results) noexcept;

  [[nodiscard]] const EcPoint& point() const noexcept { return point_; }
  [[nodiscard]] TableShape shape() const noexcept { return shape_; }
  // Octets of this key's table (shared by copies); the generator table is not counted.
  [[nodiscard]] std::size_t table_bytes() const noexcept;

  // What a table of this shape costs, without building one.
  [[nodiscard]] static std::size_t table_bytes_for(TableShape shape) noexcept;

 private:
  PrecomputedVerifier(std::shared_ptr<const p256::CombTable> table, const EcPoint& point,
                      TableShape shape);

  std::shared_ptr<const p256::CombTable> table_;
  EcPoint point_{};
  TableShape shape_;
};

// Builds the generator table shared by all verifiers (about 1 ms, 148 KiB), so that the first
// verification does not pay for it. Safe to call any number of times from any thread.
void warm_up_fast_verify();

// Whether PrecomputedVerifier::verify_batch runs eight signatures at a time with AVX-512 IFMA
// (the CPU has it and it is allowed) or one by one.
[[nodiscard]] bool batch_verify_uses_ifma() noexcept;
// Allows verify_batch to use AVX-512 IFMA where the CPU has it (the default at start-up), or
// not: one by one, to compare or to rule the multi-buffer engine out. Process-wide; safe to
// call while other threads verify (a batch already running finishes as it started).
void allow_batch_ifma(bool allowed) noexcept;

// Octets of the shared generator table.
[[nodiscard]] std::size_t generator_table_bytes();

}  // namespace bgpsecd::crypto
