// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for the BGPsec_PATH decoder (RFC 8205 §3). The first input byte is the base
// offset (the decoder has no capability-dependent paths); the rest is the attribute value.
// Every successful decode must re-encode to the same bytes and decode to an equal value, and
// decode_secure_path must agree with it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/byte_writer.hpp"
#include "wire/bgpsec_path.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) {
    return 0;
  }
  const std::span<const std::uint8_t> input(data, size);
  const std::size_t base_offset = input[0];
  const auto value = input.subspan(1);
  const auto decoded = bgpsecd::wire::decode_bgpsec_path(value, base_offset);
  // The Secure_Path alone (RFC 8374 §8.5) decodes whenever the whole value does, to the same
  // segments, and fails only with the whole value's error.
  const auto secure_path = bgpsecd::wire::decode_secure_path(value, base_offset);
  if (decoded && (!secure_path || !(*secure_path == decoded->secure_path))) {
    __builtin_trap();
  }
  if (!decoded && !secure_path && !(secure_path.error() == decoded.error())) {
    __builtin_trap();
  }
  if (!decoded) {
    // Errors must point inside (or just past) the value they describe.
    const auto& e = decoded.error();
    if (e.offset < base_offset || e.offset + e.length > base_offset + value.size()) {
      __builtin_trap();
    }
    return 0;
  }
  bgpsecd::base::ByteWriter w;
  bgpsecd::wire::encode_bgpsec_path_value(*decoded, w);
  // Every field is length-determined, so the encoding is canonical: same bytes back.
  if (!std::equal(w.bytes().begin(), w.bytes().end(), value.begin(), value.end())) {
    __builtin_trap();
  }
  const auto again = bgpsecd::wire::decode_bgpsec_path(w.bytes());
  if (!again || !(*again == *decoded)) {
    __builtin_trap();
  }
  return 0;
}
