// SPDX-License-Identifier: BSD-2-Clause
// UPDATE decoding cost: the RFC 8608 IPv4 example (BGPsec_PATH type octet rewritten from 30
// to 33) and a typical unsigned eBGP UPDATE announcing 10 prefixes.
#include <cstdint>
#include <exception>
#include <fstream>
#include <span>
#include <string>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "base/hex.hpp"
#include "wire/update.hpp"

namespace {

using bgpsecd::base::Bytes;
using bgpsecd::wire::kHeaderSize;

// The IPv4 example message with type 33; empty (and `error` set) if the vector is unreadable.
Bytes rfc8608_ipv4_update(std::string& error) {
  try {
    std::ifstream in(std::string(BGPSEC_VECTORS_DIR) + "/rfc8608.json");
    const auto doc = nlohmann::json::parse(in);
    const auto& ex = doc.at("examples").at(0);
    auto message = bgpsecd::base::from_hex(ex.at("bgp_update_message").get<std::string>());
    if (!message) {
      error = message.error().message;
      return {};
    }
    // Header, the two 2-octet length fields, then ORIGIN, MED, MP_REACH_NLRI, BGPsec_PATH.
    std::size_t offset = kHeaderSize + 4;
    for (std::size_t i = 0; i < 3; ++i) {
      offset += ex.at("path_attributes").at(i).at("raw").get<std::string>().size() / 2;
    }
    message->at(offset + 1) = bgpsecd::wire::kAttrBgpsecPath;
    return *message;
  } catch (const std::exception& e) {
    error = e.what();
    return {};
  }
}

Bytes unsigned_update() {
  bgpsecd::wire::UpdateMessage u;
  u.attrs.origin = bgpsecd::wire::Origin::Igp;
  u.attrs.as_path = bgpsecd::wire::AsPath{{{bgpsecd::wire::AsPathSegmentType::AsSequence,
                                            {bgpsecd::base::Asn(65001), bgpsecd::base::Asn(3356),
                                             bgpsecd::base::Asn(174), bgpsecd::base::Asn(64496)}}}};
  u.attrs.next_hop = bgpsecd::base::IpAddress::v4(0xC0000201);
  u.attrs.med = 10;
  u.attrs.communities = {0xFDE90064, 0xFDE900C8};
  for (std::uint32_t i = 0; i < 10; ++i) {
    u.nlri.emplace_back(bgpsecd::base::IpAddress::v4(0xC6330000 | (i << 8)), 24);
  }
  return bgpsecd::wire::encode_update(u, {}).value_or(Bytes{});
}

void run(benchmark::State& state, const Bytes& message) {
  const auto body = std::span<const std::uint8_t>(message).subspan(kHeaderSize);
  const bgpsecd::wire::DecodeContext ctx;
  auto check = bgpsecd::wire::decode_update(body, ctx);
  if (!check || check->has_errors()) {
    state.SkipWithError("the benchmark UPDATE does not decode cleanly");
    return;
  }
  for (auto _ : state) {
    auto decoded = bgpsecd::wire::decode_update(body, ctx);
    benchmark::DoNotOptimize(decoded);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(message.size()));
}

void BM_DecodeUpdateRfc8608Ipv4(benchmark::State& state) {
  std::string error;
  const Bytes message = rfc8608_ipv4_update(error);
  if (message.empty()) {
    state.SkipWithError(error.c_str());
    return;
  }
  run(state, message);
}
BENCHMARK(BM_DecodeUpdateRfc8608Ipv4);

void BM_DecodeUpdateUnsigned10Prefixes(benchmark::State& state) {
  const Bytes message = unsigned_update();
  if (message.empty()) {
    state.SkipWithError("cannot encode the unsigned UPDATE");
    return;
  }
  run(state, message);
}
BENCHMARK(BM_DecodeUpdateUnsigned10Prefixes);

}  // namespace
