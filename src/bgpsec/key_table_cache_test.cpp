// SPDX-License-Identifier: BSD-2-Clause
// KeyTableCache tests: a table is built on a key's first signature and reused; the bound holds
// and evicted tables stay usable by whoever holds them; no tables (bound 0, bad shape) means
// OpenSSL; answers always match PublicKey::verify, also with threads racing on the same keys.
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
  KeyTableCache cache(1);
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

// The case the admission policy is for: many keys that sign once (origin ASes) must not push
// out the table of a key that signs often (a transit AS).
TEST(KeyTableCache, KeysUsedOnceDoNotDisplaceAPopularKeysTable) {
  KeyTableCache cache(1);
  const auto hot = signed_by_new_key(1);
  for (int use = 0; use < 5; ++use) {
    EXPECT_TRUE(cache.verify(hot.key.public_key(), hot.digest, hot.signature));
  }
  for (std::uint8_t i = 2; i < 22; ++i) {
    const auto cold = signed_by_new_key(i);
    EXPECT_TRUE(cache.verify(cold.key.public_key(), cold.digest, cold.signature));
    EXPECT_FALSE(cache.verify(cold.key.public_key(), cold.digest, flipped(cold.signature, 12)));
  }
  auto stats = cache.stats();
  EXPECT_EQ(stats.builds, 1U);
  EXPECT_EQ(stats.refused, 40U);
  EXPECT_EQ(stats.fallbacks, 40U);
  EXPECT_TRUE(cache.table_for(hot.key.public_key()).has_value());
  EXPECT_EQ(cache.stats().builds, 1U);
}

TEST(KeyTableCache, NoTablesMeansOpenSsl) {
  const auto s = signed_by_new_key(3);
  const crypto::TableShape bad_shape{1, 1};
  KeyTableCache zero(0);
  KeyTableCache bad(16, bad_shape);
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

// Four threads on six keys with room for three tables: builds race, tables are evicted while
// other threads verify with them; every answer must still be PublicKey::verify's.
TEST(KeyTableCache, ThreadsRacingOnTheSameKeysGetOpenSslsAnswers) {
  KeyTableCache cache(3);
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
    EXPECT_EQ(wrong[t], 0U) << "thread " << t;
  }
  const auto stats = cache.stats();
  EXPECT_LE(stats.tables, 3U);
  EXPECT_GE(stats.builds, 1U);
  EXPECT_EQ(stats.fallbacks, stats.refused);  // no build fails
  // Every build is held, evicted, or (lost race) dropped.
  EXPECT_LE(stats.evictions + stats.tables, stats.builds);
}

}  // namespace
}  // namespace bgpsecd::bgpsec
