// SPDX-License-Identifier: BSD-2-Clause
// The NOTIFICATION message (RFC 4271 §4.5): codec, the names of codes and subcodes for logs
// and JSON, and the bridge from a codec's base::WireError to the NOTIFICATION to send.
#pragma once

#include <cstdint>
#include <span>

#include <nlohmann/json_fwd.hpp>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"
#include "wire/context.hpp"

namespace bgpsecd::wire {

struct NotificationMessage {
  std::uint8_t code = 0;
  std::uint8_t subcode = 0;
  base::Bytes data;
  friend bool operator==(const NotificationMessage&, const NotificationMessage&) = default;
};

// Decodes a NOTIFICATION body (after the header). A body shorter than code + subcode is
// 1/2 at the header Length field (the header check normally catches it first).
[[nodiscard]] base::Result<NotificationMessage, base::WireError> decode_notification(
    std::span<const std::uint8_t> body) noexcept;

// The whole message. Never fails: a NOTIFICATION must always be sendable, so data that
// would take the message over ctx.max_message_size() is cut to fit.
[[nodiscard]] base::Bytes encode_notification(const NotificationMessage& n,
                                              const EncodeContext& ctx);

// Human names: "Cease", "Administrative Shutdown" (RFC 4271 §4.5, RFC 4486 / RFC 8538 Cease
// subcodes 1-9, RFC 6608 FSM subcodes, RFC 7313 code 7). Unknown values give "Unknown".
[[nodiscard]] const char* notification_code_name(std::uint8_t code) noexcept;
[[nodiscard]] const char* notification_subcode_name(std::uint8_t code,
                                                    std::uint8_t subcode) noexcept;

// The NOTIFICATION answering `error` (meant for Action::SessionReset) found while decoding
// `message` (the whole message, header included): data = message[offset, offset+length),
// clipped to the message. RFC 4271 §6.2: for 2/1 (Unsupported Version Number) the data is
// instead the 2-octet version we support, 4.
[[nodiscard]] NotificationMessage notification_from_error(const base::WireError& error,
                                                          std::span<const std::uint8_t> message);

// {"type":"NOTIFICATION","code":6,"code_name":"Cease","subcode":2,
//  "subcode_name":"Administrative Shutdown","data":"<hex>"}; for Cease 2/4 an RFC 9003
// shutdown communication in printable ASCII is added as "shutdown_communication".
[[nodiscard]] nlohmann::json to_json(const NotificationMessage& n);

}  // namespace bgpsecd::wire
