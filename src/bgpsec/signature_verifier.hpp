// SPDX-License-Identifier: BSD-2-Clause
// The crypto step of path validation behind a small interface, so that a multi-core engine or
// a signature cache (docs/design.md: "nothing verifies the same signature twice") can replace the
// default without touching the validator. The validator hands over one Signature_Block's
// signatures at once, newest first, with their signed octets and every candidate router key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/digest.hpp"
#include "crypto/keys.hpp"

namespace bgpsecd::bgpsec {

// One signature to check (RFC 8205 §5.2): valid when ANY of `keys` verifies it.
struct VerifyJob {
  std::span<const std::uint8_t> signed_data;  // RFC 8205 §4.2 octets (not yet hashed)
  std::span<const std::uint8_t> signature;    // the Signature field
  std::span<const crypto::PublicKey> keys;    // router keys found for (AS, SKI); never empty
};

struct VerifyOutcome {
  std::size_t first_failure = 0;  // lowest index no key verifies; jobs.size() when all verify
  std::size_t checked = 0;        // jobs whose verification was attempted (for statistics)
};

class SignatureVerifier {
 public:
  virtual ~SignatureVerifier() = default;
  // Algorithm suites this verifier implements; blocks of other suites are ignored.
  [[nodiscard]] virtual bool supports_suite(std::uint8_t suite) const noexcept = 0;
  // Verifies the signatures of one block of `suite`, ordered newest first. Must report the
  // lowest failing index; may stop there (the default does) or check in parallel.
  [[nodiscard]] virtual VerifyOutcome verify_block(std::uint8_t suite,
                                                   std::span<const VerifyJob> jobs) const = 0;

  // Whether verify_batch does anything; callers skip gathering jobs for it when not.
  [[nodiscard]] virtual bool verifies_batches() const noexcept { return false; }
  // For a verifier that checks many signatures at once more cheaply than one by one: checks
  // every job of `suite` (typically the signatures of many routes) and sets valid[j] to whether
  // some key of jobs[j] verifies its signature. Returns false, with `valid` untouched, when it
  // does not batch (the default) or does not implement `suite`. A verifier with a cache keeps
  // the outcomes for later verify_block calls.
  [[nodiscard]] virtual bool verify_batch(std::uint8_t suite, std::span<const VerifyJob> jobs,
                                          std::span<bool> valid) const {
    static_cast<void>(suite);
    static_cast<void>(jobs);
    static_cast<void>(valid);
    return false;
  }

  SignatureVerifier() = default;
  SignatureVerifier(const SignatureVerifier&) = default;
  SignatureVerifier& operator=(const SignatureVerifier&) = default;
  SignatureVerifier(SignatureVerifier&&) = default;
  SignatureVerifier& operator=(SignatureVerifier&&) = default;
};

// Suite 1 (RFC 8608): SHA-256 over the octets, ECDSA P-256 via crypto::PublicKey::verify, in
// the calling thread, stopping at the first failure.
class DefaultSignatureVerifier final : public SignatureVerifier {
 public:
  [[nodiscard]] bool supports_suite(std::uint8_t suite) const noexcept override;
  [[nodiscard]] VerifyOutcome verify_block(std::uint8_t suite,
                                           std::span<const VerifyJob> jobs) const override;
};

// A shared stateless instance.
[[nodiscard]] const SignatureVerifier& default_signature_verifier() noexcept;

// One job with the suite-1 algorithm: true when any key verifies.
[[nodiscard]] bool verify_suite1(const VerifyJob& job) noexcept;

// ===== the suite-1 steps, shared by every suite-1 verifier =====

// verify_suite1 with the ECDSA check of one key supplied by the caller, called as
// `check(const crypto::PublicKey&, const crypto::Sha256Digest&, std::span<const std::uint8_t>
// signature) -> bool` (e.g. a cache in front of a precomputed table). RFC 8608 §2: SHA-256 of
// the RFC 8205 §4.2 octets; RFC 8205 §5.2: several keys may share an (AS, SKI) and any key that
// verifies makes the signature good, so keys are tried in order until one does.
template <class KeyCheck>
[[nodiscard]] bool verify_suite1_with(const VerifyJob& job, KeyCheck&& check) {
  const auto digest = crypto::sha256(job.signed_data);
  for (const auto& key : job.keys) {
    if (check(key, digest, job.signature)) {
      return true;
    }
  }
  return false;
}

// The block walk of SignatureVerifier::verify_block: jobs in order (newest first), each counted
// as checked, stopping at the first one `check(const VerifyJob&) -> bool` refuses.
template <class JobCheck>
[[nodiscard]] VerifyOutcome verify_in_order(std::span<const VerifyJob> jobs, JobCheck&& check) {
  VerifyOutcome out;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    ++out.checked;
    if (!check(jobs[i])) {
      out.first_failure = i;
      return out;
    }
  }
  out.first_failure = jobs.size();
  return out;
}

}  // namespace bgpsecd::bgpsec
