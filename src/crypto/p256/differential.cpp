// SPDX-License-Identifier: BSD-2-Clause
// Differential test driver: PrecomputedVerifier vs PublicKey::verify (see differential.hpp).
// Signatures come from OpenSSL (PrivateKey::sign, or textbook ECDSA on OpenSSL's BIGNUM and
// EC_POINT code where a chosen nonce or key is needed), never from the engine under test.
#include "crypto/p256/differential.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/obj_mac.h>

#include "base/hex.hpp"
#include "crypto/fast_verify.hpp"
#include "crypto/openssl_ptr.hpp"

namespace bgpsecd::crypto::p256 {
namespace {

using base::Bytes;
using Scalar32 = std::array<std::uint8_t, 32>;

// ===== DER building =====

Bytes tlv(std::uint8_t tag, const Bytes& content) {
  Bytes out{tag};
  if (content.size() >= 0x80) {
    out.push_back(0x81);
  }
  out.push_back(static_cast<std::uint8_t>(content.size()));
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

Bytes cat(const Bytes& a, const Bytes& b) {
  Bytes out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// Minimal INTEGER contents for an unsigned big-endian value (any length; zero is "00").
Bytes uint_contents(Bytes v) {
  while (v.size() > 1 && v[0] == 0) {
    v.erase(v.begin());
  }
  if (v.empty()) {
    v.push_back(0);
  }
  if ((v[0] & 0x80) != 0) {
    v.insert(v.begin(), 0x00);
  }
  return v;
}

Bytes der_uint(const Bytes& v) { return tlv(0x02, uint_contents(v)); }
Bytes der_sig(const Bytes& r_int, const Bytes& s_int) { return tlv(0x30, cat(r_int, s_int)); }

// ===== OpenSSL arithmetic =====

class Ossl {
 public:
  Ossl()
      : group_(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1)), ctx_(BN_CTX_new()), p_(BN_new()) {
    EC_GROUP_get_curve(group_.get(), p_.get(), nullptr, nullptr, ctx_.get());
  }
  [[nodiscard]] const EC_GROUP* group() const { return group_.get(); }
  [[nodiscard]] BN_CTX* ctx() const { return ctx_.get(); }
  [[nodiscard]] const BIGNUM* n() const { return EC_GROUP_get0_order(group_.get()); }
  [[nodiscard]] const BIGNUM* p() const { return p_.get(); }

  static BnPtr bn(const Bytes& be) {
    return BnPtr(BN_bin2bn(be.data(), static_cast<int>(be.size()), nullptr));
  }
  // Big-endian, at least 32 octets (more if the value needs them).
  static Bytes bytes(const BIGNUM* v) {
    const int len = std::max(32, BN_num_bytes(v));
    Bytes out(static_cast<std::size_t>(len));
    BN_bn2binpad(v, out.data(), len);
    return out;
  }
  [[nodiscard]] BnPtr mod_mul(const BIGNUM* a, const BIGNUM* b) const {
    BnPtr r(BN_new());
    BN_mod_mul(r.get(), a, b, n(), ctx());
    return r;
  }
  [[nodiscard]] BnPtr mod_inv(const BIGNUM* a) const {
    return BnPtr(BN_mod_inverse(nullptr, a, n(), ctx()));
  }
  [[nodiscard]] BnPtr mod_neg(const BIGNUM* a) const {
    BnPtr r(BN_new());
    BN_mod_sub(r.get(), n(), a, n(), ctx());
    return r;
  }
  [[nodiscard]] BnPtr mod_add(const BIGNUM* a, const BIGNUM* b) const {
    BnPtr r(BN_new());
    BN_mod_add(r.get(), a, b, n(), ctx());
    return r;
  }
  // g·G + q_scalar·q (q may be null), as 65 octets; nullopt at infinity.
  [[nodiscard]] std::optional<EcPoint> mul(const BIGNUM* g, const EC_POINT* q,
                                           const BIGNUM* q_scalar) const {
    const EcPointPtr out(EC_POINT_new(group()));
    if (EC_POINT_mul(group(), out.get(), g, q, q_scalar, ctx()) != 1 ||
        EC_POINT_is_at_infinity(group(), out.get()) == 1) {
      return std::nullopt;
    }
    EcPoint enc{};
    if (EC_POINT_point2oct(group(), out.get(), POINT_CONVERSION_UNCOMPRESSED, enc.data(),
                           enc.size(), ctx()) != enc.size()) {
      return std::nullopt;
    }
    return enc;
  }
  // x(g·G) mod n.
  [[nodiscard]] BnPtr x_mod_n(const BIGNUM* k) const {
    const EcPointPtr pt(EC_POINT_new(group()));
    BnPtr x(BN_new());
    EC_POINT_mul(group(), pt.get(), k, nullptr, nullptr, ctx());
    EC_POINT_get_affine_coordinates(group(), pt.get(), x.get(), nullptr, ctx());
    BN_nnmod(x.get(), x.get(), n(), ctx());
    return x;
  }

 private:
  EcGroupPtr group_;
  BnCtxPtr ctx_;
  BnPtr p_;
};

// ===== The two verifiers =====

struct Key {
  PublicKey openssl;
  PrecomputedVerifier fast;
  std::optional<PrivateKey> priv;
};

const std::array<TableShape, 10> kShapes = {
    {{5, 2}, {4, 4}, {6, 1}, {2, 16}, {8, 1}, {7, 3}, {3, 5}, {5, 1}, {4, 16}, {6, 2}}};

std::optional<Key> make_key(const EcPoint& point, TableShape shape) {
  auto pub = PublicKey::from_point(point);
  auto fast = PrecomputedVerifier::from_point(point, shape);
  if (!pub || !fast) {
    return std::nullopt;
  }
  return Key{*pub, *fast, std::nullopt};
}

// ===== Cases =====

// What is done to one OpenSSL signature (r, s) over (key, digest).
enum class Variant {
  Valid,
  HighLowSTwin,
  DigestBitFlip,
  RPlusOne,
  SPlusOne,
  RRandom,
  SRandom,
  RZero,
  SZero,
  REqualsN,
  SEqualsN,
  RAboveN,
  SAboveN,
  RPlusN,
  SPlusN,
  RAllOnes,
  SwapRS,
  BitFlip,
  Truncated,
  Trailing,
  TrailingInSequence,
  NonMinimalR,
  NonMinimalS,
  NegativeR,
  NegativeS,
  LongFormOuterLength,
  LongFormIntegerLength,
  Indefinite,
  WrongOuterTag,
  WrongIntegerTag,
  OuterLengthPlus,
  OuterLengthMinus,
  IntegerLengthPlus,
  IntegerLengthMinus,
  ExtraInteger,
  Empty,
  Garbage,
  ByteReplaced,
  WrongKey,
  HighSWrongDigest,
  kCount,
};

constexpr std::array<const char*, static_cast<std::size_t>(Variant::kCount)> kVariantNames = {
    "valid",
    "high_low_s_twin",
    "digest_bit_flip",
    "r_plus_1",
    "s_plus_1",
    "r_random",
    "s_random",
    "r_zero",
    "s_zero",
    "r_equals_n",
    "s_equals_n",
    "r_above_n",
    "s_above_n",
    "r_plus_n",
    "s_plus_n",
    "r_all_ones",
    "swap_r_s",
    "der_bit_flip",
    "truncated",
    "trailing_octets",
    "trailing_in_sequence",
    "non_minimal_r",
    "non_minimal_s",
    "negative_r",
    "negative_s",
    "long_form_outer_length",
    "long_form_integer_length",
    "indefinite_length",
    "wrong_outer_tag",
    "wrong_integer_tag",
    "outer_length_plus",
    "outer_length_minus",
    "integer_length_plus",
    "integer_length_minus",
    "extra_integer",
    "empty",
    "garbage",
    "byte_replaced",
    "wrong_key",
    "high_s_wrong_digest",
};

class Driver {
 public:
  explicit Driver(const DiffOptions& options) : options_(options), rng_(options.seed) {}

  DiffStats run() {
    pool_.reserve(options_.pool);
    while (stats_.cases < options_.cases) {
      const std::uint64_t before = stats_.cases;
      if (uniform(100) == 0) {
        crafted();
      } else {
        ordinary();
      }
      if (options_.progress_every != 0 && options_.on_progress &&
          before / options_.progress_every != stats_.cases / options_.progress_every) {
        options_.on_progress(stats_);
      }
    }
    flush_batch();
    return stats_;
  }

 private:
  std::uint64_t uniform(std::uint64_t bound) {
    return std::uniform_int_distribution<std::uint64_t>(0, bound - 1)(rng_);
  }
  Bytes random_bytes(std::size_t n) {
    Bytes out(n);
    for (auto& b : out) {
      b = static_cast<std::uint8_t>(uniform(256));
    }
    return out;
  }
  // A random scalar in [1, n-1].
  BnPtr random_scalar() {
    for (;;) {
      BnPtr v = Ossl::bn(random_bytes(32));
      if (!BN_is_zero(v.get()) && BN_cmp(v.get(), ossl_.n()) < 0) {
        return v;
      }
    }
  }
  Sha256Digest random_digest() {
    Sha256Digest d{};
    const Bytes b = random_bytes(d.size());
    std::copy(b.begin(), b.end(), d.begin());
    switch (uniform(20)) {
      case 0:  // e ≥ n: the reduction mod n matters
        std::fill(d.begin(), d.begin() + 8, 0xFF);
        break;
      case 1:  // e = 0: u1 = 0, so u1·G is infinity
        d.fill(0);
        break;
      case 2:  // e = n exactly: also e mod n = 0
        d = to_digest(Ossl::bytes(ossl_.n()));
        break;
      default:
        break;
    }
    return d;
  }
  static Sha256Digest to_digest(const Bytes& b) {
    Sha256Digest d{};
    std::copy(b.end() - 32, b.end(), d.begin());
    return d;
  }

  Key& pool_key() {
    if (pool_.size() < options_.pool || uniform(100) == 0) {
      for (;;) {
        auto priv = PrivateKey::from_scalar(Ossl::bytes(random_scalar().get()));
        if (!priv) {
          continue;
        }
        auto key = make_key(priv->public_key().point(), kShapes[stats_.keys % kShapes.size()]);
        if (!key) {
          continue;  // cannot happen for a valid key; counted as no key
        }
        key->priv = *priv;
        ++stats_.keys;
        if (pool_.size() < options_.pool) {
          pool_.push_back(std::move(*key));
          return pool_.back();
        }
        const std::size_t slot = uniform(pool_.size());
        pool_[slot] = std::move(*key);
        return pool_[slot];
      }
    }
    return pool_[uniform(pool_.size())];
  }

  void check(const char* kind, const Key& key, const Sha256Digest& digest, const Bytes& sig) {
    DiffCase c;
    c.openssl = key.openssl.verify(digest, sig);
    c.fast = key.fast.verify(digest, sig);
    ++stats_.cases;
    auto& k = stats_.per_kind[kind];
    ++k.cases;
    if (c.openssl) {
      ++stats_.accepted;
      ++k.accepted;
    }
    c.kind = kind;
    c.key = key.openssl.point();
    c.digest = digest;
    c.signature = sig;
    c.batch = c.fast;  // until the batch runs
    if (c.openssl != c.fast) {
      ++stats_.mismatches;
      if (options_.on_mismatch) {
        options_.on_mismatch(c);
      }
    }
    // The same case again through verify_batch, in a batch of 1 to 24 cases of mixed keys
    // and table shapes.
    batch_.push_back({key.fast, std::move(c)});
    if (batch_.size() >= batch_target_) {
      flush_batch();
    }
  }

  void flush_batch() {
    std::vector<VerifyRequest> requests;
    requests.reserve(batch_.size());
    for (const Pending& p : batch_) {
      requests.push_back({&p.verifier, &p.c.digest, p.c.signature});
    }
    std::unique_ptr<bool[]> results(new bool[batch_.size()]);
    PrecomputedVerifier::verify_batch(requests, std::span(results.get(), batch_.size()));
    for (std::size_t i = 0; i < batch_.size(); ++i) {
      DiffCase& c = batch_[i].c;
      c.batch = results[i];
      if (c.batch != c.openssl) {
        ++stats_.batch_mismatches;
        if (c.fast == c.openssl) {
          ++stats_.mismatches;  // not counted yet for this case
          if (options_.on_mismatch) {
            options_.on_mismatch(c);
          }
        }
      }
    }
    batch_.clear();
    batch_target_ = 1 + uniform(24);
  }

  // One OpenSSL signature, checked as it is, as its other-S twin, and in four random
  // variants.
  void ordinary() {
    Key& key = pool_key();
    const Sha256Digest digest = random_digest();
    auto der = key.priv->sign(digest);
    if (!der) {
      return;
    }
    const unsigned char* p = der->data();
    const EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der->size())));
    if (!sig) {
      return;
    }
    const Bytes r = Ossl::bytes(ECDSA_SIG_get0_r(sig.get()));
    const Bytes s = Ossl::bytes(ECDSA_SIG_get0_s(sig.get()));
    variant(Variant::Valid, key, digest, *der, r, s);
    variant(Variant::HighLowSTwin, key, digest, *der, r, s);
    for (int i = 0; i < 4; ++i) {
      const auto v =
          static_cast<Variant>(2 + uniform(static_cast<std::uint64_t>(Variant::kCount) - 2));
      variant(v, key, digest, *der, r, s);
    }
  }

  void variant(Variant v, Key& key, Sha256Digest digest, const Bytes& der, const Bytes& r,
               const Bytes& s) {
    const BnPtr rb = Ossl::bn(r);
    const BnPtr sb = Ossl::bn(s);
    const BnPtr one = Ossl::bn({1});
    const Bytes n = Ossl::bytes(ossl_.n());
    const Bytes r_int = der_uint(r);
    const Bytes s_int = der_uint(s);
    Bytes sig = der;
    const Key* verifier = &key;
    switch (v) {
      case Variant::Valid:
        break;
      case Variant::HighLowSTwin:
        sig = der_sig(r_int, der_uint(Ossl::bytes(ossl_.mod_neg(sb.get()).get())));
        break;
      case Variant::DigestBitFlip:
        digest[uniform(32)] ^= static_cast<std::uint8_t>(1U << uniform(8));
        break;
      case Variant::RPlusOne:
        sig = der_sig(der_uint(Ossl::bytes(ossl_.mod_add(rb.get(), one.get()).get())), s_int);
        break;
      case Variant::SPlusOne:
        sig = der_sig(r_int, der_uint(Ossl::bytes(ossl_.mod_add(sb.get(), one.get()).get())));
        break;
      case Variant::RRandom:
        sig = der_sig(der_uint(Ossl::bytes(random_scalar().get())), s_int);
        break;
      case Variant::SRandom:
        sig = der_sig(r_int, der_uint(Ossl::bytes(random_scalar().get())));
        break;
      case Variant::RZero:
        sig = der_sig(der_uint({0}), s_int);
        break;
      case Variant::SZero:
        sig = der_sig(r_int, der_uint({0}));
        break;
      case Variant::REqualsN:
        sig = der_sig(der_uint(n), s_int);
        break;
      case Variant::SEqualsN:
        sig = der_sig(r_int, der_uint(n));
        break;
      case Variant::RAboveN:
      case Variant::SAboveN: {
        // n < v < 2^256: n's top 32 bits are all ones but the next 32 are zero.
        Bytes above = random_bytes(32);
        std::fill(above.begin(), above.begin() + 4, 0xFF);
        above[4] |= 0x80;
        sig = v == Variant::RAboveN ? der_sig(der_uint(above), s_int)
                                    : der_sig(r_int, der_uint(above));
        break;
      }
      case Variant::RPlusN:
      case Variant::SPlusN: {
        // Same residue mod n, out of range (up to 33 octets).
        const BnPtr sum(BN_new());
        BN_add(sum.get(), v == Variant::RPlusN ? rb.get() : sb.get(), ossl_.n());
        const Bytes enc = der_uint(Ossl::bytes(sum.get()));
        sig = v == Variant::RPlusN ? der_sig(enc, s_int) : der_sig(r_int, enc);
        break;
      }
      case Variant::RAllOnes:
        sig = der_sig(der_uint(Bytes(32, 0xFF)), s_int);
        break;
      case Variant::SwapRS:
        sig = der_sig(s_int, r_int);
        break;
      case Variant::BitFlip:
        sig[uniform(sig.size())] ^= static_cast<std::uint8_t>(1U << uniform(8));
        break;
      case Variant::Truncated:
        sig.resize(uniform(sig.size()));
        break;
      case Variant::Trailing: {
        const Bytes extra = random_bytes(1 + uniform(4));
        sig.insert(sig.end(), extra.begin(), extra.end());
        break;
      }
      case Variant::TrailingInSequence:
        sig = tlv(0x30, cat(cat(r_int, s_int), random_bytes(1 + uniform(3))));
        break;
      case Variant::NonMinimalR:
        sig = der_sig(tlv(0x02, cat({0x00}, uint_contents(r))), s_int);
        break;
      case Variant::NonMinimalS:
        sig = der_sig(r_int, tlv(0x02, cat({0x00}, uint_contents(s))));
        break;
      case Variant::NegativeR:
      case Variant::NegativeS: {
        Bytes c = uint_contents(v == Variant::NegativeR ? r : s);
        if (c.size() > 1 && c[0] == 0x00) {
          c.erase(c.begin());  // the magnitude's top bit now reads as a sign
        } else {
          c[0] |= 0x80;
        }
        sig = v == Variant::NegativeR ? der_sig(tlv(0x02, c), s_int) : der_sig(r_int, tlv(0x02, c));
        break;
      }
      case Variant::LongFormOuterLength: {
        const Bytes body = cat(r_int, s_int);
        sig = cat({0x30, 0x81, static_cast<std::uint8_t>(body.size())}, body);
        break;
      }
      case Variant::LongFormIntegerLength: {
        const Bytes c = uint_contents(r);
        sig = der_sig(cat({0x02, 0x81, static_cast<std::uint8_t>(c.size())}, c), s_int);
        break;
      }
      case Variant::Indefinite:
        sig = cat(cat({0x30, 0x80}, cat(r_int, s_int)), {0x00, 0x00});
        break;
      case Variant::WrongOuterTag:
        sig[0] = static_cast<std::uint8_t>(uniform(2) == 0 ? 0x31 : uniform(256));
        break;
      case Variant::WrongIntegerTag:
        sig[2] = static_cast<std::uint8_t>(uniform(2) == 0 ? 0x03 : uniform(256));
        break;
      case Variant::OuterLengthPlus:
        sig[1] = static_cast<std::uint8_t>(sig[1] + 1 + uniform(3));
        break;
      case Variant::OuterLengthMinus:
        sig[1] = static_cast<std::uint8_t>(sig[1] - 1 - uniform(3));
        break;
      case Variant::IntegerLengthPlus:
        sig[3] = static_cast<std::uint8_t>(sig[3] + 1);
        break;
      case Variant::IntegerLengthMinus:
        sig[3] = static_cast<std::uint8_t>(sig[3] - 1);
        break;
      case Variant::ExtraInteger:
        sig = tlv(0x30, cat(cat(r_int, s_int), der_uint({1})));
        break;
      case Variant::Empty:
        sig.clear();
        break;
      case Variant::Garbage:
        sig = random_bytes(uniform(80));
        if (!sig.empty() && uniform(2) == 0) {
          sig[0] = 0x30;
        }
        break;
      case Variant::ByteReplaced:
        sig[uniform(sig.size())] = static_cast<std::uint8_t>(uniform(256));
        break;
      case Variant::WrongKey:
        verifier = &pool_[uniform(pool_.size())];
        break;
      case Variant::HighSWrongDigest:
        sig = der_sig(r_int, der_uint(Ossl::bytes(ossl_.mod_neg(sb.get()).get())));
        digest[uniform(32)] ^= 0x01;
        break;
      case Variant::kCount:
        return;
    }
    check(kVariantNames[static_cast<std::size_t>(v)], *verifier, digest, sig);
  }

  // ===== Crafted keys =====

  void crafted() {
    switch (uniform(4)) {
      case 0:
        x_at_least_n();
        break;
      case 1:
        infinity();
        break;
      default:
        plus_minus_generator();
        break;
    }
  }

  // A point R with x(R) in [n, p): x = n + j for the first j that is on the curve.
  const std::pair<BnPtr, BnPtr>& big_x_point() {
    if (!big_x_) {
      const BnPtr b(BN_new());
      const BnPtr a(BN_new());
      const BnPtr p(BN_new());
      EC_GROUP_get_curve(ossl_.group(), p.get(), a.get(), b.get(), ossl_.ctx());
      BnPtr x(BN_dup(ossl_.n()));
      BN_add_word(x.get(), 1);  // x = n would give r = 0
      for (;;) {
        // y² = x³ + a·x + b
        const BnPtr rhs(BN_new());
        const BnPtr t(BN_new());
        BN_mod_sqr(t.get(), x.get(), p.get(), ossl_.ctx());
        BN_mod_mul(rhs.get(), t.get(), x.get(), p.get(), ossl_.ctx());
        BN_mod_mul(t.get(), a.get(), x.get(), p.get(), ossl_.ctx());
        BN_mod_add(rhs.get(), rhs.get(), t.get(), p.get(), ossl_.ctx());
        BN_mod_add(rhs.get(), rhs.get(), b.get(), p.get(), ossl_.ctx());
        BnPtr y(BN_mod_sqrt(nullptr, rhs.get(), p.get(), ossl_.ctx()));
        if (y) {
          big_x_.emplace(std::move(x), std::move(y));
          break;
        }
        BN_add_word(x.get(), 1);
      }
    }
    return *big_x_;
  }

  // r = x(R) - n: valid only through the "x(R) mod n" of SEC 1 §4.1.4 step 8. The key is made
  // to fit: Q = (s/r)·R - (e/r)·G, so that u1·G + u2·Q = R.
  void x_at_least_n() {
    const auto& [x, y] = big_x_point();
    const EcPointPtr big_r(EC_POINT_new(ossl_.group()));
    BnPtr y_used(BN_dup(y.get()));
    if (uniform(2) == 0) {
      BN_sub(y_used.get(), ossl_.p(), y.get());
    }
    EC_POINT_set_affine_coordinates(ossl_.group(), big_r.get(), x.get(), y_used.get(), ossl_.ctx());
    const BnPtr r(BN_new());
    BN_sub(r.get(), x.get(), ossl_.n());
    const BnPtr s = random_scalar();
    const Sha256Digest digest = random_digest();
    const BnPtr e(BN_bin2bn(digest.data(), static_cast<int>(digest.size()), nullptr));
    const BnPtr r_inv = ossl_.mod_inv(r.get());
    const BnPtr g_scalar = ossl_.mod_neg(ossl_.mod_mul(e.get(), r_inv.get()).get());
    const BnPtr r_scalar = ossl_.mod_mul(s.get(), r_inv.get());
    const auto q = ossl_.mul(g_scalar.get(), big_r.get(), r_scalar.get());
    if (!q) {
      return;
    }
    auto key = make_key(*q, kShapes[uniform(kShapes.size())]);
    if (!key) {
      return;
    }
    ++stats_.keys;
    const Bytes s_int = der_uint(Ossl::bytes(s.get()));
    check("crafted_x_at_least_n", *key, digest, der_sig(der_uint(Ossl::bytes(r.get())), s_int));
    // r = x(R) itself is at least n: out of range.
    check("crafted_r_is_x_at_least_n", *key, digest,
          der_sig(der_uint(Ossl::bytes(x.get())), s_int));
    Sha256Digest other = digest;
    other[31] ^= 0x01;
    check("crafted_x_at_least_n_wrong_digest", *key, other,
          der_sig(der_uint(Ossl::bytes(r.get())), s_int));
  }

  // Q = -(e/r)·G makes u1·G + u2·Q the point at infinity (SEC 1 §4.1.4 step 6: reject).
  void infinity() {
    const BnPtr r = random_scalar();
    const BnPtr s = random_scalar();
    const Sha256Digest digest = random_digest();
    const BnPtr e(BN_bin2bn(digest.data(), static_cast<int>(digest.size()), nullptr));
    BN_nnmod(e.get(), e.get(), ossl_.n(), ossl_.ctx());
    if (BN_is_zero(e.get())) {
      return;  // d would be 0
    }
    const BnPtr d = ossl_.mod_neg(ossl_.mod_mul(e.get(), ossl_.mod_inv(r.get()).get()).get());
    const auto q = ossl_.mul(d.get(), nullptr, nullptr);
    if (!q) {
      return;
    }
    auto key = make_key(*q, kShapes[uniform(kShapes.size())]);
    if (!key) {
      return;
    }
    ++stats_.keys;
    check("crafted_infinity", *key, digest,
          der_sig(der_uint(Ossl::bytes(r.get())), der_uint(Ossl::bytes(s.get()))));
  }

  // Q = G, -G, 2G, with digests e = ±r so that u1 = ±u2: the partial sums of u1·G and u2·Q run
  // over the same multiples of G. Textbook signatures with a chosen nonce, and e = -r·d for
  // infinity.
  void plus_minus_generator() {
    static constexpr std::array<std::uint8_t, 3> kSmall = {1, 2, 3};
    BnPtr d = Ossl::bn({kSmall[uniform(kSmall.size())]});
    if (uniform(2) == 0) {
      d = ossl_.mod_neg(d.get());
    }
    const auto q = ossl_.mul(d.get(), nullptr, nullptr);
    if (!q) {
      return;
    }
    const auto slot = small_keys_.find(Ossl::bytes(d.get()));
    if (slot == small_keys_.end()) {
      auto key = make_key(*q, kShapes[small_keys_.size() % kShapes.size()]);
      if (!key) {
        return;
      }
      ++stats_.keys;
      small_keys_.emplace(Ossl::bytes(d.get()), std::move(*key));
    }
    const Key& key = small_keys_.at(Ossl::bytes(d.get()));
    // r = x(kG) mod n; e = r (so u1 = u2 when d = 1) or e = -r·d (infinity);
    // s = k⁻¹·(e + r·d).
    const BnPtr k = random_scalar();
    const BnPtr r = ossl_.x_mod_n(k.get());
    if (BN_is_zero(r.get())) {
      return;
    }
    // u1 + u2·d = (e + r·d)/s, whatever s is: with e = -r·d that is 0 for a random s.
    const bool to_infinity = uniform(3) == 0;
    // d = n - c (a "negative" small key) starts with the FF octets of n.
    const bool negative = Ossl::bytes(d.get())[0] == 0xFF;
    BnPtr e = to_infinity ? ossl_.mod_neg(ossl_.mod_mul(r.get(), d.get()).get())
                          : (negative ? ossl_.mod_neg(r.get()) : BnPtr(BN_dup(r.get())));
    const BnPtr s =
        to_infinity
            ? random_scalar()
            : ossl_.mod_mul(ossl_.mod_inv(k.get()).get(),
                            ossl_.mod_add(e.get(), ossl_.mod_mul(r.get(), d.get()).get()).get());
    if (BN_is_zero(s.get())) {
      return;
    }
    const Sha256Digest digest = to_digest(Ossl::bytes(e.get()));
    check(to_infinity ? "crafted_small_key_infinity" : "crafted_small_key_u1_eq_u2", key, digest,
          der_sig(der_uint(Ossl::bytes(r.get())), der_uint(Ossl::bytes(s.get()))));
  }

  const DiffOptions& options_;
  std::mt19937_64 rng_;
  Ossl ossl_;
  std::vector<Key> pool_;
  std::map<Bytes, Key> small_keys_;
  std::optional<std::pair<BnPtr, BnPtr>> big_x_;
  DiffStats stats_;
  struct Pending {
    PrecomputedVerifier verifier;  // shares the key's table
    DiffCase c;
  };
  std::vector<Pending> batch_;
  std::uint64_t batch_target_ = 8;
};

}  // namespace

DiffStats run_differential(const DiffOptions& options) { return Driver(options).run(); }

std::string describe(const DiffCase& c) {
  return c.kind + " openssl=" + (c.openssl ? "valid" : "invalid") +
         " fast=" + (c.fast ? "valid" : "invalid") + " batch=" + (c.batch ? "valid" : "invalid") +
         " key=" + base::to_hex(c.key) + " digest=" + base::to_hex(c.digest) +
         " sig=" + base::to_hex(c.signature);
}

}  // namespace bgpsecd::crypto::p256
