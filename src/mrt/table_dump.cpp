// SPDX-License-Identifier: BSD-2-Clause
#include "mrt/table_dump.hpp"

#include "base/byte_writer.hpp"
#include "base/check.hpp"

namespace bgpsecd::mrt {

namespace {

// RFC 6396 §2: Timestamp, Type, Subtype, then the Length of what follows.
base::Bytes record(std::uint32_t timestamp, std::uint16_t subtype, const base::Bytes& body) {
  base::ByteWriter out;
  out.put_u32(timestamp);
  out.put_u16(kTypeTableDumpV2);
  out.put_u16(subtype);
  out.put_u32(static_cast<std::uint32_t>(body.size()));
  out.put_bytes(body);
  return out.take();
}

constexpr std::uint8_t kPeerTypeIpv6 = 0x01;  // RFC 6396 §4.3.1 Peer Type bit 7 (I)
constexpr std::uint8_t kPeerTypeAs4 = 0x02;   // bit 6 (A): the Peer AS field is 4 octets

}  // namespace

base::Bytes encode_peer_index_table(std::uint32_t timestamp, std::uint32_t collector_id,
                                    const std::string& view_name, const std::vector<Peer>& peers) {
  BGPSEC_CHECK(view_name.size() <= 0xFFFF && peers.size() <= 0xFFFF,
               "MRT peer index table too large");
  base::ByteWriter body;
  body.put_u32(collector_id);
  body.put_u16(static_cast<std::uint16_t>(view_name.size()));
  body.put_bytes(
      std::span(reinterpret_cast<const std::uint8_t*>(view_name.data()), view_name.size()));
  body.put_u16(static_cast<std::uint16_t>(peers.size()));
  for (const auto& peer : peers) {
    const bool v6 = peer.address.afi() == base::Afi::Ipv6;
    body.put_u8(static_cast<std::uint8_t>(kPeerTypeAs4 | (v6 ? kPeerTypeIpv6 : 0)));
    body.put_u32(peer.bgp_id);
    body.put_bytes(peer.address.octets());
    body.put_u32(peer.asn);
  }
  return record(timestamp, kSubtypePeerIndexTable, body.bytes());
}

base::Bytes encode_rib_record(std::uint32_t timestamp, std::uint32_t sequence,
                              const base::Prefix& prefix, const std::vector<RibEntry>& entries) {
  BGPSEC_CHECK(entries.size() <= 0xFFFF, "more than 65535 routes for one prefix");
  base::ByteWriter body;
  body.put_u32(sequence);
  body.put_u8(prefix.length());
  body.put_bytes(prefix.nlri_octets());
  body.put_u16(static_cast<std::uint16_t>(entries.size()));
  wire::EncodeContext ctx;
  ctx.four_octet_as = true;  // RFC 6396 §4.3.4
  ctx.mrt_rib_entry = true;
  for (const auto& entry : entries) {
    body.put_u16(entry.peer_index);
    body.put_u32(entry.originated);
    base::ByteWriter attrs;
    wire::encode_path_attributes(entry.attrs, ctx, attrs);
    BGPSEC_CHECK(attrs.size() <= 0xFFFF,
                 "attributes over 65535 octets");  // they came in a BGP message
    body.put_u16(static_cast<std::uint16_t>(attrs.size()));
    body.put_bytes(attrs.bytes());
  }
  return record(timestamp,
                prefix.afi() == base::Afi::Ipv4 ? kSubtypeRibIpv4Unicast : kSubtypeRibIpv6Unicast,
                body.bytes());
}

}  // namespace bgpsecd::mrt
