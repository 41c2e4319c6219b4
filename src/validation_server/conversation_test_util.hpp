// SPDX-License-Identifier: BSD-2-Clause
// Test-only harness for ServerCore: records what the hooks see (sent PDUs as hex, closes,
// validations asked for, forgotten IDs) and feeds raw PDU bytes through the real decoder.
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
#include "srx/test_vectors.hpp"
#include "validation_server/conversation.hpp"
#include "wire/update_test_util.hpp"

namespace bgpsecd::validation_server::test {

using wire::test::hex;
using ConnectionId = ServerCore::ConnectionId;

struct Validation {
  std::uint32_t id = 0;
  std::uint8_t types = 0;
  std::uint64_t generation = 0;
};

// The captured QuaggaSRx VERIFY_V4 (ID 2e427f2b), with other flags, token and defaults.
inline srx::VerifyRequestPdu quagga_verify(std::uint8_t flags, std::uint32_t token,
                                           std::uint8_t roa_default = 3,
                                           std::uint8_t bgpsec_default = 3) {
  auto decoded = srx::decode_srx_pdu(hex(srx::test::kQuaggaVerifyV4));
  auto request = std::get<srx::VerifyRequestPdu>(decoded.value());
  request.flags = flags;
  request.request_token = token;
  request.roa_default = roa_default;
  request.bgpsec_default = bgpsec_default;
  request.aspa_default = 3;
  return request;
}
inline constexpr std::uint32_t kQuaggaId = 0x2e427f2b;

// Another update: same request with another origin AS (a different ID).
inline srx::VerifyRequestPdu other_verify(std::uint8_t flags, std::uint32_t token) {
  auto request = quagga_verify(flags, token);
  request.origin_as = 65099;
  return request;
}

class Harness {
 public:
  explicit Harness(ServerCore::Options options = {}, bool answer_at_once = false)
      : answer_at_once_(answer_at_once), core_(options, hooks()) {}

  ServerCore& core() { return core_; }
  std::chrono::steady_clock::time_point now{};

  ConnectionId connect(const std::string& peer = "127.0.0.1:40000") {
    return core_.connected(peer);
  }
  // Connects and completes the handshake; what was sent is cleared.
  ConnectionId hello(std::uint32_t proxy_id, std::uint32_t asn = 65005) {
    const auto id = connect();
    core_.received(id, srx::test::hello_pdu(proxy_id, asn), now);
    sent.clear();
    return id;
  }
  // Raw bytes through the real decoder, as the transport does.
  void feed(ConnectionId id, std::string_view bytes) {
    auto pdu = srx::decode_srx_pdu(hex(bytes));
    if (pdu) {
      core_.received(id, *pdu, now);
    } else {
      core_.malformed(id, pdu.error(), now);
    }
  }
  void receive(ConnectionId id, const srx::SrxPdu& pdu) { core_.received(id, pdu, now); }

  // Hex of the PDUs sent to `id`, in order; and of `pdu` as the encoder writes it.
  std::vector<std::string> to(ConnectionId id) const {
    std::vector<std::string> out;
    for (const auto& [connection, text] : sent) {
      if (connection == id)
        out.push_back(text);
    }
    return out;
  }
  static std::string encoded(const srx::SrxPdu& pdu) {
    return base::to_hex(srx::encode_srx_pdu(pdu).value());
  }
  static std::string compact(std::string_view spaced) { return base::to_hex(hex(spaced)); }

  std::vector<std::pair<ConnectionId, std::string>> sent;
  std::vector<ConnectionId> closed;
  std::vector<Validation> validations;
  std::vector<std::uint32_t> forgotten;
  std::vector<std::string> logs;
  // What the synchronous validator answers when answer_at_once is set.
  srx::SrxResult answer = srx::SrxResult::Valid;
  std::function<base::Result<base::Bytes, srx::SrxError>(std::uint32_t, const UpdateContent&,
                                                         const srx::SignRequestPdu&, std::uint32_t)>
      signer;

 private:
  ServerCore::Hooks hooks() {
    ServerCore::Hooks h;
    h.send = [this](ConnectionId id, base::Bytes bytes) {
      sent.emplace_back(id, base::to_hex(bytes));
    };
    h.close = [this](ConnectionId id) { closed.push_back(id); };
    h.validate = [this](std::uint32_t id, const UpdateContent&, std::uint8_t types,
                        std::uint64_t generation) {
      validations.push_back(Validation{id, types, generation});
      if (!answer_at_once_)
        return;
      for (const auto type : kResultTypes) {
        if ((types & static_cast<std::uint8_t>(type)) != 0) {
          core_.on_result(id, type, answer, generation);
        }
      }
    };
    h.forget = [this](std::uint32_t id) { forgotten.push_back(id); };
    h.sign = [this](std::uint32_t id, const UpdateContent& content,
                    const srx::SignRequestPdu& request,
                    std::uint32_t as) -> base::Result<base::Bytes, srx::SrxError> {
      if (!signer)
        return base::fail(srx::SrxError{srx::SrxErrorCode::AlgorithmNotSupported, "no"});
      return signer(id, content, request, as);
    };
    h.log = [this](ConnectionId, LogLevel, std::string text) { logs.push_back(std::move(text)); };
    return h;
  }

  bool answer_at_once_;
  ServerCore core_;
};

}  // namespace bgpsecd::validation_server::test
