// SPDX-License-Identifier: BSD-2-Clause
// Stable names of validation outcomes. Changing a name changes logs, metrics and JSON output:
// add new names, do not rename.
#include "bgpsec/reason.hpp"

namespace bgpsecd::bgpsec {

const char* reason_name(Reason reason) noexcept {
  switch (reason) {
    case Reason::Valid:
      return "valid";
    case Reason::SecurePathTruncated:
      return "secure-path-truncated";
    case Reason::SecurePathLength:
      return "secure-path-length";
    case Reason::NoSignatureBlock:
      return "no-signature-block";
    case Reason::TooManySignatureBlocks:
      return "too-many-signature-blocks";
    case Reason::SignatureBlockTruncated:
      return "signature-block-truncated";
    case Reason::SignatureSegmentTruncated:
      return "signature-segment-truncated";
    case Reason::SignatureLength:
      return "signature-length";
    case Reason::SegmentCountMismatch:
      return "segment-count-mismatch";
    case Reason::DuplicateSuite:
      return "duplicate-suite";
    case Reason::AttributeFlags:
      return "attribute-flags";
    case Reason::Malformed:
      return "malformed";
    case Reason::AsPathAlsoPresent:
      return "as-path-also-present";
    case Reason::BgpsecNotNegotiated:
      return "bgpsec-not-negotiated";
    case Reason::PeerAsMismatch:
      return "peer-as-mismatch";
    case Reason::PcountZeroNotAllowed:
      return "pcount-zero-not-allowed";
    case Reason::ConfedSegmentFromOutside:
      return "confed-segment-from-outside";
    case Reason::ConfedSegmentsNotContiguous:
      return "confed-segments-not-contiguous";
    case Reason::ConfedFlagMissing:
      return "confed-flag-missing";
    case Reason::MoreThanOnePrefix:
      return "more-than-one-prefix";
    case Reason::PrefixNotInMpReach:
      return "prefix-not-in-mp-reach";
    case Reason::UnsupportedAfiSafi:
      return "unsupported-afi-safi";
    case Reason::NoSupportedSuite:
      return "no-supported-suite";
    case Reason::KeyNotFound:
      return "key-not-found";
    case Reason::SignatureInvalid:
      return "signature-invalid";
    case Reason::ServerInvalid:
      return "server-invalid";
  }
  return "unknown";
}

const char* path_state_name(PathState state) noexcept {
  switch (state) {
    case PathState::Valid:
      return "valid";
    case PathState::NotValid:
      return "not-valid";
    case PathState::Unverifiable:
      return "unverifiable";
  }
  return "unknown";
}

bool is_malformed(Reason reason) noexcept {
  return reason >= Reason::SecurePathTruncated && reason <= Reason::UnsupportedAfiSafi;
}

Reason reason_from_check(wire::BgpsecPathCheck check) noexcept {
  using wire::BgpsecPathCheck;
  switch (check) {
    case BgpsecPathCheck::SecurePathTruncated:
      return Reason::SecurePathTruncated;
    case BgpsecPathCheck::SecurePathLength:
      return Reason::SecurePathLength;
    case BgpsecPathCheck::NoSignatureBlock:
      return Reason::NoSignatureBlock;
    case BgpsecPathCheck::TooManySignatureBlocks:
      return Reason::TooManySignatureBlocks;
    case BgpsecPathCheck::SignatureBlockTruncated:
      return Reason::SignatureBlockTruncated;
    case BgpsecPathCheck::SignatureSegmentTruncated:
      return Reason::SignatureSegmentTruncated;
    case BgpsecPathCheck::SignatureLength:
      return Reason::SignatureLength;
    case BgpsecPathCheck::SegmentCountMismatch:
      return Reason::SegmentCountMismatch;
    case BgpsecPathCheck::DuplicateSuite:
      return Reason::DuplicateSuite;
    case BgpsecPathCheck::AttributeFlags:
      return Reason::AttributeFlags;
    case BgpsecPathCheck::None:
      break;
  }
  return Reason::Malformed;
}

}  // namespace bgpsecd::bgpsec
