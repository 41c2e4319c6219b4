// SPDX-License-Identifier: BSD-2-Clause
// Test-only harness for ProxyCore: records what the hooks see (sent PDUs as hex, closes, result
// and signing events) and feeds raw server PDUs through the real decoder.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "srx/pdu.hpp"
#include "srx_client/proxy_core.hpp"
#include "wire/update_test_util.hpp"

namespace bgpsecd::srx_client::test {

using wire::test::hex;

struct SignEvent {
  RouteKey key = 0;
  SignParameters parameters;
  base::Result<base::Bytes, srx::SrxError> answer;
};

// 10.0.0.0/24 from AS 65100, no path: the update-ID example of docs/srx-proxy.md §4 (F0F4232E).
inline RouteRequest plain_route(std::uint8_t wanted = srx::kFlagOrigin) {
  RouteRequest request;
  request.prefix = base::Prefix::parse("10.0.0.0/24").value();
  request.origin_as = 65100;
  request.wanted = wanted;
  return request;
}
inline constexpr std::uint32_t kPlainId = 0xF0F4232E;

class Harness {
 public:
  explicit Harness(ProxyCore::Options options = default_options()) : core_(options, hooks()) {}

  static ProxyCore::Options default_options() {
    ProxyCore::Options options;
    options.proxy_id = 7;
    options.asn = 65000;
    return options;
  }

  ProxyCore& core() { return core_; }
  std::chrono::steady_clock::time_point now{};

  // Connects and completes the handshake (HELLO_RESPONSE for ID 7); what was sent is cleared.
  void activate(std::uint32_t proxy_id = 7) {
    core_.connected(now);
    core_.received(srx::HelloResponsePdu{proxy_id}, now);
    sent.clear();
  }
  // Raw bytes through the real decoder, as the transport does.
  void feed(std::string_view bytes) {
    auto pdu = srx::decode_srx_pdu(hex(bytes));
    if (pdu) {
      core_.received(*pdu, now);
    } else {
      core_.malformed(pdu.error(), now);
    }
  }
  void receive(const srx::SrxPdu& pdu) { core_.received(pdu, now); }
  void receipt(std::uint32_t token, std::uint32_t id, std::uint8_t requested = srx::kFlagOrigin,
               srx::SrxResult value = srx::SrxResult::Undefined) {
    const auto v = static_cast<std::uint8_t>(value);
    receive(srx::VerifyNotificationPdu{static_cast<std::uint8_t>(srx::kFlagReceipt | requested), v,
                                       v, v, token, id});
  }
  void notify(std::uint32_t id, std::uint8_t types, srx::SrxResult value) {
    const auto v = static_cast<std::uint8_t>(value);
    receive(srx::VerifyNotificationPdu{types, v, v, v, 0, id});
  }

  static std::string encoded(const srx::SrxPdu& pdu) {
    return base::to_hex(srx::encode_srx_pdu(pdu).value());
  }
  static std::string compact(std::string_view spaced) { return base::to_hex(hex(spaced)); }
  std::vector<std::string> take() { return std::exchange(sent, {}); }

  std::vector<std::string> sent;
  std::vector<std::string> closed;
  std::vector<ResultEvent> events;
  std::vector<SignEvent> signs;
  std::vector<std::string> logs;

 private:
  ProxyCore::Hooks hooks() {
    ProxyCore::Hooks h;
    h.send = [this](base::Bytes bytes) { sent.push_back(base::to_hex(bytes)); };
    h.close = [this](const std::string& reason) { closed.push_back(reason); };
    h.results = [this](const ResultEvent& event) { events.push_back(event); };
    h.signed_path = [this](RouteKey key, const SignParameters& parameters,
                           base::Result<base::Bytes, srx::SrxError> answer) {
      signs.push_back(SignEvent{key, parameters, std::move(answer)});
    };
    h.log = [this](ProxyLogLevel, const std::string& text) { logs.push_back(text); };
    return h;
  }

  ProxyCore core_;
};

}  // namespace bgpsecd::srx_client::test
