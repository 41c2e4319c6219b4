// SPDX-License-Identifier: BSD-2-Clause
// ASPA path verification (docs/aspa.md §4-§6): path preparation (prepends collapsed, AS_SET
// and confederation segments refused), the up- and down-ramps, and the upstream and downstream
// procedures. The verdict names the hop that decided it, so that an operator can be told which
// AS pair failed (docs/aspa.md §8).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "aspa/aspa_table.hpp"
#include "base/asn.hpp"
#include "base/result.hpp"
#include "wire/as_path.hpp"

namespace bgpsecd::aspa {

enum class AspaState : std::uint8_t { Valid, Invalid, Unknown };

// "valid", "invalid", "unknown".
[[nodiscard]] const char* aspa_state_name(AspaState state) noexcept;

// docs/aspa.md §7: upstream for routes from a customer, a lateral peer, an RS client (on the
// RS) or the RS (on an RS client); downstream for routes from a provider.
enum class Direction : std::uint8_t { Upstream, Downstream };

// "upstream", "downstream".
[[nodiscard]] const char* direction_name(Direction d) noexcept;

// Why the verdict is what it is.
enum class AspaReason : std::uint8_t {
  None,              // Valid
  EmptyPath,         // docs/aspa.md §5 step 1
  NeighborMismatch,  // step 2: the most recently added AS is not the neighbor
  AsSet,             // step 3: an AS_SET anywhere in the path
  ConfedSegment,     // an AS_CONFED_SEQUENCE / AS_CONFED_SET (docs/aspa.md §4)
  NotProviderPlus,   // Invalid: a hop is attested as not a provider (up_hop / down_hop)
  NoAttestation,     // Unknown: a hop's customer has no ASPA (up_hop / down_hop)
};

// "empty-path", "neighbor-mismatch", ... ("" for None).
[[nodiscard]] const char* aspa_reason_name(AspaReason reason) noexcept;

// One pair of adjacent ASes of the prepared path. `index` is the customer's position counted
// from the origin (AS(1) is the origin, AS(N) the neighbor, docs/aspa.md §4).
struct Hop {
  std::size_t index = 0;
  base::Asn customer;
  base::Asn provider;
  Authorization authorization = Authorization::NoAttestation;
  friend bool operator==(const Hop&, const Hop&) = default;
};

// docs/aspa.md §5: the ramp bounds of a prepared path of length N (each in 0..N), and the hops
// that end them (absent when the bound is N).
struct Ramps {
  std::size_t max_up = 0;
  std::size_t min_up = 0;
  std::size_t max_down = 0;
  std::size_t min_down = 0;
  std::optional<Hop> max_up_hop;    // the first Not Provider+ hop from the origin
  std::optional<Hop> min_up_hop;    // the first hop from the origin that is not Provider+
  std::optional<Hop> max_down_hop;  // the first Not Provider+ hop from the neighbor
  std::optional<Hop> min_down_hop;  // the first hop from the neighbor that is not Provider+
};

struct Verdict {
  AspaState state = AspaState::Invalid;
  AspaReason reason = AspaReason::None;
  // The hop on the up-ramp (from the origin) and, downstream, on the down-ramp (from the
  // neighbor) that made the verdict Invalid or Unknown.
  std::optional<Hop> up_hop;
  std::optional<Hop> down_hop;
  // Length of the prepared path (0 when preparation failed).
  std::size_t path_length = 0;
  friend bool operator==(const Verdict&, const Verdict&) = default;
};

struct VerifyOptions {
  Direction direction = Direction::Upstream;
  // docs/aspa.md §5 step 2: the neighbor's AS, which must be the most recently added AS.
  // nullopt skips the check: an RS client receiving from a transparent route server, or a
  // caller that has already done the RFC 4271 §6.3 check.
  std::optional<base::Asn> neighbor_as;
};

// docs/aspa.md §4: the AS_SEQUENCE segments flattened, neighbor first, with consecutive
// duplicates (prepends) collapsed. Fails with EmptyPath, AsSet or ConfedSegment.
[[nodiscard]] base::Result<std::vector<base::Asn>, AspaReason> prepare_path(
    const wire::AsPath& path);

// docs/aspa.md §5. `path` is prepared (neighbor first, no two equal neighbours, non-empty).
// With `with_down` false, max_down and min_down are 0 (upstream). The scans stop at the first
// Not Provider+ hop from each end, so a path costs at most 2 (N - 1) lookups.
[[nodiscard]] Ramps compute_ramps(const AspaTable& table, std::span<const base::Asn> path,
                                  bool with_down);

// docs/aspa.md §6, steps 4-6, on a prepared non-empty path.
[[nodiscard]] Verdict verify_prepared(const AspaTable& table, std::span<const base::Asn> path,
                                      Direction direction);

// The whole procedure (docs/aspa.md §6): steps 1-3 on `path`, then the ramps.
[[nodiscard]] Verdict verify(const AspaTable& table, const wire::AsPath& path,
                             const VerifyOptions& options);

}  // namespace bgpsecd::aspa
