// SPDX-License-Identifier: BSD-2-Clause
// A benchmark table from real routes (`bgpsec gen --as-paths FILE`): the prefixes and AS paths
// of an MRT file (mrt/routes.hpp) turned into the SyntheticTable that table_signer.hpp signs,
// so that path lengths, prepending and the sharing of ASes between paths are the Internet's.
// Pure and deterministic.
//
// What a BGPsec Secure_Path can hold decides what is kept (RFC 8205 §3):
//  - a run of one AS (prepending) becomes one segment with that pCount (at most 255 a segment);
//  - a path with an AS_SET or a confederation segment cannot be signed (RFC 8205 §5.2 has no
//    sets; confederation segments never leave the confederation): skipped and counted;
//  - a path with AS 0 (RFC 7607) or with the receiving or a sending AS (it would be a loop
//    through the benchmark's own routers) is skipped and counted; so is an empty path;
//  - 4-octet, 2-octet, private and AS_TRANS numbers are kept as they are: every AS that
//    appears gets a key like the ASes of a synthetic table.
#pragma once

#include <cstddef>
#include <span>

#include "base/asn.hpp"
#include "base/result.hpp"
#include "bgpsec/synthetic_table.hpp"
#include "mrt/routes.hpp"

namespace bgpsecd::bgpsec {

struct RealPathStats {
  std::size_t kept = 0;
  std::size_t with_set = 0;     // AS_SET or AS_CONFED_SET
  std::size_t with_confed = 0;  // AS_CONFED_SEQUENCE
  std::size_t with_as0 = 0;
  std::size_t with_reserved = 0;  // the receiving or a sending AS
  std::size_t empty = 0;
  std::size_t prepends = 0;  // kept paths with a segment of pCount > 1
};

// `routes` in file order; `reserved` the receiving and sending ASes; at most `limit` routes are
// kept (the first that can be signed). Routes keep their order; ASes are listed transit first
// (those that appear anywhere but as an origin). Fails when no route is left.
[[nodiscard]] base::Result<SyntheticTable> make_real_path_table(
    std::span<const mrt::PathRoute> routes, std::span<const base::Asn> reserved, std::size_t limit,
    RealPathStats& stats);

}  // namespace bgpsecd::bgpsec
