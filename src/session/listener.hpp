// SPDX-License-Identifier: BSD-2-Clause
// Accepts BGP connections on one or more local endpoints and hands each to the Peer configured
// for its remote address (RFC 4271 §8.2.1: a speaker listens on port 179); connections from
// unknown addresses are logged and closed. Runs on the io_context's thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <asio.hpp>

#include "base/result.hpp"
#include "session/peer.hpp"

namespace bgpsecd::session {

class Listener {
 public:
  // Returns the Peer for a remote address, or nullptr. IPv4-mapped IPv6 addresses are
  // turned into IPv4 first.
  using FindPeer = std::function<std::shared_ptr<Peer>(const asio::ip::address&)>;
  using Log = std::function<void(LogLevel, const std::string&)>;

  Listener(asio::io_context& io, FindPeer find_peer, Log log);
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  Listener(Listener&&) = delete;
  Listener& operator=(Listener&&) = delete;
  ~Listener();

  // Binds (SO_REUSEADDR; IPv6 sockets are IPv6-only, so "::" and "0.0.0.0" can both be
  // listened on) and starts accepting. Port 0 picks a free port: see local_endpoints().
  base::Result<void> listen(const asio::ip::tcp::endpoint& endpoint);
  // The RFC 2385 key for connections from `peer` on every listening socket of its family,
  // now and on those opened later; an empty key removes it. Errors name the peer (never the key).
  base::Result<void> set_md5_key(const asio::ip::address& peer, const std::string& key);
  // The TCP-AO keys (RFC 5925) for connections from `peer`: every listening socket of its
  // family is brought to `plan.installed` (accepted sockets get a copy); an empty plan
  // removes them. Errors name the peer and key ids (never the secret).
  base::Result<void> set_ao_keys(const asio::ip::address& peer, const AoKeyPlan& plan);
  // Stops accepting on every endpoint.
  void close();
  [[nodiscard]] std::vector<asio::ip::tcp::endpoint> local_endpoints() const;

 private:
  struct Shared;
  struct Acceptor;
  void accept(const std::shared_ptr<Acceptor>& acceptor);

  asio::io_context& io_;
  std::shared_ptr<Shared> shared_;
  std::vector<std::shared_ptr<Acceptor>> acceptors_;
  std::map<asio::ip::address, std::string> md5_keys_;        // by peer address
  std::map<asio::ip::address, std::vector<AoKey>> ao_keys_;  // held, by peer address
};

}  // namespace bgpsecd::session
