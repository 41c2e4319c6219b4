// SPDX-License-Identifier: BSD-2-Clause
// Community attribute value codecs and the RFC 8097 origin-validation-state helpers.
#include "wire/communities.hpp"

#include "base/byte_reader.hpp"

namespace bgpsecd::wire {

namespace {

constexpr std::size_t kOriginValidationStateOctet = 7;

// Non-zero and a whole number of elements.
bool sized(std::span<const std::uint8_t> value, std::size_t element) noexcept {
  return !value.empty() && value.size() % element == 0;
}

}  // namespace

const char* origin_validation_state_name(OriginValidationState s) noexcept {
  switch (s) {
    case OriginValidationState::Valid:
      return "valid";
    case OriginValidationState::NotFound:
      return "not-found";
    case OriginValidationState::Invalid:
      return "invalid";
  }
  return "unknown";
}

ExtendedCommunity make_origin_validation_community(OriginValidationState state) noexcept {
  ExtendedCommunity c;
  c.bytes[0] = kExtCommunityNonTransitiveOpaque;
  c.bytes[1] = kExtCommunitySubtypeOriginValidation;
  c.bytes[kOriginValidationStateOctet] = static_cast<std::uint8_t>(state);
  return c;
}

std::optional<OriginValidationState> read_origin_validation_state(
    const ExtendedCommunity& c) noexcept {
  if (c.bytes[0] != kExtCommunityNonTransitiveOpaque ||
      c.bytes[1] != kExtCommunitySubtypeOriginValidation) {
    return std::nullopt;
  }
  const std::uint8_t state = c.bytes[kOriginValidationStateOctet];
  // RFC 8097 §2: only 0 (Valid), 1 (NotFound) and 2 (Invalid) are defined.
  if (state > static_cast<std::uint8_t>(OriginValidationState::Invalid)) {
    return std::nullopt;
  }
  return static_cast<OriginValidationState>(state);
}

ExtendedCommunity make_bgpsec_path_state_community(BgpsecPathStateCode state) noexcept {
  ExtendedCommunity c;
  c.bytes[0] = kExtCommunityNonTransitiveOpaque;
  c.bytes[1] = kExtCommunitySubtypeBgpsecPathState;
  c.bytes[kOriginValidationStateOctet] = static_cast<std::uint8_t>(state);
  return c;
}

std::optional<BgpsecPathStateCode> read_bgpsec_path_state(const ExtendedCommunity& c) noexcept {
  if (c.bytes[0] != kExtCommunityNonTransitiveOpaque ||
      c.bytes[1] != kExtCommunitySubtypeBgpsecPathState) {
    return std::nullopt;
  }
  const std::uint8_t state = c.bytes[kOriginValidationStateOctet];
  if (state > static_cast<std::uint8_t>(BgpsecPathStateCode::Deferred)) {
    return std::nullopt;
  }
  return static_cast<BgpsecPathStateCode>(state);
}

std::optional<BgpsecPathStateCode> find_bgpsec_path_state(
    std::span<const ExtendedCommunity> list) noexcept {
  for (const auto& c : list) {
    if (auto state = read_bgpsec_path_state(c)) {
      return state;
    }
  }
  return std::nullopt;
}

ExtendedCommunity make_aspa_state_community(AspaStateCode state) noexcept {
  ExtendedCommunity c;
  c.bytes[0] = kExtCommunityNonTransitiveOpaque;
  c.bytes[1] = kExtCommunitySubtypeAspaState;
  c.bytes[kOriginValidationStateOctet] = static_cast<std::uint8_t>(state);
  return c;
}

std::optional<AspaStateCode> read_aspa_state(const ExtendedCommunity& c) noexcept {
  if (c.bytes[0] != kExtCommunityNonTransitiveOpaque ||
      c.bytes[1] != kExtCommunitySubtypeAspaState) {
    return std::nullopt;
  }
  const std::uint8_t state = c.bytes[kOriginValidationStateOctet];
  if (state > static_cast<std::uint8_t>(AspaStateCode::Invalid)) {
    return std::nullopt;
  }
  return static_cast<AspaStateCode>(state);
}

std::optional<AspaStateCode> find_aspa_state(std::span<const ExtendedCommunity> list) noexcept {
  for (const auto& c : list) {
    if (auto state = read_aspa_state(c)) {
      return state;
    }
  }
  return std::nullopt;
}

std::optional<OriginValidationState> find_origin_validation_state(
    std::span<const ExtendedCommunity> list) noexcept {
  for (const auto& c : list) {
    if (auto state = read_origin_validation_state(c)) {
      return state;
    }
  }
  return std::nullopt;
}

bool decode_communities(std::span<const std::uint8_t> value, std::vector<std::uint32_t>& out) {
  out.clear();
  // RFC 7606 §7.8: malformed unless a non-zero multiple of 4.
  if (!sized(value, 4)) {
    return false;
  }
  base::ByteReader r(value);
  out.reserve(value.size() / 4);
  std::uint32_t c = 0;
  while (r.read_u32(c)) {
    out.push_back(c);
  }
  return true;
}

void encode_communities(std::span<const std::uint32_t> list, base::ByteWriter& out) {
  for (const auto c : list) {
    out.put_u32(c);
  }
}

bool decode_ext_communities(std::span<const std::uint8_t> value,
                            std::vector<ExtendedCommunity>& out) {
  out.clear();
  // RFC 7606 §7.14: malformed unless a non-zero multiple of 8.
  if (!sized(value, 8)) {
    return false;
  }
  base::ByteReader r(value);
  out.reserve(value.size() / 8);
  ExtendedCommunity c;
  while (r.read_into(c.bytes)) {
    out.push_back(c);
  }
  return true;
}

void encode_ext_communities(std::span<const ExtendedCommunity> list, base::ByteWriter& out) {
  for (const auto& c : list) {
    out.put_bytes(c.bytes);
  }
}

bool decode_large_communities(std::span<const std::uint8_t> value,
                              std::vector<LargeCommunity>& out) {
  out.clear();
  // RFC 8092 §6: malformed unless a non-zero multiple of 12.
  if (!sized(value, 12)) {
    return false;
  }
  base::ByteReader r(value);
  out.reserve(value.size() / 12);
  LargeCommunity c;
  while (r.read_u32(c.global) && r.read_u32(c.local1) && r.read_u32(c.local2)) {
    out.push_back(c);
  }
  return true;
}

void encode_large_communities(std::span<const LargeCommunity> list, base::ByteWriter& out) {
  for (const auto& c : list) {
    out.put_u32(c.global);
    out.put_u32(c.local1);
    out.put_u32(c.local2);
  }
}

}  // namespace bgpsecd::wire
