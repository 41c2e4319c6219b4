// SPDX-License-Identifier: BSD-2-Clause
// One BGP peer over TCP: carries out the actions of the pure Fsm (fsm.hpp, whose header
// comment is the contract followed here) with asio sockets and timers, including accepted
// connections and RFC 4271 §6.8 collisions. Everything runs on the io_context's thread, and
// the PeerHandler is called from there.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <asio.hpp>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "session/fsm.hpp"
#include "session/negotiation.hpp"
#include "session/tcp_security.hpp"
#include "wire/route_refresh.hpp"
#include "wire/update.hpp"

namespace bgpsecd::session {

inline constexpr std::uint16_t kBgpPort = 179;  // RFC 4271 §8.2.1

struct PeerConfig {
  FsmConfig fsm;
  asio::ip::address remote_address;
  std::uint16_t remote_port = kBgpPort;
  // Bound (port 0) before connecting out, so tests can use 127.0.0.x without root.
  std::optional<asio::ip::address> local_address;
  // For log lines; the remote address when empty.
  std::string name;
  // TCP MD5 (RFC 2385) and GTSM (RFC 5082) for this session's connections. The MD5 key of
  // incoming connections is on the listening socket (Listener::set_md5_key).
  TcpSecurity security;
};

enum class LogLevel : std::uint8_t { Debug, Info, Warning, Error };
[[nodiscard]] const char* log_level_name(LogLevel level) noexcept;

// The owner of a Peer (the RIB side). Called on the io_context thread. A handler may call
// the Peer's methods; FSM events it causes (stop(), start()) run after the current batch.
class PeerHandler {
 public:
  PeerHandler() = default;
  PeerHandler(const PeerHandler&) = default;
  PeerHandler& operator=(const PeerHandler&) = default;
  PeerHandler(PeerHandler&&) = default;
  PeerHandler& operator=(PeerHandler&&) = default;
  virtual ~PeerHandler() = default;

  virtual void on_established(const Negotiated& negotiated) = 0;
  virtual void on_update(wire::DecodedUpdate&& update) = 0;
  virtual void on_route_refresh(const wire::RouteRefreshMessage& refresh) = 0;
  // For every connection of this session that got as far as OpenSent (fsm.hpp, contract
  // item 2); `was_established` says whether routes learned from the peer must go.
  virtual void on_down(const SessionDown& down) = 0;
  // The peer's name already starts the line.
  virtual void on_log(LogLevel level, const std::string& text) = 0;
};

struct PeerCounters {
  std::uint64_t messages_in = 0;
  std::uint64_t messages_out = 0;
  std::uint64_t updates_in = 0;
  std::uint64_t updates_out = 0;
  std::uint64_t established_transitions = 0;
  std::uint64_t connects = 0;  // outgoing attempts
  std::uint64_t accepts = 0;   // incoming connections handed to this peer
  std::string last_error;      // the last SessionDown, in words; empty before the first
  // When the session last reached Established (meaningful while state() == Established).
  std::chrono::steady_clock::time_point established_since{};
};

class Peer : public std::enable_shared_from_this<Peer> {
 public:
  // Fails when the FSM config is invalid (Fsm::create). The handler must outlive the Peer.
  [[nodiscard]] static base::Result<std::shared_ptr<Peer>> create(asio::io_context& io,
                                                                  PeerConfig config,
                                                                  PeerHandler& handler);
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;
  Peer(Peer&&) = delete;
  Peer& operator=(Peer&&) = delete;
  ~Peer();

  // ManualStart (ignored unless Idle).
  void start();
  // ManualStop: Cease / Administrative Shutdown (RFC 4486 §4) to an open session, then Idle
  // with no automatic restart.
  void stop(std::uint8_t cease_subcode = subcode::kCeaseAdminShutdown);

  // Encoded with the session's EncodeContext and queued; refused unless Established.
  base::Result<void> send_update(const wire::UpdateMessage& update);
  // UPDATEs already encoded (e.g. a table replayed by `bgpsec replay`): whole messages,
  // headers included, back to back, queued as one write. Refused unless Established, or when
  // a message is cut short, is not an UPDATE or is longer than the session allows (RFC 8654);
  // whether the content suits the session (4-octet AS, BGPsec per AFI) is the caller's to
  // know. Returns the number of messages queued.
  base::Result<std::size_t> send_encoded_updates(base::Bytes messages);
  // Refused unless Established with route refresh negotiated (RFC 2918 §4).
  base::Result<void> send_route_refresh(const wire::RouteRefreshMessage& refresh);

  // New TCP-AO keys or a key's window opening or closing (RFC 5925 §6.1): the live
  // connection gets the new keys, switches to the key that should send now and drops the
  // keys no longer wanted, without a reset. Errors are logged.
  void set_ao_keys(std::vector<AoKey> keys);
  // The kernel's TCP-AO view of the session's connection; none without TCP-AO.
  [[nodiscard]] std::optional<AoSocketState> ao_state() const;

  // An incoming connection from this peer's address (the Listener found us).
  void accept(asio::ip::tcp::socket socket);

  [[nodiscard]] State state() const noexcept;
  // While OpenConfirm or Established.
  [[nodiscard]] const std::optional<Negotiated>& negotiated() const noexcept;
  [[nodiscard]] const PeerCounters& counters() const noexcept { return counters_; }
  // Octets queued for the current connection and not yet written (back-pressure: a sender
  // of many UPDATEs waits while this is large).
  [[nodiscard]] std::size_t queued_bytes() const noexcept;
  [[nodiscard]] const PeerConfig& config() const noexcept { return config_; }
  [[nodiscard]] const std::string& name() const noexcept { return config_.name; }
  // True while a second connection (collision candidate) exists; for tests and the operator.
  [[nodiscard]] bool has_collision_candidate() const noexcept { return second_ != nullptr; }
  // Whether the current connection was opened by us (RFC 4271 §6.8 keeps one direction).
  [[nodiscard]] bool locally_initiated() const noexcept;
  // The local and remote ends of the current connection (BMP Peer Up); nullopt without one.
  [[nodiscard]] std::optional<std::pair<asio::ip::tcp::endpoint, asio::ip::tcp::endpoint>>
  endpoints() const;

 private:
  struct Link;
  struct Connection;
  using LinkPtr = std::shared_ptr<Link>;
  using ConnectionPtr = std::shared_ptr<Connection>;

  Peer(asio::io_context& io, PeerConfig config, PeerHandler& handler, Fsm fsm);

  // Runs `body` now, or after the batch being carried out (a handler called back in).
  void guarded(std::function<void()> body);
  void handle_event(const ConnectionPtr& conn, Event event);
  void run(const ConnectionPtr& conn, std::vector<Action> actions);
  void report_down(const ConnectionPtr& conn, const SessionDown& down);
  // RFC 4271 §6.8 between main_ and second_; keeps the winner in main_.
  void check_collision();
  void dump(const ConnectionPtr& loser);
  static void discard(Connection& conn);

  void connect(const ConnectionPtr& conn);
  void adopt(const ConnectionPtr& conn, asio::ip::tcp::socket socket);
  // TcpSecurity on a socket of this session: the MD5 key (outgoing only), the TCP-AO keys
  // and GTSM.
  [[nodiscard]] base::Result<void> secure(Link& link, bool outgoing);
  void read(const ConnectionPtr& conn, const LinkPtr& link);
  // Writes the link's queue; keeps going after the link was closed by CloseConnection (the
  // flush of contract item 2), even if the Peer is gone by then.
  static void write(std::weak_ptr<Peer> self, std::weak_ptr<Connection> conn, const LinkPtr& link);
  void enqueue(const ConnectionPtr& conn, base::Bytes bytes);
  static void close_link(Connection& conn, bool flush);
  void start_timer(const ConnectionPtr& conn, Timer timer, std::chrono::seconds duration);
  static void stop_timer(Connection& conn, Timer timer);
  void timer_fired(const ConnectionPtr& conn, Timer timer);
  void count_messages_in(Connection& conn, std::span<const std::uint8_t> bytes);
  void log(LogLevel level, const std::string& text) const;

  asio::io_context& io_;
  PeerConfig config_;
  PeerHandler& handler_;
  ConnectionPtr main_;    // the session
  ConnectionPtr second_;  // an accepted connection during OpenSent/OpenConfirm (§6.8)
  PeerCounters counters_;
  std::minstd_rand jitter_;
  bool running_ = false;  // a batch of actions is being carried out
  State logged_state_ = State::Idle;
  std::deque<std::function<void()>> deferred_;
};

}  // namespace bgpsecd::session
