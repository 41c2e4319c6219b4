// SPDX-License-Identifier: BSD-2-Clause
// RTR PDU codec (RFC 8210 §5, RFC 6810 §5, version 2 ASPA in docs/aspa.md §11): one descriptor per
// PDU type gives its name and length per version (docs/style.md §2.8); the generic path checks
// version, type and length once, then each type's body is read through base::ByteReader and written
// through base::ByteWriter.
#include "rpki/rtr_pdu.hpp"

#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include "base/byte_reader.hpp"
#include "base/byte_writer.hpp"

namespace bgpsecd::rpki {
namespace {

struct PduSpec {
  std::uint8_t type;
  const char* name;
  std::uint32_t v0_length;  // 0: the type does not exist in version 0
  std::uint32_t v1_length;  // 0: the type does not exist in version 1
  std::uint32_t v2_length;
  bool at_least;  // the length is a minimum (variable-length PDUs)
};

// RFC 8210 §5.2-5.11 (v1), RFC 6810 §5 (v0); version 2 keeps the v1 layouts and adds ASPA
// (docs/aspa.md §11.1).
constexpr PduSpec kPduSpecs[] = {
    {0, "Serial Notify", 12, 12, 12, false}, {1, "Serial Query", 12, 12, 12, false},
    {2, "Reset Query", 8, 8, 8, false},      {3, "Cache Response", 8, 8, 8, false},
    {4, "IPv4 Prefix", 20, 20, 20, false},   {6, "IPv6 Prefix", 32, 32, 32, false},
    {7, "End of Data", 12, 24, 24, false},   {8, "Cache Reset", 8, 8, 8, false},
    {9, "Router Key", 0, 32, 32, true},                                     // + SPKI
    {10, "Error Report", 16, 16, 16, true},  {11, "ASPA", 0, 0, 12, true},  // + providers
};

std::uint32_t spec_length(const PduSpec& spec, std::uint8_t version) noexcept {
  switch (version) {
    case kRtrVersion0:
      return spec.v0_length;
    case kRtrVersion1:
      return spec.v1_length;
    default:
      return spec.v2_length;
  }
}

const PduSpec* find_spec(std::uint8_t type) noexcept {
  for (const auto& spec : kPduSpecs) {
    if (spec.type == type) {
      return &spec;
    }
  }
  return nullptr;
}

tl::unexpected<RtrError> rtr_fail(RtrErrorCode code, std::string message) {
  return base::fail(RtrError{code, std::move(message)});
}

tl::unexpected<RtrError> corrupt(std::string message) {
  return rtr_fail(RtrErrorCode::CorruptData, std::move(message));
}

// RFC 8210 §5.6/§5.10: flags bit 0 is announce (1) or withdraw (0); no other bit is defined.
base::Result<bool, RtrError> decode_flags(std::uint8_t flags, const char* what) {
  if ((flags & 0xFEU) != 0) {
    return corrupt(std::string(what) + ": undefined flag bits set (flags " + std::to_string(flags) +
                   ")");
  }
  return (flags & 0x01U) != 0;
}

base::Result<RtrPdu, RtrError> decode_prefix(base::ByteReader& r, base::Afi afi) {
  const char* what = afi == base::Afi::Ipv4 ? "IPv4 Prefix" : "IPv6 Prefix";
  std::uint8_t flags = 0;
  std::uint8_t length = 0;
  std::uint8_t max_length = 0;
  std::uint8_t zero = 0;
  std::span<const std::uint8_t> address;
  std::uint32_t asn = 0;
  if (!r.read_u8(flags) || !r.read_u8(length) || !r.read_u8(max_length) || !r.read_u8(zero) ||
      !r.read_bytes(base::address_octets(afi), address) || !r.read_u32(asn) || !r.empty()) {
    return corrupt(std::string(what) + ": bad length");
  }
  BGPSEC_ASSIGN_OR_RETURN(const bool announce, decode_flags(flags, what));
  const auto max = base::max_prefix_length(afi);
  // RFC 8210 §5.6/§5.7: Prefix Length and Max Length are 0-32 (IPv4) / 0-128 (IPv6), and
  // Max Length is not below Prefix Length.
  if (max_length > max) {
    return corrupt(std::string(what) + ": max length " + std::to_string(max_length) + " exceeds " +
                   std::to_string(max));
  }
  if (length > max_length) {
    return corrupt(std::string(what) + ": prefix length " + std::to_string(length) +
                   " exceeds max length " + std::to_string(max_length));
  }
  return PrefixPdu{announce, base::Prefix(base::IpAddress(afi, address), length), max_length,
                   base::Asn(asn)};
}

base::Result<RtrPdu, RtrError> decode_router_key(base::ByteReader& r, std::uint16_t field) {
  // RFC 8210 §5.10: header octet 2 is Flags, octet 3 is zero (ignored).
  BGPSEC_ASSIGN_OR_RETURN(const bool announce,
                          decode_flags(static_cast<std::uint8_t>(field >> 8U), "Router Key"));
  std::array<std::uint8_t, base::Ski::kSize> ski{};
  std::uint32_t asn = 0;
  if (!r.read_into(ski) || !r.read_u32(asn)) {
    return corrupt("Router Key: bad length");
  }
  // The SPKI is the rest of the PDU; parse it once here so a bad key is refused on receipt.
  auto key = crypto::PublicKey::from_spki_der(r.rest());
  if (!key) {
    return corrupt("Router Key: bad Subject Public Key Info: " + key.error().message);
  }
  return RouterKeyPdu{announce, base::Ski(ski), base::Asn(asn), std::move(*key)};
}

base::Result<RtrPdu, RtrError> decode_error_report(base::ByteReader& r, std::uint16_t code) {
  // RFC 8210 §5.11: Length of Encapsulated PDU, the PDU, Length of Error Text, the text; the
  // lengths must add up to the PDU length exactly.
  std::uint32_t pdu_length = 0;
  base::ByteReader encapsulated;
  std::uint32_t text_length = 0;
  std::span<const std::uint8_t> text;
  if (!r.read_u32(pdu_length) || !r.sub(pdu_length, encapsulated)) {
    return corrupt("Error Report: encapsulated PDU length exceeds the PDU");
  }
  if (!r.read_u32(text_length) || !r.read_bytes(text_length, text)) {
    return corrupt("Error Report: error text length exceeds the PDU");
  }
  if (!r.empty()) {
    return corrupt("Error Report: octets after the error text");
  }
  const auto enc = encapsulated.rest();
  return ErrorReportPdu{code, base::Bytes(enc.begin(), enc.end()),
                        std::string(text.begin(), text.end())};
}

base::Result<std::vector<base::Asn>, RtrError> read_providers(base::ByteReader& r,
                                                              std::size_t count) {
  std::vector<base::Asn> providers;
  providers.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::uint32_t asn = 0;
    if (!r.read_u32(asn)) {
      return corrupt("ASPA: bad length");
    }
    providers.emplace_back(asn);
  }
  if (!r.empty()) {
    return corrupt("ASPA: octets after the provider list");
  }
  return providers;
}

// docs/aspa.md §11.2: the current layout. Octet 2 is Flags, octet 3 zero; the providers fill
// the rest of the PDU.
base::Result<RtrPdu, RtrError> decode_aspa_current(base::ByteReader& r, std::uint8_t flags,
                                                   std::uint32_t length) {
  BGPSEC_ASSIGN_OR_RETURN(const bool announce, decode_flags(flags, "ASPA"));
  std::uint32_t customer = 0;
  if (!r.read_u32(customer)) {
    return corrupt("ASPA: bad length");
  }
  BGPSEC_ASSIGN_OR_RETURN(auto providers, read_providers(r, (length - 12) / 4));
  if (!announce) {
    // A withdrawal names the customer only; the caller routes longer ones to the old layout.
    if (!providers.empty()) {
      return corrupt("ASPA: withdrawal with a provider list");
    }
    return AspaPdu{false, base::Asn(customer), {}, AspaPduLayout::Current, 0};
  }
  // 8210bis §5.12: an announcement holds at least one provider, AS 0 only on its own, and the
  // providers in strictly increasing order; otherwise error 9.
  if (providers.empty()) {
    return rtr_fail(RtrErrorCode::AspaProviderListError, "ASPA: announcement without providers");
  }
  for (std::size_t i = 0; i < providers.size(); ++i) {
    if (providers.size() > 1 && providers[i].value() == 0) {
      return rtr_fail(
          RtrErrorCode::AspaProviderListError,
          "ASPA: AS 0 beside other providers for customer AS" + base::Asn(customer).to_string());
    }
    if (i > 0 && !(providers[i - 1] < providers[i])) {
      return rtr_fail(RtrErrorCode::AspaProviderListError, "ASPA: providers of customer AS" +
                                                               base::Asn(customer).to_string() +
                                                               " not strictly increasing");
    }
  }
  return AspaPdu{true, base::Asn(customer), std::move(providers), AspaPduLayout::Current, 0};
}

// docs/aspa.md §11.2: StayRTR 0.5's layout. Flags, AFI, provider count, customer, providers.
base::Result<RtrPdu, RtrError> decode_aspa_stayrtr(base::ByteReader& r) {
  std::uint8_t flags = 0;
  std::uint8_t afi = 0;
  std::uint16_t count = 0;
  std::uint32_t customer = 0;
  if (!r.read_u8(flags) || !r.read_u8(afi) || !r.read_u16(count) || !r.read_u32(customer)) {
    return corrupt("ASPA: bad length");
  }
  BGPSEC_ASSIGN_OR_RETURN(const bool announce, decode_flags(flags, "ASPA"));
  BGPSEC_ASSIGN_OR_RETURN(auto providers, read_providers(r, count));
  if (announce && providers.empty()) {
    return rtr_fail(RtrErrorCode::AspaProviderListError, "ASPA: announcement without providers");
  }
  return AspaPdu{announce, base::Asn(customer), std::move(providers), AspaPduLayout::StayRtr05,
                 afi};
}

// docs/aspa.md §11.2: which layout a version 2 ASPA PDU has, from its bytes alone.
base::Result<RtrPdu, RtrError> decode_aspa(base::ByteReader& r, std::span<const std::uint8_t> pdu,
                                           const RtrPduHeader& h) {
  if (h.length % 4 != 0) {
    return corrupt("ASPA PDU length " + std::to_string(h.length) + " is not a multiple of 4");
  }
  const auto flags = static_cast<std::uint8_t>(h.field >> 8U);
  if (flags != 0 || h.length == 12) {
    return decode_aspa_current(r, flags, h.length);
  }
  // Octets 2-3 are zero and the PDU is longer than a current-layout withdrawal: the old layout
  // if its AFI octet and provider count agree with the length.
  base::ByteReader peek(pdu);
  std::uint8_t afi = 0;
  std::uint16_t count = 0;
  const bool old_layout = (h.field & 0xFFU) == 0 && h.length >= 16 && peek.skip(9) &&
                          peek.read_u8(afi) && peek.read_u16(count) && afi <= 1 &&
                          h.length == 16 + 4 * std::uint32_t{count};
  if (!old_layout) {
    return corrupt("ASPA: withdrawal with a provider list");
  }
  return decode_aspa_stayrtr(r);
}

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace

const char* rtr_error_code_name(std::uint16_t code) noexcept {
  switch (code) {
    case 0:
      return "Corrupt Data";
    case 1:
      return "Internal Error";
    case 2:
      return "No Data Available";
    case 3:
      return "Invalid Request";
    case 4:
      return "Unsupported Protocol Version";
    case 5:
      return "Unsupported PDU Type";
    case 6:
      return "Withdrawal of Unknown Record";
    case 7:
      return "Duplicate Announcement Received";
    case 8:
      return "Unexpected Protocol Version";
    case 9:
      return "ASPA Provider List Error";
    default:
      return "Unknown";
  }
}

const char* rtr_pdu_type_name(std::uint8_t type) noexcept {
  const auto* spec = find_spec(type);
  return spec != nullptr ? spec->name : "Unknown";
}

RtrPduType rtr_pdu_type(const RtrPdu& pdu) noexcept {
  return std::visit(Overloaded{
                        [](const SerialNotifyPdu&) { return RtrPduType::SerialNotify; },
                        [](const SerialQueryPdu&) { return RtrPduType::SerialQuery; },
                        [](const ResetQueryPdu&) { return RtrPduType::ResetQuery; },
                        [](const CacheResponsePdu&) { return RtrPduType::CacheResponse; },
                        [](const PrefixPdu& p) {
                          return p.prefix.afi() == base::Afi::Ipv4 ? RtrPduType::Ipv4Prefix
                                                                   : RtrPduType::Ipv6Prefix;
                        },
                        [](const EndOfDataPdu&) { return RtrPduType::EndOfData; },
                        [](const CacheResetPdu&) { return RtrPduType::CacheReset; },
                        [](const RouterKeyPdu&) { return RtrPduType::RouterKey; },
                        [](const ErrorReportPdu&) { return RtrPduType::ErrorReport; },
                        [](const AspaPdu&) { return RtrPduType::Aspa; },
                    },
                    pdu);
}

base::Result<RtrPduHeader, RtrError> decode_rtr_header(std::span<const std::uint8_t> bytes) {
  base::ByteReader r(bytes);
  RtrPduHeader h;
  if (!r.read_u8(h.version) || !r.read_u8(h.type) || !r.read_u16(h.field) ||
      !r.read_u32(h.length)) {
    return corrupt("PDU shorter than the 8-octet header");
  }
  // RFC 8210 §5.1: Length counts the whole PDU, header included.
  if (h.length < kRtrHeaderSize) {
    return corrupt("PDU length " + std::to_string(h.length) + " is below the header size");
  }
  if (h.length > kRtrMaxPduSize) {
    return corrupt("PDU length " + std::to_string(h.length) + " exceeds the limit of " +
                   std::to_string(kRtrMaxPduSize));
  }
  return h;
}

base::Result<RtrPdu, RtrError> decode_rtr_pdu(std::span<const std::uint8_t> pdu) {
  BGPSEC_ASSIGN_OR_RETURN(const RtrPduHeader h, decode_rtr_header(pdu));
  if (h.length != pdu.size()) {
    return corrupt("PDU length field " + std::to_string(h.length) + " but " +
                   std::to_string(pdu.size()) + " octets given");
  }
  // RFC 8210 §7: a version this implementation does not speak.
  if (h.version > kRtrMaxVersion) {
    return rtr_fail(RtrErrorCode::UnsupportedProtocolVersion,
                    "unsupported protocol version " + std::to_string(h.version));
  }
  const auto* spec = find_spec(h.type);
  if (spec == nullptr) {
    return rtr_fail(RtrErrorCode::UnsupportedPduType,
                    "unsupported PDU type " + std::to_string(h.type));
  }
  // RFC 8210 §5.10: Router Key PDUs do not exist in version 0; ASPA PDUs only exist in
  // version 2 (docs/aspa.md §11.1).
  const std::uint32_t expected = spec_length(*spec, h.version);
  if (expected == 0) {
    return rtr_fail(
        RtrErrorCode::UnsupportedPduType,
        std::string(spec->name) + " PDU in protocol version " + std::to_string(h.version));
  }
  if (spec->at_least ? h.length < expected : h.length != expected) {
    return corrupt(std::string(spec->name) + " PDU length " + std::to_string(h.length) +
                   (spec->at_least ? ", expected at least " : ", expected ") +
                   std::to_string(expected));
  }

  base::ByteReader r(pdu);
  if (!r.skip(kRtrHeaderSize)) {
    return corrupt("PDU shorter than the 8-octet header");  // unreachable: checked above
  }
  std::uint32_t serial = 0;
  switch (static_cast<RtrPduType>(h.type)) {
    case RtrPduType::SerialNotify:
      if (!r.read_u32(serial)) {
        return corrupt("Serial Notify: bad length");
      }
      return SerialNotifyPdu{h.field, serial};
    case RtrPduType::SerialQuery:
      if (!r.read_u32(serial)) {
        return corrupt("Serial Query: bad length");
      }
      return SerialQueryPdu{h.field, serial};
    case RtrPduType::ResetQuery:
      return ResetQueryPdu{};
    case RtrPduType::CacheResponse:
      return CacheResponsePdu{h.field};
    case RtrPduType::Ipv4Prefix:
      return decode_prefix(r, base::Afi::Ipv4);
    case RtrPduType::Ipv6Prefix:
      return decode_prefix(r, base::Afi::Ipv6);
    case RtrPduType::EndOfData: {
      EndOfDataPdu eod{h.field, 0, std::nullopt};
      if (!r.read_u32(eod.serial)) {
        return corrupt("End of Data: bad length");
      }
      if (h.version >= kRtrVersion1) {
        // RFC 8210 §5.8: Refresh, Retry and Expire follow the serial in version 1.
        RtrIntervals iv;
        if (!r.read_u32(iv.refresh) || !r.read_u32(iv.retry) || !r.read_u32(iv.expire)) {
          return corrupt("End of Data: bad length");
        }
        eod.intervals = iv;
      }
      return eod;
    }
    case RtrPduType::CacheReset:
      return CacheResetPdu{};
    case RtrPduType::RouterKey:
      return decode_router_key(r, h.field);
    case RtrPduType::ErrorReport:
      return decode_error_report(r, h.field);
    case RtrPduType::Aspa:
      return decode_aspa(r, pdu, h);
  }
  return rtr_fail(RtrErrorCode::UnsupportedPduType,
                  "unsupported PDU type " + std::to_string(h.type));  // unreachable
}

base::Result<base::Bytes, RtrError> encode_rtr_pdu(const RtrPdu& pdu, std::uint8_t version) {
  if (version > kRtrMaxVersion) {
    return rtr_fail(RtrErrorCode::UnsupportedProtocolVersion,
                    "cannot encode protocol version " + std::to_string(version));
  }
  const auto type = rtr_pdu_type(pdu);
  if (type == RtrPduType::RouterKey && version == kRtrVersion0) {
    return rtr_fail(RtrErrorCode::UnsupportedPduType, "Router Key PDU in protocol version 0");
  }
  if (type == RtrPduType::Aspa && version < kRtrVersion2) {
    return rtr_fail(RtrErrorCode::UnsupportedPduType,
                    "ASPA PDU in protocol version " + std::to_string(version));
  }
  base::ByteWriter body;
  std::uint16_t field = 0;
  std::visit(Overloaded{
                 [&](const SerialNotifyPdu& p) {
                   field = p.session_id;
                   body.put_u32(p.serial);
                 },
                 [&](const SerialQueryPdu& p) {
                   field = p.session_id;
                   body.put_u32(p.serial);
                 },
                 [&](const ResetQueryPdu&) {},
                 [&](const CacheResponsePdu& p) { field = p.session_id; },
                 [&](const PrefixPdu& p) {
                   body.put_u8(p.announce ? 1 : 0);
                   body.put_u8(p.prefix.length());
                   body.put_u8(p.max_length);
                   body.put_u8(0);
                   body.put_bytes(p.prefix.address().octets());
                   body.put_u32(p.asn.value());
                 },
                 [&](const EndOfDataPdu& p) {
                   field = p.session_id;
                   body.put_u32(p.serial);
                   if (version >= kRtrVersion1) {
                     const auto iv = p.intervals.value_or(RtrIntervals{});
                     body.put_u32(iv.refresh);
                     body.put_u32(iv.retry);
                     body.put_u32(iv.expire);
                   }
                 },
                 [&](const CacheResetPdu&) {},
                 [&](const RouterKeyPdu& p) {
                   field = p.announce ? 0x0100 : 0x0000;  // flags in octet 2, zero in octet 3
                   body.put_bytes(p.ski.span());
                   body.put_u32(p.asn.value());
                   body.put_bytes(p.key.spki_der());
                 },
                 [&](const ErrorReportPdu& p) {
                   field = p.code;
                   body.put_u32(static_cast<std::uint32_t>(p.encapsulated_pdu.size()));
                   body.put_bytes(p.encapsulated_pdu);
                   body.put_u32(static_cast<std::uint32_t>(p.text.size()));
                   for (const char c : p.text) {
                     body.put_u8(static_cast<std::uint8_t>(c));
                   }
                 },
                 [&](const AspaPdu& p) {
                   // docs/aspa.md §11.2: the layout the PDU was decoded in, or chosen.
                   if (p.layout == AspaPduLayout::Current) {
                     field = p.announce ? 0x0100 : 0x0000;  // flags in octet 2, zero in octet 3
                   } else {
                     body.put_u8(p.announce ? 1 : 0);
                     body.put_u8(p.afi);
                     body.put_u16(static_cast<std::uint16_t>(p.providers.size()));
                   }
                   body.put_u32(p.customer.value());
                   for (const auto& provider : p.providers) {
                     body.put_u32(provider.value());
                   }
                 },
             },
             pdu);
  if (body.size() > std::numeric_limits<std::uint32_t>::max() - kRtrHeaderSize) {
    return rtr_fail(RtrErrorCode::InternalError, "PDU too long to encode");
  }
  base::ByteWriter out;
  out.put_u8(version);
  out.put_u8(static_cast<std::uint8_t>(type));
  out.put_u16(field);
  // RFC 8210 §5.1: the length covers the header; the body is complete, so it is known here.
  out.put_u32(static_cast<std::uint32_t>(kRtrHeaderSize + body.size()));
  out.put_bytes(body.bytes());
  return out.take();
}

base::Result<std::optional<base::Bytes>, RtrError> RtrFramer::next() {
  return stream_.next(
      kRtrHeaderSize,
      [](std::span<const std::uint8_t> header) -> base::Result<std::size_t, RtrError> {
        BGPSEC_ASSIGN_OR_RETURN(const RtrPduHeader h, decode_rtr_header(header));
        return std::size_t{h.length};
      });
}

}  // namespace bgpsecd::rpki
