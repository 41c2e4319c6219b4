// SPDX-License-Identifier: BSD-2-Clause
// Crypto cost per operation (docs/design.md §9.4): ECDSA P-256 verify on a pre-parsed key, sign,
// verify with the SPKI parsed every time (what pre-parsing saves), and SHA-256 over the RFC 8608
// example's 118-octet signed data. bench/run sets these against `openssl speed ecdsap256`.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <thread>

#include <benchmark/benchmark.h>

#include "base/hex.hpp"
#include "crypto/digest.hpp"
#include "crypto/keys.hpp"

namespace {

using bgpsecd::base::Bytes;
namespace crypto = bgpsecd::crypto;

Bytes hex(std::string_view text) {
  auto b = bgpsecd::base::from_hex(text);
  if (!b) {
    std::abort();  // constants below are valid hex
  }
  return *b;
}

// RFC 8608 Appendix A, IPv4 transit signature by AS 65536.
struct Example {
  Bytes spki = hex(
      "3059301306072A8648CE3D020106082A8648CE3D0301070342000428FC5FE9AFCF5F4CAB3F5F85CB212FC1E9D0E0"
      "DBEAEE425BD2F0D3175AA0E989EA9B603E38F35FB329DF495641F2BA040F1C3AC6138307F257CBA6B8B588F41F");
  Bytes d = hex("6CB2E931B112F24554BCDCAAFD9553A9519A9AF33C023B60846A21FC95583172");
  Bytes signed_data = hex(
      "00010001AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC15400483046022100EFD48B2AACB6A8FD1140DD9CD45E81"
      "D69D2C877B56AAF991C34D0EA84EAF37160221008E21F60E44C6066C8B8A95A3C09D3AD4379585A2D728EEAD07A1"
      "7ED7AA055ECA01000001000001000000FBF00100010118C00002");
  Bytes signature = hex(
      "3046022100EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF371602210090F2C129ABB2"
      "F39B6A07963BD555A87AB2B7333B7B91F1668FD8618C83FAC3F1");
  crypto::Sha256Digest digest = crypto::sha256(signed_data);
};

const Example& example() {
  static const Example e;
  return e;
}

void BM_Verify(benchmark::State& state) {
  const auto& e = example();
  const auto key = crypto::PublicKey::from_spki_der(e.spki);
  if (!key || !key->verify(e.digest, e.signature)) {
    state.SkipWithError("RFC 8608 example does not verify");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(key->verify(e.digest, e.signature));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Verify);

// One key shared by several threads (what the validator's workers do); real time, so the
// items/s figure is the aggregate rate.
void BM_VerifySharedKey(benchmark::State& state) {
  const auto& e = example();
  static const auto key = crypto::PublicKey::from_spki_der(e.spki);
  if (!key) {
    state.SkipWithError("bad key");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(key->verify(e.digest, e.signature));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifySharedKey)
    ->ThreadRange(1, static_cast<int>(std::max(1U, std::thread::hardware_concurrency())))
    ->UseRealTime();

void BM_Sign(benchmark::State& state) {
  const auto& e = example();
  const auto key = crypto::PrivateKey::from_scalar(e.d);
  if (!key) {
    state.SkipWithError("bad private key");
    return;
  }
  for (auto _ : state) {
    auto sig = key->sign(e.digest);
    benchmark::DoNotOptimize(sig);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sign);

void BM_VerifyParseEachTime(benchmark::State& state) {
  const auto& e = example();
  for (auto _ : state) {
    const auto key = crypto::PublicKey::from_spki_der(e.spki);
    benchmark::DoNotOptimize(key && key->verify(e.digest, e.signature));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyParseEachTime);

void BM_ParseSpki(benchmark::State& state) {
  const auto& e = example();
  for (auto _ : state) {
    auto key = crypto::PublicKey::from_spki_der(e.spki);
    benchmark::DoNotOptimize(key);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseSpki);

void BM_Sha256_118(benchmark::State& state) {
  const auto& e = example();
  for (auto _ : state) {
    benchmark::DoNotOptimize(crypto::sha256(e.signed_data));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(e.signed_data.size()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sha256_118);

}  // namespace
