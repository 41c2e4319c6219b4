// SPDX-License-Identifier: BSD-2-Clause
// RPKI-to-Router protocol PDUs (RFC 8210 version 1, RFC 6810 version 0, and version 2 of
// draft-ietf-sidrops-8210bis with the ASPA PDU, docs/aspa.md §11; RFC 8210 §5, §12):
// value types for every PDU, a decoder that names the Error Report code to answer with, an
// encoder, and a framer that cuts a TCP byte stream into whole PDUs. Pure functions, no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "base/asn.hpp"
#include "base/bytes.hpp"
#include "base/pdu_stream.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "base/ski.hpp"
#include "crypto/keys.hpp"

namespace bgpsecd::rpki {

inline constexpr std::uint8_t kRtrVersion0 = 0;  // RFC 6810
inline constexpr std::uint8_t kRtrVersion1 = 1;  // RFC 8210
inline constexpr std::uint8_t kRtrVersion2 = 2;  // draft-ietf-sidrops-8210bis (docs/aspa.md §11)
inline constexpr std::uint8_t kRtrMaxVersion = kRtrVersion2;
inline constexpr std::size_t kRtrHeaderSize = 8;
// RFC 8210 fixes no maximum; OpenBGPD and rtrlib refuse PDUs over 64 KiB.
// A Router Key PDU with a P-256 SPKI is 123 octets, so only an Error Report gets near this.
inline constexpr std::uint32_t kRtrMaxPduSize = 65535;

// PDU type codes (RFC 8210 §5). Type 5 is unused; 11 (ASPA) exists only in version 2.
enum class RtrPduType : std::uint8_t {
  SerialNotify = 0,
  SerialQuery = 1,
  ResetQuery = 2,
  CacheResponse = 3,
  Ipv4Prefix = 4,
  Ipv6Prefix = 6,
  EndOfData = 7,
  CacheReset = 8,
  RouterKey = 9,
  ErrorReport = 10,
  Aspa = 11,
};

// Error Report codes (RFC 8210 §12; 9 is new in version 2, docs/aspa.md §11.1).
enum class RtrErrorCode : std::uint16_t {
  CorruptData = 0,
  InternalError = 1,
  NoDataAvailable = 2,
  InvalidRequest = 3,
  UnsupportedProtocolVersion = 4,
  UnsupportedPduType = 5,
  WithdrawalOfUnknownRecord = 6,
  DuplicateAnnouncement = 7,
  UnexpectedProtocolVersion = 8,
  AspaProviderListError = 9,
};

[[nodiscard]] const char* rtr_error_code_name(std::uint16_t code) noexcept;
[[nodiscard]] const char* rtr_pdu_type_name(std::uint8_t type) noexcept;

// What went wrong while decoding, and the Error Report code to send back for it.
struct RtrError {
  RtrErrorCode code = RtrErrorCode::CorruptData;
  std::string message;  // becomes the Error Report's diagnostic text
  friend bool operator==(const RtrError&, const RtrError&) = default;
};

// --- PDU value types. Header octets 2-3 are a Session ID only where a field says so. ---

struct SerialNotifyPdu {  // type 0, cache -> router
  std::uint16_t session_id = 0;
  std::uint32_t serial = 0;
  friend bool operator==(const SerialNotifyPdu&, const SerialNotifyPdu&) = default;
};
struct SerialQueryPdu {  // type 1, router -> cache
  std::uint16_t session_id = 0;
  std::uint32_t serial = 0;
  friend bool operator==(const SerialQueryPdu&, const SerialQueryPdu&) = default;
};
struct ResetQueryPdu {  // type 2, router -> cache
  friend bool operator==(const ResetQueryPdu&, const ResetQueryPdu&) = default;
};
struct CacheResponsePdu {  // type 3
  std::uint16_t session_id = 0;
  friend bool operator==(const CacheResponsePdu&, const CacheResponsePdu&) = default;
};
// Types 4 and 6: the AFI of `prefix` picks the type. Host bits set on the wire are cleared
// (base::Prefix keeps them zero), so such a PDU re-encodes to different but equivalent bytes.
struct PrefixPdu {
  bool announce = true;  // flags bit 0 (RFC 8210 §5.6)
  base::Prefix prefix;
  std::uint8_t max_length = 0;
  base::Asn asn;
  friend bool operator==(const PrefixPdu&, const PrefixPdu&) = default;
};
// Refresh / Retry / Expire in seconds (RFC 8210 §6), defaults for version 0 sessions.
struct RtrIntervals {
  std::uint32_t refresh = 3600;
  std::uint32_t retry = 600;
  std::uint32_t expire = 7200;
  friend bool operator==(const RtrIntervals&, const RtrIntervals&) = default;
};
struct EndOfDataPdu {  // type 7: 24 octets in v1, 12 in v0 (no intervals)
  std::uint16_t session_id = 0;
  std::uint32_t serial = 0;
  // Present when decoded from v1; v1 encoding writes RtrIntervals{} when absent, v0 encoding
  // never writes them.
  std::optional<RtrIntervals> intervals;
  friend bool operator==(const EndOfDataPdu&, const EndOfDataPdu&) = default;
};
struct CacheResetPdu {  // type 8
  friend bool operator==(const CacheResetPdu&, const CacheResetPdu&) = default;
};
struct RouterKeyPdu {  // type 9, version 1 only (RFC 8210 §5.10)
  bool announce = true;
  base::Ski ski;
  base::Asn asn;
  crypto::PublicKey key;  // parsed once from the DER SPKI; the SKI is taken as the cache sent it
  friend bool operator==(const RouterKeyPdu&, const RouterKeyPdu&) = default;
};
struct ErrorReportPdu {    // type 10
  std::uint16_t code = 0;  // raw: codes beyond 9 (later drafts) are carried, not refused
  base::Bytes encapsulated_pdu;
  std::string text;  // UTF-8 per RFC; not checked (StayRTR adds a NUL, which is kept)
  friend bool operator==(const ErrorReportPdu&, const ErrorReportPdu&) = default;
};

// The two wire layouts of the ASPA PDU (docs/aspa.md §11.2): the current draft's, and the
// older one that StayRTR 0.5 sends (flags, AFI and a provider count after the header; a
// withdrawal carries the old provider list; records are per customer and AFI).
enum class AspaPduLayout : std::uint8_t { Current, StayRtr05 };

struct AspaPdu {  // type 11, version 2 only
  bool announce = true;
  base::Asn customer;
  // As on the wire. Current layout: an announcement holds at least one, strictly increasing,
  // and AS 0 only alone; a withdrawal holds none. StayRTR 0.5 layout: as the cache sent them.
  std::vector<base::Asn> providers;
  AspaPduLayout layout = AspaPduLayout::Current;
  // StayRTR 0.5 layout only (0 = IPv4, 1 = IPv6); always 0 in the current layout.
  std::uint8_t afi = 0;
  friend bool operator==(const AspaPdu&, const AspaPdu&) = default;
};

using RtrPdu =
    std::variant<SerialNotifyPdu, SerialQueryPdu, ResetQueryPdu, CacheResponsePdu, PrefixPdu,
                 EndOfDataPdu, CacheResetPdu, RouterKeyPdu, ErrorReportPdu, AspaPdu>;

[[nodiscard]] RtrPduType rtr_pdu_type(const RtrPdu& pdu) noexcept;

// The fixed 8-octet header (RFC 8210 §5.1). `field` is octets 2-3: Session ID, Error Code,
// Flags (octet 2 of a Router Key PDU) or zero.
struct RtrPduHeader {
  std::uint8_t version = 0;
  std::uint8_t type = 0;
  std::uint16_t field = 0;
  std::uint32_t length = 0;
  friend bool operator==(const RtrPduHeader&, const RtrPduHeader&) = default;
};

// Reads the header from the first 8 octets of `bytes` (more may follow). Fails with Corrupt
// Data when fewer than 8 octets are given or the length is below 8 or above kRtrMaxPduSize.
[[nodiscard]] base::Result<RtrPduHeader, RtrError> decode_rtr_header(
    std::span<const std::uint8_t> bytes);

// Decodes exactly one PDU: `pdu` must be the whole PDU (header length == pdu.size()). The
// version in the header selects the layout (End of Data length, Router Key and ASPA allowed).
// Errors:
//   version other than 0/1/2                    -> Unsupported Protocol Version (4)
//   unknown type, Router Key in version 0, ASPA
//   below version 2                             -> Unsupported PDU Type (5)
//   ASPA announcement without providers, or with
//   AS 0 among others, or providers not strictly
//   increasing (current layout)                 -> ASPA Provider List Error (9)
//   length wrong for the type, flags other than
//   0/1, prefix length > max length, max length
//   > 32/128, bad SPKI, lengths inside an Error
//   Report that do not add up                   -> Corrupt Data (0)
// Fields the RFC shows as zero are ignored on receipt.
[[nodiscard]] base::Result<RtrPdu, RtrError> decode_rtr_pdu(std::span<const std::uint8_t> pdu);

// Encodes `pdu` with `version` in its header. Fails (Unsupported Protocol Version /
// Unsupported PDU Type) for a version other than 0/1/2, for a Router Key in version 0 and for
// an ASPA PDU below version 2. An ASPA PDU is written in its `layout`, as given.
[[nodiscard]] base::Result<base::Bytes, RtrError> encode_rtr_pdu(const RtrPdu& pdu,
                                                                 std::uint8_t version);

// Splits a TCP byte stream into PDUs: waits for 8 octets, reads the length, waits for the rest.
// A length below 8 or above kRtrMaxPduSize cannot be framed past, so the error is sticky: the
// connection must be closed (after an Error Report, Corrupt Data).
class RtrFramer {
 public:
  void append(std::span<const std::uint8_t> bytes) { stream_.append(bytes); }
  // The next whole PDU (header included), std::nullopt while incomplete, or the framing error.
  [[nodiscard]] base::Result<std::optional<base::Bytes>, RtrError> next();
  // Octets received but not yet handed out.
  [[nodiscard]] std::size_t buffered() const noexcept { return stream_.buffered(); }
  void reset() noexcept { stream_.reset(); }

 private:
  base::PduStream<RtrError> stream_;
};

}  // namespace bgpsecd::rpki
