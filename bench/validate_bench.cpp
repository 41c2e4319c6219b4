// SPDX-License-Identifier: BSD-2-Clause
// Whole-path costs through the bgpsec layer (RFC 8374 §9.4): validating BGPsec_PATHs of 1, 2,
// 4 (about today's mean) and 8 hops (structure checks, key lookups, signed-data building, one
// ECDSA verify per hop) and forwarding one (one signature). Items are signatures, so the rates
// compare directly with BM_Verify / BM_Sign and with `openssl speed ecdsap256` (bench/run).
// The Caching variants run the same paths through bgpsec::CachingSignatureVerifier,
// on one thread and on two sharing the verifier as the daemon's workers do.
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "base/prefix.hpp"
#include "bgpsec/caching_verifier.hpp"
#include "bgpsec/signer.hpp"
#include "bgpsec/validator.hpp"
#include "crypto/keys.hpp"
#include "rpki/router_key_table.hpp"
#include "wire/bgpsec_path.hpp"

namespace {

namespace bgpsec = bgpsecd::bgpsec;
namespace base = bgpsecd::base;
namespace crypto = bgpsecd::crypto;
namespace wire = bgpsecd::wire;

constexpr std::uint32_t kFirstAs = 65001;
constexpr std::uint32_t kReceiverAs = 65100;

base::Asn hop_as(std::size_t i) { return base::Asn(kFirstAs + static_cast<std::uint32_t>(i)); }

// `hops` ASes with their keys, and the path the last of them sends to kReceiverAs.
struct Lab {
  std::vector<std::unique_ptr<bgpsec::PrivateKeySigner>> signers;  // [0] = origin
  bgpsecd::rpki::RouterKeyTable keys;
  bgpsec::SignedPrefix route;
  wire::BgpsecPath path;

  std::size_t hops;

  explicit Lab(std::size_t n) : hops(n) {
    auto prefix = base::Prefix::parse("192.0.2.0/24");
    if (!prefix) {
      std::abort();
    }
    route.prefix = *prefix;
    for (std::size_t i = 0; i < hops; ++i) {
      auto key = crypto::PrivateKey::generate();
      if (!key) {
        std::abort();
      }
      keys.add(hop_as(i), key->public_key());
      signers.push_back(std::make_unique<bgpsec::PrivateKeySigner>(std::move(key).value()));
    }
    for (std::size_t i = 0; i < hops; ++i) {
      const bgpsec::SignatureProvider* providers[] = {signers[i].get()};
      const bgpsec::Hop hop{.own_as = hop_as(i),
                            .target_as = i + 1 < hops ? hop_as(i + 1) : base::Asn(kReceiverAs)};
      auto next = i == 0 ? bgpsec::originate(hop, route, providers)
                         : bgpsec::forward(path, hop, route, providers);
      if (!next) {
        std::abort();
      }
      path = std::move(next).value();
    }
  }
};

// Labs are built once per path length and variant (key generation and signing stay out of the
// timings). Locked: the threaded benchmarks ask for their lab from several threads at once.
// A variant has keys and signatures of its own: threads that use different variants validate
// different paths, as the daemon's workers do.
const Lab& lab(std::size_t hops, int variant = 0) {
  static std::mutex mutex;
  const std::lock_guard lock(mutex);
  static std::map<std::pair<std::size_t, int>, std::unique_ptr<Lab>> labs;
  auto& l = labs[{hops, variant}];
  if (!l) {
    l = std::make_unique<Lab>(hops);
  }
  return *l;
}

void BM_ValidatePath(benchmark::State& state) {
  const auto& l = lab(static_cast<std::size_t>(state.range(0)));
  const bgpsec::Validator validator(l.keys);
  bgpsec::RouteContext route;
  route.prefix = l.route.prefix;
  bgpsec::PeerContext peer;
  peer.own_as = base::Asn(kReceiverAs);
  peer.peer_as = hop_as(l.hops - 1);
  for (auto _ : state) {
    const auto result = validator.validate(l.path, route, peer);
    if (result.state != bgpsec::PathState::Valid) {
      state.SkipWithError("the lab path does not validate");
      return;
    }
    benchmark::DoNotOptimize(result);
  }
  // Items are signatures; paths per second = items / hops.
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(l.hops));
  state.counters["paths_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ValidatePath)->ArgName("hops")->Arg(1)->Arg(2)->Arg(4)->Arg(8)->UseRealTime();

// The lab path through the validator with `verifier`, once before the timings (building the
// keys' tables, filling the cache where it is on) and then timed. Each thread has a path of
// its own (lab variant = thread index): with one shared path every thread would hit the same
// cache set and key table under the same lock, which no real table does.
void validate_with(benchmark::State& state, const bgpsec::SignatureVerifier& verifier) {
  const auto& l = lab(static_cast<std::size_t>(state.range(0)), state.thread_index());
  const bgpsec::Validator validator(l.keys, verifier);
  bgpsec::RouteContext route;
  route.prefix = l.route.prefix;
  bgpsec::PeerContext peer;
  peer.own_as = base::Asn(kReceiverAs);
  peer.peer_as = hop_as(l.hops - 1);
  if (validator.validate(l.path, route, peer).state != bgpsec::PathState::Valid) {
    state.SkipWithError("the lab path does not validate");
    return;
  }
  for (auto _ : state) {
    const auto result = validator.validate(l.path, route, peer);
    benchmark::DoNotOptimize(result);
  }
  // Items are signatures, summed over the threads (real time: the aggregate rate); paths per
  // second = items / hops.
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(l.hops));
}

// Cold: the signature cache off and the keys' tables built, so every signature costs one
// PrecomputedVerifier::verify: a path no peer has sent before, from ASes whose keys are hot.
void BM_ValidatePathCachingCold(benchmark::State& state) {
  static const bgpsec::CachingSignatureVerifier verifier(
      bgpsec::CachingVerifierOptions{.signature_cache_entries = 0});
  validate_with(state, verifier);
}
BENCHMARK(BM_ValidatePathCachingCold)
    ->ArgName("hops")
    ->Arg(1)
    ->Arg(4)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

// Warm: every signature answered by the cache: the same path from a second peer.
void BM_ValidatePathCachingWarm(benchmark::State& state) {
  static const bgpsec::CachingSignatureVerifier verifier;
  validate_with(state, verifier);
}
BENCHMARK(BM_ValidatePathCachingWarm)
    ->ArgName("hops")
    ->Arg(1)
    ->Arg(4)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

// The cheap checks alone (RFC 8374 §8.1: before any crypto).
void BM_CheckPathNoCrypto(benchmark::State& state) {
  const auto& l = lab(4);
  bgpsec::RouteContext route;
  route.prefix = l.route.prefix;
  bgpsec::PeerContext peer;
  peer.own_as = base::Asn(kReceiverAs);
  peer.peer_as = hop_as(l.hops - 1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(bgpsec::check_path(l.path, route, peer));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckPathNoCrypto);

// What a transit router does per route and peer AS: add its segment and one signature.
void BM_ForwardOneSignature(benchmark::State& state) {
  const auto& l = lab(4);
  const auto* signer = l.signers.front().get();
  const bgpsec::SignatureProvider* providers[] = {signer};
  const bgpsec::Hop hop{.own_as = base::Asn(kReceiverAs), .target_as = base::Asn(kReceiverAs + 1)};
  for (auto _ : state) {
    auto next = bgpsec::forward(l.path, hop, l.route, providers);
    if (!next) {
      state.SkipWithError("forward failed");
      return;
    }
    benchmark::DoNotOptimize(next);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ForwardOneSignature)->UseRealTime();

}  // namespace
