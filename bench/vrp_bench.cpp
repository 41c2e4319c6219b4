// SPDX-License-Identifier: BSD-2-Clause
// RPKI data at full-table scale (docs/design.md rpki layer): building a VrpTable of 800 k synthetic
// VRPs (IPv4:IPv6 = 4:1) with its memory per VRP, origin-validation lookups per second, the
// cost of publishing a small delta on that table through RpkiStore (copy + apply), and loading
// 100 k router keys (1 k generated P-256 keys reused under different ASNs) into a
// RouterKeyTable, with key lookups.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "base/prefix.hpp"
#include "crypto/keys.hpp"
#include "rpki/router_key_table.hpp"
#include "rpki/rpki_store.hpp"
#include "rpki/vrp_table.hpp"

namespace {

namespace base = bgpsecd::base;
namespace crypto = bgpsecd::crypto;
namespace rpki = bgpsecd::rpki;

constexpr std::size_t kVrps = 800'000;
constexpr std::size_t kRouterKeys = 100'000;
constexpr std::size_t kDistinctKeys = 1'000;

base::Prefix v4_prefix(std::uint32_t addr, unsigned length) {
  return base::Prefix(base::IpAddress::v4(addr), static_cast<std::uint8_t>(length));
}

base::Prefix v6_prefix(std::uint64_t hi, unsigned length) {
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[i] = static_cast<std::uint8_t>(hi >> (56 - 8 * i));
  }
  return base::Prefix(base::IpAddress(base::Afi::Ipv6, bytes), static_cast<std::uint8_t>(length));
}

// Lengths weighted roughly like the global VRP set: IPv4 mostly /24 and /22-/23, some /16-/21;
// IPv6 mostly /48 and /32-/44. A quarter of the VRPs allow more-specifics.
std::vector<rpki::VrpEntry> synthetic_vrps() {
  std::mt19937_64 rng(800000);
  std::vector<rpki::VrpEntry> out;
  out.reserve(kVrps);
  const unsigned v4_lengths[] = {24, 24, 24, 24, 24, 24, 23, 22, 22, 21, 20, 19, 18, 17, 16, 16};
  const unsigned v6_lengths[] = {48, 48, 48, 48, 48, 48, 44, 40, 36, 32, 32, 29};
  for (std::size_t i = 0; i < kVrps; ++i) {
    const auto asn = base::Asn(static_cast<std::uint32_t>(1 + rng() % 400'000));
    const bool more_specifics = rng() % 4 == 0;
    if (i % 5 != 4) {
      const unsigned length = v4_lengths[rng() % std::size(v4_lengths)];
      // Unicast space 1.0.0.0 - 223.255.255.255.
      const auto addr = static_cast<std::uint32_t>(0x01000000U + rng() % 0xDF000000U);
      const auto max_length = more_specifics ? 24U : length;
      out.push_back({v4_prefix(addr, length), static_cast<std::uint8_t>(max_length), asn, {}});
    } else {
      const unsigned length = v6_lengths[rng() % std::size(v6_lengths)];
      // 2000::/3 with a denser 2a00::/12-ish region, as allocations cluster.
      const std::uint64_t hi = 0x2000000000000000ULL | (rng() & 0x0FFFFFFFFFFF0000ULL);
      const auto max_length = more_specifics ? 48U : length;
      out.push_back({v6_prefix(hi, length), static_cast<std::uint8_t>(max_length), asn, {}});
    }
  }
  return out;
}

const std::vector<rpki::VrpEntry>& vrps() {
  static const auto v = synthetic_vrps();
  return v;
}

const rpki::VrpTable& table() {
  static const auto t = rpki::VrpTable::build(vrps());
  if (!t) {
    std::abort();  // synthetic maxLengths are within range
  }
  return *t;
}

struct Route {
  base::Prefix prefix;
  base::Asn origin;
};

// Routes as a router sees them: a third announced exactly as in a VRP with its AS (Valid),
// a third as a /24 or /48 more-specific of a VRP with a random AS (mostly Invalid), a third
// random (mostly NotFound).
std::vector<Route> routes(base::Afi afi) {
  std::mt19937_64 rng(6811);
  std::vector<Route> out;
  const auto& all = vrps();
  while (out.size() < 100'000) {
    const auto& v = all[rng() % all.size()];
    if (v.prefix.afi() != afi) {
      continue;
    }
    const auto asn = base::Asn(static_cast<std::uint32_t>(1 + rng() % 400'000));
    switch (out.size() % 3) {
      case 0:
        out.push_back({v.prefix, v.asn});
        break;
      case 1:
        out.push_back({base::Prefix(v.prefix.address(), afi == base::Afi::Ipv4 ? 24 : 48), asn});
        break;
      default:
        out.push_back({afi == base::Afi::Ipv4 ? v4_prefix(static_cast<std::uint32_t>(rng()), 24)
                                              : v6_prefix(0x2000000000000000ULL | (rng() >> 3), 48),
                       asn});
        break;
    }
  }
  return out;
}

void BM_VrpTableBuild800k(benchmark::State& state) {
  const auto& input = vrps();
  std::size_t bytes = 0;
  std::size_t size = 0;
  for (auto _ : state) {
    auto t = rpki::VrpTable::build(input);
    bytes = t->memory_bytes();
    size = t->size();
    benchmark::DoNotOptimize(t);
  }
  state.counters["vrps"] = static_cast<double>(size);
  state.counters["bytes_per_vrp"] = static_cast<double>(bytes) / static_cast<double>(size);
  state.counters["table_MiB"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(input.size()));
}
BENCHMARK(BM_VrpTableBuild800k)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_OriginValidation(benchmark::State& state) {
  const auto afi = state.range(0) == 4 ? base::Afi::Ipv4 : base::Afi::Ipv6;
  const auto& t = table();
  const auto rs = routes(afi);
  std::size_t i = 0;
  std::int64_t counts[3] = {0, 0, 0};
  for (auto _ : state) {
    const auto& r = rs[i];
    const auto s = t.validate_origin(r.prefix, r.origin);
    ++counts[static_cast<int>(s)];
    benchmark::DoNotOptimize(s);
    i = i + 1 == rs.size() ? 0 : i + 1;
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["valid_pct"] = 100.0 * static_cast<double>(counts[0]) / n;
  state.counters["invalid_pct"] = 100.0 * static_cast<double>(counts[1]) / n;
  state.counters["notfound_pct"] = 100.0 * static_cast<double>(counts[2]) / n;
  state.counters["bytes_per_vrp"] =
      static_cast<double>(t.memory_bytes()) / static_cast<double>(t.size());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OriginValidation)->Arg(4)->Arg(6);

// One RTR serial's worth of change (100 announcements) published on the full table: the
// copy-on-write price of immutable snapshots.
void BM_StoreDeltaOn800k(benchmark::State& state) {
  rpki::RpkiStore store;
  if (!store.apply(rpki::RpkiData{vrps(), {}})) {
    state.SkipWithError("full load failed");
    return;
  }
  std::uint32_t next = 0;
  for (auto _ : state) {
    rpki::Delta delta;
    for (int k = 0; k < 100; ++k) {
      delta.vrps.push_back(
          {rpki::VrpEntry{v4_prefix(0xE0000000U + (next++ << 8), 24), 24, base::Asn(64496), {}},
           true});
    }
    auto changes = store.apply(delta);
    benchmark::DoNotOptimize(changes);
  }
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_StoreDeltaOn800k)->Unit(benchmark::kMillisecond);

std::vector<crypto::PublicKey> distinct_keys() {
  std::vector<crypto::PublicKey> out;
  out.reserve(kDistinctKeys);
  for (std::size_t i = 0; i < kDistinctKeys; ++i) {
    auto k = crypto::PrivateKey::generate();
    if (!k) {
      std::abort();
    }
    out.push_back(k->public_key());
  }
  return out;
}

// 100 k entries: the 1 k keys, each under 100 different ASNs.
const std::vector<rpki::RouterKeyEntry>& router_keys() {
  static const auto entries = [] {
    const auto keys = distinct_keys();
    std::vector<rpki::RouterKeyEntry> out;
    out.reserve(kRouterKeys);
    for (std::size_t i = 0; i < kRouterKeys; ++i) {
      const auto& key = keys[i % keys.size()];
      const auto asn = base::Asn(static_cast<std::uint32_t>(64496 + i / keys.size()));
      out.push_back({asn, key.ski(), key, {}});
    }
    return out;
  }();
  return entries;
}

void BM_RouterKeyTableLoad100k(benchmark::State& state) {
  const auto& entries = router_keys();
  for (auto _ : state) {
    rpki::RouterKeyTable t;
    for (const auto& e : entries) {
      static_cast<void>(t.add(e.asn, e.ski, e.key));
    }
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(entries.size()));
}
BENCHMARK(BM_RouterKeyTableLoad100k)->Unit(benchmark::kMillisecond);

void BM_RouterKeyLookup100k(benchmark::State& state) {
  const auto& entries = router_keys();
  rpki::RouterKeyTable t;
  for (const auto& e : entries) {
    static_cast<void>(t.add(e.asn, e.ski, e.key));
  }
  std::vector<crypto::PublicKey> out;
  std::size_t i = 0;
  for (auto _ : state) {
    out.clear();
    const auto& e = entries[i];
    t.find(e.asn, e.ski, out);
    benchmark::DoNotOptimize(out.data());
    i = (i + 7919) % entries.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouterKeyLookup100k);

}  // namespace
