// SPDX-License-Identifier: BSD-2-Clause
// CachingSignatureVerifier: the suite-1 steps of signature_verifier.hpp with the per-key check
// going through the signature cache and the key tables.
#include "bgpsec/caching_verifier.hpp"

#include "wire/bgpsec_path.hpp"

namespace bgpsecd::bgpsec {

CachingSignatureVerifier::CachingSignatureVerifier(CachingVerifierOptions options)
    : options_(options),
      signature_cache_(options.signature_cache_entries),
      key_tables_(options.precompute ? options.max_key_tables : 0, options.table_shape,
                  options.precompute ? options.max_small_key_tables : 0) {
  if (options.precompute && (options.max_key_tables != 0 || options.max_small_key_tables != 0)) {
    // The generator table (148 KiB, ~1 ms) is shared by all keys; build it now rather than in
    // the first verification.
    crypto::warm_up_fast_verify();
  }
}

bool CachingSignatureVerifier::supports_suite(std::uint8_t suite) const noexcept {
  return suite == wire::kAlgorithmSuite1;
}

bool CachingSignatureVerifier::verify_with_key(const crypto::PublicKey& key,
                                               const crypto::Sha256Digest& digest,
                                               std::span<const std::uint8_t> signature) const {
  const auto entry = signature_cache_.enabled()
                         ? signature_cache_.key_for(key.point(), digest, signature)
                         : std::nullopt;
  if (entry) {
    if (const auto cached = signature_cache_.lookup(*entry)) {
      return *cached;
    }
  }
  signatures_verified_.fetch_add(1, std::memory_order_relaxed);
  const bool valid = key_tables_.verify(key, digest, signature);
  if (entry) {
    signature_cache_.insert(*entry, valid);
  }
  return valid;
}

VerifyOutcome CachingSignatureVerifier::verify_block(std::uint8_t suite,
                                                     std::span<const VerifyJob> jobs) const {
  return verify_in_order(jobs, [&](const VerifyJob& job) {
    return supports_suite(suite) &&
           verify_suite1_with(job,
                              [&](const crypto::PublicKey& key, const crypto::Sha256Digest& digest,
                                  std::span<const std::uint8_t> signature) {
                                return verify_with_key(key, digest, signature);
                              });
  });
}

CachingVerifierStats CachingSignatureVerifier::stats() const {
  const auto cache = signature_cache_.stats();
  const auto tables = key_tables_.stats();
  CachingVerifierStats out;
  out.signature_cache_hits = cache.hits;
  out.signature_cache_misses = cache.misses;
  out.signature_cache_entries = cache.entries;
  out.signature_cache_bytes = cache.bytes;
  out.key_tables = tables.tables;
  out.key_table_bytes = tables.table_bytes;
  out.key_table_builds = tables.builds;
  out.key_table_evictions = tables.evictions;
  out.key_table_fallbacks = tables.fallbacks;
  out.key_table_refused = tables.refused;
  out.small_key_tables = tables.small_tables;
  out.small_key_table_bytes = tables.small_table_bytes;
  out.small_key_table_builds = tables.small_builds;
  out.small_key_table_evictions = tables.small_evictions;
  out.signatures_verified = signatures_verified_.load(std::memory_order_relaxed);
  out.signature_cache_inserts = cache.inserts;
  out.signature_cache_evictions = cache.evictions;
  out.signature_cache_capacity = cache.capacity;
  return out;
}

}  // namespace bgpsecd::bgpsec
