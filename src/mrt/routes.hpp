// SPDX-License-Identifier: BSD-2-Clause
// The (prefix, AS path) pairs of an MRT file, for tools that want the shape of real routes:
// every prefix once, with the AS_PATH (segments as recorded) of the first route for it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/prefix.hpp"
#include "base/result.hpp"
#include "wire/as_path.hpp"

namespace bgpsecd::mrt {

struct PathRoute {
  base::Prefix prefix;
  wire::AsPath as_path;  // 4-octet ASNs (AS4_PATH merged in for 2-octet BGP4MP records)
  friend bool operator==(const PathRoute&, const PathRoute&) = default;
};

struct RouteScan {
  // TABLE_DUMP_V2: only RIB entries of this PEER_INDEX_TABLE index; nullopt: the first entry
  // of every RIB record, whichever peer it is from. BGP4MP records are all taken.
  std::optional<std::uint16_t> peer_index;
  std::size_t limit = std::numeric_limits<std::size_t>::max();  // stop after this many routes
};

struct RouteSet {
  std::vector<PathRoute> routes;  // in file order
  std::size_t records = 0;
  std::size_t skipped_records = 0;         // types and subtypes not read (RecordReader::skipped)
  std::size_t malformed_records = 0;       // framed but malformed inside: counted, not fatal
  std::size_t without_as_path = 0;         // routes with no AS_PATH (e.g. BGPsec_PATH only)
  std::size_t repeated_prefixes = 0;       // a prefix already taken
  std::optional<std::string> first_error;  // of the malformed records
  std::optional<std::size_t> peer_count;   // of the last PEER_INDEX_TABLE, if there was one
};

// Reads the whole stream. Fails when a record cannot be framed (the file is cut short or its
// Length is wrong): the error names the offset.
[[nodiscard]] base::Result<RouteSet> collect_routes(std::span<const std::uint8_t> bytes,
                                                    const RouteScan& scan);

}  // namespace bgpsecd::mrt
