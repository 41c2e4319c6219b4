// SPDX-License-Identifier: BSD-2-Clause
// AS_PATH reconstruction from a Secure_Path (RFC 8205 §4.4): for peers
// without BGPsec, for loop detection, best-path length and route origin validation.
#pragma once

#include <cstddef>
#include <span>

#include "base/asn.hpp"
#include "wire/as_path.hpp"
#include "wire/bgpsec_path.hpp"

namespace bgpsecd::bgpsec {

// Each segment's AS pCount times (pCount 0 contributes nothing), most recent first; runs of
// Confed_Segment segments become AS_CONFED_SEQUENCE, the others AS_SEQUENCE, each split into
// segments of at most 255 ASNs. A well-formed path (validator.hpp check #10) has its confed
// segments at the most recent end, giving AS_CONFED_SEQUENCE before AS_SEQUENCE.
[[nodiscard]] wire::AsPath rebuild_as_path(std::span<const wire::SecurePathSegment> secure_path);

// Path length for the decision process: Σ pCount over non-confed segments (RFC 8205 §4.4 with
// RFC 4271 §9.1.2.2(a): confederation segments do not count).
[[nodiscard]] std::size_t secure_path_length(
    std::span<const wire::SecurePathSegment> secure_path) noexcept;

// The origin AS for route origin validation (RFC 6811): the AS of the least recent segment.
// Asn(0) for an empty path (never the case for a decoded BgpsecPath).
[[nodiscard]] base::Asn secure_path_origin_as(
    std::span<const wire::SecurePathSegment> secure_path) noexcept;

}  // namespace bgpsecd::bgpsec
