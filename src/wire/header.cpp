// SPDX-License-Identifier: BSD-2-Clause
// BGP message header checks (RFC 4271 §6.1, RFC 8654 §3) and framing.
#include "wire/header.hpp"

#include <string>

#include "base/byte_reader.hpp"
#include "base/check.hpp"

namespace bgpsecd::wire {
namespace {

constexpr std::uint8_t kMarkerOctet = 0xFF;

base::WireError header_error(std::uint8_t subcode, std::uint32_t offset, std::uint32_t length,
                             const char* what) noexcept {
  return base::WireError{base::Action::SessionReset,
                         base::notify::kMessageHeaderError,
                         subcode,
                         offset,
                         length,
                         what,
                         0};
}

base::WireError bad_length(const char* what) noexcept {
  // RFC 4271 §6.1: Bad Message Length, Data = the erroneous Length field.
  return header_error(2, kLengthFieldOffset, 2, what);
}

bool is_known_type(std::uint8_t type) noexcept {
  return type >= static_cast<std::uint8_t>(MessageType::Open) &&
         type <= static_cast<std::uint8_t>(MessageType::RouteRefresh);
}

}  // namespace

const char* message_type_name(MessageType type) noexcept {
  switch (type) {
    case MessageType::Open:
      return "OPEN";
    case MessageType::Update:
      return "UPDATE";
    case MessageType::Notification:
      return "NOTIFICATION";
    case MessageType::Keepalive:
      return "KEEPALIVE";
    case MessageType::RouteRefresh:
      return "ROUTE-REFRESH";
  }
  return "UNKNOWN";
}

std::size_t min_message_size(MessageType type) noexcept {
  // Header plus the fixed part of each body (OpenBGPD MSGSIZE_*; RFC 4271 §4).
  switch (type) {
    case MessageType::Open:
      return kHeaderSize + 10;  // version, my AS, hold time, BGP ID, opt parm len
    case MessageType::Update:
      return kHeaderSize + 4;  // two empty length fields
    case MessageType::Notification:
      return kHeaderSize + 2;  // code, subcode
    case MessageType::Keepalive:
      return kHeaderSize;
    case MessageType::RouteRefresh:
      return kHeaderSize + 4;  // AFI, subtype, SAFI
  }
  return 0;
}

std::size_t max_message_size(MessageType type, std::size_t max_size) noexcept {
  // RFC 8654 §3: the extended limit does not apply to OPEN or KEEPALIVE.
  switch (type) {
    case MessageType::Open:
      return kMaxMessageSize;
    case MessageType::Keepalive:
      return kHeaderSize;
    case MessageType::Update:
    case MessageType::Notification:
    case MessageType::RouteRefresh:
      return max_size;
  }
  return max_size;
}

base::Result<MessageHeader, base::WireError> decode_header(std::span<const std::uint8_t> first19,
                                                           const DecodeContext& ctx) noexcept {
  base::ByteReader r(first19);
  std::span<const std::uint8_t> marker;
  std::uint16_t length = 0;
  std::uint8_t type = 0;
  if (!r.read_bytes(kMarkerSize, marker) || !r.read_u16(length) || !r.read_u8(type)) {
    return base::fail(bad_length("message shorter than the 19-octet header"));
  }
  // RFC 4271 §6.1: the marker must be all ones, else Connection Not Synchronized.
  for (const std::uint8_t octet : marker) {
    if (octet != kMarkerOctet) {
      return base::fail(header_error(1, 0, 0, "marker is not all ones"));
    }
  }
  // RFC 4271 §6.1: Length < 19 or > 4096 (65535 once we advertised extended messages,
  // RFC 8654 §4) is Bad Message Length. Checked before the type, as OpenBGPD does.
  if (length < kHeaderSize || length > ctx.max_message_size()) {
    return base::fail(bad_length("message length out of range"));
  }
  // RFC 4271 §6.1: an unknown Type is Bad Message Type, Data = the Type octet.
  if (!is_known_type(type)) {
    return base::fail(header_error(3, kTypeFieldOffset, 1, "unknown message type"));
  }
  const auto message_type = static_cast<MessageType>(type);
  // RFC 4271 §6.1: a length too small for the type is Bad Message Length; RFC 8654 §3 keeps
  // OPEN at 4096 and KEEPALIVE at exactly 19 even with extended messages.
  if (length < min_message_size(message_type) ||
      length > max_message_size(message_type, ctx.max_message_size())) {
    return base::fail(bad_length("message length wrong for its type"));
  }
  return MessageHeader{length, message_type};
}

base::Result<std::size_t, base::WireError> frame_length(std::span<const std::uint8_t> buffer,
                                                        const DecodeContext& ctx) noexcept {
  if (buffer.size() < kHeaderSize) {
    return std::size_t{0};
  }
  BGPSEC_ASSIGN_OR_RETURN(const MessageHeader header,
                          decode_header(buffer.first(kHeaderSize), ctx));
  if (buffer.size() < header.length) {
    return std::size_t{0};
  }
  return std::size_t{header.length};
}

void encode_header(base::ByteWriter& out, MessageType type) {
  // finish_message finds the Length at offset 16; a non-empty writer is a caller bug.
  BGPSEC_CHECK(out.size() == 0, "encode_header needs an empty writer");
  for (std::size_t i = 0; i < kMarkerSize; ++i) {
    out.put_u8(kMarkerOctet);
  }
  out.put_u16(0);  // patched by finish_message
  out.put_u8(static_cast<std::uint8_t>(type));
}

base::Result<base::Bytes> finish_message(base::ByteWriter& out, const EncodeContext& ctx) {
  base::ByteReader r(out.bytes());
  std::uint8_t type = 0;
  // encode_header wrote 19 octets with a known type; anything else is a caller bug.
  BGPSEC_CHECK(r.skip(kTypeFieldOffset) && r.read_u8(type) && is_known_type(type),
               "finish_message without encode_header");
  const auto message_type = static_cast<MessageType>(type);
  const std::size_t size = out.size();
  const std::size_t max = max_message_size(message_type, ctx.max_message_size());
  if (size < min_message_size(message_type) || size > max) {
    return base::fail(std::string(message_type_name(message_type)) + " message of " +
                      std::to_string(size) + " octets is outside the allowed " +
                      std::to_string(min_message_size(message_type)) + ".." + std::to_string(max) +
                      " octets");
  }
  out.fill_u16(base::ByteWriter::Slot{kLengthFieldOffset}, static_cast<std::uint16_t>(size));
  return out.take();
}

}  // namespace bgpsecd::wire
