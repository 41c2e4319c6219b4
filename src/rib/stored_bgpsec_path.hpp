// SPDX-License-Identifier: BSD-2-Clause
// How the RIB keeps a route's BGPsec_PATH (RFC 8205 §3): the Secure_Path as one
// inline array next to a small header, and the Signature_Segments as an immutable list of hops,
// newest first, ending at the origin's. A stored path shares the lower part of that list with
// another stored path for the same prefix that carries the same signatures, so a route learned
// from several peers keeps the signatures they have in common once.
//
// Why per prefix and not in a global table: every signature covers the prefix (RFC 8205 §4.2),
// so equal signatures only occur among routes for the same prefix, and the caller has those at
// hand (the other peers' Adj-RIB-In routes for it). Two paths that reach us through different
// neighbours differ from the first hop that signed towards a different Target AS; everything
// below that hop is shared.
//
// A hop keeps its SKI as an index into the process's SkiPool and a suite-1 signature as r ‖ s
// (64 octets) rather than its DER (up to 72): decode() and any_signature() give the octets as
// received, which the DER of such a signature is, byte for byte. A signature that is not
// strict DER is kept as received.
//
// Copies share one immutable value (reference counted, atomically: validation workers hold
// copies). The codec's wire::BgpsecPath is what the validator and the signer work on;
// decode() gives it back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <set>
#include <span>

#include "base/ski.hpp"
#include "rpki/router_key_lookup.hpp"
#include "wire/bgpsec_path.hpp"

namespace bgpsecd::rib {

class StoredBgpsecPath {
 public:
  StoredBgpsecPath() noexcept = default;  // no path
  StoredBgpsecPath(const StoredBgpsecPath& other) noexcept;
  StoredBgpsecPath(StoredBgpsecPath&& other) noexcept : head_(other.head_) {
    other.head_ = nullptr;
  }
  StoredBgpsecPath& operator=(StoredBgpsecPath other) noexcept {
    std::swap(head_, other.head_);
    return *this;
  }
  ~StoredBgpsecPath();

  // `path` as stored. Where its least recent hops carry, in every Signature_Block, octet for
  // octet the Signature_Segments of one of `share_with` (paths stored for the same prefix),
  // those hops are shared with the one that has the most in common. `path` is as
  // wire::decode_bgpsec_path gives it: at most two blocks, each with one Signature_Segment per
  // Secure_Path segment; anything else gives an empty value.
  [[nodiscard]] static StoredBgpsecPath store(
      const wire::BgpsecPath& path, std::span<const StoredBgpsecPath* const> share_with = {});

  [[nodiscard]] explicit operator bool() const noexcept { return head_ != nullptr; }

  // Most recent first; empty when there is no path.
  [[nodiscard]] std::span<const wire::SecurePathSegment> secure_path() const noexcept;
  [[nodiscard]] std::size_t block_count() const noexcept;
  [[nodiscard]] std::uint8_t suite(std::size_t block) const noexcept;

  // One Signature_Segment, as received. `signature` may point into a buffer of the visit: it
  // is valid during the call to `fn` only.
  struct SignatureRef {
    std::size_t hop = 0;  // Secure_Path index, most recent = 0
    std::size_t block = 0;
    const base::Ski* ski = nullptr;
    std::span<const std::uint8_t> signature;
  };
  // Visits the Signature_Segments hop by hop, newest first, each hop's blocks in order, until
  // `fn` returns true; returns whether it did.
  bool any_signature(const std::function<bool(const SignatureRef&)>& fn) const;
  // True when a Signature_Segment names one of `keys` by (AS of its Secure_Path segment, SKI):
  // only then can adding or withdrawing such a router key change the path's state (RFC 8205
  // §5.2 looks keys up by (AS, SKI)).
  [[nodiscard]] bool signed_with_any(const std::set<rpki::RouterKeyId>& keys) const;

  // The attribute value again, as the codec gave it to store().
  [[nodiscard]] wire::BgpsecPath decode() const;

  // Equal values (the same stored value, or equal octets).
  friend bool operator==(const StoredBgpsecPath& a, const StoredBgpsecPath& b) noexcept;

  // How many of this path's hops share their signatures with another stored path (the node is
  // referenced more than once); for tests and diagnostics.
  [[nodiscard]] std::size_t shared_hops() const noexcept;

  // What all stored paths of the process hold right now: live values, their Secure_Path
  // segments (signature hops as routes see them), signature nodes (hops as stored, after
  // sharing) and the heap octets of both. bytes / hops is the cost of a stored signature hop;
  // the SKIs themselves are counted apart (SkiPool::usage: one per router key, not per hop).
  // Of the nodes, those of 80 octets (one-block suite-1 hops) live in a pool of slots whose
  // pages are kept once made: pooled_nodes of them, pool_bytes of pages, free slots included.
  struct Usage {
    std::uint64_t paths = 0;
    std::uint64_t hops = 0;
    std::uint64_t signature_nodes = 0;
    std::uint64_t bytes = 0;
    std::uint64_t pooled_nodes = 0;
    std::uint64_t pool_bytes = 0;
  };
  [[nodiscard]] static Usage usage() noexcept;

 private:
  struct Head;
  struct SignatureNode;
  explicit StoredBgpsecPath(Head* head) noexcept : head_(head) {}
  Head* head_ = nullptr;
};

}  // namespace bgpsecd::rib
