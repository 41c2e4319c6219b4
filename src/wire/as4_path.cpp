// SPDX-License-Identifier: BSD-2-Clause
// AS_PATH + AS4_PATH merge of RFC 6793 §4.2.3, for UPDATEs from peers without the 4-octet
// AS capability.
#include "wire/as4_path.hpp"

#include <algorithm>
#include <cstddef>

namespace bgpsecd::wire {

namespace {

constexpr std::size_t kMaxSegmentAsns = 255;  // 1-octet segment length (RFC 4271 §4.3)

bool is_confed(AsPathSegmentType type) noexcept {
  return type == AsPathSegmentType::AsConfedSequence || type == AsPathSegmentType::AsConfedSet;
}

}  // namespace

AsPath merge_as4_path(const AsPath& as_path, const AsPath& as4_path) {
  AsPath tail;
  for (const auto& seg : as4_path.segments) {
    if (!is_confed(seg.type)) {
      tail.segments.push_back(seg);
    }
  }
  const std::size_t have = as_path.length_for_decision();
  const std::size_t from_as4 = tail.length_for_decision();
  // RFC 6793 §4.2.3: fewer ASNs in AS_PATH than in AS4_PATH: AS4_PATH is ignored.
  if (have < from_as4) {
    return as_path;
  }
  std::size_t needed = have - from_as4;
  AsPath merged;
  for (const auto& seg : as_path.segments) {
    if (is_confed(seg.type)) {
      merged.segments.push_back(seg);  // counts zero; stays in its place at the front
      continue;
    }
    if (needed == 0) {
      break;
    }
    if (seg.type == AsPathSegmentType::AsSet) {
      merged.segments.push_back(seg);  // counts one; never split
      --needed;
      continue;
    }
    const std::size_t take = std::min(needed, seg.asns.size());
    AsPathSegment part{seg.type,
                       {seg.asns.begin(), seg.asns.begin() + static_cast<std::ptrdiff_t>(take)}};
    merged.segments.push_back(std::move(part));
    needed -= take;
  }
  auto next = tail.segments.begin();
  // The cut AS_SEQUENCE continues with AS4_PATH's first AS_SEQUENCE when both fit one
  // segment, so the result reads like the path an all-new chain would have sent.
  if (next != tail.segments.end() && !merged.segments.empty()) {
    AsPathSegment& last = merged.segments.back();
    if (last.type == AsPathSegmentType::AsSequence && next->type == AsPathSegmentType::AsSequence &&
        last.asns.size() + next->asns.size() <= kMaxSegmentAsns) {
      last.asns.insert(last.asns.end(), next->asns.begin(), next->asns.end());
      ++next;
    }
  }
  for (; next != tail.segments.end(); ++next) {
    merged.segments.push_back(std::move(*next));
  }
  return merged;
}

}  // namespace bgpsecd::wire
