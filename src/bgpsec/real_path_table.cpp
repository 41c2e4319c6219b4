// SPDX-License-Identifier: BSD-2-Clause
// make_real_path_table (real_path_table.hpp).
#include "bgpsec/real_path_table.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

namespace bgpsecd::bgpsec {

namespace {

// Each run of one AS as one segment (RFC 8205 §4.2: pCount, at most 255 a segment); nullopt
// with the matching counter raised when the path cannot be signed.
std::optional<std::vector<wire::SecurePathSegment>> secure_path(const wire::AsPath& path,
                                                                std::span<const base::Asn> reserved,
                                                                RealPathStats& stats) {
  std::vector<wire::SecurePathSegment> out;
  for (const auto& segment : path.segments) {
    switch (segment.type) {
      case wire::AsPathSegmentType::AsSequence:
        break;
      case wire::AsPathSegmentType::AsConfedSequence:
        ++stats.with_confed;
        return std::nullopt;
      default:
        ++stats.with_set;
        return std::nullopt;
    }
    for (const auto asn : segment.asns) {
      // RFC 7607: AS 0 is never a valid AS in a path.
      if (asn == base::Asn(0)) {
        ++stats.with_as0;
        return std::nullopt;
      }
      if (std::find(reserved.begin(), reserved.end(), asn) != reserved.end()) {
        ++stats.with_reserved;
        return std::nullopt;
      }
      if (!out.empty() && out.back().asn == asn && out.back().pcount < 255) {
        ++out.back().pcount;
      } else {
        out.push_back({.pcount = 1, .flags = 0, .asn = asn});
      }
    }
  }
  if (out.empty()) {
    ++stats.empty;
    return std::nullopt;
  }
  return out;
}

}  // namespace

base::Result<SyntheticTable> make_real_path_table(std::span<const mrt::PathRoute> routes,
                                                  std::span<const base::Asn> reserved,
                                                  std::size_t limit, RealPathStats& stats) {
  struct Kept {
    base::Prefix prefix;
    std::uint32_t path = 0;
  };
  std::vector<Kept> kept;
  std::vector<std::vector<wire::SecurePathSegment>> paths;
  std::map<std::vector<std::pair<std::uint32_t, std::uint8_t>>, std::uint32_t> path_index;
  for (const auto& route : routes) {
    if (kept.size() >= limit) {
      break;
    }
    auto segments = secure_path(route.as_path, reserved, stats);
    if (!segments) {
      continue;
    }
    ++stats.kept;
    if (std::any_of(segments->begin(), segments->end(),
                    [](const wire::SecurePathSegment& s) { return s.pcount > 1; })) {
      ++stats.prepends;
    }
    std::vector<std::pair<std::uint32_t, std::uint8_t>> key;
    key.reserve(segments->size());
    for (const auto& s : *segments) {
      key.emplace_back(s.asn.value(), s.pcount);
    }
    auto [at, added] = path_index.emplace(std::move(key), static_cast<std::uint32_t>(paths.size()));
    if (added) {
      paths.push_back(std::move(*segments));
    }
    kept.push_back({route.prefix, at->second});
  }
  if (kept.empty()) {
    return base::fail(
        "no AS path in the file can be signed (all had an AS_SET, AS 0, "
        "a confederation segment or the receiving or sending AS)");
  }

  // Transit ASes first (SyntheticTable::ases), each group in order of first appearance.
  std::vector<base::Asn> order;
  std::unordered_map<std::uint32_t, bool> is_transit;  // AS -> appears above an origin
  for (const auto& path : paths) {
    for (std::size_t i = 0; i < path.size(); ++i) {
      const bool above = i + 1 < path.size();
      auto [at, added] = is_transit.emplace(path[i].asn.value(), above);
      if (added) {
        order.push_back(path[i].asn);
      }
      at->second = at->second || above;
    }
  }
  std::stable_partition(order.begin(), order.end(),
                        [&](base::Asn asn) { return is_transit[asn.value()]; });
  SyntheticTable table;
  table.transit_count = static_cast<std::size_t>(std::count_if(
      order.begin(), order.end(), [&](base::Asn asn) { return is_transit[asn.value()]; }));
  table.ases = std::move(order);
  std::unordered_map<std::uint32_t, std::uint32_t> as_index;
  for (std::size_t i = 0; i < table.ases.size(); ++i) {
    as_index.emplace(table.ases[i].value(), static_cast<std::uint32_t>(i));
  }
  table.routes.reserve(kept.size());
  for (const auto& k : kept) {
    table.routes.push_back({k.prefix, as_index[paths[k.path].back().asn.value()], k.path});
  }
  table.paths = std::move(paths);
  return table;
}

}  // namespace bgpsecd::bgpsec
