// SPDX-License-Identifier: BSD-2-Clause
// P-256 router keys (RFC 8608 §3, RFC 8209) on OpenSSL 3 libcrypto.
//
// PublicKey is parsed once (from DER SubjectPublicKeyInfo or the 65-octet uncompressed point)
// and then verifies any number of signatures without re-parsing; it is cheap to copy (its copies
// share one immutable state) and safe to use from several threads at once.
// PrivateKey signs digests with OpenSSL's constant-time code.
//
// Nothing here throws; failures come back as base::Error naming what is wrong.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/ski.hpp"
#include "crypto/digest.hpp"

// OpenSSL's type, forward-declared so that callers need no OpenSSL headers.
struct evp_pkey_st;

namespace bgpsecd::crypto {

// Shared, immutable ownership of an EVP_PKEY (EVP_PKEY_up_ref / EVP_PKEY_free).
using EvpPkeyHandle = std::shared_ptr<const evp_pkey_st>;

// The uncompressed point 04 || X || Y.
using EcPoint = std::array<std::uint8_t, 65>;

class PublicKey {
 public:
  // DER SubjectPublicKeyInfo: id-ecPublicKey + prime256v1 + uncompressed point (91 octets).
  // Anything else (other curve, compressed point, trailing bytes) is refused.
  [[nodiscard]] static base::Result<PublicKey> from_spki_der(std::span<const std::uint8_t> der);
  // 65 octets 04 || X || Y, on the curve.
  [[nodiscard]] static base::Result<PublicKey> from_point(std::span<const std::uint8_t> point);

  [[nodiscard]] const EcPoint& point() const noexcept { return state_->point; }
  // The 91-octet DER SubjectPublicKeyInfo (what RTR Router Key PDUs and rpki-client carry).
  [[nodiscard]] base::Bytes spki_der() const;
  // RFC 8209 / RFC 6487 §4.8.2: SHA-1 over the point (not over the whole SPKI).
  [[nodiscard]] const base::Ski& ski() const noexcept { return state_->ski; }

  // ECDSA P-256 verification of a DER ECDSA-Sig-Value over a SHA-256 digest (RFC 8608 §3.1).
  // High-S signatures are accepted (the RFC 8608 examples are high-S). Malformed DER, r or s
  // out of range, or a wrong signature all give false.
  [[nodiscard]] bool verify(const Sha256Digest& digest,
                            std::span<const std::uint8_t> der_signature) const noexcept;

  friend bool operator==(const PublicKey& a, const PublicKey& b) noexcept {
    return a.point() == b.point();
  }

 private:
  // One allocation per parsed key, shared by its copies. OpenSSL's EVP_PKEY is built on the
  // first verify() and kept: it costs about 1.5 KB (OpenSSL 3 gives every EC key its own
  // EC_GROUP), and the daemon verifies almost everything through per-key tables built from the
  // point (bgpsec/key_table_cache.hpp), so a full RPKI data set of ~78 k router keys would
  // otherwise hold over 100 MB of EVP_PKEYs that are never used.
  struct State {
    EcPoint point{};
    base::Ski ski;
    mutable std::atomic<evp_pkey_st*> pkey{nullptr};
    State(const EcPoint& p, const base::Ski& s) : point(p), ski(s) {}
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    State(State&&) = delete;
    State& operator=(State&&) = delete;
    ~State();
    // The EVP_PKEY, built once (threads that race build one each and keep the first); null
    // when OpenSSL fails to build it.
    [[nodiscard]] evp_pkey_st* evp() const noexcept;
  };
  explicit PublicKey(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;
};

class PrivateKey {
 public:
  // A fresh key from OpenSSL's CSPRNG.
  [[nodiscard]] static base::Result<PrivateKey> generate();
  // The 32-octet private scalar d (big-endian), 1 <= d < n.
  [[nodiscard]] static base::Result<PrivateKey> from_scalar(std::span<const std::uint8_t> d);
  // DER: PKCS#8 PrivateKeyInfo or RFC 5915 ECPrivateKey, P-256 only.
  [[nodiscard]] static base::Result<PrivateKey> from_der(std::span<const std::uint8_t> der);
  // PEM PKCS#8 ("BEGIN PRIVATE KEY") or "BEGIN EC PRIVATE KEY", P-256 only; encrypted keys
  // are refused (nothing prompts for a password). Reads only `pem`, touches no file.
  [[nodiscard]] static base::Result<PrivateKey> from_pem(std::string_view pem);
  // from_pem() on a file's contents. Refused when the file is readable by group or others
  // (like ssh), with an error naming the file and its mode.
  [[nodiscard]] static base::Result<PrivateKey> load_pem(const std::filesystem::path& path);
  // Writes PEM PKCS#8 with mode 0600 (created that way, never widened later); refuses to
  // overwrite an existing file.
  [[nodiscard]] base::Result<void> save_pem(const std::filesystem::path& path) const;
  [[nodiscard]] std::string to_pem() const;

  [[nodiscard]] const PublicKey& public_key() const noexcept { return public_; }

  // ECDSA P-256 signature over a SHA-256 digest, DER encoded (70-72 octets), with a fresh
  // nonce from OpenSSL.
  [[nodiscard]] base::Result<base::Bytes> sign(const Sha256Digest& digest) const;
  // Test-only: sign with the given nonce k (32 octets big-endian), to reproduce the RFC 8608
  // example signatures byte for byte. Never use outside tests: a reused k leaks the key.
  [[nodiscard]] base::Result<base::Bytes> sign_with_nonce_for_test(
      const Sha256Digest& digest, std::span<const std::uint8_t> k) const;

 private:
  PrivateKey(EvpPkeyHandle pkey, PublicKey pub);
  EvpPkeyHandle pkey_;
  PublicKey public_;
};

}  // namespace bgpsecd::crypto
