// SPDX-License-Identifier: BSD-2-Clause
// RIB cost: inserting a full-table-sized set of routes (1 M IPv4 prefixes sharing 1000
// attribute sets) into an Adj-RIB-In and the Loc-RIB, and the heap bytes that costs per route
// (counter bytes_per_route, from glibc's mallinfo2; no timing or size assertions anywhere).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <benchmark/benchmark.h>
#include <malloc.h>

#include "rib/adj_rib_in.hpp"
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

// `peers` peers each announce the same `state.range(0)` prefixes.
void BM_RibInsert(benchmark::State& state) {
  const auto prefixes = static_cast<std::uint32_t>(state.range(0));
  const auto peers = static_cast<std::uint32_t>(state.range(1));
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

    std::uint64_t seq = 0;
    for (std::uint32_t p = 0; p < peers; ++p) {
      for (std::uint32_t i = 0; i < prefixes; ++i) {
        rib::Route r;
        r.prefix = base::Prefix(base::IpAddress::v4(0x01000000U + (i << 8)), 24);
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
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
