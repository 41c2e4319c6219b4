// SPDX-License-Identifier: BSD-2-Clause
// CachingSignatureVerifier tests: the same outcomes as DefaultSignatureVerifier (RFC 8608
// Appendix A vectors; random good and bad signatures, data, keys and DER), cold and from the
// cache, in every configuration; RFC 8205 §5.2 block semantics; cache and table statistics;
// threads sharing one verifier; the Validator on signed paths with either verifier.
#include "bgpsec/caching_verifier.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "base/bytes.hpp"
#include "bgpsec/signature_verifier.hpp"
#include "bgpsec/test_support.hpp"
#include "bgpsec/validator.hpp"
#include "crypto/digest.hpp"
#include "crypto/keys.hpp"
#include "crypto/p256/ifma.hpp"
#include "wire/bgpsec_path.hpp"

namespace bgpsecd::bgpsec {
namespace {

constexpr std::uint8_t kSuite1 = wire::kAlgorithmSuite1;

// The multi-buffer engine on or off for a test (on only where the CPU has it), then back.
class IfmaSetting {
 public:
  explicit IfmaSetting(bool on) : was_(crypto::p256::ifma_enabled()) {
    crypto::p256::use_ifma_for_test(on);
  }
  ~IfmaSetting() { crypto::p256::use_ifma_for_test(was_); }
  IfmaSetting(const IfmaSetting&) = delete;
  IfmaSetting& operator=(const IfmaSetting&) = delete;

 private:
  bool was_;
};

// A VerifyJob with its own storage.
struct OwnedJob {
  std::string name;
  base::Bytes signed_data;
  base::Bytes signature;
  std::vector<crypto::PublicKey> keys;

  [[nodiscard]] VerifyJob job() const { return VerifyJob{signed_data, signature, keys}; }
};

bool default_says(const OwnedJob& j) {
  const VerifyJob jobs[] = {j.job()};
  return default_signature_verifier().verify_block(kSuite1, jobs).first_failure == 1;
}

base::Bytes flip_bit(base::Bytes bytes, std::size_t bit) {
  bytes[bit / 8 % bytes.size()] ^= static_cast<std::uint8_t>(1U << (bit % 8));
  return bytes;
}

crypto::PrivateKey new_key() { return crypto::PrivateKey::generate().value(); }

base::Bytes random_bytes(std::mt19937_64& rng, std::size_t n) {
  base::Bytes out(n);
  for (auto& octet : out) {
    octet = static_cast<std::uint8_t>(rng());
  }
  return out;
}

// A good signature by `key` over `data`, and variants of it that must fail or pass.
std::vector<OwnedJob> cases_for(const crypto::PrivateKey& key, const crypto::PrivateKey& other,
                                std::mt19937_64& rng) {
  const auto data = random_bytes(rng, 40 + rng() % 100);
  const auto signature = key.sign(crypto::sha256(data)).value();
  const auto& pub = key.public_key();
  const auto& wrong = other.public_key();
  std::vector<OwnedJob> out;
  out.push_back({"good", data, signature, {pub}});
  out.push_back({"bit flipped in signature",
                 data,
                 flip_bit(signature, 8 * 4 + rng() % (8 * (signature.size() - 4))),
                 {pub}});
  out.push_back(
      {"bit flipped in data", flip_bit(data, rng() % (8 * data.size())), signature, {pub}});
  out.push_back({"wrong key", data, signature, {wrong}});
  out.push_back({"second of two keys good", data, signature, {wrong, pub}});
  out.push_back({"first of two keys good", data, signature, {pub, wrong}});
  out.push_back({"two wrong keys", data, signature, {wrong, wrong}});
  auto truncated = signature;
  truncated.pop_back();
  out.push_back({"DER truncated", data, truncated, {pub}});
  auto trailing = signature;
  trailing.push_back(0x00);
  out.push_back({"DER with a trailing octet", data, trailing, {pub}});
  auto bad_length = signature;
  bad_length[1] = static_cast<std::uint8_t>(bad_length[1] + 1);
  out.push_back({"DER SEQUENCE length off by one", data, bad_length, {pub}});
  out.push_back({"DER r = 0", data, {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01}, {pub}});
  out.push_back({"empty signature", data, {}, {pub}});
  auto oversized = signature;
  oversized.resize(kMaxCachedSignatureSize + 8, 0x00);
  out.push_back({"longer than any P-256 DER signature", data, oversized, {pub}});
  return out;
}

// The configurations the daemon may choose.
std::vector<std::pair<std::string, CachingVerifierOptions>> configurations() {
  CachingVerifierOptions no_cache;
  no_cache.signature_cache_entries = 0;
  CachingVerifierOptions openssl;
  openssl.precompute = false;
  CachingVerifierOptions tiny;
  tiny.signature_cache_entries = 8;
  tiny.max_key_tables = 1;
  CachingVerifierOptions other_shape;
  other_shape.table_shape = crypto::TableShape{4, 4};
  return {{"defaults", {}},
          {"cache off", no_cache},
          {"OpenSSL", openssl},
          {"tiny", tiny},
          {"shape 4/4", other_shape}};
}

void expect_agreement(const std::vector<OwnedJob>& cases) {
  for (const auto& [config, options] : configurations()) {
    const CachingSignatureVerifier verifier(options);
    for (int round = 0; round < 2; ++round) {  // cold, then from the cache where it holds them
      for (const auto& c : cases) {
        const VerifyJob jobs[] = {c.job()};
        const auto want = default_signature_verifier().verify_block(kSuite1, jobs);
        const auto got = verifier.verify_block(kSuite1, jobs);
        EXPECT_EQ(got.first_failure, want.first_failure)
            << c.name << ", " << config << ", round " << round;
        EXPECT_EQ(got.checked, want.checked) << c.name << ", " << config;
      }
    }
  }
}

// ===== agreement with DefaultSignatureVerifier =====

TEST(CachingVerifier, Rfc8608AppendixA_SameOutcomesAsTheDefault) {
  std::vector<OwnedJob> cases;
  for (std::size_t e = 0; e < 2; ++e) {
    const auto& ex = test_vectors::example(e);
    for (std::size_t i = 0; i < 2; ++i) {
      const auto& sig = ex.at("signatures").at(i);
      // signatures[0] is AS 65536's (router_keys[1]), signatures[1] the origin's.
      const auto key = testing::example_private_key(1 - i).public_key();
      const auto other = testing::example_private_key(i).public_key();
      OwnedJob good{"example " + std::to_string(e) + " signature " + std::to_string(i),
                    test_vectors::field(sig, "signed_data"),
                    test_vectors::field(sig, "signature_der"),
                    {key}};
      ASSERT_TRUE(default_says(good)) << good.name;  // the vectors verify (high-S, RFC 8608)
      auto tampered = good;
      tampered.name += " tampered";
      tampered.signed_data.back() ^= 0x01;
      auto other_key = good;
      other_key.name += " other key";
      other_key.keys = {other};
      ASSERT_FALSE(default_says(tampered)) << tampered.name;
      ASSERT_FALSE(default_says(other_key)) << other_key.name;
      cases.push_back(std::move(good));
      cases.push_back(std::move(tampered));
      cases.push_back(std::move(other_key));
    }
  }
  expect_agreement(cases);
}

TEST(CachingVerifier, RandomGoodAndBadCasesSameOutcomesAsTheDefault) {
  std::mt19937_64 rng(8608);
  std::vector<OwnedJob> cases;
  for (int i = 0; i < 6; ++i) {
    const auto key = new_key();
    const auto other = new_key();
    auto more = cases_for(key, other, rng);
    // The cases mean what their names say (so that agreement on a broken case cannot hide).
    for (const auto& c : more) {
      const bool good = c.name == "good" || c.name.ends_with("keys good");
      EXPECT_EQ(default_says(c), good) << c.name;
    }
    cases.insert(cases.end(), more.begin(), more.end());
  }
  expect_agreement(cases);
}

// ===== RFC 8205 §5.2 block semantics =====

// One by one, a block stops at its first failure; with the multi-buffer engine the whole block
// is verified in one batch (cheaper than stopping early). Either way the lowest failing index
// is reported and `checked` counts the jobs up to it, as the default verifier's do.
TEST(CachingVerifier, ReportsTheLowestFailingIndexAndStopsThere) {
  std::mt19937_64 rng(1);
  const auto key = new_key();
  const auto other = new_key();
  const auto cases = cases_for(key, other, rng);
  const auto good = cases[0].job();
  const auto bad = cases[1].job();
  for (const bool ifma : {false, true}) {
    if (ifma && !crypto::p256::ifma_supported()) {
      continue;
    }
    const IfmaSetting setting(ifma);
    const CachingSignatureVerifier verifier;
    const VerifyJob middle_bad[] = {good, bad, good};
    auto out = verifier.verify_block(kSuite1, middle_bad);
    EXPECT_EQ(out.first_failure, 1U);
    EXPECT_EQ(out.checked, 2U);
    EXPECT_EQ(verifier.stats().signatures_verified, ifma ? 3U : 2U);
    const VerifyJob all_good[] = {good, good, good};
    out = verifier.verify_block(kSuite1, all_good);
    EXPECT_EQ(out.first_failure, 3U);
    EXPECT_EQ(out.checked, 3U);
    out = verifier.verify_block(kSuite1, std::span<const VerifyJob>());
    EXPECT_EQ(out.first_failure, 0U);
    EXPECT_EQ(out.checked, 0U);
    // Twelve signatures, the second bad: the batch stops after the first window of eight.
    const CachingSignatureVerifier fresh;
    std::vector<VerifyJob> twelve(12, good);
    twelve[1] = bad;
    out = fresh.verify_block(kSuite1, twelve);
    EXPECT_EQ(out.first_failure, 1U);
    EXPECT_EQ(out.checked, 2U);
    EXPECT_EQ(fresh.stats().signatures_verified,
              ifma ? CachingSignatureVerifier::kBatchWindow : 2U);
  }
}

// Blocks of 2 to 12 jobs mixing good and bad signatures, several candidate keys and broken
// DER: verified in one batch (multi-buffer, where the CPU has it) and one by one, every
// configuration gives the default verifier's first failure and count.
TEST(CachingVerifier, BlocksVerifiedInOneBatchGiveTheDefaultsOutcomes) {
  std::mt19937_64 rng(12);
  std::vector<std::vector<OwnedJob>> pools;
  for (int i = 0; i < 4; ++i) {
    pools.push_back(cases_for(new_key(), new_key(), rng));
  }
  std::vector<std::vector<OwnedJob>> blocks;
  for (int b = 0; b < 40; ++b) {
    std::vector<OwnedJob> block;
    const std::size_t n = 2 + rng() % 11;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& pool = pools[rng() % pools.size()];
      // Mostly good ones, so that failures come late in the block too.
      block.push_back(rng() % 3 != 0 ? pool[0] : pool[rng() % pool.size()]);
    }
    blocks.push_back(std::move(block));
  }
  for (const bool ifma : {false, true}) {
    if (ifma && !crypto::p256::ifma_supported()) {
      continue;
    }
    const IfmaSetting setting(ifma);
    for (const auto& [config, options] : configurations()) {
      const CachingSignatureVerifier verifier(options);
      for (int round = 0; round < 2; ++round) {
        for (std::size_t b = 0; b < blocks.size(); ++b) {
          std::vector<VerifyJob> jobs;
          for (const auto& j : blocks[b]) {
            jobs.push_back(j.job());
          }
          const auto want = default_signature_verifier().verify_block(kSuite1, jobs);
          const auto got = verifier.verify_block(kSuite1, jobs);
          EXPECT_EQ(got.first_failure, want.first_failure)
              << "block " << b << ", " << config << ", ifma " << ifma << ", round " << round;
          EXPECT_EQ(got.checked, want.checked) << "block " << b << ", " << config;
        }
      }
    }
  }
}

// verify_batch answers each job as the default verifier does, verifying what the cache lacks of
// many blocks' jobs at once; the blocks' own verify_block calls then verify nothing more and
// answer as the default verifier does.
TEST(CachingVerifier, VerifyBatchLeavesNothingForTheBlocksToVerify) {
  if (!crypto::p256::ifma_supported()) {
    GTEST_SKIP() << "verify_batch does nothing without AVX-512 IFMA";
  }
  const IfmaSetting setting(true);
  std::mt19937_64 rng(13);
  std::vector<OwnedJob> owned;
  for (int i = 0; i < 5; ++i) {
    auto more = cases_for(new_key(), new_key(), rng);
    owned.insert(owned.end(), more.begin(), more.end());
  }
  std::vector<VerifyJob> all;
  for (const auto& j : owned) {
    all.push_back(j.job());
  }
  const CachingSignatureVerifier verifier;
  ASSERT_TRUE(verifier.verifies_batches());
  const auto valid = std::make_unique<bool[]>(all.size());
  ASSERT_TRUE(verifier.verify_batch(kSuite1, all, std::span(valid.get(), all.size())));
  for (std::size_t j = 0; j < all.size(); ++j) {
    const std::span<const VerifyJob> one(&all[j], 1);
    EXPECT_EQ(valid[j], default_signature_verifier().verify_block(kSuite1, one).first_failure == 1)
        << owned[j].name;
  }
  const auto warmed = verifier.stats().signatures_verified;
  EXPECT_GT(warmed, owned.size() / 2);
  for (std::size_t i = 0; i + 2 <= all.size(); i += 2) {
    const std::span<const VerifyJob> block(all.data() + i, 2);
    const auto want = default_signature_verifier().verify_block(kSuite1, block);
    const auto got = verifier.verify_block(kSuite1, block);
    EXPECT_EQ(got.first_failure, want.first_failure) << owned[i].name << ", " << owned[i + 1].name;
  }
  // Oversized signatures are never cached, so those are verified again; nothing else is.
  std::uint64_t uncacheable = 0;
  for (const auto& j : owned) {
    uncacheable += j.signature.size() > kMaxCachedSignatureSize ? j.keys.size() : 0;
  }
  EXPECT_LE(verifier.stats().signatures_verified, warmed + uncacheable);
  // Another suite, or no key tables (OpenSSL one by one): nothing done, `valid` untouched.
  std::fill_n(valid.get(), all.size(), true);
  const CachingSignatureVerifier other;
  EXPECT_FALSE(other.verify_batch(2, all, std::span(valid.get(), all.size())));
  EXPECT_EQ(other.stats().signatures_verified, 0U);
  CachingVerifierOptions no_tables;
  no_tables.precompute = false;
  const CachingSignatureVerifier openssl(no_tables);
  EXPECT_FALSE(openssl.verifies_batches());
  EXPECT_FALSE(openssl.verify_batch(kSuite1, all, std::span(valid.get(), all.size())));
  EXPECT_EQ(openssl.stats().signatures_verified, 0U);
  EXPECT_TRUE(std::all_of(valid.get(), valid.get() + all.size(), [](bool v) { return v; }));
  // Without the signature cache the batch still answers (nothing is kept for later).
  CachingVerifierOptions no_cache;
  no_cache.signature_cache_entries = 0;
  const CachingSignatureVerifier uncached(no_cache);
  ASSERT_TRUE(uncached.verify_batch(kSuite1, all, std::span(valid.get(), all.size())));
  for (std::size_t j = 0; j < all.size(); ++j) {
    const std::span<const VerifyJob> one(&all[j], 1);
    EXPECT_EQ(valid[j], default_signature_verifier().verify_block(kSuite1, one).first_failure == 1)
        << owned[j].name;
  }
}

TEST(CachingVerifier, OtherSuitesFailWithoutCrypto) {
  std::mt19937_64 rng(2);
  const auto key = new_key();
  const auto cases = cases_for(key, new_key(), rng);
  const VerifyJob jobs[] = {cases[0].job()};
  const CachingSignatureVerifier verifier;
  EXPECT_TRUE(verifier.supports_suite(kSuite1));
  EXPECT_FALSE(verifier.supports_suite(2));
  const auto want = default_signature_verifier().verify_block(2, jobs);
  const auto got = verifier.verify_block(2, jobs);
  EXPECT_EQ(got.first_failure, want.first_failure);
  EXPECT_EQ(got.checked, want.checked);
  EXPECT_EQ(verifier.stats().signatures_verified, 0U);
}

// ===== caches =====

TEST(CachingVerifier, SecondCallIsAnsweredFromTheCache) {
  std::mt19937_64 rng(3);
  const auto key = new_key();
  std::vector<OwnedJob> owned;
  for (int i = 0; i < 3; ++i) {
    owned.push_back(cases_for(key, key, rng)[0]);
  }
  const VerifyJob jobs[] = {owned[0].job(), owned[1].job(), owned[2].job()};
  const CachingSignatureVerifier verifier;
  EXPECT_EQ(verifier.verify_block(kSuite1, jobs).first_failure, 3U);
  auto stats = verifier.stats();
  EXPECT_EQ(stats.signature_cache_hits, 0U);
  EXPECT_EQ(stats.signature_cache_misses, 3U);
  EXPECT_EQ(stats.signature_cache_entries, 3U);
  EXPECT_EQ(stats.signatures_verified, 3U);
  EXPECT_EQ(stats.key_tables, 1U);
  EXPECT_EQ(stats.key_table_builds, 1U);
  EXPECT_EQ(stats.key_table_bytes, crypto::PrecomputedVerifier::table_bytes_for({}));
  EXPECT_GT(stats.signature_cache_bytes, 0U);
  EXPECT_EQ(verifier.verify_block(kSuite1, jobs).first_failure, 3U);
  stats = verifier.stats();
  EXPECT_EQ(stats.signature_cache_hits, 3U);
  EXPECT_EQ(stats.signatures_verified, 3U);
}

TEST(CachingVerifier, ABadSignatureIsCachedAsBad) {
  std::mt19937_64 rng(4);
  const auto cases = cases_for(new_key(), new_key(), rng);
  const VerifyJob jobs[] = {cases[1].job()};  // bit flipped in the signature
  const CachingSignatureVerifier verifier;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(verifier.verify_block(kSuite1, jobs).first_failure, 0U);
  }
  const auto stats = verifier.stats();
  EXPECT_EQ(stats.signatures_verified, 1U);
  EXPECT_EQ(stats.signature_cache_hits, 2U);
  EXPECT_EQ(stats.signature_cache_entries, 1U);
}

TEST(CachingVerifier, EachCandidateKeyHasItsOwnEntry) {
  std::mt19937_64 rng(5);
  const auto cases = cases_for(new_key(), new_key(), rng);
  const VerifyJob jobs[] = {cases[4].job()};  // {wrong, right}
  const CachingSignatureVerifier verifier;
  EXPECT_EQ(verifier.verify_block(kSuite1, jobs).first_failure, 1U);
  EXPECT_EQ(verifier.stats().signatures_verified, 2U);
  EXPECT_EQ(verifier.verify_block(kSuite1, jobs).first_failure, 1U);
  EXPECT_EQ(verifier.stats().signatures_verified, 2U);
  EXPECT_EQ(verifier.stats().signature_cache_hits, 2U);
}

TEST(CachingVerifier, OversizedSignaturesBypassTheCache) {
  std::mt19937_64 rng(6);
  const auto cases = cases_for(new_key(), new_key(), rng);
  const VerifyJob jobs[] = {cases.back().job()};
  ASSERT_GT(cases.back().signature.size(), kMaxCachedSignatureSize);
  const CachingSignatureVerifier verifier;
  EXPECT_EQ(verifier.verify_block(kSuite1, jobs).first_failure, 0U);
  EXPECT_EQ(verifier.verify_block(kSuite1, jobs).first_failure, 0U);
  const auto stats = verifier.stats();
  EXPECT_EQ(stats.signatures_verified, 2U);
  EXPECT_EQ(stats.signature_cache_entries, 0U);
}

// `count` blocks of one good signature each, by `keys` in turn (a new signature every time),
// each answered right; `after_each` checks what must hold between them.
void verify_in_turn(const CachingSignatureVerifier& verifier,
                    const std::vector<crypto::PrivateKey>& keys, int count, std::mt19937_64& rng,
                    const std::function<void()>& after_each) {
  for (int i = 0; i < count; ++i) {
    const auto& key = keys[static_cast<std::size_t>(i) % keys.size()];
    const auto cases = cases_for(key, key, rng);
    const VerifyJob jobs[] = {cases[0].job()};
    ASSERT_EQ(verifier.verify_block(kSuite1, jobs).first_failure, 1U) << i;
    after_each();
  }
}

TEST(CachingVerifier, EvictionKeepsTheCacheWithinItsBound) {
  CachingVerifierOptions options;
  options.signature_cache_entries = 16;
  options.max_key_tables = 2;
  const CachingSignatureVerifier verifier(options);
  std::mt19937_64 rng(7);
  verify_in_turn(verifier, {new_key(), new_key(), new_key()}, 60, rng, [&] {
    const auto stats = verifier.stats();
    ASSERT_LE(stats.signature_cache_entries, 16U);
    ASSERT_LE(stats.key_tables, 2U);
  });
  const auto stats = verifier.stats();
  EXPECT_EQ(stats.signatures_verified, 60U);
  EXPECT_EQ(stats.signature_cache_entries, 16U);
  EXPECT_EQ(stats.signature_cache_capacity, 16U);
  EXPECT_EQ(stats.signature_cache_evictions, 60U - 16U);
  // Three keys used in turn on two tables: some key was refused one (equal use never displaces
  // a table) or had its table evicted; a refused key is verified with a small table.
  EXPECT_GT(stats.key_table_evictions + stats.key_table_refused, 0U);
  if (stats.key_table_refused > 0) {
    EXPECT_GT(stats.small_key_table_builds, 0U);
  }
  EXPECT_EQ(stats.key_table_fallbacks, 0U);
}

// Without the small tier, a key without a large table is verified with OpenSSL.
TEST(CachingVerifier, NoSmallTablesMeansOpenSslForRefusedKeys) {
  CachingVerifierOptions options;
  options.max_key_tables = 1;
  options.max_small_key_tables = 0;
  const CachingSignatureVerifier verifier(options);
  std::mt19937_64 rng(9);
  verify_in_turn(verifier, {new_key(), new_key()}, 8, rng, [] {});
  const auto stats = verifier.stats();
  EXPECT_LE(stats.key_tables, 1U);
  EXPECT_EQ(stats.small_key_tables, 0U);
  EXPECT_EQ(stats.small_key_table_builds, 0U);
  EXPECT_GT(stats.key_table_fallbacks, 0U);
  EXPECT_EQ(stats.key_table_fallbacks, stats.key_table_refused);
}

TEST(CachingVerifier, OpenSslModeBuildsNoTables) {
  std::mt19937_64 rng(8);
  const auto cases = cases_for(new_key(), new_key(), rng);
  const VerifyJob jobs[] = {cases[0].job()};
  CachingVerifierOptions options;
  options.precompute = false;
  const CachingSignatureVerifier verifier(options);
  EXPECT_EQ(verifier.verify_block(kSuite1, jobs).first_failure, 1U);
  const auto stats = verifier.stats();
  EXPECT_EQ(stats.key_tables, 0U);
  EXPECT_EQ(stats.key_table_builds, 0U);
  EXPECT_EQ(stats.signatures_verified, 1U);
}

// ===== threads =====

// Four threads share one verifier with small caches (entries and tables are evicted while
// others use them) and verify blocks of good and bad jobs over the same and different keys;
// every outcome must be the default verifier's.
TEST(CachingVerifier, FourThreadsOnOneVerifierGetTheDefaultsOutcomes) {
  std::mt19937_64 rng(9);
  std::vector<crypto::PrivateKey> keys;
  for (int i = 0; i < 5; ++i) {
    keys.push_back(new_key());
  }
  std::vector<OwnedJob> owned;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    for (auto& c : cases_for(keys[i], keys[(i + 1) % keys.size()], rng)) {
      owned.push_back(std::move(c));
    }
  }
  std::vector<bool> good;
  for (const auto& c : owned) {
    good.push_back(default_says(c));
  }
  CachingVerifierOptions options;
  options.signature_cache_entries = 24;
  options.max_key_tables = 2;
  const CachingSignatureVerifier verifier(options);
  std::vector<std::size_t> wrong(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 pick(t);
      for (int round = 0; round < 150; ++round) {
        // Blocks of 1-3 jobs; thread t mostly uses key t's cases, sometimes anyone's.
        std::vector<VerifyJob> jobs;
        std::vector<std::size_t> picked;
        const std::size_t n = 1 + pick() % 3;
        for (std::size_t j = 0; j < n; ++j) {
          const std::size_t per_key = owned.size() / keys.size();
          const std::size_t index =
              pick() % 4 != 0 ? t * per_key + pick() % per_key : pick() % owned.size();
          jobs.push_back(owned[index].job());
          picked.push_back(index);
        }
        std::size_t first_failure = n;
        for (std::size_t j = 0; j < n; ++j) {
          if (!good[picked[j]]) {
            first_failure = j;
            break;
          }
        }
        const auto out = verifier.verify_block(kSuite1, jobs);
        const std::size_t checked = first_failure == n ? n : first_failure + 1;
        wrong[t] += out.first_failure != first_failure || out.checked != checked ? 1U : 0U;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (std::size_t t = 0; t < 4; ++t) {
    EXPECT_EQ(wrong[t], 0U) << "thread " << t;
  }
  const auto stats = verifier.stats();
  EXPECT_LE(stats.signature_cache_entries, 24U);
  EXPECT_LE(stats.key_tables, 2U);
  EXPECT_GT(stats.signature_cache_hits, 0U);
}

// ===== the Validator with the caching verifier =====

RouteContext route_for(const base::Prefix& p) {
  RouteContext r;
  r.prefix = p;
  return r;
}

PeerContext ebgp_peer(base::Asn own_as, base::Asn peer_as) {
  PeerContext p;
  p.own_as = own_as;
  p.peer_as = peer_as;
  return p;
}

void expect_same_validation(const rpki::RouterKeyLookup& keys, const wire::BgpsecPath& path,
                            const RouteContext& route, const PeerContext& peer,
                            const CachingSignatureVerifier& caching, const std::string& what) {
  const auto want = Validator(keys).validate(path, route, peer);
  for (int round = 0; round < 2; ++round) {
    const auto got = Validator(keys, caching).validate(path, route, peer);
    EXPECT_EQ(got.state, want.state) << what << ", round " << round;
    EXPECT_EQ(got.reason, want.reason) << what << ": " << reason_name(got.reason);
    EXPECT_EQ(got.failed_segment, want.failed_segment) << what;
    EXPECT_EQ(got.signatures_checked, want.signatures_checked) << what;
  }
}

TEST(CachingVerifierValidator, Rfc8608ExamplesValidateTheSame) {
  const auto keys = testing::example_keys();
  const CachingSignatureVerifier caching;
  for (std::size_t e = 0; e < 2; ++e) {
    const auto route = route_for(testing::example_prefix(e));
    const auto path = testing::example_path(e);
    const auto peer = ebgp_peer(testing::kAs65537, testing::kAs65536);
    EXPECT_EQ(Validator(keys, caching).validate(path, route, peer).state, PathState::Valid);
    expect_same_validation(keys, path, route, peer, caching, "example " + std::to_string(e));
    // RFC 8205 §5.2: the Target AS is signed; another receiver gets Not Valid.
    expect_same_validation(keys, path, route, ebgp_peer(base::Asn(65538), testing::kAs65536),
                           caching, "example for another AS");
    auto tampered = path;
    tampered.blocks[0].segments[1].signature.back() ^= 0x01;
    expect_same_validation(keys, tampered, route, peer, caching, "origin signature tampered");
  }
}

// A route signed by a chain of `hops` ASes for its receiver, and a key table with their keys.
struct SignedRoute {
  SignedRoute(std::size_t hops, const char* prefix_text)
      : chain(hops),
        prefix(base::Prefix::parse(prefix_text).value()),
        path(chain.sign(prefix)),
        route(route_for(prefix)),
        peer(ebgp_peer(chain.receiver(), chain.as_of(hops - 1))) {
    chain.register_keys(keys);
  }
  testing::SignedChain chain;
  testing::TestKeyTable keys;
  base::Prefix prefix;
  wire::BgpsecPath path;
  RouteContext route;
  PeerContext peer;
};

TEST(CachingVerifierValidator, SignedChainsValidateTheSameAndHitTheCache) {
  const SignedRoute r(3, "2001:db8:1::/48");
  const auto& [chain, keys, prefix, path, route, peer] = r;
  const CachingSignatureVerifier caching;

  const auto first = Validator(keys, caching).validate(path, route, peer);
  EXPECT_EQ(first.state, PathState::Valid);
  EXPECT_EQ(caching.stats().signatures_verified, 3U);
  const auto second = Validator(keys, caching).validate(path, route, peer);
  EXPECT_EQ(second.state, PathState::Valid);
  EXPECT_EQ(caching.stats().signatures_verified, 3U);
  EXPECT_EQ(caching.stats().signature_cache_hits, 3U);
  EXPECT_EQ(caching.stats().key_tables, 3U);

  expect_same_validation(keys, path, route, peer, caching, "3 hops");
  auto newest = path;
  newest.blocks[0].segments[0].signature.back() ^= 0x01;
  expect_same_validation(keys, newest, route, peer, caching, "newest signature tampered");
  auto pcount = path;
  pcount.secure_path[1].pcount = 2;
  expect_same_validation(keys, pcount, route, peer, caching, "pCount tampered");
  expect_same_validation(keys, path, route_for(base::Prefix::parse("2001:db8:2::/48").value()),
                         peer, caching, "other prefix");
  expect_same_validation(keys, path, route, ebgp_peer(base::Asn(64500), chain.as_of(2)), caching,
                         "other Target AS");

  // RFC 8205 §5.2: several keys under one (AS, SKI), only the second one verifies.
  testing::TestKeyTable decoys;
  for (std::size_t i = 0; i < 3; ++i) {
    decoys.add(chain.as_of(i), chain.signer(i).ski(), new_key().public_key());
  }
  expect_same_validation(decoys, path, route, peer, caching, "decoy keys only");
  chain.register_keys(decoys);
  expect_same_validation(decoys, path, route, peer, caching, "decoy keys, then the right ones");
  EXPECT_EQ(Validator(decoys, caching).validate(path, route, peer).state, PathState::Valid);
}

// collect_signatures gathers the jobs the validation will ask for, so that verify_batch leaves
// the validation nothing to verify, and a path whose gathered signatures all verify is settled
// with the validation's own result; nothing is gathered for a path with a missing key.
TEST(CachingVerifierValidator, CollectedSignaturesAreTheOnesTheValidationVerifies) {
  const SignedRoute r(4, "2001:db8:7::/48");
  const auto& [chain, keys, prefix, path, route, peer] = r;
  const CachingSignatureVerifier caching;
  PendingSignatures pending(kSuite1);
  const auto gathered =
      Validator(keys, caching).collect_signatures(path, prefix, route.safi, peer.own_as, pending);
  ASSERT_EQ(pending.jobs().size(), 4U);
  ASSERT_TRUE(gathered);
  EXPECT_EQ(gathered->first_job, 0U);
  EXPECT_EQ(gathered->jobs, 4U);
  EXPECT_EQ(gathered->signatures, 4U);
  EXPECT_EQ(default_signature_verifier().verify_block(kSuite1, pending.jobs()).first_failure, 4U);

  // Same ASes, other keys (so other SKIs): no key of the path is found.
  const testing::SignedChain strangers(4);
  testing::TestKeyTable wrong_keys;
  strangers.register_keys(wrong_keys);
  EXPECT_FALSE(Validator(wrong_keys, caching)
                   .collect_signatures(path, prefix, route.safi, peer.own_as, pending));
  EXPECT_EQ(pending.jobs().size(), 4U);  // the missing keys added nothing
  PendingSignatures other_suite(2);
  Validator(keys, caching).collect_signatures(path, prefix, route.safi, peer.own_as, other_suite);
  EXPECT_TRUE(other_suite.jobs().empty());
  // At most the newest max_per_path signatures of a path.
  PendingSignatures capped(kSuite1, 3);
  const auto capped_path =
      Validator(keys, caching).collect_signatures(path, prefix, route.safi, peer.own_as, capped);
  ASSERT_EQ(capped.jobs().size(), 3U);
  EXPECT_EQ(capped.jobs()[0].signature.data(), pending.jobs()[0].signature.data());
  ASSERT_TRUE(capped_path);
  EXPECT_EQ(capped_path->signatures, 4U);

  // Settled: only with every signature of the block gathered and verifying, and then exactly
  // the validation's result.
  const auto want = Validator(keys).validate(path, route, peer);
  ASSERT_EQ(want.state, PathState::Valid);
  std::array<bool, 4> all_valid{true, true, true, true};
  const auto settled = pending.settled(*gathered, all_valid);
  ASSERT_TRUE(settled);
  EXPECT_EQ(settled->state, want.state);
  EXPECT_EQ(settled->reason, want.reason);
  EXPECT_EQ(settled->block_suite, want.block_suite);
  EXPECT_EQ(settled->signatures_checked, want.signatures_checked);
  EXPECT_EQ(settled->failed_segment, want.failed_segment);
  EXPECT_FALSE(settled->action);
  for (std::size_t bad = 0; bad < 4; ++bad) {
    auto one_bad = all_valid;
    one_bad[bad] = false;
    EXPECT_FALSE(pending.settled(*gathered, one_bad)) << "signature " << bad << " bad";
  }
  EXPECT_FALSE(capped.settled(*capped_path, all_valid));  // the oldest one was never checked

  if (caching.verifies_batches()) {
    std::array<bool, 4> valid{};
    ASSERT_TRUE(caching.verify_batch(pending.suite(), pending.jobs(), valid));
    EXPECT_EQ(valid, all_valid);
    EXPECT_EQ(caching.stats().signatures_verified, 4U);
  }
  EXPECT_EQ(Validator(keys, caching).validate(path, route, peer).state, PathState::Valid);
  EXPECT_EQ(caching.stats().signatures_verified, 4U);
}

}  // namespace
}  // namespace bgpsecd::bgpsec
