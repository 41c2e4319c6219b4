// SPDX-License-Identifier: BSD-2-Clause
// P-256 keys against the RFC 8608 Appendix A example (vectors file): the four signatures
// verify, the SKIs recompute, and signing with the example nonce reproduces them byte for byte.
// Then malformed keys and signatures, key files and their modes.
#include "crypto/keys.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hex.hpp"

namespace bgpsecd::crypto {
namespace {

using ::testing::HasSubstr;

base::Bytes hex(std::string_view text) {
  auto b = base::from_hex(text);
  EXPECT_TRUE(b) << text;
  return b ? *b : base::Bytes{};
}

// P-256 group order n.
const base::Bytes kOrder = hex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

struct ExampleKey {
  std::uint32_t asn = 0;
  std::string ski;
  base::Bytes d;
  base::Bytes point;
  base::Bytes spki;
  base::Bytes rfc5915_der;
};

struct ExampleSignature {
  std::string name;  // "ipv4 AS65536"
  std::string ski;
  base::Bytes signed_data;
  std::string sha256_hex;
  base::Bytes der;
  base::Bytes r;
  base::Bytes s;
};

struct Vectors {
  std::vector<ExampleKey> keys;
  std::vector<ExampleSignature> signatures;
  base::Bytes nonce_k;
};

std::string str(const nlohmann::json& j, const char* member) {
  const auto it = j.find(member);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const Vectors& vectors() {
  static const Vectors v = [] {
    Vectors out;
    std::ifstream in(BGPSEC_VECTORS_DIR "/rfc8608.json");
    EXPECT_TRUE(in) << "cannot open the RFC 8608 vectors";
    const auto doc = nlohmann::json::parse(in, nullptr, false);
    EXPECT_FALSE(doc.is_discarded());
    if (doc.is_discarded()) {
      return out;
    }
    for (const auto& k : doc["router_keys"]) {
      out.keys.push_back(ExampleKey{k["asn"].get<std::uint32_t>(), str(k, "ski"),
                                    hex(str(k, "private_key_d")),
                                    hex(str(k, "public_key_uncompressed")), hex(str(k, "spki_der")),
                                    hex(str(k, "ec_private_key_der_rfc5915"))});
    }
    for (const auto& example : doc["examples"]) {
      for (const auto& s : example["signatures"]) {
        out.signatures.push_back(ExampleSignature{
            str(example, "name") + " AS" + std::to_string(s["signer_asn"].get<std::uint32_t>()),
            str(s, "ski"), hex(str(s, "signed_data")), str(s, "sha256_of_signed_data"),
            hex(str(s, "signature_der")), hex(str(s, "r")), hex(str(s, "s"))});
      }
    }
    // The fixed nonce of the example signatures (RFC 8608 Appendix A).
    out.nonce_k = hex(str(doc["derived"], "nonce_k"));
    return out;
  }();
  return v;
}

const ExampleKey& key_for_ski(const std::string& ski) {
  const auto& keys = vectors().keys;
  const auto it =
      std::find_if(keys.begin(), keys.end(), [&](const ExampleKey& k) { return k.ski == ski; });
  EXPECT_NE(it, keys.end()) << ski;
  return it != keys.end() ? *it : keys.front();
}

PublicKey public_key(const base::Bytes& spki) {
  auto key = PublicKey::from_spki_der(spki);
  EXPECT_TRUE(key) << key.error().message;
  return *key;
}

Sha256Digest digest_of(const ExampleSignature& s) { return sha256(s.signed_data); }

// DER helpers for building malformed inputs.
base::Bytes tlv(std::uint8_t tag, const base::Bytes& content) {
  base::Bytes out{tag};
  if (content.size() >= 0x80) {
    out.push_back(0x81);
  }
  out.push_back(static_cast<std::uint8_t>(content.size()));
  out.insert(out.end(), content.begin(), content.end());
  return out;
}
base::Bytes cat(std::initializer_list<base::Bytes> parts) {
  base::Bytes out;
  for (const auto& p : parts) {
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}
// INTEGER with the given contents as they are (no sign padding added).
base::Bytes der_int(const base::Bytes& contents) { return tlv(0x02, contents); }
// INTEGER for an unsigned big-endian value: minimal, with a 00 octet when the top bit is set.
base::Bytes der_uint(base::Bytes v) {
  while (v.size() > 1 && v[0] == 0 && (v[1] & 0x80) == 0) {
    v.erase(v.begin());
  }
  if (!v.empty() && (v[0] & 0x80) != 0) {
    v.insert(v.begin(), 0x00);
  }
  return der_int(v);
}
base::Bytes der_sig(const base::Bytes& r_int, const base::Bytes& s_int) {
  return tlv(0x30, cat({r_int, s_int}));
}

// n - v for 32-octet big-endian v < n.
base::Bytes order_minus(const base::Bytes& v) {
  base::Bytes out(32);
  int borrow = 0;
  for (int i = 31; i >= 0; --i) {
    const auto idx = static_cast<std::size_t>(i);
    int d = kOrder[idx] - v[idx] - borrow;
    borrow = d < 0 ? 1 : 0;
    out[idx] = static_cast<std::uint8_t>(d + (borrow != 0 ? 256 : 0));
  }
  return out;
}

// ===== RFC 8608 example =====

TEST(Rfc8608Example, VectorsLoaded) {
  EXPECT_EQ(vectors().keys.size(), 2U);
  EXPECT_EQ(vectors().signatures.size(), 4U);
  EXPECT_EQ(vectors().nonce_k.size(), 32U);
}

// RFC 8608 §3.1: every example signature verifies over SHA-256 of its signed data.
TEST(Rfc8608Example, AllFourSignaturesVerify) {
  for (const auto& s : vectors().signatures) {
    const auto key = public_key(key_for_ski(s.ski).spki);
    const auto digest = digest_of(s);
    EXPECT_EQ(base::to_hex(digest), s.sha256_hex) << s.name;
    EXPECT_TRUE(key.verify(digest, s.der)) << s.name;
  }
}

// RFC 8608 §3.1: the examples are high-S (s > n/2); OpenSSL must accept them, and the low-S
// twin (r, n - s) of a valid signature is equally valid.
TEST(Rfc8608Example, HighSAndItsLowSTwinBothVerify) {
  for (const auto& s : vectors().signatures) {
    EXPECT_GE(s.s[0], 0x80) << s.name << ": example expected to be high-S";
    const auto key = public_key(key_for_ski(s.ski).spki);
    const auto twin = der_sig(der_uint(s.r), der_uint(order_minus(s.s)));
    EXPECT_TRUE(key.verify(digest_of(s), twin)) << s.name;
  }
}

TEST(Rfc8608Example, FlippedBitInDigestOrSignatureFails) {
  for (const auto& s : vectors().signatures) {
    const auto key = public_key(key_for_ski(s.ski).spki);
    const auto digest = digest_of(s);
    for (std::size_t i = 0; i < digest.size(); ++i) {
      auto bad = digest;
      bad[i] ^= 0x01;
      EXPECT_FALSE(key.verify(bad, s.der)) << s.name << " digest octet " << i;
    }
    for (std::size_t i = 0; i < s.der.size(); ++i) {
      auto bad = s.der;
      bad[i] ^= 0x10;
      EXPECT_FALSE(key.verify(digest, bad)) << s.name << " signature octet " << i;
    }
  }
}

TEST(Rfc8608Example, WrongKeyFails) {
  for (const auto& s : vectors().signatures) {
    for (const auto& k : vectors().keys) {
      if (k.ski != s.ski) {
        EXPECT_FALSE(public_key(k.spki).verify(digest_of(s), s.der)) << s.name;
      }
    }
  }
}

// RFC 8209 / RFC 6487 §4.8.2: SKI = SHA-1 over the 65-octet point, not over the whole SPKI.
TEST(Rfc8608Example, SkiIsSha1OfThePoint) {
  for (const auto& k : vectors().keys) {
    const auto key = public_key(k.spki);
    EXPECT_EQ(key.ski().to_hex(), k.ski);
    EXPECT_EQ(base::to_hex(sha1(k.point)), k.ski);
    // RFC 6487 §4.8.2 pitfall: hashing the SPKI gives F5F67369… / 99A6EE6F….
    EXPECT_NE(base::to_hex(sha1(k.spki)), k.ski);
    EXPECT_TRUE(std::equal(key.point().begin(), key.point().end(), k.point.begin(), k.point.end()));
    EXPECT_EQ(key.spki_der(), k.spki);
    EXPECT_EQ(key.spki_der().size(), 91U);
  }
  EXPECT_EQ(base::to_hex(sha1(vectors().keys[0].spki)).substr(0, 8), "F5F67369");
}

TEST(Rfc8608Example, FromPointEqualsFromSpki) {
  for (const auto& k : vectors().keys) {
    auto from_point = PublicKey::from_point(k.point);
    ASSERT_TRUE(from_point) << from_point.error().message;
    EXPECT_EQ(*from_point, public_key(k.spki));
    EXPECT_EQ(from_point->ski(), public_key(k.spki).ski());
  }
}

// RFC 8608 Appendix A: the example signatures used the fixed nonce k; signing again with it
// must reproduce every DER signature exactly.
TEST(Rfc8608Example, SigningWithTheExampleNonceReproducesTheSignatures) {
  for (const auto& s : vectors().signatures) {
    const auto& k = key_for_ski(s.ski);
    auto key = PrivateKey::from_scalar(k.d);
    ASSERT_TRUE(key) << key.error().message;
    EXPECT_EQ(key->public_key().ski().to_hex(), s.ski);
    auto sig = key->sign_with_nonce_for_test(digest_of(s), vectors().nonce_k);
    ASSERT_TRUE(sig) << sig.error().message;
    EXPECT_EQ(base::to_hex(*sig), base::to_hex(s.der)) << s.name;
  }
}

TEST(Rfc8608Example, Rfc5915DerGivesTheSameKey) {
  for (const auto& s : vectors().signatures) {
    const auto& k = key_for_ski(s.ski);
    auto key = PrivateKey::from_der(k.rfc5915_der);
    ASSERT_TRUE(key) << key.error().message;
    EXPECT_EQ(key->public_key(), public_key(k.spki));
    auto sig = key->sign_with_nonce_for_test(digest_of(s), vectors().nonce_k);
    ASSERT_TRUE(sig) << sig.error().message;
    EXPECT_EQ(*sig, s.der) << s.name;
  }
}

// ===== Malformed public keys =====

class MalformedSpki : public ::testing::Test {
 protected:
  const base::Bytes& good() const { return vectors().keys[0].spki; }
  base::Bytes x() const { return {good().begin() + 27, good().begin() + 59}; }
  base::Bytes alg(const base::Bytes& params) const {
    return tlv(0x30, cat({hex("06072A8648CE3D0201"), params}));
  }
  static void expect_refused(const base::Bytes& der, const std::string& why) {
    auto key = PublicKey::from_spki_der(der);
    ASSERT_FALSE(key) << base::to_hex(der);
    EXPECT_THAT(key.error().message, HasSubstr(why)) << base::to_hex(der);
  }
};

TEST_F(MalformedSpki, CanonicalInputIsAccepted) {
  // The builder helpers reproduce the good encoding (so the cases below differ only as stated).
  const auto rebuilt = tlv(0x30, cat({alg(hex("06082A8648CE3D030107")),
                                      tlv(0x03, cat({{0x00}, vectors().keys[0].point}))}));
  EXPECT_EQ(rebuilt, good());
  EXPECT_TRUE(PublicKey::from_spki_der(rebuilt));
}

// RFC 8608 §3.1 (rpki-client: "public key not uncompressed").
TEST_F(MalformedSpki, CompressedPointIsRefused) {
  const std::uint8_t prefix = (good().back() & 1) != 0 ? 0x03 : 0x02;
  const auto der =
      tlv(0x30, cat({alg(hex("06082A8648CE3D030107")), tlv(0x03, cat({{0x00, prefix}, x()}))}));
  expect_refused(der, "compressed");
  EXPECT_FALSE(PublicKey::from_point(cat({{prefix}, x()})));
}

TEST_F(MalformedSpki, OtherCurvesAreRefused) {
  // secp384r1 (1.3.132.0.34) and secp256k1 (1.3.132.0.10).
  expect_refused(tlv(0x30, cat({alg(hex("06052B81040022")),
                                tlv(0x03, cat({{0x00}, vectors().keys[0].point}))})),
                 "prime256v1");
  expect_refused(tlv(0x30, cat({alg(hex("06052B8104000A")),
                                tlv(0x03, cat({{0x00}, vectors().keys[0].point}))})),
                 "prime256v1");
}

TEST_F(MalformedSpki, ExplicitParametersAreRefused) {
  const auto params = tlv(0x30, cat({hex("020101"), hex("06072A8648CE3D0101")}));
  expect_refused(tlv(0x30, cat({alg(params), tlv(0x03, cat({{0x00}, vectors().keys[0].point}))})),
                 "explicit");
}

TEST_F(MalformedSpki, OtherAlgorithmIsRefused) {
  auto der = good();
  der[10] = 0x03;  // 1.2.840.10045.2.1 -> .2.3
  expect_refused(der, "id-ecPublicKey");
}

TEST_F(MalformedSpki, TruncatedIsRefused) {
  for (std::size_t n = 0; n < good().size(); ++n) {
    EXPECT_FALSE(PublicKey::from_spki_der(std::span(good()).first(n))) << n;
  }
  expect_refused(base::Bytes(good().begin(), good().end() - 1), "truncated");
}

TEST_F(MalformedSpki, TrailingByteIsRefused) {
  auto der = good();
  der.push_back(0x00);
  expect_refused(der, "trailing");
}

TEST_F(MalformedSpki, NonMinimalLengthIsRefused) {
  auto der = good();
  der[1] = 0x81;
  der.insert(der.begin() + 2, 0x59);
  expect_refused(der, "not DER");
}

TEST_F(MalformedSpki, PointNotOnTheCurveIsRefused) {
  auto der = good();
  der.back() ^= 0x01;
  expect_refused(der, "invalid P-256 public key");
  auto point = vectors().keys[0].point;
  point.back() ^= 0x01;
  EXPECT_FALSE(PublicKey::from_point(point));
  EXPECT_FALSE(PublicKey::from_point(std::span(vectors().keys[0].point).first(64)));
}

// ===== Malformed signatures: all false, never a crash =====

class BadSignature : public ::testing::Test {
 protected:
  const ExampleSignature& sig() const { return vectors().signatures[0]; }
  PublicKey key() const { return public_key(key_for_ski(sig().ski).spki); }
  void expect_false(const base::Bytes& der, const char* what) const {
    EXPECT_FALSE(key().verify(digest_of(sig()), der)) << what << ": " << base::to_hex(der);
  }
};

TEST_F(BadSignature, ReferenceVerifies) {
  EXPECT_TRUE(key().verify(digest_of(sig()), der_sig(der_uint(sig().r), der_uint(sig().s))));
}

TEST_F(BadSignature, ROrSZero) {
  expect_false(der_sig(der_uint({0x00}), der_uint(sig().s)), "r = 0");
  expect_false(der_sig(der_uint(sig().r), der_uint({0x00})), "s = 0");
}

TEST_F(BadSignature, ROrSAtLeastN) {
  const base::Bytes all_ones(32, 0xFF);
  expect_false(der_sig(der_uint(kOrder), der_uint(sig().s)), "r = n");
  expect_false(der_sig(der_uint(sig().r), der_uint(kOrder)), "s = n");
  expect_false(der_sig(der_uint(all_ones), der_uint(sig().s)), "r = 2^256-1");
  expect_false(der_sig(der_uint(sig().r), der_uint(all_ones)), "s = 2^256-1");
  // r + n has the same residue mod n but is out of range.
  expect_false(der_sig(der_uint(cat({{0x01}, sig().r})), der_uint(sig().s)), "r + 2^256");
}

TEST_F(BadSignature, BadDer) {
  const auto& good = sig().der;
  auto wrong_tag = good;
  wrong_tag[0] = 0x31;
  expect_false(wrong_tag, "outer tag SET");
  auto int_tag = good;
  int_tag[2] = 0x03;
  expect_false(int_tag, "r tagged BIT STRING");
  auto longer = good;
  longer[1] = static_cast<std::uint8_t>(longer[1] + 1);
  expect_false(longer, "outer length too long");
  auto shorter = good;
  shorter[1] = static_cast<std::uint8_t>(shorter[1] - 1);
  expect_false(shorter, "outer length too short");
  auto trailing = good;
  trailing.push_back(0x00);
  expect_false(trailing, "trailing octet");
  // r without its 00 sign octet is a negative INTEGER.
  expect_false(der_sig(der_int(sig().r), der_uint(sig().s)), "negative r");
  expect_false(der_sig(der_uint(sig().r), der_int(sig().s)), "negative s");
  // Non-minimal INTEGER (an extra leading 00).
  expect_false(der_sig(der_int(cat({{0x00, 0x00}, sig().r})), der_uint(sig().s)), "non-minimal r");
  expect_false(der_sig(der_uint(sig().r), base::Bytes{}), "s missing");
  expect_false(der_sig(der_uint(sig().r), cat({der_uint(sig().s), der_uint({0x01})})),
               "third INTEGER");
  expect_false({}, "empty");
  expect_false(base::Bytes(73, 0x30), "73 octets");
  for (std::size_t n = 0; n < good.size(); ++n) {
    expect_false(base::Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n)),
                 "truncated");
  }
}

// ===== Generated keys =====

TEST(PrivateKey, GenerateSignVerifyRoundTrip) {
  auto key = PrivateKey::generate();
  ASSERT_TRUE(key) << key.error().message;
  const auto digest = sha256(vectors().signatures[0].signed_data);
  auto sig = key->sign(digest);
  ASSERT_TRUE(sig) << sig.error().message;
  EXPECT_GE(sig->size(), 8U);
  EXPECT_LE(sig->size(), 72U);
  EXPECT_EQ((*sig)[0], 0x30);
  EXPECT_TRUE(key->public_key().verify(digest, *sig));
  // Through the SPKI, as a peer would see the key.
  EXPECT_TRUE(public_key(key->public_key().spki_der()).verify(digest, *sig));
  auto other = PrivateKey::generate();
  ASSERT_TRUE(other);
  EXPECT_NE(other->public_key(), key->public_key());
  EXPECT_FALSE(other->public_key().verify(digest, *sig));
  // Fresh nonces: two signatures of one digest differ.
  auto again = key->sign(digest);
  ASSERT_TRUE(again);
  EXPECT_NE(*again, *sig);
}

TEST(PrivateKey, FromScalarRejectsOutOfRange) {
  EXPECT_FALSE(PrivateKey::from_scalar(base::Bytes(32, 0x00)));
  EXPECT_FALSE(PrivateKey::from_scalar(kOrder));
  auto n_plus_1 = kOrder;
  n_plus_1.back() = static_cast<std::uint8_t>(n_plus_1.back() + 1);
  EXPECT_FALSE(PrivateKey::from_scalar(n_plus_1));
  EXPECT_FALSE(PrivateKey::from_scalar(base::Bytes(32, 0xFF)));
  EXPECT_FALSE(PrivateKey::from_scalar(base::Bytes(31, 0x01)));
  // n - 1 is the largest valid scalar.
  auto n_minus_1 = kOrder;
  n_minus_1.back() = static_cast<std::uint8_t>(n_minus_1.back() - 1);
  EXPECT_TRUE(PrivateKey::from_scalar(n_minus_1));
  base::Bytes one(32, 0x00);
  one.back() = 1;
  EXPECT_TRUE(PrivateKey::from_scalar(one));
}

TEST(PrivateKey, NonceMustBeInRange) {
  auto key = PrivateKey::from_scalar(vectors().keys[0].d);
  ASSERT_TRUE(key);
  const auto digest = sha256(vectors().signatures[0].signed_data);
  EXPECT_FALSE(key->sign_with_nonce_for_test(digest, base::Bytes(32, 0x00)));
  EXPECT_FALSE(key->sign_with_nonce_for_test(digest, kOrder));
  EXPECT_FALSE(key->sign_with_nonce_for_test(digest, base::Bytes(31, 0x01)));
}

TEST(PrivateKey, FromDerRejectsGarbage) {
  auto der = vectors().keys[0].rfc5915_der;
  der.push_back(0x00);
  EXPECT_FALSE(PrivateKey::from_der(der));
  EXPECT_FALSE(PrivateKey::from_der({}));
  EXPECT_FALSE(PrivateKey::from_der(vectors().keys[0].spki));  // a public key only
  EXPECT_FALSE(PrivateKey::from_der(
      base::Bytes(vectors().keys[0].rfc5915_der.begin(), vectors().keys[0].rfc5915_der.end() - 1)));
}

// The body of a PEM block, base64-decoded.
base::Bytes pem_body(const std::string& pem) {
  std::string b64;
  std::istringstream in(pem);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("-----", 0) != 0) {
      b64 += line;
    }
  }
  auto der = base::from_base64(b64);
  EXPECT_TRUE(der);
  return der ? *der : base::Bytes{};
}

std::string pem_block(const char* label, const base::Bytes& der) {
  const auto b64 = base::to_base64(der);
  std::string out = std::string("-----BEGIN ") + label + "-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) {
    out += b64.substr(i, 64) + "\n";
  }
  return out + "-----END " + label + "-----\n";
}

TEST(PrivateKey, Pkcs8DerFromPem) {
  auto key = PrivateKey::from_scalar(vectors().keys[0].d);
  ASSERT_TRUE(key);
  const auto pem = key->to_pem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0U) << pem;
  auto again = PrivateKey::from_der(pem_body(pem));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->public_key(), key->public_key());
}

TEST(PrivateKey, FromPemReadsBothPemFormsWithoutAFile) {
  auto key = PrivateKey::from_scalar(vectors().keys[0].d);
  ASSERT_TRUE(key);
  auto pkcs8 = PrivateKey::from_pem(key->to_pem());
  ASSERT_TRUE(pkcs8) << pkcs8.error().message;
  EXPECT_EQ(pkcs8->public_key(), key->public_key());
  const auto& k = vectors().keys[1];
  auto ec = PrivateKey::from_pem(pem_block("EC PRIVATE KEY", k.rfc5915_der));
  ASSERT_TRUE(ec) << ec.error().message;
  EXPECT_EQ(ec->public_key().ski().to_hex(), k.ski);
}

TEST(PrivateKey, FromPemRefusesNonKeys) {
  auto pub = PrivateKey::from_pem(pem_block("PUBLIC KEY", vectors().keys[0].spki));
  ASSERT_FALSE(pub);
  EXPECT_THAT(pub.error().message, HasSubstr("no PEM private key"));
  EXPECT_FALSE(PrivateKey::from_pem(""));
  EXPECT_FALSE(
      PrivateKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
}

// ===== Key files =====

class KeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "bgpsecd-keys-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  static mode_t mode_of(const std::filesystem::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0);
    return st.st_mode & 07777;
  }
  void write(const std::filesystem::path& p, const std::string& text, mode_t mode) const {
    std::ofstream(p) << text;
    ASSERT_EQ(::chmod(p.c_str(), mode), 0);
  }
  std::filesystem::path dir_;
};

TEST_F(KeyFile, SaveThenLoad) {
  auto key = PrivateKey::generate();
  ASSERT_TRUE(key);
  const auto path = dir_ / "65536.pem";
  auto saved = key->save_pem(path);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(mode_of(path), 0600U);
  auto loaded = PrivateKey::load_pem(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->public_key(), key->public_key());
  const auto digest = sha256(vectors().signatures[0].signed_data);
  auto sig = loaded->sign(digest);
  ASSERT_TRUE(sig);
  EXPECT_TRUE(key->public_key().verify(digest, *sig));
}

TEST_F(KeyFile, RefusesToOverwrite) {
  auto key = PrivateKey::generate();
  ASSERT_TRUE(key);
  const auto path = dir_ / "k.pem";
  ASSERT_TRUE(key->save_pem(path));
  const auto before = key->to_pem();
  auto other = PrivateKey::generate();
  ASSERT_TRUE(other);
  auto again = other->save_pem(path);
  ASSERT_FALSE(again);
  EXPECT_THAT(again.error().message, HasSubstr("already exists"));
  auto loaded = PrivateKey::load_pem(path);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->public_key(), key->public_key());
}

TEST_F(KeyFile, RefusesGroupOrWorldReadable) {
  auto key = PrivateKey::generate();
  ASSERT_TRUE(key);
  const auto path = dir_ / "open.pem";
  write(path, key->to_pem(), 0644);
  auto loaded = PrivateKey::load_pem(path);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(
      loaded.error().message,
      "key file " + path.string() + " is readable by group or others (mode 0644); chmod 600 it");
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  EXPECT_FALSE(PrivateKey::load_pem(path));
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(PrivateKey::load_pem(path));
}

TEST_F(KeyFile, LoadsRfc5915Pem) {
  const auto& k = vectors().keys[1];
  const auto path = dir_ / "ec.pem";
  write(path, pem_block("EC PRIVATE KEY", k.rfc5915_der), 0600);
  auto loaded = PrivateKey::load_pem(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->public_key().ski().to_hex(), k.ski);
}

TEST_F(KeyFile, RefusesNonKeys) {
  const auto path = dir_ / "pub.pem";
  write(path, pem_block("PUBLIC KEY", vectors().keys[0].spki), 0600);
  auto loaded = PrivateKey::load_pem(path);
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().message, HasSubstr(path.string()));
  EXPECT_FALSE(PrivateKey::load_pem(dir_ / "missing.pem"));
  EXPECT_FALSE(PrivateKey::load_pem(dir_));
}

// ===== Concurrency =====

// keys.hpp promises that one PublicKey verifies from several threads at once.
TEST(PublicKey, ConcurrentVerifyOnOneKey) {
  const auto& s = vectors().signatures[1];
  const auto key = public_key(key_for_ski(s.ski).spki);
  const auto digest = digest_of(s);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto bad = digest;
        bad[0] ^= static_cast<std::uint8_t>((i + t) % 2);
        const bool expected = (i + t) % 2 == 0;
        if (key.verify(bad, s.der) != expected) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(failures.load(), 0);
}

// OpenSSL's key is built on the first verify() and shared by every copy: threads that race to
// the first verify of fresh copies of one key all get the right answer, and a copy made before
// that verify uses the same key afterwards.
TEST(PublicKey, CopiesRaceToTheFirstVerifyAndAgree) {
  const auto& s = vectors().signatures[0];
  const auto digest = digest_of(s);
  auto wrong = digest;
  wrong[31] ^= 1;
  for (int round = 0; round < 20; ++round) {
    const auto original = public_key(key_for_ski(s.ski).spki);
    const auto early_copy = original;
    std::atomic<int> failures{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, copy = original] {
        while (!go.load()) {
        }
        if (!copy.verify(digest, s.der) || copy.verify(wrong, s.der)) {
          ++failures;
        }
      });
    }
    go = true;
    for (auto& th : threads) {
      th.join();
    }
    EXPECT_EQ(failures.load(), 0);
    EXPECT_TRUE(early_copy.verify(digest, s.der));
    EXPECT_EQ(early_copy, original);
    EXPECT_EQ(early_copy.ski(), original.ski());
  }
}

}  // namespace
}  // namespace bgpsecd::crypto
