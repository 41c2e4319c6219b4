// SPDX-License-Identifier: BSD-2-Clause
// The BGP finite state machine of RFC 4271 §8 as a pure state machine: events in, a list of
// actions out. It owns no socket and reads no clock, so every transition is unit-tested and
// replayable; the asio transport on top of it (later) only carries the actions out.
// Also here: connection collision resolution (RFC 4271 §6.8, RFC 6286 §2.3).
//
// ---- Contract for the transport --------------------------------------------------------
// 1. One Fsm instance per peer and TCP connection. Create it with Fsm::create(config), then
//    handle(ManualStart{}) to bring the peer up and handle(ManualStop{}) to take it down.
// 2. Carry out the returned actions in order, before feeding the next event:
//      Connect          open an outgoing TCP connection to the peer (abandon any pending one);
//                       report TcpConnectionConfirmed or TcpConnectionFails.
//      SendMessage      write the bytes on the current connection, in order.
//      CloseConnection  flush what was queued by earlier SendMessage actions, then close (or
//                       abort a pending connect). No event is reported for this close.
//      StartTimer       (re)arm the timer for `duration`, replacing an armed one. The
//                       transport may shorten ConnectRetry and Keepalive by up to 25 % as jitter
//                       (RFC 4271 §10). On expiry feed TimerExpired{timer}.
//      StopTimer        cancel it. A TimerExpired for a timer the FSM no longer considers
//                       armed (a late asio completion) is ignored, so the transport need not
//                       win the race against a firing timer.
//      DeliverUpdate / DeliverRouteRefresh   hand to the RIB.
//      SessionEstablished / SessionDown      tell the RIB and the operator; SessionDown comes
//                       for every connection that got as far as OpenSent, `was_established`
//                       says whether the RIB has routes to flush or mark stale (RFC 4724).
// 3. Accepted connections: while the FSM is Connect or Active (also passive ones), cancel any
//    outgoing attempt and feed TcpConnectionConfirmed; in Idle, close the socket (RFC 4271
//    §8.2.2 refuses connections in Idle), except while an automatic restart is pending
//    (timer_armed(IdleHold)): then feed AutomaticStartPassive and take the connection as in
//    Active (RFC 4271 §8.1.2 Event 5: a session configured to start automatically may accept
//    in Idle), so a peer coming back from a reset is not refused for the back-off.
// 4. Collisions (RFC 4271 §6.8): a connection accepted while this FSM is in OpenSent or
//    OpenConfirm gets its own second Fsm (same config with passive = true, ManualStart, then
//    TcpConnectionConfirmed). When either FSM reaches OpenConfirm while the other one is in
//    OpenConfirm (or its OPEN is known), call resolve_collision with the peer's BGP
//    Identifier (negotiated()->peer_bgp_id) and feed CollisionDump{} to the loser, which sends
//    Cease / Connection Collision Resolution and closes; then keep only the winner. A
//    connection accepted while an FSM is Established is closed at once (RFC 4271 §6.8).
// 5. Received octets go to receive_bytes() as they arrive (any split); it frames, decodes with
//    the session's DecodeContext and runs the events. Only feed bytes in OpenSent or later.
// 6. After ManualStop the FSM stays Idle; after any other drop it arms IdleHold (5 s doubling
//    to 120 s) and restarts by itself when that fires. A session that stays Established for
//    `stable_time` resets the back-off.
// ----------------------------------------------------------------------------------------
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "base/asn.hpp"
#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"
#include "session/framer.hpp"
#include "session/negotiation.hpp"
#include "wire/context.hpp"
#include "wire/header.hpp"
#include "wire/notification.hpp"
#include "wire/open.hpp"
#include "wire/route_refresh.hpp"
#include "wire/update.hpp"

namespace bgpsecd::session {

enum class State : std::uint8_t { Idle, Connect, Active, OpenSent, OpenConfirm, Established };
[[nodiscard]] const char* state_name(State state) noexcept;

// RFC 4271 §10 timers, plus IdleHold (RFC 4271 §8.1.1 IdleHoldTimer, for the back-off) and
// Stable (how long an Established session must last before the back-off resets).
enum class Timer : std::uint8_t { ConnectRetry, Hold, Keepalive, IdleHold, Stable };
inline constexpr std::size_t kTimerCount = 5;
[[nodiscard]] const char* timer_name(Timer timer) noexcept;

struct FsmConfig {
  SessionConfig session;
  bool passive = false;                          // never connect out; wait in Active for the peer
  std::chrono::seconds connect_retry_time{120};  // RFC 4271 §10
  std::chrono::seconds open_hold_time{240};      // RFC 4271 §8.2.2: "large" hold in OpenSent
  std::chrono::seconds idle_hold_initial{5};
  std::chrono::seconds idle_hold_max{120};
  std::chrono::seconds stable_time{60};
};

// ---- Events ----
struct ManualStart {};
struct ManualStop {
  std::uint8_t cease_subcode = subcode::kCeaseAdminShutdown;  // RFC 4486
};
struct TcpConnectionConfirmed {};  // outgoing connect succeeded or a connection was accepted
struct TcpConnectionFails {};      // connect failed, or the connection broke
struct OpenReceived {
  wire::OpenMessage open;
};
struct KeepaliveReceived {};
struct UpdateReceived {
  wire::DecodedUpdate update;
};
struct NotificationReceived {
  wire::NotificationMessage notification;
};
struct RouteRefreshReceived {
  wire::RouteRefreshMessage refresh;
};
// A message (or the stream) failed to decode with a SessionReset error.
struct MessageMalformed {
  base::WireError error;
  wire::NotificationMessage notification;  // from wire::notification_from_error
};
struct TimerExpired {
  Timer timer = Timer::ConnectRetry;
};
struct CollisionDump {};  // this connection lost collision resolution
// RFC 4271 §8.1.2 Event 5 (AutomaticStart_with_PassiveTcpEstablishment): the peer connected
// while we wait out IdleHold after a drop; start now, in Active, to take its connection
// (contract item 3). Ignored unless Idle with an automatic restart pending.
struct AutomaticStartPassive {};
using Event =
    std::variant<ManualStart, ManualStop, TcpConnectionConfirmed, TcpConnectionFails, OpenReceived,
                 KeepaliveReceived, UpdateReceived, NotificationReceived, RouteRefreshReceived,
                 MessageMalformed, TimerExpired, CollisionDump, AutomaticStartPassive>;

// ---- Actions ----
struct Connect {};
struct SendMessage {
  wire::MessageType type = wire::MessageType::Keepalive;
  base::Bytes bytes;  // the whole message
};
struct CloseConnection {};
struct StartTimer {
  Timer timer = Timer::ConnectRetry;
  std::chrono::seconds duration{0};
};
struct StopTimer {
  Timer timer = Timer::ConnectRetry;
};
struct DeliverUpdate {
  wire::DecodedUpdate update;
};
struct DeliverRouteRefresh {
  wire::RouteRefreshMessage refresh;
};
struct SessionEstablished {
  Negotiated negotiated;
};
enum class DownReason : std::uint8_t {
  ManualStop,
  HoldTimerExpired,
  ConnectionFailed,
  NotificationReceived,
  OpenRejected,      // the peer's OPEN failed negotiate()
  MalformedMessage,  // header or message decode error
  FsmError,          // a message not allowed in the state (RFC 6608)
  CollisionResolved,
};
[[nodiscard]] const char* down_reason_name(DownReason reason) noexcept;
struct SessionDown {
  DownReason reason = DownReason::ManualStop;
  State from = State::Idle;
  bool was_established = false;
  std::optional<wire::NotificationMessage> sent;
  std::optional<wire::NotificationMessage> received;
};
using Action = std::variant<Connect, SendMessage, CloseConnection, StartTimer, StopTimer,
                            DeliverUpdate, DeliverRouteRefresh, SessionEstablished, SessionDown>;

class Fsm {
 public:
  // Fails when config.session cannot make an OPEN (build_open) or the timers are zero.
  [[nodiscard]] static base::Result<Fsm> create(FsmConfig config);

  [[nodiscard]] std::vector<Action> handle(Event event);
  // Frames `bytes` onto what is buffered and runs every complete message through
  // receive_message; a framing error becomes MessageMalformed. Stops at the first message
  // that takes the session down (the rest of the stream belongs to a dead connection).
  [[nodiscard]] std::vector<Action> receive_bytes(std::span<const std::uint8_t> bytes);
  // Decodes one whole message with decode_context() and handles the matching event.
  [[nodiscard]] std::vector<Action> receive_message(std::span<const std::uint8_t> message);

  [[nodiscard]] State state() const noexcept { return state_; }
  // Set from the moment the peer's OPEN is accepted (OpenConfirm) until the next connection.
  [[nodiscard]] const std::optional<Negotiated>& negotiated() const noexcept { return negotiated_; }
  [[nodiscard]] const wire::DecodeContext& decode_context() const noexcept { return decode_; }
  [[nodiscard]] const wire::EncodeContext& encode_context() const noexcept { return encode_; }
  [[nodiscard]] const wire::OpenMessage& our_open() const noexcept { return our_open_; }
  [[nodiscard]] bool timer_armed(Timer timer) const noexcept {
    return armed_[static_cast<std::size_t>(timer)];
  }
  // The IdleHold the next drop will arm.
  [[nodiscard]] std::chrono::seconds next_idle_hold() const noexcept { return idle_hold_; }

 private:
  Fsm(FsmConfig config, wire::OpenMessage open, base::Bytes open_bytes);

  using Out = std::vector<Action>;
  void on(const ManualStart& e, Out& out);
  void on(const ManualStop& e, Out& out);
  void on(const TcpConnectionConfirmed& e, Out& out);
  void on(const TcpConnectionFails& e, Out& out);
  void on(OpenReceived&& e, Out& out);
  void on(const KeepaliveReceived& e, Out& out);
  void on(UpdateReceived&& e, Out& out);
  void on(NotificationReceived&& e, Out& out);
  void on(RouteRefreshReceived&& e, Out& out);
  bool accept_in_established(Out& out);
  void on(MessageMalformed&& e, Out& out);
  void on(const TimerExpired& e, Out& out);
  void on(const CollisionDump& e, Out& out);
  void on(const AutomaticStartPassive& e, Out& out);

  [[nodiscard]] bool connected() const noexcept { return state_ >= State::OpenSent; }
  void start(Out& out);
  void connection_up(Out& out);
  void start_timer(Out& out, Timer timer, std::chrono::seconds duration);
  void stop_timer(Out& out, Timer timer);
  void restart_hold(Out& out);
  void send_keepalive(Out& out);
  void send_notification(Out& out, const wire::NotificationMessage& n);
  // Sends `n` (when given), closes and goes Idle with the back-off; see drop().
  void fail(Out& out, DownReason reason, std::optional<wire::NotificationMessage> n);
  void fsm_error(Out& out);
  void drop(Out& out, DownReason reason, std::optional<wire::NotificationMessage> sent,
            std::optional<wire::NotificationMessage> received);

  FsmConfig config_;
  wire::OpenMessage our_open_;
  base::Bytes our_open_bytes_;
  State state_ = State::Idle;
  bool auto_restart_ = false;  // cleared by ManualStop: no IdleHold restart then
  std::chrono::seconds idle_hold_;
  std::array<bool, kTimerCount> armed_{};
  std::optional<Negotiated> negotiated_;
  wire::DecodeContext decode_;
  wire::EncodeContext encode_;
  Framer framer_;
};

// RFC 4271 §6.8: of two connections to the same peer, keep the one initiated by the speaker
// with the higher BGP Identifier (compared as unsigned 32-bit host-order numbers); with equal
// identifiers (legal between ASes, RFC 6286 §2.3) the one initiated by the speaker with the
// larger AS number.
enum class KeepConnection : std::uint8_t { LocallyInitiated, RemotelyInitiated };
[[nodiscard]] KeepConnection resolve_collision(std::uint32_t local_bgp_id,
                                               std::uint32_t remote_bgp_id, base::Asn local_as,
                                               base::Asn remote_as) noexcept;

}  // namespace bgpsecd::session
