// SPDX-License-Identifier: BSD-2-Clause
// The three SRx results of an update (docs/srx-proxy.md, "How bgpsecvd computes results"),
// computed with bgpsecd's own engine, and the index that finds the updates an RPKI change
// affects (RFC 8374 §9.2):
//   origin  RFC 6811 against the snapshot's VRPs: Valid 0, NotFound 1, Invalid 2; synchronous;
//   path    RFC 8205 §5.2: step 1 (decode, the checks that need no keys) here, then step 2 (the
//           signatures) through an injected PathCheck, which the server hands to its worker
//           pool. Valid 0 or Invalid 2: no attribute, a malformed one, a missing key and a
//           bad signature are all Invalid, as NIST's server encodes them;
//   ASPA    no ASPA data yet: Unknown 5 for an AS_SEQUENCE path, Unverifiable 6 otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <unordered_map>
#include <vector>

#include "base/asn.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"
#include "bgpsec/signature_verifier.hpp"
#include "bgpsec/validator.hpp"
#include "rib/stored_bgpsec_path.hpp"
#include "rpki/rpki_store.hpp"
#include "srx/pdu.hpp"
#include "validation_server/update.hpp"
#include "wire/bgpsec_path.hpp"

namespace bgpsecd::validation_server {

// RFC 8205 §5.2 step 2 for one path: verify the signatures of `path` (which passed step 1)
// for `prefix`/`safi`, the newest targeting `own_as`, with the router keys of `rpki`, then call
// `done` once. The arguments are those of the daemon's validation pool job, so the server's
// glue forwards them to the pool; `done` may run later and on another call stack.
using PathCheck = std::function<void(rib::StoredBgpsecPath path, base::Prefix prefix,
                                     std::uint8_t safi, base::Asn own_as, rpki::SnapshotPtr rpki,
                                     std::function<void(const bgpsec::PathValidation&)> done)>;

// A PathCheck that verifies on the caller's thread, inside the call, with `verifier` (which
// must outlive it).
[[nodiscard]] PathCheck inline_path_check(const bgpsec::SignatureVerifier& verifier);

// The request's attribute bytes (flags, type 33, length, value) decoded by the UPDATE
// attribute walker, so RFC 8205 §5.2 check #1 (Optional set, Transitive clear) and every
// structural check apply. Anything but exactly one BGPsec_PATH attribute is an error.
[[nodiscard]] base::Result<wire::BgpsecPath, base::WireError> decode_update_attribute(
    std::span<const std::uint8_t> attribute);

// Step 1 of RFC 8205 §5.2 for the update (RFC 8374 §8.2: the cheap checks before any
// crypto): the attribute decoded and checked against the update's prefix, SAFI and local AS.
// The stored path, or why the path result is Invalid without a signature being checked.
[[nodiscard]] base::Result<rib::StoredBgpsecPath> checked_update_path(const UpdateContent& content);

// RFC 6811 §2 for the update's prefix and origin AS.
[[nodiscard]] srx::SrxResult origin_result(const UpdateContent& content,
                                           const rpki::Snapshot& rpki);
// The SRx path result of a finished RFC 8205 §5.2 validation: Valid 0 or Invalid 2 (a path
// with no supported suite is handled as unsigned, RFC 8205 §5.2, and unsigned is Invalid).
[[nodiscard]] srx::SrxResult path_result(const bgpsec::PathValidation& validation) noexcept;
// Without ASPA data: Unknown 5 for an AS_SEQUENCE path (asType 2), Unverifiable 6 otherwise.
[[nodiscard]] srx::SrxResult aspa_result(const UpdateContent& content) noexcept;

// The tracked updates whose results an RPKI change may alter, each list ascending.
struct AffectedUpdates {
  std::vector<std::uint32_t> origin;  // within the prefix of a VRP added or removed
  std::vector<std::uint32_t> path;    // signed with a router key added or removed
  friend bool operator==(const AffectedUpdates&, const AffectedUpdates&) = default;
};

class UpdateValidation {
 public:
  // Called once per result type validate() was asked for.
  using Done = std::function<void(std::uint32_t id, ResultType type, srx::SrxResult result,
                                  std::uint64_t generation)>;

  // `rpki` must outlive this object; `path_check` runs step 2 of path validation.
  UpdateValidation(const rpki::RpkiStore& rpki, PathCheck path_check);

  // Computes the results named in `types` (kFlagOrigin | kFlagPath | kFlagAspa; other bits
  // are ignored) for update `id` with one RPKI snapshot, and passes each to `done` with
  // `generation` unchanged (the caller's tag to recognise stale results). Origin and ASPA are
  // delivered before validate() returns; the path result too when step 1 fails, otherwise
  // when the PathCheck calls back.
  void validate(std::uint32_t id, const UpdateContent& content, std::uint8_t types,
                std::uint64_t generation, const Done& done);

  // Adds (or replaces) update `id` in the revalidation index.
  void track(std::uint32_t id, const UpdateContent& content);
  void forget(std::uint32_t id);
  [[nodiscard]] std::size_t tracked() const noexcept { return updates_.size(); }

  // RFC 8374 §9.2: origin, every tracked update whose prefix a VRP added or removed covers
  // (RFC 6811 §2); path, every tracked update that passed step 1 and has a signature naming
  // (AS, SKI) of a router key added or removed. Whether an update asked for that type is the
  // caller's to check.
  [[nodiscard]] AffectedUpdates affected(const rpki::ChangeSet& change) const;

 private:
  struct Tracked {
    base::Prefix prefix;
    rib::StoredBgpsecPath path;  // empty: no attribute, or step 1 failed
  };
  void unindex(std::uint32_t id, const Tracked& tracked);

  const rpki::RpkiStore& rpki_;
  PathCheck path_check_;
  std::unordered_map<std::uint32_t, Tracked> updates_;
  std::map<base::Prefix, std::set<std::uint32_t>> by_prefix_;
};

}  // namespace bgpsecd::validation_server
