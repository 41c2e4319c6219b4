// SPDX-License-Identifier: BSD-2-Clause
// The fast P-256 verifier (crypto/fast_verify.hpp) next to OpenSSL's (PublicKey::verify) in the
// same run: one core on a precomputed key for several table shapes, many keys (tables out of
// cache), multi-buffer batches (AVX-512 IFMA), the per-key table build, and one key shared by
// all cores. Signatures rotate through
// a ring of 256 so that branch predictors do not learn one scalar. bench/run prints the ratios
// to `openssl speed ecdsap256`.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

#include "crypto/digest.hpp"
#include "crypto/fast_verify.hpp"
#include "crypto/keys.hpp"
#include "crypto/p256/ifma.hpp"

namespace {

namespace crypto = bgpsecd::crypto;
namespace p256 = bgpsecd::crypto::p256;

struct Signed {
  crypto::Sha256Digest digest{};
  bgpsecd::base::Bytes der;
};

struct KeyRing {
  crypto::PublicKey key;
  std::vector<Signed> sigs;
};

// A fresh key with `count` signatures over distinct digests.
KeyRing make_ring(std::size_t count) {
  auto priv = crypto::PrivateKey::generate();
  if (!priv) {
    std::abort();
  }
  KeyRing ring{priv->public_key(), {}};
  for (std::size_t i = 0; i < count; ++i) {
    Signed s;
    const std::uint64_t v = i * 0x9E3779B97F4A7C15ULL;
    s.digest = crypto::sha256(std::span(reinterpret_cast<const std::uint8_t*>(&v), sizeof v));
    auto der = priv->sign(s.digest);
    if (!der) {
      std::abort();
    }
    s.der = *der;
    ring.sigs.push_back(std::move(s));
  }
  return ring;
}

const KeyRing& ring() {
  static const KeyRing r = make_ring(256);
  return r;
}

crypto::TableShape shape_of(const benchmark::State& state) {
  return {static_cast<unsigned>(state.range(0)), static_cast<unsigned>(state.range(1))};
}

void BM_P256OpenSslVerify(benchmark::State& state) {
  const auto& r = ring();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& s = r.sigs[i++ % r.sigs.size()];
    benchmark::DoNotOptimize(r.key.verify(s.digest, s.der));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_P256OpenSslVerify);

// Args: window bits, spacing. The first is the default shape.
void BM_P256FastVerify(benchmark::State& state) {
  const auto& r = ring();
  const auto v = crypto::PrecomputedVerifier::from_key(r.key, shape_of(state));
  if (!v || !v->verify(r.sigs[0].digest, r.sigs[0].der)) {
    state.SkipWithError("cannot build or verify");
    return;
  }
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& s = r.sigs[i++ % r.sigs.size()];
    benchmark::DoNotOptimize(v->verify(s.digest, s.der));
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["table_bytes"] = static_cast<double>(v->table_bytes());
}
BENCHMARK(BM_P256FastVerify)
    ->Args({5, 2})
    ->Args({4, 4})
    ->Args({5, 1})
    ->Args({6, 1})
    ->Args({6, 2})
    ->Args({7, 1})
    ->Args({8, 1})
    ->Args({4, 16});

// One signature by each of 2000 keys: visited in turn, the tables no longer fit the caches, as
// with a full RPKI key set.
struct KeyedSignature {
  crypto::PrecomputedVerifier v;
  Signed s;
};

const std::vector<KeyedSignature>& many_keys() {
  static const std::vector<KeyedSignature> entries = [] {
    std::vector<KeyedSignature> out;
    for (int k = 0; k < 2000; ++k) {
      const auto r = make_ring(1);
      auto v = crypto::PrecomputedVerifier::from_key(r.key);
      if (!v) {
        std::abort();
      }
      out.push_back({*v, r.sigs[0]});
    }
    return out;
  }();
  return entries;
}

void BM_P256FastVerifyManyKeys(benchmark::State& state) {
  const auto& entries = many_keys();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& e = entries[i++ % entries.size()];
    benchmark::DoNotOptimize(e.v.verify(e.s.digest, e.s.der));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_P256FastVerifyManyKeys);

// verify_batch over the 2000 keys' signatures, `batch` at a time (each lane its own key and
// digest, tables out of cache): eight lanes per pass with AVX-512 IFMA where the CPU has it.
// Args: batch size, IFMA (1: where the CPU has it; 0: one by one, for comparison).
void BM_P256BatchVerify(benchmark::State& state) {
  const auto& entries = many_keys();
  const auto batch = static_cast<std::size_t>(state.range(0));
  std::vector<crypto::VerifyRequest> requests;
  for (const auto& e : entries) {
    requests.push_back({&e.v, &e.s.digest, e.s.der});
  }
  const bool was = p256::ifma_enabled();
  p256::use_ifma_for_test(state.range(1) != 0);
  std::unique_ptr<bool[]> results(new bool[batch]);
  std::size_t at = 0;
  for (auto _ : state) {
    if (at + batch > requests.size()) {
      at = 0;
    }
    crypto::PrecomputedVerifier::verify_batch(std::span(requests).subspan(at, batch),
                                              std::span(results.get(), batch));
    benchmark::DoNotOptimize(results[0]);
    at += batch;
  }
  if (!results[0]) {
    state.SkipWithError("a valid signature did not verify");
  }
  state.counters["ifma"] = p256::ifma_enabled() ? 1 : 0;
  p256::use_ifma_for_test(was);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
}
BENCHMARK(BM_P256BatchVerify)->Args({8, 1})->Args({64, 1})->Args({64, 0});

// The per-key cost of a table (not a verification; no "Verify" in the name for bench/run).
void BM_P256TableBuild(benchmark::State& state) {
  const auto& r = ring();
  for (auto _ : state) {
    auto v = crypto::PrecomputedVerifier::from_key(r.key, shape_of(state));
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["table_bytes"] =
      static_cast<double>(crypto::PrecomputedVerifier::table_bytes_for(shape_of(state)));
}
BENCHMARK(BM_P256TableBuild)->Args({5, 2})->Args({4, 4})->Args({6, 1})->Args({8, 1});

// A key without a kept table (what the key-table cache does for keys it does not keep): a small
// table built for the one signature, then the verification. Args: window bits, spacing.
void BM_P256VerifyOneShot(benchmark::State& state) {
  const auto& r = ring();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& s = r.sigs[i++ % r.sigs.size()];
    const auto v = crypto::PrecomputedVerifier::from_key(r.key, shape_of(state));
    benchmark::DoNotOptimize(v && v->verify(s.digest, s.der));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_P256VerifyOneShot)->Args({3, 16})->Args({4, 16});

// One key shared by every core (real time: items/s is the aggregate rate).
void BM_P256FastVerifySharedKey(benchmark::State& state) {
  const auto& r = ring();
  static const auto v = crypto::PrecomputedVerifier::from_key(r.key);
  if (!v) {
    state.SkipWithError("cannot build");
    return;
  }
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 17;
  for (auto _ : state) {
    const auto& s = r.sigs[i++ % r.sigs.size()];
    benchmark::DoNotOptimize(v->verify(s.digest, s.der));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_P256FastVerifySharedKey)
    ->ThreadRange(1, static_cast<int>(std::max(1U, std::thread::hardware_concurrency())))
    ->UseRealTime();

}  // namespace
