// SPDX-License-Identifier: BSD-2-Clause
// Test-only access to the RFC 8608 Appendix A example vectors (rfc8608.json beside this file,
// an unchanged copy of the shared vectors). Tests compile with BGPSEC_SOURCE_DIR defined.
#pragma once

#include <fstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "base/bytes.hpp"
#include "base/hex.hpp"

namespace bgpsecd::test_vectors {

// The whole file, parsed once. Throws (failing the test) when the file is missing.
inline const nlohmann::json& rfc8608() {
  static const nlohmann::json doc = [] {
    std::ifstream in(std::string(BGPSEC_SOURCE_DIR) + "/tests/vectors/rfc8608.json");
    if (!in) {
      throw std::runtime_error("cannot open tests/vectors/rfc8608.json");
    }
    return nlohmann::json::parse(in);
  }();
  return doc;
}

// Hex text to bytes; throws on bad hex so a broken vector file fails loudly.
inline base::Bytes hex_bytes(const std::string& text) {
  auto bytes = base::from_hex(text);
  if (!bytes) {
    throw std::runtime_error("bad hex in vector: " + bytes.error().message);
  }
  return *bytes;
}

// examples[0] is IPv4 (192.0.2.0/24), examples[1] IPv6 (2001:db8::/32).
inline const nlohmann::json& example(std::size_t index) {
  return rfc8608().at("examples").at(index);
}

// router_keys[0] is AS 64496 (origin), router_keys[1] AS 65536 (transit).
inline const nlohmann::json& router_key(std::size_t index) {
  return rfc8608().at("router_keys").at(index);
}

inline base::Bytes field(const nlohmann::json& j, const char* name) {
  return hex_bytes(j.at(name).get<std::string>());
}

}  // namespace bgpsecd::test_vectors
