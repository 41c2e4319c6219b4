// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for the OPEN decoder (docs/style.md §4.4). Input: one octet of context bits (only
// 0x02, extended messages, matters to OPEN), then an OPEN body. A successful decode is
// re-encoded and must decode to an equal value.
#include <cstddef>
#include <cstdint>
#include <span>

#include "wire/header.hpp"
#include "wire/open.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bgpsecd;
  if (size < 1) {
    return 0;
  }
  const std::span<const std::uint8_t> input(data, size);
  const auto body = input.subspan(1);
  const auto decoded = wire::decode_open(body);
  if (!decoded) {
    return 0;
  }
  wire::EncodeContext ctx;
  ctx.extended_messages = (input[0] & 0x02) != 0;
  const auto encoded = wire::encode_open(*decoded, ctx);
  if (!encoded) {
    // Re-encoding splits capabilities into parameters of at most 255 octets, which can cost
    // a few octets over an RFC 9072 input; below that margin it must fit 4096 octets.
    const std::size_t margin = 3 * (2 * body.size() / 255 + 2);
    if (wire::kHeaderSize + body.size() + margin <= wire::kMaxMessageSize) {
      __builtin_trap();
    }
    return 0;
  }
  const auto header =
      wire::decode_header(std::span(*encoded).first(wire::kHeaderSize), wire::DecodeContext{});
  if (!header || header->type != wire::MessageType::Open || header->length != encoded->size()) {
    __builtin_trap();
  }
  const auto again = wire::decode_open(std::span(*encoded).subspan(wire::kHeaderSize));
  if (!again || !(*again == *decoded)) {
    __builtin_trap();
  }
  return 0;
}
