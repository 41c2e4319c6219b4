// SPDX-License-Identifier: BSD-2-Clause
// Whole-message dispatch over the per-type codecs.
#include "wire/message.hpp"

#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

namespace bgpsecd::wire {
namespace {

template <class T>
base::Result<Message, base::WireError> as_message(base::Result<T, base::WireError> r) {
  if (!r) {
    return base::fail(r.error());
  }
  return Message{std::move(r).value()};
}

}  // namespace

nlohmann::json wire_error_to_json(const base::WireError& e) {
  return nlohmann::json{{"action", base::action_name(e.action)},
                        {"code", e.code},
                        {"subcode", e.subcode},
                        {"subcode_name", notification_subcode_name(e.code, e.subcode)},
                        {"offset", e.offset},
                        {"length", e.length},
                        {"what", e.what},
                        {"detail", e.detail}};
}

MessageType message_type(const Message& message) noexcept {
  return std::visit(
      [](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, OpenMessage>) {
          return MessageType::Open;
        } else if constexpr (std::is_same_v<T, DecodedUpdate>) {
          return MessageType::Update;
        } else if constexpr (std::is_same_v<T, NotificationMessage>) {
          return MessageType::Notification;
        } else if constexpr (std::is_same_v<T, KeepaliveMessage>) {
          return MessageType::Keepalive;
        } else {
          static_assert(std::is_same_v<T, RouteRefreshMessage>);
          return MessageType::RouteRefresh;
        }
      },
      message);
}

base::Result<Message, base::WireError> decode_message(std::span<const std::uint8_t> whole_message,
                                                      const DecodeContext& ctx) noexcept {
  BGPSEC_ASSIGN_OR_RETURN(const MessageHeader header, decode_header(whole_message, ctx));
  // RFC 4271 §6.1: the Length field must describe the message exactly; a mismatch means the
  // framing and the header disagree.
  if (header.length != whole_message.size()) {
    return base::fail(base::WireError{base::Action::SessionReset, base::notify::kMessageHeaderError,
                                      2, static_cast<std::uint32_t>(kLengthFieldOffset), 2,
                                      "message length disagrees with the framed size", 0});
  }
  const auto body = whole_message.subspan(kHeaderSize);
  switch (header.type) {
    case MessageType::Open:
      return as_message(decode_open(body));
    case MessageType::Update:
      return as_message(decode_update(body, ctx, kHeaderSize));
    case MessageType::Notification:
      return as_message(decode_notification(body));
    case MessageType::Keepalive:
      return as_message(decode_keepalive(body));
    case MessageType::RouteRefresh:
      return as_message(decode_route_refresh(body));
  }
  // decode_header only returns known types.
  return base::fail(base::WireError{base::Action::SessionReset, base::notify::kMessageHeaderError,
                                    3, static_cast<std::uint32_t>(kTypeFieldOffset), 1,
                                    "unknown message type", 0});
}

base::Result<base::Bytes> encode_message(const Message& message, const EncodeContext& ctx) {
  return std::visit(
      [&ctx](const auto& m) -> base::Result<base::Bytes> {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, OpenMessage>) {
          return encode_open(m, ctx);
        } else if constexpr (std::is_same_v<T, DecodedUpdate>) {
          return encode_update(m.update, ctx);
        } else if constexpr (std::is_same_v<T, NotificationMessage>) {
          return encode_notification(m, ctx);
        } else if constexpr (std::is_same_v<T, KeepaliveMessage>) {
          return encode_keepalive();
        } else {
          return encode_route_refresh(m);
        }
      },
      message);
}

nlohmann::json message_to_json(const Message& message) {
  return std::visit(
      [](const auto& m) -> nlohmann::json {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, DecodedUpdate>) {
          nlohmann::json j = update_to_json(m.update);
          j["type"] = "UPDATE";
          if (m.has_errors()) {
            auto errors = nlohmann::json::array();
            for (const auto& e : m.errors) {
              errors.push_back(wire_error_to_json(e));
            }
            j["errors"] = std::move(errors);
          }
          return j;
        } else {
          return to_json(m);
        }
      },
      message);
}

}  // namespace bgpsecd::wire
