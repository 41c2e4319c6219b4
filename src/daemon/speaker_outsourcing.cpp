// SPDX-License-Identifier: BSD-2-Clause
// RFC 8374 §9.3.2, validation outsourced: the signatures of received BGPsec routes are checked
// by SRx proxy protocol servers ([[validation_server]], bgpsecvd or NIST's srx_server) instead
// of our workers (docs/srx-proxy.md §10). A route handed to a server waits for its first
// answer like a route checked here (not a candidate until then); the server keeps it and
// tells us when its result changes after an RPKI change (§7.3), which we apply like our own
// revalidation (RFC 8374 §9.2: only the routes concerned, no withdrawal). When the preferred
// server goes, its routes move to the next one (ServerPool); while none answers for
// [validation] fallback_after, what waits is checked here (server-or-local) or installed
// "validation deferred" (server, RFC 8374 §8.7). No route leaves the Loc-RIB because a server
// failed: routes keep their last state until an answer says otherwise.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "base/byte_writer.hpp"
#include "bgpsec/as_path_rebuild.hpp"
#include "daemon/speaker_neighbor.hpp"

namespace bgpsecd::daemon {

namespace {

srx_client::RouteRequest route_request(const rib::Route& route, base::Asn local_as) {
  srx_client::RouteRequest request;
  request.prefix = route.prefix;
  const auto secure_path = route.secure_path();
  // RFC 8205 §4.4: the AS path the signatures cover, neighbor first, origin last (no
  // Confed_Segment here: outsourced() keeps those paths local).
  for (const auto& segment : bgpsec::rebuild_as_path(secure_path).segments) {
    for (const auto asn : segment.asns) {
      request.as_path.push_back(asn.value());
    }
  }
  request.origin_as = bgpsec::secure_path_origin_as(secure_path).value();
  base::ByteWriter attribute;
  wire::encode_bgpsec_path_attribute(route.bgpsec.decode(), attribute);
  request.bgpsec_attribute = attribute.take();
  // The origin result stays ours (the same RPKI data, and no round trip for it).
  request.wanted = srx::kFlagPath;
  request.local_as = local_as.value();
  return request;
}

}  // namespace

void Speaker::start_validation_servers() {
  const ValidationConfig& v = config_.validation;
  if (v.servers.empty()) {
    return;
  }
  srx_client::ServerPoolOptions options;
  for (const auto& server : v.servers) {
    srx_client::SrxClientOptions client;
    client.server = server.address;
    client.connect_timeout = v.connect_timeout;
    options.servers.push_back(client);
  }
  options.core.proxy_id = v.proxy_id != 0 ? v.proxy_id : config_.global.router_id;
  options.core.asn = config_.global.asn.value();
  for (const auto& n : config_.neighbors) {
    options.core.peers.push_back(n.remote_as.value());
  }
  options.core.hello_timeout = v.hello_timeout;
  options.core.answer_timeout = v.answer_timeout;
  options.core.keep_window = v.keep_window;
  srx_client::ServerPool::Handlers handlers;
  handlers.results = [this](const srx_client::ResultEvent& event) { on_server_result(event); };
  handlers.signed_path = [this](srx_client::RouteKey key,
                                const srx_client::SignParameters& parameters,
                                base::Result<base::Bytes, srx::SrxError> answer) {
    on_server_signed(key, parameters, std::move(answer));
  };
  handlers.state_changed = [this](std::size_t index, srx_client::ProxyState state,
                                  const std::string& why, bool available) {
    on_server_state(index, state, why, available);
  };
  handlers.log = [this](std::size_t index, srx_client::ProxyLogLevel level,
                        const std::string& text) {
    const auto name = config_.validation.servers.at(index).address.to_string();
    switch (level) {
      case srx_client::ProxyLogLevel::Debug:
        spdlog::debug("validation server {}: {}", name, text);
        break;
      case srx_client::ProxyLogLevel::Info:
        spdlog::info("validation server {}: {}", name, text);
        break;
      case srx_client::ProxyLogLevel::Warning:
        spdlog::warn("validation server {}: {}", name, text);
        break;
    }
  };
  validation_servers_ =
      std::make_unique<srx_client::ServerPool>(io_, std::move(options), std::move(handlers));
  validation_servers_->start();
  // Until the first server answers, the routes that arrive wait for it as for one that left.
  arm_server_fallback();
}

bool Speaker::outsourced(const Neighbor& n, const rib::Route& route) const {
  if (!validation_servers_ || !route.bgpsec ||
      n.config.validation_mode(config_.validation) == ValidationMode::Local) {
    return false;
  }
  for (const auto& segment : route.secure_path()) {
    if (segment.confed()) {
      return false;  // docs/srx-proxy.md §8: the server makes a Confed_Segment invalid
    }
  }
  return true;
}

bool Speaker::submit_to_server(Neighbor& n, const rib::Route& route) {
  auto [at, added] = n.outsourced.try_emplace(route.prefix, next_route_key_);
  if (added) {
    ++next_route_key_;
  }
  const srx_client::RouteKey key = at->second;
  // The newest signature targets us as the neighbor saw us (RFC 8205 §5.2); confederation
  // paths never come here (outsourced()), so that is our AS.
  auto submitted = validation_servers_->submit(key, route_request(route, config_.global.asn));
  if (!submitted) {
    if (n.may_log_warning()) {
      spdlog::warn("peer {}: {} cannot go to a validation server ({}); checked here", n.name(),
                   route.prefix.to_string(), submitted.error().message);
    }
    release_outsourced(n, route.prefix);
    return false;
  }
  const std::uint64_t token = ++validation_seq_;
  n.validating.start(route.prefix, token);
  outsourced_[key] = OutsourcedRoute{n.name(), route.prefix, token};
  if (servers_unavailable_) {
    // No server has answered for a while: the route is held for the one that comes back, and
    // meanwhile checked here or installed deferred.
    if (n.config.validation_mode(config_.validation) == ValidationMode::ServerOrLocal) {
      ++server_fallback_local_;
      start_local_validation(n, route, std::nullopt);
    } else {
      ++server_fallback_deferred_;
      n.validating.cancel(route.prefix);
    }
  }
  return true;
}

void Speaker::on_server_result(const srx_client::ResultEvent& event) {
  if (((event.arrived | event.changed) & srx::kFlagPath) == 0) {
    return;
  }
  const auto it = outsourced_.find(event.key);
  if (it == outsourced_.end()) {
    return;
  }
  const OutsourcedRoute& entry = it->second;
  Neighbor* n = find_neighbor(entry.neighbor);
  if (n == nullptr) {
    return;
  }
  const rib::Route* route = n->adj_in.find(entry.prefix);
  if (route == nullptr || !route->bgpsec) {
    return;
  }
  // docs/srx-proxy.md §8: a path is 0 valid or 2 invalid; anything else is no answer yet.
  rib::PathState state = rib::PathState::Valid;
  std::optional<rib::PathFailure> failure;
  if (event.results.path == srx::SrxResult::Invalid) {
    state = rib::PathState::NotValid;
    failure = rib::PathFailure{.reason = static_cast<std::uint8_t>(bgpsec::Reason::ServerInvalid),
                               .suite = 0,
                               .segment = -1};
  } else if (event.results.path != srx::SrxResult::Valid) {
    return;
  }
  ++server_results_;
  if (n->validating.in_flight(entry.prefix) && !n->validating.finish(entry.prefix, entry.token)) {
    return;  // a check here (fallback) or a newer request decides
  }
  if (route->path_state == state && route->path_failure == failure) {
    return;
  }
  reimport_route(*n, *n->adj_in.set_path_state(entry.prefix, state, std::move(failure)));
}

void Speaker::on_server_state(std::size_t index, srx_client::ProxyState state,
                              const std::string& why, bool available) {
  const auto& server = validation_servers_->server(index);
  const auto name = server.options().server.to_string();
  if (state == srx_client::ProxyState::Active) {
    spdlog::info("validation server {}: session up (proxy ID {}); routes at {}", name,
                 server.core().proxy_id(),
                 config_.validation.servers.at(validation_servers_->home()).address.to_string());
  } else if (state == srx_client::ProxyState::Disconnected) {
    spdlog::warn("validation server {}: {}{}", name, why.empty() ? "connection lost" : why,
                 available ? "" : "; no validation server answers");
  }
  if (available) {
    if (servers_unavailable_) {
      spdlog::info("validation servers: {} answers again; routes are validated there", name);
    }
    servers_unavailable_ = false;
    if (server_fallback_timer_) {
      server_fallback_timer_->cancel();
    }
  } else {
    arm_server_fallback();
  }
}

void Speaker::arm_server_fallback() {
  if (servers_unavailable_) {
    return;
  }
  if (!server_fallback_timer_) {
    server_fallback_timer_ = std::make_unique<asio::steady_timer>(io_);
  } else if (server_fallback_timer_->expiry() > std::chrono::steady_clock::now()) {
    return;  // already counting
  }
  server_fallback_timer_->expires_after(config_.validation.fallback_after);
  server_fallback_timer_->async_wait([this](const asio::error_code& ec) {
    if (!ec && validation_servers_ && !validation_servers_->available()) {
      fall_back_from_servers();
    }
  });
}

void Speaker::fall_back_from_servers() {
  servers_unavailable_ = true;
  std::size_t local = 0;
  std::size_t deferred = 0;
  // Collected first: what follows imports and exports, and may hand routes over anew.
  std::vector<std::pair<std::string, base::Prefix>> waiting;
  for (const auto& [key, entry] : outsourced_) {
    waiting.emplace_back(entry.neighbor, entry.prefix);
  }
  for (const auto& [name, prefix] : waiting) {
    Neighbor* n = find_neighbor(name);
    if (n == nullptr || !n->validating.in_flight(prefix)) {
      continue;
    }
    const rib::Route* route = n->adj_in.find(prefix);
    if (route == nullptr) {
      continue;
    }
    if (n->config.validation_mode(config_.validation) == ValidationMode::ServerOrLocal) {
      ++local;
      start_local_validation(*n, *route, std::nullopt);
    } else {
      // RFC 8374 §8.7: installed Pending, marked deferred towards iBGP; the server's answer
      // sets its state when one comes back.
      ++deferred;
      n->validating.cancel(prefix);
      reimport_route(*n, *route);
    }
  }
  // Signatures asked for and not given: signed here or sent unsigned now (signing_fallback).
  expire_server_signing(true);
  server_fallback_local_ += local;
  server_fallback_deferred_ += deferred;
  spdlog::warn(
      "validation servers: none answered for {} s; {} waiting routes checked here, {} installed "
      "deferred (RFC 8374 §8.7), until one answers again",
      config_.validation.fallback_after.count(), local, deferred);
}

void Speaker::release_outsourced(Neighbor& n, const base::Prefix& prefix) {
  const auto it = n.outsourced.find(prefix);
  if (it == n.outsourced.end()) {
    return;
  }
  validation_servers_->withdraw(it->second);
  outsourced_.erase(it->second);
  n.outsourced.erase(it);
}

void Speaker::release_all_outsourced(Neighbor& n) {
  for (const auto& [prefix, key] : n.outsourced) {
    validation_servers_->withdraw(key);
    outsourced_.erase(key);
  }
  n.outsourced.clear();
}

void Speaker::tell_servers_peer_changes(const Config& old) {
  if (!validation_servers_) {
    return;
  }
  const auto peer_ases = [](const Config& config) {
    std::set<std::uint32_t> ases;
    for (const auto& n : config.neighbors) {
      ases.insert(n.remote_as.value());
    }
    return ases;
  };
  const auto before = peer_ases(old);
  const auto after = peer_ases(config_);
  for (const auto asn : after) {
    if (before.count(asn) == 0) {
      spdlog::info("validation servers: PEER_CHANGE, AS{} added", asn);
      validation_servers_->peer_change(asn, true);
    }
  }
  for (const auto asn : before) {
    if (after.count(asn) == 0) {
      spdlog::info("validation servers: PEER_CHANGE, AS{} removed", asn);
      validation_servers_->peer_change(asn, false);
    }
  }
}

}  // namespace bgpsecd::daemon
