// SPDX-License-Identifier: BSD-2-Clause
#include "base/asn.hpp"

#include <charconv>

namespace bgpsecd::base {
namespace {

bool parse_u32(std::string_view s, std::uint32_t& out) {
  if (s.empty()) {
    return false;
  }
  const auto* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end;
}

}  // namespace

Result<Asn> parse_asn(std::string_view text) {
  std::string_view s = text;
  if (s.size() >= 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's')) {
    s.remove_prefix(2);
  }
  if (const auto dot = s.find('.'); dot != std::string_view::npos) {
    std::uint32_t high = 0;
    std::uint32_t low = 0;
    if (!parse_u32(s.substr(0, dot), high) || !parse_u32(s.substr(dot + 1), low) || high > 0xFFFF ||
        low > 0xFFFF) {
      return fail("invalid AS number '" + std::string(text) + "'");
    }
    return Asn((high << 16) | low);
  }
  std::uint32_t v = 0;
  if (!parse_u32(s, v)) {
    return fail("invalid AS number '" + std::string(text) + "'");
  }
  return Asn(v);
}

}  // namespace bgpsecd::base
