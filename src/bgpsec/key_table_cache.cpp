// SPDX-License-Identifier: BSD-2-Clause
// KeyTableCache: sharded LRU of per-key verification tables, built outside the locks.
#include "bgpsec/key_table_cache.hpp"

#include <algorithm>
#include <bit>
#include <utility>

namespace bgpsecd::bgpsec {
namespace {

// Eight octets of the X coordinate from `offset` on. Router keys come from the RPKI (signed
// certificates), not from BGP peers, and X of a key is as good as random, so its octets hash
// well without a secret.
std::uint64_t x_octets(const crypto::EcPoint& point, std::size_t offset) noexcept {
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    h = (h << 8) | point[offset + i];
  }
  return h;
}

// Counters per sketch row for a shard holding `capacity` tables: room for the shard's share of
// many more keys than tables (a full deployment has tens of thousands of router keys). At least
// 4096, so that a small cache's keys rarely share both counters with more popular ones (which
// makes a key look more used than it is); the default bound gives 8192 per row anyway.
std::size_t sketch_row_size(std::size_t capacity) noexcept {
  return std::bit_ceil(std::max<std::size_t>(4096, capacity * 32));
}

bool shape_usable(crypto::TableShape shape) noexcept {
  return crypto::PrecomputedVerifier::table_bytes_for(shape) != 0;
}

}  // namespace

std::size_t KeyTableCache::PointHash::operator()(const crypto::EcPoint& point) const noexcept {
  return static_cast<std::size_t>(x_octets(point, 1));
}

KeyTableCache::KeyTableCache(std::size_t max_tables, crypto::TableShape shape)
    : max_tables_(shape_usable(shape) ? max_tables : 0),
      shape_(shape),
      shard_count_(std::min(kMaxShards, max_tables_)),
      shards_(std::make_unique<std::array<Shard, kMaxShards>>()) {
  // Spread the bound over the shards so that the total is exactly max_tables_.
  for (std::size_t i = 0; i < shard_count_; ++i) {
    Shard& shard = (*shards_)[i];
    shard.capacity = max_tables_ / shard_count_ + (i < max_tables_ % shard_count_ ? 1 : 0);
    shard.sketch.assign(2 * sketch_row_size(shard.capacity), 0);
  }
}

std::pair<std::size_t, std::size_t> KeyTableCache::Shard::counters_of(
    const crypto::EcPoint& point) const noexcept {
  const std::size_t row = sketch.size() / 2;
  return {x_octets(point, 17) & (row - 1), row + (x_octets(point, 25) & (row - 1))};
}

std::uint8_t KeyTableCache::Shard::count_use(const crypto::EcPoint& point) noexcept {
  const auto [i, j] = counters_of(point);
  std::uint8_t& a = sketch[i];
  std::uint8_t& b = sketch[j];
  // Conservative update: only the smaller counter(s) grow, which keeps estimates of keys that
  // share a counter with a popular one closer to their own count.
  const std::uint8_t least = std::min(a, b);
  if (least < 255) {
    a = a == least ? static_cast<std::uint8_t>(least + 1) : a;
    b = b == least ? static_cast<std::uint8_t>(least + 1) : b;
  }
  if (++uses_since_aging >= sketch.size()) {
    // Aging: halve every counter so that popularity is measured over recent uses.
    for (auto& counter : sketch) {
      counter = static_cast<std::uint8_t>(counter / 2);
    }
    uses_since_aging = 0;
  }
  return std::min(a, b);
}

std::uint8_t KeyTableCache::Shard::estimate(const crypto::EcPoint& point) const noexcept {
  const auto [i, j] = counters_of(point);
  return std::min(sketch[i], sketch[j]);
}

bool KeyTableCache::Shard::admits(std::uint8_t uses) const noexcept {
  return lru.size() < capacity || uses > estimate(lru.back().point);
}

KeyTableCache::Shard& KeyTableCache::shard_for(const crypto::EcPoint& point) noexcept {
  // Other octets than PointHash uses, so that a shard's keys still spread over its buckets.
  return (*shards_)[x_octets(point, 9) % shard_count_];
}

std::optional<crypto::PrecomputedVerifier> KeyTableCache::table_for(const crypto::PublicKey& key) {
  if (shard_count_ == 0) {
    return std::nullopt;
  }
  const auto& point = key.point();
  Shard& shard = shard_for(point);
  {
    const std::lock_guard lock(shard.mutex);
    const std::uint8_t uses = shard.count_use(point);
    const auto it = shard.index.find(point);
    if (it != shard.index.end()) {
      shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
      return it->second->verifier;
    }
    if (!shard.admits(uses)) {
      ++shard.refused;
      return std::nullopt;
    }
  }
  // About 0.1 ms: built without the lock so that other keys of the shard are not held up.
  auto built = crypto::PrecomputedVerifier::from_key(key, shape_);
  if (!built) {
    return std::nullopt;
  }
  std::list<Entry> evicted;  // freed after the lock is released
  const std::lock_guard lock(shard.mutex);
  ++shard.builds;
  const auto it = shard.index.find(point);
  if (it != shard.index.end()) {
    // Another thread built this key meanwhile: keep its table, drop ours.
    shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
    return it->second->verifier;
  }
  shard.lru.push_front(Entry{point, *built});
  shard.index.emplace(point, shard.lru.begin());
  shard.table_bytes += built->table_bytes();
  while (shard.lru.size() > shard.capacity) {
    const auto last = std::prev(shard.lru.end());
    shard.table_bytes -= last->verifier.table_bytes();
    shard.index.erase(last->point);
    evicted.splice(evicted.end(), shard.lru, last);
    ++shard.evictions;
  }
  return std::move(built).value();
}

bool KeyTableCache::verify(const crypto::PublicKey& key, const crypto::Sha256Digest& digest,
                           std::span<const std::uint8_t> der_signature) {
  if (const auto table = table_for(key)) {
    return table->verify(digest, der_signature);
  }
  fallbacks_.fetch_add(1, std::memory_order_relaxed);
  return key.verify(digest, der_signature);
}

KeyTableCacheStats KeyTableCache::stats() const {
  KeyTableCacheStats out;
  for (std::size_t i = 0; i < shard_count_; ++i) {
    const Shard& shard = (*shards_)[i];
    const std::lock_guard lock(shard.mutex);
    out.tables += shard.lru.size();
    out.table_bytes += shard.table_bytes;
    out.builds += shard.builds;
    out.evictions += shard.evictions;
    out.refused += shard.refused;
  }
  out.fallbacks = fallbacks_.load(std::memory_order_relaxed);
  return out;
}

}  // namespace bgpsecd::bgpsec
