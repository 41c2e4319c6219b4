// SPDX-License-Identifier: BSD-2-Clause
// Test-only helpers for the bgpsec tests: a router key table, signers with a fixed nonce, the
// RFC 8608 example keys and routes, and paths signed hop by hop with generated keys.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/hex.hpp"
#include "bgpsec/signer.hpp"
#include "crypto/keys.hpp"
#include "rpki/router_key_lookup.hpp"
#include "tests/vectors/rfc8608.hpp"
#include "wire/bgpsec_path.hpp"

namespace bgpsecd::bgpsec::testing {

// (AS, SKI) -> keys, the shape of rpki::RouterKeyTable without RTR or files.
class TestKeyTable : public rpki::RouterKeyLookup {
 public:
  void add(base::Asn asn, const crypto::PublicKey& key) { add(asn, key.ski(), key); }
  void add(base::Asn asn, const base::Ski& ski, const crypto::PublicKey& key) {
    keys_[{asn.value(), ski}].push_back(key);
  }
  void remove(base::Asn asn, const base::Ski& ski) { keys_.erase({asn.value(), ski}); }
  void find(base::Asn asn, const base::Ski& ski,
            std::vector<crypto::PublicKey>& out) const override {
    ++lookups_;
    const auto it = keys_.find({asn.value(), ski});
    if (it != keys_.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
    }
  }
  [[nodiscard]] std::size_t lookups() const noexcept { return lookups_; }

 private:
  std::map<std::pair<std::uint32_t, base::Ski>, std::vector<crypto::PublicKey>> keys_;
  mutable std::size_t lookups_ = 0;
};

// Signs with a fixed nonce k (to reproduce the RFC 8608 signatures) and an optional SKI /
// suite override (to build unusual blocks).
class FixedNonceSigner : public SignatureProvider {
 public:
  FixedNonceSigner(crypto::PrivateKey key, base::Bytes k,
                   std::uint8_t suite = wire::kAlgorithmSuite1)
      : key_(std::move(key)), k_(std::move(k)), ski_(key_.public_key().ski()), suite_(suite) {}
  [[nodiscard]] std::uint8_t suite() const noexcept override { return suite_; }
  [[nodiscard]] const base::Ski& ski() const noexcept override { return ski_; }
  [[nodiscard]] base::Result<base::Bytes> sign(const crypto::Sha256Digest& digest) const override {
    return key_.sign_with_nonce_for_test(digest, k_);
  }

 private:
  crypto::PrivateKey key_;
  base::Bytes k_;
  base::Ski ski_;
  std::uint8_t suite_;
};

// A provider of another suite that writes a dummy signature (no such suite is implemented).
class DummySuiteSigner : public SignatureProvider {
 public:
  explicit DummySuiteSigner(std::uint8_t suite, const base::Ski& ski = base::Ski())
      : suite_(suite), ski_(ski) {}
  [[nodiscard]] std::uint8_t suite() const noexcept override { return suite_; }
  [[nodiscard]] const base::Ski& ski() const noexcept override { return ski_; }
  [[nodiscard]] base::Result<base::Bytes> sign(const crypto::Sha256Digest& digest) const override {
    return base::Bytes(digest.begin(), digest.end());
  }

 private:
  std::uint8_t suite_;
  base::Ski ski_;
};

inline crypto::PrivateKey example_private_key(std::size_t index) {
  return crypto::PrivateKey::from_der(
             test_vectors::field(test_vectors::router_key(index), "ec_private_key_der_rfc5915"))
      .value();
}
inline base::Bytes example_nonce() {
  return test_vectors::hex_bytes(
      test_vectors::rfc8608().at("derived").at("nonce_k").get<std::string>());
}
inline base::Prefix example_prefix(std::size_t index) {
  return base::Prefix::parse(test_vectors::example(index).at("prefix").get<std::string>()).value();
}
inline wire::BgpsecPath example_path(std::size_t index) {
  return wire::decode_bgpsec_path(
             test_vectors::field(test_vectors::example(index), "bgpsec_path_value"))
      .value();
}

inline constexpr base::Asn kAs64496{64496};
inline constexpr base::Asn kAs65536{65536};
inline constexpr base::Asn kAs65537{65537};

// Key table with the two example router keys (AS 64496 and AS 65536).
inline TestKeyTable example_keys() {
  TestKeyTable t;
  t.add(kAs64496, example_private_key(0).public_key());
  t.add(kAs65536, example_private_key(1).public_key());
  return t;
}

// A chain of ASes with generated keys, signing a route hop by hop.
class SignedChain {
 public:
  // ASes 65001, 65002, ... (origin first).
  explicit SignedChain(std::size_t hops) {
    for (std::size_t i = 0; i < hops; ++i) {
      ases_.push_back(base::Asn(static_cast<std::uint32_t>(65001 + i)));
      signers_.push_back(
          std::make_unique<PrivateKeySigner>(crypto::PrivateKey::generate().value()));
    }
  }
  [[nodiscard]] base::Asn as_of(std::size_t hop) const { return ases_[hop]; }
  [[nodiscard]] const SignatureProvider& signer(std::size_t hop) const { return *signers_[hop]; }
  // The AS that receives the path from the last hop.
  [[nodiscard]] base::Asn receiver() const {
    return base::Asn(static_cast<std::uint32_t>(65001 + ases_.size()));
  }
  void register_keys(TestKeyTable& table) const {
    for (std::size_t i = 0; i < ases_.size(); ++i) {
      table.add(ases_[i], signers_[i]->key().public_key());
    }
  }
  // Signs origin -> ... -> last hop -> receiver(); pcounts[i] for hop i (default 1).
  [[nodiscard]] wire::BgpsecPath sign(const base::Prefix& prefix,
                                      const std::vector<std::uint8_t>& pcounts = {}) const {
    wire::BgpsecPath path;
    for (std::size_t i = 0; i < ases_.size(); ++i) {
      const base::Asn target = i + 1 < ases_.size() ? ases_[i + 1] : receiver();
      Hop hop{ases_[i], target, i < pcounts.size() ? pcounts[i] : std::uint8_t{1}, false};
      const SignatureProvider* providers[] = {signers_[i].get()};
      path = (i == 0 ? originate(hop, SignedPrefix{prefix}, providers)
                     : forward(path, hop, SignedPrefix{prefix}, providers))
                 .value();
    }
    return path;
  }

 private:
  std::vector<base::Asn> ases_;
  std::vector<std::unique_ptr<PrivateKeySigner>> signers_;
};

}  // namespace bgpsecd::bgpsec::testing
