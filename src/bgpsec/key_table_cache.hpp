// SPDX-License-Identifier: BSD-2-Clause
// Per-key precomputed verification tables for router keys: a bounded,
// thread-safe map from a router key's point to its crypto::PrecomputedVerifier, built on the
// key's first signature and dropped least-recently-used when the bound is reached.
//
// Two tiers. A large table (default TableShape, 26 KiB, about 0.2 ms to build, 21 us per
// verification) pays off for keys that sign many paths (transit ASes); a full deployment has
// tens of thousands of router keys, too many to hold a large table for each, hence its bound.
// A key the admission policy below refuses a large table gets a small one instead (kSmallShape:
// 2.5 KiB, about 0.09 ms to build, 34 us per verification, against about 72 us for OpenSSL's
// verification and 0.15 ms for the OpenSSL key object it first needs), kept least recently used
// under a bound of its own: with room for every origin-only key of a full table, each of them
// costs one small build instead of one OpenSSL verification per signature. verify() falls back
// to OpenSSL (PublicKey::verify) only when there is no table at all: both bounds 0, a shape out
// of range, a build that fails (it should not for a valid PublicKey), or a refused key while the
// small tier holds none.
//
// Admission (TinyLFU, Einziger et al.): with more keys in use than large tables, plain LRU
// rebuilds tables over and over (a full table's origin keys each sign a handful of paths,
// scattered in time) and the builds cost more than the verifications they save. Each shard
// therefore counts how often every key is used (a count-min sketch of 8-bit counters, halved
// after as many uses as it has counters, so old popularity fades) and, once full, builds a large
// table for a new key only when that key has been used more often than the least recently used
// large table's key. Keys that lose are counted as refused and go to the small tier.
//
// Thread safety: every member may be called from any number of threads at once. The map is
// split into shards, each with its own mutex and LRU lists; a table is built outside any lock
// (two threads racing to build the same key both build, one table is kept), and callers get a
// copy of the verifier that shares the table, so an eviction never frees a table in use.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "crypto/digest.hpp"
#include "crypto/fast_verify.hpp"
#include "crypto/keys.hpp"

namespace bgpsecd::bgpsec {

struct KeyTableCacheStats {
  std::size_t tables = 0;        // tables held now
  std::size_t table_bytes = 0;   // their octets (the shared generator table not counted)
  std::uint64_t builds = 0;      // tables built (a race may build one key twice)
  std::uint64_t evictions = 0;   // tables dropped to stay within the bound
  std::uint64_t fallbacks = 0;   // verifications done with OpenSSL because there was no table
  std::uint64_t refused = 0;     // uses of a key the admission policy gave no large table
  std::size_t small_tables = 0;  // the small tier: tables held now, their octets, builds, drops
  std::size_t small_table_bytes = 0;
  std::uint64_t small_builds = 0;
  std::uint64_t small_evictions = 0;
};

class KeyTableCache {
 public:
  // ~106 MiB of tables with the default shape.
  static constexpr std::size_t kDefaultMaxTables = 4096;
  // Room for the origin-only keys of a full table (about 75 000) and more: 320 MiB when full.
  static constexpr std::size_t kDefaultMaxSmallTables = 131072;
  // Four-bit digits, sixteen positions to a table row: 40 points, 2 560 octets.
  static constexpr crypto::TableShape kSmallShape{4, 16};

  // Holds at most `max_tables` large tables of `shape` and `max_small_tables` small ones of
  // kSmallShape; with both 0 (or `shape` out of range) it holds none and verifies everything
  // with OpenSSL.
  explicit KeyTableCache(std::size_t max_tables = kDefaultMaxTables, crypto::TableShape shape = {},
                         std::size_t max_small_tables = kDefaultMaxSmallTables);

  // PrecomputedVerifier::verify with `key`'s table, building it first when missing; with no
  // table, PublicKey::verify. Same contract either way (RFC 8608 §3.1, strict DER, high-S
  // accepted), so the answer never depends on what the cache holds.
  [[nodiscard]] bool verify(const crypto::PublicKey& key, const crypto::Sha256Digest& digest,
                            std::span<const std::uint8_t> der_signature);

  // One check of verify_batch; the pointers and the span must stay valid for the call.
  struct Check {
    const crypto::PublicKey* key = nullptr;
    const crypto::Sha256Digest* digest = nullptr;
    std::span<const std::uint8_t> der_signature;
  };
  // results[i] = verify(*checks[i].key, *checks[i].digest, checks[i].der_signature) for each i
  // (results.size() >= checks.size()), the table-backed ones together through
  // PrecomputedVerifier::verify_batch (eight at a time where the CPU has AVX-512 IFMA).
  void verify_batch(std::span<const Check> checks, std::span<bool> results);

  // `key`'s verifier (a copy sharing the table), built and stored on a miss, from the small tier
  // when the admission policy refuses the key a large table; nullopt when this cache holds no
  // tables for it or the build failed. Each call counts as a use of the key.
  [[nodiscard]] std::optional<crypto::PrecomputedVerifier> table_for(const crypto::PublicKey& key);

  [[nodiscard]] KeyTableCacheStats stats() const;
  [[nodiscard]] std::size_t max_tables() const noexcept { return max_tables_; }
  [[nodiscard]] std::size_t max_small_tables() const noexcept { return max_small_tables_; }

  KeyTableCache(const KeyTableCache&) = delete;
  KeyTableCache& operator=(const KeyTableCache&) = delete;
  KeyTableCache(KeyTableCache&&) = delete;
  KeyTableCache& operator=(KeyTableCache&&) = delete;
  ~KeyTableCache() = default;

 private:
  struct PointHash {
    std::size_t operator()(const crypto::EcPoint& point) const noexcept;
  };
  struct Entry {
    crypto::EcPoint point;
    crypto::PrecomputedVerifier verifier;
  };
  // Tables of one shape, most recently used first; `index` points into `lru`.
  struct Tier {
    std::list<Entry> lru;
    std::unordered_map<crypto::EcPoint, std::list<Entry>::iterator, PointHash> index;
    std::size_t capacity = 0;
    std::size_t table_bytes = 0;
    std::uint64_t builds = 0;
    std::uint64_t evictions = 0;

    // The key's verifier, now the most recently used; nullopt when this tier has none.
    [[nodiscard]] std::optional<crypto::PrecomputedVerifier> touch(const crypto::EcPoint& point);
    // Adds a table not held yet and moves what no longer fits to `evicted` (to be freed after
    // the lock is released).
    void add(const crypto::EcPoint& point, const crypto::PrecomputedVerifier& verifier,
             std::list<Entry>& evicted);
    // Drops the key's table, if held.
    void drop(const crypto::EcPoint& point, std::list<Entry>& evicted);
  };
  // One lock's worth of the map.
  struct alignas(64) Shard {
    mutable std::mutex mutex;
    Tier large;
    Tier small;
    std::uint64_t refused = 0;
    // Admission: count-min sketch (two rows in one array), uses since the last halving.
    std::vector<std::uint8_t> sketch;
    std::size_t uses_since_aging = 0;

    // The sketch positions of `point`'s two counters, one per row.
    [[nodiscard]] std::pair<std::size_t, std::size_t> counters_of(
        const crypto::EcPoint& point) const noexcept;
    // Counts a use of `point` and returns its estimated use count (saturates at 255).
    std::uint8_t count_use(const crypto::EcPoint& point) noexcept;
    [[nodiscard]] std::uint8_t estimate(const crypto::EcPoint& point) const noexcept;
    // True when a key with `uses` uses may get a large table now (not full, or more popular
    // than the least recently used large table's key).
    [[nodiscard]] bool admits(std::uint8_t uses) const noexcept;
  };
  static constexpr std::size_t kMaxShards = 16;

  [[nodiscard]] Shard& shard_for(const crypto::EcPoint& point) noexcept;

  std::size_t max_tables_;
  crypto::TableShape shape_;
  std::size_t max_small_tables_;
  std::size_t shard_count_;
  std::unique_ptr<std::array<Shard, kMaxShards>> shards_;
  std::atomic<std::uint64_t> fallbacks_{0};
};

}  // namespace bgpsecd::bgpsec
