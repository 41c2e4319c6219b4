// SPDX-License-Identifier: BSD-2-Clause
// RFC 8205 §4.2 signed octets, written through base::ByteWriter with the wire encoders of the
// segments so that what is hashed is byte for byte what travels.
#include "bgpsec/signed_data.hpp"

#include "base/byte_writer.hpp"
#include "base/check.hpp"

namespace bgpsecd::bgpsec {
namespace {

// RFC 8205 §4.2: Algorithm Suite Identifier ‖ AFI ‖ SAFI ‖ NLRI, the NLRI being the prefix
// length in bits and the minimal number of prefix octets (host bits are zero in base::Prefix).
void put_trailer(std::uint8_t suite, const base::Prefix& prefix, std::uint8_t safi,
                 base::ByteWriter& out) {
  out.put_u8(suite);
  out.put_u16(static_cast<std::uint16_t>(prefix.afi()));
  out.put_u8(safi);
  out.put_u8(prefix.length());
  out.put_bytes(prefix.nlri_octets());
}

}  // namespace

base::Bytes build_signed_data(base::Asn target, std::span<const wire::SecurePathSegment> path,
                              std::span<const wire::SignatureSegment> older,
                              const SignedRoute& route) {
  // The caller passes one older signature per older segment (see the header).
  BGPSEC_ASSERT(!path.empty() && older.size() + 1 == path.size());
  base::ByteWriter w;
  // RFC 8205 §4.2: Target AS first ...
  w.put_u32(target.value());
  // ... then, from the signer's segment down to the origin's, each segment preceded by the
  // Signature_Segment of the next older hop (the origin's segment has none after it).
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (i < older.size()) {
      wire::encode_signature_segment(older[i], w);
    }
    wire::encode_secure_path_segment(path[i], w);
  }
  put_trailer(route.suite, route.prefix, route.safi, w);
  return w.take();
}

BlockSignedData::BlockSignedData(base::Asn own_as,
                                 std::span<const wire::SecurePathSegment> secure_path,
                                 const wire::SignatureBlock& block, const base::Prefix& prefix,
                                 std::uint8_t safi) {
  // Guaranteed by decode_bgpsec_path (RFC 8205 §5.2 count check) and by the validator's own
  // structural checks before it builds this.
  BGPSEC_ASSERT(secure_path.size() == block.segments.size());
  const std::size_t n = secure_path.size();
  base::ByteWriter w;
  offsets_.reserve(n);
  offsets_.push_back(0);
  // RFC 8205 §5.2: the newest signature's Target AS is the validating speaker's own AS.
  w.put_u32(own_as.value());
  for (std::size_t i = 0; i < n; ++i) {
    if (i + 1 < n) {
      wire::encode_signature_segment(block.segments[i + 1], w);
    }
    wire::encode_secure_path_segment(secure_path[i], w);
    // The next older signature (of S[i+1]) targets the AS of S[i]: the last 4 octets just
    // written start its octet string (RFC 8205 §4.2).
    if (i + 1 < n) {
      offsets_.push_back(w.size() - 4);
    }
  }
  put_trailer(block.suite, prefix, safi, w);
  buf_ = w.take();
}

}  // namespace bgpsecd::bgpsec
