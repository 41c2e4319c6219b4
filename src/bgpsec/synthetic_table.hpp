// SPDX-License-Identifier: BSD-2-Clause
// A synthetic Internet routing table for benchmarks (`bgpsec gen`): prefixes in today's
// IPv4/IPv6 ratio and length mix, and for every origin AS one AS path below the sending peer,
// with a few thousand "transit" ASes that appear in most paths. Pure and deterministic: the
// same spec and seed always give the same table. No keys and no signatures here (see
// table_signer.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/asn.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "wire/bgpsec_path.hpp"

namespace bgpsecd::bgpsec {

// Today's table (2024): about 1.0 M IPv4 and 0.22 M IPv6 prefixes from about 78 k origin ASes.
inline constexpr std::size_t kFullTablePrefixes = 1'270'000;
inline constexpr std::size_t kFullTableAses = 78'000;

struct SyntheticTableSpec {
  std::size_t prefixes = kFullTablePrefixes;
  unsigned ipv4_permille = 820;  // share of IPv4 prefixes
  // 0: scaled from `prefixes` (kFullTableAses for a full table, at least 8).
  std::size_t as_count = 0;
  // 0: as_count / 20 (about 3900 for a full table, at least 3).
  std::size_t transit_count = 0;
  std::uint64_t seed = 1;
  // ASes that must not appear in the generated paths: the receiver and the sending peers
  // (an AS twice in a path would be a loop, RFC 4271 §9.1.2).
  std::vector<base::Asn> reserved;
};

struct SyntheticRoute {
  base::Prefix prefix;
  std::uint32_t origin = 0;  // index into SyntheticTable::ases
  std::uint32_t path = 0;    // index into SyntheticTable::paths
};

struct SyntheticTable {
  // Every AS of the table except the peers; the first `transit_count` are the transit ASes.
  std::vector<base::Asn> ases;
  std::size_t transit_count = 0;
  // The Secure_Path segments below the sending peer, most recent first, the origin last
  // (pCount > 1 where an AS prepends). The sender puts its own segment in front, so a route's
  // path is 1 + paths[route.path].size() long. Synthetic tables have one path per origin AS
  // (same index as `ases`); tables from real paths (real_path_table.hpp) one per distinct path.
  std::vector<std::vector<wire::SecurePathSegment>> paths;
  // In replay order (IPv4 and IPv6 interleaved); every prefix once.
  std::vector<SyntheticRoute> routes;

  // Secure_Path segments of route i as sent (the peer's included).
  [[nodiscard]] std::size_t hops(std::size_t route) const noexcept {
    return 1 + paths[routes[route].path].size();
  }
};

// Builds the table. Fails when the spec cannot be met (no prefixes, an IPv4 share over 1000,
// more prefixes than the address plan holds, fewer ASes than transit ASes).
[[nodiscard]] base::Result<SyntheticTable> make_synthetic_table(const SyntheticTableSpec& spec);

}  // namespace bgpsecd::bgpsec
