// SPDX-License-Identifier: BSD-2-Clause
// Outsourced signing (SRx SIGN_REQUEST, RFC 8374 §9.3): for a stored update, what the router
// needs to send the route on to one peer AS, signed by the server with the router key of the
// proxy's AS (RFC 8205 §4.2). NIST's server never implemented it; docs/srx-proxy.md, "Signing
// for a router", defines the SIGN_NOTIFICATION payload:
//   block_type bit 0x01 set: only what this hop adds, the new Secure_Path segment (pCount,
//     flags, AS; 6 octets) followed by the new Signature_Segment (SKI, length, signature);
//   block_type bit clear:    the complete new BGPsec_PATH attribute (flags, type 33, length,
//     value) as the router sends it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <utility>

#include "base/asn.hpp"
#include "base/bytes.hpp"
#include "base/result.hpp"
#include "bgpsec/signer.hpp"
#include "srx/pdu.hpp"
#include "validation_server/update.hpp"

namespace bgpsecd::validation_server {

// SIGN_REQUEST algorithm: 1 the AS's active key, 2 the next one (RFC 8634 rollover).
inline constexpr std::uint16_t kSignAlgorithmCurrent = 1;
inline constexpr std::uint16_t kSignAlgorithmNext = 2;
// SIGN_REQUEST block type bit: return only what this hop adds.
inline constexpr std::uint8_t kSignBlockNewestOnly = 0x01;

enum class KeyRole : std::uint8_t {
  Active,  // signs now (SIGN_REQUEST algorithm 1)
  Next,    // published for a rollover, signs when asked for algorithm 2 (RFC 8634 §4)
};

// The router keys the server signs with, per AS and role. Copies share the keys.
class SigningKeys {
 public:
  // Sets (or replaces) the `role` key of `asn`.
  void set(base::Asn asn, KeyRole role, std::shared_ptr<const bgpsec::SignatureProvider> key);
  // Null when `asn` has no key in that role.
  [[nodiscard]] const bgpsec::SignatureProvider* find(base::Asn asn, KeyRole role) const;

 private:
  std::map<std::pair<base::Asn, KeyRole>, std::shared_ptr<const bgpsec::SignatureProvider>> keys_;
};

// The SIGN_NOTIFICATION payload for `request` on the stored update `content`, signed as
// `own_as` (the proxy's HELLO AS) towards request.peer_as with pCount request.prepend_counter.
// With a BGPsec_PATH the path is extended (RFC 8205 §4.2); without one the route must be the
// router's own (its AS path empty or only `own_as`) and is originated, with the update's
// prefix and SAFI (0, as QuaggaSRx sends for unsigned routes, counts as unicast).
// Errors (the ERROR code the server answers with):
//   AlgorithmNotSupported (4), the session going on: an algorithm other than 1 and 2, no key
//     of `own_as` in that role, or an update that cannot be signed: its attribute is
//     malformed, it is an unsigned route learned from another AS (RFC 8374 §8.4: forwarded
//     unsigned), a SAFI other than unicast, a prepend counter above 255, or a result too long
//     for the attribute.
[[nodiscard]] base::Result<base::Bytes, srx::SrxError> sign_update(
    const UpdateContent& content, const srx::SignRequestPdu& request, base::Asn own_as,
    const SigningKeys& keys);

}  // namespace bgpsecd::validation_server
