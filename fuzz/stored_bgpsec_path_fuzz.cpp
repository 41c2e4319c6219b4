// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for the RIB's BGPsec_PATH storage (rib/stored_bgpsec_path.hpp). The input is an
// attribute value; whatever decodes is stored, alone and then sharing with a variant of itself
// whose newest signature differs, and each must give back exactly what went in. Equality of
// stored values must follow equality of the decoded ones.
#include <cstddef>
#include <cstdint>
#include <span>

#include "rib/stored_bgpsec_path.hpp"
#include "wire/bgpsec_path.hpp"

namespace {
[[noreturn]] void fail() { __builtin_trap(); }
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using bgpsecd::rib::StoredBgpsecPath;
  const auto decoded = bgpsecd::wire::decode_bgpsec_path(std::span<const std::uint8_t>(data, size));
  if (!decoded) {
    return 0;
  }
  const auto& path = *decoded;
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
