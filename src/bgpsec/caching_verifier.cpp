// SPDX-License-Identifier: BSD-2-Clause
// CachingSignatureVerifier: the suite-1 steps of signature_verifier.hpp with the per-key check
// going through the signature cache and the key tables.
#include "bgpsec/caching_verifier.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <memory>
#include <optional>
#include <vector>

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

void CachingSignatureVerifier::check_jobs(std::span<const VerifyJob> jobs,
                                          std::span<bool> job_valid) const {
  // RFC 8608 §2: SHA-256 of the RFC 8205 §4.2 octets; RFC 8205 §5.2: any key of the (AS, SKI)
  // that verifies makes the signature good, so every candidate key not settled by the cache
  // goes into the batch.
  std::vector<crypto::Sha256Digest> digests(jobs.size());
  std::vector<KeyTableCache::Check> checks;
  std::vector<std::size_t> check_job;
  std::vector<std::optional<SignatureCacheKey>> check_entry;
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    const VerifyJob& job = jobs[j];
    digests[j] = crypto::sha256(job.signed_data);
    job_valid[j] = false;
    for (const auto& key : job.keys) {
      auto entry = signature_cache_.enabled()
                       ? signature_cache_.key_for(key.point(), digests[j], job.signature)
                       : std::nullopt;
      if (entry) {
        if (const auto cached = signature_cache_.lookup(*entry)) {
          if (*cached) {
            job_valid[j] = true;
            break;
          }
          continue;
        }
      }
      checks.push_back({&key, &digests[j], job.signature});
      check_job.push_back(j);
      check_entry.push_back(entry);
    }
  }
  if (checks.empty()) {
    return;
  }
  signatures_verified_.fetch_add(checks.size(), std::memory_order_relaxed);
  std::unique_ptr<bool[]> valid(new bool[checks.size()]);
  key_tables_.verify_batch(checks, std::span(valid.get(), checks.size()));
  for (std::size_t k = 0; k < checks.size(); ++k) {
    if (check_entry[k]) {
      signature_cache_.insert(*check_entry[k], valid[k]);
    }
    if (valid[k]) {
      job_valid[check_job[k]] = true;
    }
  }
}

VerifyOutcome CachingSignatureVerifier::verify_block(std::uint8_t suite,
                                                     std::span<const VerifyJob> jobs) const {
  if (supports_suite(suite) && jobs.size() > 1 && verifies_batches()) {
    // Newest first, a window of the engine's width at a time, stopping after the window with
    // the first failure: a path with a bad signature costs at most the rest of that window
    // beyond what the one-by-one walk verifies (RFC 8374 §8.1: a forged path must stay cheap).
    VerifyOutcome out;
    std::array<bool, kBatchWindow> valid{};
    for (std::size_t start = 0; start < jobs.size(); start += kBatchWindow) {
      const auto window = jobs.subspan(start, std::min(kBatchWindow, jobs.size() - start));
      check_jobs(window, std::span(valid).first(window.size()));
      for (std::size_t i = 0; i < window.size(); ++i) {
        ++out.checked;
        if (!valid[i]) {
          out.first_failure = start + i;
          return out;
        }
      }
    }
    out.first_failure = jobs.size();
    return out;
  }
  return verify_in_order(jobs, [&](const VerifyJob& job) {
    return supports_suite(suite) &&
           verify_suite1_with(job,
                              [&](const crypto::PublicKey& key, const crypto::Sha256Digest& digest,
                                  std::span<const std::uint8_t> signature) {
                                return verify_with_key(key, digest, signature);
                              });
  });
}

bool CachingSignatureVerifier::has_key_tables() const noexcept {
  return options_.precompute &&
         (options_.max_key_tables != 0 || options_.max_small_key_tables != 0);
}

const char* CachingSignatureVerifier::engine() const noexcept {
  if (!has_key_tables()) {
    return "openssl";
  }
  return crypto::batch_verify_uses_ifma() ? "avx512-ifma" : "scalar";
}

bool CachingSignatureVerifier::verifies_batches() const noexcept {
  // Without key tables every check would go to OpenSSL one by one anyway, with no early stop.
  return has_key_tables() && crypto::batch_verify_uses_ifma();
}

bool CachingSignatureVerifier::verify_batch(std::uint8_t suite, std::span<const VerifyJob> jobs,
                                            std::span<bool> valid) const {
  if (!supports_suite(suite) || !verifies_batches()) {
    return false;
  }
  assert(valid.size() >= jobs.size());
  check_jobs(jobs, valid.first(jobs.size()));
  return true;
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
