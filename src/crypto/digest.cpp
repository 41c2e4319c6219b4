// SPDX-License-Identifier: BSD-2-Clause
// SHA-256 and SHA-1 one-shots on OpenSSL 3. The digest implementations are fetched from the
// default provider once per process: an implicit fetch (EVP_sha256()) per call would look the
// algorithm up in the provider store, under its lock, for every signature checked.
#include "crypto/digest.hpp"

#include <openssl/evp.h>

#include "base/check.hpp"

namespace bgpsecd::crypto {
namespace {

// Fetched once and kept for the life of the process (never freed on purpose: digests may be
// computed from static destructors and worker threads until exit).
const EVP_MD* fetch_md(const char* name) noexcept {
  const EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  // The default provider always has SHA-256 and SHA-1; without them nothing here can work.
  BGPSEC_CHECK(md != nullptr, "OpenSSL default provider lacks a required digest");
  return md;
}

template <std::size_t N>
std::array<std::uint8_t, N> digest(const EVP_MD* md, std::span<const std::uint8_t> data) noexcept {
  std::array<std::uint8_t, N> out{};
  unsigned int len = 0;
  const int ok = EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr);
  // Only allocation failure can make a one-shot digest fail; treat it like out of memory.
  BGPSEC_CHECK(ok == 1 && len == N, "EVP_Digest failed");
  return out;
}

}  // namespace

Sha256Digest sha256(std::span<const std::uint8_t> data) noexcept {
  static const EVP_MD* const md = fetch_md("SHA2-256");
  return digest<32>(md, data);
}

Sha1Digest sha1(std::span<const std::uint8_t> data) noexcept {
  static const EVP_MD* const md = fetch_md("SHA1");
  return digest<20>(md, data);
}

}  // namespace bgpsecd::crypto
