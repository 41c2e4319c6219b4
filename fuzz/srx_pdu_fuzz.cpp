// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for the SRx proxy PDU stream: framer + decoder. The first input byte picks the
// chunk size the stream is fed in (so PDUs get split across reads); every decoded PDU must
// encode, the encoding must decode to an equal value and encode to the same bytes again, and a
// VERIFY request must yield an update ID.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "srx/framer.hpp"
#include "srx/pdu.hpp"
#include "srx/update_id.hpp"

namespace {

using namespace bgpsecd::srx;

void check_round_trip(const bgpsecd::base::Bytes& frame) {
  if (!decode_srx_header(frame)) {
    __builtin_trap();  // the framer only hands out frames with a valid header
  }
  const auto pdu = decode_srx_pdu(frame);
  if (!pdu) {
    return;
  }
  const auto encoded = encode_srx_pdu(*pdu);
  if (!encoded) {
    __builtin_trap();
  }
  const auto again = decode_srx_pdu(*encoded);
  if (!again || !(*again == *pdu)) {
    __builtin_trap();
  }
  const auto twice = encode_srx_pdu(*again);
  if (!twice || *twice != *encoded) {
    __builtin_trap();
  }
  if (const auto* request = std::get_if<VerifyRequestPdu>(&*pdu)) {
    const auto blob = update_id_blob(*request);
    // NIST hashes attrLen bytes if there is an attribute, else the AS path list.
    const auto expected = request->bgpsec_attribute.empty() ? 4 * request->as_path.size()
                                                            : request->bgpsec_attribute.size();
    if (blob.size() != expected) {
      __builtin_trap();
    }
    static_cast<void>(update_id(*request));
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
  // The whole input as one PDU reaches the decoder's length checks the framer filters out.
  static_cast<void>(decode_srx_pdu(stream));

  SrxFramer framer;
  for (std::size_t pos = 0; pos < stream.size(); pos += chunk) {
    framer.append(stream.subspan(pos, std::min(chunk, stream.size() - pos)));
    while (true) {
      auto frame = framer.next();
      if (!frame) {
        return 0;  // sticky: the stream has lost its PDU boundaries
      }
      if (!frame->has_value()) {
        break;
      }
      check_round_trip(**frame);
    }
  }
  return 0;
}
