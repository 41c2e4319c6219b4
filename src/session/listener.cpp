// SPDX-License-Identifier: BSD-2-Clause
// The BGP listening sockets: accept, find the Peer by remote address, hand over or close.
#include "session/listener.hpp"

#include <chrono>
#include <utility>

#include "session/tcp_security.hpp"

namespace bgpsecd::session {

struct Listener::Shared {
  FindPeer find_peer;
  Log log;
  void write(LogLevel level, const std::string& text) const {
    if (log) {
      log(level, text);
    }
  }
};

struct Listener::Acceptor {
  explicit Acceptor(asio::io_context& io) : acceptor(io), retry(io) {}
  asio::ip::tcp::acceptor acceptor;
  asio::steady_timer retry;  // after an accept error (e.g. out of descriptors)
  asio::ip::tcp::endpoint local;
  bool closed = false;
};

Listener::Listener(asio::io_context& io, FindPeer find_peer, Log log)
    : io_(io), shared_(std::make_shared<Shared>(Shared{std::move(find_peer), std::move(log)})) {}

Listener::~Listener() { close(); }

base::Result<void> Listener::listen(const asio::ip::tcp::endpoint& endpoint) {
  auto a = std::make_shared<Acceptor>(io_);
  asio::error_code ec;
  const auto what = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  a->acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    a->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec && endpoint.address().is_v6()) {
    a->acceptor.set_option(asio::ip::v6_only(true), ec);
  }
  if (!ec) {
    a->acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    a->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return base::fail("cannot listen on " + what + ": " + ec.message());
  }
  for (const auto& [peer, key] : md5_keys_) {
    if (peer.is_v6() == endpoint.address().is_v6()) {
      BGPSEC_TRY(session::set_md5_key(a->acceptor.native_handle(), peer.is_v6(), peer, key));
    }
  }
  for (const auto& [peer, keys] : ao_keys_) {
    if (peer.is_v6() == endpoint.address().is_v6()) {
      for (const AoKey& key : keys) {
        BGPSEC_TRY(
            session::add_ao_key(a->acceptor.native_handle(), peer.is_v6(), peer, key, false));
      }
    }
  }
  a->local = a->acceptor.local_endpoint(ec);
  shared_->write(LogLevel::Info, "listening on " + a->local.address().to_string() + ":" +
                                     std::to_string(a->local.port()));
  acceptors_.push_back(a);
  accept(a);
  return {};
}

base::Result<void> Listener::set_md5_key(const asio::ip::address& peer, const std::string& key) {
  // Our IPv6 sockets are IPv6-only: an IPv4 peer arrives on an IPv4 socket.
  for (const auto& a : acceptors_) {
    if (a->local.address().is_v6() == peer.is_v6()) {
      BGPSEC_TRY(session::set_md5_key(a->acceptor.native_handle(), peer.is_v6(), peer, key));
    }
  }
  if (key.empty()) {
    md5_keys_.erase(peer);
  } else {
    md5_keys_[peer] = key;
  }
  return {};
}

base::Result<void> Listener::set_ao_keys(const asio::ip::address& peer, const AoKeyPlan& plan) {
  const auto it = ao_keys_.find(peer);
  const std::vector<AoKey> held = it == ao_keys_.end() ? std::vector<AoKey>{} : it->second;
  std::vector<AoKey> now_held = plan.installed;
  base::Result<void> outcome;
  for (const auto& a : acceptors_) {
    if (a->local.address().is_v6() != peer.is_v6()) {
      continue;
    }
    AoApplied applied =
        apply_ao_plan(a->acceptor.native_handle(), peer.is_v6(), true, peer, held, plan);
    if (!applied.outcome && outcome) {
      outcome = applied.outcome;
      now_held = std::move(applied.held);
    }
  }
  if (now_held.empty()) {
    ao_keys_.erase(peer);
  } else {
    ao_keys_[peer] = std::move(now_held);
  }
  if (!outcome) {
    return base::fail("TCP-AO for " + peer.to_string() + ": " + outcome.error().message);
  }
  return {};
}

void Listener::close() {
  for (auto& a : acceptors_) {
    a->closed = true;
    asio::error_code ignored;
    a->acceptor.close(ignored);
    a->retry.cancel();
  }
  acceptors_.clear();
}

std::vector<asio::ip::tcp::endpoint> Listener::local_endpoints() const {
  std::vector<asio::ip::tcp::endpoint> out;
  for (const auto& a : acceptors_) {
    out.push_back(a->local);
  }
  return out;
}

void Listener::accept(const std::shared_ptr<Acceptor>& acceptor) {
  acceptor->acceptor.async_accept([this, acceptor, shared = shared_](const asio::error_code& ec,
                                                                     asio::ip::tcp::socket socket) {
    if (acceptor->closed) {
      return;  // the Listener may be gone: touch nothing of it
    }
    if (ec) {
      shared->write(LogLevel::Warning, "accept failed: " + ec.message());
      acceptor->retry.expires_after(std::chrono::seconds(1));
      acceptor->retry.async_wait([this, acceptor](const asio::error_code& e) {
        if (!e && !acceptor->closed) {
          accept(acceptor);
        }
      });
      return;
    }
    asio::error_code e;
    const auto remote = socket.remote_endpoint(e);
    if (e) {
      socket.close(e);  // already gone
    } else {
      auto address = remote.address();
      if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
      }
      auto peer = shared->find_peer ? shared->find_peer(address) : nullptr;
      if (peer) {
        peer->accept(std::move(socket));
      } else {
        shared->write(LogLevel::Warning, "connection from unknown address " + address.to_string() +
                                             ":" + std::to_string(remote.port()) + " closed");
        socket.close(e);
      }
    }
    accept(acceptor);
  });
}

}  // namespace bgpsecd::session
