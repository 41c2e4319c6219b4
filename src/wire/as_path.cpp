// SPDX-License-Identifier: BSD-2-Clause
// AS_PATH / AS4_PATH value codec (RFC 4271 §4.3, RFC 6793) and the small path queries the
// decision process and route origin validation need. The malformation rules are those of
// RFC 7606 §7.2; what to do about them is the caller's (treat-as-withdraw for AS_PATH,
// attribute discard for AS4_PATH).
#include "wire/as_path.hpp"

#include <algorithm>

#include "base/byte_reader.hpp"

namespace bgpsecd::wire {

namespace {

constexpr std::uint8_t kSubcodeMalformedAsPath = 11;  // RFC 4271 §6.3
constexpr std::size_t kMaxSegmentAsns = 255;          // 1-octet segment length

bool known_segment_type(std::uint8_t type) noexcept {
  return type >= static_cast<std::uint8_t>(AsPathSegmentType::AsSet) &&
         type <= static_cast<std::uint8_t>(AsPathSegmentType::AsConfedSet);
}

base::WireError malformed(const base::ByteReader& at, const char* what) noexcept {
  base::WireError e;
  e.action = base::Action::TreatAsWithdraw;
  e.code = base::notify::kUpdateMessageError;
  e.subcode = kSubcodeMalformedAsPath;
  e.offset = static_cast<std::uint32_t>(at.offset());
  e.length = static_cast<std::uint32_t>(at.remaining());
  e.what = what;
  return e;
}

}  // namespace

std::size_t AsPath::length_for_decision() const noexcept {
  std::size_t n = 0;
  for (const auto& seg : segments) {
    if (seg.type == AsPathSegmentType::AsSequence) {
      n += seg.asns.size();
    } else if (seg.type == AsPathSegmentType::AsSet) {
      // RFC 4271 §9.1.2.2(a): an AS_SET counts as 1 whatever its size.
      n += seg.asns.empty() ? 0U : 1U;
    }
    // RFC 5065 §5.3: confederation segments are not counted.
  }
  return n;
}

bool AsPath::origin_as(base::Asn& out) const noexcept {
  out = base::Asn(0);
  // RFC 6811 §2: the origin is the right-most AS of a final AS_SEQUENCE; a path ending in
  // an AS_SET (or anything else) has no origin AS.
  if (segments.empty() || segments.back().type != AsPathSegmentType::AsSequence ||
      segments.back().asns.empty()) {
    return false;
  }
  out = segments.back().asns.back();
  return true;
}

bool AsPath::contains(base::Asn asn) const noexcept {
  return std::any_of(segments.begin(), segments.end(), [asn](const AsPathSegment& seg) {
    return std::find(seg.asns.begin(), seg.asns.end(), asn) != seg.asns.end();
  });
}

base::Result<AsPath, base::WireError> decode_as_path(std::span<const std::uint8_t> value,
                                                     bool four_octet,
                                                     std::size_t base_offset) noexcept {
  base::ByteReader r(value, base_offset);
  const std::size_t asn_size = four_octet ? 4 : 2;
  AsPath path;
  while (!r.empty()) {
    const base::ByteReader at = r;
    std::uint8_t type = 0;
    std::uint8_t count = 0;
    // RFC 7606 §7.2: one octet left cannot hold a segment header (underrun).
    if (!r.read_u8(type) || !r.read_u8(count)) {
      return base::fail(malformed(at, "AS_PATH segment header truncated"));
    }
    // RFC 7606 §7.2: unrecognized segment type.
    if (!known_segment_type(type)) {
      return base::fail(malformed(at, "AS_PATH unknown segment type"));
    }
    // RFC 7606 §7.2: a segment with a Path Segment Length of zero is malformed.
    if (count == 0) {
      return base::fail(malformed(at, "AS_PATH empty segment"));
    }
    base::ByteReader body;
    // RFC 7606 §7.2: overrun of the attribute by the last segment.
    if (!r.sub(std::size_t{count} * asn_size, body)) {
      return base::fail(malformed(at, "AS_PATH segment overruns the attribute"));
    }
    AsPathSegment seg;
    seg.type = static_cast<AsPathSegmentType>(type);
    seg.asns.reserve(count);
    while (!body.empty()) {
      std::uint32_t asn = 0;
      if (four_octet) {
        static_cast<void>(body.read_u32(asn));  // sized exactly above
      } else {
        std::uint16_t asn16 = 0;
        static_cast<void>(body.read_u16(asn16));
        asn = asn16;
      }
      seg.asns.emplace_back(asn);
    }
    path.segments.push_back(std::move(seg));
  }
  return path;
}

void encode_as_path_value(const AsPath& path, bool four_octet, base::ByteWriter& out) {
  for (const auto& seg : path.segments) {
    // An empty segment would be malformed on the wire (RFC 7606 §7.2): leave it out.
    for (std::size_t start = 0; start < seg.asns.size(); start += kMaxSegmentAsns) {
      // RFC 4271 §5.1.2: more than 255 ASNs continue in a new segment of the same type.
      const std::size_t n = std::min(kMaxSegmentAsns, seg.asns.size() - start);
      out.put_u8(static_cast<std::uint8_t>(seg.type));
      out.put_u8(static_cast<std::uint8_t>(n));
      for (std::size_t i = start; i < start + n; ++i) {
        const std::uint32_t asn = seg.asns[i].value();
        if (four_octet) {
          out.put_u32(asn);
        } else {
          // RFC 6793 §4.2.2: an ASN that does not fit two octets is sent as AS_TRANS.
          out.put_u16(static_cast<std::uint16_t>(asn > 0xFFFF ? base::kAsTrans.value() : asn));
        }
      }
    }
  }
}

}  // namespace bgpsecd::wire
