// SPDX-License-Identifier: BSD-2-Clause
// JSON rendering of BgpsecPath; building values only, so nothing here throws except on
// allocation failure.
#include "wire/bgpsec_path_json.hpp"

#include "base/hex.hpp"

namespace bgpsecd::wire {

nlohmann::json bgpsec_path_to_json(const BgpsecPath& path) {
  nlohmann::json secure_path = nlohmann::json::array();
  for (const auto& seg : path.secure_path) {
    secure_path.push_back({{"pcount", seg.pcount},
                           {"flags", seg.flags},
                           {"confed", seg.confed()},
                           {"asn", seg.asn.value()}});
  }
  nlohmann::json blocks = nlohmann::json::array();
  for (const auto& block : path.blocks) {
    nlohmann::json segments = nlohmann::json::array();
    for (const auto& seg : block.segments) {
      segments.push_back({{"ski", seg.ski.to_hex()},
                          {"signature_length", seg.signature.size()},
                          {"signature", base::to_hex(seg.signature)}});
    }
    blocks.push_back({{"suite", block.suite}, {"segments", std::move(segments)}});
  }
  return {{"secure_path", std::move(secure_path)}, {"signature_blocks", std::move(blocks)}};
}

}  // namespace bgpsecd::wire
