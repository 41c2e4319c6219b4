// SPDX-License-Identifier: BSD-2-Clause
// Results of signature verifications, so that a signature is verified once however many peers
// send it (the "common segments" idea of Sriram & Montgomery: a route reaches
// a router over several peers and the older segments' signatures are the same on each). Both
// outcomes are kept: a bad signature sent by many peers costs one verification too.
//
// An entry is keyed by the first 128 bits of SHA-256(secret || key point || message digest ||
// signature octets): the whole of what decides the outcome, under a 128-bit secret that is
// random per instance. Nobody outside can compute an entry key, so a peer that wants our cached
// answer for one of its signatures applied to another (a forged signature under a victim's
// key taking the entry of a good one) can only try blind: each try matches one of at most 2^23
// entries among 2^128 keys. Nor can anyone aim signatures at the set of someone else's entries
// to evict them. Full 256-bit keys would also hold against someone who knew the secret (a
// 128-bit key then falls to a 2^64 birthday search between a signature of their own and a
// forged one); that secret never leaves the process, and the keys are half the cache's memory.
//
// Layout: a set-associative table (no allocation per entry; 17 octets per entry, of which the
// 16-octet keys are only touched when used): octets of the entry key pick a set of up to 8
// ways, and a full set evicts by CLOCK (an entry hit since the hand last passed survives one
// more round). Sets are guarded by 64 striped mutexes, each held only for the few compares of
// one set.
//
// Growth: entries land at random places, so a table allocated at full capacity is nearly all
// resident after a small fraction of it is used (8 M entries: 209 MiB for the first 100 000).
// A large cache therefore starts at 1/64 of its sets (at least 1024) and doubles when an insert
// finds its set full while the table is below capacity and at least half used; a full set in a
// less used table evicts as at capacity (rare: a few inserts in a hundred). A doubling holds every
// stripe while it moves the entries (entry key mod 2S is the key mod S or that plus S, so each set
// splits in two) and needs the old and the new table at once: 1.5 times the new table's size for
// that moment. At millions of entries a doubling takes hundreds of milliseconds, so stats()
// takes no lock: a metrics scrape or `show rpki` on the I/O thread never waits for one.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>

#include "crypto/digest.hpp"
#include "crypto/keys.hpp"

namespace bgpsecd::bgpsec {

using SignatureCacheKey = std::array<std::uint8_t, 16>;

// A DER ECDSA-Sig-Value for P-256 is at most 72 octets (SEQUENCE of two INTEGERs of at most 33
// octets). Longer signatures are malformed; they get no entry, so that entry keys are hashed
// from a buffer on the stack.
inline constexpr std::size_t kMaxCachedSignatureSize = 72;

struct SignatureCacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t inserts = 0;    // new entries (a re-insert of a present key is not counted)
  std::uint64_t evictions = 0;  // entries replaced to make room
  std::size_t entries = 0;      // held now
  std::size_t capacity = 0;     // entries it can hold (the configured capacity, rounded down)
  std::size_t slots = 0;        // entries the table allocated now holds (grows up to capacity)
  std::size_t bytes = 0;        // memory of the allocated table (resident soon after use)
};

class SignatureCache {
 public:
  // 136 MiB when full: room for a full table's signatures (about 5.1 M) and the newest hops a
  // second peer adds. A cache smaller than one table's signatures is swept by each table in
  // arrival order and keeps little for the next peer: with 4 M entries, bench/fulltable --full
  // had peer 2 take 82 % of peer 1's time although half its signatures were peer 1's.
  static constexpr std::size_t kDefaultEntries = std::size_t{1} << 23;

  // At most `capacity` entries (rounded down to whole sets of 8); 0 disables the cache
  // (lookups miss without counting, inserts do nothing).
  explicit SignatureCache(std::size_t capacity = kDefaultEntries);

  [[nodiscard]] bool enabled() const noexcept { return max_sets_ != 0; }

  // The entry key of one (router key, digest, signature) for this instance, or nullopt for a
  // signature longer than kMaxCachedSignatureSize. Point and digest have fixed sizes, so the
  // concatenation is unambiguous.
  [[nodiscard]] std::optional<SignatureCacheKey> key_for(
      const crypto::EcPoint& point, const crypto::Sha256Digest& digest,
      std::span<const std::uint8_t> signature) const noexcept;

  // The cached outcome (true: the signature verifies with that key), or nullopt.
  [[nodiscard]] std::optional<bool> lookup(const SignatureCacheKey& key) noexcept;
  // Stores an outcome, replacing an entry of the same set when it is full.
  void insert(const SignatureCacheKey& key, bool valid) noexcept;

  [[nodiscard]] SignatureCacheStats stats() const;

  SignatureCache(const SignatureCache&) = delete;
  SignatureCache& operator=(const SignatureCache&) = delete;
  SignatureCache(SignatureCache&&) = delete;
  SignatureCache& operator=(SignatureCache&&) = delete;
  ~SignatureCache() = default;

 private:
  static constexpr std::size_t kMaxWays = 8;
  static constexpr std::size_t kStripes = 64;

  // A count changed only by the holder of its stripe's mutex and read by stats() without it:
  // a relaxed load and store, not a locked read-modify-write, so the hot path pays nothing for
  // the lock-free reader.
  class StripeCount {
   public:
    void add() noexcept { value_.store(value_.load(std::memory_order_relaxed) + 1, kRelaxed); }
    [[nodiscard]] std::uint64_t get() const noexcept { return value_.load(kRelaxed); }

   private:
    static constexpr auto kRelaxed = std::memory_order_relaxed;
    std::atomic<std::uint64_t> value_{0};
  };
  // Counts live beside their mutex, on the stripe's own cache line: no shared line is written
  // on the hot path.
  struct alignas(64) Stripe {
    mutable std::mutex mutex;
    StripeCount hits;
    StripeCount misses;
    StripeCount inserts;
    StripeCount evictions;
    StripeCount entries;
  };
  struct Place {
    std::size_t set;
    std::uint8_t tag;
  };
  // The slots of `sets` sets. Replaced only while every stripe is held, so a stripe holder
  // sees one consistent table.
  struct Table {
    std::size_t sets = 0;
    // Per slot: occupied, outcome, referenced, and 5 bits of the hash as a tag, so that most
    // non-matching slots are passed over without reading their keys.
    std::unique_ptr<std::uint8_t[]> meta;
    // Not initialised: a slot's key is read only once meta says it is occupied.
    std::unique_ptr<SignatureCacheKey[]> keys;
    std::unique_ptr<std::uint8_t[]> hands;  // CLOCK hand per set

    Table(std::size_t set_count, std::size_t ways);
  };

  // The set and tag of `key` in the current table. Caller holds the key's stripe.
  [[nodiscard]] Place place_of(const SignatureCacheKey& key) const noexcept;
  // The key's stripe: the same whatever the table's size (every size is a multiple of
  // kStripes sets, or the table never grows).
  [[nodiscard]] Stripe& stripe_of(const SignatureCacheKey& key) const noexcept;
  // The slot of `key` in `set`, or ways_ when absent. Caller holds the set's stripe.
  [[nodiscard]] std::size_t find(std::size_t set, std::uint8_t tag,
                                 const SignatureCacheKey& key) const noexcept;
  // Doubles the table unless another thread did since it had `seen_sets` sets. Caller holds
  // no stripe.
  void grow(std::size_t seen_sets);
  // Every stripe, as a doubling holds them (the tests hold them to show stats() does not wait).
  [[nodiscard]] std::array<std::unique_lock<std::mutex>, kStripes> lock_all_stripes() const;
  friend struct SignatureCacheTestPeer;

  std::size_t ways_;
  std::size_t max_sets_;
  std::size_t first_sets_;
  std::array<std::uint8_t, 16> secret_{};
  Table table_;
  // table_.sets, for stats(): written by grow() under every stripe, read without any.
  std::atomic<std::size_t> sets_now_;
  std::unique_ptr<std::array<Stripe, kStripes>> stripes_;
};

}  // namespace bgpsecd::bgpsec
