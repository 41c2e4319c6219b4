// SPDX-License-Identifier: BSD-2-Clause
// Any BGP message as one value: decode_message checks the header (RFC 4271 §6.1) and hands
// the body to the codec of its type; encode_message and message_to_json go the other way.
// This is what the session feeds framed messages to and what `bgpsec decode` prints.
#pragma once

#include <cstdint>
#include <span>
#include <variant>

#include <nlohmann/json_fwd.hpp>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"
#include "wire/context.hpp"
#include "wire/header.hpp"
#include "wire/keepalive.hpp"
#include "wire/notification.hpp"
#include "wire/open.hpp"
#include "wire/route_refresh.hpp"
#include "wire/update.hpp"

namespace bgpsecd::wire {

// An UPDATE is held with its non-fatal RFC 7606 errors, as decode_update returns it.
using Message = std::variant<OpenMessage, DecodedUpdate, NotificationMessage, KeepaliveMessage,
                             RouteRefreshMessage>;

[[nodiscard]] MessageType message_type(const Message& message) noexcept;

// Decodes one whole message, header included (as framed by frame_length). Errors are the
// header's (decode_header), 1/2 when the span is not exactly the header's Length, and the
// SessionReset errors of the type's codec; offsets are message-relative, so
// notification_from_error(error, whole_message) gives the NOTIFICATION to send.
[[nodiscard]] base::Result<Message, base::WireError> decode_message(
    std::span<const std::uint8_t> whole_message, const DecodeContext& ctx) noexcept;

// The whole message. For an UPDATE, only DecodedUpdate::update is encoded.
[[nodiscard]] base::Result<base::Bytes> encode_message(const Message& message,
                                                       const EncodeContext& ctx);

// The to_json of each type; an UPDATE gets "type":"UPDATE" and, when it had RFC 7606 errors,
// "errors":[{"action","code","subcode","subcode_name","offset","length","what","detail"}].
[[nodiscard]] nlohmann::json message_to_json(const Message& message);

// One RFC 7606 error as JSON: {"action","code","subcode","subcode_name","offset","length",
// "what","detail"} (the elements of message_to_json's "errors").
[[nodiscard]] nlohmann::json wire_error_to_json(const base::WireError& error);

}  // namespace bgpsecd::wire
