// SPDX-License-Identifier: BSD-2-Clause
// AS_PATH (RFC 4271 §4.3, 4-octet ASNs per RFC 6793) and AS4_PATH values, and the segment
// types of RFC 4271 and RFC 5065. Also the shape the BGPsec layer rebuilds from a Secure_Path
// (RFC 8205 §4.4) for non-BGPsec peers.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/asn.hpp"
#include "base/byte_writer.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"

namespace bgpsecd::wire {

enum class AsPathSegmentType : std::uint8_t {
  AsSet = 1,
  AsSequence = 2,
  AsConfedSequence = 3,  // RFC 5065 §3
  AsConfedSet = 4,
};

struct AsPathSegment {
  AsPathSegmentType type = AsPathSegmentType::AsSequence;
  std::vector<base::Asn> asns;  // 1..255 on the wire
  friend bool operator==(const AsPathSegment&, const AsPathSegment&) = default;
};

struct AsPath {
  std::vector<AsPathSegment> segments;
  friend bool operator==(const AsPath&, const AsPath&) = default;

  // RFC 4271 §9.1.2.2(a): an AS_SET counts as one, confederation segments count zero.
  [[nodiscard]] std::size_t length_for_decision() const noexcept;
  // Right-most AS of a trailing AS_SEQUENCE (RFC 6811 §2); nullopt-like Asn(0) when the path
  // is empty or ends in a set or a confederation segment.
  [[nodiscard]] bool origin_as(base::Asn& out) const noexcept;
  [[nodiscard]] bool contains(base::Asn asn) const noexcept;
};

// Value codecs (no attribute header). `four_octet` selects 4- or 2-octet ASNs.
// Errors are TreatAsWithdraw with UPDATE Message Error / Malformed AS_PATH (RFC 7606 §7.2).
[[nodiscard]] base::Result<AsPath, base::WireError> decode_as_path(
    std::span<const std::uint8_t> value, bool four_octet, std::size_t base_offset = 0) noexcept;
// Splits sequences longer than 255 ASNs into consecutive segments (RFC 4271 §5.1.2).
void encode_as_path_value(const AsPath& path, bool four_octet, base::ByteWriter& out);

}  // namespace bgpsecd::wire
