// SPDX-License-Identifier: BSD-2-Clause
// PKCS#10 certification requests for BGPsec router keys (RFC 2986, profiled by RFC 6487 §6 and
// RFC 8209 §3.2): what an operator sends to the AS's RPKI CA (Krill, an RIR's hosted CA) to get
// the RFC 8209 router certificate that relying parties turn into RTR Router Key PDUs.
//
// The request is built here, octet by octet, rather than through OpenSSL's X509_REQ API, so that
// exactly the profile's fields are present (no extra attributes or extensions OpenSSL might add)
// and the unsigned part has one encoding that tests pin byte for byte.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/asn.hpp"
#include "base/bytes.hpp"
#include "base/result.hpp"
#include "crypto/keys.hpp"

namespace bgpsecd::crypto {

struct RouterCsrSubject {
  base::Asn asn;
  // The router's BGP Identifier, to tell several routers of one AS apart (RFC 8209 §3.1.1
  // serialNumber). Absent: the subject has the CommonName only.
  std::optional<std::uint32_t> router_id;
};

// "ROUTER-" and the AS number as 8 uppercase hex digits (RFC 8209 §3.1.1), e.g. AS 15562 ->
// "ROUTER-00003CCA". CAs may replace the subject (Krill does); routers find their certificate
// by AS and SKI, never by name.
[[nodiscard]] std::string router_common_name(base::Asn asn);

// The subject as text for people: "CN=ROUTER-00003CCA" or
// "CN=ROUTER-00003CCA,serialNumber=0A000001".
[[nodiscard]] std::string router_subject_text(const RouterCsrSubject& subject);

// The DER CertificationRequestInfo (RFC 2986 §4.1): version 0, the subject, the key's
// SubjectPublicKeyInfo, and one attribute, extensionRequest with a single extension,
// extendedKeyUsage = id-kp-bgpsec-router (RFC 8209 §3.1.3.2). RFC 6487 §6 allows no other
// attribute; CAs that check the request (rpki-rs, used by Krill) refuse anything else.
[[nodiscard]] base::Bytes router_csr_info(const PublicKey& key, const RouterCsrSubject& subject);

// The whole DER CertificationRequest, signed ecdsa-with-SHA256 by `key` (proof of possession,
// RFC 2986 §3).
[[nodiscard]] base::Result<base::Bytes> router_csr_der(const PrivateKey& key,
                                                       const RouterCsrSubject& subject);

// PEM "CERTIFICATE REQUEST" (RFC 7468 §7) of a DER request: base64 in 64-column lines.
[[nodiscard]] std::string csr_pem(const base::Bytes& der);

}  // namespace bgpsecd::crypto
