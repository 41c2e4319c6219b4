// SPDX-License-Identifier: BSD-2-Clause
// The BGPsec_PATH attribute value (RFC 8205 §3, type code 33): Secure_Path followed by one or
// two Signature_Blocks. Pure codec: bytes in, value or error out, and back.
//
// Layout (all big-endian; RFC 8205 §3.1-3.2):
//   Secure_Path      = u16 length (= 2 + 6N, counts itself) || N x {pCount u8, Flags u8, AS u32}
//   Signature_Block  = u16 length (counts itself and the suite octet) || suite u8 ||
//                      N x {SKI 20, u16 sig length, sig}
// Segments are stored most recent first, exactly as on the wire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/asn.hpp"
#include "base/byte_writer.hpp"
#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/ski.hpp"
#include "base/wire_error.hpp"

namespace bgpsecd::wire {

inline constexpr std::uint8_t kAttrBgpsecPath = 33;
// Flags we send: Optional + Extended Length; Transitive and Partial clear (RFC 8205 §3).
inline constexpr std::uint8_t kBgpsecPathFlags = 0x90;
// Secure_Path segment flag bit (RFC 8205 §3.1).
inline constexpr std::uint8_t kConfedSegmentFlag = 0x80;
// Algorithm suite 1: SHA-256 + ECDSA P-256 (RFC 8608).
inline constexpr std::uint8_t kAlgorithmSuite1 = 1;

struct SecurePathSegment {
  std::uint8_t pcount = 1;
  std::uint8_t flags = 0;
  base::Asn asn;
  [[nodiscard]] bool confed() const noexcept { return (flags & kConfedSegmentFlag) != 0; }
  friend bool operator==(const SecurePathSegment&, const SecurePathSegment&) = default;
};

struct SignatureSegment {
  base::Ski ski;
  base::Bytes signature;  // DER ECDSA-Sig-Value for suite 1
  friend bool operator==(const SignatureSegment&, const SignatureSegment&) = default;
};

struct SignatureBlock {
  std::uint8_t suite = kAlgorithmSuite1;
  std::vector<SignatureSegment> segments;  // most recent first, one per Secure_Path segment
  friend bool operator==(const SignatureBlock&, const SignatureBlock&) = default;
};

struct BgpsecPath {
  std::vector<SecurePathSegment> secure_path;  // most recent first; back() is the origin
  std::vector<SignatureBlock> blocks;          // one or two
  friend bool operator==(const BgpsecPath&, const BgpsecPath&) = default;
};

// Each structural check of RFC 8205 §5.2 that the codec can make has its own code; it is
// carried in WireError::detail. All of them are treat-as-withdraw (RFC 8205 §5.2, RFC 7606).
enum class BgpsecPathCheck : std::uint16_t {
  None = 0,
  SecurePathTruncated = 1,        // fewer than 2 octets, or Secure_Path length overruns
  SecurePathLength = 2,           // length < 8 or (length - 2) % 6 != 0
  NoSignatureBlock = 3,           // nothing after the Secure_Path
  TooManySignatureBlocks = 4,     // more than two blocks
  SignatureBlockTruncated = 5,    // block header missing or block length overruns / < 3
  SignatureSegmentTruncated = 6,  // < 22 octets left for SKI + length
  SignatureLength = 7,            // signature length 0 or overruns its block
  SegmentCountMismatch = 8,       // block has != N Signature_Segments
  DuplicateSuite = 9,             // two blocks with the same suite
  // Found by the attribute walker, not by decode_bgpsec_path: Optional clear or Transitive set
  // (RFC 8205 §5.2 check #1, RFC 7606 §3(c)); its WireError is the walker's (subcode 4).
  AttributeFlags = 10,
};
[[nodiscard]] const char* bgpsec_path_check_name(BgpsecPathCheck check) noexcept;

// Decodes an attribute value (the bytes after flags/type/length). `base_offset` is the offset
// of value[0] within the message, for error reports. Errors are TreatAsWithdraw with
// UPDATE Message Error / Malformed Attribute List recorded, and detail = BgpsecPathCheck.
[[nodiscard]] base::Result<BgpsecPath, base::WireError> decode_bgpsec_path(
    std::span<const std::uint8_t> value, std::size_t base_offset = 0) noexcept;

// The Secure_Path at the start of a BGPsec_PATH value, whatever follows it: what a value that
// decode_bgpsec_path rejects for a Signature_Block still tells about the path (RFC 8374 §8.5
// "strip" keeps such a route unsigned with the AS_PATH rebuilt from it). Fails as
// decode_bgpsec_path does when the Secure_Path itself is truncated or has a bad length.
[[nodiscard]] base::Result<std::vector<SecurePathSegment>, base::WireError> decode_secure_path(
    std::span<const std::uint8_t> value, std::size_t base_offset = 0) noexcept;

// The largest value the 2-octet attribute length (and so every inner length) can describe.
// An UPDATE is smaller still (RFC 8654: 65535 octets for the whole message).
inline constexpr std::size_t kMaxBgpsecPathValueSize = 65535;

// Octets encode_bgpsec_path_value() would append; lets a caller check a size limit first.
[[nodiscard]] std::size_t bgpsec_path_value_size(const BgpsecPath& path) noexcept;

// One Secure_Path segment (6 octets) and one Signature_Segment (SKI, u16 length, signature)
// exactly as on the wire; the signed-data builder of RFC 8205 §4.2 reuses them.
void encode_secure_path_segment(const SecurePathSegment& seg, base::ByteWriter& out);
void encode_signature_segment(const SignatureSegment& seg, base::ByteWriter& out);

// Appends the value (no attribute header). Requires bgpsec_path_value_size(path) <=
// kMaxBgpsecPathValueSize and signatures shorter than 65536 octets (checked in debug builds).
void encode_bgpsec_path_value(const BgpsecPath& path, base::ByteWriter& out);
// Appends the whole attribute: flags 0x90, type 33, 2-octet length, value.
void encode_bgpsec_path_attribute(const BgpsecPath& path, base::ByteWriter& out);

}  // namespace bgpsecd::wire
