// SPDX-License-Identifier: BSD-2-Clause
// NOTIFICATION codec, code/subcode names and WireError -> NOTIFICATION.
#include "wire/notification.hpp"

#include <algorithm>
#include <array>
#include <string>

#include <nlohmann/json.hpp>

#include "base/byte_reader.hpp"
#include "base/byte_writer.hpp"
#include "base/check.hpp"
#include "base/hex.hpp"
#include "wire/header.hpp"

namespace bgpsecd::wire {
namespace {

struct CodeName {
  std::uint8_t code;
  const char* name;
};

struct SubcodeName {
  std::uint8_t code;
  std::uint8_t subcode;
  const char* name;
};

constexpr std::array<CodeName, 7> kCodeNames{{
    {1, "Message Header Error"},
    {2, "OPEN Message Error"},
    {3, "UPDATE Message Error"},
    {4, "Hold Timer Expired"},
    {5, "Finite State Machine Error"},
    {6, "Cease"},
    {7, "ROUTE-REFRESH Message Error"},  // RFC 7313 §5
}};

constexpr std::array<SubcodeName, 37> kSubcodeNames{{
    // RFC 4271 §4.5
    {1, 1, "Connection Not Synchronized"},
    {1, 2, "Bad Message Length"},
    {1, 3, "Bad Message Type"},
    {2, 1, "Unsupported Version Number"},
    {2, 2, "Bad Peer AS"},
    {2, 3, "Bad BGP Identifier"},
    {2, 4, "Unsupported Optional Parameter"},
    {2, 5, "Authentication Failure (deprecated)"},
    {2, 6, "Unacceptable Hold Time"},
    {2, 7, "Unsupported Capability"},  // RFC 5492 §5
    {2, 11, "Role Mismatch"},          // RFC 9234 §4.2
    {3, 1, "Malformed Attribute List"},
    {3, 2, "Unrecognized Well-known Attribute"},
    {3, 3, "Missing Well-known Attribute"},
    {3, 4, "Attribute Flags Error"},
    {3, 5, "Attribute Length Error"},
    {3, 6, "Invalid ORIGIN Attribute"},
    {3, 7, "AS Routing Loop (deprecated)"},
    {3, 8, "Invalid NEXT_HOP Attribute"},
    {3, 9, "Optional Attribute Error"},
    {3, 10, "Invalid Network Field"},
    {3, 11, "Malformed AS_PATH"},
    // RFC 6608 §4
    {5, 0, "Unspecified Error"},
    {5, 1, "Receive Unexpected Message in OpenSent State"},
    {5, 2, "Receive Unexpected Message in OpenConfirm State"},
    {5, 3, "Receive Unexpected Message in Established State"},
    // RFC 4486 §4, RFC 8538 §5 (Hard Reset)
    {6, 1, "Maximum Number of Prefixes Reached"},
    {6, 2, "Administrative Shutdown"},
    {6, 3, "Peer De-configured"},
    {6, 4, "Administrative Reset"},
    {6, 5, "Connection Rejected"},
    {6, 6, "Other Configuration Change"},
    {6, 7, "Connection Collision Resolution"},
    {6, 8, "Out of Resources"},
    {6, 9, "Hard Reset"},
    // RFC 7313 §5
    {7, 0, "Reserved"},
    {7, 1, "Invalid Message Length"},
}};

constexpr std::uint8_t kCeaseAdministrativeShutdown = 2;
constexpr std::uint8_t kCeaseAdministrativeReset = 4;

// RFC 9003 §2: Shutdown Communication = Length (1) || UTF-8 text. Shown only when it is
// plain printable ASCII, so the JSON stays valid whatever a peer sends.
bool shutdown_text(const base::Bytes& data, std::string& out) {
  base::ByteReader r(data);
  std::uint8_t length = 0;
  std::span<const std::uint8_t> text;
  if (!r.read_u8(length) || length == 0 || !r.read_bytes(length, text) || !r.empty()) {
    return false;
  }
  for (const std::uint8_t c : text) {
    if (c < 0x20 || c > 0x7E) {
      return false;
    }
    out.push_back(static_cast<char>(c));
  }
  return true;
}

}  // namespace

base::Result<NotificationMessage, base::WireError> decode_notification(
    std::span<const std::uint8_t> body) noexcept {
  base::ByteReader r(body, kHeaderSize);
  NotificationMessage n;
  if (!r.read_u8(n.code) || !r.read_u8(n.subcode)) {
    // RFC 4271 §6.1: shorter than 21 octets is a Bad Message Length.
    return base::fail(base::WireError{base::Action::SessionReset, base::notify::kMessageHeaderError,
                                      2, static_cast<std::uint32_t>(kLengthFieldOffset), 2,
                                      "NOTIFICATION shorter than code and subcode", 0});
  }
  const auto rest = r.rest();
  n.data.assign(rest.begin(), rest.end());
  return n;
}

base::Bytes encode_notification(const NotificationMessage& n, const EncodeContext& ctx) {
  const std::size_t room = ctx.max_message_size() - min_message_size(MessageType::Notification);
  base::ByteWriter w;
  encode_header(w, MessageType::Notification);
  w.put_u8(n.code);
  w.put_u8(n.subcode);
  w.put_bytes(std::span<const std::uint8_t>(n.data).first(std::min(room, n.data.size())));
  auto bytes = finish_message(w, ctx);
  // The data was cut to fit the limit above, so the size is always within bounds.
  BGPSEC_CHECK(bytes.has_value(), "NOTIFICATION does not fit");
  return std::move(bytes).value();
}

const char* notification_code_name(std::uint8_t code) noexcept {
  for (const auto& c : kCodeNames) {
    if (c.code == code) {
      return c.name;
    }
  }
  return "Unknown";
}

const char* notification_subcode_name(std::uint8_t code, std::uint8_t subcode) noexcept {
  for (const auto& s : kSubcodeNames) {
    if (s.code == code && s.subcode == subcode) {
      return s.name;
    }
  }
  // RFC 4271 §4.5: subcode 0 (Unspecific) is used when no specific subcode applies.
  return subcode == 0 ? "Unspecific" : "Unknown";
}

NotificationMessage notification_from_error(const base::WireError& error,
                                            std::span<const std::uint8_t> message) {
  NotificationMessage n{error.code, error.subcode, {}};
  if (error.code == base::notify::kOpenMessageError && error.subcode == 1) {
    // RFC 4271 §6.2: Data = the largest locally supported version, as 2 octets.
    n.data = {0x00, 0x04};
    return n;
  }
  base::ByteReader r(message);
  std::span<const std::uint8_t> bad;
  if (error.offset <= message.size() && r.skip(error.offset) &&
      r.read_bytes(std::min<std::size_t>(error.length, r.remaining()), bad)) {
    n.data.assign(bad.begin(), bad.end());
  }
  return n;
}

nlohmann::json to_json(const NotificationMessage& n) {
  nlohmann::json j{{"type", "NOTIFICATION"},
                   {"code", n.code},
                   {"code_name", notification_code_name(n.code)},
                   {"subcode", n.subcode},
                   {"subcode_name", notification_subcode_name(n.code, n.subcode)},
                   {"data", base::to_hex(n.data)}};
  std::string text;
  if (n.code == base::notify::kCease &&
      (n.subcode == kCeaseAdministrativeShutdown || n.subcode == kCeaseAdministrativeReset) &&
      shutdown_text(n.data, text)) {
    j["shutdown_communication"] = text;
  }
  return j;
}

}  // namespace bgpsecd::wire
