// SPDX-License-Identifier: BSD-2-Clause
// The 19-octet BGP message header (RFC 4271 §4.1): decoding with every RFC 4271 §6.1 check,
// framing of a byte stream into messages for the session, and writing a header whose length
// is patched once the body is known.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/byte_writer.hpp"
#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"
#include "wire/context.hpp"

namespace bgpsecd::wire {

enum class MessageType : std::uint8_t {
  Open = 1,
  Update = 2,
  Notification = 3,
  Keepalive = 4,
  RouteRefresh = 5,  // RFC 2918
};
// "OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE", "ROUTE-REFRESH"; "UNKNOWN" otherwise.
[[nodiscard]] const char* message_type_name(MessageType type) noexcept;

inline constexpr std::size_t kMarkerSize = 16;
inline constexpr std::size_t kLengthFieldOffset = 16;  // the 2-octet Length after the marker
inline constexpr std::size_t kTypeFieldOffset = 18;

// Smallest legal total length per type (RFC 4271 §4, RFC 2918 §3); 0 for unknown types.
[[nodiscard]] std::size_t min_message_size(MessageType type) noexcept;
// Largest legal total length per type: OPEN stays <= 4096 and KEEPALIVE is exactly 19 even
// with extended messages (RFC 8654 §3); the rest follow `max_size` (4096 or 65535).
[[nodiscard]] std::size_t max_message_size(MessageType type, std::size_t max_size) noexcept;

struct MessageHeader {
  std::uint16_t length = 0;  // total, header included
  MessageType type = MessageType::Keepalive;
  friend bool operator==(const MessageHeader&, const MessageHeader&) = default;
};

// Checks the first 19 octets of a message (RFC 4271 §6.1). Every error is SessionReset:
//   marker not all ones                    -> 1/1, offset 0, length 0 (RFC 4271 defines no data)
//   length < 19, > ctx.max_message_size(), or outside the per-type bounds
//                                          -> 1/2, offset 16, length 2 (data = the Length field)
//   unknown type                           -> 1/3, offset 18, length 1 (data = the Type octet)
// Fewer than 19 octets is reported as 1/2 as well (the caller framed a truncated message).
[[nodiscard]] base::Result<MessageHeader, base::WireError> decode_header(
    std::span<const std::uint8_t> first19, const DecodeContext& ctx) noexcept;

// Framing for the session's receive buffer: 0 while fewer than 19 octets, or fewer than the
// whole first message, are buffered; otherwise the total length of the first message. The
// header is validated as soon as 19 octets are there, so a bad header fails early instead
// of waiting for a length that will never come.
[[nodiscard]] base::Result<std::size_t, base::WireError> frame_length(
    std::span<const std::uint8_t> buffer, const DecodeContext& ctx) noexcept;

// Writes marker, a placeholder Length and the Type. `out` must be empty: finish_message
// finds the header at offset 0.
void encode_header(base::ByteWriter& out, MessageType type);
// Fills in the Length of a message begun with encode_header and hands back its bytes. Fails
// (and leaves `out` untouched) when the message is outside the bounds for its type, e.g. an
// OPEN over 4096 octets or an UPDATE over 4096 octets when the peer did not advertise
// extended messages (RFC 8654 §4).
[[nodiscard]] base::Result<base::Bytes> finish_message(base::ByteWriter& out,
                                                       const EncodeContext& ctx);

}  // namespace bgpsecd::wire
