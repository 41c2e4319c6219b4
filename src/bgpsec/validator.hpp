// SPDX-License-Identifier: BSD-2-Clause
// BGPsec path validation (RFC 8205 §5.2) in the order of RFC 8374 §8.1 / docs/design.md:
//   1. cheap checks, no crypto: the value's structure, then the protocol checks of
//      RFC 8205 §5.2 (#6 - #12), each a treat-as-withdraw error;
//   2. per supported Signature_Block, cheapest first: look up the router keys of every
//      segment by (AS, SKI) (a missing key makes the block Not Valid, no crypto), then verify
//      newest to oldest; the first Valid block makes the route Valid.
// A decode failure of the attribute maps to a result with validation_from_wire_error().
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "base/asn.hpp"
#include "base/prefix.hpp"
#include "base/ski.hpp"
#include "base/wire_error.hpp"
#include "bgpsec/reason.hpp"
#include "bgpsec/signature_verifier.hpp"
#include "bgpsec/signed_data.hpp"
#include "crypto/keys.hpp"
#include "rpki/router_key_lookup.hpp"
#include "wire/bgpsec_path.hpp"

namespace bgpsecd::bgpsec {

struct PathValidation {
  PathState state = PathState::NotValid;
  Reason reason = Reason::Valid;
  // TreatAsWithdraw for the RFC 8205 §5.2 errors (is_malformed(reason)); empty for Valid,
  // NotValid signatures and Unverifiable, where the route is kept.
  std::optional<base::Action> action;
  // Index in Secure_Path (most recent = 0) of the segment that failed, -1 when none applies.
  int failed_segment = -1;
  std::uint8_t block_suite = 0;        // suite of the block the result is about (0: none)
  std::size_t signatures_checked = 0;  // signatures whose verification was attempted
  // KeyNotFound: the (AS, SKI) for which the router key table had no key.
  base::Asn missing_key_asn;
  base::Ski missing_key_ski;

  [[nodiscard]] bool treat_as_withdraw() const noexcept {
    return action == base::Action::TreatAsWithdraw;
  }
};

// The route the BGPsec_PATH came with (from the UPDATE's MP_REACH_NLRI).
struct RouteContext {
  base::Prefix prefix;
  std::uint8_t safi = base::kSafiUnicast;
  // AFI as received in MP_REACH_NLRI; 0 means "the prefix's AFI".
  std::uint16_t afi = 0;
  bool as_path_present = false;    // an AS_PATH attribute is present too
  std::size_t prefix_count = 1;    // prefixes announced by the UPDATE (both NLRI places)
  bool prefix_in_mp_reach = true;  // the prefix travelled in MP_REACH_NLRI

  [[nodiscard]] std::uint16_t effective_afi() const noexcept {
    return afi != 0 ? afi : static_cast<std::uint16_t>(prefix.afi());
  }
};

enum class PeerRelation : std::uint8_t {
  Ebgp,        // an external peer (outside our AS and our confederation)
  Ibgp,        // same AS (same Member-AS inside a confederation)
  ConfedEbgp,  // another Member-AS of our confederation (RFC 5065)
};

struct PeerContext {
  // The AS the peer sends to, i.e. our AS as it sees us: the Target AS of the newest
  // signature (RFC 8205 §5.2). Towards external peers of a confederation this is the
  // confederation identifier, towards other members our Member-AS.
  base::Asn own_as;
  base::Asn peer_as;  // from the peer's OPEN (its Member-AS for ConfedEbgp)
  PeerRelation relation = PeerRelation::Ebgp;
  // RFC 8205 §7.2: pCount 0 in the peer's segment is accepted only when configured (IXP
  // transparent route server; the same knob serves RFC 8206 AS migration).
  bool peer_is_transparent_route_server = false;
  // RFC 8205 §2.2: we advertised BGPsec receive and the peer BGPsec send for this AFI.
  bool bgpsec_receive_negotiated = true;
  // Our confederation identifier when we are a confederation member.
  std::optional<base::Asn> confederation_id;
};

// The result for a BGPsec_PATH that failed to decode (WireError::detail = BgpsecPathCheck).
[[nodiscard]] PathValidation validation_from_wire_error(const base::WireError& error) noexcept;

// Step 1 only: the RFC 8205 §5.2 checks that need no keys and no crypto. Returns the
// treat-as-withdraw result of the first failing check, or nullopt when all pass.
[[nodiscard]] std::optional<PathValidation> check_path(const wire::BgpsecPath& path,
                                                       const RouteContext& route,
                                                       const PeerContext& peer) noexcept;

// Signatures of several paths gathered by Validator::collect_signatures, for one
// SignatureVerifier::verify_batch call. Owns the signed octets and the keys its jobs point into;
// the signatures themselves stay in the decoded paths, which must outlive the jobs.
class PendingSignatures {
 public:
  // Where one path's signatures went: jobs()[first_job, first_job + jobs).
  struct Gathered {
    std::size_t first_job = 0;
    std::size_t jobs = 0;
    std::size_t signatures = 0;  // of the block, gathered or not
  };

  // At most `max_per_path` signatures of a path, the newest: a forged path costs at most that
  // many verifications here, the rest are left to the path's own validation (which stops at
  // its first failure).
  explicit PendingSignatures(std::uint8_t suite, std::size_t max_per_path = 8) noexcept
      : suite_(suite), max_per_path_(max_per_path) {}

  [[nodiscard]] std::uint8_t suite() const noexcept { return suite_; }
  [[nodiscard]] std::span<const VerifyJob> jobs() const noexcept { return jobs_; }

  // The path's result when the batch settles it: every signature of its block was gathered and
  // verifies (job_valid from verify_batch over jobs()), which is verify_signatures' Valid for
  // it. Otherwise nullopt and the path's own validation decides (a failure is reported there,
  // with the block order and the failing segment; the batch's outcomes are in the cache).
  [[nodiscard]] std::optional<PathValidation> settled(const Gathered& path,
                                                      std::span<const bool> job_valid) const;

 private:
  friend class Validator;
  std::uint8_t suite_;
  std::size_t max_per_path_;
  // Deques: what a job points into never moves when more is added.
  std::deque<BlockSignedData> data_;
  std::deque<std::vector<crypto::PublicKey>> keys_;
  std::vector<VerifyJob> jobs_;
};

class Validator {
 public:
  // Both references must outlive the validator.
  explicit Validator(const rpki::RouterKeyLookup& keys,
                     const SignatureVerifier& verifier = default_signature_verifier()) noexcept
      : keys_(keys), verifier_(verifier) {}

  // Steps 1 and 2.
  [[nodiscard]] PathValidation validate(const wire::BgpsecPath& path, const RouteContext& route,
                                        const PeerContext& peer) const;

  // Step 2 only, for a path that passed check_path (e.g. deferred validation, or
  // revalidation after a router key change). `own_as` is the newest signature's Target AS.
  [[nodiscard]] PathValidation verify_signatures(const wire::BgpsecPath& path,
                                                 const base::Prefix& prefix, std::uint8_t safi,
                                                 base::Asn own_as) const;

  // The jobs verify_signatures(path, prefix, safi, own_as) would hand the verifier first: the
  // signatures of the first block it tries, when that block is of out.suite() and every key of
  // it is found (otherwise nothing is added). So a worker can have many routes' signatures
  // checked at once (SignatureVerifier::verify_batch) and settle the routes whose signatures
  // all verify without validating them again (PendingSignatures::settled).
  // Returns where they went, or nullopt when nothing was added.
  std::optional<PendingSignatures::Gathered> collect_signatures(const wire::BgpsecPath& path,
                                                                const base::Prefix& prefix,
                                                                std::uint8_t safi, base::Asn own_as,
                                                                PendingSignatures& out) const;

 private:
  // The blocks of a suite the verifier implements, in the order they are tried.
  [[nodiscard]] std::vector<std::size_t> blocks_to_try(const wire::BgpsecPath& path) const;

  const rpki::RouterKeyLookup& keys_;
  const SignatureVerifier& verifier_;
};

}  // namespace bgpsecd::bgpsec
