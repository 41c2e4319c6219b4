// SPDX-License-Identifier: BSD-2-Clause
// PKCS#10 requests for router keys, DER written by hand (see router_csr.hpp for why).
#include "crypto/router_csr.hpp"

#include <array>
#include <cstdio>
#include <span>

#include "base/byte_writer.hpp"
#include "base/hex.hpp"
#include "crypto/der.hpp"
#include "crypto/digest.hpp"

namespace bgpsecd::crypto {
namespace {

// ===== DER (X.690 §8, §10) =====

using der::kBitString;
using der::kContext0Constructed;  // RFC 2986 §4.1: attributes [0] IMPLICIT SET OF Attribute
using der::kInteger;
using der::kOctetString;
using der::kOid;
using der::kPrintableString;
using der::kSequence;
using der::kSet;

// Encoded object identifiers (contents octets only).
constexpr std::array<std::uint8_t, 3> kOidCommonName = {0x55, 0x04, 0x03};    // 2.5.4.3
constexpr std::array<std::uint8_t, 3> kOidSerialNumber = {0x55, 0x04, 0x05};  // 2.5.4.5
constexpr std::array<std::uint8_t, 9> kOidExtensionRequest = {
    0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x0E};  // 1.2.840.113549.1.9.14
constexpr std::array<std::uint8_t, 3> kOidExtKeyUsage = {0x55, 0x1D, 0x25};  // 2.5.29.37
constexpr std::array<std::uint8_t, 8> kOidBgpsecRouter = {
    0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x1E};  // 1.3.6.1.5.5.7.3.30 (RFC 8209 §3.1.3.2)
constexpr std::array<std::uint8_t, 8> kOidEcdsaWithSha256 = {
    0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02};  // 1.2.840.10045.4.3.2 (RFC 5758 §3.2)

// Tag, definite length (short form below 128, else long form in the fewest octets), contents.
base::Bytes tlv(std::uint8_t tag, std::span<const std::uint8_t> contents) {
  base::ByteWriter out;
  out.put_u8(tag);
  const std::size_t n = contents.size();
  if (n < 0x80) {
    out.put_u8(static_cast<std::uint8_t>(n));
  } else {
    std::size_t octets = 0;
    for (std::size_t v = n; v != 0; v >>= 8) {
      ++octets;
    }
    out.put_u8(static_cast<std::uint8_t>(0x80 | octets));
    for (std::size_t i = octets; i-- > 0;) {
      out.put_u8(static_cast<std::uint8_t>(n >> (8 * i)));
    }
  }
  out.put_bytes(contents);
  return out.take();
}

base::Bytes concat(std::initializer_list<base::Bytes> parts) {
  base::Bytes out;
  for (const auto& p : parts) {
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

base::Bytes printable(std::string_view text) {
  return tlv(kPrintableString, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

// RelativeDistinguishedName with one AttributeTypeAndValue.
base::Bytes rdn(std::span<const std::uint8_t> oid, std::string_view value) {
  return tlv(kSet, tlv(kSequence, concat({tlv(kOid, oid), printable(value)})));
}

std::string hex8(std::uint32_t v) {
  char text[9];
  std::snprintf(text, sizeof text, "%08X", v);
  return text;
}

// RFC 8209 §3.1.1 subject; RFC 6487 §4.5 asks for PrintableString in RPKI names, and every
// character used here ('A'-'Z', '0'-'9', '-') is printable.
base::Bytes subject_name(const RouterCsrSubject& subject) {
  base::Bytes rdns = rdn(kOidCommonName, router_common_name(subject.asn));
  if (subject.router_id) {
    const auto serial = rdn(kOidSerialNumber, hex8(*subject.router_id));
    rdns.insert(rdns.end(), serial.begin(), serial.end());
  }
  return tlv(kSequence, rdns);
}

// attributes [0] { extensionRequest { extendedKeyUsage { id-kp-bgpsec-router } } }. The EKU is
// not marked critical: RFC 8209 §3.1.3.2 leaves criticality to the CA, which sets it in the
// certificate it issues.
base::Bytes extension_request() {
  const auto eku_value = tlv(kSequence, tlv(kOid, kOidBgpsecRouter));
  const auto extension =
      tlv(kSequence, concat({tlv(kOid, kOidExtKeyUsage), tlv(kOctetString, eku_value)}));
  const auto extensions = tlv(kSequence, extension);
  const auto attribute =
      tlv(kSequence, concat({tlv(kOid, kOidExtensionRequest), tlv(kSet, extensions)}));
  return tlv(kContext0Constructed, attribute);
}

}  // namespace

std::string router_common_name(base::Asn asn) { return "ROUTER-" + hex8(asn.value()); }

std::string router_subject_text(const RouterCsrSubject& subject) {
  std::string text = "CN=" + router_common_name(subject.asn);
  if (subject.router_id) {
    text += ",serialNumber=" + hex8(*subject.router_id);
  }
  return text;
}

base::Bytes router_csr_info(const PublicKey& key, const RouterCsrSubject& subject) {
  constexpr std::array<std::uint8_t, 1> kVersion0 = {0x00};
  return tlv(kSequence, concat({tlv(kInteger, kVersion0), subject_name(subject), key.spki_der(),
                                extension_request()}));
}

base::Result<base::Bytes> router_csr_der(const PrivateKey& key, const RouterCsrSubject& subject) {
  const auto info = router_csr_info(key.public_key(), subject);
  BGPSEC_ASSIGN_OR_RETURN(const auto signature, key.sign(sha256(info)));
  // BIT STRING: no unused bits, then the DER ECDSA-Sig-Value (RFC 5480 §2.2 / RFC 5758 §3.2).
  base::Bytes bits{0x00};
  bits.insert(bits.end(), signature.begin(), signature.end());
  // RFC 5758 §3.2: the ecdsa-with-SHA256 AlgorithmIdentifier has no parameters.
  return tlv(kSequence,
             concat({info, tlv(kSequence, tlv(kOid, kOidEcdsaWithSha256)), tlv(kBitString, bits)}));
}

std::string csr_pem(const base::Bytes& der) {
  const auto b64 = base::to_base64(der);
  std::string pem = "-----BEGIN CERTIFICATE REQUEST-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) {
    pem += b64.substr(i, 64);
    pem += '\n';
  }
  pem += "-----END CERTIFICATE REQUEST-----\n";
  return pem;
}

}  // namespace bgpsecd::crypto
