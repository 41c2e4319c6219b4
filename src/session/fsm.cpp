// SPDX-License-Identifier: BSD-2-Clause
// The RFC 4271 §8 state machine: one handler per event, each switching on the state. See
// fsm.hpp for the contract with the transport.
#include "session/fsm.hpp"

#include <algorithm>
#include <iterator>
#include <type_traits>
#include <utility>

#include "session/graceful_notification.hpp"
#include "wire/keepalive.hpp"
#include "wire/message.hpp"

namespace bgpsecd::session {
namespace {

constexpr std::size_t index(Timer t) noexcept { return static_cast<std::size_t>(t); }

wire::NotificationMessage notification(std::uint8_t code, std::uint8_t sub) {
  return wire::NotificationMessage{code, sub, {}};
}

}  // namespace

const char* state_name(State state) noexcept {
  switch (state) {
    case State::Idle:
      return "Idle";
    case State::Connect:
      return "Connect";
    case State::Active:
      return "Active";
    case State::OpenSent:
      return "OpenSent";
    case State::OpenConfirm:
      return "OpenConfirm";
    case State::Established:
      return "Established";
  }
  return "Unknown";
}

const char* timer_name(Timer timer) noexcept {
  switch (timer) {
    case Timer::ConnectRetry:
      return "ConnectRetry";
    case Timer::Hold:
      return "Hold";
    case Timer::Keepalive:
      return "Keepalive";
    case Timer::IdleHold:
      return "IdleHold";
    case Timer::Stable:
      return "Stable";
  }
  return "Unknown";
}

const char* down_reason_name(DownReason reason) noexcept {
  switch (reason) {
    case DownReason::ManualStop:
      return "manual stop";
    case DownReason::HoldTimerExpired:
      return "hold timer expired";
    case DownReason::ConnectionFailed:
      return "connection failed";
    case DownReason::NotificationReceived:
      return "NOTIFICATION received";
    case DownReason::OpenRejected:
      return "OPEN rejected";
    case DownReason::MalformedMessage:
      return "malformed message";
    case DownReason::FsmError:
      return "unexpected message";
    case DownReason::CollisionResolved:
      return "connection collision";
  }
  return "unknown";
}

base::Result<Fsm> Fsm::create(FsmConfig config) {
  using std::chrono::seconds;
  if (config.connect_retry_time <= seconds(0) || config.open_hold_time <= seconds(0) ||
      config.idle_hold_initial <= seconds(0) || config.idle_hold_max < config.idle_hold_initial ||
      config.stable_time <= seconds(0)) {
    return base::fail("FSM timers must be positive and idle_hold_max >= idle_hold_initial");
  }
  // RFC 6793 §9: AS_TRANS is never a peer's AS; negotiate() would reject every OPEN.
  if (config.session.peer_as.value() == 0 || config.session.peer_as == base::kAsTrans) {
    return base::fail("peer AS must not be 0 or AS_TRANS (23456)");
  }
  BGPSEC_ASSIGN_OR_RETURN(auto open, build_open(config.session));
  // RFC 8654 §3: an OPEN never uses extended messages, so the default context is the right one.
  BGPSEC_ASSIGN_OR_RETURN(auto bytes, wire::encode_open(open, wire::EncodeContext{}));
  // g++ 12 at -O2 reports -Wmaybe-uninitialized for the std::optional members of
  // Negotiated inside this move into the Result, although every optional is constructed
  // (disengaged) with the Fsm. A false positive (clang 14 sees nothing); the suppression
  // covers this statement only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
  return Fsm(std::move(config), std::move(open), std::move(bytes));
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
}

Fsm::Fsm(FsmConfig config, wire::OpenMessage open, base::Bytes open_bytes)
    : config_(std::move(config)),
      our_open_(std::move(open)),
      our_open_bytes_(std::move(open_bytes)),
      idle_hold_(config_.idle_hold_initial) {
  decode_.extended_messages = false;
  encode_.extended_messages = false;
}

std::vector<Action> Fsm::handle(Event event) {
  Out out;
  std::visit([&](auto&& e) { on(std::move(e), out); }, std::move(event));
  return out;
}

std::vector<Action> Fsm::receive_message(std::span<const std::uint8_t> message) {
  auto decoded = wire::decode_message(message, decode_);
  if (!decoded) {
    return handle(
        MessageMalformed{decoded.error(), wire::notification_from_error(decoded.error(), message)});
  }
  return std::visit(
      [&](auto&& m) -> std::vector<Action> {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, wire::OpenMessage>) {
          return handle(OpenReceived{std::move(m)});
        } else if constexpr (std::is_same_v<M, wire::DecodedUpdate>) {
          return handle(UpdateReceived{std::move(m)});
        } else if constexpr (std::is_same_v<M, wire::NotificationMessage>) {
          return handle(NotificationReceived{std::move(m)});
        } else if constexpr (std::is_same_v<M, wire::KeepaliveMessage>) {
          return handle(KeepaliveReceived{});
        } else {
          static_assert(std::is_same_v<M, wire::RouteRefreshMessage>);
          return handle(RouteRefreshReceived{std::move(m)});
        }
      },
      std::move(*decoded));
}

std::vector<Action> Fsm::receive_bytes(std::span<const std::uint8_t> bytes) {
  Out out;
  // Octets only belong to a connection from OpenSent on (contract item 5).
  if (!connected()) {
    return out;
  }
  framer_.append(bytes);
  while (connected()) {
    auto next = framer_.next(decode_);
    if (!next) {
      // RFC 4271 §6.1: a bad header resets the session; the data is cut from the header.
      auto actions = handle(MessageMalformed{
          next.error(), wire::notification_from_error(next.error(), framer_.pending())});
      std::move(actions.begin(), actions.end(), std::back_inserter(out));
      break;
    }
    if (!next->has_value()) {
      break;
    }
    // The span stays valid: nothing appends to the framer while this message is handled
    // (a drop clears it, and the loop then ends).
    auto actions = receive_message(**next);
    std::move(actions.begin(), actions.end(), std::back_inserter(out));
  }
  return out;
}

// ---- helpers ----

void Fsm::start_timer(Out& out, Timer timer, std::chrono::seconds duration) {
  armed_[index(timer)] = true;
  out.push_back(StartTimer{timer, duration});
}

void Fsm::stop_timer(Out& out, Timer timer) {
  if (armed_[index(timer)]) {
    armed_[index(timer)] = false;
    out.push_back(StopTimer{timer});
  }
}

void Fsm::restart_hold(Out& out) {
  // RFC 4271 §4.2: a Hold Time of 0 means no hold timer (and no KEEPALIVEs).
  if (negotiated_ && negotiated_->hold_time.count() > 0) {
    start_timer(out, Timer::Hold, negotiated_->hold_time);
  } else {
    stop_timer(out, Timer::Hold);
  }
}

void Fsm::send_keepalive(Out& out) {
  out.push_back(SendMessage{wire::MessageType::Keepalive, wire::encode_keepalive()});
  if (negotiated_ && negotiated_->keepalive_interval.count() > 0) {
    start_timer(out, Timer::Keepalive, negotiated_->keepalive_interval);
  }
}

void Fsm::send_notification(Out& out, const wire::NotificationMessage& n) {
  out.push_back(
      SendMessage{wire::MessageType::Notification, wire::encode_notification(n, encode_)});
}

void Fsm::start(Out& out) {
  // RFC 4271 §8.2.2 (Idle, Events 1/3/4/5): initialise, then connect or wait for the peer.
  if (config_.passive) {
    state_ = State::Active;
    return;
  }
  start_timer(out, Timer::ConnectRetry, config_.connect_retry_time);
  out.push_back(Connect{});
  state_ = State::Connect;
}

void Fsm::connection_up(Out& out) {
  // RFC 4271 §8.2.2 (Connect/Active, Events 16/17): stop ConnectRetry, send OPEN, set the
  // HoldTimer to a large value (4 minutes suggested) and go to OpenSent.
  stop_timer(out, Timer::ConnectRetry);
  framer_.clear();
  negotiated_.reset();
  decode_ = wire::DecodeContext{};
  decode_.extended_messages = false;
  encode_ = wire::EncodeContext{};
  out.push_back(SendMessage{wire::MessageType::Open, our_open_bytes_});
  start_timer(out, Timer::Hold, config_.open_hold_time);
  state_ = State::OpenSent;
}

void Fsm::fail(Out& out, DownReason reason, std::optional<wire::NotificationMessage> n) {
  if (n) {
    send_notification(out, *n);
  }
  drop(out, reason, std::move(n), std::nullopt);
}

void Fsm::fsm_error(Out& out) {
  // RFC 6608 §4: the subcode names the state the unexpected message arrived in.
  std::uint8_t sub = subcode::kFsmUnspecified;
  if (state_ == State::OpenSent) {
    sub = subcode::kFsmInOpenSent;
  } else if (state_ == State::OpenConfirm) {
    sub = subcode::kFsmInOpenConfirm;
  } else if (state_ == State::Established) {
    sub = subcode::kFsmInEstablished;
  }
  fail(out, DownReason::FsmError, notification(base::notify::kFsmError, sub));
}

void Fsm::drop(Out& out, DownReason reason, std::optional<wire::NotificationMessage> sent,
               std::optional<wire::NotificationMessage> received) {
  const State from = state_;
  for (std::size_t t = 0; t < kTimerCount; ++t) {
    stop_timer(out, static_cast<Timer>(t));
  }
  out.push_back(CloseConnection{});
  framer_.clear();
  state_ = State::Idle;
  if (from >= State::OpenSent) {
    out.push_back(SessionDown{reason, from, from == State::Established, std::move(sent),
                              std::move(received)});
  }
  // RFC 4271 §8.1.1 IdleHoldTimer (DampPeerOscillations): restart after a growing pause so a
  // peer that keeps failing is not hammered; the next drop waits twice as long.
  if (auto_restart_) {
    start_timer(out, Timer::IdleHold, idle_hold_);
    idle_hold_ = std::min(idle_hold_ * 2, config_.idle_hold_max);
  }
}

// ---- events ----

void Fsm::on(const ManualStart& /*e*/, Out& out) {
  // RFC 4271 §8.2.2: ManualStart is ignored outside Idle.
  if (state_ != State::Idle) {
    return;
  }
  auto_restart_ = true;
  idle_hold_ = config_.idle_hold_initial;
  stop_timer(out, Timer::IdleHold);
  start(out);
}

void Fsm::on(const AutomaticStartPassive& /*e*/, Out& out) {
  // RFC 4271 §8.2.2 (Idle, Event 5): start the ConnectRetryTimer, listen, go to Active. Only
  // instead of a pending automatic restart: after ManualStop the session stays down.
  if (state_ != State::Idle || !auto_restart_ || !timer_armed(Timer::IdleHold)) {
    return;
  }
  stop_timer(out, Timer::IdleHold);
  start_timer(out, Timer::ConnectRetry, config_.connect_retry_time);
  state_ = State::Active;
}

void Fsm::on(const ManualStop& e, Out& out) {
  auto_restart_ = false;
  switch (state_) {
    case State::Idle:
      // RFC 4271 §8.2.2: ignored in Idle, except that no automatic restart follows.
      stop_timer(out, Timer::IdleHold);
      return;
    case State::Connect:
    case State::Active:
      drop(out, DownReason::ManualStop, std::nullopt, std::nullopt);
      return;
    case State::OpenSent:
    case State::OpenConfirm:
    case State::Established:
      // RFC 4271 §8.2.2 Event 2: NOTIFICATION Cease, close, Idle. RFC 4486 §4 subcode, as
      // Hard Reset when the peer is to flush our routes despite the N bit (RFC 8538 §3).
      fail(out, DownReason::ManualStop,
           cease_notification(e.cease_subcode, negotiated_ && negotiated_->graceful_notification));
      return;
  }
}

void Fsm::on(const TcpConnectionConfirmed& /*e*/, Out& out) {
  switch (state_) {
    case State::Idle:
      // RFC 4271 §8.2.2: connections are refused in Idle.
      out.push_back(CloseConnection{});
      return;
    case State::Connect:
    case State::Active:
      connection_up(out);
      return;
    case State::OpenSent:
    case State::OpenConfirm:
    case State::Established:
      // A second connection is the transport's collision case (contract item 4).
      return;
  }
}

void Fsm::on(const TcpConnectionFails& /*e*/, Out& out) {
  switch (state_) {
    case State::Idle:
      return;
    case State::Connect:
      // RFC 4271 §8.2.2 (Connect, Event 18): restart ConnectRetry, keep listening, Active.
      out.push_back(CloseConnection{});
      start_timer(out, Timer::ConnectRetry, config_.connect_retry_time);
      state_ = State::Active;
      return;
    case State::Active:
      // RFC 4271 §8.2.2 (Active, Event 18): Idle.
      drop(out, DownReason::ConnectionFailed, std::nullopt, std::nullopt);
      return;
    case State::OpenSent: {
      // RFC 4271 §8.2.2 (OpenSent, Event 18): close, restart ConnectRetry, Active.
      for (std::size_t t = 0; t < kTimerCount; ++t) {
        stop_timer(out, static_cast<Timer>(t));
      }
      out.push_back(CloseConnection{});
      framer_.clear();
      out.push_back(SessionDown{DownReason::ConnectionFailed, State::OpenSent, false, std::nullopt,
                                std::nullopt});
      if (!config_.passive) {
        start_timer(out, Timer::ConnectRetry, config_.connect_retry_time);
      }
      state_ = State::Active;
      return;
    }
    case State::OpenConfirm:
    case State::Established:
      drop(out, DownReason::ConnectionFailed, std::nullopt, std::nullopt);
      return;
  }
}

void Fsm::on(OpenReceived&& e, Out& out) {
  switch (state_) {
    case State::Idle:
    case State::Connect:
    case State::Active:
      return;  // no connection to read from (contract item 5)
    case State::OpenSent: {
      // RFC 4271 §6.2: check the OPEN; on error send the NOTIFICATION and close.
      auto n = negotiate(our_open_, e.open, config_.session.peer_as, config_.session.keepalive,
                         config_.session.role_strict);
      if (!n) {
        fail(out, DownReason::OpenRejected, std::move(n).error());
        return;
      }
      negotiated_ = std::move(*n);
      negotiated_->sent_open = our_open_bytes_;
      negotiated_->received_open =
          wire::encode_open(e.open, wire::EncodeContext{}).value_or(base::Bytes{});
      decode_ = negotiated_->decode;
      encode_ = negotiated_->encode;
      // RFC 4271 §8.2.2 (OpenSent, Event 19): send KEEPALIVE, set the KeepaliveTimer and the
      // HoldTimer to the negotiated value, OpenConfirm.
      send_keepalive(out);
      restart_hold(out);
      state_ = State::OpenConfirm;
      return;
    }
    case State::OpenConfirm:
    case State::Established:
      // RFC 4271 §8.2.2 / RFC 6608: a second OPEN is an FSM error (collisions are resolved
      // between two connections by the transport, contract item 4).
      fsm_error(out);
      return;
  }
}

void Fsm::on(const KeepaliveReceived& /*e*/, Out& out) {
  switch (state_) {
    case State::Idle:
    case State::Connect:
    case State::Active:
      return;
    case State::OpenSent:
      fsm_error(out);
      return;
    case State::OpenConfirm:
      // RFC 4271 §8.2.2 (OpenConfirm, Event 26): restart the HoldTimer, Established.
      restart_hold(out);
      state_ = State::Established;
      start_timer(out, Timer::Stable, config_.stable_time);
      // RFC 4724 §4.1: the Restart State goes only in the OPENs after our restart; the next
      // connection of this session says we did not restart again, and kept forwarding.
      if (clear_restart_state(config_.session)) {
        if (auto open = build_open(config_.session)) {
          if (auto bytes = wire::encode_open(*open, wire::EncodeContext{})) {
            our_open_ = std::move(*open);
            our_open_bytes_ = std::move(*bytes);
          }
        }
      }
      out.push_back(SessionEstablished{*negotiated_});
      return;
    case State::Established:
      restart_hold(out);
      return;
  }
}

// UPDATE and ROUTE-REFRESH are only meaningful in Established (RFC 4271 §8.2.2, Event 27):
// ignored before OpenSent, an FSM error in OpenSent / OpenConfirm. True when the message is to
// be processed; the hold timer has then been restarted.
bool Fsm::accept_in_established(Out& out) {
  switch (state_) {
    case State::Idle:
    case State::Connect:
    case State::Active:
      return false;
    case State::OpenSent:
    case State::OpenConfirm:
      fsm_error(out);
      return false;
    case State::Established:
      restart_hold(out);
      return true;
  }
  return false;
}

void Fsm::on(UpdateReceived&& e, Out& out) {
  if (accept_in_established(out)) {
    out.push_back(DeliverUpdate{std::move(e.update)});
  }
}

void Fsm::on(RouteRefreshReceived&& e, Out& out) {
  if (accept_in_established(out)) {
    out.push_back(DeliverRouteRefresh{e.refresh});
  }
}

void Fsm::on(NotificationReceived&& e, Out& out) {
  if (!connected()) {
    return;
  }
  // RFC 4271 §8.2.2 (Event 25): close without answering, Idle.
  drop(out, DownReason::NotificationReceived, std::nullopt, std::move(e.notification));
}

void Fsm::on(MessageMalformed&& e, Out& out) {
  if (!connected()) {
    return;
  }
  // RFC 4271 §6.1-§6.3, RFC 7606: the codec asked for a session reset.
  fail(out, DownReason::MalformedMessage, std::move(e.notification));
}

void Fsm::on(const TimerExpired& e, Out& out) {
  // A timer the FSM stopped (or never armed) may still fire in the transport: ignore it.
  if (!armed_[index(e.timer)]) {
    return;
  }
  armed_[index(e.timer)] = false;
  switch (e.timer) {
    case Timer::ConnectRetry:
      // RFC 4271 §8.2.2 (Connect/Active, Event 9): drop the attempt, restart the timer and
      // connect again from Connect.
      if (state_ == State::Connect || state_ == State::Active) {
        if (state_ == State::Connect) {
          out.push_back(CloseConnection{});
        }
        start_timer(out, Timer::ConnectRetry, config_.connect_retry_time);
        out.push_back(Connect{});
        state_ = State::Connect;
      }
      return;
    case Timer::Hold:
      // RFC 4271 §6.5: NOTIFICATION Hold Timer Expired, close.
      if (connected()) {
        fail(out, DownReason::HoldTimerExpired, notification(base::notify::kHoldTimerExpired, 0));
      }
      return;
    case Timer::Keepalive:
      if (state_ == State::OpenConfirm || state_ == State::Established) {
        send_keepalive(out);
      }
      return;
    case Timer::IdleHold:
      if (state_ == State::Idle && auto_restart_) {
        start(out);
      }
      return;
    case Timer::Stable:
      // The session proved stable: the next failure starts the back-off from the beginning.
      if (state_ == State::Established) {
        idle_hold_ = config_.idle_hold_initial;
      }
      return;
  }
}

void Fsm::on(const CollisionDump& /*e*/, Out& out) {
  // The transport discards this FSM after the close (contract item 4): no restart.
  auto_restart_ = false;
  if (!connected()) {
    if (state_ != State::Idle) {
      drop(out, DownReason::CollisionResolved, std::nullopt, std::nullopt);
    }
    return;
  }
  // RFC 4271 §6.8: NOTIFICATION Cease / Connection Collision Resolution (RFC 4486 §4).
  fail(out, DownReason::CollisionResolved,
       notification(base::notify::kCease, subcode::kCeaseCollision));
}

KeepConnection resolve_collision(std::uint32_t local_bgp_id, std::uint32_t remote_bgp_id,
                                 base::Asn local_as, base::Asn remote_as) noexcept {
  // RFC 4271 §6.8: the speaker with the higher BGP Identifier keeps the connection it
  // initiated.
  if (local_bgp_id != remote_bgp_id) {
    return local_bgp_id > remote_bgp_id ? KeepConnection::LocallyInitiated
                                        : KeepConnection::RemotelyInitiated;
  }
  // RFC 6286 §2.3: equal identifiers (only possible between ASes): the larger AS wins.
  return local_as > remote_as ? KeepConnection::LocallyInitiated
                              : KeepConnection::RemotelyInitiated;
}

}  // namespace bgpsecd::session
