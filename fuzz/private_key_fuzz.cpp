// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for the router private-key loader: every input goes through PrivateKey::from_pem
// (the code load_pem runs on a key file's text) and PrivateKey::from_der (PKCS#8 or RFC 5915).
// Whatever is accepted must be a usable P-256 key pair: its PEM re-encoding loads again to the
// same key, and a signature it makes verifies under its public key. Reads memory only; no
// file is opened or written.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/hex.hpp"
#include "base/result.hpp"
#include "crypto/digest.hpp"
#include "crypto/keys.hpp"

namespace {

using bgpsecd::crypto::PrivateKey;

// The base64 body of a PEM block (header and footer lines dropped), as DER.
bgpsecd::base::Result<bgpsecd::base::Bytes> pem_body(std::string_view pem) {
  std::string b64;
  std::size_t pos = 0;
  while (pos < pem.size()) {
    const std::size_t end = std::min(pem.find('\n', pos), pem.size());
    const auto line = pem.substr(pos, end - pos);
    if (line.rfind("-----", 0) != 0) {
      b64.append(line);
    }
    pos = end + 1;
  }
  return bgpsecd::base::from_base64(b64);
}

void check_accepted(const PrivateKey& key) {
  const auto& pub = key.public_key();
  // The PEM we write (PKCS#8) reads back to the same key, through both loaders.
  const auto pem = key.to_pem();
  auto again = PrivateKey::from_pem(pem);
  if (pem.empty() || !again || !(again->public_key() == pub) ||
      again->public_key().ski() != pub.ski()) {
    __builtin_trap();
  }
  auto der = pem_body(pem);
  if (!der) {
    __builtin_trap();
  }
  auto from_der = PrivateKey::from_der(*der);
  if (!from_der || !(from_der->public_key() == pub)) {
    __builtin_trap();
  }
  // The public key is the one of the private scalar: a signature verifies under it.
  const auto digest = bgpsecd::crypto::sha256(*der);
  auto sig = key.sign(digest);
  if (!sig || !pub.verify(digest, *sig)) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto key = PrivateKey::from_pem(text)) {
    check_accepted(*key);
  }
  if (auto key = PrivateKey::from_der(input)) {
    check_accepted(*key);
  }
  return 0;
}
