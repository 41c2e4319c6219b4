// SPDX-License-Identifier: BSD-2-Clause
// Outcomes of BGPsec path validation (RFC 8205 §5): the path state and, for every outcome, a
// distinct Reason with a stable text name (logs, metrics labels, `bgpsecctl --json`).
#pragma once

#include <cstdint>

#include "wire/bgpsec_path.hpp"

namespace bgpsecd::bgpsec {

enum class PathState : std::uint8_t {
  Valid = 0,     // one supported Signature_Block verified completely (RFC 8205 §5.2)
  NotValid = 1,  // a check or a signature failed
  // No Signature_Block has a suite we implement: the caller strips the signatures, rebuilds
  // AS_PATH (as_path_rebuild.hpp) and handles the route as unsigned (docs/design.md §7).
  Unverifiable = 2,
};

enum class Reason : std::uint8_t {
  Valid = 0,

  // RFC 8205 §5.2 structural checks (one per wire::BgpsecPathCheck); treat-as-withdraw.
  SecurePathTruncated,
  SecurePathLength,
  NoSignatureBlock,
  TooManySignatureBlocks,
  SignatureBlockTruncated,
  SignatureSegmentTruncated,
  SignatureLength,
  SegmentCountMismatch,
  DuplicateSuite,
  AttributeFlags,  // #1 BGPsec_PATH flags: Optional clear or Transitive set
  Malformed,       // a wire error with a detail this version does not know

  // RFC 8205 §5.2 protocol checks; treat-as-withdraw.
  AsPathAlsoPresent,            // #6 AS_PATH and BGPsec_PATH in one UPDATE
  BgpsecNotNegotiated,          // #7 no BGPsec receive for this AFI with this peer
  PeerAsMismatch,               // #8 most recent AS is not the eBGP peer's AS
  PcountZeroNotAllowed,         // #9 pCount 0 from a peer not configured as route server
  ConfedSegmentFromOutside,     // #10 Confed_Segment from outside our confederation
  ConfedSegmentsNotContiguous,  // #10 Confed_Segment after a non-confed segment
  ConfedFlagMissing,            // #10 confed member peer's segment lacks Confed_Segment
  MoreThanOnePrefix,            // #11 RFC 8205 §4.1: exactly one prefix
  PrefixNotInMpReach,           // #11 the prefix must travel in MP_REACH_NLRI
  UnsupportedAfiSafi,           // #12 AFI not 1/2 or SAFI not 1

  // Signature outcomes (RFC 8205 §5.2 signature steps).
  NoSupportedSuite,  // -> PathState::Unverifiable
  KeyNotFound,       // no router key for (AS, SKI) of a segment: Not Valid without crypto
  SignatureInvalid,  // no candidate key verifies a signature

  // RFC 8374 §9.3.2: an off-router validation server (SRx proxy protocol) checked the path and
  // answered invalid; its answer names no reason (docs/srx-proxy.md §8).
  ServerInvalid,
};

inline constexpr Reason kLastReason = Reason::ServerInvalid;

[[nodiscard]] const char* reason_name(Reason reason) noexcept;
[[nodiscard]] const char* path_state_name(PathState state) noexcept;

// True for the RFC 8205 §5.2 structural and protocol errors, which are treat-as-withdraw.
[[nodiscard]] bool is_malformed(Reason reason) noexcept;

// The Reason for a codec check (WireError::detail of decode_bgpsec_path).
[[nodiscard]] Reason reason_from_check(wire::BgpsecPathCheck check) noexcept;

}  // namespace bgpsecd::bgpsec
