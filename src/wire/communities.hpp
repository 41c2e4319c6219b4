// SPDX-License-Identifier: BSD-2-Clause
// COMMUNITIES (RFC 1997, type 8), EXTENDED COMMUNITIES (RFC 4360, type 16) incl. the RFC 8097
// BGP Prefix Origin Validation State community, and LARGE_COMMUNITY (RFC 8092, type 32):
// value types, value codecs (no attribute header) and the RFC 8097 helpers.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/byte_writer.hpp"

namespace bgpsecd::wire {

// Well-known communities (RFC 1997 §3, RFC 8326).
inline constexpr std::uint32_t kCommunityGracefulShutdown = 0xFFFF0000;
inline constexpr std::uint32_t kCommunityNoExport = 0xFFFFFF01;
inline constexpr std::uint32_t kCommunityNoAdvertise = 0xFFFFFF02;
inline constexpr std::uint32_t kCommunityNoExportSubconfed = 0xFFFFFF03;

struct ExtendedCommunity {
  std::array<std::uint8_t, 8> bytes{};
  friend bool operator==(const ExtendedCommunity&, const ExtendedCommunity&) = default;
};

struct LargeCommunity {
  std::uint32_t global = 0;
  std::uint32_t local1 = 0;
  std::uint32_t local2 = 0;
  friend bool operator==(const LargeCommunity&, const LargeCommunity&) = default;
};

// ===== RFC 8097 origin validation state =====

// Type 0x43 (non-transitive opaque), subtype 0x00; octets 2..6 reserved (0); octet 7 = state.
inline constexpr std::uint8_t kExtCommunityNonTransitiveOpaque = 0x43;
inline constexpr std::uint8_t kExtCommunitySubtypeOriginValidation = 0x00;

enum class OriginValidationState : std::uint8_t { Valid = 0, NotFound = 1, Invalid = 2 };
[[nodiscard]] const char* origin_validation_state_name(OriginValidationState s) noexcept;

[[nodiscard]] ExtendedCommunity make_origin_validation_community(
    OriginValidationState state) noexcept;
// The state carried by `c`, or nullopt if `c` is not an RFC 8097 community or carries a state
// value RFC 8097 does not define. The reserved octets are ignored.
[[nodiscard]] std::optional<OriginValidationState> read_origin_validation_state(
    const ExtendedCommunity& c) noexcept;
// The state of the first RFC 8097 community in `list` that carries a defined state.
[[nodiscard]] std::optional<OriginValidationState> find_origin_validation_state(
    std::span<const ExtendedCommunity> list) noexcept;

// ===== bgpsecd's BGPsec path validation state (RFC 8374 §8.7) =====

// RFC 8374 §8.7 asks for the path state to travel inside the AS like RFC 8097's origin state,
// but no community is standardised for it. bgpsecd uses type 0x43 (non-transitive opaque, so
// it never leaves the AS: eBGP export drops non-transitive extended communities) with subtype
// 0x88, not assigned by IANA; octets 2..6 are 0, octet 7 is the state. Documented in
// man/bgpsecd.conf.5.md; only read from iBGP peers.
inline constexpr std::uint8_t kExtCommunitySubtypeBgpsecPathState = 0x88;

// Values of octet 7. Deferred: the ingress did not validate (RFC 8374 §8.7).
enum class BgpsecPathStateCode : std::uint8_t {
  Valid = 0,
  NotValid = 1,
  Unsigned = 2,
  Deferred = 3
};

[[nodiscard]] ExtendedCommunity make_bgpsec_path_state_community(
    BgpsecPathStateCode state) noexcept;
// The state carried by `c`, or nullopt when `c` is not that community or the value is undefined.
[[nodiscard]] std::optional<BgpsecPathStateCode> read_bgpsec_path_state(
    const ExtendedCommunity& c) noexcept;
[[nodiscard]] std::optional<BgpsecPathStateCode> find_bgpsec_path_state(
    std::span<const ExtendedCommunity> list) noexcept;

// ===== bgpsecd's ASPA verification state =====

// ASPA verification is done at the eBGP edge and its result carried inside the AS (the ASPA
// verification draft, "iBGP": verification there is not recommended), like the origin state.
// No community is standardised for it. bgpsecd uses type 0x43 (non-transitive opaque: it never
// leaves the AS) with subtype 0x89, not assigned by IANA; octets 2..6 are 0, octet 7 is the
// state. Documented in man/bgpsecd.conf.5.md; only read from iBGP peers.
inline constexpr std::uint8_t kExtCommunitySubtypeAspaState = 0x89;

// Values of octet 7, in the order of RFC 8097's origin states.
enum class AspaStateCode : std::uint8_t { Valid = 0, Unknown = 1, Invalid = 2 };

[[nodiscard]] ExtendedCommunity make_aspa_state_community(AspaStateCode state) noexcept;
// The state carried by `c`, or nullopt when `c` is not that community or the value is undefined.
[[nodiscard]] std::optional<AspaStateCode> read_aspa_state(const ExtendedCommunity& c) noexcept;
[[nodiscard]] std::optional<AspaStateCode> find_aspa_state(
    std::span<const ExtendedCommunity> list) noexcept;

// ===== value codecs =====
// Decoders return false (leaving `out` empty) when the value is not a non-zero multiple of
// the element size: RFC 7606 §7.8 (4), RFC 7606 §7.14 (8), RFC 8092 §6 (12).

[[nodiscard]] bool decode_communities(std::span<const std::uint8_t> value,
                                      std::vector<std::uint32_t>& out);
void encode_communities(std::span<const std::uint32_t> list, base::ByteWriter& out);

[[nodiscard]] bool decode_ext_communities(std::span<const std::uint8_t> value,
                                          std::vector<ExtendedCommunity>& out);
void encode_ext_communities(std::span<const ExtendedCommunity> list, base::ByteWriter& out);

[[nodiscard]] bool decode_large_communities(std::span<const std::uint8_t> value,
                                            std::vector<LargeCommunity>& out);
void encode_large_communities(std::span<const LargeCommunity> list, base::ByteWriter& out);

}  // namespace bgpsecd::wire
