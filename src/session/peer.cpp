// SPDX-License-Identifier: BSD-2-Clause
// asio transport for one BGP peer: carries out the Fsm's actions (see the contract in
// fsm.hpp) on sockets and steady timers, and keeps the second connection of an RFC 4271 §6.8
// collision until one of the two is resolved away.
#include "session/peer.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

#include "wire/header.hpp"
#include "wire/notification.hpp"

namespace bgpsecd::session {
namespace {

// How long a closing connection may take to flush its last messages (a NOTIFICATION) before
// it is closed regardless: a peer that stopped reading must not keep the socket forever.
constexpr std::chrono::seconds kFlushTimeout{5};

std::string notification_text(const wire::NotificationMessage& n) {
  return std::to_string(n.code) + "/" + std::to_string(n.subcode) + " " +
         wire::notification_code_name(n.code) + " / " +
         wire::notification_subcode_name(n.code, n.subcode);
}

std::string down_text(const SessionDown& down) {
  std::string text = std::string(down_reason_name(down.reason)) + " in " + state_name(down.from);
  if (down.sent) {
    text += ", sent NOTIFICATION " + notification_text(*down.sent);
  }
  if (down.received) {
    text += ", received NOTIFICATION " + notification_text(*down.received);
  }
  return text;
}

}  // namespace

const char* log_level_name(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::Debug:
      return "debug";
    case LogLevel::Info:
      return "info";
    case LogLevel::Warning:
      return "warning";
    case LogLevel::Error:
      return "error";
  }
  return "unknown";
}

// One TCP connection: the socket and what is queued for it. Shared with the asio handlers,
// so a link that was closed with messages still queued flushes them on its own.
struct Peer::Link {
  explicit Link(asio::io_context& io) : socket(io), flush_timer(io) {}
  asio::ip::tcp::socket socket;
  asio::steady_timer flush_timer;
  std::array<std::uint8_t, 16384> read_buffer{};
  std::deque<base::Bytes> queue;
  std::size_t queued_bytes = 0;
  bool connecting = false;  // async_connect pending
  bool writing = false;
  bool closing = false;  // CloseConnection: flush the queue, then close
  bool closed = false;
  // The TCP-AO keys this socket holds (RFC 5925 §6.1 rollover works from them).
  std::vector<AoKey> ao_held;

  void close_now() {
    closed = true;
    asio::error_code ignored;
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    flush_timer.cancel();
    queue.clear();
    queued_bytes = 0;
  }
};

// One FSM with its timers and its current link (contract item 1: one per TCP connection).
struct Peer::Connection {
  Connection(asio::io_context& io, Fsm f, bool from_collision)
      : fsm(std::move(f)), collision_born(from_collision) {
    for (std::size_t i = 0; i < kTimerCount; ++i) {
      timers.emplace_back(io);
    }
  }
  Fsm fsm;
  LinkPtr link;
  std::vector<asio::steady_timer> timers;
  std::array<std::uint64_t, kTimerCount> timer_seq{};  // bumped on every start and stop
  bool outgoing = false;        // the current link was initiated by us (RFC 4271 §6.8)
  bool collision_born = false;  // created passive for an accepted connection (item 4)
  bool reported_established = false;
  bool discarded = false;
  // Message boundaries of the incoming stream, only to count messages.
  std::array<std::uint8_t, wire::kHeaderSize> header{};
  std::size_t header_have = 0;
  std::size_t body_left = 0;
};

base::Result<std::shared_ptr<Peer>> Peer::create(asio::io_context& io, PeerConfig config,
                                                 PeerHandler& handler) {
  BGPSEC_ASSIGN_OR_RETURN(auto fsm, Fsm::create(config.fsm));
  if (config.name.empty()) {
    config.name = config.remote_address.to_string();
  }
  return std::shared_ptr<Peer>(new Peer(io, std::move(config), handler, std::move(fsm)));
}

Peer::Peer(asio::io_context& io, PeerConfig config, PeerHandler& handler, Fsm fsm)
    : io_(io),
      config_(std::move(config)),
      handler_(handler),
      main_(std::make_shared<Connection>(io, std::move(fsm), false)),
      jitter_(std::random_device{}()) {}

Peer::~Peer() {
  for (auto* conn : {main_.get(), second_.get()}) {
    if (conn != nullptr) {
      discard(*conn);
      if (conn->link) {
        conn->link->close_now();
      }
    }
  }
}

void Peer::log(LogLevel level, const std::string& text) const {
  handler_.on_log(level, "peer " + config_.name + ": " + text);
}

// ---- entry points ----

void Peer::guarded(std::function<void()> body) {
  if (running_) {
    deferred_.push_back(std::move(body));
    return;
  }
  auto keep = weak_from_this().lock();  // a handler may drop the last reference
  running_ = true;
  body();
  while (!deferred_.empty()) {
    auto next = std::move(deferred_.front());
    deferred_.pop_front();
    next();
  }
  running_ = false;
}

void Peer::start() {
  guarded([this] { handle_event(main_, ManualStart{}); });
}

void Peer::stop(std::uint8_t cease_subcode) {
  guarded([this, cease_subcode] {
    if (second_) {
      auto loser = std::exchange(second_, nullptr);
      dump(loser);
    }
    handle_event(main_, ManualStop{cease_subcode});
  });
}

base::Result<void> Peer::send_update(const wire::UpdateMessage& update) {
  if (main_->fsm.state() != State::Established || !main_->link) {
    return base::fail("peer " + config_.name + ": cannot send UPDATE in state " +
                      state_name(main_->fsm.state()));
  }
  BGPSEC_ASSIGN_OR_RETURN(auto bytes, wire::encode_update(update, main_->fsm.encode_context()));
  ++counters_.updates_out;
  enqueue(main_, std::move(bytes));
  return {};
}

base::Result<std::size_t> Peer::send_encoded_updates(base::Bytes messages) {
  if (main_->fsm.state() != State::Established || !main_->link) {
    return base::fail("peer " + config_.name + ": cannot send UPDATE in state " +
                      state_name(main_->fsm.state()));
  }
  const std::size_t max_size = main_->fsm.encode_context().max_message_size();
  std::size_t count = 0;
  for (std::size_t at = 0; at < messages.size(); ++count) {
    if (messages.size() - at < wire::kHeaderSize) {
      return base::fail("a message is cut short at octet " + std::to_string(at));
    }
    // RFC 4271 §4.1: Length (octets 16-17) counts the whole message.
    const std::size_t length = (std::size_t{messages[at + wire::kLengthFieldOffset]} << 8) |
                               messages[at + wire::kLengthFieldOffset + 1];
    const auto type = static_cast<wire::MessageType>(messages[at + wire::kTypeFieldOffset]);
    if (type != wire::MessageType::Update) {
      return base::fail("not an UPDATE at octet " + std::to_string(at));
    }
    if (length < wire::min_message_size(type) || length > max_size ||
        length > messages.size() - at) {
      return base::fail("UPDATE of " + std::to_string(length) + " octets at octet " +
                        std::to_string(at) + " (the session allows " + std::to_string(max_size) +
                        ")");
    }
    at += length;
  }
  if (count == 0) {
    return count;
  }
  counters_.updates_out += count;
  // enqueue() counts one message; the others of the batch are added here.
  counters_.messages_out += count - 1;
  enqueue(main_, std::move(messages));
  return count;
}

base::Result<void> Peer::send_route_refresh(const wire::RouteRefreshMessage& refresh) {
  const auto& negotiated = main_->fsm.negotiated();
  if (main_->fsm.state() != State::Established || !main_->link || !negotiated) {
    return base::fail("peer " + config_.name + ": cannot send ROUTE-REFRESH in state " +
                      state_name(main_->fsm.state()));
  }
  // RFC 2918 §4: only to a peer that advertised the capability; RFC 7313 §4 for BoRR/EoRR.
  if (!negotiated->route_refresh || (refresh.subtype != wire::RouteRefreshMessage::kRequest &&
                                     !negotiated->enhanced_route_refresh)) {
    return base::fail("peer " + config_.name + ": route refresh was not negotiated");
  }
  enqueue(main_, wire::encode_route_refresh(refresh));
  return {};
}

void Peer::accept(asio::ip::tcp::socket socket) {
  auto shared = std::make_shared<asio::ip::tcp::socket>(std::move(socket));
  guarded([this, shared] {
    ++counters_.accepts;
    asio::error_code ec;
    const auto remote = shared->remote_endpoint(ec);
    const std::string from =
        ec ? std::string("?") : remote.address().to_string() + ":" + std::to_string(remote.port());
    auto refuse = [&](const std::string& why) {
      log(LogLevel::Info, "refusing connection from " + from + ": " + why);
      asio::error_code ignored;
      shared->close(ignored);
    };
    switch (main_->fsm.state()) {
      case State::Idle:
        // RFC 4271 §8.2.2: connections are refused in Idle (contract item 3), unless the
        // session waits out IdleHold to restart by itself: RFC 4271 §8.1.2 Event 5 lets a
        // session configured to start automatically take the peer's connection, so a peer
        // back from a reset (RFC 8538: routes kept stale meanwhile) is not kept waiting.
        if (!main_->fsm.timer_armed(Timer::IdleHold)) {
          refuse("session is Idle");
          return;
        }
        handle_event(main_, AutomaticStartPassive{});
        if (main_->fsm.state() != State::Active) {
          refuse("session is Idle");
          return;
        }
        log(LogLevel::Info, "accepted connection from " + from + " while Idle: starting now");
        adopt(main_, std::move(*shared));
        handle_event(main_, TcpConnectionConfirmed{});
        return;
      case State::Active:
        // Contract item 3: no attempt of ours is under way; take this one.
        log(LogLevel::Info, "accepted connection from " + from);
        adopt(main_, std::move(*shared));
        handle_event(main_, TcpConnectionConfirmed{});
        return;
      case State::Connect:
        // Our own connect is under way, and may be the very connection the peer is now
        // accepting: dropping it here while the peer drops its own makes both sessions die
        // when two speakers dial each other at once. Keep both and let RFC 4271 §6.8 pick one
        // when both OPENs are in (check_collision).
      case State::OpenSent:
      case State::OpenConfirm: {
        if (second_) {
          refuse("a second connection is already being opened");
          return;
        }
        // Contract item 4: a second FSM (passive) for the colliding connection.
        auto config = config_.fsm;
        config.passive = true;
        auto fsm = Fsm::create(config);
        if (!fsm) {
          refuse(fsm.error().message);
          return;
        }
        log(LogLevel::Info, "accepted connection from " + from + " while " +
                                state_name(main_->fsm.state()) + ": collision");
        second_ = std::make_shared<Connection>(io_, std::move(*fsm), true);
        adopt(second_, std::move(*shared));
        auto conn = second_;
        handle_event(conn, ManualStart{});
        handle_event(conn, TcpConnectionConfirmed{});
        return;
      }
      case State::Established:
        // RFC 4271 §6.8: a collision with an Established session closes the new connection.
        refuse("session is Established");
        return;
    }
  });
}

State Peer::state() const noexcept { return main_->fsm.state(); }

const std::optional<Negotiated>& Peer::negotiated() const noexcept {
  return main_->fsm.negotiated();
}

bool Peer::locally_initiated() const noexcept { return main_->outgoing; }

std::optional<std::pair<asio::ip::tcp::endpoint, asio::ip::tcp::endpoint>> Peer::endpoints() const {
  if (!main_->link) {
    return std::nullopt;
  }
  std::error_code local_ec;
  std::error_code remote_ec;
  auto local = main_->link->socket.local_endpoint(local_ec);
  auto remote = main_->link->socket.remote_endpoint(remote_ec);
  if (local_ec || remote_ec) {
    return std::nullopt;
  }
  return std::pair{local, remote};
}

std::size_t Peer::queued_bytes() const noexcept {
  return main_->link ? main_->link->queued_bytes : 0;
}

// ---- carrying out actions ----

void Peer::handle_event(const ConnectionPtr& conn, Event event) {
  if (conn->discarded) {
    return;
  }
  run(conn, conn->fsm.handle(std::move(event)));
}

void Peer::run(const ConnectionPtr& conn, std::vector<Action> actions) {
  for (auto& action : actions) {
    if (conn->discarded) {
      break;
    }
    std::visit(
        [&](auto& a) {
          using A = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<A, Connect>) {
            connect(conn);
          } else if constexpr (std::is_same_v<A, SendMessage>) {
            if (a.type == wire::MessageType::Notification) {
              auto n = wire::decode_notification(
                  std::span(a.bytes).subspan(std::min(a.bytes.size(), wire::kHeaderSize)));
              if (n) {
                log(LogLevel::Warning, "sending NOTIFICATION " + notification_text(*n));
              }
            }
            enqueue(conn, std::move(a.bytes));
          } else if constexpr (std::is_same_v<A, CloseConnection>) {
            close_link(*conn, true);
          } else if constexpr (std::is_same_v<A, StartTimer>) {
            if (a.timer == Timer::IdleHold && conn == main_) {
              log(LogLevel::Info, "restarting in " + std::to_string(a.duration.count()) + " s");
            }
            start_timer(conn, a.timer, a.duration);
          } else if constexpr (std::is_same_v<A, StopTimer>) {
            stop_timer(*conn, a.timer);
          } else if constexpr (std::is_same_v<A, DeliverUpdate>) {
            if (conn == main_) {
              ++counters_.updates_in;
              handler_.on_update(std::move(a.update));
            }
          } else if constexpr (std::is_same_v<A, DeliverRouteRefresh>) {
            if (conn == main_) {
              handler_.on_route_refresh(a.refresh);
            }
          } else if constexpr (std::is_same_v<A, SessionEstablished>) {
            // Contract item 4: resolve before the session is announced.
            check_collision();
            if (conn == main_ && !conn->discarded) {
              // The FSMs made from here on (collisions, restarts) send no Restart State, and
              // the F bit for every family.
              static_cast<void>(clear_restart_state(config_.fsm.session));
              conn->reported_established = true;
              ++counters_.established_transitions;
              counters_.established_since = std::chrono::steady_clock::now();
              log(LogLevel::Info, "session established (AS " + a.negotiated.peer_as.to_string() +
                                      ", hold " + std::to_string(a.negotiated.hold_time.count()) +
                                      " s)");
              logged_state_ = State::Established;
              handler_.on_established(a.negotiated);
            }
          } else if constexpr (std::is_same_v<A, SessionDown>) {
            report_down(conn, a);
          }
        },
        action);
  }
  check_collision();
  if (main_->fsm.state() != logged_state_) {
    log(LogLevel::Debug, std::string("state ") + state_name(logged_state_) + " -> " +
                             state_name(main_->fsm.state()));
    logged_state_ = main_->fsm.state();
  }
}

void Peer::report_down(const ConnectionPtr& conn, const SessionDown& down) {
  conn->reported_established = false;
  const auto text = down_text(down);
  if (conn != main_) {
    log(LogLevel::Info, "second connection closed: " + text);
    return;
  }
  counters_.last_error = text;
  log(down.reason == DownReason::ManualStop ? LogLevel::Info : LogLevel::Warning,
      std::string(down.was_established ? "session down: " : "session failed: ") + text);
  handler_.on_down(down);
}

void Peer::check_collision() {
  if (!second_) {
    return;
  }
  if (second_->fsm.state() == State::Idle) {
    // It failed on its own: forget it (it would restart passive otherwise).
    auto gone = std::exchange(second_, nullptr);
    discard(*gone);
    return;
  }
  const State a = main_->fsm.state();
  const State b = second_->fsm.state();
  if (a == State::Connect && b != State::Established) {
    return;  // our connect has not completed or failed yet: see accept()
  }
  bool second_wins = false;
  if (a < State::OpenSent) {
    // Our own connection is gone (or never answered) while the other one works.
    second_wins = true;
  } else if (main_->reported_established) {
    if (b < State::OpenConfirm) {
      return;  // close it once its OPEN is in, with a NOTIFICATION the peer can read
    }
    second_wins = false;  // RFC 4271 §6.8: the Established session stays
  } else if (a >= State::OpenConfirm || b >= State::OpenConfirm) {
    // RFC 4271 §6.8: an OPEN on either connection names the peer's BGP Identifier, and the
    // identifiers decide. Both speakers must pick the same TCP connection, so neither may
    // prefer whichever connection happened to finish its handshake first: when each end
    // kept its own fastest connection, the two choices crossed and both sessions died.
    const auto& theirs =
        b >= State::OpenConfirm ? *second_->fsm.negotiated() : *main_->fsm.negotiated();
    const auto keep = resolve_collision(config_.fsm.session.router_id, theirs.peer_bgp_id,
                                        config_.fsm.session.local_as, theirs.peer_as);
    const bool keep_outgoing = keep == KeepConnection::LocallyInitiated;
    second_wins = main_->outgoing != keep_outgoing && second_->outgoing == keep_outgoing;
    log(LogLevel::Info, std::string("collision resolved: keeping the ") +
                            (keep_outgoing ? "locally" : "remotely") + " initiated connection");
  } else {
    return;  // wait for the other OPEN
  }
  ConnectionPtr loser;
  if (second_wins) {
    loser = std::exchange(main_, std::exchange(second_, nullptr));
  } else {
    loser = std::exchange(second_, nullptr);
  }
  dump(loser);
}

void Peer::dump(const ConnectionPtr& loser) {
  run(loser, loser->fsm.handle(CollisionDump{}));
  discard(*loser);
}

void Peer::discard(Connection& conn) {
  conn.discarded = true;
  for (std::size_t i = 0; i < kTimerCount; ++i) {
    stop_timer(conn, static_cast<Timer>(i));
  }
  close_link(conn, true);
}

// ---- sockets ----

void Peer::connect(const ConnectionPtr& conn) {
  close_link(*conn, false);  // "abandon any pending one"
  auto link = std::make_shared<Link>(io_);
  link->connecting = true;
  conn->link = link;
  conn->outgoing = true;
  conn->header_have = 0;
  conn->body_left = 0;
  ++counters_.connects;
  const asio::ip::tcp::endpoint remote(config_.remote_address, config_.remote_port);
  asio::error_code ec;
  link->socket.open(remote.protocol(), ec);
  if (!ec && config_.local_address) {
    link->socket.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) {
      link->socket.bind(asio::ip::tcp::endpoint(*config_.local_address, 0), ec);
    }
  }
  std::string security_error;
  if (!ec) {
    if (auto secured = secure(*link, true); !secured) {
      security_error = secured.error().message;
    }
  }
  if (ec || !security_error.empty()) {
    log(LogLevel::Error, ec ? "cannot open a socket: " + ec.message() : security_error);
    link->close_now();
    conn->link = nullptr;
    // Reported after the current batch (contract item 2: one event at a time).
    asio::post(io_, [self = weak_from_this(), weak = std::weak_ptr<Connection>(conn)] {
      auto p = self.lock();
      auto c = weak.lock();
      if (p && c && !c->discarded && !c->link) {
        p->guarded([p, c] { p->handle_event(c, TcpConnectionFails{}); });
      }
    });
    return;
  }
  log(LogLevel::Debug,
      "connecting to " + remote.address().to_string() + ":" + std::to_string(remote.port()));
  link->socket.async_connect(remote,
                             [self = weak_from_this(), weak = std::weak_ptr<Connection>(conn),
                              link](const asio::error_code& error) {
                               auto p = self.lock();
                               auto c = weak.lock();
                               if (!p || !c || c->discarded || c->link != link || link->closed) {
                                 return;
                               }
                               link->connecting = false;
                               if (error) {
                                 p->log(LogLevel::Info, "connect failed: " + error.message());
                                 link->close_now();
                                 c->link = nullptr;
                                 p->guarded([p, c] { p->handle_event(c, TcpConnectionFails{}); });
                                 return;
                               }
                               asio::error_code ignored;
                               link->socket.set_option(asio::ip::tcp::no_delay(true), ignored);
                               p->log(LogLevel::Info, "connected");
                               p->read(c, link);
                               write(p, c, link);
                               p->guarded([p, c] { p->handle_event(c, TcpConnectionConfirmed{}); });
                             });
}

base::Result<void> Peer::secure(Link& link, bool outgoing) {
  asio::ip::tcp::socket& socket = link.socket;
  asio::error_code ec;
  const auto local = socket.local_endpoint(ec);
  if (ec) {
    return base::fail("cannot secure the connection: " + ec.message());
  }
  const bool v6 = local.protocol() == asio::ip::tcp::v6();
  // RFC 2385: the key is on the socket before the SYN; an accepted socket has it from the
  // listening socket already.
  if (outgoing && !config_.security.md5_key.empty()) {
    BGPSEC_TRY(
        set_md5_key(socket.native_handle(), v6, config_.remote_address, config_.security.md5_key));
  }
  if (!config_.security.ao_keys.empty()) {
    const AoKeyPlan plan = plan_ao_keys(config_.security.ao_keys, WallClock::now());
    if (!plan.send_key) {
      return base::fail("no TCP-AO key may send now (every key's send window is closed)");
    }
    const AoKey& send = plan.installed[*plan.send_key];
    if (outgoing) {
      // RFC 5925 §6.1: every MKT is on the socket before the SYN, which is signed with the
      // current one.
      for (std::size_t i = 0; i < plan.installed.size(); ++i) {
        BGPSEC_TRY(add_ao_key(socket.native_handle(), v6, config_.remote_address, plan.installed[i],
                              i == *plan.send_key));
      }
    } else {
      // An accepted socket holds a copy of the listening socket's keys for this peer and
      // starts with the one the peer's SYN asked for.
      BGPSEC_TRY(set_ao_current_key(socket.native_handle(), send.send_id, send.recv_id));
    }
    link.ao_held = plan.installed;
    BGPSEC_TRY(require_ao(socket.native_handle()));
  }
  // RFC 5082 §3: TTL 255 out, and segments below 256 - hops dropped by the kernel. On an
  // accepted socket the handshake has already happened: the peer's OPEN is what gets dropped.
  if (config_.security.ttl_security_hops != 0) {
    BGPSEC_TRY(set_gtsm(socket.native_handle(), v6, config_.security.ttl_security_hops));
  }
  return {};
}

void Peer::set_ao_keys(std::vector<AoKey> keys) {
  config_.security.ao_keys = std::move(keys);
  const AoKeyPlan plan = plan_ao_keys(config_.security.ao_keys, WallClock::now());
  for (const auto& conn : {main_, second_}) {
    if (!conn || !conn->link || conn->link->closed || conn->link->ao_held.empty()) {
      continue;
    }
    Link& link = *conn->link;
    const bool v6 = config_.remote_address.is_v6();
    AoApplied applied = apply_ao_plan(link.socket.native_handle(), v6, false,
                                      config_.remote_address, link.ao_held, plan);
    const bool changed = applied.held != link.ao_held;
    link.ao_held = std::move(applied.held);
    if (!applied.outcome) {
      log(LogLevel::Error, applied.outcome.error().message);
    } else if (changed && plan.send_key) {
      log(LogLevel::Info,
          "TCP-AO keys changed; sending with key " + plan.installed[*plan.send_key].label());
    }
  }
}

std::optional<AoSocketState> Peer::ao_state() const {
  if (!main_ || !main_->link || main_->link->closed || main_->link->ao_held.empty()) {
    return std::nullopt;
  }
  auto state = ao_socket_state(main_->link->socket.native_handle());
  if (!state) {
    return std::nullopt;
  }
  return *state;
}

void Peer::adopt(const ConnectionPtr& conn, asio::ip::tcp::socket socket) {
  close_link(*conn, false);  // contract item 3: cancel our outgoing attempt
  auto link = std::make_shared<Link>(io_);
  link->socket = std::move(socket);
  asio::error_code ignored;
  link->socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  if (auto secured = secure(*link, false); !secured) {
    log(LogLevel::Error, secured.error().message);
  }
  conn->link = link;
  conn->outgoing = false;
  conn->header_have = 0;
  conn->body_left = 0;
  read(conn, link);
}

void Peer::read(const ConnectionPtr& conn, const LinkPtr& link) {
  link->socket.async_read_some(
      asio::buffer(link->read_buffer),
      [self = weak_from_this(), weak = std::weak_ptr<Connection>(conn), link](
          const asio::error_code& ec, std::size_t n) {
        auto p = self.lock();
        auto c = weak.lock();
        if (!p || !c || c->discarded || c->link != link || link->closed) {
          return;
        }
        if (ec) {
          p->log(LogLevel::Info, ec == asio::error::eof ? "peer closed the connection"
                                                        : "connection lost: " + ec.message());
          link->close_now();
          c->link = nullptr;
          p->guarded([p, c] { p->handle_event(c, TcpConnectionFails{}); });
          return;
        }
        auto bytes = std::make_shared<base::Bytes>(
            link->read_buffer.begin(), link->read_buffer.begin() + static_cast<std::ptrdiff_t>(n));
        p->guarded([p, c, bytes] {
          if (c->discarded) {
            return;
          }
          p->count_messages_in(*c, *bytes);
          p->run(c, c->fsm.receive_bytes(*bytes));
        });
        if (!c->discarded && c->link == link && !link->closed) {
          p->read(c, link);
        }
      });
}

void Peer::count_messages_in(Connection& conn, std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    if (conn.body_left > 0) {
      const auto take = std::min(conn.body_left, bytes.size());
      conn.body_left -= take;
      bytes = bytes.subspan(take);
      continue;
    }
    const auto take = std::min(wire::kHeaderSize - conn.header_have, bytes.size());
    std::copy_n(bytes.begin(), take,
                conn.header.begin() + static_cast<std::ptrdiff_t>(conn.header_have));
    conn.header_have += take;
    bytes = bytes.subspan(take);
    if (conn.header_have == wire::kHeaderSize) {
      // RFC 4271 §4.1: Length (octets 16-17) counts the whole message.
      const std::size_t length = (std::size_t{conn.header[16]} << 8) | conn.header[17];
      conn.body_left = length > wire::kHeaderSize ? length - wire::kHeaderSize : 0;
      conn.header_have = 0;
      ++counters_.messages_in;
    }
  }
}

void Peer::enqueue(const ConnectionPtr& conn, base::Bytes bytes) {
  const auto& link = conn->link;
  if (!link || link->closing || link->closed) {
    return;  // the FSM only sends on a connection; nothing to do for a vanished one
  }
  if (conn == main_) {
    ++counters_.messages_out;
  }
  link->queued_bytes += bytes.size();
  link->queue.push_back(std::move(bytes));
  write(weak_from_this(), conn, link);
}

void Peer::write(std::weak_ptr<Peer> self, std::weak_ptr<Connection> conn, const LinkPtr& link) {
  if (link->writing || link->connecting || link->closed || link->queue.empty()) {
    return;
  }
  link->writing = true;
  asio::async_write(link->socket, asio::buffer(link->queue.front()),
                    [self, conn, link](const asio::error_code& ec, std::size_t /*n*/) {
                      link->writing = false;
                      if (link->closed) {
                        return;
                      }
                      if (ec) {
                        link->close_now();
                        auto p = self.lock();
                        auto c = conn.lock();
                        if (p && c && !c->discarded && c->link == link) {
                          p->log(LogLevel::Info, "write failed: " + ec.message());
                          c->link = nullptr;
                          p->guarded([p, c] { p->handle_event(c, TcpConnectionFails{}); });
                        }
                        return;
                      }
                      link->queued_bytes -= link->queue.front().size();
                      link->queue.pop_front();
                      if (link->queue.empty() && link->closing) {
                        link->close_now();
                        return;
                      }
                      write(self, conn, link);
                    });
}

void Peer::close_link(Connection& conn, bool flush) {
  auto link = std::exchange(conn.link, nullptr);
  if (!link || link->closed) {
    return;
  }
  // Contract item 2: CloseConnection flushes what earlier SendMessage actions queued.
  if (!flush || link->connecting || (!link->writing && link->queue.empty())) {
    link->close_now();
    return;
  }
  link->closing = true;
  link->flush_timer.expires_after(kFlushTimeout);
  link->flush_timer.async_wait([link](const asio::error_code& ec) {
    if (!ec && !link->closed) {
      link->close_now();
    }
  });
}

// ---- timers ----

void Peer::start_timer(const ConnectionPtr& conn, Timer timer, std::chrono::seconds duration) {
  const auto i = static_cast<std::size_t>(timer);
  const auto seq = ++conn->timer_seq[i];
  std::chrono::milliseconds wait = duration;
  if (timer == Timer::ConnectRetry || timer == Timer::Keepalive) {
    // RFC 4271 §10: jitter, shortening the timer by up to 25 %.
    std::uniform_int_distribution<int> percent(75, 100);
    wait = wait * percent(jitter_) / 100;
  }
  auto& t = conn->timers[i];
  t.expires_after(wait);
  t.async_wait([self = weak_from_this(), weak = std::weak_ptr<Connection>(conn), i,
                seq](const asio::error_code& ec) {
    auto p = self.lock();
    auto c = weak.lock();
    if (ec || !p || !c || c->discarded || c->timer_seq[i] != seq) {
      return;  // cancelled, restarted, or the connection is gone
    }
    p->timer_fired(c, static_cast<Timer>(i));
  });
}

void Peer::stop_timer(Connection& conn, Timer timer) {
  const auto i = static_cast<std::size_t>(timer);
  ++conn.timer_seq[i];
  conn.timers[i].cancel();
}

void Peer::timer_fired(const ConnectionPtr& conn, Timer timer) {
  guarded([this, conn, timer] {
    if (conn->discarded) {
      return;
    }
    // A collision's passive FSM that won and later dropped would restart passive; restart
    // the session with the configured (active) FSM instead.
    if (timer == Timer::IdleHold && conn == main_ && conn->collision_born && !config_.fsm.passive &&
        conn->fsm.state() == State::Idle && conn->fsm.timer_armed(Timer::IdleHold)) {
      if (auto fresh = Fsm::create(config_.fsm)) {
        conn->fsm = std::move(*fresh);
        conn->collision_born = false;
        handle_event(conn, ManualStart{});
        return;
      }
    }
    handle_event(conn, TimerExpired{timer});
  });
}

}  // namespace bgpsecd::session
