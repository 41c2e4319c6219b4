// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for the NOTIFICATION decoder (docs/style.md §4.4). Input: one octet of context bits
// (0x02 = extended messages), then a NOTIFICATION body. A decode that fits the limit must
// re-encode to the same body and decode to an equal value.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "wire/header.hpp"
#include "wire/notification.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bgpsecd;
  if (size < 1) {
    return 0;
  }
  const std::span<const std::uint8_t> input(data, size);
  const auto body = input.subspan(1);
  const auto decoded = wire::decode_notification(body);
  if (!decoded) {
    return 0;
  }
  wire::EncodeContext ctx;
  ctx.extended_messages = (input[0] & 0x02) != 0;
  const auto encoded = wire::encode_notification(*decoded, ctx);
  if (encoded.size() > ctx.max_message_size()) {
    __builtin_trap();
  }
  if (wire::kHeaderSize + body.size() > ctx.max_message_size()) {
    return 0;  // the data was cut to fit; nothing more to compare
  }
  const auto encoded_body = std::span(encoded).subspan(wire::kHeaderSize);
  if (!std::equal(encoded_body.begin(), encoded_body.end(), body.begin(), body.end())) {
    __builtin_trap();
  }
  const auto again = wire::decode_notification(encoded_body);
  if (!again || !(*again == *decoded)) {
    __builtin_trap();
  }
  return 0;
}
