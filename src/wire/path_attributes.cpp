// SPDX-License-Identifier: BSD-2-Clause
// The generic walk over a Path Attributes field: framing, duplicates, flag checks, eBGP
// discards and unknown attributes are handled here once (RFC 7606 §3, §4); each known type's
// value goes to its decoder from the descriptor table. Encoding walks the table in type order.
#include "base/byte_reader.hpp"
#include "wire/as4_path.hpp"
#include "wire/attributes.hpp"

namespace bgpsecd::wire {

namespace {

// UPDATE Message Error subcodes (RFC 4271 §6.3).
constexpr std::uint8_t kSubcodeMalformedAttributeList = 1;
constexpr std::uint8_t kSubcodeUnrecognizedWellKnown = 2;
constexpr std::uint8_t kSubcodeAttributeFlags = 4;

constexpr std::uint8_t kOptionalTransitiveBits = kAttrFlagOptional | kAttrFlagTransitive;

class ListDecoder {
 public:
  ListDecoder(const DecodeContext& ctx, PathAttributes& out, std::vector<base::WireError>& errors,
              bool stop_at_first_error, std::optional<MalformedBgpsecPath>* malformed_bgpsec_path)
      : ctx_(ctx),
        out_(out),
        errors_(errors),
        stop_at_first_error_(stop_at_first_error),
        malformed_bgpsec_path_(malformed_bgpsec_path) {}

  void run(base::ByteReader r) {
    while (!r.empty()) {
      if (!next(r)) {
        return;
      }
    }
  }

  [[nodiscard]] const std::bitset<256>& seen() const noexcept { return seen_; }

 private:
  // Records `e`; false when decoding has to stop.
  bool record(const base::WireError& e) {
    errors_.push_back(e);
    return e.action != base::Action::SessionReset && !stop_at_first_error_;
  }

  // Records the malformed BGPsec_PATH described by `in` and its error `e`, with its Secure_Path
  // when that part of the value parses (RFC 8374 §8.5 "strip" rebuilds the AS_PATH from it).
  void note_malformed_bgpsec_path(const AttributeInput& in, const base::WireError& e) {
    if (malformed_bgpsec_path_ == nullptr) {
      return;
    }
    MalformedBgpsecPath malformed{e, std::nullopt};
    if (auto secure_path = decode_secure_path(in.value, in.value_offset)) {
      malformed.secure_path = std::move(*secure_path);
    }
    *malformed_bgpsec_path_ = std::move(malformed);
  }

  // One attribute; false when decoding has to stop.
  bool next(base::ByteReader& r) {
    const base::ByteReader at = r;
    std::uint8_t flags = 0;
    std::uint8_t type = 0;
    std::uint16_t length = 0;
    bool framed = r.read_u8(flags) && r.read_u8(type);
    if (framed && (flags & kAttrFlagExtendedLength) != 0) {
      framed = r.read_u16(length);
    } else if (framed) {
      std::uint8_t length8 = 0;
      framed = r.read_u8(length8);
      length = length8;
    }
    base::ByteReader value;
    framed = framed && r.sub(length, value);
    // RFC 7606 §4: fewer than 3 (4 with Extended Length) octets left for a header, or an
    // attribute that overruns the field: treat-as-withdraw; the rest cannot be parsed, but
    // Total Path Attribute Length still locates the NLRI.
    if (!framed) {
      base::WireError e;
      e.action = base::Action::TreatAsWithdraw;
      e.code = base::notify::kUpdateMessageError;
      e.subcode = kSubcodeMalformedAttributeList;
      e.offset = static_cast<std::uint32_t>(at.offset());
      e.length = static_cast<std::uint32_t>(at.remaining());
      e.what = "attribute overruns Total Path Attribute Length";
      errors_.push_back(e);
      return false;
    }

    AttributeInput in;
    in.value = value.rest();
    in.value_offset = value.offset();
    in.attr_offset = at.offset();
    in.attr_length = r.offset() - at.offset();
    in.ctx = &ctx_;
    const AttributeDescriptor& desc = attribute_descriptor(type);

    // RFC 7606 §3(g): keep the first instance, discard the others; a repeated MP_REACH_NLRI
    // or MP_UNREACH_NLRI resets the session (descriptor's on_duplicate).
    if (seen_[type]) {
      return record(attribute_error(in, desc.on_duplicate, kSubcodeMalformedAttributeList,
                                    "attribute repeated"));
    }
    seen_[type] = true;

    if (!desc.known()) {
      // An unknown type without the Optional bit claims to be well-known (RFC 4271 §6.3
      // Unrecognized Well-known Attribute); handled as treat-as-withdraw (RFC 7606 §2 spirit,
      // as BIRD does) rather than a reset.
      if ((flags & kAttrFlagOptional) == 0) {
        return record(attribute_error(in, base::Action::TreatAsWithdraw,
                                      kSubcodeUnrecognizedWellKnown,
                                      "unrecognized well-known attribute"));
      }
      UnknownAttribute u;
      u.flags = static_cast<std::uint8_t>(flags & ~kAttrFlagExtendedLength);
      u.type = type;
      u.value.assign(in.value.begin(), in.value.end());
      out_.unknown.push_back(std::move(u));
      return true;
    }

    // RFC 7606 §3(c): Optional/Transitive bits that conflict with the type make the attribute
    // malformed: treat-as-withdraw. The MP attributes are still decoded, because the prefixes
    // to withdraw are in them.
    if (((flags ^ desc.flags) & kOptionalTransitiveBits) != 0) {
      auto flags_error = attribute_error(in, base::Action::TreatAsWithdraw, kSubcodeAttributeFlags,
                                         "attribute flags conflict with the type");
      // RFC 8205 §5.2 check #1: BGPsec_PATH must be optional non-transitive; the check gets
      // its own code, so the validator reports it apart from other malformations.
      if (type == kAttrBgpsecPath) {
        flags_error.detail = static_cast<std::uint16_t>(BgpsecPathCheck::AttributeFlags);
        note_malformed_bgpsec_path(in, flags_error);
      }
      if (!record(flags_error)) {
        return false;
      }
      if (type != kAttrMpReachNlri && type != kAttrMpUnreachNlri) {
        return true;
      }
      PathAttributes scratch;  // keep the value out of `out_`, but learn its prefixes
      if (auto e = desc.decode(in, scratch)) {
        return record(*e);
      }
      out_.mp_reach = std::move(scratch.mp_reach);
      out_.mp_unreach = std::move(scratch.mp_unreach);
      return true;
    }

    // RFC 7606 §7.5, §7.9, §7.10: LOCAL_PREF, ORIGINATOR_ID, CLUSTER_LIST from an eBGP peer
    // are discarded.
    if (desc.ibgp_only && !ctx_.ibgp) {
      return record(attribute_error(in, base::Action::AttributeDiscard,
                                    kSubcodeMalformedAttributeList,
                                    "attribute not accepted from an eBGP peer"));
    }

    if (auto e = desc.decode(in, out_)) {
      // RFC 8205 §5.2: a BGPsec_PATH that fails to decode (Secure_Path or Signature_Block
      // lengths, truncation, Signature_Segment count).
      if (type == kAttrBgpsecPath) {
        note_malformed_bgpsec_path(in, *e);
      }
      return record(*e);
    }
    return true;
  }

  const DecodeContext& ctx_;
  PathAttributes& out_;
  std::vector<base::WireError>& errors_;
  bool stop_at_first_error_;
  std::optional<MalformedBgpsecPath>* malformed_bgpsec_path_;
  std::bitset<256> seen_;
};

}  // namespace

void decode_attribute_list(std::span<const std::uint8_t> attrs, const DecodeContext& ctx,
                           std::size_t base_offset, PathAttributes& out,
                           std::vector<base::WireError>& errors, bool stop_at_first_error,
                           std::bitset<256>* seen,
                           std::optional<MalformedBgpsecPath>* malformed_bgpsec_path) {
  ListDecoder decoder(ctx, out, errors, stop_at_first_error, malformed_bgpsec_path);
  decoder.run(base::ByteReader(attrs, base_offset));
  if (seen != nullptr) {
    *seen = decoder.seen();
  }
  // RFC 6793 §4.2.3: from a peer without 4-octet AS, rebuild the path from AS_PATH and
  // AS4_PATH, unless AGGREGATOR carries a real 2-octet AS (then AS4_PATH and AS4_AGGREGATOR
  // are ignored: they were added before an old speaker aggregated).
  if (!ctx.four_octet_as && out.as_path && out.as4_path &&
      (!out.aggregator || out.aggregator->asn == base::kAsTrans)) {
    out.as_path = merge_as4_path(*out.as_path, *out.as4_path);
  }
}

base::Result<PathAttributes, base::WireError> decode_path_attributes(
    std::span<const std::uint8_t> attrs, const DecodeContext& ctx,
    std::size_t base_offset) noexcept {
  PathAttributes out;
  std::vector<base::WireError> errors;
  decode_attribute_list(attrs, ctx, base_offset, out, errors, true);
  if (!errors.empty()) {
    return base::fail(errors.front());
  }
  return out;
}

void encode_path_attributes(const PathAttributes& attrs, const EncodeContext& ctx,
                            base::ByteWriter& out) {
  for (unsigned type = 0; type <= 0xFF; ++type) {
    const AttributeDescriptor& desc = attribute_descriptor(static_cast<std::uint8_t>(type));
    if (desc.known()) {
      desc.encode(attrs, ctx, out);
    }
    for (const auto& u : attrs.unknown) {
      if (u.type == type) {
        put_attribute(u.flags, u.type, u.value, out);
      }
    }
  }
}

}  // namespace bgpsecd::wire
