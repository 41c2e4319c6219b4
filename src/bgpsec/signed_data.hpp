// SPDX-License-Identifier: BSD-2-Clause
// The octet string a BGPsec signature covers (RFC 8205 §4.2):
//
//   Target AS ‖ G(k-1) ‖ S(k) ‖ G(k-2) ‖ S(k-1) ‖ … ‖ G(1) ‖ S(2) ‖ S(1) ‖ Suite ‖ AFI ‖ SAFI ‖
//   NLRI
//
// where S are Secure_Path segments (6 octets), G whole Signature_Segments of the same block
// (SKI ‖ u16 length ‖ signature) and NLRI = prefix-length octet ‖ ceil(len/8) prefix octets.
// Two forms: one signature's octets (signer, tests), and one buffer for a whole block from
// which every signature's octets are suffixes (validator, RFC 8205 §4.2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/asn.hpp"
#include "base/bytes.hpp"
#include "base/prefix.hpp"
#include "wire/bgpsec_path.hpp"

namespace bgpsecd::bgpsec {

// What every signature of a block covers besides the path (RFC 8205 §4.2): the Algorithm
// Suite Identifier and the route's AFI, SAFI and prefix. The AFI is the prefix's.
struct SignedRoute {
  std::uint8_t suite = wire::kAlgorithmSuite1;
  base::Prefix prefix;
  std::uint8_t safi = base::kSafiUnicast;
};

// Octets signed by the AS that added path[0] towards `target`.
//   path  : Secure_Path segments from the signer's own (most recent) down to the origin's.
//   older : the Signature_Segments of the same block for path[1..], most recent first;
//           older.size() must be path.size() - 1 (checked in debug builds).
// Origin (path.size() == 1): Target AS ‖ S1 ‖ Suite ‖ AFI ‖ SAFI ‖ NLRI.
[[nodiscard]] base::Bytes build_signed_data(base::Asn target,
                                            std::span<const wire::SecurePathSegment> path,
                                            std::span<const wire::SignatureSegment> older,
                                            const SignedRoute& route);

// All signatures of one Signature_Block in one buffer (RFC 8205 §4.2):
//   buf = own AS ‖ G[1] ‖ S[0] ‖ G[2] ‖ S[1] ‖ … ‖ G[n-1] ‖ S[n-2] ‖ S[n-1] ‖ trailer
// (indices as on the wire, 0 = most recent). The signature of S[i] covers buf[offset(i):]:
// for i > 0 its Target AS is the AS field of S[i-1], which sits exactly 4 octets before it.
class BlockSignedData {
 public:
  // `secure_path` and `block.segments` must have the same size (the decoder guarantees it).
  BlockSignedData(base::Asn own_as, std::span<const wire::SecurePathSegment> secure_path,
                  const wire::SignatureBlock& block, const base::Prefix& prefix, std::uint8_t safi);

  [[nodiscard]] std::size_t size() const noexcept { return offsets_.size(); }
  // The octets the signature of secure_path[index] covers.
  [[nodiscard]] std::span<const std::uint8_t> for_segment(std::size_t index) const noexcept {
    return std::span<const std::uint8_t>(buf_).subspan(offsets_[index]);
  }

 private:
  base::Bytes buf_;
  std::vector<std::size_t> offsets_;
};

}  // namespace bgpsecd::bgpsec
