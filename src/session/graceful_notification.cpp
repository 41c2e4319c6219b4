// SPDX-License-Identifier: BSD-2-Clause
// RFC 8538: Hard Reset and the graceful-restart decision for a session that went down.
#include "session/graceful_notification.hpp"

#include "base/wire_error.hpp"

namespace bgpsecd::session {
namespace {

// RFC 8538 §5 ("MUST" rows): the Cease subcodes whose sender wants the routes flushed.
bool wants_hard_reset(std::uint8_t cease_subcode) noexcept {
  switch (cease_subcode) {
    case subcode::kCeaseMaxPrefixes:
    case subcode::kCeaseAdminShutdown:
    case subcode::kCeasePeerDeconfigured:
    case subcode::kCeaseAdminReset:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool is_hard_reset(const wire::NotificationMessage& n) noexcept {
  return n.code == base::notify::kCease && n.subcode == subcode::kCeaseHardReset;
}

wire::NotificationMessage cease_notification(std::uint8_t cease_subcode,
                                             bool graceful_notification) {
  if (graceful_notification && wants_hard_reset(cease_subcode)) {
    // RFC 8538 §3: the data of a Hard Reset is the NOTIFICATION it stands for.
    return wire::NotificationMessage{
        base::notify::kCease, subcode::kCeaseHardReset, {base::notify::kCease, cease_subcode}};
  }
  return wire::NotificationMessage{base::notify::kCease, cease_subcode, {}};
}

bool keeps_routes(const Negotiated& negotiated, const SessionDown& down) noexcept {
  if (!down.was_established || !negotiated.graceful_restart || !negotiated.peer_graceful_restart ||
      negotiated.peer_graceful_restart->restart_time == 0) {
    return false;
  }
  if (!negotiated.graceful_notification) {
    // RFC 4724 §4: only the end of the TCP session without a NOTIFICATION.
    return down.reason == DownReason::ConnectionFailed && !down.sent && !down.received;
  }
  // RFC 8538 §4: a NOTIFICATION, sent or received, is handled like a TCP failure unless it is
  // a Hard Reset.
  return !(down.sent && is_hard_reset(*down.sent)) &&
         !(down.received && is_hard_reset(*down.received));
}

}  // namespace bgpsecd::session
