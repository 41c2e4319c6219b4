// SPDX-License-Identifier: BSD-2-Clause
// KEEPALIVE codec (RFC 4271 §4.4).
#include "wire/keepalive.hpp"

#include <utility>

#include <nlohmann/json.hpp>

#include "base/byte_writer.hpp"
#include "base/check.hpp"
#include "wire/header.hpp"

namespace bgpsecd::wire {

base::Result<KeepaliveMessage, base::WireError> decode_keepalive(
    std::span<const std::uint8_t> body) noexcept {
  // RFC 4271 §4.4: a KEEPALIVE is the header alone.
  if (!body.empty()) {
    return base::fail(base::WireError{base::Action::SessionReset, base::notify::kMessageHeaderError,
                                      2, static_cast<std::uint32_t>(kLengthFieldOffset), 2,
                                      "KEEPALIVE with a body", 0});
  }
  return KeepaliveMessage{};
}

base::Bytes encode_keepalive() {
  base::ByteWriter w;
  encode_header(w, MessageType::Keepalive);
  auto bytes = finish_message(w, EncodeContext{});
  // A bare header is exactly the KEEPALIVE size.
  BGPSEC_CHECK(bytes.has_value(), "KEEPALIVE does not fit");
  return std::move(bytes).value();
}

nlohmann::json to_json(const KeepaliveMessage&) { return nlohmann::json{{"type", "KEEPALIVE"}}; }

}  // namespace bgpsecd::wire
