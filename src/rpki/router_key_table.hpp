// SPDX-License-Identifier: BSD-2-Clause
// The router key store: BGPsec router keys by (AS, SKI), as an RPKI cache delivers them (RTR
// Router Key PDUs, RFC 8210 §5.10) or a JSON file lists them. Several keys may share one
// (AS, SKI) pair; an identical key is stored once. Not synchronised: a table is built, then
// published read-only to validators (RPKI updates build a new table and swap it in, docs/style.md
// §2.12), so concurrent find() calls on an unchanging table are safe.
#pragma once

#include <cstddef>
#include <functional>
#include <unordered_map>
#include <vector>

#include "base/asn.hpp"
#include "base/ski.hpp"
#include "crypto/keys.hpp"
#include "rpki/router_key_lookup.hpp"

namespace bgpsecd::rpki {

class RouterKeyTable final : public RouterKeyLookup {
 public:
  // Adds `key` under (asn, ski). Returns false (and changes nothing) when that exact key is
  // already there. The SKI is taken as given: RTR carries it beside the key, and callers that
  // want SKI == SHA-1(point) (RFC 8209) check it before adding (rpki_json.cpp does).
  bool add(base::Asn asn, const base::Ski& ski, const crypto::PublicKey& key);
  // Adds `key` under (asn, key.ski()).
  bool add(base::Asn asn, const crypto::PublicKey& key) { return add(asn, key.ski(), key); }
  // Removes that exact key from (asn, ski). Returns false when it was not there (RFC 8210 §5.10:
  // a withdrawal of an unknown key is the caller's error to report).
  bool remove(base::Asn asn, const base::Ski& ski, const crypto::PublicKey& key);
  // Removes every key under (asn, ski); returns how many.
  std::size_t remove_all(base::Asn asn, const base::Ski& ski);
  void clear() noexcept;

  // Number of keys (not of (AS, SKI) pairs).
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  // True when that exact key is stored under (asn, ski).
  [[nodiscard]] bool contains(base::Asn asn, const base::Ski& ski,
                              const crypto::PublicKey& key) const;

  // RouterKeyLookup: appends every key for (asn, ski), in the order they were added.
  void find(base::Asn asn, const base::Ski& ski,
            std::vector<crypto::PublicKey>& out) const override;

  // Calls f(asn, ski, key) for every key, in no particular order.
  void for_each(
      const std::function<void(base::Asn, const base::Ski&, const crypto::PublicKey&)>& f) const;

 private:
  struct Id {
    base::Asn asn;
    base::Ski ski;
    friend bool operator==(const Id&, const Id&) = default;
  };
  struct IdHash {
    std::size_t operator()(const Id& id) const noexcept;
  };
  std::unordered_map<Id, std::vector<crypto::PublicKey>, IdHash> keys_;
  std::size_t size_ = 0;
};

}  // namespace bgpsecd::rpki
