// SPDX-License-Identifier: BSD-2-Clause
// RFC 8205 §5.2 signature checks on worker threads, so that a full-table burst never delays
// keepalives, other peers or the control API (RFC 8374 §9.4: the crypto is
// what costs). The I/O thread does the cheap checks itself, then submits the route's stored path
// with the RPKI snapshot it saw; a worker runs Validator::verify_signatures through the shared
// SignatureVerifier; the result goes back to the io_context in batches, where the job's `done`
// runs. Results of different workers arrive in no particular order: callers match them to
// what they asked for (the speaker keeps a token per route).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include <asio.hpp>

#include "base/asn.hpp"
#include "base/prefix.hpp"
#include "bgpsec/signature_verifier.hpp"
#include "bgpsec/validator.hpp"
#include "rib/stored_bgpsec_path.hpp"
#include "rpki/rpki_store.hpp"
#include "wire/bgpsec_path.hpp"

namespace bgpsecd::service {

class ValidationPool {
 public:
  struct Job {
    // The route's stored path, shared: immutable and atomically counted (unlike the RIB's
    // interned attribute handles, which never leave the I/O thread: the attribute store is
    // single-threaded and a handle's release touches it); the worker decodes it. Never empty.
    rib::StoredBgpsecPath path;
    base::Prefix prefix;
    std::uint8_t safi = base::kSafiUnicast;
    base::Asn own_as;        // Target AS of the newest signature (our AS as the peer sees it)
    rpki::SnapshotPtr rpki;  // the router keys as of submission; never null
    std::function<void(const bgpsec::PathValidation&)> done;  // runs on the io_context
  };

  // `threads` workers; 0 runs verification inside submit() on the caller's thread (then `done`
  // still runs later from the io_context, so callers see one behaviour). `verifier` must be
  // callable from several threads at once and outlive the pool.
  ValidationPool(asio::io_context& io, const bgpsec::SignatureVerifier& verifier, unsigned threads);
  ValidationPool(const ValidationPool&) = delete;
  ValidationPool& operator=(const ValidationPool&) = delete;
  ValidationPool(ValidationPool&&) = delete;
  ValidationPool& operator=(ValidationPool&&) = delete;
  // Stops and joins the workers; jobs not yet delivered are dropped (their `done` never runs).
  ~ValidationPool();

  // From the io_context's thread only.
  void submit(Job job);

  // Submitted and not yet delivered (read on the io_context's thread).
  [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_; }
  [[nodiscard]] std::uint64_t completed() const noexcept { return completed_; }
  // Signatures whose verification was attempted (cache hits included).
  [[nodiscard]] std::uint64_t signatures_checked() const noexcept {
    return signatures_checked_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] std::size_t queued() const;  // waiting for a worker
  [[nodiscard]] unsigned threads() const noexcept { return threads_; }

 private:
  struct Result {
    std::function<void(const bgpsec::PathValidation&)> done;
    bgpsec::PathValidation validation;
  };
  void work();
  // `path` is job.path decoded.
  [[nodiscard]] Result run(Job& job, const wire::BgpsecPath& path);
  // The job's result, counted in signatures_checked_ (whether run() or a batch settled it).
  [[nodiscard]] Result finish(Job& job, const bgpsec::PathValidation& validation);
  // settled[i]: the result of batch[i] when one verify_batch over the whole batch's signatures
  // settles it (all of them verify); nullopt for the routes left to run().
  void settle_together(std::span<const Job> batch, std::span<const wire::BgpsecPath> paths,
                       std::span<std::optional<bgpsec::PathValidation>> settled);
  void deliver(std::vector<Result> results);

  asio::io_context& io_;
  const bgpsec::SignatureVerifier& verifier_;
  const unsigned threads_;  // workers_.size(), readable by workers while workers_ fills
  // Posted deliveries hold a weak reference: once the pool is gone they do nothing.
  std::shared_ptr<ValidationPool*> alive_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::size_t in_flight_ = 0;
  std::uint64_t completed_ = 0;
  std::atomic<std::uint64_t> signatures_checked_{0};
  std::vector<std::thread> workers_;
};

}  // namespace bgpsecd::service
