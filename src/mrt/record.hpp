// SPDX-License-Identifier: BSD-2-Clause
// Reading MRT files (RFC 6396): the records of a TABLE_DUMP_V2 RIB dump (as table_dump.hpp
// writes them, and as RouteViews and RIPE RIS publish them) and the UPDATE messages of BGP4MP /
// BGP4MP_ET update files. A pure decoder over one bounds-checked reader (docs/style.md §2.2):
// bytes in, values or a DecodeError out; the attributes go through wire's attribute codec.
//
// Record types and subtypes the reader does not handle (TABLE_DUMP, the multicast and generic
// RIB subtypes, BGP4MP's ADD-PATH subtypes, BGP4MP state changes and non-UPDATE messages, ...) are
// skipped by their Length and counted: a file of mixed content is read for what it has.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "base/byte_reader.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"
#include "mrt/table_dump.hpp"
#include "wire/update.hpp"

namespace bgpsecd::mrt {

// RFC 8050 §4: the ADD-PATH forms of the RIB subtypes, with a Path Identifier per entry
// (GoBGP writes its table dumps with these).
inline constexpr std::uint16_t kSubtypeRibIpv4UnicastAddPath = 8;
inline constexpr std::uint16_t kSubtypeRibIpv6UnicastAddPath = 10;
inline constexpr std::uint16_t kTypeBgp4mp = 16;
inline constexpr std::uint16_t kTypeBgp4mpEt = 17;  // RFC 6396 §3: with microseconds
inline constexpr std::uint16_t kSubtypeBgp4mpMessage = 1;
inline constexpr std::uint16_t kSubtypeBgp4mpMessageAs4 = 4;
inline constexpr std::uint16_t kSubtypeBgp4mpMessageLocal = 6;
inline constexpr std::uint16_t kSubtypeBgp4mpMessageAs4Local = 7;
inline constexpr std::size_t kRecordHeaderSize = 12;  // RFC 6396 §2

// What went wrong and where: `offset` is from the start of the stream; `record_offset` is the
// start of the record it is in. `wire` is set when a BGP attribute or message inside the
// record failed wire's codec (its offset is stream-relative too).
struct DecodeError {
  std::size_t record_offset = 0;
  std::size_t offset = 0;
  const char* what = "";
  std::optional<base::WireError> wire;
  bool framing = false;  // the record itself could not be framed: the stream ends here
  // "MRT record at offset R: what at offset O" (and the BGP error), for an operator.
  [[nodiscard]] std::string message() const;
  friend bool operator==(const DecodeError&, const DecodeError&) = default;
};

struct RecordHeader {
  std::uint32_t timestamp = 0;
  std::uint16_t type = 0;
  std::uint16_t subtype = 0;
  std::uint32_t length = 0;        // of the body, microseconds of _ET types included
  std::uint32_t microseconds = 0;  // BGP4MP_ET only
  friend bool operator==(const RecordHeader&, const RecordHeader&) = default;
};

// RFC 6396 §4.3.1. Peers keep their AS as a 4-octet number whatever the entry's A bit said.
struct PeerIndexTable {
  std::uint32_t collector_id = 0;
  std::string view_name;
  std::vector<Peer> peers;
  friend bool operator==(const PeerIndexTable&, const PeerIndexTable&) = default;
};

// RFC 6396 §4.3.2. An abbreviated MP_REACH_NLRI comes back with AFI, SAFI unicast and the
// record's prefix as its NLRI, so an entry reads like the route it describes. From the ADD-PATH
// subtypes (RFC 8050 §4) `path_ids` has each entry's Path Identifier; it is empty otherwise.
struct RibRecord {
  std::uint32_t sequence = 0;
  base::Prefix prefix;
  std::vector<RibEntry> entries;
  std::vector<std::uint32_t> path_ids;
  friend bool operator==(const RibRecord&, const RibRecord&) = default;
};

// RFC 6396 §4.4.2, §4.4.3, §4.4.6, §4.4.7: a BGP4MP MESSAGE whose BGP message is an UPDATE.
// On the 2-octet subtypes AS_PATH is already merged with AS4_PATH (RFC 6793 §4.2.3), so
// `update` always has the 4-octet path.
struct Bgp4mpUpdate {
  std::uint32_t peer_as = 0;
  std::uint32_t local_as = 0;
  std::uint16_t interface_index = 0;
  base::IpAddress peer_address;
  base::IpAddress local_address;
  bool as4 = false;    // the AS4 subtypes: 4-octet AS fields and ASNs in the UPDATE
  bool local = false;  // the _LOCAL subtypes: sent by the collector, not received
  wire::UpdateMessage update;
  friend bool operator==(const Bgp4mpUpdate&, const Bgp4mpUpdate&) = default;
};

struct Record {
  std::size_t offset = 0;  // of the header in the stream
  RecordHeader header;
  // monostate: a type, subtype or BGP message type the reader skips.
  std::variant<std::monostate, PeerIndexTable, RibRecord, Bgp4mpUpdate> body;
};

// Walks a stream of records. A record whose header or length does not fit ends the stream
// (the next record cannot be found): next() returns the error and then nullopt. A record
// that is framed but malformed inside is returned as an error too, after which next() goes on
// with the following record, so a caller may count it and carry on.
class RecordReader {
 public:
  explicit RecordReader(std::span<const std::uint8_t> bytes) noexcept : in_(bytes) {}

  // The next record; nullopt at the end of the stream.
  [[nodiscard]] base::Result<std::optional<Record>, DecodeError> next();

  // Records skipped for their type or subtype (or a non-UPDATE BGP message) so far.
  [[nodiscard]] std::size_t skipped() const noexcept { return skipped_; }
  // The PEER_INDEX_TABLE last read, which RIB entries index into.
  [[nodiscard]] const std::optional<PeerIndexTable>& peer_index() const noexcept {
    return peer_index_;
  }

 private:
  base::ByteReader in_;
  std::size_t skipped_ = 0;
  std::optional<PeerIndexTable> peer_index_;
};

}  // namespace bgpsecd::mrt
