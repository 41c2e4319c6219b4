// SPDX-License-Identifier: BSD-2-Clause
// One decoder and one encoder per known attribute type, and the constexpr table that ties
// them to their flags and RFC 7606 rules (docs/style.md §2.8). The generic loop that walks an
// attribute list is in path_attributes.cpp.
#include "wire/attributes.hpp"

#include <array>

#include "base/byte_reader.hpp"

namespace bgpsecd::wire {

namespace {

// UPDATE Message Error subcodes (RFC 4271 §6.3).
constexpr std::uint8_t kSubcodeAttributeLength = 5;
constexpr std::uint8_t kSubcodeInvalidOrigin = 6;
constexpr std::uint8_t kSubcodeOptionalAttribute = 9;
constexpr std::uint8_t kSubcodeMalformedAsPath = 11;

constexpr std::uint8_t kWellKnown = kAttrFlagTransitive;
constexpr std::uint8_t kOptionalTransitive = kAttrFlagOptional | kAttrFlagTransitive;
constexpr std::uint8_t kOptionalNonTransitive = kAttrFlagOptional;

using base::Action;

std::optional<base::WireError> length_error(const AttributeInput& in, Action action,
                                            const char* what) noexcept {
  return attribute_error(in, action, kSubcodeAttributeLength, what);
}

// Reads a value that must be exactly one u32.
bool read_u32_value(const AttributeInput& in, std::uint32_t& v) noexcept {
  base::ByteReader r(in.value);
  return in.value.size() == 4 && r.read_u32(v);
}

// Writes `type` with its table flags and the value `fill` produces.
template <class Fill>
void emit(std::uint8_t type, base::ByteWriter& out, Fill&& fill) {
  base::ByteWriter value;
  fill(value);
  put_attribute(attribute_descriptor(type).flags, type, value.bytes(), out);
}

void put_asn(base::Asn asn, bool four_octet, base::ByteWriter& out) {
  if (four_octet) {
    out.put_u32(asn.value());
  } else {
    // RFC 6793 §4.2.2: a 4-octet-only ASN goes to an old speaker as AS_TRANS.
    out.put_u16(
        static_cast<std::uint16_t>(asn.value() > 0xFFFF ? base::kAsTrans.value() : asn.value()));
  }
}

// ===== ORIGIN (RFC 4271 §5.1.1, RFC 7606 §7.1) =====

std::optional<base::WireError> decode_origin(const AttributeInput& in,
                                             PathAttributes& out) noexcept {
  if (in.value.size() != 1) {
    return length_error(in, Action::TreatAsWithdraw, "ORIGIN length is not 1");
  }
  const std::uint8_t v = in.value[0];
  if (v > static_cast<std::uint8_t>(Origin::Incomplete)) {
    return attribute_error(in, Action::TreatAsWithdraw, kSubcodeInvalidOrigin,
                           "ORIGIN value undefined");
  }
  out.origin = static_cast<Origin>(v);
  return std::nullopt;
}

void encode_origin(const PathAttributes& a, const EncodeContext&, base::ByteWriter& out) {
  if (a.origin) {
    emit(kAttrOrigin, out,
         [&](base::ByteWriter& v) { v.put_u8(static_cast<std::uint8_t>(*a.origin)); });
  }
}

// ===== AS_PATH (RFC 4271 §5.1.2, RFC 6793, RFC 7606 §7.2) =====

std::optional<base::WireError> decode_as_path_attr(const AttributeInput& in,
                                                   PathAttributes& out) noexcept {
  auto path = decode_as_path(in.value, in.ctx->four_octet_as, in.value_offset);
  if (!path) {
    return attribute_error(in, Action::TreatAsWithdraw, kSubcodeMalformedAsPath, path.error().what);
  }
  out.as_path = std::move(*path);
  return std::nullopt;
}

void encode_as_path_attr(const PathAttributes& a, const EncodeContext& ctx, base::ByteWriter& out) {
  if (a.as_path) {
    emit(kAttrAsPath, out,
         [&](base::ByteWriter& v) { encode_as_path_value(*a.as_path, ctx.four_octet_as, v); });
  }
}

// ===== NEXT_HOP (RFC 4271 §5.1.3, RFC 7606 §7.3) =====

std::optional<base::WireError> decode_next_hop(const AttributeInput& in,
                                               PathAttributes& out) noexcept {
  if (in.value.size() != 4) {
    return length_error(in, Action::TreatAsWithdraw, "NEXT_HOP length is not 4");
  }
  out.next_hop = base::IpAddress(base::Afi::Ipv4, in.value);
  return std::nullopt;
}

void encode_next_hop(const PathAttributes& a, const EncodeContext&, base::ByteWriter& out) {
  if (a.next_hop) {
    emit(kAttrNextHop, out, [&](base::ByteWriter& v) { v.put_bytes(a.next_hop->octets()); });
  }
}

// ===== MULTI_EXIT_DISC (RFC 4271 §5.1.4, RFC 7606 §7.4) =====

std::optional<base::WireError> decode_med(const AttributeInput& in, PathAttributes& out) noexcept {
  std::uint32_t v = 0;
  if (!read_u32_value(in, v)) {
    return length_error(in, Action::TreatAsWithdraw, "MULTI_EXIT_DISC length is not 4");
  }
  out.med = v;
  return std::nullopt;
}

void encode_med(const PathAttributes& a, const EncodeContext&, base::ByteWriter& out) {
  if (a.med) {
    emit(kAttrMultiExitDisc, out, [&](base::ByteWriter& v) { v.put_u32(*a.med); });
  }
}

// ===== LOCAL_PREF (RFC 4271 §5.1.5, RFC 7606 §7.5) =====

std::optional<base::WireError> decode_local_pref(const AttributeInput& in,
                                                 PathAttributes& out) noexcept {
  std::uint32_t v = 0;
  if (!read_u32_value(in, v)) {
    return length_error(in, Action::TreatAsWithdraw, "LOCAL_PREF length is not 4");
  }
  out.local_pref = v;
  return std::nullopt;
}

void encode_local_pref(const PathAttributes& a, const EncodeContext&, base::ByteWriter& out) {
  if (a.local_pref) {
    emit(kAttrLocalPref, out, [&](base::ByteWriter& v) { v.put_u32(*a.local_pref); });
  }
}

// ===== ATOMIC_AGGREGATE (RFC 4271 §5.1.6, RFC 7606 §7.6) =====

std::optional<base::WireError> decode_atomic_aggregate(const AttributeInput& in,
                                                       PathAttributes& out) noexcept {
  if (!in.value.empty()) {
    return length_error(in, Action::AttributeDiscard, "ATOMIC_AGGREGATE length is not 0");
  }
  out.atomic_aggregate = true;
  return std::nullopt;
}

void encode_atomic_aggregate(const PathAttributes& a, const EncodeContext&, base::ByteWriter& out) {
  if (a.atomic_aggregate) {
    emit(kAttrAtomicAggregate, out, [](base::ByteWriter&) {});
  }
}

// ===== AGGREGATOR / AS4_AGGREGATOR (RFC 4271 §5.1.7, RFC 6793, RFC 7606 §7.7) =====

bool read_aggregator(const AttributeInput& in, bool four_octet, Aggregator& out) noexcept {
  base::ByteReader r(in.value);
  std::uint32_t asn = 0;
  if (in.value.size() != (four_octet ? 8U : 6U)) {
    return false;
  }
  if (four_octet) {
    static_cast<void>(r.read_u32(asn));  // sized above
  } else {
    std::uint16_t asn16 = 0;
    static_cast<void>(r.read_u16(asn16));
    asn = asn16;
  }
  out.asn = base::Asn(asn);
  out.address = base::IpAddress(base::Afi::Ipv4, r.rest());
  return true;
}

void write_aggregator(const Aggregator& agg, bool four_octet, base::ByteWriter& v) {
  put_asn(agg.asn, four_octet, v);
  v.put_bytes(base::IpAddress(base::Afi::Ipv4, agg.address.octets()).octets());
}

std::optional<base::WireError> decode_aggregator(const AttributeInput& in,
                                                 PathAttributes& out) noexcept {
  Aggregator agg;
  if (!read_aggregator(in, in.ctx->four_octet_as, agg)) {
    return length_error(in, Action::AttributeDiscard, "AGGREGATOR length is wrong");
  }
  out.aggregator = agg;
  return std::nullopt;
}

void encode_aggregator(const PathAttributes& a, const EncodeContext& ctx, base::ByteWriter& out) {
  if (a.aggregator) {
    emit(kAttrAggregator, out,
         [&](base::ByteWriter& v) { write_aggregator(*a.aggregator, ctx.four_octet_as, v); });
  }
}

std::optional<base::WireError> decode_as4_aggregator(const AttributeInput& in,
                                                     PathAttributes& out) noexcept {
  Aggregator agg;
  // RFC 6793 §6: a malformed AS4_AGGREGATOR is discarded.
  if (!read_aggregator(in, true, agg)) {
    return length_error(in, Action::AttributeDiscard, "AS4_AGGREGATOR length is not 8");
  }
  out.as4_aggregator = agg;
  return std::nullopt;
}

void encode_as4_aggregator(const PathAttributes& a, const EncodeContext&, base::ByteWriter& out) {
  if (a.as4_aggregator) {
    emit(kAttrAs4Aggregator, out,
         [&](base::ByteWriter& v) { write_aggregator(*a.as4_aggregator, true, v); });
  }
}

// ===== AS4_PATH (RFC 6793 §3, §6) =====

std::optional<base::WireError> decode_as4_path(const AttributeInput& in,
                                               PathAttributes& out) noexcept {
  auto path = decode_as_path(in.value, true, in.value_offset);
  // RFC 6793 §6 / RFC 7606 §7 table: a malformed AS4_PATH is discarded, the route kept.
  if (!path) {
    return attribute_error(in, Action::AttributeDiscard, kSubcodeOptionalAttribute,
                           path.error().what);
  }
  out.as4_path = std::move(*path);
  return std::nullopt;
}

void encode_as4_path(const PathAttributes& a, const EncodeContext&, base::ByteWriter& out) {
  if (a.as4_path) {
    emit(kAttrAs4Path, out,
         [&](base::ByteWriter& v) { encode_as_path_value(*a.as4_path, true, v); });
  }
}

// ===== COMMUNITIES family (RFC 1997, RFC 4360, RFC 8092; RFC 7606 §7.8, §7.14) =====

std::optional<base::WireError> decode_communities_attr(const AttributeInput& in,
                                                       PathAttributes& out) noexcept {
  if (!decode_communities(in.value, out.communities)) {
    return length_error(in, Action::TreatAsWithdraw,
                        "COMMUNITIES length is not a non-zero multiple of 4");
  }
  return std::nullopt;
}

void encode_communities_attr(const PathAttributes& a, const EncodeContext&, base::ByteWriter& out) {
  if (!a.communities.empty()) {
    emit(kAttrCommunities, out, [&](base::ByteWriter& v) { encode_communities(a.communities, v); });
  }
}

std::optional<base::WireError> decode_ext_communities_attr(const AttributeInput& in,
                                                           PathAttributes& out) noexcept {
  if (!decode_ext_communities(in.value, out.ext_communities)) {
    return length_error(in, Action::TreatAsWithdraw,
                        "EXTENDED COMMUNITIES length is not a non-zero multiple of 8");
  }
  return std::nullopt;
}

void encode_ext_communities_attr(const PathAttributes& a, const EncodeContext&,
                                 base::ByteWriter& out) {
  if (!a.ext_communities.empty()) {
    emit(kAttrExtendedCommunities, out,
         [&](base::ByteWriter& v) { encode_ext_communities(a.ext_communities, v); });
  }
}

std::optional<base::WireError> decode_large_communities_attr(const AttributeInput& in,
                                                             PathAttributes& out) noexcept {
  if (!decode_large_communities(in.value, out.large_communities)) {
    return length_error(in, Action::TreatAsWithdraw,
                        "LARGE_COMMUNITY length is not a non-zero multiple of 12");
  }
  return std::nullopt;
}

void encode_large_communities_attr(const PathAttributes& a, const EncodeContext&,
                                   base::ByteWriter& out) {
  if (!a.large_communities.empty()) {
    emit(kAttrLargeCommunities, out,
         [&](base::ByteWriter& v) { encode_large_communities(a.large_communities, v); });
  }
}

// ===== ORIGINATOR_ID / CLUSTER_LIST (RFC 4456, RFC 7606 §7.9, §7.10) =====

std::optional<base::WireError> decode_originator_id(const AttributeInput& in,
                                                    PathAttributes& out) noexcept {
  std::uint32_t v = 0;
  if (!read_u32_value(in, v)) {
    return length_error(in, Action::TreatAsWithdraw, "ORIGINATOR_ID length is not 4");
  }
  out.originator_id = v;
  return std::nullopt;
}

void encode_originator_id(const PathAttributes& a, const EncodeContext&, base::ByteWriter& out) {
  if (a.originator_id) {
    emit(kAttrOriginatorId, out, [&](base::ByteWriter& v) { v.put_u32(*a.originator_id); });
  }
}

std::optional<base::WireError> decode_cluster_list(const AttributeInput& in,
                                                   PathAttributes& out) noexcept {
  // RFC 7606 §7.10: malformed unless a non-zero multiple of 4 (same shape as COMMUNITIES).
  if (!decode_communities(in.value, out.cluster_list)) {
    return length_error(in, Action::TreatAsWithdraw,
                        "CLUSTER_LIST length is not a non-zero multiple of 4");
  }
  return std::nullopt;
}

void encode_cluster_list(const PathAttributes& a, const EncodeContext&, base::ByteWriter& out) {
  if (!a.cluster_list.empty()) {
    emit(kAttrClusterList, out,
         [&](base::ByteWriter& v) { encode_communities(a.cluster_list, v); });
  }
}

// ===== MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760, RFC 7606 §7.11, §7.12) =====

// The MP codecs point at the bad field; report the whole attribute like every other one.
base::WireError whole_attribute(const AttributeInput& in, base::WireError e) noexcept {
  e.offset = static_cast<std::uint32_t>(in.attr_offset);
  e.length = static_cast<std::uint32_t>(in.attr_length);
  return e;
}

std::optional<base::WireError> decode_mp_reach_attr(const AttributeInput& in,
                                                    PathAttributes& out) noexcept {
  // RFC 6396 §4.3.4: in an MRT RIB entry the value is only the next-hop length and address.
  // Some old dumpers wrote the whole attribute; as bgpdump does, a first octet that covers
  // exactly the rest of the value marks the abbreviated form (a full value starts with the
  // AFI, whose first octet is 0).
  const bool abbreviated =
      in.ctx->mrt_rib_afi && !in.value.empty() && in.value.front() == in.value.size() - 1;
  auto reach = abbreviated
                   ? decode_mp_reach_next_hop(in.value, *in.ctx->mrt_rib_afi, in.value_offset)
                   : decode_mp_reach(in.value, in.value_offset);
  if (!reach) {
    return whole_attribute(in, reach.error());
  }
  out.mp_reach = std::move(*reach);
  return std::nullopt;
}

void encode_mp_reach_attr(const PathAttributes& a, const EncodeContext& ctx,
                          base::ByteWriter& out) {
  if (!a.mp_reach) {
    return;
  }
  if (ctx.mrt_rib_entry) {
    emit(kAttrMpReachNlri, out,
         [&](base::ByteWriter& v) { encode_mp_reach_next_hop(*a.mp_reach, v); });
    return;
  }
  emit(kAttrMpReachNlri, out, [&](base::ByteWriter& v) { encode_mp_reach_value(*a.mp_reach, v); });
}

std::optional<base::WireError> decode_mp_unreach_attr(const AttributeInput& in,
                                                      PathAttributes& out) noexcept {
  auto unreach = decode_mp_unreach(in.value, in.value_offset);
  if (!unreach) {
    return whole_attribute(in, unreach.error());
  }
  out.mp_unreach = std::move(*unreach);
  return std::nullopt;
}

void encode_mp_unreach_attr(const PathAttributes& a, const EncodeContext&, base::ByteWriter& out) {
  if (a.mp_unreach) {
    emit(kAttrMpUnreachNlri, out,
         [&](base::ByteWriter& v) { encode_mp_unreach_value(*a.mp_unreach, v); });
  }
}

// ===== BGPsec_PATH (RFC 8205 §3) =====

std::optional<base::WireError> decode_bgpsec_path_attr(const AttributeInput& in,
                                                       PathAttributes& out) noexcept {
  auto path = decode_bgpsec_path(in.value, in.value_offset);
  // RFC 8205 §5.2: the codec's errors are already treat-as-withdraw with their check in
  // `detail` and the bad bytes located; pass them on unchanged.
  if (!path) {
    return path.error();
  }
  out.bgpsec_path = std::move(*path);
  return std::nullopt;
}

void encode_bgpsec_path_attr(const PathAttributes& a, const EncodeContext&, base::ByteWriter& out) {
  if (a.bgpsec_path) {
    // Always flags 0x90 (Extended Length), as every BGPsec speaker sends it.
    encode_bgpsec_path_attribute(*a.bgpsec_path, out);
  }
}

// ===== OTC (RFC 9234 §5) =====

std::optional<base::WireError> decode_otc(const AttributeInput& in, PathAttributes& out) noexcept {
  std::uint32_t v = 0;
  // RFC 9234 §5: an OTC whose length is not 4 is malformed, and the UPDATE is handled as
  // treat-as-withdraw.
  if (!read_u32_value(in, v)) {
    return length_error(in, Action::TreatAsWithdraw, "OTC length is not 4");
  }
  out.otc = base::Asn(v);
  return std::nullopt;
}

void encode_otc(const PathAttributes& a, const EncodeContext&, base::ByteWriter& out) {
  if (a.otc) {
    // RFC 9234 §5: always the 4-octet AS, whatever the session negotiated.
    emit(kAttrOtc, out, [&](base::ByteWriter& v) { v.put_u32(a.otc->value()); });
  }
}

// ===== the table =====

constexpr AttributeDescriptor describe(const char* name, std::uint8_t flags,
                                       AttributeDecodeFn decode, AttributeEncodeFn encode,
                                       bool ibgp_only = false,
                                       Action on_duplicate = Action::AttributeDiscard) {
  AttributeDescriptor d;
  d.name = name;
  d.flags = flags;
  d.on_duplicate = on_duplicate;
  d.ibgp_only = ibgp_only;
  d.decode = decode;
  d.encode = encode;
  return d;
}

constexpr std::array<AttributeDescriptor, 256> make_table() {
  std::array<AttributeDescriptor, 256> t{};
  t[kAttrOrigin] = describe("ORIGIN", kWellKnown, decode_origin, encode_origin);
  t[kAttrAsPath] = describe("AS_PATH", kWellKnown, decode_as_path_attr, encode_as_path_attr);
  t[kAttrNextHop] = describe("NEXT_HOP", kWellKnown, decode_next_hop, encode_next_hop);
  t[kAttrMultiExitDisc] =
      describe("MULTI_EXIT_DISC", kOptionalNonTransitive, decode_med, encode_med);
  t[kAttrLocalPref] =
      describe("LOCAL_PREF", kWellKnown, decode_local_pref, encode_local_pref, true);
  t[kAttrAtomicAggregate] =
      describe("ATOMIC_AGGREGATE", kWellKnown, decode_atomic_aggregate, encode_atomic_aggregate);
  t[kAttrAggregator] =
      describe("AGGREGATOR", kOptionalTransitive, decode_aggregator, encode_aggregator);
  t[kAttrCommunities] = describe("COMMUNITIES", kOptionalTransitive, decode_communities_attr,
                                 encode_communities_attr);
  t[kAttrOriginatorId] = describe("ORIGINATOR_ID", kOptionalNonTransitive, decode_originator_id,
                                  encode_originator_id, true);
  t[kAttrClusterList] = describe("CLUSTER_LIST", kOptionalNonTransitive, decode_cluster_list,
                                 encode_cluster_list, true);
  // RFC 7606 §3(g): a second MP_REACH_NLRI / MP_UNREACH_NLRI resets the session.
  t[kAttrMpReachNlri] = describe("MP_REACH_NLRI", kOptionalNonTransitive, decode_mp_reach_attr,
                                 encode_mp_reach_attr, false, Action::SessionReset);
  t[kAttrMpUnreachNlri] =
      describe("MP_UNREACH_NLRI", kOptionalNonTransitive, decode_mp_unreach_attr,
               encode_mp_unreach_attr, false, Action::SessionReset);
  t[kAttrExtendedCommunities] = describe("EXTENDED_COMMUNITIES", kOptionalTransitive,
                                         decode_ext_communities_attr, encode_ext_communities_attr);
  t[kAttrAs4Path] = describe("AS4_PATH", kOptionalTransitive, decode_as4_path, encode_as4_path);
  t[kAttrAs4Aggregator] =
      describe("AS4_AGGREGATOR", kOptionalTransitive, decode_as4_aggregator, encode_as4_aggregator);
  t[kAttrLargeCommunities] = describe("LARGE_COMMUNITY", kOptionalTransitive,
                                      decode_large_communities_attr, encode_large_communities_attr);
  // RFC 8205 §3: optional non-transitive.
  t[kAttrBgpsecPath] = describe("BGPsec_PATH", kOptionalNonTransitive, decode_bgpsec_path_attr,
                                encode_bgpsec_path_attr);
  // RFC 9234 §5: optional transitive.
  t[kAttrOtc] = describe("OTC", kOptionalTransitive, decode_otc, encode_otc);
  return t;
}

constexpr std::array<AttributeDescriptor, 256> kAttributeTable = make_table();

}  // namespace

const char* origin_name(Origin o) noexcept {
  switch (o) {
    case Origin::Igp:
      return "igp";
    case Origin::Egp:
      return "egp";
    case Origin::Incomplete:
      return "incomplete";
  }
  return "unknown";
}

const AttributeDescriptor& attribute_descriptor(std::uint8_t type) noexcept {
  return kAttributeTable[type];
}

void put_attribute(std::uint8_t flags, std::uint8_t type, std::span<const std::uint8_t> value,
                   base::ByteWriter& out) {
  const bool extended = value.size() > 0xFF;
  flags = static_cast<std::uint8_t>(flags & ~kAttrFlagExtendedLength);
  out.put_u8(extended ? static_cast<std::uint8_t>(flags | kAttrFlagExtendedLength) : flags);
  out.put_u8(type);
  if (extended) {
    out.put_u16(static_cast<std::uint16_t>(value.size()));
  } else {
    out.put_u8(static_cast<std::uint8_t>(value.size()));
  }
  out.put_bytes(value);
}

base::WireError attribute_error(const AttributeInput& in, base::Action action, std::uint8_t subcode,
                                const char* what) noexcept {
  base::WireError e;
  e.action = action;
  e.code = base::notify::kUpdateMessageError;
  e.subcode = subcode;
  e.offset = static_cast<std::uint32_t>(in.attr_offset);
  e.length = static_cast<std::uint32_t>(in.attr_length);
  e.what = what;
  return e;
}

}  // namespace bgpsecd::wire
