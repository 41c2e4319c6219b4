// SPDX-License-Identifier: BSD-2-Clause
// Stored BGPsec paths (src/rib/stored_bgpsec_path.*): what the I/O thread pays per received
// route to store its path (store(): one head and a node per hop), what a validation worker
// pays to get it back (decode()), and what dropping the last copy costs, for 100 000 paths of
// four suite-1 hops with distinct signatures (a table's first peer: nothing shared). Counter
// stored_bytes_per_hop: StoredBgpsecPath::usage's octets per hop (heads and nodes as sized,
// without malloc's 8-octet header and rounding to 16, which the pooled nodes do not pay). No
// timing or size assertions anywhere.
#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "crypto/p256/signature_der.hpp"
#include "rib/stored_bgpsec_path.hpp"

namespace {

using namespace bgpsecd;  // NOLINT(google-build-using-namespace): bench brevity

constexpr std::size_t kPaths = 100'000;
constexpr std::size_t kHops = 4;

// Strict DER of random r and s (what compact_from_der keeps as r ‖ s).
base::Bytes random_der(std::mt19937_64& random) {
  crypto::p256::CompactSignature rs{};
  for (auto& octet : rs) {
    octet = static_cast<std::uint8_t>(random());
  }
  rs[0] = static_cast<std::uint8_t>(0x10 + rs[0] % 0x60);    // r below n
  rs[32] = static_cast<std::uint8_t>(0x10 + rs[32] % 0x60);  // s below n
  std::array<std::uint8_t, crypto::p256::kMaxDerSignatureSize> der{};
  const std::size_t length = crypto::p256::der_from_compact(rs, der);
  return base::Bytes(der.begin(), der.begin() + static_cast<std::ptrdiff_t>(length));
}

std::vector<wire::BgpsecPath> make_paths() {
  std::mt19937_64 random(1);
  std::vector<wire::BgpsecPath> paths(kPaths);
  for (std::size_t i = 0; i < kPaths; ++i) {
    auto& path = paths[i];
    path.blocks.resize(1);
    path.blocks[0].suite = 1;
    for (std::size_t hop = 0; hop < kHops; ++hop) {
      path.secure_path.push_back(
          wire::SecurePathSegment{1, 0, base::Asn(static_cast<std::uint32_t>(65000 + hop))});
      std::array<std::uint8_t, base::Ski::kSize> ski{};
      ski[0] = static_cast<std::uint8_t>(hop + i % 64);  // 64 x 4 router keys
      path.blocks[0].segments.push_back(wire::SignatureSegment{base::Ski(ski), random_der(random)});
    }
  }
  return paths;
}

void BM_StoredPathStoreDecodeDrop(benchmark::State& state) {
  const auto paths = make_paths();
  const auto phase = state.range(0);  // 0: store, 1: decode, 2: drop
  double bytes_per_hop = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<rib::StoredBgpsecPath> stored;
    stored.reserve(kPaths);
    const auto before = rib::StoredBgpsecPath::usage();
    if (phase != 0) {
      for (const auto& path : paths) {
        stored.push_back(rib::StoredBgpsecPath::store(path));
      }
    }
    state.ResumeTiming();
    if (phase == 0) {
      for (const auto& path : paths) {
        stored.push_back(rib::StoredBgpsecPath::store(path));
      }
    } else if (phase == 1) {
      for (const auto& s : stored) {
        benchmark::DoNotOptimize(s.decode());
      }
    }
    state.PauseTiming();
    bytes_per_hop =
        static_cast<double>(rib::StoredBgpsecPath::usage().bytes - before.bytes) / (kPaths * kHops);
    state.ResumeTiming();
    if (phase == 2) {
      stored.clear();
    } else {
      state.PauseTiming();
      stored.clear();
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kPaths));
  state.counters["stored_bytes_per_hop"] = bytes_per_hop;
}
BENCHMARK(BM_StoredPathStoreDecodeDrop)
    ->ArgName("phase")
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond);

}  // namespace
