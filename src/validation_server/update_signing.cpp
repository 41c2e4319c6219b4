// SPDX-License-Identifier: BSD-2-Clause
// Outsourced signing for SIGN_REQUEST (update_signing.hpp).
#include "validation_server/update_signing.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "base/byte_writer.hpp"
#include "validation_server/update_validation.hpp"
#include "wire/bgpsec_path.hpp"

namespace bgpsecd::validation_server {
namespace {

// A well-formed request for an update the server cannot sign. ERROR 2 would say the PDU was
// malformed and end the session (docs/srx-proxy.md §7.4); ERROR 4, "no signature of the asked
// kind for this update", keeps it, as for a missing key.
srx::SrxError not_signable(std::string message) {
  return srx::SrxError{srx::SrxErrorCode::AlgorithmNotSupported, std::move(message)};
}

base::Result<const bgpsec::SignatureProvider*, srx::SrxError> signing_key(const SigningKeys& keys,
                                                                          base::Asn own_as,
                                                                          std::uint16_t algorithm) {
  if (algorithm != kSignAlgorithmCurrent && algorithm != kSignAlgorithmNext) {
    return base::fail(srx::SrxError{srx::SrxErrorCode::AlgorithmNotSupported,
                                    "SIGN_REQUEST algorithm " + std::to_string(algorithm) +
                                        " is not supported (1 current, 2 next)"});
  }
  const KeyRole role = algorithm == kSignAlgorithmCurrent ? KeyRole::Active : KeyRole::Next;
  const auto* key = keys.find(own_as, role);
  if (key == nullptr) {
    return base::fail(srx::SrxError{srx::SrxErrorCode::AlgorithmNotSupported,
                                    std::string("no ") +
                                        (role == KeyRole::Active ? "active" : "next") +
                                        " router key for AS" + own_as.to_string()});
  }
  return key;
}

// RFC 8205 §4.2: extend the received path, or originate one for the router's own route.
base::Result<wire::BgpsecPath, srx::SrxError> signed_path(const UpdateContent& content,
                                                          const bgpsec::Hop& hop,
                                                          const bgpsec::SignedPrefix& route,
                                                          const bgpsec::SignatureProvider& key) {
  const bgpsec::SignatureProvider* providers[] = {&key};
  if (content.bgpsec_attribute.empty()) {
    // RFC 8374 §8.4: a route received unsigned goes on unsigned; only a route of the router's
    // own AS (an empty AS path, or one of its own prepends) is originated signed.
    const bool own = std::all_of(content.as_path.begin(), content.as_path.end(),
                                 [&](std::uint32_t asn) { return asn == hop.own_as.value(); });
    if (!own) {
      return base::fail(not_signable("an unsigned route learned from AS" +
                                     std::to_string(content.as_path.front()) +
                                     " is not signed (RFC 8374 §8.4)"));
    }
    auto path = bgpsec::originate(hop, route, providers);
    if (!path) {
      return base::fail(not_signable("cannot originate: " + path.error().message));
    }
    return std::move(*path);
  }
  auto received = decode_update_attribute(content.bgpsec_attribute);
  if (!received) {
    return base::fail(
        not_signable(std::string("stored BGPsec_PATH is malformed: ") + received.error().what));
  }
  auto path = bgpsec::forward(*received, hop, route, providers);
  if (!path) {
    return base::fail(not_signable("cannot sign: " + path.error().message));
  }
  return std::move(*path);
}

}  // namespace

void SigningKeys::set(base::Asn asn, KeyRole role,
                      std::shared_ptr<const bgpsec::SignatureProvider> key) {
  keys_[{asn, role}] = std::move(key);
}

const bgpsec::SignatureProvider* SigningKeys::find(base::Asn asn, KeyRole role) const {
  const auto it = keys_.find({asn, role});
  return it == keys_.end() ? nullptr : it->second.get();
}

base::Result<base::Bytes, srx::SrxError> sign_update(const UpdateContent& content,
                                                     const srx::SignRequestPdu& request,
                                                     base::Asn own_as, const SigningKeys& keys) {
  BGPSEC_ASSIGN_OR_RETURN(const auto* key, signing_key(keys, own_as, request.algorithm));
  if (request.prepend_counter > std::numeric_limits<std::uint8_t>::max()) {
    return base::fail(not_signable("prepend counter " + std::to_string(request.prepend_counter) +
                                   " does not fit pCount (RFC 8205 §3.1: one octet)"));
  }
  // RFC 8205 §5.2 check #12: BGPsec covers unicast only. QuaggaSRx leaves the SAFI 0 when the
  // route has no BGPsec_PATH.
  const std::uint8_t safi = content.safi == 0 ? base::kSafiUnicast : content.safi;
  if (safi != base::kSafiUnicast) {
    return base::fail(not_signable("SAFI " + std::to_string(safi) + " is not unicast"));
  }
  // RFC 8205 §4.2: our segment carries the proxy's AS, the signature targets the peer's.
  const bgpsec::Hop hop{own_as, base::Asn(request.peer_as),
                        static_cast<std::uint8_t>(request.prepend_counter), false};
  BGPSEC_ASSIGN_OR_RETURN(
      const auto path, signed_path(content, hop, bgpsec::SignedPrefix{content.prefix, safi}, *key));
  base::ByteWriter out;
  if ((request.block_type & kSignBlockNewestOnly) != 0) {
    // What this hop added: the newest segment and, in the one block the key's suite made, the
    // newest Signature_Segment (RFC 8205 §3.1, §3.2 wire forms).
    wire::encode_secure_path_segment(path.secure_path.front(), out);
    wire::encode_signature_segment(path.blocks.front().segments.front(), out);
  } else {
    wire::encode_bgpsec_path_attribute(path, out);
  }
  return out.take();
}

}  // namespace bgpsecd::validation_server
