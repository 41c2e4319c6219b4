// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target comparing bgpsec::CachingSignatureVerifier (signature cache, per-key tables, and
// its OpenSSL mode) with DefaultSignatureVerifier on fuzzer-chosen keys, signed data and
// signatures; any disagreement on a block's outcome aborts. The verifiers live across inputs
// with small caches, so entries and tables are hit and evicted between inputs too. Layout:
//   mode(1) d1(32) [d2(32) when mode & 1] k(32) n(1) signed_data(n) edits(3 octets each)
// d1 signs sha256(signed_data) with nonce k; mode & 1 adds the key of d2 as a second candidate
// (first when mode & 2); mode & 4 puts the job between two good ones. Edits (op, position,
// value) change the signature or the signed data after signing.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/byte_reader.hpp"
#include "base/bytes.hpp"
#include "bgpsec/caching_verifier.hpp"
#include "bgpsec/signature_verifier.hpp"
#include "crypto/digest.hpp"
#include "crypto/keys.hpp"
#include "wire/bgpsec_path.hpp"

namespace {

namespace bgpsec = bgpsecd::bgpsec;
using bgpsecd::base::ByteReader;
using bgpsecd::base::Bytes;
using bgpsecd::crypto::PrivateKey;
using bgpsecd::crypto::PublicKey;

const bgpsec::CachingSignatureVerifier& verifier(std::size_t index) {
  static const bgpsec::CachingSignatureVerifier small(
      bgpsec::CachingVerifierOptions{.signature_cache_entries = 64, .max_key_tables = 4});
  static const bgpsec::CachingSignatureVerifier no_cache(
      bgpsec::CachingVerifierOptions{.signature_cache_entries = 0, .max_key_tables = 4});
  static const bgpsec::CachingSignatureVerifier openssl(
      bgpsec::CachingVerifierOptions{.signature_cache_entries = 64, .precompute = false});
  const bgpsec::CachingSignatureVerifier* all[] = {&small, &no_cache, &openssl};
  return *all[index];
}

void edit(ByteReader& r, Bytes& sig, Bytes& signed_data) {
  std::uint8_t op = 0;
  std::uint8_t pos = 0;
  std::uint8_t value = 0;
  while (r.read_u8(op) && r.read_u8(pos) && r.read_u8(value)) {
    Bytes& target = op & 0x80 ? signed_data : sig;
    const std::size_t at = target.empty() ? 0 : pos % target.size();
    switch (op % 4) {
      case 0:
        if (!target.empty()) {
          target[at] ^= static_cast<std::uint8_t>(1U << (value % 8));
        }
        break;
      case 1:
        target.resize(std::min<std::size_t>(target.size(), pos));
        break;
      case 2:
        target.push_back(value);
        break;
      default:
        if (!target.empty()) {
          target[at] = value;
        }
        break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader r(std::span<const std::uint8_t>(data, size));
  std::uint8_t mode = 0;
  std::array<std::uint8_t, 32> d1{};
  std::array<std::uint8_t, 32> d2{};
  std::array<std::uint8_t, 32> k{};
  std::uint8_t n = 0;
  std::span<const std::uint8_t> body;
  if (!r.read_u8(mode) || !r.read_into(d1) || ((mode & 1) != 0 && !r.read_into(d2)) ||
      !r.read_into(k) || !r.read_u8(n) || !r.read_bytes(n, body)) {
    return 0;
  }
  auto signer = PrivateKey::from_scalar(d1);
  if (!signer) {
    return 0;
  }
  Bytes signed_data(body.begin(), body.end());
  auto signature = signer->sign_with_nonce_for_test(bgpsecd::crypto::sha256(signed_data), k);
  if (!signature) {
    return 0;
  }
  const Bytes good_data = signed_data;
  const Bytes good_signature = *signature;
  edit(r, *signature, signed_data);

  std::vector<PublicKey> keys = {signer->public_key()};
  if ((mode & 1) != 0) {
    auto other = PrivateKey::from_scalar(d2);
    if (!other) {
      return 0;
    }
    keys.insert((mode & 2) != 0 ? keys.begin() : keys.end(), other->public_key());
  }
  const bgpsec::VerifyJob job{signed_data, *signature, keys};
  const bgpsec::VerifyJob good{good_data, good_signature, keys};
  std::vector<bgpsec::VerifyJob> jobs = {job};
  if ((mode & 4) != 0) {
    jobs = {good, job, good};
  }
  const auto want =
      bgpsec::default_signature_verifier().verify_block(bgpsecd::wire::kAlgorithmSuite1, jobs);
  for (std::size_t v = 0; v < 3; ++v) {
    for (int round = 0; round < 2; ++round) {  // the second from the cache where it is on
      const auto got = verifier(v).verify_block(bgpsecd::wire::kAlgorithmSuite1, jobs);
      if (got.first_failure != want.first_failure || got.checked != want.checked) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
