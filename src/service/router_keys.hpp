// SPDX-License-Identifier: BSD-2-Clause
// The router keys bgpsecd signs with (RFC 8205 §4.2, RFC 8209): from [bgpsec] key_dir (the
// files of `bgpsec keygen`, <asn>.<SKI>.pem, only those of our AS) and key_files (PEM keys
// named explicitly). Several keys of our AS may be loaded at once, as during a key rollover
// (RFC 8634 §4: the new key is published before it signs, the old one revoked after), but one
// signs: RFC 8205 §3.2 has one Signature_Segment per algorithm suite, and all our keys are
// suite 1 (RFC 8608). That active key is [bgpsec.active_key]'s for our AS, otherwise
// bgpsec::choose_active_key's.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/asn.hpp"
#include "base/result.hpp"
#include "bgpsec/signer.hpp"
#include "service/key_sources.hpp"

namespace bgpsecd::service {

// One router key of ours, counting the signatures made with it.
class RouterKey final : public bgpsec::SignatureProvider {
 public:
  RouterKey(crypto::PrivateKey key, std::string from)
      : signer_(std::move(key)), from_(std::move(from)) {}
  [[nodiscard]] std::uint8_t suite() const noexcept override { return signer_.suite(); }
  [[nodiscard]] const base::Ski& ski() const noexcept override { return signer_.ski(); }
  [[nodiscard]] base::Result<base::Bytes> sign(const crypto::Sha256Digest& digest) const override;
  [[nodiscard]] const crypto::PublicKey& public_key() const noexcept {
    return signer_.key().public_key();
  }
  [[nodiscard]] const std::string& from() const noexcept { return from_; }  // the file
  [[nodiscard]] std::uint64_t signatures() const noexcept { return signatures_; }
  void set_signatures(std::uint64_t count) noexcept { signatures_ = count; }

 private:
  bgpsec::PrivateKeySigner signer_;
  std::string from_;
  // Signing runs on the speaker's one I/O thread only.
  mutable std::uint64_t signatures_ = 0;
};

struct RouterKeys {
  base::Asn asn;
  std::vector<std::unique_ptr<RouterKey>> keys;  // ordered by SKI
  std::size_t active = 0;                        // index in keys (when there are keys)
  bool configured = false;                       // [bgpsec.active_key] named it

  [[nodiscard]] bool empty() const noexcept { return keys.empty(); }
  // The key that signs; null when there is none.
  [[nodiscard]] const RouterKey* active_key() const noexcept {
    return keys.empty() ? nullptr : keys[active].get();
  }
};

// Empty when neither key_dir nor key_files is set. Errors name the file or directory, or the
// configured active SKI that no loaded key has.
[[nodiscard]] base::Result<RouterKeys> load_router_keys(const KeySources& config, base::Asn own_as);

// Every AS's keys in config.key_dir (its files name their AS), each AS's active key chosen as
// load_router_keys does; key_files, which name no AS, are not read. Empty without a key_dir.
[[nodiscard]] base::Result<std::map<base::Asn, RouterKeys>> load_router_keys_by_as(
    const KeySources& config);

// After a reload: `next` takes over the signature counts of the keys it shares with `old`
// (by SKI). Returns what changed, as reload reports it (empty when nothing did).
[[nodiscard]] std::vector<std::string> carry_over(const RouterKeys& old, RouterKeys& next);

}  // namespace bgpsecd::service
