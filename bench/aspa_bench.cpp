// SPDX-License-Identifier: BSD-2-Clause
// ASPA path verification (docs/aspa.md) at full scale: an AspaTable of 100 k customer ASes with
// 1-4 providers each, its memory per customer, and verifications per second, upstream and
// downstream, of realistic AS_PATHs of 1-10 distinct ASes with prepends. The table is a
// three-tier hierarchy (20 tier-1 ASes with no providers, 2 000 tier-2 below them, the rest
// customers of tier 2), so most synthetic paths are valley-free; one path in five has an AS
// without ASPA and one in ten a leak, so all three verdicts are exercised.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "aspa/aspa_table.hpp"
#include "aspa/verify.hpp"
#include "wire/as_path.hpp"

namespace {

namespace aspa = bgpsecd::aspa;
namespace base = bgpsecd::base;
namespace wire = bgpsecd::wire;

constexpr std::uint32_t kCustomers = 100'000;
constexpr std::uint32_t kTier1 = 20;
constexpr std::uint32_t kTier2 = 2'000;
constexpr std::size_t kPaths = 8'192;

struct World {
  std::vector<aspa::AspaRecord> records;
  // providers[i] of AS (i + 1), for walking paths upwards.
  std::vector<std::vector<std::uint32_t>> providers;
};

// ASes 1..20 are tier 1, 21..2020 tier 2, the rest stubs; every AS has a record.
const World& world() {
  static const World w = [] {
    World out;
    std::mt19937_64 rng(100000);
    out.providers.resize(kCustomers);
    out.records.reserve(kCustomers);
    for (std::uint32_t as = 1; as <= kCustomers; ++as) {
      std::vector<std::uint32_t> set;
      if (as > kTier1) {
        const auto count = 1 + rng() % 4;
        const bool tier2 = as <= kTier1 + kTier2;
        while (set.size() < count) {
          const auto p = tier2 ? static_cast<std::uint32_t>(1 + rng() % kTier1)
                               : static_cast<std::uint32_t>(kTier1 + 1 + rng() % kTier2);
          if (std::find(set.begin(), set.end(), p) == set.end()) {
            set.push_back(p);
          }
        }
      }
      aspa::AspaRecord r{base::Asn(as), {}};
      for (const auto p : set) {
        r.providers.emplace_back(p);
      }
      if (set.empty()) {
        r.providers.emplace_back(0);  // tier 1: no transit providers
      }
      out.records.push_back(std::move(r));
      out.providers[as - 1] = std::move(set);
    }
    return out;
  }();
  return w;
}

const aspa::AspaTable& table() {
  static const aspa::AspaTable t = aspa::AspaTable::build(world().records);
  return t;
}

// Climbs from `as` through random providers until a tier-1 AS or `max` ASes.
std::vector<std::uint32_t> climb(std::uint32_t as, std::size_t max, std::mt19937_64& rng) {
  std::vector<std::uint32_t> up = {as};
  while (up.size() < max && !world().providers[up.back() - 1].empty()) {
    const auto& set = world().providers[up.back() - 1];
    up.push_back(set[rng() % set.size()]);
  }
  return up;
}

// Paths written neighbor first. Upstream: an up-ramp only (a route from a customer).
// Downstream: up from the origin, across to another tier-1, down to the neighbor.
std::vector<wire::AsPath> paths(bool downstream) {
  std::mt19937_64 rng(downstream ? 2 : 1);
  std::vector<wire::AsPath> out;
  out.reserve(kPaths);
  while (out.size() < kPaths) {
    const auto length = 1 + rng() % 10;
    const auto origin =
        static_cast<std::uint32_t>(kTier1 + kTier2 + 1 + rng() % (kCustomers - kTier1 - kTier2));
    auto origin_first = climb(origin, downstream ? (length + 1) / 2 : length, rng);
    if (downstream && origin_first.size() < length) {
      auto down = climb(
          static_cast<std::uint32_t>(kTier1 + kTier2 + 1 + rng() % (kCustomers - kTier1 - kTier2)),
          length - origin_first.size(), rng);
      origin_first.insert(origin_first.end(), down.rbegin(), down.rend());
    }
    const auto kind = rng() % 10;
    if (kind < 2 && origin_first.size() > 1) {
      // An AS without ASPA somewhere in the path: Unknown (or Invalid at a valley).
      origin_first[rng() % origin_first.size()] =
          200'000 + static_cast<std::uint32_t>(rng() % 1000);
    } else if (kind == 2 && origin_first.size() > 2) {
      // A leak: a stub re-announcing upwards.
      origin_first[1] = static_cast<std::uint32_t>(kTier1 + kTier2 + 1 + rng() % 1000);
    }
    wire::AsPath path;
    path.segments.push_back({wire::AsPathSegmentType::AsSequence, {}});
    auto& asns = path.segments.back().asns;
    for (auto it = origin_first.rbegin(); it != origin_first.rend(); ++it) {
      // One AS in four is prepended 1-3 extra times.
      const auto copies = rng() % 4 == 0 ? 2 + rng() % 3 : 1;
      for (std::size_t c = 0; c < copies; ++c) {
        asns.emplace_back(*it);
      }
    }
    out.push_back(std::move(path));
  }
  return out;
}

void BM_AspaTableBuild100k(benchmark::State& state) {
  const auto& records = world().records;
  std::size_t bytes = 0;
  std::size_t providers = 0;
  for (const auto& r : records) {
    providers += r.providers.size();
  }
  for (auto _ : state) {
    auto t = aspa::AspaTable::build(records);
    bytes = t.memory_bytes();
    benchmark::DoNotOptimize(t);
  }
  state.counters["customers"] = static_cast<double>(records.size());
  state.counters["providers_per_customer"] =
      static_cast<double>(providers) / static_cast<double>(records.size());
  state.counters["table_bytes"] = static_cast<double>(bytes);
  state.counters["bytes_per_customer"] =
      static_cast<double>(bytes) / static_cast<double>(records.size());
}
BENCHMARK(BM_AspaTableBuild100k)->Unit(benchmark::kMillisecond);

void verify_all(benchmark::State& state, aspa::Direction direction) {
  const auto& t = table();
  const auto pool = paths(direction == aspa::Direction::Downstream);
  std::size_t states[3] = {0, 0, 0};
  for (const auto& p : pool) {
    ++states[static_cast<std::size_t>(aspa::verify(t, p, {direction, std::nullopt}).state)];
  }
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& p = pool[i++ % pool.size()];
    auto v = aspa::verify(t, p, {direction, p.segments.front().asns.front()});
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
  const auto n = static_cast<double>(pool.size());
  state.counters["valid_share"] = static_cast<double>(states[0]) / n;
  state.counters["invalid_share"] = static_cast<double>(states[1]) / n;
  state.counters["unknown_share"] = static_cast<double>(states[2]) / n;
}

void BM_AspaVerifyUpstream(benchmark::State& state) {
  verify_all(state, aspa::Direction::Upstream);
}
BENCHMARK(BM_AspaVerifyUpstream);

void BM_AspaVerifyDownstream(benchmark::State& state) {
  verify_all(state, aspa::Direction::Downstream);
}
BENCHMARK(BM_AspaVerifyDownstream);

}  // namespace
