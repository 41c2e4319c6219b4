// SPDX-License-Identifier: BSD-2-Clause
// TCP-AO (RFC 5925) keys of the neighbors: checked against the kernel before anything uses
// them, installed on the listening sockets and the sessions, and moved on when a key's
// lifetime starts or ends or a reload changes the keys, without a session reset (RFC 5925
// §6.1).
#include <algorithm>

#include <spdlog/spdlog.h>

#include "daemon/speaker.hpp"
#include "daemon/speaker_neighbor.hpp"
#include "service/endpoint_asio.hpp"

namespace bgpsecd::daemon {

using service::to_asio;

base::Result<void> check_tcp_ao_support(const Config& config) {
  const auto with_ao = std::find_if(config.neighbors.begin(), config.neighbors.end(),
                                    [](const NeighborConfig& n) { return !n.tcp_ao.empty(); });
  if (with_ao == config.neighbors.end()) {
    return {};
  }
  if (auto available = session::tcp_ao_available(); !available) {
    return base::fail("neighbor " + with_ao->name() + " has [[neighbor.tcp_ao]] keys, but " +
                      available.error().message);
  }
  return {};
}

base::Result<void> Speaker::install_listener_ao_keys(const NeighborConfig& config) {
  if (!listener_) {
    return {};
  }
  const auto plan = session::plan_ao_keys(config.tcp_ao, session::WallClock::now());
  if (auto keyed = listener_->set_ao_keys(to_asio(config.address), plan); !keyed) {
    return base::fail("neighbor " + config.name() + ": " + keyed.error().message);
  }
  return {};
}

void Speaker::refresh_tcp_ao() {
  std::optional<session::WallClock::time_point> next;
  const auto now = session::WallClock::now();
  for (auto& [name, n] : neighbors_) {
    if (n->config.tcp_ao.empty() && n->peer->config().security.ao_keys.empty()) {
      continue;
    }
    if (auto keyed = install_listener_ao_keys(n->config); !keyed) {
      spdlog::error("{}", keyed.error().message);
    }
    n->peer->set_ao_keys(n->config.tcp_ao);
    const auto plan = session::plan_ao_keys(n->config.tcp_ao, now);
    if (plan.next_change && (!next || *plan.next_change < *next)) {
      next = plan.next_change;
    }
  }
  if (!next) {
    if (tcp_ao_timer_) {
      tcp_ao_timer_->cancel();
    }
    return;
  }
  if (!tcp_ao_timer_) {
    tcp_ao_timer_ = std::make_unique<asio::steady_timer>(io_);
  }
  // The wall clock may be stepped: look again at least every minute.
  const auto wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(*next - now),
                               std::chrono::milliseconds(0), std::chrono::milliseconds(60'000));
  tcp_ao_timer_->expires_after(wait + std::chrono::milliseconds(10));
  tcp_ao_timer_->async_wait([this](const asio::error_code& ec) {
    if (!ec && started_) {
      refresh_tcp_ao();
    }
  });
}

}  // namespace bgpsecd::daemon
