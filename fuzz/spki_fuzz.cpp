// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for PublicKey::from_spki_der (fed by RTR Router Key PDUs and RPKI JSON): whatever
// it accepts must re-encode to the same octets (only the canonical 91-octet DER is valid) and
// parse again to an equal key. Every input is also tried as a DER signature against an RFC 8608
// example key, since verify() must survive any octets too. The point check (our P-256 code)
// must agree with OpenSSL's EC_POINT_oct2point on the input's first and last 64 octets as
// X || Y behind the canonical prefix; OpenSSL's d2i_PUBKEY (a few ms per call through its decoders,
// so only here) must accept every input we accept; and every accepted key goes through verify(),
// which builds its EVP_PKEY.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/x509.h>

#include "base/hex.hpp"
#include "crypto/digest.hpp"
#include "crypto/keys.hpp"

namespace {

using bgpsecd::crypto::PublicKey;

const PublicKey& example_key() {
  static const PublicKey key = [] {
    // RFC 8608 Appendix A, AS 64496.
    const auto der = bgpsecd::base::from_hex(
        "3059301306072A8648CE3D020106082A8648CE3D030107034200047391BABB92A0CB3BE10E59B19EBFFB214E"
        "04A91E0CBA1B139A7D38D90F77E55AA05B8E695678E0FA16904B55D9D4F5C0DFC58895EE50BC4F75D205A25B"
        "D36FF5");
    auto k = PublicKey::from_spki_der(*der);
    if (!k) {
      __builtin_trap();
    }
    return *k;
  }();
  return key;
}

// What OpenSSL makes of the octets as a SubjectPublicKeyInfo: accepted (wholly consumed, EC).
bool openssl_accepts(std::span<const std::uint8_t> der) {
  const unsigned char* p = der.data();
  EVP_PKEY* pkey = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
  const bool ok = pkey != nullptr && p == der.data() + der.size() && EVP_PKEY_is_a(pkey, "EC");
  EVP_PKEY_free(pkey);
  return ok;
}

// OpenSSL's verdict on an uncompressed point: coordinates below p and on the curve.
bool openssl_point_ok(std::span<const std::uint8_t> point) {
  static EC_GROUP* const group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  EC_POINT* q = EC_POINT_new(group);
  const bool ok = q != nullptr &&
                  EC_POINT_oct2point(group, q, point.data(), point.size(), nullptr) == 1 &&
                  EC_POINT_is_on_curve(group, q, nullptr) == 1;
  EC_POINT_free(q);
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);

  static_cast<void>(example_key().verify(bgpsecd::crypto::sha256(input), input));

  // The first and the last 64 octets (a key from the corpus, mutated, ends in X || Y).
  for (const std::size_t offset : {std::size_t{0}, size >= 64 ? size - 64 : 0}) {
    if (size < 64) {
      break;
    }
    auto canonical = example_key().spki_der();
    std::copy_n(data + offset, 64, canonical.end() - 64);
    const auto point = std::span<const std::uint8_t>(canonical).last(65);
    if (PublicKey::from_spki_der(canonical).has_value() != openssl_point_ok(point)) {
      __builtin_trap();
    }
  }

  auto key = PublicKey::from_spki_der(input);
  if (!key) {
    return 0;
  }
  if (!openssl_accepts(input)) {
    __builtin_trap();
  }
  static_cast<void>(key->verify(bgpsecd::crypto::sha256(input), input));
  const auto der = key->spki_der();
  if (!std::equal(der.begin(), der.end(), input.begin(), input.end())) {
    __builtin_trap();
  }
  auto again = PublicKey::from_spki_der(der);
  if (!again || !(*again == *key) || again->ski() != key->ski() || again->point() != key->point()) {
    __builtin_trap();
  }
  auto from_point = PublicKey::from_point(key->point());
  if (!from_point || !(*from_point == *key)) {
    __builtin_trap();
  }
  return 0;
}
