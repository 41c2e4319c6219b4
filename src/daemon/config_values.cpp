// SPDX-License-Identifier: BSD-2-Clause
// The small values of the configuration: endpoints, communities and the names of enums.
#include <algorithm>
#include <array>
#include <vector>

#include "daemon/config.hpp"
#include "daemon/config_parse.hpp"

namespace bgpsecd::daemon {

using config_detail::kIbgpStates;
using config_detail::kLogLevels;
using config_detail::kPolicyActions;
using config_detail::kPrivateAsRemovals;
using config_detail::kSigningFallbacks;
using config_detail::kSigningModes;
using config_detail::kSyntaxErrorActions;
using config_detail::kValidationModes;
using config_detail::kValidationOrders;
using config_detail::kWellKnownCommunities;

base::Result<Community> parse_community(std::string_view text) {
  if (auto known = enum_from_name(text, kWellKnownCommunities))
    return Community(*known);
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto colon = text.find(':', start);
    parts.push_back(text.substr(start, colon == std::string_view::npos ? colon : colon - start));
    if (colon == std::string_view::npos)
      break;
    start = colon + 1;
  }
  const std::string bad = "'" + std::string(text) +
                          "' is not a community (ASN:VALUE with 16-bit parts, "
                          "GLOBAL:LOCAL1:LOCAL2 with 32-bit parts, or no-export, no-advertise, "
                          "no-export-subconfed, graceful-shutdown)";
  if (parts.size() == 2) {
    // RFC 1997 §3: two 16-bit halves.
    const auto high = parse_unsigned(parts[0], 0xFFFF);
    const auto low = parse_unsigned(parts[1], 0xFFFF);
    if (!high || !low)
      return base::fail(bad);
    return Community(static_cast<std::uint32_t>((*high << 16) | *low));
  }
  if (parts.size() == 3) {
    // RFC 8092 §3: three 32-bit numbers.
    std::array<std::uint32_t, 3> v{};
    for (std::size_t i = 0; i < 3; ++i) {
      const auto n = parse_unsigned(parts[i], 0xFFFFFFFF);
      if (!n)
        return base::fail(bad);
      v[i] = static_cast<std::uint32_t>(*n);
    }
    return Community(wire::LargeCommunity{v[0], v[1], v[2]});
  }
  return base::fail(bad);
}

std::string community_to_string(const Community& community) {
  if (const auto* large = std::get_if<wire::LargeCommunity>(&community)) {
    return std::to_string(large->global) + ":" + std::to_string(large->local1) + ":" +
           std::to_string(large->local2);
  }
  const std::uint32_t value = std::get<std::uint32_t>(community);
  for (const auto& [name, v] : kWellKnownCommunities) {
    if (v == value)
      return std::string(name);
  }
  return std::to_string(value >> 16) + ":" + std::to_string(value & 0xFFFF);
}

const char* syntax_error_action_name(SyntaxErrorAction action) noexcept {
  return enum_name(action, kSyntaxErrorActions);
}
const char* ibgp_state_name(IbgpState state) noexcept { return enum_name(state, kIbgpStates); }
const char* validation_order_name(ValidationOrder order) noexcept {
  return enum_name(order, kValidationOrders);
}
const char* validation_mode_name(ValidationMode mode) noexcept {
  return enum_name(mode, kValidationModes);
}
const char* signing_mode_name(SigningMode mode) noexcept { return enum_name(mode, kSigningModes); }
const char* signing_fallback_name(SigningFallback fallback) noexcept {
  return enum_name(fallback, kSigningFallbacks);
}
const char* private_as_removal_name(rib::PrivateAsRemoval mode) noexcept {
  return enum_name(mode, kPrivateAsRemovals);
}
const char* policy_action_name(PolicyAction action) noexcept {
  return enum_name(action, kPolicyActions);
}

}  // namespace bgpsecd::daemon
