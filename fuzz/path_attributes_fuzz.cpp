// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for the strict path attribute list decoder (wire/attributes.hpp). Input: one
// octet of DecodeContext bits, then a Path Attributes field. A clean decode must re-encode and
// decode again to the same value (docs/style.md §4.4).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/byte_writer.hpp"
#include "wire/attributes.hpp"

namespace {

using bgpsecd::wire::DecodeContext;
using bgpsecd::wire::EncodeContext;
using bgpsecd::wire::PathAttributes;
using bgpsecd::wire::UnknownAttribute;

// Re-encoding may add a segment header when AS4_PATH is merged; a value already at the
// 65535-octet limit would then not fit its length field.
constexpr std::size_t kMaxInput = 60000;

DecodeContext context_from(std::uint8_t bits) {
  DecodeContext ctx;
  ctx.four_octet_as = (bits & 0x01) != 0;
  ctx.extended_messages = (bits & 0x02) != 0;
  ctx.ibgp = (bits & 0x04) != 0;
  ctx.bgpsec.receive_ipv4 = (bits & 0x08) != 0;
  ctx.bgpsec.receive_ipv6 = (bits & 0x10) != 0;
  return ctx;
}

// The encoder writes unknown attributes in type order.
void sort_unknown(PathAttributes& a) {
  std::stable_sort(
      a.unknown.begin(), a.unknown.end(),
      [](const UnknownAttribute& x, const UnknownAttribute& y) { return x.type < y.type; });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  if (input.empty() || input.size() > kMaxInput) {
    return 0;
  }
  const DecodeContext ctx = context_from(input[0]);
  auto first = bgpsecd::wire::decode_path_attributes(input.subspan(1), ctx);
  if (!first) {
    return 0;
  }
  EncodeContext ectx;
  ectx.four_octet_as = ctx.four_octet_as;
  bgpsecd::base::ByteWriter w;
  bgpsecd::wire::encode_path_attributes(*first, ectx, w);
  auto second = bgpsecd::wire::decode_path_attributes(w.bytes(), ctx);
  if (!second) {
    __builtin_trap();
  }
  sort_unknown(*first);
  sort_unknown(*second);
  if (!(*first == *second)) {
    __builtin_trap();
  }
  return 0;
}
