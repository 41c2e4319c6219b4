// SPDX-License-Identifier: BSD-2-Clause
// RIB cost: inserting a full-table-sized set of routes (1 M IPv4 prefixes sharing 1000
// attribute sets) into an Adj-RIB-In and the Loc-RIB, in prefix order or shuffled (as peers
// send their tables), and the heap bytes that costs per route (counter bytes_per_route, from
// glibc's mallinfo2); the ordered prefix maps alone. No timing or size assertions anywhere.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>
#include <malloc.h>

#include "rib/adj_rib_in.hpp"
#include "rib/chunked_prefix_map.hpp"
#include "rib/loc_rib.hpp"

namespace {

using namespace bgpsecd;  // NOLINT(google-build-using-namespace): bench brevity

std::size_t heap_in_use() { return mallinfo2().uordblks; }

rib::PeerHandle make_peer(std::uint32_t index) {
  return std::make_shared<const rib::PeerInfo>(
      rib::PeerInfo{rib::PeerKey{base::IpAddress::v4(0x0A000000U + index)},
                    base::Asn(65000 + index), 0x0A000000U + index, rib::PeerKind::Ebgp, false});
}

std::vector<rib::AttributesHandle> attribute_sets(rib::AttributeStore& store, std::uint32_t asn,
                                                  std::size_t count) {
  std::vector<rib::AttributesHandle> sets;
  for (std::size_t i = 0; i < count; ++i) {
    wire::PathAttributes a;
    a.origin = wire::Origin::Igp;
    a.as_path = wire::AsPath{{{wire::AsPathSegmentType::AsSequence,
                               {base::Asn(asn), base::Asn(static_cast<std::uint32_t>(100 + i)),
                                base::Asn(static_cast<std::uint32_t>(5000 + i % 7))}}}};
    a.next_hop = base::IpAddress::v4(0xC0000201);
    a.communities = {static_cast<std::uint32_t>((asn << 16) | i)};
    sets.push_back(store.intern(std::move(a)));
  }
  return sets;
}

// `count` IPv4 /24s, in prefix order or shuffled.
std::vector<base::Prefix> table_prefixes(std::uint32_t count, bool shuffled) {
  std::vector<base::Prefix> out;
  out.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    out.emplace_back(base::IpAddress::v4(0x01000000U + (i << 8)), 24);
  }
  if (shuffled) {
    std::shuffle(out.begin(), out.end(), std::mt19937_64(1));
  }
  return out;
}

// `peers` peers each announce the same `state.range(0)` prefixes, in prefix order (range(2) 0)
// or shuffled (1).
void BM_RibInsert(benchmark::State& state) {
  const auto prefixes = static_cast<std::uint32_t>(state.range(0));
  const auto peers = static_cast<std::uint32_t>(state.range(1));
  const auto order = table_prefixes(prefixes, state.range(2) != 0);
  double bytes_per_route = 0;
  for (auto _ : state) {
    state.PauseTiming();
    rib::AttributeStore store;
    std::vector<std::vector<rib::AttributesHandle>> sets;
    std::vector<rib::PeerHandle> peer_handles;
    for (std::uint32_t p = 0; p < peers; ++p) {
      peer_handles.push_back(make_peer(p + 1));
      sets.push_back(attribute_sets(store, 65001 + p, 1000));
    }
    std::vector<rib::AdjRibIn> adj_in;
    adj_in.reserve(peers);
    for (const auto& peer : peer_handles) {
      adj_in.emplace_back(peer);
    }
    rib::LocRib loc;
    const std::size_t before = heap_in_use();
    state.ResumeTiming();

    std::uint32_t seq = 0;
    for (std::uint32_t p = 0; p < peers; ++p) {
      for (std::uint32_t i = 0; i < prefixes; ++i) {
        rib::Route r;
        r.prefix = order[i];
        r.attrs = sets[p][i % 1000];
        r.peer = peer_handles[p];
        r.received_seq = ++seq;
        adj_in[p].announce(r);
        benchmark::DoNotOptimize(loc.update(std::move(r)));
      }
    }

    state.PauseTiming();
    const std::size_t after = heap_in_use();
    bytes_per_route = static_cast<double>(after - before) / (double{1} * prefixes * peers);
    state.ResumeTiming();
  }
  state.counters["bytes_per_route"] = bytes_per_route;  // Adj-RIB-In + Loc-RIB, per route
  state.SetItemsProcessed(state.iterations() * state.range(0) * state.range(1));
}
BENCHMARK(BM_RibInsert)
    ->Args({1000000, 1, 0})
    ->Args({1000000, 2, 0})
    ->Args({1000000, 1, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// The Adj-RIB-In's ordered map alone: 1.27 M shuffled /24s inserted into a std::map of routes
// (range(0) 0) and into ChunkedPrefixMap (1); freeing the map is not timed.
template <typename Map>
void insert_all(benchmark::State& state, const std::vector<base::Prefix>& prefixes) {
  auto map = std::make_unique<Map>();
  for (const auto& p : prefixes) {
    rib::Route r;
    r.prefix = p;
    benchmark::DoNotOptimize(map->try_emplace(p, std::move(r)));
  }
  state.PauseTiming();
  map.reset();
  state.ResumeTiming();
}
void BM_OrderedPrefixMapInsert(benchmark::State& state) {
  const auto prefixes = table_prefixes(1270000, true);
  for (auto _ : state) {
    if (state.range(0) == 0) {
      insert_all<std::map<base::Prefix, rib::Route>>(state, prefixes);
    } else {
      insert_all<rib::ChunkedPrefixMap<rib::Route>>(state, prefixes);
    }
  }
  state.counters["route_bytes"] = sizeof(rib::Route);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(prefixes.size()));
}
BENCHMARK(BM_OrderedPrefixMapInsert)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace
