// SPDX-License-Identifier: BSD-2-Clause
// Per-key precomputed verification tables for router keys: a bounded,
// thread-safe map from a router key's point to its crypto::PrecomputedVerifier, built on the
// key's first signature and dropped least-recently-used when the bound is reached.
//
// A table is about 26 KiB (default TableShape) and takes about 0.1 ms to build, a few OpenSSL
// verifications' worth, so it pays off for keys that sign many paths (transit ASes); a full
// deployment has tens of thousands of router keys, too many to hold a table for each, hence
// the bound. verify() falls back to OpenSSL (PublicKey::verify) whenever there is no table:
// bound 0, a shape out of range, a build that fails (it should not for a valid PublicKey), or
// a key refused by the admission policy below.
//
// Admission (TinyLFU, Einziger et al.): with more keys in use than tables, plain LRU rebuilds
// tables over and over (a full table's origin keys each sign a handful of paths, scattered in
// time) and the builds cost more than the verifications they save. Each shard therefore counts
// how often every key is used (a count-min sketch of 8-bit counters, halved after as many uses
// as it has counters, so old popularity fades) and, once full, builds a table for a new key only
// when that key has been used more often than the least recently used table's key. Keys that
// lose are verified with OpenSSL and counted as refused.
//
// Thread safety: every member may be called from any number of threads at once. The map is
// split into shards, each with its own mutex and LRU list; a table is built outside any lock
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
  std::size_t tables = 0;       // tables held now
  std::size_t table_bytes = 0;  // their octets (the shared generator table not counted)
  std::uint64_t builds = 0;     // tables built (a race may build one key twice)
  std::uint64_t evictions = 0;  // tables dropped to stay within the bound
  std::uint64_t fallbacks = 0;  // verifications done with OpenSSL because there was no table
  std::uint64_t refused = 0;    // of those, keys the admission policy did not build a table for
};

class KeyTableCache {
 public:
  // ~106 MiB of tables with the default shape.
  static constexpr std::size_t kDefaultMaxTables = 4096;

  // Holds at most `max_tables` tables of `shape`; 0 (or a shape out of range) holds none and
  // verifies everything with OpenSSL.
  explicit KeyTableCache(std::size_t max_tables = kDefaultMaxTables, crypto::TableShape shape = {});

  // PrecomputedVerifier::verify with `key`'s table, building it first when missing; with no
  // table, PublicKey::verify. Same contract either way (RFC 8608 §3.1, strict DER, high-S
  // accepted), so the answer never depends on what the cache holds.
  [[nodiscard]] bool verify(const crypto::PublicKey& key, const crypto::Sha256Digest& digest,
                            std::span<const std::uint8_t> der_signature);

  // `key`'s verifier (a copy sharing the table), built and stored on a miss; nullopt when this
  // cache holds no tables, the build failed or the admission policy refused the key. Each call
  // counts as a use of the key.
  [[nodiscard]] std::optional<crypto::PrecomputedVerifier> table_for(const crypto::PublicKey& key);

  [[nodiscard]] KeyTableCacheStats stats() const;
  [[nodiscard]] std::size_t max_tables() const noexcept { return max_tables_; }

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
  // One lock's worth of the map. `lru` holds the entries, most recently used first; `index`
  // points into it.
  struct alignas(64) Shard {
    mutable std::mutex mutex;
    std::list<Entry> lru;
    std::unordered_map<crypto::EcPoint, std::list<Entry>::iterator, PointHash> index;
    std::size_t capacity = 0;
    std::size_t table_bytes = 0;
    std::uint64_t builds = 0;
    std::uint64_t evictions = 0;
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
    // True when a key with `uses` uses may get a table now (not full, or more popular than the
    // least recently used table's key).
    [[nodiscard]] bool admits(std::uint8_t uses) const noexcept;
  };
  static constexpr std::size_t kMaxShards = 16;

  [[nodiscard]] Shard& shard_for(const crypto::EcPoint& point) noexcept;

  std::size_t max_tables_;
  crypto::TableShape shape_;
  std::size_t shard_count_;
  std::unique_ptr<std::array<Shard, kMaxShards>> shards_;
  std::atomic<std::uint64_t> fallbacks_{0};
};

}  // namespace bgpsecd::bgpsec
