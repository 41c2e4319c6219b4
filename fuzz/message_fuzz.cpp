// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for whole-message decoding (docs/style.md §4.4). Input: one octet of DecodeContext
// bits (0x01 four-octet AS, 0x02 extended messages, 0x04 iBGP, 0x08/0x10 BGPsec receive
// IPv4/IPv6, 0x20/0x40 BGPsec send IPv4/IPv6), then one whole message, header included.
// A successful decode is re-encoded and must decode to an equal value (UPDATE: to a value
// that re-encodes to the same bytes).
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <variant>

#include "wire/message.hpp"

namespace {

using namespace bgpsecd;

wire::DecodeContext context_from(std::uint8_t bits) {
  wire::DecodeContext ctx;
  ctx.four_octet_as = (bits & 0x01) != 0;
  ctx.extended_messages = (bits & 0x02) != 0;
  ctx.ibgp = (bits & 0x04) != 0;
  ctx.bgpsec.receive_ipv4 = (bits & 0x08) != 0;
  ctx.bgpsec.receive_ipv6 = (bits & 0x10) != 0;
  ctx.bgpsec.send_ipv4 = (bits & 0x20) != 0;
  ctx.bgpsec.send_ipv6 = (bits & 0x40) != 0;
  return ctx;
}

bool same(const wire::Message& a, const wire::Message& b) {
  if (a.index() != b.index()) {
    return false;
  }
  return std::visit(
      [&b](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        const auto& y = std::get<T>(b);
        if constexpr (std::is_same_v<T, wire::DecodedUpdate>) {
          return x.update == y.update;
        } else {
          return x == y;
        }
      },
      a);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) {
    return 0;
  }
  const std::span<const std::uint8_t> input(data, size);
  const auto ctx = context_from(input[0]);
  const auto message = input.subspan(1);
  const auto decoded = wire::decode_message(message, ctx);
  if (!decoded) {
    return 0;
  }
  if (const auto* update = std::get_if<wire::DecodedUpdate>(&*decoded)) {
    // Attributes dropped under RFC 7606 do not come back; only clean UPDATEs round-trip.
    if (update->has_errors()) {
      return 0;
    }
  }
  wire::EncodeContext ectx;
  ectx.four_octet_as = ctx.four_octet_as;
  ectx.extended_messages = ctx.extended_messages;
  const auto encoded = wire::encode_message(*decoded, ectx);
  if (!encoded) {
    // OPEN may grow by a few octets when RFC 9072 parameters are re-split at 255 octets
    // (see open_fuzz.cpp); the UPDATE encoder is free to re-order and may grow as well.
    // Every other type re-encodes to at most its input size.
    const auto type = wire::message_type(*decoded);
    if (type != wire::MessageType::Open && type != wire::MessageType::Update) {
      __builtin_trap();
    }
    return 0;
  }
  const auto again = wire::decode_message(*encoded, ctx);
  if (!again) {
    __builtin_trap();
  }
  if (std::holds_alternative<wire::DecodedUpdate>(*again)) {
    // The UPDATE encoder writes attributes in its own canonical order, so the value may
    // differ from a decode of the original bytes; its output must be a fixed point instead.
    const auto twice = wire::encode_message(*again, ectx);
    if (!twice || *twice != *encoded) {
      __builtin_trap();
    }
  } else if (!same(*again, *decoded)) {
    __builtin_trap();
  }
  return 0;
}
