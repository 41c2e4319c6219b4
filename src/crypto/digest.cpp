// SPDX-License-Identifier: BSD-2-Clause
// SHA-256 and SHA-1 one-shots on OpenSSL 3. The digest implementations are fetched from the
// default provider once per process: an implicit fetch (EVP_sha256()) per call would look the
// algorithm up in the provider store, under its lock, for every signature checked. Each thread
// also keeps one context per digest and re-initialises it: a fresh context (EVP_Digest) takes
// and drops a reference on the shared EVP_MD, an atomic on one cache line that every worker
// thread writes twice per digest; with two workers on the signature cache's hits that bouncing
// took over a quarter of the time (perf, BM_ValidatePathCachingWarm on 2 threads).
#include "crypto/digest.hpp"

#include <memory>

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

struct ContextFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
using ContextPtr = std::unique_ptr<EVP_MD_CTX, ContextFree>;

// A context of this thread set up for `md` once (the one reference it takes on `md`); freed
// when the thread ends.
ContextPtr thread_context(const EVP_MD* md) noexcept {
  ContextPtr ctx(EVP_MD_CTX_new());
  BGPSEC_CHECK(ctx != nullptr && EVP_DigestInit_ex(ctx.get(), md, nullptr) == 1,
               "cannot set up a digest context");
  return ctx;
}

template <std::size_t N>
std::array<std::uint8_t, N> digest(EVP_MD_CTX* ctx, std::span<const std::uint8_t> data) noexcept {
  std::array<std::uint8_t, N> out{};
  unsigned int len = 0;
  // A null type re-initialises the context with the digest it has, without a new reference.
  const bool ok = EVP_DigestInit_ex(ctx, nullptr, nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, data.data(), data.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, out.data(), &len) == 1;
  // Only allocation failure can make a digest fail; treat it like out of memory.
  BGPSEC_CHECK(ok && len == N, "digest failed");
  return out;
}

}  // namespace

Sha256Digest sha256(std::span<const std::uint8_t> data) noexcept {
  static const EVP_MD* const md = fetch_md("SHA2-256");
  thread_local const ContextPtr ctx = thread_context(md);
  return digest<32>(ctx.get(), data);
}

Sha1Digest sha1(std::span<const std::uint8_t> data) noexcept {
  static const EVP_MD* const md = fetch_md("SHA1");
  thread_local const ContextPtr ctx = thread_context(md);
  return digest<20>(ctx.get(), data);
}

}  // namespace bgpsecd::crypto
