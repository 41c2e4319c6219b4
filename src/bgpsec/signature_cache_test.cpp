// SPDX-License-Identifier: BSD-2-Clause
// SignatureCache tests: entry keys cover key, digest and signature; hits and misses; bad
// outcomes kept as bad; the bound holds under eviction; CLOCK keeps entries that were hit;
// threads sharing one cache never see another key's outcome; stats() never waits for the
// stripes a doubling holds.
#include "bgpsec/signature_cache.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace bgpsecd::bgpsec {

// What a doubling does to the locks, for the test that stats() does not wait for them.
struct SignatureCacheTestPeer {
  static auto lock_all_stripes(const SignatureCache& cache) { return cache.lock_all_stripes(); }
};

namespace {

// Distinct made-up entry keys; the last octet's low bit is the "outcome" threads check.
SignatureCacheKey made_up_key(std::uint64_t n) {
  SignatureCacheKey key{};
  std::mt19937_64 rng(n);
  for (auto& octet : key) {
    octet = static_cast<std::uint8_t>(rng());
  }
  return key;
}

bool outcome_of(const SignatureCacheKey& key) { return (key.back() & 1) != 0; }

// `threads` threads each look up `per_thread` keys chosen by `pick` (thread, step, the thread's
// generator), inserting each key's outcome on a miss; returns the hits with a wrong outcome.
std::size_t wrong_outcomes_in_threads(
    SignatureCache& cache, std::size_t threads, std::size_t per_thread,
    const std::function<SignatureCacheKey(std::size_t, std::size_t, std::mt19937_64&)>& pick) {
  std::vector<std::size_t> wrong(threads, 0);
  std::vector<std::thread> running;
  for (std::size_t t = 0; t < threads; ++t) {
    running.emplace_back([&, t] {
      std::mt19937_64 rng(t);
      for (std::size_t i = 0; i < per_thread; ++i) {
        const auto key = pick(t, i, rng);
        if (const auto hit = cache.lookup(key)) {
          wrong[t] += *hit != outcome_of(key) ? 1U : 0U;
        } else {
          cache.insert(key, outcome_of(key));
        }
      }
    });
  }
  for (auto& thread : running) {
    thread.join();
  }
  std::size_t total = 0;
  for (const std::size_t n : wrong) {
    total += n;
  }
  return total;
}

crypto::EcPoint point_with(std::uint8_t fill) {
  crypto::EcPoint p{};
  p.fill(fill);
  p[0] = 0x04;
  return p;
}

TEST(SignatureCacheKey, CoversPointDigestAndSignature) {
  const SignatureCache cache(64);
  const auto point = point_with(1);
  crypto::Sha256Digest digest{};
  digest.fill(2);
  const std::vector<std::uint8_t> signature(71, 3);
  const auto base = cache.key_for(point, digest, signature);
  ASSERT_TRUE(base.has_value());
  EXPECT_EQ(cache.key_for(point, digest, signature), base);

  auto other_point = point;
  other_point[64] ^= 0x01;
  auto other_digest = digest;
  other_digest[0] ^= 0x80;
  auto other_signature = signature;
  other_signature[70] ^= 0x01;
  const std::vector<std::uint8_t> shorter(signature.begin(), signature.end() - 1);
  std::set<SignatureCacheKey> keys = {*base};
  for (const auto& key :
       {cache.key_for(other_point, digest, signature),
        cache.key_for(point, other_digest, signature),
        cache.key_for(point, digest, other_signature), cache.key_for(point, digest, shorter)}) {
    ASSERT_TRUE(key.has_value());
    keys.insert(*key);
  }
  EXPECT_EQ(keys.size(), 5U);
}

TEST(SignatureCacheKey, SecretDiffersPerInstance) {
  const SignatureCache a(64);
  const SignatureCache b(64);
  const auto point = point_with(7);
  const crypto::Sha256Digest digest{};
  const std::vector<std::uint8_t> signature(70, 9);
  EXPECT_NE(a.key_for(point, digest, signature), b.key_for(point, digest, signature));
}

TEST(SignatureCacheKey, LongerThanAnyP256DerSignatureGetsNoKey) {
  const SignatureCache cache(64);
  const crypto::Sha256Digest digest{};
  EXPECT_TRUE(cache.key_for(point_with(1), digest, std::vector<std::uint8_t>(72, 0)));
  EXPECT_FALSE(cache.key_for(point_with(1), digest, std::vector<std::uint8_t>(73, 0)));
}

TEST(SignatureCache, MissThenHit) {
  SignatureCache cache(64);
  const auto key = made_up_key(1);
  EXPECT_FALSE(cache.lookup(key).has_value());
  cache.insert(key, true);
  EXPECT_EQ(cache.lookup(key), std::optional<bool>(true));
  const auto stats = cache.stats();
  EXPECT_EQ(stats.hits, 1U);
  EXPECT_EQ(stats.misses, 1U);
  EXPECT_EQ(stats.inserts, 1U);
  EXPECT_EQ(stats.entries, 1U);
  EXPECT_EQ(stats.capacity, 64U);
  EXPECT_GE(stats.bytes, sizeof(SignatureCacheKey) + 64U);
}

// A doubling holds every stripe for as long as it moves the entries (hundreds of milliseconds
// at millions of entries); stats() is what a metrics scrape on the I/O thread calls, so it
// must answer meanwhile, with the counts as they stand.
TEST(SignatureCache, StatsAnswerWhileEveryStripeIsHeld) {
  SignatureCache cache(std::size_t{1} << 16);
  for (std::uint64_t i = 0; i < 100; ++i) {
    cache.insert(made_up_key(i), outcome_of(made_up_key(i)));
  }
  EXPECT_TRUE(cache.lookup(made_up_key(7)).has_value());
  EXPECT_FALSE(cache.lookup(made_up_key(1000)).has_value());
  auto held = SignatureCacheTestPeer::lock_all_stripes(cache);
  auto stats = std::async(std::launch::async, [&cache] { return cache.stats(); });
  const auto status = stats.wait_for(std::chrono::seconds(20));
  for (auto& lock : held) {
    lock.unlock();  // before `stats` is destroyed, which waits for its thread
  }
  ASSERT_EQ(status, std::future_status::ready) << "stats() waited for the stripes";
  const auto got = stats.get();
  EXPECT_EQ(got.inserts, 100U);
  EXPECT_EQ(got.entries, 100U);
  EXPECT_EQ(got.hits, 1U);
  EXPECT_EQ(got.misses, 1U);
  EXPECT_EQ(got.slots, cache.stats().slots);
  EXPECT_GT(got.slots, 0U);
}

TEST(SignatureCache, BadOutcomeIsKeptAsBad) {
  SignatureCache cache(64);
  const auto key = made_up_key(2);
  cache.insert(key, false);
  EXPECT_EQ(cache.lookup(key), std::optional<bool>(false));
  // A second insert of the same key is not a new entry.
  cache.insert(key, false);
  EXPECT_EQ(cache.stats().entries, 1U);
  EXPECT_EQ(cache.stats().inserts, 1U);
}

TEST(SignatureCache, ZeroCapacityDisables) {
  SignatureCache cache(0);
  EXPECT_FALSE(cache.enabled());
  const auto key = made_up_key(3);
  cache.insert(key, true);
  EXPECT_FALSE(cache.lookup(key).has_value());
  const auto stats = cache.stats();
  EXPECT_EQ(stats.entries, 0U);
  EXPECT_EQ(stats.inserts, 0U);
  EXPECT_EQ(stats.capacity, 0U);
}

TEST(SignatureCache, EvictionKeepsTheEntryCountBounded) {
  for (const std::size_t capacity : {1U, 5U, 8U, 100U, 1000U}) {
    SignatureCache cache(capacity);
    for (std::uint64_t n = 0; n < 5000; ++n) {
      cache.insert(made_up_key(n), outcome_of(made_up_key(n)));
      ASSERT_LE(cache.stats().entries, capacity) << "capacity " << capacity << " after " << n;
    }
    const auto stats = cache.stats();
    EXPECT_EQ(stats.entries, stats.capacity) << capacity;  // every set filled by then
    EXPECT_EQ(stats.inserts, 5000U) << capacity;
    EXPECT_EQ(stats.evictions, 5000U - stats.entries) << capacity;
    // Whatever is still held answers with its own outcome.
    std::size_t held = 0;
    for (std::uint64_t n = 0; n < 5000; ++n) {
      if (const auto hit = cache.lookup(made_up_key(n))) {
        EXPECT_EQ(*hit, outcome_of(made_up_key(n)));
        ++held;
      }
    }
    EXPECT_EQ(held, stats.entries) << capacity;
  }
}

TEST(SignatureCache, ClockKeepsAnEntryThatWasHit) {
  SignatureCache cache(8);  // one set of 8 ways
  for (std::uint64_t n = 0; n < 8; ++n) {
    cache.insert(made_up_key(n), true);
  }
  ASSERT_TRUE(cache.lookup(made_up_key(0)).has_value());
  // Seven new entries replace the seven that were not hit since they came in.
  for (std::uint64_t n = 100; n < 107; ++n) {
    cache.insert(made_up_key(n), true);
  }
  EXPECT_TRUE(cache.lookup(made_up_key(0)).has_value());
  for (std::uint64_t n = 1; n < 8; ++n) {
    EXPECT_FALSE(cache.lookup(made_up_key(n)).has_value()) << n;
  }
  EXPECT_EQ(cache.stats().entries, 8U);
}

// Four threads insert and look up overlapping keys in a cache too small for them (so sets
// evict all the time); a hit must always carry the outcome inserted for that very key.
TEST(SignatureCache, ThreadsSharingOneCacheSeeOnlyTheirKeysOutcomes) {
  SignatureCache cache(256);
  constexpr std::uint64_t kKeys = 2000;
  std::vector<SignatureCacheKey> keys;
  for (std::uint64_t n = 0; n < kKeys; ++n) {
    keys.push_back(made_up_key(n));
  }
  // Half the time a key every thread uses (the first 64), else any key.
  EXPECT_EQ(wrong_outcomes_in_threads(cache, 4, 20000,
                                      [&](std::size_t, std::size_t, std::mt19937_64& rng) {
                                        return keys[(rng() & 1) != 0 ? rng() % 64 : rng() % kKeys];
                                      }),
            0U);
  const auto stats = cache.stats();
  EXPECT_LE(stats.entries, 256U);
  EXPECT_EQ(stats.hits + stats.misses, 4U * 20000U);
  EXPECT_GT(stats.hits, 0U);
}

// A large cache starts small and doubles as it fills, so its memory follows its entries (entries
// land at random places: a table allocated at full size is soon all resident); entries survive
// the doublings, and the bound is the configured capacity.
TEST(SignatureCache, GrowsWithItsEntriesUpToCapacity) {
  constexpr std::size_t kCapacity = std::size_t{1} << 16;
  SignatureCache cache(kCapacity);
  auto stats = cache.stats();
  EXPECT_EQ(stats.capacity, kCapacity);
  EXPECT_EQ(stats.slots, kCapacity / 8);
  EXPECT_LT(stats.bytes, kCapacity * 33 / 4);
  std::uint64_t n = 0;
  for (; n < 2000; ++n) {
    cache.insert(made_up_key(n), outcome_of(made_up_key(n)));
  }
  EXPECT_EQ(cache.stats().slots, kCapacity / 8);  // under half used: no doubling yet
  for (; n < 30000; ++n) {
    cache.insert(made_up_key(n), outcome_of(made_up_key(n)));
  }
  stats = cache.stats();
  EXPECT_GT(stats.slots, kCapacity / 8);
  EXPECT_LE(stats.slots, kCapacity);
  EXPECT_GE(stats.slots, stats.entries);
  // Below capacity a full set evicts only while the table is under half used: few entries go.
  std::size_t held = 0;
  for (std::uint64_t m = 0; m < n; ++m) {
    const auto hit = cache.lookup(made_up_key(m));
    held += hit ? 1U : 0U;
    ASSERT_TRUE(!hit || *hit == outcome_of(made_up_key(m))) << m;
  }
  EXPECT_EQ(held, stats.entries);
  EXPECT_GE(held, n * 97 / 100);
  for (; n < 100000; ++n) {
    cache.insert(made_up_key(n), outcome_of(made_up_key(n)));
  }
  stats = cache.stats();
  EXPECT_EQ(stats.slots, kCapacity);
  EXPECT_LE(stats.entries, kCapacity);
  EXPECT_EQ(stats.evictions, stats.inserts - stats.entries);
}

// Small caches (sets not a multiple of the stripes) are allocated whole.
TEST(SignatureCache, SmallCacheIsAllocatedWhole) {
  for (const std::size_t capacity : {8U, 100U, 1000U, 8192U}) {
    EXPECT_EQ(SignatureCache(capacity).stats().slots, capacity / 8 * 8) << capacity;
  }
}

// Threads inserting and looking up while the table doubles under them.
TEST(SignatureCache, ThreadsSeeTheirOutcomesWhileTheTableGrows) {
  SignatureCache cache(std::size_t{1} << 16);
  constexpr std::uint64_t kKeys = 60000;
  // Mostly new keys (this thread's half), sometimes a key either thread may have put in.
  EXPECT_EQ(
      wrong_outcomes_in_threads(cache, 2, kKeys,
                                [](std::size_t t, std::size_t i, std::mt19937_64& rng) {
                                  return made_up_key((rng() & 3) == 0 ? rng() % kKeys : 2 * i + t);
                                }),
      0U);
  const auto stats = cache.stats();
  EXPECT_GT(stats.slots, (std::size_t{1} << 16) / 8);
  EXPECT_LE(stats.entries, stats.slots);
  EXPECT_EQ(stats.hits + stats.misses, 2 * kKeys);
}

}  // namespace
}  // namespace bgpsecd::bgpsec
