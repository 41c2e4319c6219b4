// SPDX-License-Identifier: BSD-2-Clause
// SRx proxy PDU decoder: one descriptor per PDU type gives its name and length (docs/style.md
// §2.8); the generic path checks the type and length once, then each type's body is read through
// base::ByteReader. Layouts and the errors chosen are in docs/srx-proxy.md.
#include <algorithm>
#include <string>
#include <utility>

#include "base/byte_reader.hpp"
#include "srx/pdu.hpp"

namespace bgpsecd::srx {
namespace {

struct PduSpec {
  std::uint8_t type;
  const char* name;
  std::uint32_t length;
  bool at_least;  // the length is a minimum (variable-length PDUs)
};

// SRx proxy protocol 3 PDU sizes as the NIST code builds them (not the PDF's: a VERIFY_V4 is
// 60+, a VERIFY_V6 72+, a VERIFY_NOTIFICATION 20 bytes; a HELLO may lack its peer count).
constexpr PduSpec kPduSpecs[] = {
    {0, "HELLO", 20, true},
    {1, "HELLO_RESPONSE", 16, false},
    {2, "GOODBYE", 12, false},
    {3, "VERIFY_V4_REQUEST", kVerifyV4FixedSize, true},
    {4, "VERIFY_V6_REQUEST", kVerifyV6FixedSize, true},
    {5, "SIGN_REQUEST", 24, false},
    {6, "VERIFY_NOTIFICATION", 20, false},
    {7, "SIGN_NOTIFICATION", 20, true},
    {8, "DELETE_UPDATE", 16, false},
    {9, "PEER_CHANGE", 16, false},
    {10, "SYNC_REQUEST", 12, false},
    {11, "ERROR", 12, false},
};

const PduSpec* find_spec(std::uint8_t type) noexcept {
  for (const auto& spec : kPduSpecs) {
    if (spec.type == type) {
      return &spec;
    }
  }
  return nullptr;
}

tl::unexpected<SrxError> invalid(std::string message) {
  return base::fail(SrxError{SrxErrorCode::InvalidPacket, std::move(message)});
}

std::uint16_t field_u16(const SrxPduHeader& h) noexcept {
  return static_cast<std::uint16_t>((h.field[0] << 8U) | h.field[1]);
}

// docs/srx-proxy.md §3: HELLO and HELLO_RESPONSE carry the protocol version in header bytes 1-2;
// a server answers a HELLO of another version with ERROR 0 (wrong version).
base::Result<void, SrxError> check_version(const SrxPduHeader& h, const char* what) {
  const auto version = field_u16(h);
  if (version != kSrxVersion) {
    return base::fail(
        SrxError{SrxErrorCode::WrongVersion,
                 std::string(what) + ": version " + std::to_string(version) + ", expected 3"});
  }
  return {};
}

base::Result<SrxPdu, SrxError> decode_hello(const SrxPduHeader& h, base::ByteReader& r) {
  BGPSEC_TRY(check_version(h, "HELLO"));
  HelloPdu hello;
  if (!r.read_u32(hello.proxy_id) || !r.read_u32(hello.asn)) {
    return invalid("HELLO: shorter than 20 bytes");  // unreachable: length checked
  }
  // docs/srx-proxy.md §2 HELLO: libSRxProxy sizes the HELLO as 20 + 4n: with no peers the noPeers
  // field is missing, with n peers the last one is cut off. The peer data is advisory, so take what
  // is there.
  if (r.read_u32(hello.peer_count)) {
    hello.has_peer_count = true;
    const std::size_t present = std::min<std::size_t>(hello.peer_count, r.remaining() / 4);
    hello.peers.resize(present);
    for (auto& peer : hello.peers) {
      static_cast<void>(r.read_u32(peer));  // cannot fail: `present` entries are there
    }
  }
  return hello;
}

base::Result<SrxPdu, SrxError> decode_hello_response(const SrxPduHeader& h, base::ByteReader& r) {
  BGPSEC_TRY(check_version(h, "HELLO_RESPONSE"));
  HelloResponsePdu p;
  static_cast<void>(r.read_u32(p.proxy_id));  // length checked: 16 bytes
  return p;
}

// docs/srx-proxy.md §2 VERIFY: libSRxProxy's IPv6 request copies the AS path and attribute to
// offset 60 instead of 72 and leaves the SCA_Prefix AFI at 0; the last 12 bytes of such a PDU are
// the untouched zeros.
bool looks_shifted(std::span<const std::uint8_t> pdu, std::uint16_t sca_afi,
                   std::size_t path_data_length) {
  if (path_data_length == 0 || sca_afi != 0) {
    return false;
  }
  const auto tail = pdu.last(12);
  return std::all_of(tail.begin(), tail.end(), [](std::uint8_t b) { return b == 0; });
}

base::Result<SrxPdu, SrxError> decode_verify(const SrxPduHeader& h,
                                             std::span<const std::uint8_t> pdu,
                                             base::ByteReader& r) {
  const bool v6 = h.type == static_cast<std::uint8_t>(SrxPduType::VerifyV6);
  const auto afi = v6 ? base::Afi::Ipv6 : base::Afi::Ipv4;
  const char* what = v6 ? "VERIFY_V6_REQUEST" : "VERIFY_V4_REQUEST";
  const std::size_t fixed = v6 ? kVerifyV6FixedSize : kVerifyV4FixedSize;
  VerifyRequestPdu v;
  v.flags = h.field[0];
  v.roa_source = h.field[1];
  v.bgpsec_source = h.field[2];
  v.aspa_source = static_cast<std::uint8_t>(h.word >> 24U);
  v.as_type = static_cast<std::uint8_t>(h.word >> 8U);
  v.as_rel_type = static_cast<std::uint8_t>(h.word);
  std::array<std::uint8_t, 16> address{};
  std::uint32_t bgpsec_length = 0;
  std::uint16_t num_hops = 0;
  std::uint16_t attr_length = 0;
  if (!r.read_u8(v.roa_default) || !r.read_u8(v.bgpsec_default) || !r.read_u8(v.aspa_default) ||
      !r.read_u8(v.prefix_length) || !r.read_u32(v.request_token) ||
      !r.read_into(std::span(address).first(base::address_octets(afi))) ||
      !r.read_u32(v.origin_as) || !r.read_u32(bgpsec_length) || !r.read_u16(num_hops) ||
      !r.read_u16(attr_length) || !r.read_u16(v.sca_afi) || !r.read_u8(v.sca_safi) ||
      !r.read_u8(v.sca_length) || !r.read_into(v.sca_address) || !r.read_u32(v.local_as)) {
    return invalid(std::string(what) + ": shorter than its fixed part");  // unreachable
  }
  v.prefix_address = base::IpAddress(afi, address);
  if (v.prefix_length > base::max_prefix_length(afi)) {
    return invalid(std::string(what) + ": prefix length " + std::to_string(v.prefix_length) +
                   " beyond the address family");
  }
  // docs/srx-proxy.md §2 VERIFY: the path data is numHops 4-byte ASNs then attrLen bytes;
  // bgpsecLength counts both, and the PDU length is the fixed part plus bgpsecLength. All three
  // must agree.
  const std::size_t path_data_length = std::size_t{4} * num_hops + attr_length;
  if (bgpsec_length != path_data_length) {
    return invalid(std::string(what) + ": bgpsecLength " + std::to_string(bgpsec_length) +
                   " but numHops/attrLen give " + std::to_string(path_data_length));
  }
  if (h.length != fixed + path_data_length) {
    return invalid(std::string(what) + ": length " + std::to_string(h.length) +
                   " but the fixed part and bgpsecLength give " +
                   std::to_string(fixed + path_data_length));
  }
  base::ByteReader data = r;
  if (v6 && looks_shifted(pdu, v.sca_afi, path_data_length)) {
    v.layout = VerifyLayout::ShiftedIpv6;
    // Bytes 60-71 (SCA_Prefix address octets 8-15 and localAS) hold the first path data bytes.
    std::fill(v.sca_address.begin() + 8, v.sca_address.end(), std::uint8_t{0});
    v.local_as = 0;
    data = base::ByteReader(pdu.subspan(kVerifyV4FixedSize), kVerifyV4FixedSize);
  }
  v.as_path.resize(num_hops);
  for (auto& asn : v.as_path) {
    static_cast<void>(data.read_u32(asn));  // cannot fail: the lengths agree
  }
  std::span<const std::uint8_t> attribute;
  static_cast<void>(data.read_bytes(attr_length, attribute));
  v.bgpsec_attribute.assign(attribute.begin(), attribute.end());
  return v;
}

base::Result<SrxPdu, SrxError> decode_sign_notification(base::ByteReader& r) {
  SignNotificationPdu p;
  std::uint32_t bgpsec_length = 0;
  static_cast<void>(r.read_u32(p.update_id));  // length checked: at least 20 bytes
  static_cast<void>(r.read_u32(bgpsec_length));
  if (bgpsec_length != r.remaining()) {
    return invalid("SIGN_NOTIFICATION: bgpsecLength " + std::to_string(bgpsec_length) + " but " +
                   std::to_string(r.remaining()) + " bytes follow");
  }
  const auto rest = r.rest();
  p.signature_data.assign(rest.begin(), rest.end());
  return p;
}

// Every fixed-size body below is read after the length check, so the reads cannot fail.
base::Result<SrxPdu, SrxError> decode_body(const SrxPduHeader& h, std::span<const std::uint8_t> pdu,
                                           base::ByteReader& r) {
  switch (static_cast<SrxPduType>(h.type)) {
    case SrxPduType::Hello:
      return decode_hello(h, r);
    case SrxPduType::HelloResponse:
      return decode_hello_response(h, r);
    case SrxPduType::Goodbye:
      return GoodbyePdu{field_u16(h)};
    case SrxPduType::VerifyV4:
    case SrxPduType::VerifyV6:
      return decode_verify(h, pdu, r);
    case SrxPduType::SignRequest: {
      SignRequestPdu p{field_u16(h), h.field[2], 0, 0, 0};
      static_cast<void>(r.read_u32(p.update_id) && r.read_u32(p.prepend_counter) &&
                        r.read_u32(p.peer_as));
      return p;
    }
    case SrxPduType::VerifyNotification: {
      VerifyNotificationPdu p{
          h.field[0], h.field[1], h.field[2], static_cast<std::uint8_t>(h.word >> 24U), 0, 0};
      static_cast<void>(r.read_u32(p.request_token) && r.read_u32(p.update_id));
      return p;
    }
    case SrxPduType::SignNotification:
      return decode_sign_notification(r);
    case SrxPduType::DeleteUpdate: {
      DeleteUpdatePdu p{field_u16(h), 0};
      static_cast<void>(r.read_u32(p.update_id));
      return p;
    }
    case SrxPduType::PeerChange: {
      // Bytes 1-2 and 4-7 are reserved; libSRxProxy leaves garbage there.
      PeerChangePdu p{h.field[2], 0};
      static_cast<void>(r.read_u32(p.peer_as));
      return p;
    }
    case SrxPduType::SyncRequest:
      return SyncRequestPdu{};
    case SrxPduType::Error:
      return ErrorPdu{field_u16(h)};
  }
  return invalid("unknown PDU type " + std::to_string(h.type));  // unreachable: spec found
}

}  // namespace

const char* srx_error_code_name(std::uint16_t code) noexcept {
  switch (code) {
    case 0:
      return "wrong version";
    case 1:
      return "duplicate proxy id";
    case 2:
      return "invalid packet";
    case 3:
      return "internal error";
    case 4:
      return "algorithm not supported";
    case 5:
      return "update not found";
    default:
      return "unknown";
  }
}

const char* srx_pdu_type_name(std::uint8_t type) noexcept {
  const auto* spec = find_spec(type);
  return spec != nullptr ? spec->name : "UNKNOWN";
}

base::Result<SrxPduHeader, SrxError> decode_srx_header(std::span<const std::uint8_t> bytes) {
  base::ByteReader r(bytes);
  SrxPduHeader h;
  if (!r.read_u8(h.type) || !r.read_into(h.field) || !r.read_u32(h.word) || !r.read_u32(h.length)) {
    return invalid("PDU shorter than the 12-byte header");
  }
  // docs/srx-proxy.md §1: the length counts the whole PDU, header included; no PDU a proxy can
  // build is longer than kSrxMaxPduSize.
  if (h.length < kSrxHeaderSize) {
    return invalid("PDU length " + std::to_string(h.length) + " is below the header size");
  }
  if (h.length > kSrxMaxPduSize) {
    return invalid("PDU length " + std::to_string(h.length) + " exceeds the limit of " +
                   std::to_string(kSrxMaxPduSize));
  }
  return h;
}

base::Result<SrxPdu, SrxError> decode_srx_pdu(std::span<const std::uint8_t> pdu) {
  BGPSEC_ASSIGN_OR_RETURN(const SrxPduHeader h, decode_srx_header(pdu));
  if (h.length != pdu.size()) {
    return invalid("PDU length field " + std::to_string(h.length) + " but " +
                   std::to_string(pdu.size()) + " bytes given");
  }
  const auto* spec = find_spec(h.type);
  if (spec == nullptr) {
    return invalid("unknown PDU type " + std::to_string(h.type));
  }
  if (spec->at_least ? h.length < spec->length : h.length != spec->length) {
    return invalid(std::string(spec->name) + " length " + std::to_string(h.length) +
                   (spec->at_least ? ", expected at least " : ", expected ") +
                   std::to_string(spec->length));
  }
  base::ByteReader r(pdu.subspan(kSrxHeaderSize), kSrxHeaderSize);
  return decode_body(h, pdu, r);
}

}  // namespace bgpsecd::srx
