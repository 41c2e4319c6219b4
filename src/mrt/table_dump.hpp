// SPDX-License-Identifier: BSD-2-Clause
// MRT TABLE_DUMP_V2 (RFC 6396 §4.3), the RIB dump format that bgpdump, bgpscanner and the
// route collectors read: a PEER_INDEX_TABLE record naming the peers, then one RIB record per
// prefix with an entry per route. A pure encoder: values in, bytes out.
//
// Attributes in a RIB entry follow RFC 6396 §4.3.4: 4-octet ASNs in AS_PATH whatever the
// session negotiated, and MP_REACH_NLRI cut to the next hop (the record has the prefix). A
// BGPsec route (RFC 8205) is written with its BGPsec_PATH as received and, for readers that
// know only AS_PATH, the AS_PATH rebuilt from its Secure_Path beside it: a dump is a record of
// routes, not an UPDATE, so the RFC 8205 §3 rule against carrying both does not apply.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/prefix.hpp"
#include "wire/attributes.hpp"

namespace bgpsecd::mrt {

inline constexpr std::uint16_t kTypeTableDumpV2 = 13;
inline constexpr std::uint16_t kSubtypePeerIndexTable = 1;
inline constexpr std::uint16_t kSubtypeRibIpv4Unicast = 2;
inline constexpr std::uint16_t kSubtypeRibIpv6Unicast = 4;

struct Peer {
  std::uint32_t bgp_id = 0;
  base::IpAddress address;
  std::uint32_t asn = 0;
  friend bool operator==(const Peer&, const Peer&) = default;
};

struct RibEntry {
  std::uint16_t peer_index = 0;
  std::uint32_t originated = 0;  // Unix seconds the route was received or originated
  wire::PathAttributes attrs;    // as held; BGPsec_PATH and AS_PATH as the header says
  friend bool operator==(const RibEntry&, const RibEntry&) = default;
};

// The first record of a dump (RFC 6396 §4.3.1): every peer as 4-octet-AS, its address family
// from the address.
[[nodiscard]] base::Bytes encode_peer_index_table(std::uint32_t timestamp,
                                                  std::uint32_t collector_id,
                                                  const std::string& view_name,
                                                  const std::vector<Peer>& peers);

// One RIB_IPV4_UNICAST or RIB_IPV6_UNICAST record (RFC 6396 §4.3.2), by the prefix's family.
[[nodiscard]] base::Bytes encode_rib_record(std::uint32_t timestamp, std::uint32_t sequence,
                                            const base::Prefix& prefix,
                                            const std::vector<RibEntry>& entries);

}  // namespace bgpsecd::mrt
