// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for the UPDATE body decoder (wire/update.hpp). Input: one octet of
// DecodeContext bits, then the body after the 19-octet header. A clean decode must re-encode
// and decode again to the same value (docs/style.md §4.4); a malformed BGPsec_PATH must be
// reported consistently with the UPDATE's errors.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "wire/update.hpp"

namespace {

using bgpsecd::wire::DecodeContext;
using bgpsecd::wire::EncodeContext;
using bgpsecd::wire::UnknownAttribute;
using bgpsecd::wire::UpdateMessage;

DecodeContext context_from(std::uint8_t bits) {
  DecodeContext ctx;
  ctx.four_octet_as = (bits & 0x01) != 0;
  ctx.extended_messages = (bits & 0x02) != 0;
  ctx.ibgp = (bits & 0x04) != 0;
  ctx.bgpsec.receive_ipv4 = (bits & 0x08) != 0;
  ctx.bgpsec.receive_ipv6 = (bits & 0x10) != 0;
  return ctx;
}

// The encoder writes unknown attributes in type order; arrival order is not part of the value
// that has to survive a round trip.
void sort_unknown(UpdateMessage& u) {
  std::stable_sort(
      u.attrs.unknown.begin(), u.attrs.unknown.end(),
      [](const UnknownAttribute& a, const UnknownAttribute& b) { return a.type < b.type; });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  if (input.empty()) {
    return 0;
  }
  const DecodeContext ctx = context_from(input[0]);
  auto first = bgpsecd::wire::decode_update(input.subspan(1), ctx);
  if (first && first->malformed_bgpsec_path) {
    // RFC 8374 §8.5 report: a treat-as-withdraw BGPsec_PATH error that is one of the UPDATE's
    // errors, the attribute left out, and a Secure_Path (when there is one) of whole segments.
    const auto& m = *first->malformed_bgpsec_path;
    const bool listed =
        std::find(first->errors.begin(), first->errors.end(), m.error) != first->errors.end();
    if (!listed || m.error.action != bgpsecd::base::Action::TreatAsWithdraw ||
        m.error.detail == 0 || first->update.attrs.bgpsec_path ||
        (m.secure_path && m.secure_path->empty())) {
      __builtin_trap();
    }
  }
  if (!first || first->has_errors()) {
    return 0;
  }
  EncodeContext ectx;
  ectx.four_octet_as = ctx.four_octet_as;
  ectx.extended_messages = true;
  auto encoded = bgpsecd::wire::encode_update(first->update, ectx);
  if (!encoded) {
    return 0;  // a body near 65535 octets may not fit once re-encoded
  }
  auto second = bgpsecd::wire::decode_update(
      std::span<const std::uint8_t>(*encoded).subspan(bgpsecd::wire::kHeaderSize), ctx);
  if (!second || second->has_errors()) {
    __builtin_trap();
  }
  sort_unknown(first->update);
  sort_unknown(second->update);
  if (!(first->update == second->update)) {
    __builtin_trap();
  }
  return 0;
}
