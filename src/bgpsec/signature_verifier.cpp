// Default suite-1 verifier: hash, then try each candidate key (RFC 8205 §5.2: several keys may
// share an (AS, SKI); any verifying key makes the signature good).
#include "bgpsec/signature_verifier.hpp"

#include "crypto/digest.hpp"
#include "wire/bgpsec_path.hpp"

namespace bgpsecd::bgpsec {

bool verify_suite1(const VerifyJob& job) noexcept {
  // RFC 8608 §2: SHA-256 of the RFC 8205 §4.2 octets, ECDSA P-256 over the digest.
  const auto digest = crypto::sha256(job.signed_data);
  for (const auto& key : job.keys) {
    if (key.verify(digest, job.signature)) {
      return true;
    }
  }
  return false;
}

bool DefaultSignatureVerifier::supports_suite(std::uint8_t suite) const noexcept {
  return suite == wire::kAlgorithmSuite1;
}

VerifyOutcome DefaultSignatureVerifier::verify_block(std::uint8_t suite,
                                                     std::span<const VerifyJob> jobs) const {
  VerifyOutcome out;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    ++out.checked;
    if (!supports_suite(suite) || !verify_suite1(jobs[i])) {
      out.first_failure = i;
      return out;
    }
  }
  out.first_failure = jobs.size();
  return out;
}

const SignatureVerifier& default_signature_verifier() noexcept {
  static const DefaultSignatureVerifier verifier;
  return verifier;
}

}  // namespace bgpsecd::bgpsec
