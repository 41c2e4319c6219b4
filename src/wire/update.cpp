// SPDX-License-Identifier: BSD-2-Clause
// UPDATE body codec (RFC 4271 §4.3) with the message-level rules of RFC 7606: framing,
// missing mandatory attributes (§3(d)), strongest action (§3(h)) and NLRI that cannot be
// located (§5.2). Per-attribute work is in path_attributes.cpp / attributes.cpp.
#include "wire/update.hpp"

#include <algorithm>
#include <bitset>

#include "base/byte_reader.hpp"
#include "base/byte_writer.hpp"
#include "wire/header.hpp"
#include "wire/nlri.hpp"

namespace bgpsecd::wire {

namespace {

// UPDATE Message Error subcodes (RFC 4271 §6.3).
constexpr std::uint8_t kSubcodeMalformedAttributeList = 1;
constexpr std::uint8_t kSubcodeMissingWellKnown = 3;

base::WireError reset(const base::ByteReader& at, const char* what) noexcept {
  base::WireError e;
  e.action = base::Action::SessionReset;
  e.code = base::notify::kUpdateMessageError;
  e.subcode = kSubcodeMalformedAttributeList;
  e.offset = static_cast<std::uint32_t>(at.offset());
  e.length = static_cast<std::uint32_t>(at.remaining());
  e.what = what;
  return e;
}

base::WireError missing(const base::ByteReader& attrs, std::uint8_t type) noexcept {
  base::WireError e;
  e.action = base::Action::TreatAsWithdraw;
  e.code = base::notify::kUpdateMessageError;
  e.subcode = kSubcodeMissingWellKnown;
  e.offset = static_cast<std::uint32_t>(attrs.offset());
  e.length = static_cast<std::uint32_t>(attrs.remaining());
  e.what = "missing well-known mandatory attribute";
  e.detail = type;
  return e;
}

// RFC 7606 §3(d): the well-known mandatory attributes, needed only when the UPDATE announces
// something. BGPsec_PATH stands in for AS_PATH (RFC 8205 §3); NEXT_HOP is needed only for
// classic IPv4 NLRI (RFC 4760 §3: MP_REACH_NLRI carries its own next hop).
void check_mandatory(const UpdateMessage& u, const std::bitset<256>& seen,
                     const base::ByteReader& attrs, std::vector<base::WireError>& errors) {
  const bool announces = !u.nlri.empty() || u.attrs.mp_reach.has_value();
  if (!announces) {
    return;
  }
  if (!seen[kAttrOrigin]) {
    errors.push_back(missing(attrs, kAttrOrigin));
  }
  if (!seen[kAttrAsPath] && !seen[kAttrBgpsecPath]) {
    errors.push_back(missing(attrs, kAttrAsPath));
  }
  if (!u.nlri.empty() && !seen[kAttrNextHop]) {
    errors.push_back(missing(attrs, kAttrNextHop));
  }
}

bool all_ipv4(const std::vector<base::Prefix>& prefixes) {
  return std::all_of(prefixes.begin(), prefixes.end(),
                     [](const base::Prefix& p) { return p.afi() == base::Afi::Ipv4; });
}

}  // namespace

base::Action DecodedUpdate::strongest() const noexcept {
  base::Action a = base::Action::AttributeDiscard;
  for (const auto& e : errors) {
    a = std::max(a, e.action);
  }
  return a;
}

std::optional<base::Action> DecodedUpdate::strongest_elsewhere() const noexcept {
  std::optional<base::Action> a;
  bool skipped = false;  // the BGPsec_PATH's error is in `errors` once
  for (const auto& e : errors) {
    if (!skipped && malformed_bgpsec_path && e == malformed_bgpsec_path->error) {
      skipped = true;
      continue;
    }
    a = std::max(a.value_or(e.action), e.action);
  }
  return a;
}

base::Result<DecodedUpdate, base::WireError> decode_update(std::span<const std::uint8_t> body,
                                                           const DecodeContext& ctx,
                                                           std::size_t base_offset) noexcept {
  base::ByteReader r(body, base_offset);
  DecodedUpdate out;

  // RFC 4271 §6.3: lengths that overrun the message are a Malformed Attribute List; RFC 7606
  // §4 keeps this a reset since the fields cannot be located.
  const base::ByteReader at_withdrawn = r;
  std::uint16_t withdrawn_length = 0;
  base::ByteReader withdrawn;
  if (!r.read_u16(withdrawn_length) || !r.sub(withdrawn_length, withdrawn)) {
    return base::fail(reset(at_withdrawn, "Withdrawn Routes Length overruns the message"));
  }
  // RFC 7606 §5.3: prefixes that cannot be parsed reset the session.
  auto withdrawn_prefixes = decode_prefixes(withdrawn.rest(), base::Afi::Ipv4, withdrawn.offset());
  if (!withdrawn_prefixes) {
    return base::fail(withdrawn_prefixes.error());
  }
  out.update.withdrawn = std::move(*withdrawn_prefixes);

  const base::ByteReader at_attrs = r;
  std::uint16_t attrs_length = 0;
  base::ByteReader attrs;
  if (!r.read_u16(attrs_length) || !r.sub(attrs_length, attrs)) {
    return base::fail(reset(at_attrs, "Total Path Attribute Length overruns the message"));
  }
  auto nlri = decode_prefixes(r.rest(), base::Afi::Ipv4, r.offset());
  if (!nlri) {
    return base::fail(nlri.error());
  }
  out.update.nlri = std::move(*nlri);

  std::bitset<256> seen;
  decode_attribute_list(attrs.rest(), ctx, attrs.offset(), out.update.attrs, out.errors, false,
                        &seen, &out.malformed_bgpsec_path);
  const auto fatal = std::find_if(out.errors.begin(), out.errors.end(), [](const auto& e) {
    return e.action == base::Action::SessionReset;
  });
  if (fatal != out.errors.end()) {
    return base::fail(*fatal);
  }
  check_mandatory(out.update, seen, attrs, out.errors);

  // RFC 7606 §5.2: treat-as-withdraw needs prefixes to withdraw; with neither NLRI nor an
  // MP_REACH_NLRI / MP_UNREACH_NLRI the session is reset instead.
  const auto withdraw = std::find_if(out.errors.begin(), out.errors.end(), [](const auto& e) {
    return e.action == base::Action::TreatAsWithdraw;
  });
  const auto& a = out.update.attrs;
  if (withdraw != out.errors.end() && out.update.nlri.empty() && !a.mp_reach && !a.mp_unreach) {
    base::WireError e = *withdraw;
    e.action = base::Action::SessionReset;
    return base::fail(e);
  }
  return out;
}

base::Result<base::Bytes> encode_update(const UpdateMessage& update, const EncodeContext& ctx) {
  if (!all_ipv4(update.withdrawn) || !all_ipv4(update.nlri)) {
    return base::fail(
        "UPDATE withdrawn routes and NLRI fields carry IPv4 only; use MP_REACH_NLRI / "
        "MP_UNREACH_NLRI");
  }
  base::ByteWriter w;
  encode_header(w, MessageType::Update);
  const auto withdrawn_length = w.reserve_u16();
  encode_prefixes(update.withdrawn, w);
  w.fill_u16(withdrawn_length, static_cast<std::uint16_t>(w.since(withdrawn_length, 2)));
  const auto attrs_length = w.reserve_u16();
  encode_path_attributes(update.attrs, ctx, w);
  w.fill_u16(attrs_length, static_cast<std::uint16_t>(w.since(attrs_length, 2)));
  encode_prefixes(update.nlri, w);
  // One size check at the end (docs/style.md §2.4): a message within 65535 octets also has both
  // inner length fields within range, so the casts above only truncate when this fails.
  return finish_message(w, ctx);
}

std::optional<std::pair<base::Afi, std::uint8_t>> end_of_rib(const UpdateMessage& update) {
  if (!update.withdrawn.empty() || !update.nlri.empty()) {
    return std::nullopt;
  }
  // RFC 4724 §2: IPv4 unicast: an UPDATE with no withdrawn routes, attributes or NLRI.
  if (update.attrs == PathAttributes{}) {
    return std::make_pair(base::Afi::Ipv4, base::kSafiUnicast);
  }
  // Other AFI/SAFI: the only attribute is an MP_UNREACH_NLRI without withdrawn prefixes.
  const auto& unreach = update.attrs.mp_unreach;
  if (unreach && unreach->withdrawn.empty()) {
    PathAttributes only_unreach;
    only_unreach.mp_unreach = unreach;
    if (update.attrs == only_unreach) {
      return std::make_pair(unreach->afi, unreach->safi);
    }
  }
  return std::nullopt;
}

UpdateMessage make_end_of_rib(base::Afi afi, std::uint8_t safi) {
  UpdateMessage u;
  if (afi != base::Afi::Ipv4 || safi != base::kSafiUnicast) {
    MpUnreach unreach;
    unreach.afi = afi;
    unreach.safi = safi;
    u.attrs.mp_unreach = unreach;
  }
  return u;
}

}  // namespace bgpsecd::wire
