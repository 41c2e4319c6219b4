// SPDX-License-Identifier: BSD-2-Clause
// BGPsec path validator (RFC 8205 §5.2). Cheap checks first, then
// key lookups for a whole block, then crypto through SignatureVerifier.
#include "bgpsec/validator.hpp"

#include <algorithm>
#include <cassert>
#include <numeric>
#include <vector>

#include "bgpsec/signed_data.hpp"

namespace bgpsecd::bgpsec {
namespace {

constexpr std::size_t kMaxSignatureBlocks = 2;  // RFC 8205 §3

PathValidation malformed(Reason reason, int segment = -1) noexcept {
  PathValidation v;
  v.state = PathState::NotValid;
  v.reason = reason;
  // RFC 8205 §5.2: syntactic and protocol errors are handled as treat-as-withdraw
  // (RFC 7606); never a session reset (docs/design.md §7).
  v.action = base::Action::TreatAsWithdraw;
  v.failed_segment = segment;
  return v;
}

// The value's own structure. Decoded values always pass; values built elsewhere (tests,
// tools, a future in-memory path) get the same guarantees before the signed octets are built.
std::optional<PathValidation> check_structure(const wire::BgpsecPath& path) noexcept {
  const std::size_t n = path.secure_path.size();
  // RFC 8205 §5.2: at least one Secure_Path segment.
  if (n == 0) {
    return malformed(Reason::SecurePathLength);
  }
  // RFC 8205 §3 / §5.2: one or two Signature_Blocks.
  if (path.blocks.empty()) {
    return malformed(Reason::NoSignatureBlock);
  }
  if (path.blocks.size() > kMaxSignatureBlocks) {
    return malformed(Reason::TooManySignatureBlocks);
  }
  // 2 + 6N must fit the Secure_Path Length field, and the whole value its attribute length.
  if (wire::bgpsec_path_value_size(path) > wire::kMaxBgpsecPathValueSize) {
    return malformed(Reason::SecurePathLength);
  }
  for (const auto& block : path.blocks) {
    // RFC 8205 §5.2: one Signature_Segment per Secure_Path segment.
    if (block.segments.size() != n) {
      return malformed(Reason::SegmentCountMismatch);
    }
    for (std::size_t i = 0; i < n; ++i) {
      // RFC 8205 §5.2: a Signature Length of at least one octet.
      if (block.segments[i].signature.empty()) {
        return malformed(Reason::SignatureLength, static_cast<int>(i));
      }
    }
  }
  // RFC 8205 §5.2 #13: two blocks carry different suites.
  if (path.blocks.size() == 2 && path.blocks[0].suite == path.blocks[1].suite) {
    return malformed(Reason::DuplicateSuite);
  }
  return std::nullopt;
}

// RFC 8205 §4.3 / RFC 8205 §5.2 #10.
std::optional<PathValidation> check_confed(const wire::BgpsecPath& path,
                                           const PeerContext& peer) noexcept {
  const auto& sp = path.secure_path;
  // A peer outside our confederation (an external peer, or an iBGP peer when we are not in a
  // confederation at all) cannot have legitimately added or kept a Confed_Segment.
  const bool outside = peer.relation == PeerRelation::Ebgp ||
                       (peer.relation == PeerRelation::Ibgp && !peer.confederation_id);
  bool seen_plain = false;
  for (std::size_t i = 0; i < sp.size(); ++i) {
    if (!sp[i].confed()) {
      seen_plain = true;
      continue;
    }
    if (outside) {
      return malformed(Reason::ConfedSegmentFromOutside, static_cast<int>(i));
    }
    // Confed segments are removed on leaving a confederation, so inside one they form a
    // contiguous run at the most recent end of the Secure_Path.
    if (seen_plain) {
      return malformed(Reason::ConfedSegmentsNotContiguous, static_cast<int>(i));
    }
  }
  // A member of another Member-AS sets Confed_Segment in the segment it adds (RFC 8205 §4.3).
  if (peer.relation == PeerRelation::ConfedEbgp && !sp.front().confed()) {
    return malformed(Reason::ConfedFlagMissing, 0);
  }
  return std::nullopt;
}

PathValidation result_valid(std::uint8_t suite, std::size_t checked) noexcept {
  PathValidation v;
  v.state = PathState::Valid;
  v.reason = Reason::Valid;
  v.block_suite = suite;
  v.signatures_checked = checked;
  return v;
}

std::size_t signature_octets(const wire::SignatureBlock& block) noexcept {
  std::size_t total = 0;
  for (const auto& seg : block.segments) {
    total += seg.signature.size();
  }
  return total;
}

}  // namespace

PathValidation validation_from_wire_error(const base::WireError& error) noexcept {
  auto v = malformed(reason_from_check(static_cast<wire::BgpsecPathCheck>(error.detail)));
  // The codec decides the action (it is TreatAsWithdraw for every BgpsecPathCheck).
  v.action = error.action;
  return v;
}

std::optional<PathValidation> check_path(const wire::BgpsecPath& path, const RouteContext& route,
                                         const PeerContext& peer) noexcept {
  if (auto bad = check_structure(path)) {
    return bad;
  }
  // RFC 8205 §2.2 / §5.2 (check #7 in reason.hpp): BGPsec must have been negotiated in the
  // receive direction for this AFI.
  if (!peer.bgpsec_receive_negotiated) {
    return malformed(Reason::BgpsecNotNegotiated);
  }
  // RFC 8205 §4.1 / §5.2 (#6): a BGPsec UPDATE carries no AS_PATH.
  if (route.as_path_present) {
    return malformed(Reason::AsPathAlsoPresent);
  }
  // RFC 8205 §5.2 (#12): AFI 1 or 2 (matching the prefix), SAFI 1.
  const auto afi = route.effective_afi();
  if ((afi != 1 && afi != 2) || afi != static_cast<std::uint16_t>(route.prefix.afi()) ||
      route.safi != base::kSafiUnicast) {
    return malformed(Reason::UnsupportedAfiSafi);
  }
  // RFC 8205 §4.1 (#11): exactly one prefix, carried in MP_REACH_NLRI (also for IPv4).
  if (route.prefix_count != 1) {
    return malformed(Reason::MoreThanOnePrefix);
  }
  if (!route.prefix_in_mp_reach) {
    return malformed(Reason::PrefixNotInMpReach);
  }
  const auto& newest = path.secure_path.front();
  // iBGP peers pass the attribute unchanged, so #8 and #9 apply to eBGP and confed-eBGP only.
  if (peer.relation != PeerRelation::Ibgp) {
    // RFC 8205 §5.2 (#8): the most recent segment is the peer's own. A transparent route
    // server's segment (pCount 0) still carries its AS, so this holds for it too.
    if (newest.asn != peer.peer_as) {
      return malformed(Reason::PeerAsMismatch, 0);
    }
    // RFC 8205 §7.2 (#9): pCount 0 only from a peer configured as transparent route server;
    // between confederation members pCount 0 is the normal value (RFC 8205 §4.3).
    if (newest.pcount == 0 && peer.relation == PeerRelation::Ebgp &&
        !peer.peer_is_transparent_route_server) {
      return malformed(Reason::PcountZeroNotAllowed, 0);
    }
  }
  if (auto bad = check_confed(path, peer)) {
    return bad;
  }
  return std::nullopt;
}

PathValidation Validator::validate(const wire::BgpsecPath& path, const RouteContext& route,
                                   const PeerContext& peer) const {
  if (auto bad = check_path(path, route, peer)) {
    return *bad;
  }
  // RFC 8205 §5.2: the newest signature targets the validating speaker, also for iBGP peers
  // (the attribute arrives unchanged).
  return verify_signatures(path, route.prefix, route.safi, peer.own_as);
}

std::vector<std::size_t> Validator::blocks_to_try(const wire::BgpsecPath& path) const {
  // Blocks with a suite we implement, cheapest first (RFC 8374 §8.1): we
  // implement suite 1 only, so "cheaper" means fewer signature octets to verify.
  std::vector<std::size_t> order;
  for (std::size_t b = 0; b < path.blocks.size(); ++b) {
    // Unsupported suites are ignored for validation (RFC 8205 §5.2).
    if (verifier_.supports_suite(path.blocks[b].suite)) {
      order.push_back(b);
    }
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return signature_octets(path.blocks[a]) < signature_octets(path.blocks[b]);
  });
  return order;
}

std::optional<PathValidation> PendingSignatures::settled(const Gathered& path,
                                                         std::span<const bool> job_valid) const {
  assert(path.first_job + path.jobs <= jobs_.size() && job_valid.size() >= jobs_.size());
  if (path.jobs != path.signatures) {
    return std::nullopt;
  }
  const auto valid = job_valid.subspan(path.first_job, path.jobs);
  if (!std::all_of(valid.begin(), valid.end(), [](bool v) { return v; })) {
    return std::nullopt;
  }
  // As verify_signatures for a first block that verifies: every signature checked.
  return result_valid(suite_, path.signatures);
}

std::optional<PendingSignatures::Gathered> Validator::collect_signatures(
    const wire::BgpsecPath& path, const base::Prefix& prefix, std::uint8_t safi, base::Asn own_as,
    PendingSignatures& out) const {
  if (check_structure(path)) {
    return std::nullopt;
  }
  const std::vector<std::size_t> order = blocks_to_try(path);
  if (order.empty() || path.blocks[order.front()].suite != out.suite_) {
    return std::nullopt;
  }
  const auto& block = path.blocks[order.front()];
  const std::size_t n = path.secure_path.size();
  // RFC 8205 §5.2: keys by (AS of the segment, SKI of its signature); a block with a missing
  // key fails without crypto in verify_signatures, so it is not gathered.
  const std::size_t keys_before = out.keys_.size();
  for (std::size_t i = 0; i < n; ++i) {
    auto& keys = out.keys_.emplace_back();
    keys_.find(path.secure_path[i].asn, block.segments[i].ski, keys);
    if (keys.empty()) {
      out.keys_.resize(keys_before);
      return std::nullopt;
    }
  }
  const auto& data = out.data_.emplace_back(own_as, path.secure_path, block, prefix, safi);
  PendingSignatures::Gathered gathered{out.jobs_.size(), std::min(n, out.max_per_path_), n};
  for (std::size_t i = 0; i < gathered.jobs; ++i) {
    out.jobs_.push_back(
        VerifyJob{data.for_segment(i), block.segments[i].signature, out.keys_[keys_before + i]});
  }
  return gathered;
}

PathValidation Validator::verify_signatures(const wire::BgpsecPath& path,
                                            const base::Prefix& prefix, std::uint8_t safi,
                                            base::Asn own_as) const {
  // Callers may come here without check_path (deferred validation); never build signed
  // octets from a value of the wrong shape.
  if (auto bad = check_structure(path)) {
    return *bad;
  }
  const std::size_t n = path.secure_path.size();
  const std::vector<std::size_t> order = blocks_to_try(path);
  if (order.empty()) {
    // No supported suite: the caller strips the signatures and treats the route as
    // unsigned (RFC 8205 §5.2; docs/design.md §7).
    PathValidation v;
    v.state = PathState::Unverifiable;
    v.reason = Reason::NoSupportedSuite;
    return v;
  }

  std::optional<PathValidation> first_failure;
  std::size_t checked = 0;
  std::vector<std::vector<crypto::PublicKey>> keys(n);
  for (const std::size_t b : order) {
    const auto& block = path.blocks[b];
    PathValidation failure;
    failure.state = PathState::NotValid;
    failure.block_suite = block.suite;

    // RFC 8205 §5.2: keys by (AS of the segment, SKI of its signature). Every key of the
    // block is looked up before any crypto, so a missing key costs none (RFC 8374 §8.1).
    bool all_found = true;
    for (std::size_t i = 0; i < n; ++i) {
      keys[i].clear();
      keys_.find(path.secure_path[i].asn, block.segments[i].ski, keys[i]);
      if (keys[i].empty()) {
        failure.reason = Reason::KeyNotFound;
        failure.failed_segment = static_cast<int>(i);
        failure.missing_key_asn = path.secure_path[i].asn;
        failure.missing_key_ski = block.segments[i].ski;
        all_found = false;
        break;
      }
    }

    if (all_found) {
      // RFC 8205 §5.2: newest to oldest; Target AS = own AS for the newest, else the AS of
      // the next newer segment (built into the one buffer, RFC 8205 §4.2).
      const BlockSignedData data(own_as, path.secure_path, block, prefix, safi);
      std::vector<VerifyJob> jobs;
      jobs.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        jobs.push_back(VerifyJob{data.for_segment(i), block.segments[i].signature, keys[i]});
      }
      const auto outcome = verifier_.verify_block(block.suite, jobs);
      checked += outcome.checked;
      if (outcome.first_failure >= n) {
        // One fully valid supported block makes the route Valid (docs/design.md §7).
        return result_valid(block.suite, checked);
      }
      failure.reason = Reason::SignatureInvalid;
      failure.failed_segment = static_cast<int>(outcome.first_failure);
    }
    if (!first_failure) {
      first_failure = failure;
    }
  }
  // Every supported block failed: report the first (cheapest) block's failure.
  first_failure->signatures_checked = checked;
  return *first_failure;
}

}  // namespace bgpsecd::bgpsec
