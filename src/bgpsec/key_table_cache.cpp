// SPDX-License-Identifier: BSD-2-Clause
// KeyTableCache: sharded LRUs of per-key verification tables (large ones for the keys admitted,
// small ones for the others), built outside the locks.
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

KeyTableCache::KeyTableCache(std::size_t max_tables, crypto::TableShape shape,
                             std::size_t max_small_tables)
    : max_tables_(shape_usable(shape) ? max_tables : 0),
      shape_(shape),
      max_small_tables_(shape_usable(shape) ? max_small_tables : 0),
      // Every shard gets a share of the large tables when there are any (a shard without one
      // would admit none of its keys); else the small ones set the count.
      shard_count_(std::min(kMaxShards, max_tables_ != 0 ? max_tables_ : max_small_tables_)),
      shards_(std::make_unique<std::array<Shard, kMaxShards>>()) {
  // Spread each bound over the shards so that the totals are exactly the bounds.
  const auto share = [this](std::size_t bound, std::size_t i) {
    return bound / shard_count_ + (i < bound % shard_count_ ? 1 : 0);
  };
  for (std::size_t i = 0; i < shard_count_; ++i) {
    Shard& shard = (*shards_)[i];
    shard.large.capacity = share(max_tables_, i);
    shard.small.capacity = share(max_small_tables_, i);
    shard.sketch.assign(2 * sketch_row_size(shard.large.capacity), 0);
  }
}

std::optional<crypto::PrecomputedVerifier> KeyTableCache::Tier::touch(
    const crypto::EcPoint& point) {
  const auto it = index.find(point);
  if (it == index.end()) {
    return std::nullopt;
  }
  lru.splice(lru.begin(), lru, it->second);
  return it->second->verifier;
}

void KeyTableCache::Tier::add(const crypto::EcPoint& point,
                              const crypto::PrecomputedVerifier& verifier,
                              std::list<Entry>& evicted) {
  lru.push_front(Entry{point, verifier});
  index.emplace(point, lru.begin());
  table_bytes += verifier.table_bytes();
  while (lru.size() > capacity) {
    const auto last = std::prev(lru.end());
    table_bytes -= last->verifier.table_bytes();
    index.erase(last->point);
    evicted.splice(evicted.end(), lru, last);
    ++evictions;
  }
}

void KeyTableCache::Tier::drop(const crypto::EcPoint& point, std::list<Entry>& evicted) {
  const auto it = index.find(point);
  if (it == index.end()) {
    return;
  }
  table_bytes -= it->second->verifier.table_bytes();
  evicted.splice(evicted.end(), lru, it->second);
  index.erase(it);
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
  if (large.capacity == 0) {
    return false;
  }
  return large.lru.size() < large.capacity || uses > estimate(large.lru.back().point);
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
  bool admitted = false;
  {
    const std::lock_guard lock(shard.mutex);
    const std::uint8_t uses = shard.count_use(point);
    if (auto held = shard.large.touch(point)) {
      return held;
    }
    admitted = shard.admits(uses);
    if (!admitted) {
      ++shard.refused;
      if (auto held = shard.small.touch(point)) {
        return held;
      }
      if (shard.small.capacity == 0) {
        return std::nullopt;
      }
    }
  }
  // 0.1-0.2 ms: built without the lock so that other keys of the shard are not held up.
  auto built = crypto::PrecomputedVerifier::from_key(key, admitted ? shape_ : kSmallShape);
  if (!built) {
    return std::nullopt;
  }
  std::list<Entry> evicted;  // freed after the lock is released
  const std::lock_guard lock(shard.mutex);
  Tier& tier = admitted ? shard.large : shard.small;
  ++tier.builds;
  if (auto held = tier.touch(point)) {
    // Another thread built this key meanwhile: keep its table, drop ours.
    return held;
  }
  if (!admitted) {
    if (auto held = shard.large.touch(point)) {
      // Another thread was admitted for this key meanwhile: a small table would only take room.
      return held;
    }
  }
  tier.add(point, *built, evicted);
  if (admitted) {
    // A key that was refused before and has now earned a large table needs its small one no
    // more.
    shard.small.drop(point, evicted);
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

void KeyTableCache::verify_batch(std::span<const Check> checks, std::span<bool> results) {
  // The verifiers are copies sharing the tables, so an eviction meanwhile frees nothing in use.
  std::vector<crypto::PrecomputedVerifier> tables;
  std::vector<crypto::VerifyRequest> requests;
  std::vector<std::size_t> request_check;
  tables.reserve(checks.size());
  requests.reserve(checks.size());
  request_check.reserve(checks.size());
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const Check& c = checks[i];
    if (auto table = table_for(*c.key)) {
      tables.push_back(std::move(*table));
      request_check.push_back(i);
    } else {
      fallbacks_.fetch_add(1, std::memory_order_relaxed);
      results[i] = c.key->verify(*c.digest, c.der_signature);
    }
  }
  for (std::size_t k = 0; k < tables.size(); ++k) {
    const Check& c = checks[request_check[k]];
    requests.push_back({&tables[k], c.digest, c.der_signature});
  }
  std::unique_ptr<bool[]> verified(new bool[requests.size()]);
  crypto::PrecomputedVerifier::verify_batch(requests, std::span(verified.get(), requests.size()));
  for (std::size_t k = 0; k < requests.size(); ++k) {
    results[request_check[k]] = verified[k];
  }
}

KeyTableCacheStats KeyTableCache::stats() const {
  KeyTableCacheStats out;
  for (std::size_t i = 0; i < shard_count_; ++i) {
    const Shard& shard = (*shards_)[i];
    const std::lock_guard lock(shard.mutex);
    out.tables += shard.large.lru.size();
    out.table_bytes += shard.large.table_bytes;
    out.builds += shard.large.builds;
    out.evictions += shard.large.evictions;
    out.refused += shard.refused;
    out.small_tables += shard.small.lru.size();
    out.small_table_bytes += shard.small.table_bytes;
    out.small_builds += shard.small.builds;
    out.small_evictions += shard.small.evictions;
  }
  out.fallbacks = fallbacks_.load(std::memory_order_relaxed);
  return out;
}

}  // namespace bgpsecd::bgpsec
