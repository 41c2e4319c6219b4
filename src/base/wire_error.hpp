// SPDX-License-Identifier: BSD-2-Clause
// A wire error says what is wrong and what RFC 7606 says to do about it (docs/style.md §2.5).
// The codec decides the action; the session or RIB carries it out (NOTIFICATION, withdraw,
// drop the attribute). Small and allocation-free.
#pragma once

#include <cstdint>

namespace bgpsecd::base {

// RFC 7606 §2 actions, weakest first: when one UPDATE has several errors the strongest wins
// (RFC 7606 §3(h)), so the enumerators are ordered and comparable.
enum class Action : std::uint8_t {
  AttributeDiscard = 0,  // drop the attribute, keep the route
  TreatAsWithdraw = 1,   // handle every prefix of the UPDATE as withdrawn; session stays up
  AfiSafiDisable = 2,    // RFC 4760 §7 / RFC 7606 §2
  SessionReset = 3,      // send NOTIFICATION(code, subcode, data) and close
};

[[nodiscard]] const char* action_name(Action a) noexcept;

// NOTIFICATION error codes (RFC 4271 §4.5).
namespace notify {
inline constexpr std::uint8_t kMessageHeaderError = 1;
inline constexpr std::uint8_t kOpenMessageError = 2;
inline constexpr std::uint8_t kUpdateMessageError = 3;
inline constexpr std::uint8_t kHoldTimerExpired = 4;
inline constexpr std::uint8_t kFsmError = 5;
inline constexpr std::uint8_t kCease = 6;
inline constexpr std::uint8_t kRouteRefreshError = 7;  // RFC 7313
}  // namespace notify

struct WireError {
  Action action = Action::SessionReset;
  std::uint8_t code = 0;     // NOTIFICATION code, meaningful when action == SessionReset
  std::uint8_t subcode = 0;  // NOTIFICATION subcode
  std::uint32_t offset = 0;  // first bad byte, from the start of the message
  std::uint32_t length = 0;  // number of bad bytes (the caller slices NOTIFICATION data)
  const char* what = "";     // static text for the log line
  // A finer, codec-owned reason (e.g. wire::BgpsecPathCheck) so callers and tests can tell
  // apart checks that share an action; 0 when the codec has none.
  std::uint16_t detail = 0;

  friend bool operator==(const WireError& a, const WireError& b) noexcept {
    return a.action == b.action && a.code == b.code && a.subcode == b.subcode &&
           a.offset == b.offset && a.length == b.length && a.detail == b.detail;
  }
};

}  // namespace bgpsecd::base
