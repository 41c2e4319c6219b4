// SPDX-License-Identifier: BSD-2-Clause
// The proxy (router) side of the SRx proxy protocol for one connection to one server
// (RFC 8374 §9.3; docs/srx-proxy.md), as a pure state machine: no sockets, no clock, no
// threads. It keeps the routes the owner submitted, so that it can send them again after a
// SYNC_REQUEST or a reconnect, and so that the owner can move them to another server.
//
// Transport contract (SrxClientConnection is the one in the tree):
//   - on TCP connect call connected(now); on loss, disconnected(now);
//   - hand in every decoded PDU with received(), framing or decoding errors with malformed();
//   - write every Hooks::send buffer whole and in order; on Hooks::close, close the connection
//     after what was sent before is written, then call disconnected();
//   - call tick(now) about once a second: the HELLO_RESPONSE and answer timeouts fire there.
// The owner's calls (submit, withdraw, sign, peer_change, shutdown) may come in any state;
// what cannot be sent yet waits for the next HELLO_RESPONSE.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/latency_histogram.hpp"
#include "base/result.hpp"
#include "srx/pdu.hpp"
#include "srx/results.hpp"
#include "srx_client/route_request.hpp"

namespace bgpsecd::srx_client {

using TimePoint = std::chrono::steady_clock::time_point;

enum class ProxyState : std::uint8_t {
  Disconnected,           // no connection (initial, or after disconnected())
  AwaitingHelloResponse,  // HELLO sent
  Active,                 // HELLO_RESPONSE received
  Closing,                // the proxy or the server ended the session; waiting for the transport
};
[[nodiscard]] const char* proxy_state_name(ProxyState state) noexcept;

enum class ProxyLogLevel : std::uint8_t { Debug, Info, Warning };

// A SIGN_REQUEST's parameters (docs/srx-proxy.md §9): algorithm 1 signs with the active key,
// 2 with the next one; block type 0x01 asks for the new segments only, 0 for the whole
// attribute; the new segment's pCount; the AS the route is sent to.
struct SignParameters {
  std::uint16_t algorithm = 1;
  std::uint8_t block_type = 0;
  std::uint32_t prepend_counter = 1;
  std::uint32_t peer_as = 0;
  friend bool operator==(const SignParameters&, const SignParameters&) = default;
};

// What the owner learns about a route's results.
struct ResultEvent {
  RouteKey key = 0;
  // Per wanted type: the server's result, or the owner's default while there is none.
  srx::UpdateResults results;
  std::uint8_t arrived = 0;  // types whose result came from this server for the first time
  std::uint8_t changed = 0;  // types whose value in `results` changed
};

struct ProxyCounters {
  std::uint64_t requests = 0;       // VERIFY requests sent
  std::uint64_t receipts = 0;       // receipts received
  std::uint64_t notifications = 0;  // result notifications received (not receipts)
  std::uint64_t deletes = 0;        // DELETE_UPDATE sent
  std::uint64_t sign_requests = 0;  // SIGN_REQUEST sent
  std::uint64_t errors = 0;         // ERROR PDUs received
  std::uint64_t refused = 0;        // VERIFY requests the server refused (ERROR 5)
  std::uint64_t syncs = 0;          // SYNC_REQUESTs answered
  // VERIFY to its receipt: how quickly the server takes a request.
  base::LatencyHistogram receipt_latency;
  // VERIFY to the last wanted result of the route (in the receipt or a later notification):
  // how long a route waits for its validation state.
  base::LatencyHistogram result_latency;
};

// A route as the proxy holds it: for listings, and for replaying to another server.
struct HeldRoute {
  RouteKey key = 0;
  RouteRequest request;
  srx::UpdateResults known;  // this server's results; 3 (undefined) where none arrived
  std::uint8_t pending = 0;  // wanted types this server has not answered yet
  std::optional<std::uint32_t> update_id;
  std::vector<SignParameters> signs;  // SIGN_REQUESTs not answered yet
};

class ProxyCore {
 public:
  struct Hooks {
    // One encoded PDU to write, in order.
    std::function<void(base::Bytes)> send;
    // The session is over: close the connection after what was sent is written.
    std::function<void(const std::string& reason)> close;
    // A route's result arrived or changed.
    std::function<void(const ResultEvent&)> results;
    // The answer to sign(): the SIGN_NOTIFICATION's data (docs/srx-proxy.md §9), or the
    // server's ERROR.
    std::function<void(RouteKey, const SignParameters&, base::Result<base::Bytes, srx::SrxError>)>
        signed_path;
    std::function<void(ProxyLogLevel, const std::string&)> log;
  };

  struct Options {
    std::uint32_t proxy_id = 0;  // 0 asks the server for one (docs/srx-proxy.md §7.1)
    std::uint32_t asn = 0;       // the router's AS
    std::vector<std::uint32_t> peers;
    std::chrono::seconds hello_timeout{10};   // HELLO to HELLO_RESPONSE
    std::chrono::seconds answer_timeout{30};  // VERIFY to receipt, SIGN_REQUEST to answer
    std::uint16_t keep_window = 900;          // sent with DELETE_UPDATE and GOODBYE
  };

  ProxyCore(Options options, Hooks hooks);

  // ===== transport =====
  // The TCP connection is up: HELLO.
  void connected(TimePoint now);
  void received(const srx::SrxPdu& pdu, TimePoint now);
  // The framer or decoder refused the server's input: GOODBYE, close.
  void malformed(const srx::SrxError& error, TimePoint now);
  // The connection is gone. Routes stay; update IDs and unanswered requests are forgotten, and
  // everything is sent again after the next HELLO_RESPONSE.
  void disconnected(TimePoint now);
  // Fires the timeouts: no HELLO_RESPONSE, or a VERIFY or SIGN_REQUEST without an answer.
  void tick(TimePoint now);

  // ===== owner =====
  // Holds `request` under `key` (replacing what the key held) and sends it when active. Fails,
  // holding nothing new, when the request cannot be encoded (more than 65535 AS path entries or
  // an attribute over 65535 bytes).
  [[nodiscard]] base::Result<void, srx::SrxError> submit(RouteKey key, RouteRequest request,
                                                         TimePoint now);
  // Takes over a route another core held (failover, ServerSet): submitted with its last known
  // results as the starting point, so that the owner sees a change only when this server's
  // answer differs, and its unanswered SIGN_REQUESTs asked again.
  [[nodiscard]] base::Result<void, srx::SrxError> adopt(const HeldRoute& route, TimePoint now);
  // Forgets the route; DELETE_UPDATE when no other route names the same update.
  void withdraw(RouteKey key);
  // Asks the server to sign the route (SIGN_REQUEST) once its update ID is known. Fails for an
  // unknown key.
  [[nodiscard]] base::Result<void> sign(RouteKey key, const SignParameters& parameters,
                                        TimePoint now);
  // A BGP peer came (added) or went: PEER_CHANGE when active; the next HELLO lists the peers.
  void peer_change(std::uint32_t peer_as, bool added);
  // GOODBYE (keep window) and close, when connected.
  void shutdown();

  // ===== views =====
  [[nodiscard]] ProxyState state() const noexcept { return state_; }
  // The proxy ID the server confirmed (kept for the next HELLO), or the configured one.
  [[nodiscard]] std::uint32_t proxy_id() const noexcept { return proxy_id_; }
  [[nodiscard]] const ProxyCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] std::size_t route_count() const noexcept { return routes_.size(); }
  // The owner's view: the server's results, the defaults where none arrived.
  [[nodiscard]] std::optional<srx::UpdateResults> results(RouteKey key) const;
  [[nodiscard]] std::optional<HeldRoute> route(RouteKey key) const;
  // Every route, in key order.
  [[nodiscard]] std::vector<HeldRoute> held() const;
  // Requests sent and not answered yet (receipts and SIGN answers).
  [[nodiscard]] std::size_t awaiting_answers() const noexcept { return awaiting_.size(); }

 private:
  struct Route {
    RouteRequest request;
    srx::UpdateResults known;
    std::uint8_t pending = 0;
    std::optional<std::uint32_t> update_id;
    std::optional<std::uint32_t> token;      // the receipt awaited
    std::optional<TimePoint> asked;          // the VERIFY that wanted results still pending
    std::vector<SignParameters> sign_queue;  // waiting for the update ID or the session
  };
  // A request the server answers at once, in the order sent: a VERIFY (receipt) or a
  // SIGN_REQUEST (SIGN_NOTIFICATION or ERROR).
  struct Awaited {
    bool is_sign = false;
    std::uint32_t token = 0;      // VERIFY
    std::uint32_t update_id = 0;  // SIGN_REQUEST
    std::optional<RouteKey> key;  // nullopt: the route was withdrawn or replaced meanwhile
    RouteRequest request;         // VERIFY: what was asked (to release an abandoned hold)
    SignParameters sign;
    TimePoint sent;
  };

  // proxy_core.cpp: the session.
  void on_hello_response(const srx::HelloResponsePdu& response, TimePoint now);
  void on_error(const srx::ErrorPdu& error, TimePoint now);
  void on_sync(TimePoint now);
  void end(const std::string& reason, bool goodbye);
  void send(const srx::SrxPdu& pdu);
  void log(ProxyLogLevel level, const std::string& text) const;

  // proxy_core_routes.cpp: VERIFY, receipts, notifications, DELETE, SIGN.
  void send_verify(RouteKey key, Route& route, TimePoint now);
  void send_sign(RouteKey key, Route& route, const SignParameters& parameters, TimePoint now);
  void replay(TimePoint now);
  void on_receipt(const srx::VerifyNotificationPdu& receipt, TimePoint now);
  void on_notification(const srx::VerifyNotificationPdu& notification, TimePoint now);
  void on_sign_notification(const srx::SignNotificationPdu& notification);
  void on_refused(const srx::ErrorPdu& error);
  void apply(RouteKey key, Route& route, std::uint8_t types, const srx::VerifyNotificationPdu& pdu,
             TimePoint now);
  void map_update(RouteKey key, Route& route, std::uint32_t update_id);
  void unmap_update(RouteKey key, Route& route);
  void release_if_unused(std::uint32_t update_id, const RouteRequest& request);
  [[nodiscard]] bool update_in_use(const RouteRequest& request) const;
  [[nodiscard]] srx::UpdateResults effective(const Route& route) const;

  Options options_;
  Hooks hooks_;
  ProxyState state_ = ProxyState::Disconnected;
  std::uint32_t proxy_id_ = 0;
  std::vector<std::uint32_t> peers_;
  TimePoint hello_sent_{};
  // The routes were just sent again at HELLO_RESPONSE: a SYNC_REQUEST right behind it (our
  // server always sends one, docs/srx-proxy.md §7.1) asks for nothing more.
  bool replayed_ = false;
  std::map<RouteKey, Route> routes_;
  std::multimap<std::uint32_t, RouteKey> by_update_;
  std::deque<Awaited> awaiting_;
  std::uint32_t next_token_ = 1;
  ProxyCounters counters_;
};

}  // namespace bgpsecd::srx_client
