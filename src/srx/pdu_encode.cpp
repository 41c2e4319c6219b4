// SPDX-License-Identifier: BSD-2-Clause
// SRx proxy PDU encoder: each PDU is written through base::ByteWriter as its 12-byte header
// (type, three type-specific bytes, a type-specific word, the total length) and its body.
// Reserved and zero fields are written as zero.
#include <limits>
#include <string>
#include <utility>

#include "base/byte_writer.hpp"
#include "srx/pdu.hpp"

namespace bgpsecd::srx {
namespace {

tl::unexpected<SrxError> internal(std::string message) {
  return base::fail(SrxError{SrxErrorCode::InternalError, std::move(message)});
}

// The parts of a PDU before the length is known.
struct Parts {
  std::array<std::uint8_t, 3> field{};
  std::uint32_t word = 0;
  base::ByteWriter body;
};

void put_u16_field(Parts& p, std::uint16_t v) {
  p.field[0] = static_cast<std::uint8_t>(v >> 8U);
  p.field[1] = static_cast<std::uint8_t>(v);
}

base::Result<void, SrxError> encode_part(const HelloPdu& hello, Parts& p) {
  put_u16_field(p, kSrxVersion);
  p.body.put_u32(hello.proxy_id);
  p.body.put_u32(hello.asn);
  if (hello.has_peer_count) {
    p.body.put_u32(hello.peer_count);
    for (const auto peer : hello.peers) {
      p.body.put_u32(peer);
    }
  } else if (!hello.peers.empty()) {
    return internal("HELLO: peers without a peer count");
  }
  return {};
}

base::Result<void, SrxError> encode_part(const VerifyRequestPdu& v, Parts& p) {
  const bool v6 = v.prefix_address.afi() == base::Afi::Ipv6;
  if (v.as_path.size() > std::numeric_limits<std::uint16_t>::max()) {
    return internal("VERIFY: more than 65535 AS path entries");
  }
  if (v.bgpsec_attribute.size() > std::numeric_limits<std::uint16_t>::max()) {
    return internal("VERIFY: BGPsec attribute longer than 65535 bytes");
  }
  const bool shifted = v.layout == VerifyLayout::ShiftedIpv6;
  // Only a layout the decoder recognises again is written (see looks_shifted in the decoder).
  if (shifted && (!v6 || v.sca_afi != 0 || (v.as_path.empty() && v.bgpsec_attribute.empty()))) {
    return internal("VERIFY: the shifted layout needs IPv6, SCA AFI 0 and path data");
  }
  p.field = {v.flags, v.roa_source, v.bgpsec_source};
  p.word = (std::uint32_t{v.aspa_source} << 24U) | (std::uint32_t{v.as_type} << 8U) | v.as_rel_type;
  auto& b = p.body;
  b.put_u8(v.roa_default);
  b.put_u8(v.bgpsec_default);
  b.put_u8(v.aspa_default);
  b.put_u8(v.prefix_length);
  b.put_u32(v.request_token);
  b.put_bytes(v.prefix_address.octets());
  b.put_u32(v.origin_as);
  const auto path_data_length =
      static_cast<std::uint32_t>(4 * v.as_path.size() + v.bgpsec_attribute.size());
  b.put_u32(path_data_length);
  b.put_u16(static_cast<std::uint16_t>(v.as_path.size()));
  b.put_u16(static_cast<std::uint16_t>(v.bgpsec_attribute.size()));
  b.put_u16(v.sca_afi);
  b.put_u8(v.sca_safi);
  b.put_u8(v.sca_length);
  if (shifted) {
    // libSRxProxy's IPv6 request: the path data starts at offset 60, over SCA_Prefix address
    // octets 8-15 and localAS, and the PDU ends in 12 zero bytes.
    b.put_bytes(std::span<const std::uint8_t>(v.sca_address).first(8));
  } else {
    b.put_bytes(v.sca_address);
    b.put_u32(v.local_as);
  }
  for (const auto asn : v.as_path) {
    b.put_u32(asn);
  }
  b.put_bytes(v.bgpsec_attribute);
  if (shifted) {
    for (int i = 0; i < 12; ++i) {
      b.put_u8(0);
    }
  }
  return {};
}

base::Result<void, SrxError> encode_part(const HelloResponsePdu& x, Parts& p) {
  put_u16_field(p, kSrxVersion);
  p.body.put_u32(x.proxy_id);
  return {};
}

base::Result<void, SrxError> encode_part(const GoodbyePdu& x, Parts& p) {
  put_u16_field(p, x.keep_window);
  return {};
}

base::Result<void, SrxError> encode_part(const SignRequestPdu& x, Parts& p) {
  put_u16_field(p, x.algorithm);
  p.field[2] = x.block_type;
  p.body.put_u32(x.update_id);
  p.body.put_u32(x.prepend_counter);
  p.body.put_u32(x.peer_as);
  return {};
}

base::Result<void, SrxError> encode_part(const VerifyNotificationPdu& x, Parts& p) {
  p.field = {x.result_type, x.roa_result, x.bgpsec_result};
  p.word = std::uint32_t{x.aspa_result} << 24U;
  p.body.put_u32(x.request_token);
  p.body.put_u32(x.update_id);
  return {};
}

base::Result<void, SrxError> encode_part(const SignNotificationPdu& x, Parts& p) {
  p.body.put_u32(x.update_id);
  p.body.put_u32(static_cast<std::uint32_t>(x.signature_data.size()));  // longer: refused below
  p.body.put_bytes(x.signature_data);
  return {};
}

base::Result<void, SrxError> encode_part(const DeleteUpdatePdu& x, Parts& p) {
  put_u16_field(p, x.keep_window);
  p.body.put_u32(x.update_id);
  return {};
}

base::Result<void, SrxError> encode_part(const PeerChangePdu& x, Parts& p) {
  p.field[2] = x.change_type;
  p.body.put_u32(x.peer_as);
  return {};
}

base::Result<void, SrxError> encode_part(const SyncRequestPdu&, Parts&) { return {}; }

base::Result<void, SrxError> encode_part(const ErrorPdu& x, Parts& p) {
  put_u16_field(p, x.code);
  return {};
}

}  // namespace

SrxPduType srx_pdu_type(const SrxPdu& pdu) noexcept {
  if (const auto* v = std::get_if<VerifyRequestPdu>(&pdu)) {
    return v->prefix_address.afi() == base::Afi::Ipv6 ? SrxPduType::VerifyV6 : SrxPduType::VerifyV4;
  }
  // The variant's alternatives follow the type codes, with VERIFY_V4/V6 sharing one.
  constexpr SrxPduType kByIndex[] = {
      SrxPduType::Hello,
      SrxPduType::HelloResponse,
      SrxPduType::Goodbye,
      SrxPduType::VerifyV4,
      SrxPduType::SignRequest,
      SrxPduType::VerifyNotification,
      SrxPduType::SignNotification,
      SrxPduType::DeleteUpdate,
      SrxPduType::PeerChange,
      SrxPduType::SyncRequest,
      SrxPduType::Error,
  };
  static_assert(std::size(kByIndex) == std::variant_size_v<SrxPdu>);
  return kByIndex[pdu.index()];
}

base::Result<base::Bytes, SrxError> encode_srx_pdu(const SrxPdu& pdu) {
  Parts parts;
  BGPSEC_TRY(std::visit([&](const auto& x) { return encode_part(x, parts); }, pdu));
  // Never write what the decoder refuses.
  if (parts.body.size() > kSrxMaxPduSize - kSrxHeaderSize) {
    return internal("PDU longer than " + std::to_string(kSrxMaxPduSize) + " bytes");
  }
  base::ByteWriter out;
  out.put_u8(static_cast<std::uint8_t>(srx_pdu_type(pdu)));
  out.put_bytes(parts.field);
  out.put_u32(parts.word);
  // The length covers the whole PDU; the body is complete, so it is known here.
  out.put_u32(static_cast<std::uint32_t>(kSrxHeaderSize + parts.body.size()));
  out.put_bytes(parts.body.bytes());
  return out.take();
}

}  // namespace bgpsecd::srx
