// SPDX-License-Identifier: BSD-2-Clause
#include "srx_client/server_pool.hpp"

#include <utility>

#include "base/check.hpp"

namespace bgpsecd::srx_client {
namespace {

TimePoint now() { return std::chrono::steady_clock::now(); }

}  // namespace

ServerPool::ServerPool(asio::io_context& io, ServerPoolOptions options, Handlers handlers)
    : io_(io), handlers_(std::move(handlers)) {
  BGPSEC_CHECK(!options.servers.empty(), "ServerPool without servers");
  std::vector<ProxyCore*> cores;
  for (std::size_t i = 0; i < options.servers.size(); ++i) {
    SrxClientConnection::Handlers h;
    h.core.results = [this](const ResultEvent& event) {
      if (handlers_.results) {
        handlers_.results(event);
      }
    };
    h.core.signed_path = [this](RouteKey key, const SignParameters& parameters,
                                base::Result<base::Bytes, srx::SrxError> answer) {
      if (handlers_.signed_path) {
        handlers_.signed_path(key, parameters, std::move(answer));
      }
    };
    h.core.log = [this, i](ProxyLogLevel level, const std::string& text) {
      if (handlers_.log) {
        handlers_.log(i, level, text);
      }
    };
    h.state_changed = [this, i](ProxyState state, const std::string& why) {
      on_state(i, state, why);
    };
    connections_.push_back(
        std::make_shared<SrxClientConnection>(io_, options.servers[i], options.core, h));
    cores.push_back(&connections_.back()->core());
  }
  set_ = std::make_unique<ServerSet>(std::move(cores));
}

ServerPool::~ServerPool() { stop(); }

void ServerPool::start() {
  for (auto& connection : connections_) {
    connection->start();
  }
}

void ServerPool::stop() {
  if (stopped_) {
    return;
  }
  stopped_ = true;
  *alive_ = false;
  for (auto& connection : connections_) {
    connection->stop();
  }
}

base::Result<void, srx::SrxError> ServerPool::submit(RouteKey key, RouteRequest request) {
  return set_->submit(key, std::move(request), now());
}

void ServerPool::withdraw(RouteKey key) { set_->withdraw(key); }

base::Result<void> ServerPool::sign(RouteKey key, const SignParameters& parameters) {
  return set_->sign(key, parameters, now());
}

void ServerPool::peer_change(std::uint32_t peer_as, bool added) {
  for (auto& connection : connections_) {
    connection->core().peer_change(peer_as, added);
  }
}

bool ServerPool::available() const {
  for (const auto& connection : connections_) {
    if (connection->core().state() == ProxyState::Active) {
      return true;
    }
  }
  return false;
}

void ServerPool::on_state(std::size_t index, ProxyState state, const std::string& why) {
  // The state change is reported from inside a core's own call (a HELLO_RESPONSE being
  // handled, a loss): moving routes there would re-enter it, so the move runs on its own
  // turn of the io_context.
  asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_), index, state, why] {
    const auto guard = alive.lock();
    if (!guard || !*guard) {
      return;
    }
    set_->update(now());
    if (handlers_.state_changed) {
      handlers_.state_changed(index, state, why, available());
    }
  });
}

}  // namespace bgpsecd::srx_client
