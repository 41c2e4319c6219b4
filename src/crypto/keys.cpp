// SPDX-License-Identifier: BSD-2-Clause
// P-256 router keys on OpenSSL 3 libcrypto (RFC 8608 §3, RFC 8209): strict SPKI parsing,
// verification on pre-parsed keys, signing, and private key files. Only non-deprecated OpenSSL 3
// calls are used (EVP_PKEY, OSSL_PARAM, OSSL_DECODER, BIGNUM/EC_POINT arithmetic).
#include "crypto/keys.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/byte_reader.hpp"
#include "base/check.hpp"
#include "base/secret_file.hpp"
#include "crypto/der.hpp"
#include "crypto/openssl_ptr.hpp"
#include "crypto/p256/field.hpp"
#include "crypto/p256/point.hpp"

namespace bgpsecd::crypto {
namespace {

// ===== Constants =====

// RFC 8608 §3.1 / RFC 5480 §2: the only SubjectPublicKeyInfo we accept is
//   SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (0 unused) 04 || X || Y }
// which has exactly one DER encoding: these 26 octets followed by the 65-octet point.
constexpr std::array<std::uint8_t, 26> kSpkiPrefix = {
    0x30, 0x59,                                                  // SEQUENCE (89)
    0x30, 0x13,                                                  //   SEQUENCE (19)
    0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,        //     id-ecPublicKey
    0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07,  //     prime256v1
    0x03, 0x42, 0x00};                                           //   BIT STRING (66), 0 unused
constexpr std::size_t kSpkiSize = kSpkiPrefix.size() + std::tuple_size_v<EcPoint>;
static_assert(kSpkiSize == 91);

// OID contents (without tag and length).
constexpr std::array<std::uint8_t, 7> kOidEcPublicKey = {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01};
constexpr std::array<std::uint8_t, 8> kOidPrime256v1 = {0x2A, 0x86, 0x48, 0xCE,
                                                        0x3D, 0x03, 0x01, 0x07};

constexpr std::uint8_t kPointUncompressed = 0x04;
constexpr std::size_t kScalarSize = 32;
// DER ECDSA-Sig-Value for P-256: 2 + 2 * (2 + 33) (RFC 8608 §2, §3.1).
constexpr std::size_t kMaxSignatureSize = 72;
// A PEM private key is a few hundred octets; anything much larger is not a key file.
constexpr std::size_t kMaxKeyFileSize = 64 * 1024;
constexpr const char* kGroupName = "prime256v1";

// ===== OpenSSL helpers =====

// The oldest queued OpenSSL error as text; empties this thread's error queue either way, so
// that a failure here cannot be mistaken for a later one.
std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) {
    return "unknown OpenSSL error";
  }
  if (const char* reason = ERR_reason_error_string(code); reason != nullptr) {
    return reason;
  }
  char buf[256] = {};
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

// OpenSSL takes non-const EVP_PKEY* in functions that only read the key (EVP_PKEY_CTX_new
// up-refs it). Our handles are shared and immutable, and nothing here changes them.
EVP_PKEY* mutable_pkey(const EvpPkeyHandle& handle) noexcept {
  return const_cast<EVP_PKEY*>(handle.get());
}

EvpPkeyHandle to_handle(EvpPkeyPtr pkey) {
  return EvpPkeyHandle(pkey.release(),
                       [](const evp_pkey_st* p) { EVP_PKEY_free(const_cast<EVP_PKEY*>(p)); });
}

const EC_GROUP* p256_group() noexcept {
  // Created once; EC_GROUP is only read afterwards, which OpenSSL allows from any thread.
  static const EC_GROUP* const group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  BGPSEC_CHECK(group != nullptr, "OpenSSL lacks the P-256 curve");
  return group;
}

// ===== Minimal DER reading, for precise SubjectPublicKeyInfo errors =====

// One TLV with a single-octet tag and a definite length (short or long form). The content
// becomes its own reader (docs/style.md §2.3). Non-minimal lengths are caught later, when the whole
// encoding is compared with the one canonical form.
bool read_tlv(base::ByteReader& r, std::uint8_t& tag, base::ByteReader& content) noexcept {
  std::uint8_t len0 = 0;
  if (!r.read_u8(tag) || !r.read_u8(len0)) {
    return false;
  }
  std::size_t len = len0;
  if (len0 & 0x80) {
    const unsigned count = len0 & 0x7FU;
    if (count == 0 || count > 2) {  // indefinite length, or longer than any SPKI we can take
      return false;
    }
    len = 0;
    for (unsigned i = 0; i < count; ++i) {
      std::uint8_t b = 0;
      if (!r.read_u8(b)) {
        return false;
      }
      len = (len << 8) | b;
    }
  }
  return r.sub(len, content);
}

bool equals(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

// Checks the structure of a SubjectPublicKeyInfo and returns the BIT STRING contents (the point),
// or an error that says what is wrong with it.
base::Result<std::span<const std::uint8_t>> spki_point(std::span<const std::uint8_t> der) {
  base::ByteReader r(der);
  std::uint8_t tag = 0;
  base::ByteReader spki;
  if (!read_tlv(r, tag, spki) || tag != der::kSequence) {
    return base::fail("SubjectPublicKeyInfo: not a DER SEQUENCE or truncated");
  }
  if (!r.empty()) {
    return base::fail("SubjectPublicKeyInfo: " + std::to_string(r.remaining()) +
                      " trailing octet(s)");
  }
  base::ByteReader alg;
  if (!read_tlv(spki, tag, alg) || tag != der::kSequence) {
    return base::fail("SubjectPublicKeyInfo: AlgorithmIdentifier missing or truncated");
  }
  base::ByteReader oid;
  if (!read_tlv(alg, tag, oid) || tag != der::kOid || !equals(oid.rest(), kOidEcPublicKey)) {
    return base::fail("SubjectPublicKeyInfo: algorithm is not id-ecPublicKey (RFC 8608 §3.1)");
  }
  base::ByteReader params;
  if (!read_tlv(alg, tag, params)) {
    return base::fail("SubjectPublicKeyInfo: EC parameters missing (RFC 5480 §2.1.1)");
  }
  if (tag == der::kSequence) {
    return base::fail(
        "SubjectPublicKeyInfo: explicit curve parameters refused (RFC 5480 §2.1.1: namedCurve "
        "prime256v1 only)");
  }
  if (tag == der::kNull) {
    return base::fail("SubjectPublicKeyInfo: implicitCurve refused (RFC 5480 §2.1.1)");
  }
  if (tag != der::kOid || !equals(params.rest(), kOidPrime256v1)) {
    return base::fail("SubjectPublicKeyInfo: curve is not prime256v1 (RFC 8608 §3.1: P-256)");
  }
  if (!alg.empty()) {
    return base::fail("SubjectPublicKeyInfo: extra octets in AlgorithmIdentifier");
  }
  base::ByteReader bits;
  std::uint8_t unused_bits = 0;
  if (!read_tlv(spki, tag, bits) || tag != der::kBitString || !bits.read_u8(unused_bits)) {
    return base::fail("SubjectPublicKeyInfo: subjectPublicKey BIT STRING missing or truncated");
  }
  if (!spki.empty()) {
    return base::fail("SubjectPublicKeyInfo: extra octets after subjectPublicKey");
  }
  std::uint8_t form = 0;
  if (unused_bits != 0 || !bits.peek_u8(form)) {
    return base::fail("SubjectPublicKeyInfo: malformed subjectPublicKey BIT STRING");
  }
  if (form == 0x02 || form == 0x03) {
    // RFC 8608 §3.1 (as rpki-client cert.c enforces it): the point is uncompressed.
    return base::fail("SubjectPublicKeyInfo: compressed EC point refused (RFC 8608 §3.1)");
  }
  if (form != kPointUncompressed || bits.remaining() != std::tuple_size_v<EcPoint>) {
    return base::fail("SubjectPublicKeyInfo: public key is not a 65-octet uncompressed point");
  }
  // Every field is right; a difference from the canonical bytes can only be a non-DER length.
  if (der.size() != kSpkiSize || !equals(der.first(kSpkiPrefix.size()), kSpkiPrefix)) {
    return base::fail("SubjectPublicKeyInfo: not DER (non-minimal length encoding)");
  }
  return bits.rest();
}

// ===== Private key helpers =====

base::Result<EcPoint> public_point_of(const EVP_PKEY* pkey) {
  BIGNUM* x_raw = nullptr;
  BIGNUM* y_raw = nullptr;
  const bool got_x = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x_raw) == 1;
  BnPtr x(x_raw);
  const bool got_y = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y_raw) == 1;
  BnPtr y(y_raw);
  EcPoint point{};
  point[0] = kPointUncompressed;
  const auto coords = std::span<std::uint8_t>(point).subspan(1);
  if (!got_x || !got_y || BN_bn2binpad(x.get(), coords.data(), static_cast<int>(kScalarSize)) < 0 ||
      BN_bn2binpad(y.get(), coords.subspan(kScalarSize).data(), static_cast<int>(kScalarSize)) <
          0) {
    return base::fail("cannot read the public key: " + openssl_error());
  }
  return point;
}

}  // namespace

// ===== PublicKey =====

namespace {

// The SubjectPublicKeyInfo of an uncompressed P-256 point: the fixed prefix, then the point.
// Sized once and filled, rather than built from the prefix and grown by insert(): g++ 12 at -O2
// misreads that growth as a write past the prefix's 26 octets (-Warray-bounds).
base::Bytes spki_of_point(std::span<const std::uint8_t> point) {
  base::Bytes der(kSpkiPrefix.size() + point.size());
  std::copy(point.begin(), point.end(),
            std::copy(kSpkiPrefix.begin(), kSpkiPrefix.end(), der.begin()));
  return der;
}

// OpenSSL's key for a SubjectPublicKeyInfo; null when OpenSSL refuses it or reads it
// differently.
EvpPkeyPtr openssl_public_key(std::span<const std::uint8_t> der) {
  const unsigned char* p = der.data();
  EvpPkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (pkey && (p != der.data() + der.size() || !EVP_PKEY_is_a(pkey.get(), "EC"))) {
    pkey.reset();
  }
  return pkey;
}

}  // namespace

PublicKey::State::~State() { EVP_PKEY_free(pkey.load(std::memory_order_acquire)); }

EVP_PKEY* PublicKey::State::evp() const noexcept {
  if (EVP_PKEY* built = pkey.load(std::memory_order_acquire)) {
    return built;
  }
  EvpPkeyPtr fresh = openssl_public_key(spki_of_point(point));
  if (!fresh) {
    ERR_clear_error();
    return nullptr;
  }
  EVP_PKEY* expected = nullptr;
  if (pkey.compare_exchange_strong(expected, fresh.get(), std::memory_order_acq_rel,
                                   std::memory_order_acquire)) {
    return fresh.release();
  }
  return expected;  // another thread was first; ours is freed
}

namespace {

// SEC 1 §3.2.2.1 public key validation of 04 || X || Y: both coordinates below p, and the point
// on the curve (P-256 has cofactor 1, so that makes its order n; infinity has no 65-octet form).
// Our P-256 code rather than OpenSSL's d2i_PUBKEY, which takes about 130 µs per key (10 s for a
// full RPKI data set's 78 k keys); the fuzz target spki compares the two.
const char* point_refusal(std::span<const std::uint8_t> point) noexcept {
  constexpr std::size_t kCoordinate = 32;
  p256::Affine q;
  if (!p256::fe_from_bytes(
          std::span<const std::uint8_t, kCoordinate>(point.data() + 1, kCoordinate), q.x) ||
      !p256::fe_from_bytes(
          std::span<const std::uint8_t, kCoordinate>(point.data() + 1 + kCoordinate, kCoordinate),
          q.y)) {
    return "a coordinate is not below the field prime p";
  }
  if (!p256::on_curve(q)) {
    return "the point is not on the curve";
  }
  return nullptr;
}

}  // namespace

base::Result<PublicKey> PublicKey::from_spki_der(std::span<const std::uint8_t> der) {
  BGPSEC_ASSIGN_OR_RETURN(const auto point_bytes, spki_point(der));
  // The structure is right (spki_point: 65 octets, uncompressed); now the point itself. No
  // EVP_PKEY is built here (see State): verify() builds one if it is ever needed.
  if (const char* why = point_refusal(point_bytes)) {
    return base::fail(std::string("SubjectPublicKeyInfo: invalid P-256 public key: ") + why);
  }
  EcPoint point{};
  std::copy(point_bytes.begin(), point_bytes.end(), point.begin());
  return PublicKey(std::make_shared<const State>(point, base::Ski(sha1(point))));
}

base::Result<PublicKey> PublicKey::from_point(std::span<const std::uint8_t> point) {
  if (point.size() != std::tuple_size_v<EcPoint> || point[0] != kPointUncompressed) {
    return base::fail("EC point is not 65 octets 04 || X || Y (RFC 8608 §3.1: uncompressed)");
  }
  return from_spki_der(spki_of_point(point));
}

base::Bytes PublicKey::spki_der() const { return spki_of_point(point()); }

// Verification context: a fresh EVP_PKEY_CTX per call (EVP_PKEY_CTX_new + verify_init). A
// context is not safe to share between threads, and the key is shared by every thread that
// validates; a per-call context keeps verify() free of locks and of per-thread caches that
// would keep retired keys alive. The key itself was parsed once in from_spki_der(), and
// bench/crypto_bench.cpp (BM_Verify vs `openssl speed`) measures what the context costs.
bool PublicKey::verify(const Sha256Digest& digest,
                       std::span<const std::uint8_t> der_signature) const noexcept {
  // RFC 8608 §3.1: a DER ECDSA-Sig-Value with r, s < n is never longer than 72 octets.
  if (der_signature.empty() || der_signature.size() > kMaxSignatureSize) {
    return false;
  }
  EVP_PKEY* const pkey = state_->evp();
  if (pkey == nullptr) {
    return false;
  }
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(pkey, nullptr));
  // OpenSSL's ECDSA verify rejects r or s outside [1, n-1], non-DER encodings (it re-encodes
  // and compares) and trailing octets; it accepts high-S (RFC 8608 examples are high-S).
  const bool ok = ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
                  EVP_PKEY_verify(ctx.get(), der_signature.data(), der_signature.size(),
                                  digest.data(), digest.size()) == 1;
  if (!ok) {
    ERR_clear_error();
  }
  return ok;
}

// ===== PrivateKey =====

PrivateKey::PrivateKey(EvpPkeyHandle pkey, PublicKey pub)
    : pkey_(std::move(pkey)), public_(std::move(pub)) {}

namespace {

// Accepts an EVP_PKEY only if it is a P-256 key pair whose public point matches d·G.
base::Result<std::pair<EvpPkeyHandle, PublicKey>> check_private(EvpPkeyPtr pkey) {
  if (!EVP_PKEY_is_a(pkey.get(), "EC")) {
    return base::fail("not an EC key (RFC 8608 §3: P-256 only)");
  }
  char group[64] = {};
  std::size_t group_len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                     &group_len) != 1 ||
      std::string_view(group, group_len) != kGroupName) {
    ERR_clear_error();
    return base::fail("EC key is not on the named curve prime256v1 (RFC 8608 §3: P-256 only)");
  }
  BIGNUM* d_raw = nullptr;
  const bool has_d = EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_PRIV_KEY, &d_raw) == 1;
  const BnSecretPtr d(d_raw);
  if (!has_d || BN_is_zero(d.get())) {
    ERR_clear_error();
    return base::fail("no private key in it");
  }
  // A file whose stored public key does not belong to d would make us sign under an SKI that
  // verifies nothing; OpenSSL recomputes d·G and compares.
  const EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(pkey.get(), nullptr));
  if (!ctx || EVP_PKEY_pairwise_check(ctx.get()) != 1) {
    return base::fail("private and public key do not match: " + openssl_error());
  }
  BGPSEC_ASSIGN_OR_RETURN(const auto point, public_point_of(pkey.get()));
  BGPSEC_ASSIGN_OR_RETURN(auto pub, PublicKey::from_point(point));
  return std::make_pair(to_handle(std::move(pkey)), std::move(pub));
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

base::Result<PrivateKey> PrivateKey::generate() {
  EvpPkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!pkey) {
    return base::fail("P-256 key generation failed: " + openssl_error());
  }
  BGPSEC_ASSIGN_OR_RETURN(auto parts, check_private(std::move(pkey)));
  return PrivateKey(std::move(parts.first), std::move(parts.second));
}

base::Result<PrivateKey> PrivateKey::from_scalar(std::span<const std::uint8_t> d) {
  if (d.size() != kScalarSize) {
    return base::fail("private scalar is " + std::to_string(d.size()) + " octets, expected 32");
  }
  const EC_GROUP* group = p256_group();
  const BnSecretPtr scalar(BN_bin2bn(d.data(), static_cast<int>(d.size()), nullptr));
  const BnCtxPtr bn_ctx(BN_CTX_new());
  const EcPointPtr pub(EC_POINT_new(group));
  if (!scalar || !bn_ctx || !pub) {
    return base::fail("out of memory: " + openssl_error());
  }
  BN_set_flags(scalar.get(), BN_FLG_CONSTTIME);
  // SEC 1 §3.2.1: the private key is an integer in [1, n-1].
  if (BN_is_zero(scalar.get()) || BN_cmp(scalar.get(), EC_GROUP_get0_order(group)) >= 0) {
    return base::fail("private scalar is not in [1, n-1] for P-256");
  }
  std::array<std::uint8_t, std::tuple_size_v<EcPoint>> point{};
  if (EC_POINT_mul(group, pub.get(), scalar.get(), nullptr, nullptr, bn_ctx.get()) != 1 ||
      EC_POINT_point2oct(group, pub.get(), POINT_CONVERSION_UNCOMPRESSED, point.data(),
                         point.size(), bn_ctx.get()) != point.size()) {
    return base::fail("cannot compute the public key: " + openssl_error());
  }
  const OsslParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, kGroupName, 0) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, scalar.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return base::fail("out of memory: " + openssl_error());
  }
  const OsslParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  const EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) != 1) {
    return base::fail("cannot build the P-256 key: " + openssl_error());
  }
  BGPSEC_ASSIGN_OR_RETURN(auto parts, check_private(EvpPkeyPtr(raw)));
  return PrivateKey(std::move(parts.first), std::move(parts.second));
}

base::Result<PrivateKey> PrivateKey::from_der(std::span<const std::uint8_t> der) {
  EVP_PKEY* raw = nullptr;
  // No structure given: the decoder tries PKCS#8 PrivateKeyInfo and the type-specific RFC 5915
  // ECPrivateKey.
  const OsslDecoderCtxPtr dctx(OSSL_DECODER_CTX_new_for_pkey(&raw, "DER", nullptr, "EC",
                                                             EVP_PKEY_KEYPAIR, nullptr, nullptr));
  if (!dctx) {
    return base::fail("cannot set up the key decoder: " + openssl_error());
  }
  const unsigned char* p = der.data();
  std::size_t left = der.size();
  if (der.empty() || OSSL_DECODER_from_data(dctx.get(), &p, &left) != 1) {
    EVP_PKEY_free(raw);
    ERR_clear_error();
    return base::fail("not a DER PKCS#8 or RFC 5915 EC private key");
  }
  EvpPkeyPtr pkey(raw);
  if (left != 0) {
    return base::fail("private key DER has " + std::to_string(left) + " trailing octet(s)");
  }
  BGPSEC_ASSIGN_OR_RETURN(auto parts, check_private(std::move(pkey)));
  return PrivateKey(std::move(parts.first), std::move(parts.second));
}

namespace {

struct PemError {
  std::string message;
  // "is ...": joined to the source's name with a space, otherwise with ": ".
  bool predicate = false;
};

// The PEM decoding shared by from_pem() and load_pem(); the callers name the source.
base::Result<std::pair<EvpPkeyHandle, PublicKey>, PemError> pem_private_key(std::string_view text) {
  // BIO_new_mem_buf takes an int length; a key file is far smaller (kMaxKeyFileSize).
  if (text.size() > kMaxKeyFileSize) {
    return tl::unexpected(PemError{"is too large to be a key", true});
  }
  const BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  bool asked_for_password = false;
  // Encrypted keys are refused rather than prompting on a terminal a daemon does not have.
  pem_password_cb* no_password = [](char*, int, int, void* flag) -> int {
    *static_cast<bool*>(flag) = true;
    return -1;
  };
  EvpPkeyPtr pkey(bio ? PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, no_password,
                                                   &asked_for_password, nullptr, nullptr)
                      : nullptr);
  if (!pkey) {
    ERR_clear_error();
    if (asked_for_password) {
      return tl::unexpected(PemError{"is encrypted; give bgpsecd an unencrypted key", true});
    }
    return tl::unexpected(
        PemError{"no PEM private key (expected BEGIN PRIVATE KEY or BEGIN EC PRIVATE KEY)", false});
  }
  auto parts = check_private(std::move(pkey));
  if (!parts) {
    return tl::unexpected(PemError{parts.error().message, false});
  }
  return std::move(parts).value();
}

}  // namespace

base::Result<PrivateKey> PrivateKey::load_pem(const std::filesystem::path& path) {
  const std::string name = path.string();
  // Like ssh: a private key others can read (or replace) is refused, not silently used.
  auto text = base::read_secret_file(name, "key file", kMaxKeyFileSize);
  if (!text) {
    return tl::unexpected(std::move(text).error());
  }
  auto parts = pem_private_key(*text);
  base::wipe(*text);
  if (!parts) {
    return base::fail("key file " + name + (parts.error().predicate ? " " : ": ") +
                      parts.error().message);
  }
  return PrivateKey(std::move(parts->first), std::move(parts->second));
}

base::Result<PrivateKey> PrivateKey::from_pem(std::string_view pem) {
  auto parts = pem_private_key(pem);
  if (!parts) {
    return base::fail(std::string("PEM private key") + (parts.error().predicate ? " " : ": ") +
                      parts.error().message);
  }
  return PrivateKey(std::move(parts->first), std::move(parts->second));
}

std::string PrivateKey::to_pem() const {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    ERR_clear_error();
    return {};
  }
  std::string pem;
  char buf[512];
  for (int n = 0; (n = BIO_read(bio.get(), buf, static_cast<int>(sizeof buf))) > 0;) {
    pem.append(buf, static_cast<std::size_t>(n));
  }
  OPENSSL_cleanse(buf, sizeof buf);
  return pem;
}

base::Result<void> PrivateKey::save_pem(const std::filesystem::path& path) const {
  const std::string name = path.string();
  std::string pem = to_pem();
  if (pem.empty()) {
    return base::fail("cannot encode the private key as PEM");
  }
  // O_EXCL: never overwrite (a key is an identity); mode 0600 from creation on, so there is no
  // moment at which the key is readable by others.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    const int err = errno;
    OPENSSL_cleanse(pem.data(), pem.size());
    if (err == EEXIST) {
      return base::fail("key file " + name + " already exists; refusing to overwrite it");
    }
    return base::fail("cannot create key file " + name + ": " + std::strerror(err));
  }
  const bool written = write_all(fd, pem);
  const int write_err = errno;
  OPENSSL_cleanse(pem.data(), pem.size());
  const bool synced = written && ::fsync(fd) == 0;
  const int sync_err = errno;
  const bool closed = ::close(fd) == 0;
  if (!written || !synced || !closed) {
    ::unlink(path.c_str());
    const int err = !written ? write_err : (!synced ? sync_err : errno);
    return base::fail("cannot write key file " + name + ": " + std::strerror(err));
  }
  return {};
}

base::Result<base::Bytes> PrivateKey::sign(const Sha256Digest& digest) const {
  const EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(mutable_pkey(pkey_), nullptr));
  std::size_t len = 0;
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
      EVP_PKEY_sign(ctx.get(), nullptr, &len, digest.data(), digest.size()) != 1) {
    return base::fail("ECDSA signing failed: " + openssl_error());
  }
  base::Bytes sig(len);
  if (EVP_PKEY_sign(ctx.get(), sig.data(), &len, digest.data(), digest.size()) != 1) {
    return base::fail("ECDSA signing failed: " + openssl_error());
  }
  sig.resize(len);
  return sig;
}

// Textbook ECDSA (SEC 1 §4.1.3) with a caller-chosen nonce, so that tests can reproduce the
// RFC 8608 example signatures byte for byte. Not constant time; tests only.
base::Result<base::Bytes> PrivateKey::sign_with_nonce_for_test(
    const Sha256Digest& digest, std::span<const std::uint8_t> k) const {
  if (k.size() != kScalarSize) {
    return base::fail("nonce is " + std::to_string(k.size()) + " octets, expected 32");
  }
  const EC_GROUP* group = p256_group();
  const BIGNUM* n = EC_GROUP_get0_order(group);
  BIGNUM* d_raw = nullptr;
  const bool has_d = EVP_PKEY_get_bn_param(pkey_.get(), OSSL_PKEY_PARAM_PRIV_KEY, &d_raw) == 1;
  const BnSecretPtr d(d_raw);
  const BnSecretPtr kn(BN_bin2bn(k.data(), static_cast<int>(k.size()), nullptr));
  const BnPtr z(BN_bin2bn(digest.data(), static_cast<int>(digest.size()), nullptr));
  const BnCtxPtr bn_ctx(BN_CTX_new());
  const EcPointPtr kg(EC_POINT_new(group));
  BnPtr x(BN_new());
  BnPtr r(BN_new());
  BnPtr s(BN_new());
  const BnSecretPtr k_inv(BN_new());
  const BnSecretPtr rd(BN_new());
  const BnSecretPtr sum(BN_new());
  if (!has_d || !kn || !z || !bn_ctx || !kg || !x || !r || !s || !k_inv || !rd || !sum) {
    return base::fail("out of memory: " + openssl_error());
  }
  if (BN_is_zero(kn.get()) || BN_cmp(kn.get(), n) >= 0) {
    return base::fail("nonce is not in [1, n-1]");
  }
  // r = x(k·G) mod n; s = k⁻¹ (z + r·d) mod n. z is the whole digest: SHA-256 has exactly the
  // 256 bits of n, so no truncation applies (SEC 1 §4.1.3 step 5).
  const bool ok =
      EC_POINT_mul(group, kg.get(), kn.get(), nullptr, nullptr, bn_ctx.get()) == 1 &&
      EC_POINT_get_affine_coordinates(group, kg.get(), x.get(), nullptr, bn_ctx.get()) == 1 &&
      BN_nnmod(r.get(), x.get(), n, bn_ctx.get()) == 1 &&
      BN_mod_mul(rd.get(), r.get(), d.get(), n, bn_ctx.get()) == 1 &&
      BN_mod_add(sum.get(), z.get(), rd.get(), n, bn_ctx.get()) == 1 &&
      BN_mod_inverse(k_inv.get(), kn.get(), n, bn_ctx.get()) != nullptr &&
      BN_mod_mul(s.get(), k_inv.get(), sum.get(), n, bn_ctx.get()) == 1;
  if (!ok) {
    return base::fail("ECDSA arithmetic failed: " + openssl_error());
  }
  if (BN_is_zero(r.get()) || BN_is_zero(s.get())) {
    return base::fail("nonce gives r = 0 or s = 0; choose another");
  }
  const EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return base::fail("out of memory: " + openssl_error());
  }
  // ECDSA_SIG_set0 took ownership of r and s.
  static_cast<void>(r.release());
  static_cast<void>(s.release());
  const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) {
    return base::fail("cannot DER-encode the signature: " + openssl_error());
  }
  base::Bytes der(static_cast<std::size_t>(len));
  unsigned char* out = der.data();
  if (i2d_ECDSA_SIG(sig.get(), &out) != len) {
    return base::fail("cannot DER-encode the signature: " + openssl_error());
  }
  return der;
}

}  // namespace bgpsecd::crypto
