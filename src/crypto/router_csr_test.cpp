// SPDX-License-Identifier: BSD-2-Clause
// Router key certification requests: the unsigned part byte for byte, and the signed request
// read back by OpenSSL's own PKCS#10 parser (an independent decoder), signature included.
#include "crypto/router_csr.hpp"

#include <gtest/gtest.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "base/hex.hpp"

namespace bgpsecd::crypto {
namespace {

PrivateKey test_key() {
  const auto d = base::from_hex("0102030405060708091011121314151617181920212223242526272829303132");
  return PrivateKey::from_scalar(d.value()).value();
}

base::Bytes cat(std::initializer_list<std::string_view> hex_parts, const base::Bytes& spki,
                std::size_t spki_after) {
  base::Bytes out;
  std::size_t i = 0;
  for (auto part : hex_parts) {
    const auto bytes = base::from_hex(part).value();
    out.insert(out.end(), bytes.begin(), bytes.end());
    if (++i == spki_after) {
      out.insert(out.end(), spki.begin(), spki.end());
    }
  }
  return out;
}

TEST(RouterCsr, Rfc8209Sec3_1_1_CommonNameIsRouterAndTheAsIn8HexDigits) {
  EXPECT_EQ(router_common_name(base::Asn{15562}), "ROUTER-00003CCA");
  EXPECT_EQ(router_common_name(base::Asn{4200000001}), "ROUTER-FA56EA01");
  EXPECT_EQ(router_common_name(base::Asn{0}), "ROUTER-00000000");
}

// RFC 2986 §4.1 with the RFC 6487 §6 / RFC 8209 §3.2 profile, every octet spelled out.
TEST(RouterCsr, Rfc2986Sec4_1_CertificationRequestInfoBytes) {
  const auto key = test_key();
  const auto spki = key.public_key().spki_der();
  ASSERT_EQ(spki.size(), 91u);
  const auto expected = cat(
      {
          "3081A2",  // SEQUENCE, 162 octets
          "020100",  // version 0
          // Name: one RDN, CN (2.5.4.3) PrintableString "ROUTER-00003CCA"
          "301A"
          "3118"
          "3016"
          "0603550403"
          "130F"
          "524F555445522D3030303033434341",
          // SubjectPublicKeyInfo (inserted here)
          // [0] { extensionRequest { extKeyUsage (not critical) { id-kp-bgpsec-router } } }
          "A026"
          "3024"
          "06092A864886F70D01090E"
          "3117"
          "3015"
          "3013"
          "0603551D25"
          "040C"
          "300A"
          "06082B0601050507031E",
      },
      spki, 3);
  EXPECT_EQ(base::to_hex(router_csr_info(key.public_key(), {base::Asn{15562}, std::nullopt})),
            base::to_hex(expected));
}

TEST(RouterCsr, Rfc8209Sec3_1_1_SerialNumberCarriesTheRouterId) {
  const auto key = test_key();
  const auto info = base::to_hex(router_csr_info(key.public_key(), {base::Asn{65001}, 0xC0000201}));
  // A second RDN: serialNumber (2.5.4.5) PrintableString "C0000201".
  EXPECT_NE(info.find("3111300F060355040513084330303030323031"), std::string::npos) << info;
  EXPECT_NE(info.find("524F555445522D3030303046444539"), std::string::npos) << info;  // ...FDE9
}

struct ReqDeleter {
  void operator()(X509_REQ* r) const { X509_REQ_free(r); }
};

TEST(RouterCsr, Rfc2986Sec3_OpenSslReadsTheRequestAndItsSignatureVerifies) {
  const auto key = test_key();
  const auto der = router_csr_der(key, {base::Asn{15562}, 0x0A000001}).value();
  const unsigned char* p = der.data();
  std::unique_ptr<X509_REQ, ReqDeleter> req(
      d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
  ASSERT_NE(req, nullptr);
  EXPECT_EQ(p, der.data() + der.size()) << "trailing octets";
  EXPECT_EQ(X509_REQ_get_version(req.get()), 0);
  EXPECT_EQ(X509_REQ_get_signature_nid(req.get()), NID_ecdsa_with_SHA256);

  EVP_PKEY* pub = X509_REQ_get0_pubkey(req.get());
  ASSERT_NE(pub, nullptr);
  EXPECT_EQ(X509_REQ_verify(req.get(), pub), 1);

  char name[256] = {};
  X509_NAME_oneline(X509_REQ_get_subject_name(req.get()), name, sizeof name);
  EXPECT_STREQ(name, "/CN=ROUTER-00003CCA/serialNumber=0A000001");

  STACK_OF(X509_EXTENSION)* exts = X509_REQ_get_extensions(req.get());
  ASSERT_NE(exts, nullptr);
  ASSERT_EQ(sk_X509_EXTENSION_num(exts), 1);
  X509_EXTENSION* ext = sk_X509_EXTENSION_value(exts, 0);
  EXPECT_EQ(OBJ_obj2nid(X509_EXTENSION_get_object(ext)), NID_ext_key_usage);
  EXPECT_EQ(X509_EXTENSION_get_critical(ext), 0);
  auto* eku = static_cast<EXTENDED_KEY_USAGE*>(X509V3_EXT_d2i(ext));
  ASSERT_NE(eku, nullptr);
  ASSERT_EQ(sk_ASN1_OBJECT_num(eku), 1);
  char oid[64] = {};
  OBJ_obj2txt(oid, sizeof oid, sk_ASN1_OBJECT_value(eku, 0), 1);
  EXPECT_STREQ(oid, "1.3.6.1.5.5.7.3.30");
  EXTENDED_KEY_USAGE_free(eku);
  sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);

  // Any change to the signed part breaks the proof of possession.
  auto tampered = der;
  tampered[20] ^= 0x01;
  p = tampered.data();
  std::unique_ptr<X509_REQ, ReqDeleter> bad(
      d2i_X509_REQ(nullptr, &p, static_cast<long>(tampered.size())));
  ASSERT_NE(bad, nullptr);
  EXPECT_NE(X509_REQ_verify(bad.get(), X509_REQ_get0_pubkey(bad.get())), 1);
}

TEST(RouterCsr, Rfc7468Sec7_PemIsBase64In64ColumnLines) {
  const base::Bytes der(100, 0xAB);
  const auto pem = csr_pem(der);
  EXPECT_EQ(pem.rfind("-----BEGIN CERTIFICATE REQUEST-----\n", 0), 0u);
  EXPECT_NE(pem.find("\n-----END CERTIFICATE REQUEST-----\n"), std::string::npos);
  const auto first_line_end = pem.find('\n', 36);
  EXPECT_EQ(first_line_end - 36, 64u);
}

}  // namespace
}  // namespace bgpsecd::crypto
