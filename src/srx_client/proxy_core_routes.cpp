// SPDX-License-Identifier: BSD-2-Clause
// ProxyCore: routes. VERIFY requests and their receipts, result notifications (also the ones
// the server pushes later, after an RPKI change), DELETE_UPDATE, SIGN_REQUEST and its answer
// (docs/srx-proxy.md §2, §7.2-§7.4 and §9).
#include <algorithm>
#include <utility>

#include "srx_client/proxy_core.hpp"

namespace bgpsecd::srx_client {
namespace {

srx::UpdateResults values_of(const srx::VerifyNotificationPdu& pdu) {
  return srx::UpdateResults{static_cast<srx::SrxResult>(pdu.roa_result),
                            static_cast<srx::SrxResult>(pdu.bgpsec_result),
                            static_cast<srx::SrxResult>(pdu.aspa_result)};
}

}  // namespace

base::Result<void, srx::SrxError> ProxyCore::submit(RouteKey key, RouteRequest request,
                                                    TimePoint now) {
  // Refuse what cannot be encoded now rather than fail silently at every replay.
  auto encoded = srx::encode_srx_pdu(verify_request(request, 0));
  if (!encoded) {
    return base::fail(encoded.error());
  }
  if (auto it = routes_.find(key); it != routes_.end()) {
    if (it->second.request == request) {
      return {};
    }
    withdraw(key);
  }
  auto& route = routes_[key];
  route.request = std::move(request);
  route.pending = static_cast<std::uint8_t>(route.request.wanted & srx::kValidationBits);
  if (state_ == ProxyState::Active) {
    send_verify(key, route, now);
  }
  return {};
}

base::Result<void, srx::SrxError> ProxyCore::adopt(const HeldRoute& held, TimePoint now) {
  BGPSEC_TRY(submit(held.key, held.request, now));
  auto& route = routes_.at(held.key);
  route.known = held.known;
  for (const auto& parameters : held.signs) {
    route.sign_queue.push_back(parameters);
  }
  return {};
}

void ProxyCore::withdraw(RouteKey key) {
  auto it = routes_.find(key);
  if (it == routes_.end()) {
    return;
  }
  // A receipt or SIGN answer still on its way belongs to nobody now.
  for (auto& awaited : awaiting_) {
    if (awaited.key == key) {
      awaited.key.reset();
    }
  }
  auto route = std::move(it->second);
  unmap_update(key, route);
  routes_.erase(it);
  if (route.update_id) {
    release_if_unused(*route.update_id, route.request);
  }
}

base::Result<void> ProxyCore::sign(RouteKey key, const SignParameters& parameters, TimePoint now) {
  auto it = routes_.find(key);
  if (it == routes_.end()) {
    return base::fail("no route " + std::to_string(key) + " to sign");
  }
  auto& route = it->second;
  if (state_ == ProxyState::Active && route.update_id) {
    send_sign(key, route, parameters, now);
  } else {
    // SIGN_REQUEST names the update by its ID, which comes with the receipt.
    route.sign_queue.push_back(parameters);
  }
  return {};
}

void ProxyCore::send_verify(RouteKey key, Route& route, TimePoint now) {
  // Token 0 means "no request" in a notification (docs/srx-proxy.md §2, VERIFY_NOTIFICATION).
  if (next_token_ == 0) {
    ++next_token_;
  }
  const auto token = next_token_++;
  route.token = token;
  if (route.pending != 0) {
    route.asked = now;
  }
  ++counters_.requests;
  awaiting_.push_back(Awaited{false, token, 0, key, route.request, SignParameters{}, now});
  send(verify_request(route.request, token));
}

void ProxyCore::send_sign(RouteKey key, Route& route, const SignParameters& parameters,
                          TimePoint now) {
  ++counters_.sign_requests;
  awaiting_.push_back(Awaited{true, 0, *route.update_id, key, RouteRequest{}, parameters, now});
  send(srx::SignRequestPdu{parameters.algorithm, parameters.block_type, *route.update_id,
                           parameters.prepend_counter, parameters.peer_as});
}

// Every route again, each with a receipt (a new session, or SYNC_REQUEST): the receipts tell
// the update IDs of this server. Results stay as they were until the server's answers differ.
void ProxyCore::replay(TimePoint now) {
  for (auto& [key, route] : routes_) {
    route.pending = static_cast<std::uint8_t>(route.request.wanted & srx::kValidationBits);
    send_verify(key, route, now);
  }
}

void ProxyCore::on_receipt(const srx::VerifyNotificationPdu& receipt, TimePoint now) {
  ++counters_.receipts;
  auto it = std::find_if(awaiting_.begin(), awaiting_.end(), [&](const Awaited& awaited) {
    return !awaited.is_sign && awaited.token == receipt.request_token;
  });
  if (it == awaiting_.end()) {
    log(ProxyLogLevel::Warning,
        "receipt for token " + std::to_string(receipt.request_token) + " we did not send");
    return;
  }
  auto awaited = std::move(*it);
  awaiting_.erase(it);
  counters_.receipt_latency.observe(now - awaited.sent);
  auto route = awaited.key ? routes_.find(*awaited.key) : routes_.end();
  if (route == routes_.end() || route->second.token != receipt.request_token) {
    // Withdrawn, replaced or sent again meanwhile: the server holds the update for us anyway.
    release_if_unused(receipt.update_id, awaited.request);
    return;
  }
  auto& held = route->second;
  held.token.reset();
  map_update(route->first, held, receipt.update_id);
  // A receipt carries the values the server holds, 3 where it has none (we send 3 as the
  // default, so nothing else is an echo): those types will be notified later.
  const auto values = values_of(receipt);
  std::uint8_t known = 0;
  for (const auto type : srx::kResultTypes) {
    if (srx::result_of(values, type) != srx::SrxResult::Undefined) {
      known |= static_cast<std::uint8_t>(type);
    }
  }
  apply(route->first, held, static_cast<std::uint8_t>(receipt.result_type & known), receipt, now);
  auto queue = std::move(held.sign_queue);
  held.sign_queue.clear();
  for (const auto& parameters : queue) {
    send_sign(route->first, held, parameters, now);
  }
}

// A result, at once or pushed later (docs/srx-proxy.md §7.3): token 0, the bits of the types it
// carries. Every route naming the update gets the types it wanted.
void ProxyCore::on_notification(const srx::VerifyNotificationPdu& notification, TimePoint now) {
  ++counters_.notifications;
  auto [first, last] = by_update_.equal_range(notification.update_id);
  if (first == last) {
    log(ProxyLogLevel::Debug,
        "notification for update " + std::to_string(notification.update_id) + " we do not hold");
    return;
  }
  std::vector<RouteKey> keys;
  for (auto it = first; it != last; ++it) {
    keys.push_back(it->second);
  }
  for (const auto key : keys) {
    auto& route = routes_.at(key);
    apply(key, route, notification.result_type, notification, now);
  }
}

void ProxyCore::on_sign_notification(const srx::SignNotificationPdu& notification) {
  auto it = std::find_if(awaiting_.begin(), awaiting_.end(), [&](const Awaited& awaited) {
    return awaited.is_sign && awaited.update_id == notification.update_id;
  });
  if (it == awaiting_.end()) {
    log(ProxyLogLevel::Warning, "SIGN_NOTIFICATION for update " +
                                    std::to_string(notification.update_id) + " not asked for");
    return;
  }
  auto awaited = std::move(*it);
  awaiting_.erase(it);
  if (awaited.key && hooks_.signed_path) {
    hooks_.signed_path(*awaited.key, awaited.sign, notification.signature_data);
  }
}

// The server answers requests in order, and we send DELETE_UPDATE only for updates its receipts
// said we hold, so an ERROR that does not end the session answers the oldest request still
// waiting: a refused VERIFY (the route keeps its defaults, docs/srx-proxy.md §7.5) or a
// SIGN_REQUEST that could not be signed.
void ProxyCore::on_refused(const srx::ErrorPdu& error) {
  const std::string name = srx::srx_error_code_name(error.code);
  if (awaiting_.empty()) {
    log(ProxyLogLevel::Warning, "ERROR " + name + " with no request waiting");
    return;
  }
  auto awaited = std::move(awaiting_.front());
  awaiting_.pop_front();
  if (awaited.is_sign) {
    log(ProxyLogLevel::Warning,
        "SIGN_REQUEST for update " + std::to_string(awaited.update_id) + " refused: " + name);
    if (awaited.key && hooks_.signed_path) {
      hooks_.signed_path(*awaited.key, awaited.sign,
                         base::fail(srx::SrxError{static_cast<srx::SrxErrorCode>(error.code),
                                                  "the server refused to sign: " + name}));
    }
    return;
  }
  ++counters_.refused;
  log(ProxyLogLevel::Warning,
      "VERIFY with token " + std::to_string(awaited.token) + " refused: " + name);
  if (!awaited.key) {
    return;
  }
  if (auto route = routes_.find(*awaited.key);
      route != routes_.end() && route->second.token == awaited.token) {
    // Nothing will come for it from this server; SYNC_REQUEST or a new session asks again.
    route->second.token.reset();
    route->second.pending = 0;
    for (const auto& parameters : route->second.sign_queue) {
      if (hooks_.signed_path) {
        hooks_.signed_path(route->first, parameters,
                           base::fail(srx::SrxError{srx::SrxErrorCode::UpdateNotFound,
                                                    "the server refused the route"}));
      }
    }
    route->second.sign_queue.clear();
  }
}

// Takes the `types` values of `pdu` the route wanted, and tells the owner what is new.
void ProxyCore::apply(RouteKey key, Route& route, std::uint8_t types,
                      const srx::VerifyNotificationPdu& pdu, TimePoint now) {
  types &= route.request.wanted & srx::kValidationBits;
  if (types == 0) {
    return;
  }
  const auto before = effective(route);
  const auto values = values_of(pdu);
  ResultEvent event;
  event.key = key;
  for (const auto type : srx::kResultTypes) {
    const auto bit = static_cast<std::uint8_t>(type);
    if ((types & bit) == 0) {
      continue;
    }
    srx::result_of(route.known, type) = srx::result_of(values, type);
    if ((route.pending & bit) != 0) {
      event.arrived |= bit;
      route.pending &= static_cast<std::uint8_t>(~bit);
    }
  }
  if (route.pending == 0 && route.asked) {
    counters_.result_latency.observe(now - *route.asked);
    route.asked.reset();
  }
  event.results = effective(route);
  for (const auto type : srx::kResultTypes) {
    if (srx::result_of(before, type) != srx::result_of(event.results, type)) {
      event.changed |= static_cast<std::uint8_t>(type);
    }
  }
  if ((event.arrived | event.changed) != 0 && hooks_.results) {
    hooks_.results(event);
  }
}

void ProxyCore::map_update(RouteKey key, Route& route, std::uint32_t update_id) {
  if (route.update_id == update_id) {
    return;
  }
  unmap_update(key, route);
  route.update_id = update_id;
  by_update_.emplace(update_id, key);
}

void ProxyCore::unmap_update(RouteKey key, Route& route) {
  if (!route.update_id) {
    return;
  }
  auto [first, last] = by_update_.equal_range(*route.update_id);
  for (auto it = first; it != last; ++it) {
    if (it->second == key) {
      by_update_.erase(it);
      break;
    }
  }
}

// DELETE_UPDATE when no route of ours names the update any more. A request without validation
// bits made us no holder (docs/srx-proxy.md §7.2), and the server would answer ERROR 5.
void ProxyCore::release_if_unused(std::uint32_t update_id, const RouteRequest& request) {
  if (state_ != ProxyState::Active || (request.wanted & srx::kValidationBits) == 0 ||
      by_update_.contains(update_id) || update_in_use(request)) {
    return;
  }
  ++counters_.deletes;
  send(srx::DeleteUpdatePdu{options_.keep_window, update_id});
}

// A route whose receipt is still on its way may name the same update: the server counts one
// hold per proxy, so releasing it now would release that route's too.
bool ProxyCore::update_in_use(const RouteRequest& request) const {
  return std::any_of(routes_.begin(), routes_.end(), [&](const auto& entry) {
    return (entry.second.request.wanted & srx::kValidationBits) != 0 &&
           same_update(entry.second.request, request);
  });
}

srx::UpdateResults ProxyCore::effective(const Route& route) const {
  auto results = route.request.defaults;
  for (const auto type : srx::kResultTypes) {
    const auto bit = static_cast<std::uint8_t>(type);
    const auto known = srx::result_of(route.known, type);
    if ((route.request.wanted & bit) != 0 && known != srx::SrxResult::Undefined) {
      srx::result_of(results, type) = known;
    }
  }
  return results;
}

std::optional<srx::UpdateResults> ProxyCore::results(RouteKey key) const {
  auto it = routes_.find(key);
  if (it == routes_.end()) {
    return std::nullopt;
  }
  return effective(it->second);
}

std::optional<HeldRoute> ProxyCore::route(RouteKey key) const {
  auto it = routes_.find(key);
  if (it == routes_.end()) {
    return std::nullopt;
  }
  HeldRoute held{it->first,          it->second.request,   it->second.known,
                 it->second.pending, it->second.update_id, it->second.sign_queue};
  for (const auto& awaited : awaiting_) {
    if (awaited.is_sign && awaited.key == key) {
      held.signs.push_back(awaited.sign);
    }
  }
  return held;
}

std::vector<HeldRoute> ProxyCore::held() const {
  std::vector<HeldRoute> out;
  out.reserve(routes_.size());
  for (const auto& [key, route] : routes_) {
    out.push_back(*this->route(key));
  }
  return out;
}

}  // namespace bgpsecd::srx_client
