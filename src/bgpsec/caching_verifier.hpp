// SPDX-License-Identifier: BSD-2-Clause
// The suite-1 SignatureVerifier for production: a signature cache in
// front of per-key precomputed tables (or OpenSSL when precompute is off).
//
// Per candidate key of a job: the (key, digest, signature) entry of the SignatureCache answers
// when present; otherwise the key's table from the KeyTableCache verifies (OpenSSL when the key
// has no table) and the outcome, good or bad, is stored. Outcomes are the same as
// DefaultSignatureVerifier's in every case (same steps, verify_suite1_with / verify_in_order;
// crypto::PrecomputedVerifier is differential-tested against OpenSSL), so the two can be
// swapped freely.
//
// Thread safety: verify_block, verify_batch and stats may be called on one instance from any number
// of threads at once (both caches lock internally); the daemon's worker pool shares one.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

#include "bgpsec/key_table_cache.hpp"
#include "bgpsec/signature_cache.hpp"
#include "bgpsec/signature_verifier.hpp"
#include "crypto/fast_verify.hpp"

namespace bgpsecd::bgpsec {

struct CachingVerifierOptions {
  // Verification outcomes kept (17 octets each); 0 turns the signature cache off.
  std::size_t signature_cache_entries = SignatureCache::kDefaultEntries;
  // Large per-key tables kept (26 KiB each with the default shape), and small ones for the
  // keys refused a large table (2.5 KiB each); with both 0 every miss is verified with OpenSSL.
  std::size_t max_key_tables = KeyTableCache::kDefaultMaxTables;
  std::size_t max_small_key_tables = KeyTableCache::kDefaultMaxSmallTables;
  crypto::TableShape table_shape{};
  // false: OpenSSL's PublicKey::verify for every miss, no tables (both bounds ignored).
  bool precompute = true;
};

struct CachingVerifierStats {
  std::uint64_t signature_cache_hits = 0;
  std::uint64_t signature_cache_misses = 0;
  std::size_t signature_cache_entries = 0;
  std::size_t signature_cache_bytes = 0;
  std::size_t key_tables = 0;
  std::size_t key_table_bytes = 0;
  std::uint64_t key_table_builds = 0;
  std::uint64_t key_table_evictions = 0;
  std::uint64_t key_table_fallbacks = 0;  // verified with OpenSSL: no table for the key
  std::uint64_t key_table_refused = 0;    // uses of keys refused a large table
  std::size_t small_key_tables = 0;
  std::size_t small_key_table_bytes = 0;
  std::uint64_t small_key_table_builds = 0;
  std::uint64_t small_key_table_evictions = 0;
  std::uint64_t signatures_verified = 0;  // ECDSA verifications actually run (cache misses)
  std::uint64_t signature_cache_inserts = 0;
  std::uint64_t signature_cache_evictions = 0;
  std::size_t signature_cache_capacity = 0;
};

class CachingSignatureVerifier final : public SignatureVerifier {
 public:
  explicit CachingSignatureVerifier(CachingVerifierOptions options = {});

  [[nodiscard]] bool supports_suite(std::uint8_t suite) const noexcept override;
  // As DefaultSignatureVerifier: newest first, reports the first failure. Where the CPU has
  // AVX-512 IFMA the signatures not in the cache are verified eight at a time (the multi-buffer
  // engine's width), stopping after the eight with the first failure; elsewhere one by one,
  // stopping at the first failure.
  [[nodiscard]] VerifyOutcome verify_block(std::uint8_t suite,
                                           std::span<const VerifyJob> jobs) const override;

  // With key tables and AVX-512 IFMA: answers what the signature cache holds, verifies the
  // rest through the multi-buffer engine (every candidate key of a job, eight checks at a time)
  // and caches those outcomes too.
  [[nodiscard]] bool verifies_batches() const noexcept override;
  [[nodiscard]] bool verify_batch(std::uint8_t suite, std::span<const VerifyJob> jobs,
                                  std::span<bool> valid) const override;

  [[nodiscard]] CachingVerifierStats stats() const;
  // How signatures not in the cache are verified: "avx512-ifma" (the multi-buffer engine,
  // eight at a time), "scalar" (our engine, one at a time: no AVX-512 IFMA on this CPU) or
  // "openssl" (no precomputed tables).
  [[nodiscard]] const char* engine() const noexcept;
  // The multi-buffer engine's width: verify_block's window.
  static constexpr std::size_t kBatchWindow = 8;
  [[nodiscard]] const CachingVerifierOptions& options() const noexcept { return options_; }

  CachingSignatureVerifier(const CachingSignatureVerifier&) = delete;
  CachingSignatureVerifier& operator=(const CachingSignatureVerifier&) = delete;
  CachingSignatureVerifier(CachingSignatureVerifier&&) = delete;
  CachingSignatureVerifier& operator=(CachingSignatureVerifier&&) = delete;
  ~CachingSignatureVerifier() override = default;

 private:
  // Precomputed tables configured (else every miss is verified with OpenSSL).
  [[nodiscard]] bool has_key_tables() const noexcept;

  // job_valid[j]: some key of jobs[j] verifies its signature; cached outcomes first, the rest
  // in one batch through the key tables, then cached.
  void check_jobs(std::span<const VerifyJob> jobs, std::span<bool> job_valid) const;

  // One key's ECDSA check, through the caches.
  [[nodiscard]] bool verify_with_key(const crypto::PublicKey& key,
                                     const crypto::Sha256Digest& digest,
                                     std::span<const std::uint8_t> signature) const;

  CachingVerifierOptions options_;
  // verify_block is const (the SignatureVerifier interface) but fills the caches; both are
  // internally synchronised, so mutating them from a const member is safe.
  mutable SignatureCache signature_cache_;
  mutable KeyTableCache key_tables_;
  mutable std::atomic<std::uint64_t> signatures_verified_{0};
};

}  // namespace bgpsecd::bgpsec
