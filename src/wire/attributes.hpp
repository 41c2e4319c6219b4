// SPDX-License-Identifier: BSD-2-Clause
// BGP path attributes of an UPDATE (RFC 4271 §4.3 / §5 and the extensions bgpsecd handles):
// the decoded value type, one constexpr descriptor per type code (docs/style.md §2.8), and the
// codec for a whole attribute list with RFC 7606 error handling.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/byte_writer.hpp"
#include "base/bytes.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"
#include "wire/as_path.hpp"
#include "wire/bgpsec_path.hpp"
#include "wire/communities.hpp"
#include "wire/context.hpp"
#include "wire/mp_reach.hpp"

namespace bgpsecd::wire {

// ===== type codes and flags =====

inline constexpr std::uint8_t kAttrOrigin = 1;
inline constexpr std::uint8_t kAttrAsPath = 2;
inline constexpr std::uint8_t kAttrNextHop = 3;
inline constexpr std::uint8_t kAttrMultiExitDisc = 4;
inline constexpr std::uint8_t kAttrLocalPref = 5;
inline constexpr std::uint8_t kAttrAtomicAggregate = 6;
inline constexpr std::uint8_t kAttrAggregator = 7;
inline constexpr std::uint8_t kAttrCommunities = 8;
inline constexpr std::uint8_t kAttrOriginatorId = 9;          // RFC 4456
inline constexpr std::uint8_t kAttrClusterList = 10;          // RFC 4456
inline constexpr std::uint8_t kAttrMpReachNlri = 14;          // RFC 4760
inline constexpr std::uint8_t kAttrMpUnreachNlri = 15;        // RFC 4760
inline constexpr std::uint8_t kAttrExtendedCommunities = 16;  // RFC 4360
inline constexpr std::uint8_t kAttrAs4Path = 17;              // RFC 6793
inline constexpr std::uint8_t kAttrAs4Aggregator = 18;        // RFC 6793
inline constexpr std::uint8_t kAttrLargeCommunities = 32;     // RFC 8092
inline constexpr std::uint8_t kAttrOtc = 35;                  // RFC 9234 §5 Only to Customer
// kAttrBgpsecPath (33) lives in wire/bgpsec_path.hpp. Type 30 is NOT BGPsec: it is the
// deprecated code seen in old examples and is handled as an unknown attribute.

// Attribute Flags (RFC 4271 §4.3).
inline constexpr std::uint8_t kAttrFlagOptional = 0x80;
inline constexpr std::uint8_t kAttrFlagTransitive = 0x40;
inline constexpr std::uint8_t kAttrFlagPartial = 0x20;
inline constexpr std::uint8_t kAttrFlagExtendedLength = 0x10;

// ===== value types =====

enum class Origin : std::uint8_t { Igp = 0, Egp = 1, Incomplete = 2 };
[[nodiscard]] const char* origin_name(Origin o) noexcept;  // "igp", "egp", "incomplete"

// AGGREGATOR / AS4_AGGREGATOR. On a session without 4-octet AS the AGGREGATOR ASN is the
// 2-octet value as received (AS_TRANS if the real one is in AS4_AGGREGATOR).
struct Aggregator {
  base::Asn asn;
  base::IpAddress address;
  friend bool operator==(const Aggregator&, const Aggregator&) = default;
};

// An attribute type bgpsecd does not know. `flags` are as received, without Extended Length
// (a framing bit, recomputed when encoding); passing it on (setting Partial for transitive
// ones, dropping non-transitive ones) is the exporter's job.
struct UnknownAttribute {
  std::uint8_t flags = 0;
  std::uint8_t type = 0;
  base::Bytes value;
  friend bool operator==(const UnknownAttribute&, const UnknownAttribute&) = default;
};

struct PathAttributes {
  std::optional<Origin> origin;
  // On a session without 4-octet AS: already merged with AS4_PATH (RFC 6793 §4.2.3).
  std::optional<AsPath> as_path;
  std::optional<base::IpAddress> next_hop;
  std::optional<std::uint32_t> med;
  std::optional<std::uint32_t> local_pref;
  bool atomic_aggregate = false;
  std::optional<Aggregator> aggregator;
  std::vector<std::uint32_t> communities;
  std::optional<std::uint32_t> originator_id;  // RFC 4456
  std::vector<std::uint32_t> cluster_list;     // RFC 4456
  std::optional<MpReach> mp_reach;
  std::optional<MpUnreach> mp_unreach;
  std::vector<ExtendedCommunity> ext_communities;
  std::optional<AsPath> as4_path;  // as received
  std::optional<Aggregator> as4_aggregator;
  std::vector<LargeCommunity> large_communities;
  std::optional<BgpsecPath> bgpsec_path;
  // RFC 9234 §5: Only to Customer, the AS that first sent the route down or sideways.
  std::optional<base::Asn> otc;
  std::vector<UnknownAttribute> unknown;  // kept with their flags, in arrival order
  friend bool operator==(const PathAttributes&, const PathAttributes&) = default;
};

// A BGPsec_PATH attribute left out of PathAttributes because it is malformed: its flags
// conflict with the type (RFC 8205 §5.2 check #1) or its value fails decode_bgpsec_path
// (RFC 8205 §3, §5.2). Its error is also among the attribute list's errors. RFC 8205 §5.2 makes
// the UPDATE treat-as-withdraw; RFC 8374 §8.5 lets a receiver keep the route unsigned instead,
// with the AS_PATH rebuilt from the Secure_Path, so the Secure_Path comes along when it parsed.
struct MalformedBgpsecPath {
  base::WireError error;  // treat-as-withdraw; detail = BgpsecPathCheck
  std::optional<std::vector<SecurePathSegment>> secure_path;  // nullopt: it did not parse
  friend bool operator==(const MalformedBgpsecPath&, const MalformedBgpsecPath&) = default;
};

// ===== descriptor table (docs/style.md §2.8) =====

// One attribute as the generic loop hands it to a type's decoder.
struct AttributeInput {
  std::span<const std::uint8_t> value;
  std::size_t value_offset = 0;  // of value[0], message-relative
  std::size_t attr_offset = 0;   // of the flags octet
  std::size_t attr_length = 0;   // header + value
  const DecodeContext* ctx = nullptr;
};

// Stores the value in `out`, or returns the error (offset/length of the whole attribute,
// action as the type's RFC 7606 rule says).
using AttributeDecodeFn = std::optional<base::WireError> (*)(const AttributeInput& in,
                                                             PathAttributes& out) noexcept;
// Appends the whole attribute (header + value) if `attrs` carries it; nothing otherwise.
using AttributeEncodeFn = void (*)(const PathAttributes& attrs, const EncodeContext& ctx,
                                   base::ByteWriter& out);

struct AttributeDescriptor {
  const char* name = nullptr;  // nullptr: a type code bgpsecd does not know
  std::uint8_t flags = 0;      // expected Optional | Transitive bits; what we send
  // RFC 7606 §3(g): a repeat is discarded, except MP_REACH/MP_UNREACH (session reset).
  base::Action on_duplicate = base::Action::AttributeDiscard;
  // RFC 7606 §7.5, §7.9, §7.10: from an eBGP peer the attribute is discarded.
  bool ibgp_only = false;
  AttributeDecodeFn decode = nullptr;
  AttributeEncodeFn encode = nullptr;
  [[nodiscard]] constexpr bool known() const noexcept { return name != nullptr; }
};

[[nodiscard]] const AttributeDescriptor& attribute_descriptor(std::uint8_t type) noexcept;

// Appends flags, type, a 1- or 2-octet length (Extended Length only when the value exceeds
// 255 octets; any Extended Length bit in `flags` is replaced) and the value.
void put_attribute(std::uint8_t flags, std::uint8_t type, std::span<const std::uint8_t> value,
                   base::ByteWriter& out);

// An RFC 7606 error about the attribute described by `in`: UPDATE Message Error / `subcode`.
[[nodiscard]] base::WireError attribute_error(const AttributeInput& in, base::Action action,
                                              std::uint8_t subcode, const char* what) noexcept;

// ===== attribute list codec =====

// Decodes a Path Attributes field and keeps going past errors, as RFC 7606 wants: every
// error is appended to `errors`, malformed attributes are left out of `out`. Stops at the
// first SessionReset (the last element of `errors`), at an attribute framing error (RFC 7606
// §4; the rest of the field cannot be parsed), or, when `stop_at_first_error`, at any error.
// Also merges AS4_PATH into AS_PATH on a session without 4-octet AS (RFC 6793 §4.2.3).
// Does not check for missing mandatory attributes: that needs the NLRI (see decode_update).
// `seen`, if given, gets a bit set for every type code met (also malformed or repeated ones);
// `malformed_bgpsec_path`, if given, the BGPsec_PATH left out for being malformed.
void decode_attribute_list(std::span<const std::uint8_t> attrs, const DecodeContext& ctx,
                           std::size_t base_offset, PathAttributes& out,
                           std::vector<base::WireError>& errors, bool stop_at_first_error,
                           std::bitset<256>* seen = nullptr,
                           std::optional<MalformedBgpsecPath>* malformed_bgpsec_path = nullptr);

// Strict form for tools: the first error of any action is returned.
[[nodiscard]] base::Result<PathAttributes, base::WireError> decode_path_attributes(
    std::span<const std::uint8_t> attrs, const DecodeContext& ctx,
    std::size_t base_offset = 0) noexcept;

// Appends every attribute `attrs` carries, in ascending type code (unknown ones among them
// by their type), with canonical flags; BGPsec_PATH always with flags 0x90. On a session
// without 4-octet AS, ASNs above 65535 in AS_PATH / AGGREGATOR go out as AS_TRANS (RFC 6793
// §4.2.2); AS4_PATH / AS4_AGGREGATOR are written only if `attrs` has them.
// A value longer than 65535 octets cannot be represented: the caller's message size check
// (at most 65535 for the whole message) rejects it.
void encode_path_attributes(const PathAttributes& attrs, const EncodeContext& ctx,
                            base::ByteWriter& out);

}  // namespace bgpsecd::wire
