// SPDX-License-Identifier: BSD-2-Clause
// Default suite-1 verifier: hash, then try each candidate key (RFC 8205 §5.2: several keys may
// share an (AS, SKI); any verifying key makes the signature good).
#include "bgpsec/signature_verifier.hpp"

#include "wire/bgpsec_path.hpp"

namespace bgpsecd::bgpsec {

bool verify_suite1(const VerifyJob& job) noexcept {
  return verify_suite1_with(
      job, [](const crypto::PublicKey& key, const crypto::Sha256Digest& digest,
              std::span<const std::uint8_t> signature) { return key.verify(digest, signature); });
}

bool DefaultSignatureVerifier::supports_suite(std::uint8_t suite) const noexcept {
  return suite == wire::kAlgorithmSuite1;
}

VerifyOutcome DefaultSignatureVerifier::verify_block(std::uint8_t suite,
                                                     std::span<const VerifyJob> jobs) const {
  return verify_in_order(
      jobs, [&](const VerifyJob& job) { return supports_suite(suite) && verify_suite1(job); });
}

const SignatureVerifier& default_signature_verifier() noexcept {
  static const DefaultSignatureVerifier verifier;
  return verifier;
}

}  // namespace bgpsecd::bgpsec
