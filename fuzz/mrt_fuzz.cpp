// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for the MRT reader (mrt/record.hpp, mrt/routes.hpp): any byte stream either
// decodes record by record or gives errors that point inside the input, and the reader always
// ends. A RIB record that decodes re-encodes (table_dump.hpp) and decodes to the same value.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "mrt/record.hpp"
#include "mrt/routes.hpp"
#include "mrt/table_dump.hpp"

namespace {

using bgpsecd::mrt::RecordReader;
using bgpsecd::mrt::RibRecord;

// Our encoder writes AS_PATH with 4-octet ASNs and the abbreviated MP_REACH_NLRI (RFC 6396
// §4.3.4): a decoded RIB record goes through it and back to the same prefix, peers and paths.
void check_round_trip(const RibRecord& rib, std::uint32_t timestamp) {
  std::size_t peer_count = 0;
  for (const auto& e : rib.entries) {
    // MP_REACH_NLRI for other prefixes than the record's does not survive the abbreviation.
    if (e.attrs.mp_reach && e.attrs.mp_reach->nlri.size() != 1) {
      return;
    }
    peer_count = std::max<std::size_t>(peer_count, e.peer_index + 1U);
  }
  // Only the peer indexes matter to the RIB record: that many placeholder peers.
  auto bytes = bgpsecd::mrt::encode_peer_index_table(timestamp, 0, "",
                                                     std::vector<bgpsecd::mrt::Peer>(peer_count));
  const auto record =
      bgpsecd::mrt::encode_rib_record(timestamp, rib.sequence, rib.prefix, rib.entries);
  bytes.insert(bytes.end(), record.begin(), record.end());
  RecordReader again(bytes);
  auto first = again.next();
  auto second = again.next();
  if (!first || !second || !*second) {
    __builtin_trap();
  }
  const auto* decoded = std::get_if<RibRecord>(&(**second).body);
  if (decoded == nullptr || decoded->prefix != rib.prefix ||
      decoded->entries.size() != rib.entries.size()) {
    __builtin_trap();
  }
  for (std::size_t i = 0; i < rib.entries.size(); ++i) {
    if (decoded->entries[i].peer_index != rib.entries[i].peer_index ||
        decoded->entries[i].attrs.as_path != rib.entries[i].attrs.as_path ||
        decoded->entries[i].attrs.mp_reach != rib.entries[i].attrs.mp_reach) {
      __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  RecordReader reader(input);
  for (std::size_t guard = 0; guard <= size; ++guard) {
    auto rec = reader.next();
    if (!rec) {
      if (rec.error().offset > size || rec.error().record_offset > rec.error().offset) {
        __builtin_trap();
      }
      continue;
    }
    if (!*rec) {
      break;
    }
    const auto& r = **rec;
    if (r.offset + bgpsecd::mrt::kRecordHeaderSize + r.header.length > size) {
      __builtin_trap();
    }
    if (const auto* rib = std::get_if<RibRecord>(&r.body); rib && reader.peer_index()) {
      check_round_trip(*rib, r.header.timestamp);
    }
  }
  if (!reader.next() || *reader.next()) {
    __builtin_trap();  // the reader ends and stays at the end
  }
  // collect_routes reads the stream again; on the smaller inputs only, to keep the run fast.
  if (size <= 2048) {
    static_cast<void>(bgpsecd::mrt::collect_routes(input, {}));
  }
  return 0;
}
