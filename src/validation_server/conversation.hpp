// SPDX-License-Identifier: BSD-2-Clause
// The server side of the SRx proxy protocol (RFC 8374 §9.3; docs/srx-proxy.md §7) as a pure
// state machine: the update store, the proxy-ID table and each connection's state. The
// transport hands in decoded PDUs and connection events, with the time; everything the server
// does comes out through Hooks (PDUs to send, connections to close, validations to start).
// No sockets, no threads, no clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "srx/pdu.hpp"
#include "validation_server/update.hpp"
#include "validation_server/update_store.hpp"

namespace bgpsecd::validation_server {

enum class LogLevel : std::uint8_t { Debug, Info, Warning, Error };

enum class ConnectionState : std::uint8_t {
  AwaitingHello,  // connected, no HELLO yet
  Active,         // handshake done
  Closed,         // the server said GOODBYE / closed; waiting for the transport to go
};
[[nodiscard]] const char* connection_state_name(ConnectionState state) noexcept;

struct ConnectionCounters {
  std::uint64_t requests = 0;       // VERIFY requests received
  std::uint64_t receipts = 0;       // receipts sent
  std::uint64_t notifications = 0;  // result notifications sent (not receipts)
  std::uint64_t deletes = 0;        // DELETE_UPDATE received
  std::uint64_t errors = 0;         // ERROR PDUs sent
  std::uint64_t sign_requests = 0;  // SIGN_REQUEST received
};

class ServerCore {
 public:
  using ConnectionId = std::uint64_t;
  using TimePoint = Clock::time_point;

  struct Hooks {
    // One encoded PDU for `connection`, to be written in order.
    std::function<void(ConnectionId, base::Bytes)> send;
    // Close `connection` after what was sent before is written.
    std::function<void(ConnectionId)> close;
    // Start validating `types` (kFlag bits) of update `id`; the results come back through
    // on_result with the same generation (synchronously or later).
    std::function<void(std::uint32_t id, const UpdateContent&, std::uint8_t types,
                       std::uint64_t generation)>
        validate;
    // Update `id` left the store (collected); the validation side forgets it.
    std::function<void(std::uint32_t id)> forget;
    // SIGN_REQUEST for a stored update: the SIGN_NOTIFICATION payload, or the ERROR to send.
    std::function<base::Result<base::Bytes, srx::SrxError>(
        std::uint32_t id, const UpdateContent&, const srx::SignRequestPdu&, std::uint32_t proxy_as)>
        sign;
    // A log line about `connection` (its peer and proxy ID are in the text).
    std::function<void(ConnectionId, LogLevel, std::string)> log;
  };

  struct Options {
    std::size_t max_updates = 1'000'000;
    std::size_t max_updates_per_proxy = 500'000;
    std::chrono::seconds min_keep_window{900};
  };

  struct ConnectionView {
    ConnectionId id = 0;
    std::string peer;
    std::optional<std::uint32_t> proxy_id;  // after HELLO
    std::uint32_t asn = 0;                  // the HELLO's AS
    ConnectionState state = ConnectionState::AwaitingHello;
    std::size_t updates_held = 0;
    ConnectionCounters counters;
  };

  ServerCore(Options options, Hooks hooks);

  // A TCP connection was accepted from `peer` ("127.0.0.1:40000").
  ConnectionId connected(std::string peer);
  // The owner refuses a connection just accepted (not allowed, too many routers): it is closed
  // at once, without a word, and counts no longer; the owner closes the socket.
  void turn_away(ConnectionId connection);
  // A decoded PDU from `connection`.
  void received(ConnectionId connection, const srx::SrxPdu& pdu, TimePoint now);
  // The framer or decoder refused the input: ERROR (the error's code), GOODBYE, close.
  void malformed(ConnectionId connection, const srx::SrxError& error, TimePoint now);
  // The TCP connection is gone. Without a GOODBYE the proxy ID stays reserved for its
  // reconnect; the proxy's updates are released (their keep window starts).
  void disconnected(ConnectionId connection, TimePoint now);
  // A result of validation `generation` of update `id`. Ignored if stale or the update is
  // gone; otherwise stored, and the holders that asked for `type` are notified (docs §7).
  void on_result(std::uint32_t id, ResultType type, srx::SrxResult result,
                 std::uint64_t generation);
  // Validates `types` of `id` again (an RPKI change), those of them computed before (asked for
  // by some router); older generations become stale. The types started.
  std::uint8_t revalidate(std::uint32_t id, std::uint8_t types);
  // Removes updates whose keep window has passed; calls hooks.forget for each. Their number.
  std::size_t collect(TimePoint now);
  // New limits and keep window (a reload), for what comes from now on (UpdateStore::set_limits).
  void set_limits(Options options);
  // GOODBYE to every open connection, then close them.
  void shutdown();

  [[nodiscard]] std::vector<ConnectionView> connections() const;
  // Connections not closed by the server: those it refused or said GOODBYE to do not count
  // while their last bytes are written.
  [[nodiscard]] std::size_t open_connection_count() const;
  [[nodiscard]] std::size_t update_count() const noexcept { return store_.size(); }
  [[nodiscard]] const StoredUpdate* update(std::uint32_t id) const { return store_.find(id); }

 private:
  struct Connection {
    std::string peer;
    std::optional<std::uint32_t> proxy_id;
    std::uint32_t asn = 0;
    ConnectionState state = ConnectionState::AwaitingHello;
    ConnectionCounters counters;
  };

  // conversation.cpp: connection life and handshake.
  void on_hello(ConnectionId id, Connection& connection, const srx::HelloPdu& hello);
  void on_goodbye(ConnectionId id, Connection& connection, const srx::GoodbyePdu& goodbye,
                  TimePoint now);
  void refuse(ConnectionId id, Connection& connection, srx::SrxErrorCode code,
              const std::string& why, TimePoint now);
  void end_session(ConnectionId id, Connection& connection, std::chrono::seconds keep_window,
                   TimePoint now);
  [[nodiscard]] std::uint32_t assign_proxy_id() const;
  void send(ConnectionId id, const srx::SrxPdu& pdu);
  void send_error(ConnectionId id, Connection& connection, srx::SrxErrorCode code);
  void log(ConnectionId id, LogLevel level, const std::string& text) const;
  [[nodiscard]] std::string who(ConnectionId id) const;

  // conversation_updates.cpp: VERIFY, DELETE, SIGN and results.
  void on_verify(ConnectionId id, Connection& connection, const srx::VerifyRequestPdu& request,
                 TimePoint now);
  void on_delete(ConnectionId id, Connection& connection, const srx::DeleteUpdatePdu& request,
                 TimePoint now);
  void on_sign(ConnectionId id, Connection& connection, const srx::SignRequestPdu& request);
  void start_validation(std::uint32_t update_id, StoredUpdate& update, std::uint8_t types);
  void notify(std::uint32_t proxy_id, std::uint32_t update_id, std::uint8_t types,
              const UpdateResults& results);

  Options options_;
  Hooks hooks_;
  UpdateStore store_;
  std::map<ConnectionId, Connection> connections_;
  // Proxy ID -> its active connection; std::nullopt: reserved for a reconnect after TCP loss.
  std::map<std::uint32_t, std::optional<ConnectionId>> proxies_;
  ConnectionId next_connection_ = 1;
  std::uint64_t next_generation_ = 1;
};

}  // namespace bgpsecd::validation_server
