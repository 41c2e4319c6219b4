// SPDX-License-Identifier: BSD-2-Clause
// BGPsec signing (RFC 8205 §4.2): originate a BGPsec_PATH, or extend a received one, for one
// peer. One Signature_Segment per Signature_Block whose suite we can sign; the Target AS of
// the new signature is the peer's AS, so an UPDATE is built per receiving peer AS (§4.1).
//
// The private-key operation sits behind SignatureProvider so that tests can sign with the
// fixed RFC 8608 nonce and reproduce the published signatures byte for byte, and so that an
// HSM or a signing worker can stand in later.
#pragma once

#include <cstdint>
#include <span>

#include "base/asn.hpp"
#include "base/bytes.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "base/ski.hpp"
#include "crypto/digest.hpp"
#include "crypto/keys.hpp"
#include "wire/bgpsec_path.hpp"

namespace bgpsecd::bgpsec {

// One router key of one algorithm suite.
class SignatureProvider {
 public:
  virtual ~SignatureProvider() = default;
  [[nodiscard]] virtual std::uint8_t suite() const noexcept = 0;
  // SKI of the key, written into our Signature_Segment (RFC 8205 §3.2).
  [[nodiscard]] virtual const base::Ski& ski() const noexcept = 0;
  // The Signature field over SHA-256 of the signed octets (suite 1: DER ECDSA-Sig-Value).
  [[nodiscard]] virtual base::Result<base::Bytes> sign(
      const crypto::Sha256Digest& digest) const = 0;

  SignatureProvider() = default;
  SignatureProvider(const SignatureProvider&) = default;
  SignatureProvider& operator=(const SignatureProvider&) = default;
  SignatureProvider(SignatureProvider&&) = default;
  SignatureProvider& operator=(SignatureProvider&&) = default;
};

// Suite 1 (RFC 8608) with a P-256 key held in memory; a fresh nonce per signature.
class PrivateKeySigner : public SignatureProvider {
 public:
  // The SKI is the key's own (SHA-1 over its public point, RFC 8209).
  explicit PrivateKeySigner(crypto::PrivateKey key)
      : key_(std::move(key)), ski_(key_.public_key().ski()) {}
  [[nodiscard]] std::uint8_t suite() const noexcept override { return wire::kAlgorithmSuite1; }
  [[nodiscard]] const base::Ski& ski() const noexcept override { return ski_; }
  [[nodiscard]] base::Result<base::Bytes> sign(const crypto::Sha256Digest& digest) const override {
    return key_.sign(digest);
  }
  [[nodiscard]] const crypto::PrivateKey& key() const noexcept { return key_; }

 private:
  crypto::PrivateKey key_;
  base::Ski ski_;
};

// What this hop adds (RFC 8205 §4.2): the new Secure_Path segment and the signature target.
struct Hop {
  base::Asn own_as;     // the AS put into our segment (our Member-AS towards another member)
  base::Asn target_as;  // the peer's AS (RFC 8205 §4.2 Target AS Number)
  // 1 normally; n > 1 for prepending; 0 for a transparent route server or between the two
  // identities of one AS (RFC 8205 §4.2, §7.2).
  std::uint8_t pcount = 1;
  // Set only when sending to a peer in another Member-AS of our confederation (RFC 8205 §4.3).
  bool confed = false;
};

// The route being signed: its one prefix (RFC 8205 §4.1) and SAFI.
struct SignedPrefix {
  base::Prefix prefix;
  std::uint8_t safi = base::kSafiUnicast;
};

// Originates: Secure_Path = [{pCount, flags, own AS}] and one Signature_Block per provider
// (at most two, distinct suites). Fails (so the caller sends the route unsigned, RFC 8205 §4
// / RFC 8205 §4.2-4.4) when no provider is given, providers repeat a suite, or signing fails.
[[nodiscard]] base::Result<wire::BgpsecPath> originate(
    const Hop& hop, const SignedPrefix& route, std::span<const SignatureProvider* const> providers);

// Forwards a received (well-formed) path: prepends our segment, and adds our Signature_Segment
// to every block whose suite one of `providers` signs; blocks we cannot extend are dropped,
// since they could no longer hold one signature per segment (RFC 8205 §6.1). Fails when
// no block can be extended, `received` is not well formed, a signature fails, or the result
// would not fit the 2-octet attribute length.
[[nodiscard]] base::Result<wire::BgpsecPath> forward(
    const wire::BgpsecPath& received, const Hop& hop, const SignedPrefix& route,
    std::span<const SignatureProvider* const> providers);

// Leaving a confederation (RFC 8205 §4.3): removes the contiguous run
// of Confed_Segment segments at the most recent end and as many most recent
// Signature_Segments from every block. Forward the result with own_as = the confederation
// identifier. A path made only of confed segments comes back with an empty Secure_Path, which
// forward() refuses.
[[nodiscard]] wire::BgpsecPath remove_confed_segments(const wire::BgpsecPath& path);

}  // namespace bgpsecd::bgpsec
