// SPDX-License-Identifier: BSD-2-Clause
// MP_REACH_NLRI (type 14) and MP_UNREACH_NLRI (type 15) values (RFC 4760 §3, §4) for
// AFI 1/2, SAFI 1. IPv4 NLRI with an IPv6 next hop (RFC 8950) is accepted; BGPsec UPDATEs
// carry their one prefix here for IPv4 too (RFC 8205 §4.1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/byte_writer.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"

namespace bgpsecd::wire {

struct MpReach {
  base::Afi afi = base::Afi::Ipv4;
  std::uint8_t safi = base::kSafiUnicast;
  // One address (4 or 16 octets on the wire) or, for 32 octets, global then link-local
  // (RFC 2545 §3).
  std::vector<base::IpAddress> next_hops;
  std::vector<base::Prefix> nlri;
  friend bool operator==(const MpReach&, const MpReach&) = default;
};

struct MpUnreach {
  base::Afi afi = base::Afi::Ipv4;
  std::uint8_t safi = base::kSafiUnicast;
  std::vector<base::Prefix> withdrawn;
  friend bool operator==(const MpUnreach&, const MpUnreach&) = default;
};

// Value decoders (`base_offset` = offset of value[0] in the message). Errors:
//  - an AFI/SAFI other than 1/1, 2/1: AttributeDiscard (we cannot read its NLRI and did not
//    negotiate it; RFC 4760 §7 leaves the reaction to us);
//  - anything else (truncation, a next-hop length that does not fit the AFI, a bad prefix):
//    SessionReset, UPDATE Message Error / Optional Attribute Error (RFC 7606 §7.11, §7.12:
//    the prefixes cannot be located, so treat-as-withdraw is impossible).
[[nodiscard]] base::Result<MpReach, base::WireError> decode_mp_reach(
    std::span<const std::uint8_t> value, std::size_t base_offset = 0) noexcept;
[[nodiscard]] base::Result<MpUnreach, base::WireError> decode_mp_unreach(
    std::span<const std::uint8_t> value, std::size_t base_offset = 0) noexcept;

// MRT's abbreviated MP_REACH_NLRI value (RFC 6396 §4.3.4): the next-hop length octet and the
// addresses, for `afi` (the RIB record's), no NLRI. Errors as decode_mp_reach's.
[[nodiscard]] base::Result<MpReach, base::WireError> decode_mp_reach_next_hop(
    std::span<const std::uint8_t> value, base::Afi afi, std::size_t base_offset = 0) noexcept;

// Value encoders: AFI, SAFI, next-hop length and addresses, reserved octet 0, prefixes.
void encode_mp_reach_value(const MpReach& reach, base::ByteWriter& out);
void encode_mp_unreach_value(const MpUnreach& unreach, base::ByteWriter& out);
// The next-hop length octet and the addresses alone: MRT's abbreviated MP_REACH_NLRI
// (RFC 6396 §4.3.4).
void encode_mp_reach_next_hop(const MpReach& reach, base::ByteWriter& out);

}  // namespace bgpsecd::wire
