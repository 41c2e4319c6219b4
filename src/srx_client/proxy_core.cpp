// SPDX-License-Identifier: BSD-2-Clause
// ProxyCore: the session with the server: HELLO, HELLO_RESPONSE, GOODBYE, ERROR, SYNC_REQUEST,
// the timeouts and the end of a session (docs/srx-proxy.md §2, §3 and §7).
#include "srx_client/proxy_core.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

namespace bgpsecd::srx_client {

const char* proxy_state_name(ProxyState state) noexcept {
  switch (state) {
    case ProxyState::Disconnected:
      return "disconnected";
    case ProxyState::AwaitingHelloResponse:
      return "awaiting-hello-response";
    case ProxyState::Active:
      return "active";
    case ProxyState::Closing:
      return "closing";
  }
  return "unknown";
}

ProxyCore::ProxyCore(Options options, Hooks hooks)
    : options_(std::move(options)),
      hooks_(std::move(hooks)),
      proxy_id_(options_.proxy_id),
      peers_(options_.peers) {}

void ProxyCore::connected(TimePoint now) {
  state_ = ProxyState::AwaitingHelloResponse;
  hello_sent_ = now;
  replayed_ = false;
  srx::HelloPdu hello;
  // The ID the server gave us last time, so that a reconnect finds its reservation
  // (docs/srx-proxy.md §7.1).
  hello.proxy_id = proxy_id_;
  hello.asn = options_.asn;
  // noPeers and the whole list: the server must not depend on libSRxProxy's cut-off last peer.
  hello.has_peer_count = true;
  hello.peer_count = static_cast<std::uint32_t>(peers_.size());
  hello.peers = peers_;
  log(ProxyLogLevel::Debug, "HELLO, proxy ID " + std::to_string(proxy_id_));
  send(hello);
}

void ProxyCore::received(const srx::SrxPdu& pdu, TimePoint now) {
  if (state_ != ProxyState::AwaitingHelloResponse && state_ != ProxyState::Active) {
    return;  // nothing counts after the session ended
  }
  const bool active = state_ == ProxyState::Active;
  const bool after_hello = replayed_;
  replayed_ = false;
  const std::string type_name =
      srx::srx_pdu_type_name(static_cast<std::uint8_t>(srx::srx_pdu_type(pdu)));
  std::visit(
      [&](const auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, srx::HelloResponsePdu>) {
          if (active) {
            return end("second HELLO_RESPONSE", true);
          }
          on_hello_response(p, now);
        } else if constexpr (std::is_same_v<T, srx::GoodbyePdu>) {
          end("the server said GOODBYE", false);
        } else if constexpr (std::is_same_v<T, srx::ErrorPdu>) {
          on_error(p, now);
        } else if constexpr (std::is_same_v<T, srx::VerifyNotificationPdu> ||
                             std::is_same_v<T, srx::SignNotificationPdu> ||
                             std::is_same_v<T, srx::SyncRequestPdu>) {
          if (!active) {
            return end(type_name + " before HELLO_RESPONSE", true);
          }
          if constexpr (std::is_same_v<T, srx::VerifyNotificationPdu>) {
            if (p.is_receipt()) {
              on_receipt(p, now);
            } else {
              on_notification(p, now);
            }
          }
          if constexpr (std::is_same_v<T, srx::SignNotificationPdu>) {
            on_sign_notification(p);
          }
          if constexpr (std::is_same_v<T, srx::SyncRequestPdu>) {
            if (after_hello) {
              log(ProxyLogLevel::Debug, "SYNC_REQUEST right after HELLO_RESPONSE: already sent");
            } else {
              on_sync(now);
            }
          }
        } else {
          // Proxy-to-server types (HELLO, VERIFY, SIGN_REQUEST, DELETE_UPDATE, PEER_CHANGE).
          end(type_name + " from the server", true);
        }
      },
      pdu);
}

void ProxyCore::malformed(const srx::SrxError& error, TimePoint /*now*/) {
  if (state_ == ProxyState::AwaitingHelloResponse || state_ == ProxyState::Active) {
    end("malformed input from the server: " + error.message, true);
  }
}

void ProxyCore::disconnected(TimePoint /*now*/) {
  state_ = ProxyState::Disconnected;
  replayed_ = false;
  by_update_.clear();
  // Unanswered SIGN_REQUESTs of live routes are asked again on the next session.
  for (auto& awaited : awaiting_) {
    if (!awaited.is_sign || !awaited.key) {
      continue;
    }
    if (auto it = routes_.find(*awaited.key); it != routes_.end()) {
      it->second.sign_queue.push_back(awaited.sign);
    }
  }
  awaiting_.clear();
  for (auto& [key, route] : routes_) {
    route.update_id.reset();
    route.token.reset();
    route.pending = static_cast<std::uint8_t>(route.request.wanted & srx::kValidationBits);
  }
}

void ProxyCore::tick(TimePoint now) {
  if (state_ == ProxyState::AwaitingHelloResponse && now - hello_sent_ >= options_.hello_timeout) {
    return end("no HELLO_RESPONSE within " + std::to_string(options_.hello_timeout.count()) + " s",
               true);
  }
  if (state_ == ProxyState::Active && !awaiting_.empty() &&
      now - awaiting_.front().sent >= options_.answer_timeout) {
    const auto& oldest = awaiting_.front();
    const std::string what = oldest.is_sign
                                 ? "SIGN_REQUEST for update " + std::to_string(oldest.update_id)
                                 : "VERIFY with token " + std::to_string(oldest.token);
    end("no answer to the " + what + " within " + std::to_string(options_.answer_timeout.count()) +
            " s",
        true);
  }
}

void ProxyCore::on_hello_response(const srx::HelloResponsePdu& response, TimePoint now) {
  if (proxy_id_ != 0 && response.proxy_id != proxy_id_) {
    log(ProxyLogLevel::Warning, "the server gave proxy ID " + std::to_string(response.proxy_id) +
                                    " instead of " + std::to_string(proxy_id_));
  }
  proxy_id_ = response.proxy_id;
  state_ = ProxyState::Active;
  log(ProxyLogLevel::Info, "active, proxy ID " + std::to_string(proxy_id_));
  replay(now);
  replayed_ = true;
}

void ProxyCore::on_sync(TimePoint now) {
  ++counters_.syncs;
  log(ProxyLogLevel::Info, "SYNC_REQUEST: sending " + std::to_string(routes_.size()) + " routes");
  replay(now);
}

// docs/srx-proxy.md §3 and §7.4: 5 refuses one request and the session goes on; a SIGN_REQUEST
// may also be answered with 2 or 4 (docs/srx-proxy.md §9) without the session ending (a
// GOODBYE follows when it does). Every other ERROR ends the session.
void ProxyCore::on_error(const srx::ErrorPdu& error, TimePoint /*now*/) {
  ++counters_.errors;
  const auto code = static_cast<srx::SrxErrorCode>(error.code);
  const bool sign_first = !awaiting_.empty() && awaiting_.front().is_sign;
  if (code == srx::SrxErrorCode::UpdateNotFound ||
      (sign_first && (code == srx::SrxErrorCode::InvalidPacket ||
                      code == srx::SrxErrorCode::AlgorithmNotSupported))) {
    on_refused(error);
    return;
  }
  end(std::string("the server sent ERROR ") + srx::srx_error_code_name(error.code), false);
}

void ProxyCore::peer_change(std::uint32_t peer_as, bool added) {
  auto it = std::find(peers_.begin(), peers_.end(), peer_as);
  if (added == (it != peers_.end())) {
    return;
  }
  if (added) {
    peers_.push_back(peer_as);
  } else {
    peers_.erase(it);
  }
  if (state_ == ProxyState::Active) {
    send(srx::PeerChangePdu{static_cast<std::uint8_t>(added ? 1 : 0), peer_as});
  }
}

void ProxyCore::shutdown() {
  if (state_ == ProxyState::AwaitingHelloResponse || state_ == ProxyState::Active) {
    end("shut down", true);
  }
}

// The session is over: GOODBYE with our keep window when we end it, then the transport closes.
void ProxyCore::end(const std::string& reason, bool goodbye) {
  log(ProxyLogLevel::Warning, "session ends: " + reason);
  if (goodbye) {
    send(srx::GoodbyePdu{options_.keep_window});
  }
  state_ = ProxyState::Closing;
  if (hooks_.close) {
    hooks_.close(reason);
  }
}

void ProxyCore::send(const srx::SrxPdu& pdu) {
  auto bytes = srx::encode_srx_pdu(pdu);
  if (!bytes) {
    log(ProxyLogLevel::Warning, "cannot encode: " + bytes.error().message);
    return;
  }
  if (hooks_.send) {
    hooks_.send(std::move(*bytes));
  }
}

void ProxyCore::log(ProxyLogLevel level, const std::string& text) const {
  if (hooks_.log) {
    hooks_.log(level, text);
  }
}

}  // namespace bgpsecd::srx_client
