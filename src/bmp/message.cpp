// SPDX-License-Identifier: BSD-2-Clause
#include "bmp/message.hpp"

#include "base/byte_writer.hpp"
#include "base/check.hpp"

namespace bgpsecd::bmp {

namespace {

// RFC 7854 §4.2 Peer Flags for peer types 0-2, most significant bit first.
constexpr std::uint8_t kFlagV = 0x80;  // the Peer Address is IPv6
constexpr std::uint8_t kFlagL = 0x40;  // post-policy
constexpr std::uint8_t kFlagA = 0x20;  // legacy 2-octet AS_PATH
constexpr std::uint8_t kFlagO = 0x10;  // RFC 8671 §4: Adj-RIB-Out
// RFC 9069 §4.2: the only flag of peer type 3.
constexpr std::uint8_t kFlagF = 0x80;

std::span<const std::uint8_t> text_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// RFC 7854 §4.1: Version, the Length of the whole message (header included), Type.
base::Bytes finish(MessageType type, const base::ByteWriter& body) {
  const std::size_t total = kCommonHeaderSize + body.size();
  // Our bodies hold at most a few BGP PDUs of 64 KiB each (docs/style.md §2.7).
  BGPSEC_CHECK(total <= 0xFFFFFFFFU, "BMP message over 4 GiB");
  base::ByteWriter out;
  out.put_u8(kVersion);
  out.put_u32(static_cast<std::uint32_t>(total));
  out.put_u8(static_cast<std::uint8_t>(type));
  out.put_bytes(body.bytes());
  return out.take();
}

// 16 octets: an IPv6 address as is, an IPv4 address in the last four (RFC 7854 §4.2, §4.10).
void put_address16(base::ByteWriter& w, const base::IpAddress& address) {
  const auto octets = address.octets();
  for (std::size_t i = octets.size(); i < 16; ++i) {
    w.put_u8(0);
  }
  w.put_bytes(octets);
}

void put_peer_header(base::ByteWriter& w, const PeerHeader& p) {
  std::uint8_t flags = 0;
  if (p.type == PeerType::LocRib) {
    flags = p.filtered ? kFlagF : 0;
  } else {
    flags = static_cast<std::uint8_t>(
        (p.address.afi() == base::Afi::Ipv6 ? kFlagV : 0) | (p.post_policy ? kFlagL : 0) |
        (p.legacy_as_path ? kFlagA : 0) | (p.adj_rib_out ? kFlagO : 0));
  }
  w.put_u8(static_cast<std::uint8_t>(p.type));
  w.put_u8(flags);
  w.put_u64(p.distinguisher);
  put_address16(w, p.address);
  w.put_u32(p.asn);
  w.put_u32(p.bgp_id);
  w.put_u32(p.seconds);
  w.put_u32(p.micros);
}

void put_tlvs(base::ByteWriter& w, const std::vector<Tlv>& tlvs) {
  for (const auto& tlv : tlvs) {
    // Our TLVs are names and short texts from the config (docs/style.md §2.7).
    BGPSEC_CHECK(tlv.value.size() <= 0xFFFF, "BMP TLV over 65535 octets");
    w.put_u16(tlv.type);
    w.put_u16(static_cast<std::uint16_t>(tlv.value.size()));
    w.put_bytes(tlv.value);
  }
}

}  // namespace

PeerHeader loc_rib_peer_header(std::uint32_t local_asn, std::uint32_t bgp_id, std::uint32_t seconds,
                               std::uint32_t micros, bool filtered) {
  PeerHeader p;
  p.type = PeerType::LocRib;
  p.filtered = filtered;
  p.asn = local_asn;
  p.bgp_id = bgp_id;
  p.seconds = seconds;
  p.micros = micros;
  return p;
}

Tlv string_tlv(std::uint16_t type, std::string_view text) {
  const auto bytes = text_bytes(text);
  return Tlv{type, base::Bytes(bytes.begin(), bytes.end())};
}

Stat counter32(std::uint16_t type, std::uint32_t value) {
  base::ByteWriter w;
  w.put_u32(value);
  return Stat{type, w.take()};
}

Stat gauge64(std::uint16_t type, std::uint64_t value) {
  base::ByteWriter w;
  w.put_u64(value);
  return Stat{type, w.take()};
}

Stat per_afi_gauge64(std::uint16_t type, base::Afi afi, std::uint8_t safi, std::uint64_t value) {
  base::ByteWriter w;
  w.put_u16(static_cast<std::uint16_t>(afi));
  w.put_u8(safi);
  w.put_u64(value);
  return Stat{type, w.take()};
}

base::Bytes encode_initiation(std::string_view sys_descr, std::string_view sys_name,
                              const std::vector<Tlv>& more) {
  base::ByteWriter body;
  // RFC 7854 §4.3: sysDescr and sysName are always sent.
  put_tlvs(body, {string_tlv(kInfoSysDescr, sys_descr), string_tlv(kInfoSysName, sys_name)});
  put_tlvs(body, more);
  return finish(MessageType::Initiation, body);
}

base::Bytes encode_termination(TerminationReason reason, std::string_view text) {
  base::ByteWriter body;
  std::vector<Tlv> tlvs;
  if (!text.empty()) {
    tlvs.push_back(string_tlv(kTerminationString, text));
  }
  base::ByteWriter code;
  code.put_u16(static_cast<std::uint16_t>(reason));
  tlvs.push_back(Tlv{kTerminationReason, code.take()});
  put_tlvs(body, tlvs);
  return finish(MessageType::Termination, body);
}

base::Bytes encode_peer_up(const PeerHeader& peer, const base::IpAddress& local,
                           std::uint16_t local_port, std::uint16_t remote_port,
                           std::span<const std::uint8_t> sent_open,
                           std::span<const std::uint8_t> received_open,
                           const std::vector<Tlv>& info) {
  base::ByteWriter body;
  put_peer_header(body, peer);
  put_address16(body, local);
  body.put_u16(local_port);
  body.put_u16(remote_port);
  body.put_bytes(sent_open);
  body.put_bytes(received_open);
  put_tlvs(body, info);
  return finish(MessageType::PeerUp, body);
}

base::Bytes encode_peer_down(const PeerHeader& peer, PeerDownReason reason,
                             std::span<const std::uint8_t> data) {
  base::ByteWriter body;
  put_peer_header(body, peer);
  body.put_u8(static_cast<std::uint8_t>(reason));
  body.put_bytes(data);
  return finish(MessageType::PeerDown, body);
}

base::Bytes fsm_event_data(std::uint16_t event) {
  // RFC 7854 §4.9 reason 2: a 2-octet FSM event code (RFC 4271 §8.1).
  base::ByteWriter w;
  w.put_u16(event);
  return w.take();
}

base::Bytes tlv_data(const std::vector<Tlv>& tlvs) {
  base::ByteWriter w;
  put_tlvs(w, tlvs);
  return w.take();
}

base::Bytes encode_route_monitoring(const PeerHeader& peer, std::span<const std::uint8_t> update) {
  base::ByteWriter body;
  put_peer_header(body, peer);
  body.put_bytes(update);
  return finish(MessageType::RouteMonitoring, body);
}

base::Bytes encode_statistics(const PeerHeader& peer, const std::vector<Stat>& stats) {
  base::ByteWriter body;
  put_peer_header(body, peer);
  body.put_u32(static_cast<std::uint32_t>(stats.size()));
  for (const auto& stat : stats) {
    // Our counters are 4, 8 or 11 octets (docs/style.md §2.7).
    BGPSEC_CHECK(stat.value.size() <= 0xFFFF, "BMP statistic over 65535 octets");
    body.put_u16(stat.type);
    body.put_u16(static_cast<std::uint16_t>(stat.value.size()));
    body.put_bytes(stat.value);
  }
  return finish(MessageType::StatisticsReport, body);
}

}  // namespace bgpsecd::bmp
