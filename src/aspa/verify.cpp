// SPDX-License-Identifier: BSD-2-Clause
#include "aspa/verify.hpp"

namespace bgpsecd::aspa {

const char* aspa_state_name(AspaState state) noexcept {
  switch (state) {
    case AspaState::Valid:
      return "valid";
    case AspaState::Invalid:
      return "invalid";
    case AspaState::Unknown:
      return "unknown";
  }
  return "invalid";
}

const char* direction_name(Direction d) noexcept {
  return d == Direction::Upstream ? "upstream" : "downstream";
}

const char* aspa_reason_name(AspaReason reason) noexcept {
  switch (reason) {
    case AspaReason::None:
      return "";
    case AspaReason::EmptyPath:
      return "empty-path";
    case AspaReason::NeighborMismatch:
      return "neighbor-mismatch";
    case AspaReason::AsSet:
      return "as-set";
    case AspaReason::ConfedSegment:
      return "confed-segment";
    case AspaReason::NotProviderPlus:
      return "not-provider+";
    case AspaReason::NoAttestation:
      return "no-attestation";
  }
  return "";
}

base::Result<std::vector<base::Asn>, AspaReason> prepare_path(const wire::AsPath& path) {
  std::vector<base::Asn> out;
  for (const auto& segment : path.segments) {
    switch (segment.type) {
      case wire::AsPathSegmentType::AsSequence:
        break;
      case wire::AsPathSegmentType::AsSet:
        // docs/aspa.md §4 (step 3 of both procedures): any AS_SET makes the path Invalid.
        if (!segment.asns.empty()) {
          return base::fail(AspaReason::AsSet);
        }
        continue;
      case wire::AsPathSegmentType::AsConfedSequence:
      case wire::AsPathSegmentType::AsConfedSet:
        // docs/aspa.md §4: no stripping of confederation segments is defined; we refuse them
        // as BIRD does (docs/aspa.md §9).
        if (!segment.asns.empty()) {
          return base::fail(AspaReason::ConfedSegment);
        }
        continue;
    }
    for (const auto asn : segment.asns) {
      // docs/aspa.md §4: only consecutive duplicates (prepends) collapse; [A B A] stays.
      if (out.empty() || out.back() != asn) {
        out.push_back(asn);
      }
    }
  }
  // docs/aspa.md §6 step 1: an empty AS_PATH is Invalid.
  if (out.empty()) {
    return base::fail(AspaReason::EmptyPath);
  }
  return out;
}

Ramps compute_ramps(const AspaTable& table, std::span<const base::Asn> path, bool with_down) {
  const std::size_t n = path.size();
  // AS(i), 1-based from the origin, in a path stored neighbor first.
  const auto as_at = [&](std::size_t i) { return path[n - i]; };
  Ramps r;
  r.max_up = n;
  r.min_up = n;
  // docs/aspa.md §5: max_up_ramp is the first I with authorized(AS(I), AS(I+1)) Not
  // Provider+, min_up_ramp the first that is not Provider+. The first is never below the
  // second, so the scan ends at the first Not Provider+.
  for (std::size_t i = 1; i < n; ++i) {
    const Hop hop{i, as_at(i), as_at(i + 1), table.authorized(as_at(i), as_at(i + 1))};
    if (hop.authorization == Authorization::ProviderPlus) {
      continue;
    }
    if (!r.min_up_hop) {
      r.min_up = i;
      r.min_up_hop = hop;
    }
    if (hop.authorization == Authorization::NotProviderPlus) {
      r.max_up = i;
      r.max_up_hop = hop;
      break;
    }
  }
  if (!with_down) {
    return r;
  }
  r.max_down = n;
  r.min_down = n;
  // docs/aspa.md §5: with J the largest index whose authorized(AS(J), AS(J-1)) is Not
  // Provider+ (resp. not Provider+), max_down_ramp (resp. min_down_ramp) is N - J + 1.
  for (std::size_t j = n; j >= 2; --j) {
    const Hop hop{j, as_at(j), as_at(j - 1), table.authorized(as_at(j), as_at(j - 1))};
    if (hop.authorization == Authorization::ProviderPlus) {
      continue;
    }
    if (!r.min_down_hop) {
      r.min_down = n - j + 1;
      r.min_down_hop = hop;
    }
    if (hop.authorization == Authorization::NotProviderPlus) {
      r.max_down = n - j + 1;
      r.max_down_hop = hop;
      break;
    }
  }
  return r;
}

Verdict verify_prepared(const AspaTable& table, std::span<const base::Asn> path,
                        Direction direction) {
  const std::size_t n = path.size();
  const bool down = direction == Direction::Downstream;
  const Ramps r = compute_ramps(table, path, down);
  Verdict v;
  v.path_length = n;
  // docs/aspa.md §6 steps 4-6. Upstream takes both down-ramps as 0, so this is
  // max_up_ramp < N → Invalid, min_up_ramp < N → Unknown.
  if (r.max_up + r.max_down < n) {
    v.state = AspaState::Invalid;
    v.reason = AspaReason::NotProviderPlus;
    v.up_hop = r.max_up_hop;
    v.down_hop = r.max_down_hop;
  } else if (r.min_up + r.min_down < n) {
    v.state = AspaState::Unknown;
    v.reason = AspaReason::NoAttestation;
    v.up_hop = r.min_up_hop;
    v.down_hop = r.min_down_hop;
  } else {
    v.state = AspaState::Valid;
  }
  return v;
}

Verdict verify(const AspaTable& table, const wire::AsPath& path, const VerifyOptions& options) {
  // docs/aspa.md §6 step 2 comes before step 3, so look at the most recently added AS first.
  // A leading AS_SET has no single most recent AS; step 3 refuses it below.
  if (options.neighbor_as && !path.segments.empty() &&
      path.segments.front().type == wire::AsPathSegmentType::AsSequence &&
      !path.segments.front().asns.empty() &&
      path.segments.front().asns.front() != *options.neighbor_as) {
    return Verdict{AspaState::Invalid, AspaReason::NeighborMismatch, {}, {}, 0};
  }
  auto prepared = prepare_path(path);
  if (!prepared) {
    return Verdict{AspaState::Invalid, prepared.error(), {}, {}, 0};
  }
  return verify_prepared(table, *prepared, options.direction);
}

}  // namespace bgpsecd::aspa
