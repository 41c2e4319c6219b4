// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for the RTR PDU stream (RFC 8210 / RFC 6810, version 2 with both ASPA layouts,
// docs/aspa.md §11): framer + decoder, and the client
// state machine on the same bytes. The first input byte picks the chunk size the stream is fed
// in (so PDUs get split across reads); every decoded PDU, re-encoded in its header's version,
// must decode to an equal value.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include "rpki/rtr_client.hpp"
#include "rpki/rtr_pdu.hpp"

namespace {

using namespace bgpsecd::rpki;

void check_round_trip(const bgpsecd::base::Bytes& frame) {
  const auto header = decode_rtr_header(frame);
  if (!header) {
    __builtin_trap();  // the framer only hands out frames with a valid header
  }
  const auto pdu = decode_rtr_pdu(frame);
  if (!pdu) {
    return;
  }
  const auto encoded = encode_rtr_pdu(*pdu, header->version);
  if (!encoded) {
    __builtin_trap();
  }
  const auto again = decode_rtr_pdu(*encoded);
  if (!again || !(*again == *pdu)) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  if (input.empty()) {
    return 0;
  }
  const std::size_t chunk = std::size_t{input[0]} + 1;
  const auto stream = input.subspan(1);

  RtrFramer framer;
  RtrClient client;
  const RtrTime t0{};
  static_cast<void>(client.start(t0));
  static_cast<void>(client.on_connected(t0));
  bool framing_ok = true;
  for (std::size_t pos = 0; pos < stream.size(); pos += chunk) {
    const auto piece = stream.subspan(pos, std::min(chunk, stream.size() - pos));
    static_cast<void>(client.on_bytes(piece, t0 + std::chrono::seconds(pos)));
    if (!framing_ok) {
      continue;
    }
    framer.append(piece);
    while (true) {
      auto frame = framer.next();
      if (!frame) {
        framing_ok = false;
        break;
      }
      if (!frame->has_value()) {
        break;
      }
      check_round_trip(**frame);
    }
  }
  static_cast<void>(client.on_timer(t0 + std::chrono::hours(100)));
  return 0;
}
