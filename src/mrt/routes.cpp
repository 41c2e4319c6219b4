// SPDX-License-Identifier: BSD-2-Clause
// collect_routes (routes.hpp): RecordReader over the file, first route per prefix.
#include "mrt/routes.hpp"

#include <unordered_set>

#include "mrt/record.hpp"

namespace bgpsecd::mrt {

namespace {

class Collector {
 public:
  Collector(const RouteScan& scan, RouteSet& out) : scan_(scan), out_(out) {}

  [[nodiscard]] bool full() const noexcept { return out_.routes.size() >= scan_.limit; }

  void add(const base::Prefix& prefix, const std::optional<wire::AsPath>& path) {
    if (full()) {
      return;
    }
    if (!path) {
      ++out_.without_as_path;
      return;
    }
    if (!seen_.insert(prefix.to_string()).second) {
      ++out_.repeated_prefixes;
      return;
    }
    out_.routes.push_back({prefix, *path});
  }

  void add(const RibRecord& rib) {
    for (const auto& entry : rib.entries) {
      if (scan_.peer_index && entry.peer_index != *scan_.peer_index) {
        continue;
      }
      add(rib.prefix, entry.attrs.as_path);
      return;  // one route per prefix: the first entry that qualifies
    }
  }

  void add(const Bgp4mpUpdate& m) {
    const auto& u = m.update;
    for (const auto& prefix : u.nlri) {
      add(prefix, u.attrs.as_path);
    }
    if (u.attrs.mp_reach) {
      for (const auto& prefix : u.attrs.mp_reach->nlri) {
        add(prefix, u.attrs.as_path);
      }
    }
  }

 private:
  const RouteScan& scan_;
  RouteSet& out_;
  std::unordered_set<std::string> seen_;
};

}  // namespace

base::Result<RouteSet> collect_routes(std::span<const std::uint8_t> bytes, const RouteScan& scan) {
  RouteSet out;
  Collector collector(scan, out);
  RecordReader reader(bytes);
  while (!collector.full()) {
    auto rec = reader.next();
    if (!rec) {
      // The reader is at the end after a framing error; inside a record it goes on.
      const auto& e = rec.error();
      if (e.framing) {
        return base::fail(e.message());
      }
      ++out.malformed_records;
      if (!out.first_error) {
        out.first_error = e.message();
      }
      continue;
    }
    if (!*rec) {
      break;
    }
    ++out.records;
    if (const auto* rib = std::get_if<RibRecord>(&(*rec)->body)) {
      collector.add(*rib);
    } else if (const auto* update = std::get_if<Bgp4mpUpdate>(&(*rec)->body)) {
      collector.add(*update);
    }
  }
  out.skipped_records = reader.skipped();
  if (reader.peer_index()) {
    out.peer_count = reader.peer_index()->peers.size();
  }
  return out;
}

}  // namespace bgpsecd::mrt
