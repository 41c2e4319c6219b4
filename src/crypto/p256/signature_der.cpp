// SPDX-License-Identifier: BSD-2-Clause
// Strict DER ECDSA-Sig-Value parsing through base::ByteReader (docs/style.md §2.2, §2.3).
#include "crypto/p256/signature_der.hpp"

#include <algorithm>
#include <array>
#include <cstring>

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

bool compact_from_der(std::span<const std::uint8_t> der, CompactSignature& out) noexcept {
  SignatureScalars sig;
  if (!parse_der_signature(der, sig)) {
    return false;
  }
  limbs_to_be(sig.r, std::span<std::uint8_t, 32>(out.data(), 32));
  limbs_to_be(sig.s, std::span<std::uint8_t, 32>(out.data() + 32, 32));
  return true;
}

namespace {

// One INTEGER from 32 big-endian octets at `out`; returns the octets written (at most 35).
std::size_t put_integer(std::span<const std::uint8_t, 32> value, std::uint8_t* out) noexcept {
  // The fewest octets: no leading zero octets, but at least one octet (X.690 §8.3.2).
  const auto first =
      std::find_if(value.begin(), value.end() - 1, [](std::uint8_t octet) { return octet != 0; });
  const auto length = static_cast<std::size_t>(value.end() - first);
  const bool sign_octet = (*first & 0x80) != 0;  // positive: a 00 keeps the top bit clear
  std::size_t at = 0;
  out[at++] = kTagInteger;
  out[at++] = static_cast<std::uint8_t>(length + (sign_octet ? 1 : 0));
  if (sign_octet) {
    out[at++] = 0x00;
  }
  std::memcpy(out + at, &*first, length);
  return at + length;
}

}  // namespace

std::size_t der_from_compact(const CompactSignature& compact,
                             std::span<std::uint8_t, kMaxDerSignatureSize> out) noexcept {
  // Two INTEGERs of at most 35 octets each: the SEQUENCE's length fits the short form.
  std::size_t at = 2;
  at += put_integer(std::span<const std::uint8_t, 32>(compact.data(), 32), out.data() + at);
  at += put_integer(std::span<const std::uint8_t, 32>(compact.data() + 32, 32), out.data() + at);
  out[0] = kTagSequence;
  out[1] = static_cast<std::uint8_t>(at - 2);
  return at;
}

}  // namespace bgpsecd::crypto::p256
