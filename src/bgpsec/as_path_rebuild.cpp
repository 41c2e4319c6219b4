// SPDX-License-Identifier: BSD-2-Clause
// Secure_Path -> AS_PATH (RFC 8205 §4.4).
#include "bgpsec/as_path_rebuild.hpp"

namespace bgpsecd::bgpsec {
namespace {

constexpr std::size_t kMaxAsnsPerSegment = 255;  // 1-octet segment length (RFC 4271 §4.3)

void append_asn(wire::AsPath& out, wire::AsPathSegmentType type, base::Asn asn) {
  // RFC 4271 §5.1.2: a full segment or a change of type starts a new segment.
  if (out.segments.empty() || out.segments.back().type != type ||
      out.segments.back().asns.size() == kMaxAsnsPerSegment) {
    out.segments.push_back(wire::AsPathSegment{type, {}});
  }
  out.segments.back().asns.push_back(asn);
}

}  // namespace

wire::AsPath rebuild_as_path(std::span<const wire::SecurePathSegment> secure_path) {
  wire::AsPath out;
  for (const auto& seg : secure_path) {
    // RFC 8205 §4.4: Confed_Segment segments map to AS_CONFED_SEQUENCE (RFC 5065), the rest
    // to AS_SEQUENCE; the AS appears pCount times (prepending; 0 for route servers).
    const auto type = seg.confed() ? wire::AsPathSegmentType::AsConfedSequence
                                   : wire::AsPathSegmentType::AsSequence;
    for (std::size_t i = 0; i < seg.pcount; ++i) {
      append_asn(out, type, seg.asn);
    }
  }
  return out;
}

std::size_t secure_path_length(std::span<const wire::SecurePathSegment> secure_path) noexcept {
  std::size_t length = 0;
  for (const auto& seg : secure_path) {
    if (!seg.confed()) {
      length += seg.pcount;
    }
  }
  return length;
}

base::Asn secure_path_origin_as(std::span<const wire::SecurePathSegment> secure_path) noexcept {
  return secure_path.empty() ? base::Asn(0) : secure_path.back().asn;
}

}  // namespace bgpsecd::bgpsec
