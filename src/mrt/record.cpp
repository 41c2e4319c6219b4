// SPDX-License-Identifier: BSD-2-Clause
// MRT record decoding (record.hpp): the common header, then one decoder per record kind, each
// on a sub-reader cut to the record's Length (docs/style.md §2.3).
#include "mrt/record.hpp"

#include <algorithm>

#include "wire/header.hpp"
#include "wire/nlri.hpp"

// g++ 12 at -O2 reports the vectors inside a moved-from std::optional<Record> as "may be used
// uninitialized" (a known false positive of its optional/variant analysis); clang and -O0
// do not. Silenced for this file only, so the release build's -Werror stays on elsewhere.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace bgpsecd::mrt {

namespace {

constexpr std::uint8_t kPeerTypeIpv6 = 0x01;  // RFC 6396 §4.3.1 Peer Type bit 7 (I)
constexpr std::uint8_t kPeerTypeAs4 = 0x02;   // bit 6 (A)
constexpr std::uint16_t kBgp4mpAfiIpv4 = 1;   // RFC 6396 §4.4.2 Address Family
constexpr std::uint16_t kBgp4mpAfiIpv6 = 2;

DecodeError error_at(std::size_t record_offset, const base::ByteReader& at, const char* what) {
  return DecodeError{record_offset, at.offset(), what, std::nullopt, false};
}

DecodeError wire_error(std::size_t record_offset, const base::WireError& e, const char* what) {
  return DecodeError{record_offset, e.offset, what, e, false};
}

bool read_address(base::ByteReader& r, base::Afi afi, base::IpAddress& out) {
  std::span<const std::uint8_t> bytes;
  if (!r.read_bytes(afi == base::Afi::Ipv4 ? 4 : 16, bytes)) {
    return false;
  }
  out = base::IpAddress(afi, bytes);
  return true;
}

// RFC 6396 §4.3.1.
base::Result<PeerIndexTable, DecodeError> decode_peer_index(base::ByteReader r, std::size_t at) {
  PeerIndexTable t;
  std::uint16_t name_len = 0;
  std::span<const std::uint8_t> name;
  std::uint16_t count = 0;
  if (!r.read_u32(t.collector_id) || !r.read_u16(name_len) || !r.read_bytes(name_len, name) ||
      !r.read_u16(count)) {
    return base::fail(error_at(at, r, "PEER_INDEX_TABLE header truncated"));
  }
  t.view_name.assign(name.begin(), name.end());
  t.peers.reserve(std::min<std::size_t>(count, r.remaining() / 9));  // 9: smallest entry
  for (std::uint16_t i = 0; i < count; ++i) {
    const base::ByteReader entry = r;
    std::uint8_t type = 0;
    Peer peer;
    bool ok = r.read_u8(type) && r.read_u32(peer.bgp_id) &&
              read_address(r, (type & kPeerTypeIpv6) != 0 ? base::Afi::Ipv6 : base::Afi::Ipv4,
                           peer.address);
    if (ok && (type & kPeerTypeAs4) != 0) {
      ok = r.read_u32(peer.asn);
    } else if (ok) {
      std::uint16_t as2 = 0;
      ok = r.read_u16(as2);
      peer.asn = as2;
    }
    if (!ok) {
      return base::fail(error_at(at, entry, "PEER_INDEX_TABLE peer entry truncated"));
    }
    t.peers.push_back(peer);
  }
  if (!r.empty()) {
    return base::fail(error_at(at, r, "PEER_INDEX_TABLE has octets after the last peer"));
  }
  return t;
}

// One prefix as RFC 4271 §4.3 NLRI: a length in bits, then as many octets as it needs.
bool read_prefix(base::ByteReader& r, base::Afi afi, base::Prefix& out) {
  std::uint8_t bits = 0;
  base::ByteReader one;
  if (!r.peek_u8(bits) || !r.sub(1 + (bits + 7U) / 8U, one)) {
    return false;
  }
  auto prefixes = wire::decode_prefixes(one.rest(), afi, one.offset());
  if (!prefixes || prefixes->size() != 1) {
    return false;
  }
  out = prefixes->front();
  return true;
}

// Only attribute discards are tolerated: anything stronger means the route as recorded
// cannot be read as it was meant (RFC 7606 treat-as-withdraw or worse).
std::optional<base::WireError> strongest_error(const std::vector<base::WireError>& errors) {
  for (const auto& e : errors) {
    if (e.action != base::Action::AttributeDiscard) {
      return e;
    }
  }
  return std::nullopt;
}

// RFC 6396 §4.3.2, §4.3.4.
base::Result<RibRecord, DecodeError> decode_rib(base::ByteReader r, base::Afi afi, bool add_path,
                                                std::size_t at,
                                                const std::optional<PeerIndexTable>& peers) {
  RibRecord rib;
  std::uint16_t count = 0;
  if (!r.read_u32(rib.sequence)) {
    return base::fail(error_at(at, r, "RIB record truncated"));
  }
  const base::ByteReader at_prefix = r;
  if (!read_prefix(r, afi, rib.prefix)) {
    return base::fail(error_at(at, at_prefix, "RIB record prefix malformed or truncated"));
  }
  if (!r.read_u16(count)) {
    return base::fail(error_at(at, r, "RIB record truncated"));
  }
  wire::DecodeContext ctx;
  ctx.four_octet_as = true;  // RFC 6396 §4.3.4: whatever the peer negotiated
  ctx.ibgp = true;           // a dump holds iBGP routes too: keep LOCAL_PREF and friends
  ctx.mrt_rib_afi = afi;
  rib.entries.reserve(std::min<std::size_t>(count, r.remaining() / 8));  // 8: smallest entry
  for (std::uint16_t i = 0; i < count; ++i) {
    const base::ByteReader at_entry = r;
    RibEntry entry;
    std::uint16_t attr_len = 0;
    base::ByteReader attrs;
    std::uint32_t path_id = 0;
    // RFC 8050 §4: the ADD-PATH subtypes put a Path Identifier after Originated Time.
    if (!r.read_u16(entry.peer_index) || !r.read_u32(entry.originated) ||
        (add_path && !r.read_u32(path_id)) || !r.read_u16(attr_len) || !r.sub(attr_len, attrs)) {
      return base::fail(error_at(at, at_entry, "RIB entry truncated"));
    }
    // RFC 6396 §4.3.4: the Peer Index points into the PEER_INDEX_TABLE read before.
    if (!peers || entry.peer_index >= peers->peers.size()) {
      return base::fail(
          error_at(at, at_entry, "RIB entry names a peer not in the PEER_INDEX_TABLE"));
    }
    std::vector<base::WireError> errors;
    wire::decode_attribute_list(attrs.rest(), ctx, attrs.offset(), entry.attrs, errors, false);
    if (auto e = strongest_error(errors)) {
      return base::fail(wire_error(at, *e, "RIB entry attributes malformed"));
    }
    if (entry.attrs.mp_reach && entry.attrs.mp_reach->nlri.empty()) {
      entry.attrs.mp_reach->nlri.push_back(rib.prefix);
    }
    rib.entries.push_back(std::move(entry));
    if (add_path) {
      rib.path_ids.push_back(path_id);
    }
  }
  if (!r.empty()) {
    return base::fail(error_at(at, r, "RIB record has octets after the last entry"));
  }
  return rib;
}

// RFC 6396 §4.4.2/§4.4.3 (and the _LOCAL forms): the header, then a whole BGP message.
// nullopt: the message is not an UPDATE (skipped).
base::Result<std::optional<Bgp4mpUpdate>, DecodeError> decode_bgp4mp(base::ByteReader r,
                                                                     std::uint16_t subtype,
                                                                     std::size_t at) {
  Bgp4mpUpdate m;
  m.as4 = subtype == kSubtypeBgp4mpMessageAs4 || subtype == kSubtypeBgp4mpMessageAs4Local;
  m.local = subtype == kSubtypeBgp4mpMessageLocal || subtype == kSubtypeBgp4mpMessageAs4Local;
  std::uint16_t afi = 0;
  bool ok = false;
  if (m.as4) {
    ok = r.read_u32(m.peer_as) && r.read_u32(m.local_as);
  } else {
    std::uint16_t peer_as = 0;
    std::uint16_t local_as = 0;
    ok = r.read_u16(peer_as) && r.read_u16(local_as);
    m.peer_as = peer_as;
    m.local_as = local_as;
  }
  ok = ok && r.read_u16(m.interface_index);
  const base::ByteReader at_afi = r;
  if (!ok || !r.read_u16(afi)) {
    return base::fail(error_at(at, r, "BGP4MP header truncated"));
  }
  if (afi != kBgp4mpAfiIpv4 && afi != kBgp4mpAfiIpv6) {
    return base::fail(error_at(at, at_afi, "BGP4MP address family is neither IPv4 nor IPv6"));
  }
  const auto family = afi == kBgp4mpAfiIpv4 ? base::Afi::Ipv4 : base::Afi::Ipv6;
  if (!read_address(r, family, m.peer_address) || !read_address(r, family, m.local_address)) {
    return base::fail(error_at(at, r, "BGP4MP addresses truncated"));
  }
  wire::DecodeContext ctx;
  ctx.four_octet_as = m.as4;
  ctx.extended_messages = true;  // a collector records what the session allowed
  ctx.ibgp = m.peer_as == m.local_as;
  const base::ByteReader at_message = r;
  if (r.remaining() < wire::kHeaderSize) {
    return base::fail(error_at(at, at_message, "BGP4MP BGP message truncated"));
  }
  auto header = wire::decode_header(r.rest(), ctx);
  if (!header) {
    return base::fail(DecodeError{at, at_message.offset() + header.error().offset,
                                  "BGP4MP BGP message header malformed", std::nullopt, false});
  }
  base::ByteReader message;
  if (header->length != r.remaining() || !r.sub(header->length, message)) {
    return base::fail(
        error_at(at, at_message, "BGP4MP BGP message length differs from the record's"));
  }
  if (header->type != wire::MessageType::Update) {
    return std::optional<Bgp4mpUpdate>();
  }
  auto update = wire::decode_update(message.rest().subspan(wire::kHeaderSize), ctx,
                                    message.offset() + wire::kHeaderSize);
  if (!update) {
    return base::fail(wire_error(at, update.error(), "BGP4MP UPDATE malformed"));
  }
  if (auto e = strongest_error(update->errors)) {
    return base::fail(wire_error(at, *e, "BGP4MP UPDATE malformed"));
  }
  m.update = std::move(update->update);
  return std::optional<Bgp4mpUpdate>(std::move(m));
}

bool is_bgp4mp_message(std::uint16_t subtype) {
  return subtype == kSubtypeBgp4mpMessage || subtype == kSubtypeBgp4mpMessageAs4 ||
         subtype == kSubtypeBgp4mpMessageLocal || subtype == kSubtypeBgp4mpMessageAs4Local;
}

}  // namespace

std::string DecodeError::message() const {
  std::string text = "MRT record at offset " + std::to_string(record_offset) + ": " + what +
                     " at offset " + std::to_string(offset);
  if (wire) {
    text += std::string(" (") + wire->what + ")";
  }
  return text;
}

base::Result<std::optional<Record>, DecodeError> RecordReader::next() {
  if (in_.empty()) {
    return std::optional<Record>();
  }
  Record rec;
  rec.offset = in_.offset();
  base::ByteReader body;
  // RFC 6396 §2: Timestamp, Type, Subtype, Length; the body is Length octets.
  if (!in_.read_u32(rec.header.timestamp) || !in_.read_u16(rec.header.type) ||
      !in_.read_u16(rec.header.subtype) || !in_.read_u32(rec.header.length)) {
    const auto e = DecodeError{rec.offset, rec.offset, "MRT header truncated", std::nullopt, true};
    static_cast<void>(in_.skip(in_.remaining()));
    return base::fail(e);
  }
  if (!in_.sub(rec.header.length, body)) {
    const auto e = DecodeError{rec.offset, rec.offset + 8, "MRT record Length past the end",
                               std::nullopt, true};
    static_cast<void>(in_.skip(in_.remaining()));
    return base::fail(e);
  }
  const auto& h = rec.header;
  // RFC 6396 §3: the _ET types start the body with microseconds, counted in Length.
  if (h.type == kTypeBgp4mpEt && !body.read_u32(rec.header.microseconds)) {
    return base::fail(error_at(rec.offset, body, "BGP4MP_ET microseconds truncated"));
  }
  if (h.type == kTypeTableDumpV2 && h.subtype == kSubtypePeerIndexTable) {
    BGPSEC_ASSIGN_OR_RETURN(auto table, decode_peer_index(body, rec.offset));
    peer_index_ = table;
    rec.body = std::move(table);
  } else if (h.type == kTypeTableDumpV2 &&
             (h.subtype == kSubtypeRibIpv4Unicast || h.subtype == kSubtypeRibIpv6Unicast ||
              h.subtype == kSubtypeRibIpv4UnicastAddPath ||
              h.subtype == kSubtypeRibIpv6UnicastAddPath)) {
    const bool v4 =
        h.subtype == kSubtypeRibIpv4Unicast || h.subtype == kSubtypeRibIpv4UnicastAddPath;
    const bool add_path =
        h.subtype == kSubtypeRibIpv4UnicastAddPath || h.subtype == kSubtypeRibIpv6UnicastAddPath;
    BGPSEC_ASSIGN_OR_RETURN(auto rib, decode_rib(body, v4 ? base::Afi::Ipv4 : base::Afi::Ipv6,
                                                 add_path, rec.offset, peer_index_));
    rec.body = std::move(rib);
  } else if ((h.type == kTypeBgp4mp || h.type == kTypeBgp4mpEt) && is_bgp4mp_message(h.subtype)) {
    BGPSEC_ASSIGN_OR_RETURN(auto update, decode_bgp4mp(body, h.subtype, rec.offset));
    if (update) {
      rec.body = std::move(*update);
    } else {
      ++skipped_;
    }
  } else {
    ++skipped_;
  }
  return std::optional<Record>(std::move(rec));
}

}  // namespace bgpsecd::mrt
