// SPDX-License-Identifier: BSD-2-Clause
// SRx proxy protocol version 3 PDUs (NIST BGP-SRx; the protocol between a router's SRx proxy and
// an off-router validation server, RFC 8374 §9.3): value types for every PDU, a decoder that
// names the ERROR code a server answers with, and an encoder. Pure functions, no I/O.
// docs/srx-proxy.md describes the layouts, the quirks accepted and the errors sent.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "base/bytes.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"

namespace bgpsecd::srx {

inline constexpr std::uint16_t kSrxVersion = 3;
inline constexpr std::size_t kSrxHeaderSize = 12;
inline constexpr std::size_t kVerifyV4FixedSize = 60;
inline constexpr std::size_t kVerifyV6FixedSize = 72;
// The protocol fixes no maximum. The largest PDU a proxy can build is a VERIFY_V6 with 65535
// AS path entries and a 65535-byte BGPsec_PATH attribute; anything longer is refused.
inline constexpr std::uint32_t kSrxMaxPduSize = kVerifyV6FixedSize + 4 * 65535 + 65535;

enum class SrxPduType : std::uint8_t {
  Hello = 0,
  HelloResponse = 1,
  Goodbye = 2,
  VerifyV4 = 3,
  VerifyV6 = 4,
  SignRequest = 5,
  VerifyNotification = 6,
  SignNotification = 7,
  DeleteUpdate = 8,
  PeerChange = 9,
  SyncRequest = 10,
  Error = 11,
};

// ERROR PDU codes. 0-3 end the session (ERROR, GOODBYE, close); QuaggaSRx also drops its socket
// on 4, and ignores only 5.
enum class SrxErrorCode : std::uint16_t {
  WrongVersion = 0,
  DuplicateProxyId = 1,
  InvalidPacket = 2,
  InternalError = 3,
  AlgorithmNotSupported = 4,
  UpdateNotFound = 5,
};

[[nodiscard]] const char* srx_error_code_name(std::uint16_t code) noexcept;
[[nodiscard]] const char* srx_pdu_type_name(std::uint8_t type) noexcept;

// What went wrong while decoding or encoding, and the ERROR code a server answers it with.
struct SrxError {
  SrxErrorCode code = SrxErrorCode::InvalidPacket;
  std::string message;  // for the log line
  friend bool operator==(const SrxError&, const SrxError&) = default;
};

// VERIFY request flags (header byte 1) and VERIFY_NOTIFICATION result-type bits (byte 1).
inline constexpr std::uint8_t kFlagOrigin = 0x01;
inline constexpr std::uint8_t kFlagPath = 0x02;
inline constexpr std::uint8_t kFlagAspa = 0x04;
inline constexpr std::uint8_t kFlagReceipt = 0x80;

// Result values, one byte each, the same numbering for origin, path and ASPA results.
enum class SrxResult : std::uint8_t {
  Valid = 0,
  NotFound = 1,
  Invalid = 2,
  Undefined = 3,
  DoNotUse = 4,
  Unknown = 5,
  Unverifiable = 6,
};

// Reserved and zero fields are not kept: they are ignored on receipt and sent as zero.

// Type 0, proxy -> server. QuaggaSRx sends 20 bytes with no peer count; libSRxProxy sends
// 20 + 4n bytes with noPeers = n and only n - 1 peers. The decoder keeps what is there.
struct HelloPdu {
  std::uint32_t proxy_id = 0;        // 0 asks the server to assign one
  std::uint32_t asn = 0;             // the router's own AS
  bool has_peer_count = false;       // length >= 24: the noPeers field is present
  std::uint32_t peer_count = 0;      // noPeers as sent (may exceed peers.size())
  std::vector<std::uint32_t> peers;  // at most min(noPeers, (length - 24) / 4) entries
  friend bool operator==(const HelloPdu&, const HelloPdu&) = default;
};
struct HelloResponsePdu {  // type 1, server -> proxy, 16 bytes
  std::uint32_t proxy_id = 0;
  friend bool operator==(const HelloResponsePdu&, const HelloResponsePdu&) = default;
};
struct GoodbyePdu {               // type 2, both directions, 12 bytes
  std::uint16_t keep_window = 0;  // seconds
  friend bool operator==(const GoodbyePdu&, const GoodbyePdu&) = default;
};

// Where a VERIFY_V6's AS path and attribute sit. libSRxProxy copies them to offset 60 (the
// VERIFY_V4 fixed size) instead of 72; such a PDU ends in 12 zero bytes.
enum class VerifyLayout : std::uint8_t { Standard, ShiftedIpv6 };

// Types 3 and 4, proxy -> server; the family of `prefix_address` picks the type.
struct VerifyRequestPdu {
  std::uint8_t flags = 0;  // kFlagOrigin | kFlagPath | kFlagAspa | kFlagReceipt, raw
  std::uint8_t roa_source = 0;
  std::uint8_t bgpsec_source = 0;
  std::uint8_t aspa_source = 0;
  std::uint8_t as_type = 0;      // 1 AS_SET, 2 AS_SEQUENCE, 3 AS_CONFED_SEQUENCE, 4 AS_CONFED_SET
  std::uint8_t as_rel_type = 0;  // 0 unknown, 1 customer, 2 provider, 3 sibling, 4 lateral
  std::uint8_t roa_default = 0;
  std::uint8_t bgpsec_default = 0;
  std::uint8_t aspa_default = 0;
  std::uint8_t prefix_length = 0;
  std::uint32_t request_token = 0;
  base::IpAddress prefix_address;  // as sent, host bits included
  std::uint32_t origin_as = 0;
  // The SCA_Prefix inside the BGPsec request data; QuaggaSRx sends zeros.
  std::uint16_t sca_afi = 0;
  std::uint8_t sca_safi = 0;
  std::uint8_t sca_length = 0;
  std::array<std::uint8_t, 16> sca_address{};  // ShiftedIpv6: octets 8-15 are zero
  std::uint32_t local_as = 0;                  // ShiftedIpv6: zero (overwritten by path data)
  std::vector<std::uint32_t> as_path;          // AS_PATH order, origin last
  base::Bytes bgpsec_attribute;  // the whole BGPsec_PATH attribute incl. flags/type/length
  VerifyLayout layout = VerifyLayout::Standard;
  friend bool operator==(const VerifyRequestPdu&, const VerifyRequestPdu&) = default;
};

struct SignRequestPdu {  // type 5, proxy -> server, 24 bytes
  std::uint16_t algorithm = 0;
  std::uint8_t block_type = 0;
  std::uint32_t update_id = 0;
  std::uint32_t prepend_counter = 0;
  std::uint32_t peer_as = 0;
  friend bool operator==(const SignRequestPdu&, const SignRequestPdu&) = default;
};

// Type 6, server -> proxy, 20 bytes: a receipt (kFlagReceipt, echoes the token) or a result.
// Only the result fields whose bit is set in `result_type` carry meaning.
struct VerifyNotificationPdu {
  std::uint8_t result_type = 0;
  std::uint8_t roa_result = 0;
  std::uint8_t bgpsec_result = 0;
  std::uint8_t aspa_result = 0;
  std::uint32_t request_token = 0;
  std::uint32_t update_id = 0;
  [[nodiscard]] bool is_receipt() const noexcept { return (result_type & kFlagReceipt) != 0; }
  friend bool operator==(const VerifyNotificationPdu&, const VerifyNotificationPdu&) = default;
};

struct SignNotificationPdu {  // type 7, server -> proxy, 20 + n bytes
  std::uint32_t update_id = 0;
  base::Bytes signature_data;
  friend bool operator==(const SignNotificationPdu&, const SignNotificationPdu&) = default;
};
struct DeleteUpdatePdu {  // type 8, proxy -> server, 16 bytes
  std::uint16_t keep_window = 0;
  std::uint32_t update_id = 0;
  friend bool operator==(const DeleteUpdatePdu&, const DeleteUpdatePdu&) = default;
};
struct PeerChangePdu {           // type 9, proxy -> server, 16 bytes
  std::uint8_t change_type = 0;  // 1 add, 0 remove
  std::uint32_t peer_as = 0;
  friend bool operator==(const PeerChangePdu&, const PeerChangePdu&) = default;
};
struct SyncRequestPdu {  // type 10, server -> proxy, 12 bytes
  friend bool operator==(const SyncRequestPdu&, const SyncRequestPdu&) = default;
};
struct ErrorPdu {          // type 11, server -> proxy, 12 bytes
  std::uint16_t code = 0;  // raw: an unknown code is carried, not refused
  friend bool operator==(const ErrorPdu&, const ErrorPdu&) = default;
};

using SrxPdu = std::variant<HelloPdu, HelloResponsePdu, GoodbyePdu, VerifyRequestPdu,
                            SignRequestPdu, VerifyNotificationPdu, SignNotificationPdu,
                            DeleteUpdatePdu, PeerChangePdu, SyncRequestPdu, ErrorPdu>;

[[nodiscard]] SrxPduType srx_pdu_type(const SrxPdu& pdu) noexcept;

// The 12-byte header common to all PDUs.
struct SrxPduHeader {
  std::uint8_t type = 0;
  std::array<std::uint8_t, 3> field{};  // bytes 1-3, type-specific
  std::uint32_t word = 0;               // bytes 4-7, type-specific or zero
  std::uint32_t length = 0;             // bytes 8-11, the whole PDU
  friend bool operator==(const SrxPduHeader&, const SrxPduHeader&) = default;
};

// Reads the header from the first 12 bytes of `bytes` (more may follow). Fails with
// InvalidPacket when fewer than 12 bytes are given, or the length is below 12 or above
// kSrxMaxPduSize.
[[nodiscard]] base::Result<SrxPduHeader, SrxError> decode_srx_header(
    std::span<const std::uint8_t> bytes);

// Decodes exactly one PDU: `pdu` must be the whole PDU (its length field == pdu.size()).
// Errors:
//   HELLO or HELLO_RESPONSE version other than 3                   -> WrongVersion (0)
//   everything else: short or long buffer, length field below 12 or
//   above kSrxMaxPduSize, unknown type, a length wrong for the type,
//   VERIFY lengths that do not add up, prefix length beyond the family -> InvalidPacket (2)
// Reserved and zero fields are ignored.
[[nodiscard]] base::Result<SrxPdu, SrxError> decode_srx_pdu(std::span<const std::uint8_t> pdu);

// Encodes `pdu`. Fails (InternalError) only when a list does not fit its length field (more
// than 65535 AS path entries, an attribute over 65535 bytes, a PDU over kSrxMaxPduSize), for
// HELLO peers without a peer count, and for a ShiftedIpv6 layout the decoder would not
// recognise (not IPv6, SCA AFI not 0, or no path data).
[[nodiscard]] base::Result<base::Bytes, SrxError> encode_srx_pdu(const SrxPdu& pdu);

}  // namespace bgpsecd::srx
