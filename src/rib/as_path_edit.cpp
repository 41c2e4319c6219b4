// SPDX-License-Identifier: BSD-2-Clause
// AS_PATH edits of export (see as_path_edit.hpp).
#include "rib/as_path_edit.hpp"

#include <algorithm>

namespace bgpsecd::rib {
namespace {

using wire::AsPathSegmentType;

constexpr std::size_t kMaxSegmentAsns = 255;  // 1-octet segment length (RFC 4271 §4.3)

bool is_confed(AsPathSegmentType t) noexcept {
  return t == AsPathSegmentType::AsConfedSequence || t == AsPathSegmentType::AsConfedSet;
}

// `asn` in front of the leading segment of `type`, or of a new one when the path starts with
// another type or the leading segment is full (RFC 4271 §5.1.2, RFC 5065 §5.3).
void prepend_in(wire::AsPath& path, AsPathSegmentType type, base::Asn asn) {
  if (path.segments.empty() || path.segments.front().type != type ||
      path.segments.front().asns.size() >= kMaxSegmentAsns) {
    path.segments.insert(path.segments.begin(), wire::AsPathSegment{type, {}});
  }
  auto& asns = path.segments.front().asns;
  asns.insert(asns.begin(), asn);
}

}  // namespace

void prepend_as(wire::AsPath& path, base::Asn asn, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    prepend_in(path, AsPathSegmentType::AsSequence, asn);
  }
}

void prepend_confed_member(wire::AsPath& path, base::Asn member_as) {
  prepend_in(path, AsPathSegmentType::AsConfedSequence, member_as);
}

void remove_confed_segments(wire::AsPath& path) {
  std::erase_if(path.segments, [](const wire::AsPathSegment& s) { return is_confed(s.type); });
}

std::size_t remove_private_asns(wire::AsPath& path, PrivateAsRemoval mode,
                                std::span<const base::Asn> keep) {
  const auto removable = [keep](base::Asn a) {
    return base::is_private_asn(a) && std::find(keep.begin(), keep.end(), a) == keep.end();
  };
  if (mode == PrivateAsRemoval::None) {
    return 0;
  }
  std::size_t removed = 0;
  for (auto& seg : path.segments) {
    if (is_confed(seg.type)) {
      continue;
    }
    if (mode == PrivateAsRemoval::All) {
      removed += static_cast<std::size_t>(std::erase_if(seg.asns, removable));
      continue;
    }
    if (seg.type != AsPathSegmentType::AsSequence) {
      break;  // an AS_SET: its order says nothing about which ASNs are the most recent
    }
    const auto first_kept =
        std::find_if(seg.asns.begin(), seg.asns.end(), [&](base::Asn a) { return !removable(a); });
    removed += static_cast<std::size_t>(first_kept - seg.asns.begin());
    seg.asns.erase(seg.asns.begin(), first_kept);
    if (!seg.asns.empty()) {
      break;
    }
  }
  std::erase_if(path.segments, [](const wire::AsPathSegment& s) { return s.asns.empty(); });
  return removed;
}

std::size_t private_asns_in(std::span<const wire::SecurePathSegment> secure_path,
                            PrivateAsRemoval mode, std::span<const base::Asn> keep) {
  wire::AsPathSegment sequence{AsPathSegmentType::AsSequence, {}};
  for (const auto& s : secure_path) {
    if (!s.confed()) {
      sequence.asns.push_back(s.asn);
    }
  }
  wire::AsPath path{{std::move(sequence)}};
  return remove_private_asns(path, mode, keep);
}

}  // namespace bgpsecd::rib
