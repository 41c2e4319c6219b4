// SPDX-License-Identifier: BSD-2-Clause
// BGPsec_PATH codec (RFC 8205 §3). The decoder follows the parser checklist of
// RFC 8205 §3 step by step; every failure is a treat-as-withdraw WireError (RFC 8205
// §5.2, RFC 7606) whose `detail` names the failed check and whose offset/length point at the
// offending bytes.
#include "wire/bgpsec_path.hpp"

#include <array>
#include <cstddef>

#include "base/byte_reader.hpp"
#include "base/check.hpp"

namespace bgpsecd::wire {
namespace {

constexpr std::size_t kSegmentSize = 6;  // pCount u8, Flags u8, AS u32
constexpr std::size_t kSecurePathMinLength = 2 + kSegmentSize;
constexpr std::size_t kBlockHeaderSize = 3;                         // length u16 + suite u8
constexpr std::size_t kSignatureHeaderSize = base::Ski::kSize + 2;  // SKI + sig length
constexpr std::size_t kMaxSignatureBlocks = 2;

// All BGPsec_PATH errors are treat-as-withdraw (RFC 8205 §5.2). The NOTIFICATION code and
// subcode are recorded as UPDATE Message Error / Malformed Attribute List (3/1) for logs; they
// are never sent, because the action is not SessionReset.
base::WireError bgpsec_error(BgpsecPathCheck check, std::size_t offset,
                             std::size_t length) noexcept {
  base::WireError e;
  e.action = base::Action::TreatAsWithdraw;
  e.code = base::notify::kUpdateMessageError;
  e.subcode = 1;  // Malformed Attribute List (RFC 4271 §6.3)
  e.offset = static_cast<std::uint32_t>(offset);
  e.length = static_cast<std::uint32_t>(length);
  e.what = bgpsec_path_check_name(check);
  e.detail = static_cast<std::uint16_t>(check);
  return e;
}

base::Result<void, base::WireError> read_secure_path(base::ByteReader& r,
                                                     std::vector<SecurePathSegment>& out) {
  const std::size_t start = r.offset();
  const std::size_t attr_len = r.remaining();
  std::uint16_t length = 0;
  // RFC 8205 §3: need >= 2 octets.
  if (!r.read_u16(length)) {
    return base::fail(bgpsec_error(BgpsecPathCheck::SecurePathTruncated, start, attr_len));
  }
  // RFC 8205 §3.1: the length counts itself; at least one 6-octet segment.
  if (length < kSecurePathMinLength || (length - 2) % kSegmentSize != 0) {
    return base::fail(bgpsec_error(BgpsecPathCheck::SecurePathLength, start, 2));
  }
  base::ByteReader body;
  // RFC 8205 §5.2: the Secure_Path must fit in the attribute.
  if (!r.sub(length - 2U, body)) {
    return base::fail(bgpsec_error(BgpsecPathCheck::SecurePathTruncated, start, attr_len));
  }
  const std::size_t count = (length - 2U) / kSegmentSize;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    SecurePathSegment seg;
    std::uint32_t asn = 0;
    // Cannot fail: the body holds exactly count * 6 octets.
    if (!body.read_u8(seg.pcount) || !body.read_u8(seg.flags) || !body.read_u32(asn)) {
      return base::fail(bgpsec_error(BgpsecPathCheck::SecurePathTruncated, start, attr_len));
    }
    seg.asn = base::Asn(asn);
    out.push_back(seg);
  }
  return {};
}

base::Result<SignatureSegment, base::WireError> decode_signature_segment(base::ByteReader& block) {
  const std::size_t start = block.offset();
  // RFC 8205 §3: SKI (20) + Signature Length (2) must be present.
  if (block.remaining() < kSignatureHeaderSize) {
    return base::fail(
        bgpsec_error(BgpsecPathCheck::SignatureSegmentTruncated, start, block.remaining()));
  }
  SignatureSegment seg;
  std::array<std::uint8_t, base::Ski::kSize> ski{};
  std::uint16_t sig_len = 0;
  if (!block.read_into(ski) || !block.read_u16(sig_len)) {
    return base::fail(
        bgpsec_error(BgpsecPathCheck::SignatureSegmentTruncated, start, block.remaining()));
  }
  seg.ski = base::Ski(ski);
  std::span<const std::uint8_t> sig;
  // RFC 8205 §5.2: a signature of at least one octet that fits inside its block.
  if (sig_len == 0 || !block.read_bytes(sig_len, sig)) {
    return base::fail(bgpsec_error(BgpsecPathCheck::SignatureLength, start + base::Ski::kSize,
                                   2 + block.remaining()));
  }
  seg.signature.assign(sig.begin(), sig.end());
  return seg;
}

base::Result<SignatureBlock, base::WireError> decode_signature_block(base::ByteReader& r,
                                                                     std::size_t path_segments) {
  const std::size_t start = r.offset();
  std::uint16_t length = 0;
  // RFC 8205 §3: length (2) + suite (1) present, length >= 3 and inside the attribute.
  if (r.remaining() < kBlockHeaderSize || !r.read_u16(length)) {
    return base::fail(bgpsec_error(BgpsecPathCheck::SignatureBlockTruncated, start, r.remaining()));
  }
  base::ByteReader body;
  if (length < kBlockHeaderSize || !r.sub(length - 2U, body)) {
    return base::fail(
        bgpsec_error(BgpsecPathCheck::SignatureBlockTruncated, start, 2 + r.remaining()));
  }
  SignatureBlock block;
  if (!body.read_u8(block.suite)) {  // cannot fail: length >= 3
    return base::fail(bgpsec_error(BgpsecPathCheck::SignatureBlockTruncated, start, length));
  }
  // RFC 8205 §5.2: the block is walked completely by its own length fields, whatever suite it
  // has (an unsupported suite is ignored for validation but must still be well formed).
  block.segments.reserve(path_segments);
  while (!body.empty()) {
    BGPSEC_ASSIGN_OR_RETURN(auto seg, decode_signature_segment(body));
    block.segments.push_back(std::move(seg));
  }
  // RFC 8205 §5.2: exactly one Signature_Segment per Secure_Path segment.
  if (block.segments.size() != path_segments) {
    return base::fail(bgpsec_error(BgpsecPathCheck::SegmentCountMismatch, start, length));
  }
  return block;
}

}  // namespace

const char* bgpsec_path_check_name(BgpsecPathCheck check) noexcept {
  switch (check) {
    case BgpsecPathCheck::None:
      return "none";
    case BgpsecPathCheck::SecurePathTruncated:
      return "secure-path-truncated";
    case BgpsecPathCheck::SecurePathLength:
      return "secure-path-length";
    case BgpsecPathCheck::NoSignatureBlock:
      return "no-signature-block";
    case BgpsecPathCheck::TooManySignatureBlocks:
      return "too-many-signature-blocks";
    case BgpsecPathCheck::SignatureBlockTruncated:
      return "signature-block-truncated";
    case BgpsecPathCheck::SignatureSegmentTruncated:
      return "signature-segment-truncated";
    case BgpsecPathCheck::SignatureLength:
      return "signature-length";
    case BgpsecPathCheck::SegmentCountMismatch:
      return "segment-count-mismatch";
    case BgpsecPathCheck::DuplicateSuite:
      return "duplicate-suite";
    case BgpsecPathCheck::AttributeFlags:
      return "attribute-flags";
  }
  return "unknown";
}

base::Result<BgpsecPath, base::WireError> decode_bgpsec_path(std::span<const std::uint8_t> value,
                                                             std::size_t base_offset) noexcept {
  base::ByteReader r(value, base_offset);
  BgpsecPath path;
  BGPSEC_TRY(read_secure_path(r, path.secure_path));

  // RFC 8205 §3: one or two Signature_Blocks follow the Secure_Path.
  if (r.empty()) {
    return base::fail(bgpsec_error(BgpsecPathCheck::NoSignatureBlock, r.offset(), 0));
  }
  while (!r.empty()) {
    // RFC 8205 §3 / §5.2: never more than two Signature_Blocks.
    if (path.blocks.size() == kMaxSignatureBlocks) {
      return base::fail(
          bgpsec_error(BgpsecPathCheck::TooManySignatureBlocks, r.offset(), r.remaining()));
    }
    const std::size_t block_start = r.offset();
    BGPSEC_ASSIGN_OR_RETURN(auto block, decode_signature_block(r, path.secure_path.size()));
    // Two blocks exist for algorithm transition, so they carry different suites
    // (RFC 8205 §5.2 #13). Both blocks have been walked completely at this point.
    if (!path.blocks.empty() && path.blocks.front().suite == block.suite) {
      return base::fail(bgpsec_error(BgpsecPathCheck::DuplicateSuite, block_start + 2, 1));
    }
    path.blocks.push_back(std::move(block));
  }
  return path;
}

base::Result<std::vector<SecurePathSegment>, base::WireError> decode_secure_path(
    std::span<const std::uint8_t> value, std::size_t base_offset) noexcept {
  base::ByteReader r(value, base_offset);
  std::vector<SecurePathSegment> secure_path;
  BGPSEC_TRY(read_secure_path(r, secure_path));
  return secure_path;
}

// ===== Encoding =====

std::size_t bgpsec_path_value_size(const BgpsecPath& path) noexcept {
  std::size_t size = 2 + kSegmentSize * path.secure_path.size();
  for (const auto& block : path.blocks) {
    size += kBlockHeaderSize;
    for (const auto& seg : block.segments) {
      size += kSignatureHeaderSize + seg.signature.size();
    }
  }
  return size;
}

void encode_secure_path_segment(const SecurePathSegment& seg, base::ByteWriter& out) {
  out.put_u8(seg.pcount);
  out.put_u8(seg.flags);
  out.put_u32(seg.asn.value());
}

void encode_signature_segment(const SignatureSegment& seg, base::ByteWriter& out) {
  out.put_bytes(seg.ski.span());
  out.put_u16(static_cast<std::uint16_t>(seg.signature.size()));
  out.put_bytes(seg.signature);
}

void encode_bgpsec_path_value(const BgpsecPath& path, base::ByteWriter& out) {
  // Callers keep values within kMaxBgpsecPathValueSize (the signer refuses to grow a path past
  // it, and decoded values are smaller by construction), so every u16 below is exact.
  BGPSEC_ASSERT(bgpsec_path_value_size(path) <= kMaxBgpsecPathValueSize);
  // RFC 8205 §3.1: Secure_Path Length counts its own two octets.
  const auto sp_len = out.reserve_u16();
  for (const auto& seg : path.secure_path) {
    encode_secure_path_segment(seg, out);
  }
  out.fill_u16(sp_len, static_cast<std::uint16_t>(out.since(sp_len, 0)));
  for (const auto& block : path.blocks) {
    // RFC 8205 §3.2: Signature_Block Length counts itself and the suite octet.
    const auto block_len = out.reserve_u16();
    out.put_u8(block.suite);
    for (const auto& seg : block.segments) {
      encode_signature_segment(seg, out);
    }
    out.fill_u16(block_len, static_cast<std::uint16_t>(out.since(block_len, 0)));
  }
}

void encode_bgpsec_path_attribute(const BgpsecPath& path, base::ByteWriter& out) {
  // RFC 8205 §3: optional, non-transitive; we always use the 2-octet (Extended) length.
  out.put_u8(kBgpsecPathFlags);
  out.put_u8(kAttrBgpsecPath);
  const auto len = out.reserve_u16();
  encode_bgpsec_path_value(path, out);
  out.fill_u16(len, static_cast<std::uint16_t>(out.since(len, 2)));
}

}  // namespace bgpsecd::wire
