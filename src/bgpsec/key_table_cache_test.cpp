// SPDX-License-Identifier: BSD-2-Clause
// KeyTableCache tests: a table is built on a key's first signature and reused; the bound holds
// and evicted tables stay usable by whoever holds them; keys refused a large table get a small
// one, under a bound of its own; no tables (bounds 0, bad shape) means OpenSSL; answers always
// match PublicKey::verify, also with threads racing on the same keys.
#include "bgpsec/key_table_cache.hpp"

#include <cstdint>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/bytes.hpp"
#include "crypto/digest.hpp"
#include "crypto/keys.hpp"

namespace bgpsecd::bgpsec {
namespace {

struct Signed {
  crypto::PrivateKey key;
  crypto::Sha256Digest digest;
  base::Bytes signature;
};

Signed signed_by_new_key(std::uint8_t message) {
  auto key = crypto::PrivateKey::generate().value();
  const std::uint8_t data[] = {message, 0x42};
  const auto digest = crypto::sha256(data);
  auto signature = key.sign(digest).value();
  return Signed{std::move(key), digest, std::move(signature)};
}

base::Bytes flipped(base::Bytes bytes, std::size_t index) {
  bytes[index] ^= 0x01;
  return bytes;
}

// `times` good verifications of `s`.
void use(KeyTableCache& cache, const Signed& s, int times) {
  for (int i = 0; i < times; ++i) {
    EXPECT_TRUE(cache.verify(s.key.public_key(), s.digest, s.signature));
  }
}

TEST(KeyTableCache, BuildsOnFirstUseThenReuses) {
  KeyTableCache cache(8);
  const auto s = signed_by_new_key(1);
  const auto& key = s.key.public_key();
  EXPECT_TRUE(cache.verify(key, s.digest, s.signature));
  auto stats = cache.stats();
  EXPECT_EQ(stats.builds, 1U);
  EXPECT_EQ(stats.tables, 1U);
  EXPECT_EQ(stats.table_bytes, crypto::PrecomputedVerifier::table_bytes_for({}));
  EXPECT_FALSE(cache.verify(key, s.digest, flipped(s.signature, s.signature.size() - 1)));
  EXPECT_FALSE(cache.verify(key, crypto::sha256(s.signature), s.signature));
  stats = cache.stats();
  EXPECT_EQ(stats.builds, 1U);
  EXPECT_EQ(stats.fallbacks, 0U);
  const auto table = cache.table_for(key);
  ASSERT_TRUE(table.has_value());
  EXPECT_EQ(table->point(), key.point());
}

// Key i is used i + 2 times, more than any key before it, so the admission policy lets each
// new key displace the least recently used table of its shard.
TEST(KeyTableCache, TheBoundHoldsAndEvictionsAreCounted) {
  for (const std::size_t max_tables : {1U, 3U, 20U}) {
    KeyTableCache cache(max_tables);
    for (std::uint8_t i = 0; i < 24; ++i) {
      const auto s = signed_by_new_key(i);
      for (std::uint8_t use = 0; use < i + 2; ++use) {
        EXPECT_TRUE(cache.verify(s.key.public_key(), s.digest, s.signature));
      }
      const auto stats = cache.stats();
      ASSERT_LE(stats.tables, max_tables);
      EXPECT_EQ(stats.builds, i + 1U);
      EXPECT_EQ(stats.evictions, stats.builds - stats.tables);
      EXPECT_EQ(stats.table_bytes, stats.tables * crypto::PrecomputedVerifier::table_bytes_for({}));
    }
  }
}

TEST(KeyTableCache, OneTableRebuildsAnEvictedKeyAndTheOldCopyStillWorks) {
  KeyTableCache cache(1, {}, 0);  // no small tier: a refused key goes to OpenSSL
  const auto a = signed_by_new_key(1);
  const auto b = signed_by_new_key(2);
  const auto held = cache.table_for(a.key.public_key());  // a: 1 use, gets the one table
  ASSERT_TRUE(held.has_value());
  // b's first use ties with a: refused, verified with OpenSSL; its second evicts a's table.
  EXPECT_TRUE(cache.verify(b.key.public_key(), b.digest, b.signature));
  EXPECT_EQ(cache.stats().refused, 1U);
  EXPECT_EQ(cache.stats().fallbacks, 1U);
  EXPECT_TRUE(cache.verify(b.key.public_key(), b.digest, b.signature));
  EXPECT_EQ(cache.stats().evictions, 1U);
  EXPECT_TRUE(held->verify(a.digest, a.signature));  // the copy shares the table
  EXPECT_TRUE(cache.verify(a.key.public_key(), a.digest, a.signature));  // 2 uses: tie again
  EXPECT_TRUE(cache.verify(a.key.public_key(), a.digest, a.signature));  // 3 > 2: rebuilt
  const auto stats = cache.stats();
  EXPECT_EQ(stats.builds, 3U);
  EXPECT_EQ(stats.refused, 2U);
  EXPECT_EQ(stats.fallbacks, 2U);
}

// The case the admission policy is for: many keys that sign a few times (origin ASes) must not
// push out the table of a key that signs often (a transit AS). They are verified with a small
// table each, or with OpenSSL when there is no small tier.
TEST(KeyTableCache, KeysUsedOnceDoNotDisplaceAPopularKeysTable) {
  for (const std::size_t small : {std::size_t{0}, KeyTableCache::kDefaultMaxSmallTables}) {
    KeyTableCache cache(1, {}, small);
    const auto hot = signed_by_new_key(1);
    use(cache, hot, 5);
    for (std::uint8_t i = 2; i < 22; ++i) {
      const auto cold = signed_by_new_key(i);
      EXPECT_TRUE(cache.verify(cold.key.public_key(), cold.digest, cold.signature));
      EXPECT_FALSE(cache.verify(cold.key.public_key(), cold.digest, flipped(cold.signature, 12)));
      EXPECT_FALSE(
          cache.verify(cold.key.public_key(), crypto::sha256(cold.signature), cold.signature));
    }
    const auto stats = cache.stats();
    EXPECT_EQ(stats.builds, 1U);
    EXPECT_EQ(stats.tables, 1U);
    EXPECT_EQ(stats.refused, 60U);
    if (small == 0) {
      EXPECT_EQ(stats.fallbacks, 60U);
      EXPECT_EQ(stats.small_builds, 0U);
    } else {
      EXPECT_EQ(stats.fallbacks, 0U);
      EXPECT_EQ(stats.small_builds, 20U);  // once per key, then reused
      EXPECT_EQ(stats.small_tables, 20U);
      EXPECT_EQ(stats.small_table_bytes,
                20 * crypto::PrecomputedVerifier::table_bytes_for(KeyTableCache::kSmallShape));
    }
    const auto table = cache.table_for(hot.key.public_key());
    ASSERT_TRUE(table.has_value());
    EXPECT_EQ(table->shape(), crypto::TableShape{});
    EXPECT_EQ(cache.stats().builds, 1U);
  }
}

TEST(KeyTableCache, NoTablesMeansOpenSsl) {
  const auto s = signed_by_new_key(3);
  const crypto::TableShape bad_shape{1, 1};
  KeyTableCache zero(0, {}, 0);
  KeyTableCache bad(16, bad_shape, 16);
  for (KeyTableCache* cache : {&zero, &bad}) {
    EXPECT_FALSE(cache->table_for(s.key.public_key()).has_value());
    EXPECT_TRUE(cache->verify(s.key.public_key(), s.digest, s.signature));
    EXPECT_FALSE(cache->verify(s.key.public_key(), s.digest, flipped(s.signature, 10)));
    const auto stats = cache->stats();
    EXPECT_EQ(stats.tables, 0U);
    EXPECT_EQ(stats.builds, 0U);
    EXPECT_EQ(stats.fallbacks, 2U);
  }
  EXPECT_EQ(bad.max_tables(), 0U);
  EXPECT_EQ(bad.max_small_tables(), 0U);
}

TEST(KeyTableCache, TheSmallTiersBoundHolds) {
  KeyTableCache cache(1, {}, 3);
  const auto hot = signed_by_new_key(1);
  use(cache, hot, 5);
  std::vector<Signed> cold;
  for (std::uint8_t i = 2; i < 12; ++i) {
    cold.push_back(signed_by_new_key(i));
    EXPECT_TRUE(
        cache.verify(cold.back().key.public_key(), cold.back().digest, cold.back().signature));
    const auto stats = cache.stats();
    ASSERT_LE(stats.small_tables, 3U);
    EXPECT_EQ(stats.small_evictions, stats.small_builds - stats.small_tables);
  }
  // The most recent one is still held; the first was evicted and is built again.
  const auto before = cache.stats().small_builds;
  const auto last = cache.table_for(cold.back().key.public_key());
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->shape(), KeyTableCache::kSmallShape);
  EXPECT_EQ(cache.stats().small_builds, before);
  EXPECT_TRUE(
      cache.verify(cold.front().key.public_key(), cold.front().digest, cold.front().signature));
  EXPECT_EQ(cache.stats().small_builds, before + 1);
  EXPECT_EQ(cache.stats().fallbacks, 0U);
}

// A key refused at first that becomes popular earns a large table and gives up its small one.
TEST(KeyTableCache, AKeyPromotedToALargeTableDropsItsSmallOne) {
  KeyTableCache cache(1);
  const auto a = signed_by_new_key(1);
  const auto b = signed_by_new_key(2);
  EXPECT_TRUE(cache.verify(a.key.public_key(), a.digest, a.signature));  // a: the large table
  EXPECT_TRUE(cache.verify(b.key.public_key(), b.digest, b.signature));  // tie: small table
  auto stats = cache.stats();
  EXPECT_EQ(stats.small_tables, 1U);
  EXPECT_EQ(stats.refused, 1U);
  EXPECT_TRUE(cache.verify(b.key.public_key(), b.digest, b.signature));  // 2 > 1: large
  stats = cache.stats();
  EXPECT_EQ(stats.builds, 2U);
  EXPECT_EQ(stats.evictions, 1U);
  EXPECT_EQ(stats.small_tables, 0U);
  EXPECT_EQ(stats.small_table_bytes, 0U);
  const auto table = cache.table_for(b.key.public_key());
  ASSERT_TRUE(table.has_value());
  EXPECT_EQ(table->shape(), crypto::TableShape{});
}

// No large tables at all: every key gets a small one.
TEST(KeyTableCache, OnlySmallTables) {
  KeyTableCache cache(0, {}, 8);
  const auto s = signed_by_new_key(5);
  EXPECT_TRUE(cache.verify(s.key.public_key(), s.digest, s.signature));
  EXPECT_FALSE(cache.verify(s.key.public_key(), s.digest, flipped(s.signature, 9)));
  const auto stats = cache.stats();
  EXPECT_EQ(stats.tables, 0U);
  EXPECT_EQ(stats.small_tables, 1U);
  EXPECT_EQ(stats.small_builds, 1U);
  EXPECT_EQ(stats.fallbacks, 0U);
}

TEST(KeyTableCache, OtherShapesAgreeToo) {
  const auto s = signed_by_new_key(4);
  for (const crypto::TableShape shape : {crypto::TableShape{4, 4}, crypto::TableShape{8, 1}}) {
    KeyTableCache cache(4, shape);
    EXPECT_TRUE(cache.verify(s.key.public_key(), s.digest, s.signature));
    EXPECT_FALSE(cache.verify(s.key.public_key(), s.digest, flipped(s.signature, 20)));
    EXPECT_EQ(cache.stats().table_bytes, crypto::PrecomputedVerifier::table_bytes_for(shape));
  }
}

// Four threads on six keys with room for three large tables (and two small ones, or none):
// builds race, tables are evicted while other threads verify with them; every answer must
// still be PublicKey::verify's.
TEST(KeyTableCache, ThreadsRacingOnTheSameKeysGetOpenSslsAnswers) {
  for (const std::size_t small : {0U, 2U}) {
    KeyTableCache cache(3, {}, small);
    std::vector<Signed> signed_;
    for (std::uint8_t i = 0; i < 6; ++i) {
      signed_.push_back(signed_by_new_key(i));
    }
    std::vector<std::size_t> wrong(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (std::size_t i = 0; i < 120; ++i) {
          // Thread t favours key t (shared with its neighbours); every third case is bad.
          const auto& s = signed_[(t + i % 3) % signed_.size()];
          const bool bad = i % 3 == 2;
          const auto signature = bad ? flipped(s.signature, 8 + i % 60) : s.signature;
          const bool got = cache.verify(s.key.public_key(), s.digest, signature);
          wrong[t] += got != s.key.public_key().verify(s.digest, signature) ? 1U : 0U;
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    for (std::size_t t = 0; t < 4; ++t) {
      EXPECT_EQ(wrong[t], 0U) << "thread " << t << ", small tables " << small;
    }
    const auto stats = cache.stats();
    EXPECT_LE(stats.tables, 3U);
    EXPECT_LE(stats.small_tables, small);
    EXPECT_GE(stats.builds, 1U);
    if (small == 0) {
      EXPECT_EQ(stats.fallbacks, stats.refused);  // no build fails
    }
    // Every build is held, evicted, dropped on promotion, or (lost race) dropped.
    EXPECT_LE(stats.evictions + stats.tables, stats.builds);
    EXPECT_LE(stats.small_evictions + stats.small_tables, stats.small_builds);
  }
}

}  // namespace
}  // namespace bgpsecd::bgpsec
