// SPDX-License-Identifier: BSD-2-Clause
// SignatureCache: keyed entry keys, a set-associative table with CLOCK eviction per set, and
// striped locks.
#include "bgpsec/signature_cache.hpp"

#include <algorithm>

#include "base/random_secret.hpp"

namespace bgpsecd::bgpsec {
namespace {

// Meta bits of a slot; the top five bits are the tag.
constexpr std::uint8_t kOccupied = 0x01;
constexpr std::uint8_t kValid = 0x02;
constexpr std::uint8_t kReferenced = 0x04;
constexpr unsigned kTagShift = 3;
constexpr std::uint8_t kTagMask = 0x1F;

// The secret only has to be unknown to peers.
std::array<std::uint8_t, 16> fresh_secret() noexcept {
  std::array<std::uint8_t, 16> out{};
  base::fill_random_secret(out);
  return out;
}

std::uint64_t leading_octets(const SignatureCacheKey& key) noexcept {
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    h = (h << 8) | key[i];
  }
  return h;
}

// A table that grows starts with this many sets at least (8192 entries, 137 KiB).
constexpr std::size_t kMinFirstSets = 1024;
// ... and at most 1/64 of its sets at full capacity.
constexpr unsigned kMaxDoublings = 6;

}  // namespace

SignatureCache::Table::Table(std::size_t set_count, std::size_t ways)
    : sets(set_count),
      meta(std::make_unique<std::uint8_t[]>(set_count * ways)),
      keys(std::make_unique_for_overwrite<SignatureCacheKey[]>(set_count * ways)),
      hands(std::make_unique<std::uint8_t[]>(set_count)) {}

SignatureCache::SignatureCache(std::size_t capacity)
    : ways_(std::min(kMaxWays, capacity)),
      max_sets_(ways_ == 0 ? 0 : capacity / ways_),
      first_sets_([this] {
        // Halve while the result stays a multiple of kStripes (so that a key's stripe does not
        // depend on the size) and not below kMinFirstSets; doubling then lands on max_sets_.
        std::size_t sets = max_sets_;
        for (unsigned i = 0;
             i < kMaxDoublings && sets % (2 * kStripes) == 0 && sets / 2 >= kMinFirstSets; ++i) {
          sets /= 2;
        }
        return sets;
      }()),
      secret_(fresh_secret()),
      table_(first_sets_, ways_),
      sets_now_(first_sets_),
      stripes_(std::make_unique<std::array<Stripe, kStripes>>()) {}

std::optional<SignatureCacheKey> SignatureCache::key_for(
    const crypto::EcPoint& point, const crypto::Sha256Digest& digest,
    std::span<const std::uint8_t> signature) const noexcept {
  if (signature.size() > kMaxCachedSignatureSize) {
    return std::nullopt;
  }
  // 16 + 65 + 32 + 72 = 185 octets at most: three SHA-256 blocks.
  std::array<std::uint8_t, sizeof(secret_) + sizeof(crypto::EcPoint) +
                               sizeof(crypto::Sha256Digest) + kMaxCachedSignatureSize>
      buffer{};
  auto out = std::copy(secret_.begin(), secret_.end(), buffer.begin());
  out = std::copy(point.begin(), point.end(), out);
  out = std::copy(digest.begin(), digest.end(), out);
  out = std::copy(signature.begin(), signature.end(), out);
  const auto hash = crypto::sha256(std::span<const std::uint8_t>(buffer.begin(), out));
  SignatureCacheKey key;
  std::copy_n(hash.begin(), key.size(), key.begin());
  return key;
}

SignatureCache::Place SignatureCache::place_of(const SignatureCacheKey& key) const noexcept {
  // The key is a keyed hash already: its octets are uniform and unknown to peers.
  return Place{static_cast<std::size_t>(leading_octets(key) % table_.sets),
               static_cast<std::uint8_t>(key[8] & kTagMask)};
}

SignatureCache::Stripe& SignatureCache::stripe_of(const SignatureCacheKey& key) const noexcept {
  return (*stripes_)[(leading_octets(key) % first_sets_) % kStripes];
}

std::array<std::unique_lock<std::mutex>, SignatureCache::kStripes>
SignatureCache::lock_all_stripes() const {
  std::array<std::unique_lock<std::mutex>, kStripes> locks;
  for (std::size_t i = 0; i < kStripes; ++i) {
    locks[i] = std::unique_lock((*stripes_)[i].mutex);
  }
  return locks;
}

void SignatureCache::grow(std::size_t seen_sets) {
  const auto locks = lock_all_stripes();
  if (table_.sets != seen_sets || table_.sets >= max_sets_) {
    return;
  }
  Table next(2 * table_.sets, ways_);
  for (std::size_t slot = 0; slot < table_.sets * ways_; ++slot) {
    if ((table_.meta[slot] & kOccupied) == 0) {
      continue;
    }
    // A set's entries go to two sets of the new table, so each finds a free way.
    const std::size_t base =
        static_cast<std::size_t>(leading_octets(table_.keys[slot]) % next.sets) * ways_;
    std::size_t way = 0;
    while ((next.meta[base + way] & kOccupied) != 0) {
      ++way;
    }
    next.keys[base + way] = table_.keys[slot];
    next.meta[base + way] = table_.meta[slot];
  }
  std::swap(table_, next);
  sets_now_.store(table_.sets, std::memory_order_relaxed);
  // `next` (the old table) is freed here, still under the stripes: nobody else can hold it.
}

std::size_t SignatureCache::find(std::size_t set, std::uint8_t tag,
                                 const SignatureCacheKey& key) const noexcept {
  const std::size_t base = set * ways_;
  for (std::size_t way = 0; way < ways_; ++way) {
    const std::uint8_t meta = table_.meta[base + way];
    if ((meta & kOccupied) != 0 && (meta >> kTagShift) == tag && table_.keys[base + way] == key) {
      return way;
    }
  }
  return ways_;
}

std::optional<bool> SignatureCache::lookup(const SignatureCacheKey& key) noexcept {
  if (!enabled()) {
    return std::nullopt;
  }
  Stripe& stripe = stripe_of(key);
  const std::lock_guard lock(stripe.mutex);
  const Place place = place_of(key);
  const std::size_t way = find(place.set, place.tag, key);
  if (way == ways_) {
    stripe.misses.add();
    return std::nullopt;
  }
  stripe.hits.add();
  std::uint8_t& meta = table_.meta[place.set * ways_ + way];
  meta = static_cast<std::uint8_t>(meta | kReferenced);
  return (meta & kValid) != 0;
}

void SignatureCache::insert(const SignatureCacheKey& key, bool valid) noexcept {
  if (!enabled()) {
    return;
  }
  Stripe& stripe = stripe_of(key);
  std::unique_lock lock(stripe.mutex);
  Place place = place_of(key);
  std::size_t base = place.set * ways_;
  std::size_t way = find(place.set, place.tag, key);
  const auto fresh =
      static_cast<std::uint8_t>(kOccupied | (valid ? kValid : 0) | (place.tag << kTagShift));
  auto& meta = table_.meta;
  if (way != ways_) {
    // Two threads missed on the same signature and both verified it; the outcome is the same.
    meta[base + way] = static_cast<std::uint8_t>(fresh | (meta[base + way] & kReferenced));
    return;
  }
  way = 0;
  while (way < ways_ && (meta[base + way] & kOccupied) != 0) {
    ++way;
  }
  while (way == ways_ && table_.sets < max_sets_ &&
         2 * stripe.entries.get() * kStripes >= table_.sets * ways_) {
    // Full set in a table below capacity and at least half used (judged by this stripe's
    // share): double it rather than evict, then look again (the key's set changed, and another
    // thread may have inserted it meanwhile). Less used, a full set is bad luck: it evicts.
    const std::size_t seen = table_.sets;
    lock.unlock();
    grow(seen);
    lock.lock();
    place = place_of(key);
    base = place.set * ways_;
    if (find(place.set, place.tag, key) != ways_) {
      return;
    }
    way = 0;
    while (way < ways_ && (meta[base + way] & kOccupied) != 0) {
      ++way;
    }
  }
  if (way == ways_) {
    // CLOCK: pass over (and clear) referenced slots; within two turns one is unreferenced.
    // A new entry starts unreferenced, so signatures seen once go before those seen again.
    std::size_t hand = table_.hands[place.set];
    while ((meta[base + hand] & kReferenced) != 0) {
      meta[base + hand] = static_cast<std::uint8_t>(meta[base + hand] & ~kReferenced);
      hand = (hand + 1) % ways_;
    }
    way = hand;
    table_.hands[place.set] = static_cast<std::uint8_t>((hand + 1) % ways_);
    stripe.evictions.add();
  } else {
    stripe.entries.add();
  }
  table_.keys[base + way] = key;
  meta[base + way] = fresh;
  stripe.inserts.add();
}

SignatureCacheStats SignatureCache::stats() const {
  // No lock (see the header): each count is exact, and the counts of a moment may be a few
  // operations apart from each other.
  SignatureCacheStats out;
  for (const Stripe& stripe : *stripes_) {
    out.hits += stripe.hits.get();
    out.misses += stripe.misses.get();
    out.inserts += stripe.inserts.get();
    out.evictions += stripe.evictions.get();
    out.entries += stripe.entries.get();
  }
  out.capacity = max_sets_ * ways_;
  const std::size_t sets = sets_now_.load(std::memory_order_relaxed);
  out.slots = sets * ways_;
  out.bytes = out.slots * (sizeof(SignatureCacheKey) + 1) + sets +
              (enabled() ? sizeof(std::array<Stripe, kStripes>) : 0);
  return out;
}

}  // namespace bgpsecd::bgpsec
