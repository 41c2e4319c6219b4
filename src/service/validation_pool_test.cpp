// SPDX-License-Identifier: BSD-2-Clause
// The validation pool: results come back on the io_context for every job, right or wrong,
// with any number of workers (0 = inline), and a pool destroyed with work queued neither
// delivers nor crashes.
#include "service/validation_pool.hpp"

#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "bgpsec/caching_verifier.hpp"
#include "bgpsec/test_support.hpp"

namespace bgpsecd::service {
namespace {

using bgpsec::testing::SignedChain;
using bgpsec::testing::TestKeyTable;

struct Fixture {
  SignedChain chain{3};
  base::Prefix prefix = base::Prefix::parse("192.0.2.0/24").value();
  wire::BgpsecPath path = chain.sign(prefix);
  rpki::SnapshotPtr rpki;

  Fixture() {
    TestKeyTable keys;
    chain.register_keys(keys);
    auto snapshot = std::make_shared<rpki::Snapshot>();
    for (std::size_t i = 0; i < path.secure_path.size(); ++i) {
      std::vector<crypto::PublicKey> found;
      keys.find(path.secure_path[i].asn, path.blocks[0].segments[i].ski, found);
      for (const auto& key : found) {
        snapshot->router_keys.add(path.secure_path[i].asn, key);
      }
    }
    rpki = snapshot;
  }

  // Every `bad_every`-th job gets a flipped signature bit.
  ValidationPool::Job job(std::size_t i, std::size_t bad_every,
                          std::vector<bgpsec::PathState>& results) const {
    ValidationPool::Job j;
    auto copy = path;
    if (bad_every != 0 && i % bad_every == 0) {
      copy.blocks[0].segments[1].signature.back() ^= 0x01;
    }
    j.path = rib::StoredBgpsecPath::store(copy);
    j.prefix = prefix;
    j.own_as = chain.receiver();
    j.rpki = rpki;
    j.done = [&results, i](const bgpsec::PathValidation& v) { results[i] = v.state; };
    return j;
  }
};

void run_jobs(unsigned threads,
              const bgpsec::SignatureVerifier& verifier = bgpsec::default_signature_verifier()) {
  const Fixture f;
  asio::io_context io;
  ValidationPool pool(io, verifier, threads);
  EXPECT_EQ(pool.threads(), threads);
  constexpr std::size_t kJobs = 40;
  std::vector<bgpsec::PathState> results(kJobs, bgpsec::PathState::Unverifiable);
  for (std::size_t i = 0; i < kJobs; ++i) {
    pool.submit(f.job(i, 4, results));
  }
  EXPECT_EQ(pool.in_flight(), kJobs);  // every job counts until its result is delivered ...
  EXPECT_LE(pool.queued(), kJobs);     // ... the queued ones included
  // Workers post from their threads: keep io_context from running out of work (and stopping)
  // before the first result arrives.
  auto guard = asio::make_work_guard(io);
  while (pool.in_flight() > 0) {
    io.run_one();
  }
  guard.reset();
  EXPECT_EQ(pool.completed(), kJobs);
  for (std::size_t i = 0; i < kJobs; ++i) {
    // RFC 8205 §5.2: one bad signature makes the path Not Valid.
    EXPECT_EQ(results[i], i % 4 == 0 ? bgpsec::PathState::NotValid : bgpsec::PathState::Valid)
        << "job " << i;
  }
  EXPECT_GT(pool.signatures_checked(), kJobs);
}

TEST(ValidationPoolTest, InlineWhenNoThreads) { run_jobs(0); }
TEST(ValidationPoolTest, OneWorker) { run_jobs(1); }
TEST(ValidationPoolTest, SeveralWorkers) { run_jobs(3); }
// The daemon's verifier: with AVX-512 IFMA a worker has its whole batch's signatures verified
// at once (warm_up) before validating each route from the cache.
TEST(ValidationPoolTest, SeveralWorkersWithTheCachingVerifier) {
  const bgpsec::CachingSignatureVerifier verifier;
  run_jobs(2, verifier);
  run_jobs(0, verifier);
}

TEST(ValidationPoolTest, ResultsWaitForTheIoContext) {
  const Fixture f;
  asio::io_context io;
  ValidationPool pool(io, bgpsec::default_signature_verifier(), 0);
  std::vector<bgpsec::PathState> results(1, bgpsec::PathState::Unverifiable);
  pool.submit(f.job(0, 0, results));
  // Even inline, `done` runs from the io_context, never inside submit().
  EXPECT_EQ(results[0], bgpsec::PathState::Unverifiable);
  io.run();
  EXPECT_EQ(results[0], bgpsec::PathState::Valid);
}

TEST(ValidationPoolTest, DestroyedWithWorkQueuedDeliversNothing) {
  const Fixture f;
  asio::io_context io;
  std::vector<bgpsec::PathState> results(200, bgpsec::PathState::Unverifiable);
  {
    ValidationPool pool(io, bgpsec::default_signature_verifier(), 2);
    for (std::size_t i = 0; i < results.size(); ++i) {
      pool.submit(f.job(i, 0, results));
    }
  }
  io.run();  // batches posted before the pool went are dropped, not run
  for (const auto state : results) {
    EXPECT_EQ(state, bgpsec::PathState::Unverifiable);
  }
}

}  // namespace
}  // namespace bgpsecd::service
