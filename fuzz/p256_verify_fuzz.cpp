// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target comparing the fast P-256 verifier (PrecomputedVerifier, one by one and in a
// multi-buffer batch) with OpenSSL's (PublicKey::verify) on fuzzer-chosen keys, digests and
// signatures; any disagreement, on a key's validity or on a signature, aborts. Input layout (first
// octet = mode):
//   mode & 3 == 0: fixed key ((mode >> 2) & 3: RFC 8608 AS 64496, AS 65536, G, -G),
//                  digest(32), signature(rest)
//   mode & 3 == 1: private scalar d(32) -> its key, digest(32), signature(rest)
//   mode & 3 == 2: d(32), nonce k(32), digest(32), then edits (op, position, value) applied to
//                  the valid signature that d and k make (so valid signatures get fuzzed too)
//   mode & 3 == 3: raw point(65), digest(32), signature(rest)
// mode >> 4 picks the table shape.
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <utility>

#include "base/byte_reader.hpp"
#include "base/hex.hpp"
#include "crypto/digest.hpp"
#include "crypto/fast_verify.hpp"
#include "crypto/keys.hpp"

namespace {

using bgpsecd::base::ByteReader;
using bgpsecd::base::Bytes;
using bgpsecd::crypto::PrecomputedVerifier;
using bgpsecd::crypto::PrivateKey;
using bgpsecd::crypto::PublicKey;
using bgpsecd::crypto::Sha256Digest;
using bgpsecd::crypto::TableShape;
using bgpsecd::crypto::VerifyRequest;

constexpr std::array<TableShape, 16> kShapes = {{{5, 2},
                                                 {4, 4},
                                                 {2, 16},
                                                 {3, 5},
                                                 {5, 1},
                                                 {6, 2},
                                                 {7, 1},
                                                 {8, 1},
                                                 {2, 1},
                                                 {4, 1},
                                                 {6, 4},
                                                 {8, 16},
                                                 {3, 2},
                                                 {7, 9},
                                                 {5, 16},
                                                 {4, 2}}};
// Fresh keys get a cheap table so that each input stays fast.
constexpr std::array<TableShape, 4> kFreshShapes = {{{5, 2}, {4, 4}, {2, 16}, {3, 5}}};

struct Pair {
  PublicKey openssl;
  PrecomputedVerifier fast;
};

const char* const kFixedPoints[4] = {
    // RFC 8608 Appendix A, AS 64496 and AS 65536.
    "047391BABB92A0CB3BE10E59B19EBFFB214E04A91E0CBA1B139A7D38D90F77E55AA05B8E695678E0FA16904B55D9"
    "D4F5C0DFC58895EE50BC4F75D205A25BD36FF5",
    "0428FC5FE9AFCF5F4CAB3F5F85CB212FC1E9D0E0DBEAEE425BD2F0D3175AA0E989EA9B603E38F35FB329DF4956"
    "41F2BA040F1C3AC6138307F257CBA6B8B588F41F",
    // G and -G.
    "046B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C2964FE342E2FE1A7F9B8EE7EB4A"
    "7C0F9E162BCE33576B315ECECBB6406837BF51F5",
    "046B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296B01CBD1C01E58065711814B5"
    "83F061E9D431CCA994CEA1313449BF97C840AE0A",
};

std::optional<Pair> make_verifiers(std::span<const std::uint8_t> point, TableShape shape) {
  auto openssl = PublicKey::from_point(point);
  auto fast = PrecomputedVerifier::from_point(point, shape);
  // Both must agree on which 65-octet strings are keys.
  if (static_cast<bool>(openssl) != static_cast<bool>(fast)) {
    __builtin_trap();
  }
  if (!openssl) {
    return std::nullopt;
  }
  return Pair{*openssl, *fast};
}

const Pair& fixed_pair(unsigned index, unsigned shape) {
  static std::map<std::pair<unsigned, unsigned>, Pair> cache;
  const auto key = std::make_pair(index, shape);
  auto it = cache.find(key);
  if (it == cache.end()) {
    auto pair = make_verifiers(*bgpsecd::base::from_hex(kFixedPoints[index]), kShapes[shape]);
    if (!pair) {
      __builtin_trap();
    }
    it = cache.emplace(key, std::move(*pair)).first;
  }
  return it->second;
}

// OpenSSL, the fast verifier alone, and verify_batch with the case in two lanes (so that the
// multi-buffer IFMA engine runs it where the CPU has one) must all agree.
void compare(const Pair& pair, const Sha256Digest& digest, std::span<const std::uint8_t> sig) {
  const bool expected = pair.openssl.verify(digest, sig);
  if (expected != pair.fast.verify(digest, sig)) {
    __builtin_trap();
  }
  const std::array<VerifyRequest, 2> requests = {
      {{&pair.fast, &digest, sig}, {&pair.fast, &digest, sig}}};
  bool results[2] = {!expected, !expected};
  PrecomputedVerifier::verify_batch(requests, results);
  if (results[0] != expected || results[1] != expected) {
    __builtin_trap();
  }
}

bool read_digest(ByteReader& r, Sha256Digest& digest) { return r.read_into(digest); }

// Edits (op, position, value) to a signature and digest.
void edit(ByteReader& r, Bytes& sig, Sha256Digest& digest) {
  std::uint8_t op = 0;
  std::uint8_t pos = 0;
  std::uint8_t value = 0;
  while (r.read_u8(op) && r.read_u8(pos) && r.read_u8(value)) {
    const std::size_t at = sig.empty() ? 0 : pos % sig.size();
    switch (op % 7) {
      case 0:
        if (!sig.empty()) {
          sig[at] ^= static_cast<std::uint8_t>(1U << (value % 8));
        }
        break;
      case 1:
        if (!sig.empty()) {
          sig[at] = value;
        }
        break;
      case 2:
        sig.resize(std::min<std::size_t>(sig.size(), pos));
        break;
      case 3:
        sig.push_back(value);
        break;
      case 4:
        sig.insert(sig.begin() + static_cast<std::ptrdiff_t>(sig.empty() ? 0 : at), value);
        break;
      case 5:
        if (!sig.empty()) {
          sig.erase(sig.begin() + static_cast<std::ptrdiff_t>(at));
        }
        break;
      default:
        digest[pos % digest.size()] ^= value;
        break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader r(std::span<const std::uint8_t>(data, size));
  std::uint8_t mode = 0;
  if (!r.read_u8(mode)) {
    return 0;
  }
  const unsigned shape = static_cast<unsigned>(mode >> 4);
  const TableShape fresh_shape = kFreshShapes[shape % kFreshShapes.size()];
  Sha256Digest digest{};
  switch (mode & 3U) {
    case 0: {
      if (!read_digest(r, digest)) {
        return 0;
      }
      compare(fixed_pair((mode >> 2) & 3U, shape), digest, r.rest());
      break;
    }
    case 1: {
      std::array<std::uint8_t, 32> d{};
      if (!r.read_into(d) || !read_digest(r, digest)) {
        return 0;
      }
      auto priv = PrivateKey::from_scalar(d);
      if (!priv) {
        return 0;
      }
      const auto pair = make_verifiers(priv->public_key().point(), fresh_shape);
      if (!pair) {
        __builtin_trap();  // d·G is always a valid key
      }
      compare(*pair, digest, r.rest());
      break;
    }
    case 2: {
      std::array<std::uint8_t, 32> d{};
      std::array<std::uint8_t, 32> k{};
      if (!r.read_into(d) || !r.read_into(k) || !read_digest(r, digest)) {
        return 0;
      }
      auto priv = PrivateKey::from_scalar(d);
      if (!priv) {
        return 0;
      }
      auto sig = priv->sign_with_nonce_for_test(digest, k);
      if (!sig) {
        return 0;
      }
      const auto pair = make_verifiers(priv->public_key().point(), fresh_shape);
      if (!pair) {
        __builtin_trap();
      }
      // Unedited, the signature is valid: both must say so.
      if (!pair->openssl.verify(digest, *sig) || !pair->fast.verify(digest, *sig)) {
        __builtin_trap();
      }
      edit(r, *sig, digest);
      compare(*pair, digest, *sig);
      break;
    }
    default: {
      std::span<const std::uint8_t> point;
      if (!r.read_bytes(65, point)) {
        return 0;
      }
      const auto pair = make_verifiers(point, fresh_shape);
      if (!pair || !read_digest(r, digest)) {
        return 0;
      }
      compare(*pair, digest, r.rest());
      break;
    }
  }
  return 0;
}
