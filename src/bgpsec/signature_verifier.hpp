// The crypto step of path validation behind a small interface, so that a multi-core engine or
// a signature cache (DESIGN.md: "nothing verifies the same signature twice") can replace the
// default without touching the validator. The validator hands over one Signature_Block's
// signatures at once, newest first, with their signed octets and every candidate router key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

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

}  // namespace bgpsecd::bgpsec
