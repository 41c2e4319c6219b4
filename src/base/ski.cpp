// SPDX-License-Identifier: BSD-2-Clause
#include "base/ski.hpp"

#include <algorithm>
#include <cstring>

#include "base/hex.hpp"

namespace bgpsecd::base {

std::string Ski::to_hex() const { return base::to_hex(bytes_); }

Result<Ski> Ski::from_hex(std::string_view hex) {
  std::string cleaned;
  cleaned.reserve(hex.size());
  for (char c : hex) {
    if (c != ':') {
      cleaned.push_back(c);
    }
  }
  auto bytes = base::from_hex(cleaned);
  if (!bytes) {
    return fail("SKI '" + std::string(hex) + "': " + bytes.error().message);
  }
  if (bytes->size() != kSize) {
    return fail("SKI '" + std::string(hex) + "' is " + std::to_string(bytes->size()) +
                " octets, expected 20");
  }
  return from_bytes(*bytes);
}

Result<Ski> Ski::from_bytes(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != kSize) {
    return fail("SKI is " + std::to_string(bytes.size()) + " octets, expected 20");
  }
  std::array<std::uint8_t, kSize> a{};
  std::copy(bytes.begin(), bytes.end(), a.begin());
  return Ski(a);
}

std::size_t SkiHash::operator()(const Ski& ski) const noexcept {
  // SKIs are SHA-1 outputs: any 8 of their bytes are already well mixed.
  std::size_t h = 0;
  std::memcpy(&h, ski.bytes().data(), sizeof h);
  return h;
}

}  // namespace bgpsecd::base
