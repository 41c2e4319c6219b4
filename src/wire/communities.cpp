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

// The three state communities share one layout: type 0x43, a subtype, octets 2..6 zero, the
// state in octet 7; states above `last` are undefined.
template <typename State>
ExtendedCommunity make_state_community(std::uint8_t subtype, State state) noexcept {
  ExtendedCommunity c;
  c.bytes[0] = kExtCommunityNonTransitiveOpaque;
  c.bytes[1] = subtype;
  c.bytes[kOriginValidationStateOctet] = static_cast<std::uint8_t>(state);
  return c;
}

template <typename State>
std::optional<State> read_state_community(const ExtendedCommunity& c, std::uint8_t subtype,
                                          State last) noexcept {
  if (c.bytes[0] != kExtCommunityNonTransitiveOpaque || c.bytes[1] != subtype) {
    return std::nullopt;
  }
  const std::uint8_t state = c.bytes[kOriginValidationStateOctet];
  if (state > static_cast<std::uint8_t>(last)) {
    return std::nullopt;
  }
  return static_cast<State>(state);
}

// The state of the first community in `list` that `read` accepts.
template <typename State>
std::optional<State> find_state_community(
    std::span<const ExtendedCommunity> list,
    std::optional<State> (*read)(const ExtendedCommunity&) noexcept) noexcept {
  for (const auto& c : list) {
    if (auto state = read(c)) {
      return state;
    }
  }
  return std::nullopt;
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
  return make_state_community(kExtCommunitySubtypeOriginValidation, state);
}

std::optional<OriginValidationState> read_origin_validation_state(
    const ExtendedCommunity& c) noexcept {
  // RFC 8097 §2: only 0 (Valid), 1 (NotFound) and 2 (Invalid) are defined.
  return read_state_community(c, kExtCommunitySubtypeOriginValidation,
                              OriginValidationState::Invalid);
}

ExtendedCommunity make_bgpsec_path_state_community(BgpsecPathStateCode state) noexcept {
  return make_state_community(kExtCommunitySubtypeBgpsecPathState, state);
}

std::optional<BgpsecPathStateCode> read_bgpsec_path_state(const ExtendedCommunity& c) noexcept {
  return read_state_community(c, kExtCommunitySubtypeBgpsecPathState,
                              BgpsecPathStateCode::Deferred);
}

std::optional<BgpsecPathStateCode> find_bgpsec_path_state(
    std::span<const ExtendedCommunity> list) noexcept {
  return find_state_community(list, &read_bgpsec_path_state);
}

ExtendedCommunity make_aspa_state_community(AspaStateCode state) noexcept {
  return make_state_community(kExtCommunitySubtypeAspaState, state);
}

std::optional<AspaStateCode> read_aspa_state(const ExtendedCommunity& c) noexcept {
  return read_state_community(c, kExtCommunitySubtypeAspaState, AspaStateCode::Invalid);
}

std::optional<AspaStateCode> find_aspa_state(std::span<const ExtendedCommunity> list) noexcept {
  return find_state_community(list, &read_aspa_state);
}

std::optional<OriginValidationState> find_origin_validation_state(
    std::span<const ExtendedCommunity> list) noexcept {
  return find_state_community(list, &read_origin_validation_state);
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
