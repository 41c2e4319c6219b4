// SPDX-License-Identifier: BSD-2-Clause
// RFC 8538 (Notification Message support for BGP Graceful Restart): which Cease we send and
// whether a session that went down keeps the peer's routes as stale (RFC 4724 §4.2).
// Pure: the FSM builds the Cease with cease_notification, the RIB side asks keeps_routes.
#pragma once

#include <cstdint>

#include "session/fsm.hpp"
#include "session/negotiation.hpp"
#include "wire/notification.hpp"

namespace bgpsecd::session {

// Cease / Hard Reset (Cease subcode 9, RFC 8538 §3).
[[nodiscard]] bool is_hard_reset(const wire::NotificationMessage& n) noexcept;

// The Cease NOTIFICATION for `cease_subcode` (RFC 4486). When the N bit was exchanged
// (Negotiated::graceful_notification) a Cease that asks the peer to flush our routes goes out
// as Hard Reset, the original code and subcode in its data (RFC 8538 §3: ErrCode, Subcode,
// Data). RFC 8538 §5 lists Maximum Number of Prefixes Reached, Administrative Shutdown, Peer
// De-configured and Administrative Reset as MUST; the rest (Other Configuration Change,
// Connection Collision Resolution, ...) stay as they are and so keep graceful restart.
[[nodiscard]] wire::NotificationMessage cease_notification(std::uint8_t cease_subcode,
                                                           bool graceful_notification);

// Whether the routes learned on the session that `down` reports stay, marked stale, for the
// peer's restart time (RFC 4724 §4.2). Both sides must have advertised
// graceful restart and the peer a restart time above 0; then
//  - without the N bit on both sides: only a TCP failure with no NOTIFICATION either way
//    (RFC 4724 §4: a NOTIFICATION ends graceful restart);
//  - with it (RFC 8538 §4): any drop, with or without a NOTIFICATION sent or received, unless
//    that NOTIFICATION is a Hard Reset.
[[nodiscard]] bool keeps_routes(const Negotiated& negotiated, const SessionDown& down) noexcept;

}  // namespace bgpsecd::session
