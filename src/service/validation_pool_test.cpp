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
  [[nodiscard]] wire::BgpsecPath path_of(std::size_t i, std::size_t bad_every) const {
    auto copy = path;
    if (bad_every != 0 && i % bad_every == 0) {
      copy.blocks[0].segments[1].signature.back() ^= 0x01;
    }
    return copy;
  }

  ValidationPool::Job job(std::size_t i, std::size_t bad_every,
                          std::vector<bgpsec::PathValidation>& results) const {
    ValidationPool::Job j;
    j.path = rib::StoredBgpsecPath::store(path_of(i, bad_every));
    j.prefix = prefix;
    j.own_as = chain.receiver();
    j.rpki = rpki;
    j.done = [&results, i](const bgpsec::PathValidation& v) { results[i] = v; };
    return j;
  }
};

// What a job's slot holds until its result arrives (no validation returns it for these jobs).
bgpsec::PathValidation not_delivered() {
  bgpsec::PathValidation v;
  v.state = bgpsec::PathState::Unverifiable;
  return v;
}

void run_jobs(unsigned threads,
              const bgpsec::SignatureVerifier& verifier = bgpsec::default_signature_verifier()) {
  const Fixture f;
  asio::io_context io;
  ValidationPool pool(io, verifier, threads);
  EXPECT_EQ(pool.threads(), threads);
  constexpr std::size_t kJobs = 40;
  std::vector<bgpsec::PathValidation> results(kJobs, not_delivered());
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
  std::size_t signatures_checked = 0;
  for (std::size_t i = 0; i < kJobs; ++i) {
    // RFC 8205 §5.2: one bad signature makes the path Not Valid.
    EXPECT_EQ(results[i].state, i % 4 == 0 ? bgpsec::PathState::NotValid : bgpsec::PathState::Valid)
        << "job " << i;
    // Whether a worker settled the route with its batch or validated it on its own, the result
    // is the route's own validation's, down to the statistics.
    const auto want =
        bgpsec::Validator(f.rpki->router_keys)
            .verify_signatures(f.path_of(i, 4), f.prefix, base::kSafiUnicast, f.chain.receiver());
    EXPECT_EQ(results[i].reason, want.reason) << "job " << i;
    EXPECT_EQ(results[i].failed_segment, want.failed_segment) << "job " << i;
    EXPECT_EQ(results[i].block_suite, want.block_suite) << "job " << i;
    EXPECT_EQ(results[i].signatures_checked, want.signatures_checked) << "job " << i;
    signatures_checked += want.signatures_checked;
  }
  EXPECT_EQ(pool.signatures_checked(), signatures_checked);
}

TEST(ValidationPoolTest, InlineWhenNoThreads) { run_jobs(0); }
TEST(ValidationPoolTest, OneWorker) { run_jobs(1); }
TEST(ValidationPoolTest, SeveralWorkers) { run_jobs(3); }
// The daemon's verifier: with AVX-512 IFMA a worker has its whole batch's signatures verified
// at once (verify_batch), settles the routes whose signatures all verify and validates the
// others from the cache.
TEST(ValidationPoolTest, SeveralWorkersWithTheCachingVerifier) {
  const bgpsec::CachingSignatureVerifier verifier;
  run_jobs(2, verifier);
  run_jobs(0, verifier);
}

TEST(ValidationPoolTest, ResultsWaitForTheIoContext) {
  const Fixture f;
  asio::io_context io;
  ValidationPool pool(io, bgpsec::default_signature_verifier(), 0);
  std::vector<bgpsec::PathValidation> results(1, not_delivered());
  pool.submit(f.job(0, 0, results));
  // Even inline, `done` runs from the io_context, never inside submit().
  EXPECT_EQ(results[0].state, bgpsec::PathState::Unverifiable);
  io.run();
  EXPECT_EQ(results[0].state, bgpsec::PathState::Valid);
}

TEST(ValidationPoolTest, DestroyedWithWorkQueuedDeliversNothing) {
  const Fixture f;
  asio::io_context io;
  std::vector<bgpsec::PathValidation> results(200, not_delivered());
  {
    ValidationPool pool(io, bgpsec::default_signature_verifier(), 2);
    for (std::size_t i = 0; i < results.size(); ++i) {
      pool.submit(f.job(i, 0, results));
    }
  }
  io.run();  // batches posted before the pool went are dropped, not run
  for (const auto& r : results) {
    EXPECT_EQ(r.state, bgpsec::PathState::Unverifiable);
  }
}

}  // namespace
}  // namespace bgpsecd::service
