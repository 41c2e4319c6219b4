// SPDX-License-Identifier: BSD-2-Clause
// Worker threads for signature validation: a locked queue of jobs, batches taken per wake-up,
// one post to the io_context per batch (RFC 8374 §9.4: thousands of routes a second must not
// cost thousands of wake-ups of the I/O thread).
#include "service/validation_pool.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace bgpsecd::service {

namespace {
// Jobs one worker takes at a time: large enough that a full-table burst costs few posts, small
// enough that results trickle back while the burst lasts (a job is 1-10 signatures).
constexpr std::size_t kMaxBatch = 64;

// How much lower than the I/O thread the workers run (nice levels). Verification is
// throughput work; the I/O thread's keepalives, session events and control answers are what
// must not wait behind a full table's signatures when the workers fill every core (RFC 4271
// §10: a late KEEPALIVE costs a session). Measured with bench/fulltable's `show neighbors`
// probe and idle peer.
constexpr int kWorkerNiceness = 5;

// Names the calling worker thread (top, perf, gdb) and lowers its priority. Linux applies
// `nice` per thread, and raising it needs no privilege; a failure leaves the default.
void become_worker() {
  static_cast<void>(::pthread_setname_np(::pthread_self(), "bgpsec-verify"));
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  static_cast<void>(
      ::setpriority(PRIO_PROCESS, tid, ::getpriority(PRIO_PROCESS, tid) + kWorkerNiceness));
}
}  // namespace

ValidationPool::ValidationPool(asio::io_context& io, const bgpsec::SignatureVerifier& verifier,
                               unsigned threads)
    : io_(io),
      verifier_(verifier),
      threads_(threads),
      alive_(std::make_shared<ValidationPool*>(this)) {
  workers_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) {
    workers_.emplace_back([this] { work(); });
  }
}

ValidationPool::~ValidationPool() {
  {
    const std::scoped_lock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) {
    worker.join();
  }
}

void ValidationPool::submit(Job job) {
  ++in_flight_;
  if (threads_ == 0) {
    std::vector<Result> results;
    const wire::BgpsecPath path = job.path.decode();
    results.push_back(run(job, path));
    deliver(std::move(results));
    return;
  }
  {
    const std::scoped_lock lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

std::size_t ValidationPool::queued() const {
  const std::scoped_lock lock(mutex_);
  return queue_.size();
}

ValidationPool::Result ValidationPool::run(Job& job, const wire::BgpsecPath& path) {
  // The snapshot's key table is immutable (rpki_store.hpp), so reading it here is safe while
  // the I/O thread publishes newer ones.
  const bgpsec::Validator validator(job.rpki->router_keys, verifier_);
  return finish(job, validator.verify_signatures(path, job.prefix, job.safi, job.own_as));
}

ValidationPool::Result ValidationPool::finish(Job& job, const bgpsec::PathValidation& validation) {
  signatures_checked_.fetch_add(validation.signatures_checked, std::memory_order_relaxed);
  return Result{std::move(job.done), validation};
}

void ValidationPool::settle_together(std::span<const Job> batch,
                                     std::span<const wire::BgpsecPath> paths,
                                     std::span<std::optional<bgpsec::PathValidation>> settled) {
  // The whole batch's signatures in one go (the multi-buffer engine verifies eight at once, from
  // different routes as readily as from one). A route whose signatures all verify is settled
  // here; the others are validated one by one and find the batch's outcomes in the signature
  // cache.
  bgpsec::PendingSignatures pending(wire::kAlgorithmSuite1);
  std::vector<std::optional<bgpsec::PendingSignatures::Gathered>> gathered(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Job& job = batch[i];
    gathered[i] = bgpsec::Validator(job.rpki->router_keys, verifier_)
                      .collect_signatures(paths[i], job.prefix, job.safi, job.own_as, pending);
  }
  if (pending.jobs().empty()) {
    return;
  }
  const auto valid = std::make_unique<bool[]>(pending.jobs().size());
  const std::span<bool> job_valid(valid.get(), pending.jobs().size());
  if (!verifier_.verify_batch(pending.suite(), pending.jobs(), job_valid)) {
    return;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (gathered[i]) {
      settled[i] = pending.settled(*gathered[i], job_valid);
    }
  }
}

void ValidationPool::work() {
  become_worker();
  std::vector<Job> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        return;
      }
      // Share a burst between the workers instead of one taking it all.
      const std::size_t share = std::max<std::size_t>(1, queue_.size() / threads_);
      const std::size_t take = std::min({kMaxBatch, share, queue_.size()});
      for (std::size_t i = 0; i < take; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<wire::BgpsecPath> paths;
    paths.reserve(batch.size());
    for (const auto& job : batch) {
      paths.push_back(job.path.decode());
    }
    std::vector<std::optional<bgpsec::PathValidation>> settled(batch.size());
    if (batch.size() > 1 && verifier_.verifies_batches()) {
      settle_together(batch, paths, settled);
    }
    std::vector<Result> results;
    results.reserve(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (settled[i]) {
        results.push_back(finish(batch[i], *settled[i]));
      } else {
        results.push_back(run(batch[i], paths[i]));
      }
    }
    batch.clear();
    deliver(std::move(results));
  }
}

void ValidationPool::deliver(std::vector<Result> results) {
  asio::post(io_, [alive = std::weak_ptr<ValidationPool*>(alive_),
                   results = std::move(results)]() mutable {
    const auto pool = alive.lock();
    if (!pool) {
      return;  // the pool (and whoever submitted) is gone
    }
    for (auto& r : results) {
      --(*pool)->in_flight_;
      ++(*pool)->completed_;
      r.done(r.validation);
    }
  });
}

}  // namespace bgpsecd::service
