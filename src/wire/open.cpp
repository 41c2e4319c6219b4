// SPDX-License-Identifier: BSD-2-Clause
// OPEN codec (RFC 4271 §4.2, §6.2; RFC 5492; RFC 9072) and its JSON form.
#include "wire/open.hpp"

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/byte_reader.hpp"
#include "base/byte_writer.hpp"
#include "base/hex.hpp"
#include "base/prefix.hpp"
#include "wire/header.hpp"

namespace bgpsecd::wire {
namespace {

// Message offsets of the fixed OPEN fields (RFC 4271 §4.2).
constexpr std::size_t kVersionOffset = kHeaderSize;
constexpr std::size_t kHoldTimeOffset = kHeaderSize + 3;
constexpr std::size_t kBgpIdOffset = kHeaderSize + 5;
constexpr std::size_t kOptParmLenOffset = kHeaderSize + 9;

constexpr std::size_t kClassicParamMax = 255;     // one-octet lengths
constexpr std::size_t kExtendedParamMax = 65535;  // RFC 9072 two-octet lengths

base::WireError open_error(std::uint8_t subcode, std::size_t offset, std::size_t length,
                           const char* what) noexcept {
  return base::WireError{base::Action::SessionReset,
                         base::notify::kOpenMessageError,
                         subcode,
                         static_cast<std::uint32_t>(offset),
                         static_cast<std::uint32_t>(length),
                         what,
                         0};
}

// Walks the optional parameters (already cut to their declared total length).
base::Result<void, base::WireError> decode_params(base::ByteReader params, bool extended,
                                                  OpenMessage& m) noexcept {
  while (!params.empty()) {
    const std::size_t offset = params.offset();
    const std::size_t left = params.remaining();
    std::uint8_t type = 0;
    std::uint16_t length = 0;
    std::uint8_t length8 = 0;
    // RFC 9072 §2: with the extended format every Parameter Length has two octets.
    const bool header_ok =
        params.read_u8(type) && (extended ? params.read_u16(length) : params.read_u8(length8));
    if (!header_ok) {
      return base::fail(open_error(0, offset, left, "optional parameter header truncated"));
    }
    if (!extended) {
      length = length8;
    }
    base::ByteReader value;
    if (!params.sub(length, value)) {
      return base::fail(open_error(0, offset + 1, extended ? 2 : 1,
                                   "optional parameter length overruns Opt Parm Len"));
    }
    // RFC 4271 §6.2: an unrecognised optional parameter is Unsupported Optional Parameter.
    // RFC 5492 §4: capabilities are type 2; type 1 (Authentication) is deprecated.
    if (type != kOptParamCapabilities) {
      return base::fail(open_error(4, offset, 1, "unsupported optional parameter"));
    }
    BGPSEC_TRY(decode_capabilities(value, m.capabilities));
  }
  return {};
}

struct EncodedParam {
  std::uint8_t type;
  base::Bytes value;
};

// Capabilities packed into type-2 parameters of at most 255 octets, then other_params.
// Packing in order keeps the capabilities' wire order; a capability too long for 255
// octets gets a parameter of its own (only the RFC 9072 format can carry it).
base::Result<std::vector<EncodedParam>> build_params(const OpenMessage& m) {
  constexpr std::size_t max = kClassicParamMax;
  std::vector<EncodedParam> params;
  base::ByteWriter current;
  for (const auto& cap : m.capabilities) {
    base::ByteWriter one;
    BGPSEC_TRY(encode_capability(cap, one));
    if (current.size() + one.size() > max && current.size() > 0) {
      params.push_back({kOptParamCapabilities, current.take()});
      current = base::ByteWriter();
    }
    current.put_bytes(one.bytes());
  }
  if (current.size() > 0) {
    params.push_back({kOptParamCapabilities, current.take()});
  }
  for (const auto& p : m.other_params) {
    params.push_back({p.type, p.value});
  }
  return params;
}

bool fits_classic(const std::vector<EncodedParam>& params) noexcept {
  std::size_t total = 0;
  for (const auto& p : params) {
    if (p.value.size() > kClassicParamMax) {
      return false;
    }
    total += 2 + p.value.size();
  }
  return total <= kClassicParamMax;
}

}  // namespace

base::Result<OpenMessage, base::WireError> decode_open(
    std::span<const std::uint8_t> body) noexcept {
  base::ByteReader r(body, kHeaderSize);
  OpenMessage m;
  std::uint8_t opt_len = 0;
  if (!r.read_u8(m.version) || !r.read_u16(m.my_as) || !r.read_u16(m.hold_time) ||
      !r.read_u32(m.bgp_id) || !r.read_u8(opt_len)) {
    // RFC 4271 §6.1: an OPEN shorter than 29 octets has a Bad Message Length.
    return base::fail(base::WireError{base::Action::SessionReset, base::notify::kMessageHeaderError,
                                      2, static_cast<std::uint32_t>(kLengthFieldOffset), 2,
                                      "OPEN shorter than its fixed fields", 0});
  }
  // RFC 4271 §6.2: Unsupported Version Number.
  if (m.version != kBgpVersion) {
    return base::fail(open_error(1, kVersionOffset, 1, "unsupported BGP version"));
  }
  // RFC 4271 §6.2: a Hold Time of one or two seconds must be rejected.
  if (m.hold_time == 1 || m.hold_time == 2) {
    return base::fail(open_error(6, kHoldTimeOffset, 2, "unacceptable hold time"));
  }
  // RFC 6286 §2.1: the BGP Identifier is a non-zero 4-octet value.
  if (m.bgp_id == 0) {
    return base::fail(open_error(3, kBgpIdOffset, 4, "BGP identifier is zero"));
  }
  std::size_t params_len = opt_len;
  std::size_t len_offset = kOptParmLenOffset;
  std::size_t len_width = 1;
  bool extended = false;
  std::uint8_t first_type = 0;
  // RFC 9072 §2: Non-Ext OP Len 255 followed by Non-Ext OP Type 255 announces a 2-octet
  // Extended Opt. Parm. Length and 2-octet parameter lengths.
  if (opt_len == kOptParamExtended && r.peek_u8(first_type) && first_type == kOptParamExtended) {
    std::uint16_t ext_len = 0;
    if (!r.skip(1) || !r.read_u16(ext_len)) {
      return base::fail(
          open_error(0, kOptParmLenOffset, 1, "extended optional parameter length truncated"));
    }
    extended = true;
    params_len = ext_len;
    len_offset = kOptParmLenOffset + 2;
    len_width = 2;
  }
  // RFC 4271 §4.2: the parameters fill the rest of the message exactly.
  base::ByteReader params;
  if (r.remaining() != params_len || !r.sub(params_len, params)) {
    return base::fail(open_error(0, len_offset, len_width,
                                 "optional parameter length disagrees with message length"));
  }
  BGPSEC_TRY(decode_params(params, extended, m));
  return m;
}

base::Result<base::Bytes> encode_open(const OpenMessage& open, const EncodeContext& ctx) {
  base::ByteWriter w;
  encode_header(w, MessageType::Open);
  w.put_u8(open.version);
  w.put_u16(open.my_as);
  w.put_u16(open.hold_time);
  w.put_u32(open.bgp_id);
  BGPSEC_ASSIGN_OR_RETURN(auto params, build_params(open));
  if (fits_classic(params)) {
    const auto len = w.reserve_u8();
    for (const auto& p : params) {
      w.put_u8(p.type);
      w.put_u8(static_cast<std::uint8_t>(p.value.size()));
      w.put_bytes(p.value);
    }
    w.fill_u8(len, static_cast<std::uint8_t>(w.since(len, 1)));
  } else {
    // RFC 9072 §2: too much for one-octet lengths, so use the extended format. The
    // parameters stay split at 255 octets (a capability longer than that gets its own).
    w.put_u8(kOptParamExtended);
    w.put_u8(kOptParamExtended);
    const auto len = w.reserve_u16();
    for (const auto& p : params) {
      if (p.value.size() > kExtendedParamMax) {
        return base::fail("OPEN optional parameter too long");
      }
      w.put_u8(p.type);
      w.put_u16(static_cast<std::uint16_t>(p.value.size()));
      w.put_bytes(p.value);
      // Stop before the 2-octet length would wrap; finish_message rejects the size anyway.
      if (w.since(len, 2) > kExtendedParamMax) {
        return base::fail("OPEN optional parameters exceed 65535 octets");
      }
    }
    w.fill_u16(len, static_cast<std::uint16_t>(w.since(len, 2)));
  }
  return finish_message(w, ctx);
}

base::Asn speaker_as(const OpenMessage& open) noexcept {
  // RFC 6793 §3: the 4-octet AS capability carries the real AS; My AS may be AS_TRANS.
  if (const auto* four = find_capability<FourOctetAsCap>(open)) {
    return four->asn;
  }
  return base::Asn(open.my_as);
}

OpenMessage make_open(base::Asn local_as, std::uint16_t hold_time, std::uint32_t bgp_id,
                      std::vector<Capability> capabilities) {
  OpenMessage m;
  // RFC 6793 §9: an AS that does not fit two octets is sent as AS_TRANS in My AS.
  m.my_as = static_cast<std::uint16_t>(local_as.value() > 0xFFFF ? base::kAsTrans.value()
                                                                 : local_as.value());
  m.hold_time = hold_time;
  m.bgp_id = bgp_id;
  m.capabilities = std::move(capabilities);
  if (find_capability<FourOctetAsCap>(m) == nullptr) {
    m.capabilities.insert(m.capabilities.begin(), Capability{FourOctetAsCap{local_as}});
  }
  return m;
}

nlohmann::json to_json(const OpenMessage& open) {
  auto caps = nlohmann::json::array();
  for (const auto& cap : open.capabilities) {
    caps.push_back(to_json(cap));
  }
  nlohmann::json j{{"type", "OPEN"},
                   {"version", open.version},
                   {"my_as", open.my_as},
                   {"hold_time", open.hold_time},
                   {"bgp_id", base::IpAddress::v4(open.bgp_id).to_string()},
                   {"speaker_as", speaker_as(open).value()},
                   {"capabilities", std::move(caps)}};
  if (!open.other_params.empty()) {
    auto others = nlohmann::json::array();
    for (const auto& p : open.other_params) {
      others.push_back({{"type", p.type}, {"value", base::to_hex(p.value)}});
    }
    j["other_params"] = std::move(others);
  }
  return j;
}

}  // namespace bgpsecd::wire
