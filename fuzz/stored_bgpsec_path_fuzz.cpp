// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for the RIB's BGPsec_PATH storage (rib/stored_bgpsec_path.hpp). The input is an
// attribute value; whatever decodes is stored, alone and then sharing with a variant of itself
// whose newest signature differs, and each must give back exactly what went in. Equality of
// stored values must follow equality of the decoded ones. Random octets are seldom strict DER,
// so signatures whose first octet is odd are first rewritten as the DER of r ‖ s taken from
// their octets: a path mixes signatures kept as r ‖ s with signatures kept as received.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/p256/signature_der.hpp"
#include "rib/stored_bgpsec_path.hpp"
#include "wire/bgpsec_path.hpp"

namespace {
[[noreturn]] void fail() { __builtin_trap(); }

// Strict DER of r ‖ s read from `octets` (zero-padded to 64), with r and s made to lie in
// [1, n-1]: a first octet of each in 1..0xFE.
bgpsecd::base::Bytes strict_der_from(std::span<const std::uint8_t> octets) {
  namespace p256 = bgpsecd::crypto::p256;
  p256::CompactSignature rs{};
  std::copy_n(octets.begin(), std::min(octets.size(), rs.size()), rs.begin());
  rs[0] = static_cast<std::uint8_t>(rs[0] % 0xFE + 1);
  rs[32] = static_cast<std::uint8_t>(rs[32] % 0xFE + 1);
  std::array<std::uint8_t, p256::kMaxDerSignatureSize> der{};
  const std::size_t length = p256::der_from_compact(rs, der);
  p256::CompactSignature back{};
  if (!p256::compact_from_der(std::span(der).first(length), back) || back != rs) {
    fail();  // the two directions must agree
  }
  return {der.begin(), der.begin() + static_cast<std::ptrdiff_t>(length)};
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using bgpsecd::rib::StoredBgpsecPath;
  const auto decoded = bgpsecd::wire::decode_bgpsec_path(std::span<const std::uint8_t>(data, size));
  if (!decoded) {
    return 0;
  }
  auto path = *decoded;
  for (auto& block : path.blocks) {
    for (auto& seg : block.segments) {
      if (!seg.signature.empty() && (seg.signature.front() & 1) != 0) {
        seg.signature = strict_der_from(seg.signature);
      }
    }
  }
  const auto first = StoredBgpsecPath::store(path);
  if (first.decode() != path || first.shared_hops() != 0) {
    fail();
  }
  // The same route from another peer: the newest signature differs (another Target AS), the
  // rest is the same octets and must be shared.
  auto variant = path;
  auto& newest = variant.blocks.front().segments.front().signature;
  newest.push_back(0x5A);  // the decoder's 2-octet lengths and the input size keep it < 65536
  const StoredBgpsecPath* others[] = {&first};
  const auto second = StoredBgpsecPath::store(variant, others);
  if (second.decode() != variant || first.decode() != path) {
    fail();
  }
  if (second.shared_hops() != path.secure_path.size() - 1 || second == first) {
    fail();
  }
  // The path one hop earlier (the newest hop removed): all of it is the lower part of `first`,
  // found by aligning at the origin although the lengths differ.
  if (path.secure_path.size() > 1) {
    auto earlier = path;
    earlier.secure_path.erase(earlier.secure_path.begin());
    for (auto& block : earlier.blocks) {
      block.segments.erase(block.segments.begin());
    }
    const auto shorter = StoredBgpsecPath::store(earlier, others);
    if (shorter.decode() != earlier || shorter.shared_hops() != earlier.secure_path.size()) {
      fail();
    }
  }
  // The same path again is the same value; equal octets compare equal without sharing too.
  const auto again = StoredBgpsecPath::store(path, others);
  if (!(again == first) || !(StoredBgpsecPath::store(path) == first)) {
    fail();
  }
  return 0;
}
