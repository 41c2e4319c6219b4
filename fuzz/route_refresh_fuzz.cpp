// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for the ROUTE-REFRESH decoder (docs/style.md §4.4). Input: one octet of context
// bits (unused: ROUTE-REFRESH does not depend on the session), then a body. A successful
// decode must re-encode to the same body and decode to an equal value.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "wire/header.hpp"
#include "wire/route_refresh.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bgpsecd;
  if (size < 1) {
    return 0;
  }
  const std::span<const std::uint8_t> input(data, size);
  const auto body = input.subspan(1);
  const auto decoded = wire::decode_route_refresh(body);
  if (!decoded) {
    return 0;
  }
  const auto encoded = wire::encode_route_refresh(*decoded);
  const auto encoded_body = std::span(encoded).subspan(wire::kHeaderSize);
  if (!std::equal(encoded_body.begin(), encoded_body.end(), body.begin(), body.end())) {
    __builtin_trap();
  }
  const auto again = wire::decode_route_refresh(encoded_body);
  if (!again || !(*again == *decoded)) {
    __builtin_trap();
  }
  return 0;
}
