// SPDX-License-Identifier: BSD-2-Clause
// Every configured SRx server, connected: one SrxClientConnection per server and the
// ServerSet that keeps each route at the most preferred server with an active session
// (docs/srx-proxy.md §10.4). This is what the speaker holds: it submits and withdraws routes,
// gets their results, and is told when the set of answering servers changes, so that it can
// fall back to local validation while none answers (RFC 8374 §9.3.2).
//
// Threads: everything runs on the io_context's thread, the handlers included. start() once,
// stop() (or the destructor) before the io_context goes away.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <asio.hpp>

#include "base/result.hpp"
#include "srx_client/proxy_core.hpp"
#include "srx_client/server_set.hpp"
#include "srx_client/srx_client_connection.hpp"

namespace bgpsecd::srx_client {

struct ServerPoolOptions {
  std::vector<SrxClientOptions> servers;  // most preferred first, at least one
  ProxyCore::Options core;                // the same HELLO (proxy ID, AS, peers) to each
};

class ServerPool {
 public:
  struct Handlers {
    // A route's result arrived or changed, from whichever server holds it.
    std::function<void(const ResultEvent&)> results;
    // The answer to sign().
    std::function<void(RouteKey, const SignParameters&, base::Result<base::Bytes, srx::SrxError>)>
        signed_path;
    // Server `index` changed state (`why` says what happened); `available`: whether any
    // server has an active session now. Called after the routes moved (failover).
    std::function<void(std::size_t index, ProxyState state, const std::string& why, bool available)>
        state_changed;
    std::function<void(std::size_t index, ProxyLogLevel, const std::string&)> log;
  };

  ServerPool(asio::io_context& io, ServerPoolOptions options, Handlers handlers);
  ServerPool(const ServerPool&) = delete;
  ServerPool& operator=(const ServerPool&) = delete;
  ServerPool(ServerPool&&) = delete;
  ServerPool& operator=(ServerPool&&) = delete;
  ~ServerPool();

  // Connects to every server (and keeps reconnecting) until stop().
  void start();
  // GOODBYE to every server with a session and closes; no handler is called after.
  void stop();

  [[nodiscard]] base::Result<void, srx::SrxError> submit(RouteKey key, RouteRequest request);
  void withdraw(RouteKey key);
  [[nodiscard]] base::Result<void> sign(RouteKey key, const SignParameters& parameters);
  // A BGP peer came or went: PEER_CHANGE to every server with a session.
  void peer_change(std::uint32_t peer_as, bool added);

  // True when at least one server has an active session.
  [[nodiscard]] bool available() const;
  [[nodiscard]] std::size_t size() const noexcept { return connections_.size(); }
  [[nodiscard]] const SrxClientConnection& server(std::size_t index) const {
    return *connections_.at(index);
  }
  // The server that holds the routes (index in preference order), and how often they moved.
  [[nodiscard]] std::size_t home() const noexcept { return set_->home(); }
  [[nodiscard]] std::size_t failovers() const noexcept { return set_->moves(); }
  [[nodiscard]] const ProxyCore& home_core() const noexcept { return set_->home_core(); }

 private:
  void on_state(std::size_t index, ProxyState state, const std::string& why);

  asio::io_context& io_;
  Handlers handlers_;
  std::vector<std::shared_ptr<SrxClientConnection>> connections_;
  std::unique_ptr<ServerSet> set_;
  // Guards the posted failover against a pool destroyed meanwhile.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  bool stopped_ = false;
};

}  // namespace bgpsecd::srx_client
