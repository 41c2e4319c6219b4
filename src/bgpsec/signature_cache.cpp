// SPDX-License-Identifier: BSD-2-Clause
// SignatureCache: keyed entry keys, a set-associative table with CLOCK eviction per set, and
// striped locks.
#include "bgpsec/signature_cache.hpp"

#include <algorithm>
#include <chrono>
#include <random>

namespace bgpsecd::bgpsec {
namespace {

// meta_ bits of a slot; the top five bits are the tag.
constexpr std::uint8_t kOccupied = 0x01;
constexpr std::uint8_t kValid = 0x02;
constexpr std::uint8_t kReferenced = 0x04;
constexpr unsigned kTagShift = 3;
constexpr std::uint8_t kTagMask = 0x1F;

// The secret only has to be unknown to peers; std::random_device reads the kernel's CSPRNG on
// Linux. Should it be unavailable (it throws then), the clock is a weaker but working seed.
std::array<std::uint8_t, 8> random_secret() noexcept {
  std::uint64_t seed = 0;
  try {
    std::random_device device;
    seed = (std::uint64_t{device()} << 32) | device();
  } catch (...) {
    seed = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  std::array<std::uint8_t, 8> out{};
  for (auto& octet : out) {
    octet = static_cast<std::uint8_t>(seed);
    seed >>= 8;
  }
  return out;
}

std::uint64_t leading_octets(const SignatureCacheKey& key) noexcept {
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    h = (h << 8) | key[i];
  }
  return h;
}

}  // namespace

SignatureCache::SignatureCache(std::size_t capacity)
    : ways_(std::min(kMaxWays, capacity)),
      set_count_(ways_ == 0 ? 0 : capacity / ways_),
      secret_(random_secret()),
      meta_(std::make_unique<std::uint8_t[]>(set_count_ * ways_)),
      keys_(std::make_unique_for_overwrite<SignatureCacheKey[]>(set_count_ * ways_)),
      hands_(std::make_unique<std::uint8_t[]>(set_count_)),
      stripes_(std::make_unique<std::array<Stripe, kStripes>>()) {}

std::optional<SignatureCacheKey> SignatureCache::key_for(
    const crypto::EcPoint& point, const crypto::Sha256Digest& digest,
    std::span<const std::uint8_t> signature) const noexcept {
  if (signature.size() > kMaxCachedSignatureSize) {
    return std::nullopt;
  }
  // 8 + 65 + 32 + 72 = 177 octets at most: three SHA-256 blocks.
  std::array<std::uint8_t, sizeof(secret_) + sizeof(crypto::EcPoint) +
                               sizeof(crypto::Sha256Digest) + kMaxCachedSignatureSize>
      buffer{};
  auto out = std::copy(secret_.begin(), secret_.end(), buffer.begin());
  out = std::copy(point.begin(), point.end(), out);
  out = std::copy(digest.begin(), digest.end(), out);
  out = std::copy(signature.begin(), signature.end(), out);
  return crypto::sha256(std::span<const std::uint8_t>(buffer.begin(), out));
}

SignatureCache::Place SignatureCache::place_of(const SignatureCacheKey& key) const noexcept {
  // The key is a keyed hash already: its octets are uniform and unknown to peers.
  return Place{static_cast<std::size_t>(leading_octets(key) % set_count_),
               static_cast<std::uint8_t>(key[8] & kTagMask)};
}

SignatureCache::Stripe& SignatureCache::stripe_of(std::size_t set) const noexcept {
  return (*stripes_)[set % kStripes];
}

std::size_t SignatureCache::find(std::size_t set, std::uint8_t tag,
                                 const SignatureCacheKey& key) const noexcept {
  const std::size_t base = set * ways_;
  for (std::size_t way = 0; way < ways_; ++way) {
    const std::uint8_t meta = meta_[base + way];
    if ((meta & kOccupied) != 0 && (meta >> kTagShift) == tag && keys_[base + way] == key) {
      return way;
    }
  }
  return ways_;
}

std::optional<bool> SignatureCache::lookup(const SignatureCacheKey& key) noexcept {
  if (!enabled()) {
    return std::nullopt;
  }
  const Place place = place_of(key);
  Stripe& stripe = stripe_of(place.set);
  const std::lock_guard lock(stripe.mutex);
  const std::size_t way = find(place.set, place.tag, key);
  if (way == ways_) {
    ++stripe.misses;
    return std::nullopt;
  }
  ++stripe.hits;
  std::uint8_t& meta = meta_[place.set * ways_ + way];
  meta = static_cast<std::uint8_t>(meta | kReferenced);
  return (meta & kValid) != 0;
}

void SignatureCache::insert(const SignatureCacheKey& key, bool valid) noexcept {
  if (!enabled()) {
    return;
  }
  const Place place = place_of(key);
  const std::size_t base = place.set * ways_;
  const auto fresh =
      static_cast<std::uint8_t>(kOccupied | (valid ? kValid : 0) | (place.tag << kTagShift));
  Stripe& stripe = stripe_of(place.set);
  const std::lock_guard lock(stripe.mutex);
  std::size_t way = find(place.set, place.tag, key);
  if (way != ways_) {
    // Two threads missed on the same signature and both verified it; the outcome is the same.
    meta_[base + way] = static_cast<std::uint8_t>(fresh | (meta_[base + way] & kReferenced));
    return;
  }
  way = 0;
  while (way < ways_ && (meta_[base + way] & kOccupied) != 0) {
    ++way;
  }
  if (way == ways_) {
    // CLOCK: pass over (and clear) referenced slots; within two turns one is unreferenced.
    // A new entry starts unreferenced, so signatures seen once go before those seen again.
    std::size_t hand = hands_[place.set];
    while ((meta_[base + hand] & kReferenced) != 0) {
      meta_[base + hand] = static_cast<std::uint8_t>(meta_[base + hand] & ~kReferenced);
      hand = (hand + 1) % ways_;
    }
    way = hand;
    hands_[place.set] = static_cast<std::uint8_t>((hand + 1) % ways_);
    ++stripe.evictions;
  } else {
    ++stripe.entries;
  }
  keys_[base + way] = key;
  meta_[base + way] = fresh;
  ++stripe.inserts;
}

SignatureCacheStats SignatureCache::stats() const {
  SignatureCacheStats out;
  for (const Stripe& stripe : *stripes_) {
    const std::lock_guard lock(stripe.mutex);
    out.hits += stripe.hits;
    out.misses += stripe.misses;
    out.inserts += stripe.inserts;
    out.evictions += stripe.evictions;
    out.entries += stripe.entries;
  }
  out.capacity = set_count_ * ways_;
  out.bytes = out.entries * sizeof(SignatureCacheKey) + out.capacity + set_count_ +
              (enabled() ? sizeof(std::array<Stripe, kStripes>) : 0);
  return out;
}

}  // namespace bgpsecd::bgpsec
