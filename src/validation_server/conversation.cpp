// SPDX-License-Identifier: BSD-2-Clause
// ServerCore: connections, the handshake, GOODBYE and the refusals (docs/srx-proxy.md §7).
#include "validation_server/conversation.hpp"

#include <algorithm>
#include <limits>
#include <type_traits>
#include <utility>
#include <variant>

namespace bgpsecd::validation_server {

const char* connection_state_name(ConnectionState state) noexcept {
  switch (state) {
    case ConnectionState::AwaitingHello:
      return "awaiting-hello";
    case ConnectionState::Active:
      return "active";
    case ConnectionState::Closed:
      return "closed";
  }
  return "unknown";
}

ServerCore::ServerCore(Options options, Hooks hooks)
    : options_(options),
      hooks_(std::move(hooks)),
      store_(StoreLimits{options.max_updates, options.max_updates_per_proxy,
                         options.min_keep_window}) {}

ServerCore::ConnectionId ServerCore::connected(std::string peer) {
  const auto id = next_connection_++;
  connections_[id].peer = std::move(peer);
  log(id, LogLevel::Info, "connected");
  return id;
}

void ServerCore::set_limits(Options options) {
  options_ = options;
  store_.set_limits(
      StoreLimits{options.max_updates, options.max_updates_per_proxy, options.min_keep_window});
}

void ServerCore::turn_away(ConnectionId id) {
  if (auto it = connections_.find(id); it != connections_.end()) {
    it->second.state = ConnectionState::Closed;
  }
}

void ServerCore::received(ConnectionId id, const srx::SrxPdu& pdu, TimePoint now) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second.state == ConnectionState::Closed)
    return;
  auto& connection = it->second;
  const bool active = connection.state == ConnectionState::Active;
  const std::string type_name =
      srx::srx_pdu_type_name(static_cast<std::uint8_t>(srx::srx_pdu_type(pdu)));
  std::visit(
      [&](const auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, srx::HelloPdu>) {
          // A second HELLO on an established session is a protocol error (NIST: ERROR 2).
          if (active)
            return refuse(id, connection, srx::SrxErrorCode::InvalidPacket, "second HELLO", now);
          on_hello(id, connection, p);
        } else if constexpr (std::is_same_v<T, srx::GoodbyePdu>) {
          on_goodbye(id, connection, p, now);
        } else if constexpr (std::is_same_v<T, srx::PeerChangePdu>) {
          // Accepted and ignored, even before the handshake, as NIST does.
          log(id, LogLevel::Debug, "PEER_CHANGE ignored");
        } else if constexpr (std::is_same_v<T, srx::VerifyRequestPdu> ||
                             std::is_same_v<T, srx::SignRequestPdu> ||
                             std::is_same_v<T, srx::DeleteUpdatePdu>) {
          // Requests before the handshake: NIST's ERROR 3, then GOODBYE; we also close.
          if (!active) {
            return refuse(id, connection, srx::SrxErrorCode::InternalError,
                          type_name + " before HELLO", now);
          }
          if constexpr (std::is_same_v<T, srx::VerifyRequestPdu>)
            on_verify(id, connection, p, now);
          if constexpr (std::is_same_v<T, srx::DeleteUpdatePdu>)
            on_delete(id, connection, p, now);
          if constexpr (std::is_same_v<T, srx::SignRequestPdu>)
            on_sign(id, connection, p);
        } else {
          // Server-to-proxy types (HELLO_RESPONSE, notifications, SYNC_REQUEST, ERROR).
          refuse(id, connection, srx::SrxErrorCode::InvalidPacket, type_name + " from a proxy",
                 now);
        }
      },
      pdu);
}

void ServerCore::malformed(ConnectionId id, const srx::SrxError& error, TimePoint now) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second.state == ConnectionState::Closed)
    return;
  refuse(id, it->second, error.code, error.message, now);
}

void ServerCore::disconnected(ConnectionId id, TimePoint now) {
  auto it = connections_.find(id);
  if (it == connections_.end())
    return;
  log(id, LogLevel::Info, "disconnected");
  if (it->second.state != ConnectionState::Closed) {
    end_session(id, it->second, std::chrono::seconds{0}, now);
  }
  connections_.erase(it);
}

void ServerCore::on_hello(ConnectionId id, Connection& connection, const srx::HelloPdu& hello) {
  auto proxy_id = hello.proxy_id;
  // Proxy ID 0 asks for one (NIST echoes 0 and then refuses every other proxy).
  if (proxy_id == 0)
    proxy_id = assign_proxy_id();
  if (auto known = proxies_.find(proxy_id); known != proxies_.end() && known->second) {
    log(id, LogLevel::Warning,
        "proxy ID " + std::to_string(proxy_id) + " is in use by another connection");
    send_error(id, connection, srx::SrxErrorCode::DuplicateProxyId);
    send(id, srx::GoodbyePdu{});
    connection.state = ConnectionState::Closed;
    if (hooks_.close)
      hooks_.close(id);
    return;
  }
  proxies_[proxy_id] = id;
  connection.proxy_id = proxy_id;
  connection.asn = hello.asn;
  connection.state = ConnectionState::Active;
  log(id, LogLevel::Info, "HELLO from AS " + std::to_string(hello.asn));
  send(id, srx::HelloResponsePdu{proxy_id});
  // Always ask for the routes again: after our restart or its reconnect the proxy holds IDs
  // we must relearn from its VERIFYs.
  send(id, srx::SyncRequestPdu{});
}

void ServerCore::on_goodbye(ConnectionId id, Connection& connection, const srx::GoodbyePdu& goodbye,
                            TimePoint now) {
  log(id, LogLevel::Info, "GOODBYE");
  const auto proxy_id = connection.proxy_id;
  end_session(id, connection, std::chrono::seconds{goodbye.keep_window}, now);
  // A proxy that said GOODBYE gives up its ID.
  if (proxy_id)
    proxies_.erase(*proxy_id);
  if (hooks_.close)
    hooks_.close(id);
}

// ERROR `code`, GOODBYE, close; the proxy's updates are released as on TCP loss.
void ServerCore::refuse(ConnectionId id, Connection& connection, srx::SrxErrorCode code,
                        const std::string& why, TimePoint now) {
  log(id, LogLevel::Warning,
      std::string("ERROR ") + srx::srx_error_code_name(static_cast<std::uint16_t>(code)) + ": " +
          why);
  send_error(id, connection, code);
  send(id, srx::GoodbyePdu{static_cast<std::uint16_t>(
               std::min<std::int64_t>(options_.min_keep_window.count(), 65535))});
  end_session(id, connection, std::chrono::seconds{0}, now);
  if (hooks_.close)
    hooks_.close(id);
}

// The connection stops being the proxy's: its updates are released (keep window starts) and
// its proxy ID stays reserved for a reconnect.
void ServerCore::end_session(ConnectionId id, Connection& connection,
                             std::chrono::seconds keep_window, TimePoint now) {
  if (connection.proxy_id) {
    store_.release_all(*connection.proxy_id, keep_window, now);
    if (auto it = proxies_.find(*connection.proxy_id); it != proxies_.end() && it->second == id) {
      it->second.reset();
    }
  }
  connection.state = ConnectionState::Closed;
}

void ServerCore::shutdown() {
  for (auto& [id, connection] : connections_) {
    if (connection.state == ConnectionState::Closed)
      continue;
    send(id, srx::GoodbyePdu{static_cast<std::uint16_t>(
                 std::min<std::int64_t>(options_.min_keep_window.count(), 65535))});
    connection.state = ConnectionState::Closed;
    if (hooks_.close)
      hooks_.close(id);
  }
}

// Assigned IDs count down from 0xFFFFFFFF (255.255.255.255 is no router ID, which is what
// QuaggaSRx uses by default), skipping IDs in use or reserved.
std::uint32_t ServerCore::assign_proxy_id() const {
  std::uint32_t candidate = std::numeric_limits<std::uint32_t>::max();
  while (proxies_.contains(candidate))
    --candidate;
  return candidate;
}

void ServerCore::send(ConnectionId id, const srx::SrxPdu& pdu) {
  auto bytes = srx::encode_srx_pdu(pdu);
  if (!bytes) {
    log(id, LogLevel::Error, "cannot encode: " + bytes.error().message);
    return;
  }
  if (hooks_.send)
    hooks_.send(id, std::move(*bytes));
}

void ServerCore::send_error(ConnectionId id, Connection& connection, srx::SrxErrorCode code) {
  ++connection.counters.errors;
  send(id, srx::ErrorPdu{static_cast<std::uint16_t>(code)});
}

void ServerCore::log(ConnectionId id, LogLevel level, const std::string& text) const {
  if (hooks_.log)
    hooks_.log(id, level, who(id) + ": " + text);
}

std::string ServerCore::who(ConnectionId id) const {
  auto it = connections_.find(id);
  if (it == connections_.end())
    return "connection " + std::to_string(id);
  std::string text = "proxy " + it->second.peer;
  if (it->second.proxy_id)
    text += " (ID " + std::to_string(*it->second.proxy_id) + ")";
  return text;
}

std::size_t ServerCore::open_connection_count() const {
  return static_cast<std::size_t>(std::count_if(
      connections_.begin(), connections_.end(),
      [](const auto& entry) { return entry.second.state != ConnectionState::Closed; }));
}

std::vector<ServerCore::ConnectionView> ServerCore::connections() const {
  std::vector<ConnectionView> views;
  for (const auto& [id, connection] : connections_) {
    views.push_back(
        ConnectionView{id, connection.peer, connection.proxy_id, connection.asn, connection.state,
                       connection.proxy_id && connection.state == ConnectionState::Active
                           ? store_.held_by(*connection.proxy_id)
                           : 0,
                       connection.counters});
  }
  return views;
}

}  // namespace bgpsecd::validation_server
