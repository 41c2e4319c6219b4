// SPDX-License-Identifier: BSD-2-Clause
// Strict DER ECDSA-Sig-Value parsing through base::ByteReader (docs/style.md §2.2, §2.3).
#include "crypto/p256/signature_der.hpp"

#include <array>

#include "base/byte_reader.hpp"
#include "crypto/p256/scalar.hpp"

namespace bgpsecd::crypto::p256 {
namespace {

constexpr std::uint8_t kTagInteger = 0x02;
constexpr std::uint8_t kTagSequence = 0x30;

// Tag and short-form length, then the content as its own reader. X.690 §10.1: DER uses the
// short form for lengths below 128, and nothing in a 72-octet signature is longer.
bool read_short_tlv(base::ByteReader& r, std::uint8_t want_tag,
                    base::ByteReader& content) noexcept {
  std::uint8_t tag = 0;
  std::uint8_t len = 0;
  return r.read_u8(tag) && tag == want_tag && r.read_u8(len) && len < 0x80 && r.sub(len, content);
}

// One INTEGER in [1, n-1] (X.690 §8.3: two's complement in the fewest octets).
bool read_scalar(base::ByteReader& r, Limbs& out) noexcept {
  base::ByteReader body;
  std::uint8_t first = 0;
  if (!read_short_tlv(r, kTagInteger, body) || !body.peek_u8(first)) {
    return false;  // missing, truncated, or empty (X.690 §8.3.1: at least one octet)
  }
  if ((first & 0x80) != 0) {
    return false;  // negative
  }
  if (first == 0x00) {
    // X.690 §8.3.2: a leading 00 only before an octet with its top bit set. A lone 00 is the
    // value 0, out of range anyway.
    std::uint8_t second = 0;
    if (!body.skip(1) || !body.peek_u8(second) || (second & 0x80) == 0) {
      return false;
    }
  }
  std::array<std::uint8_t, 32> be{};
  if (body.remaining() > be.size() ||
      !body.read_into(std::span<std::uint8_t>(be).last(body.remaining()))) {
    return false;  // at least 2^256 > n
  }
  const Limbs v = limbs_from_be(be);
  if (is_zero4(v) || !less4(v, kN)) {
    return false;
  }
  out = v;
  return true;
}

}  // namespace

bool parse_der_signature(std::span<const std::uint8_t> der, SignatureScalars& out) noexcept {
  if (der.size() > kMaxDerSignatureSize) {
    return false;
  }
  base::ByteReader r(der);
  base::ByteReader seq;
  SignatureScalars sig;
  if (!read_short_tlv(r, kTagSequence, seq) || !r.empty() || !read_scalar(seq, sig.r) ||
      !read_scalar(seq, sig.s) || !seq.empty()) {
    return false;
  }
  out = sig;
  return true;
}

}  // namespace bgpsecd::crypto::p256
