// SPDX-License-Identifier: BSD-2-Clause
// Resident memory of a default-sized SignatureCache holding N entries: the cache's share of
// bgpsecd's RSS, measured as the growth of this process's VmRSS while the cache fills. Entry
// keys are random, as the cache's keyed hashes are. The time is that of N inserts.
#include <cstdint>
#include <fstream>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include "bgpsec/signature_cache.hpp"

namespace {

namespace bgpsec = bgpsecd::bgpsec;

// VmRSS of this process in octets, or 0 when /proc cannot be read.
double resident_octets() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return 1024.0 * std::stod(line.substr(6));  // reported in kB
    }
  }
  return 0;
}

void BM_SignatureCacheResident(benchmark::State& state) {
  const auto entries = static_cast<std::size_t>(state.range(0));
  double resident = 0;
  double reported = 0;
  for (auto _ : state) {
    const double before = resident_octets();
    bgpsec::SignatureCache cache;
    std::mt19937_64 rng(1);
    for (std::size_t n = 0; n < entries; ++n) {
      bgpsec::SignatureCacheKey key;
      for (auto& octet : key) {
        octet = static_cast<std::uint8_t>(rng());
      }
      cache.insert(key, (n & 1) != 0);
    }
    resident = resident_octets() - before;
    reported = static_cast<double>(cache.stats().bytes);
  }
  state.counters["resident_MiB"] = resident / (1024.0 * 1024.0);
  state.counters["resident_bytes_per_entry"] = resident / static_cast<double>(entries);
  state.counters["stats_bytes_per_entry"] = reported / static_cast<double>(entries);
}
BENCHMARK(BM_SignatureCacheResident)
    ->ArgName("entries")
    ->Arg(100000)
    ->Arg(800000)
    ->Arg(5100000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
