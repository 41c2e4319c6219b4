// SPDX-License-Identifier: BSD-2-Clause
// The KEEPALIVE message (RFC 4271 §4.4): a header with no body.
#pragma once

#include <cstdint>
#include <span>

#include <nlohmann/json_fwd.hpp>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"

namespace bgpsecd::wire {

struct KeepaliveMessage {
  friend bool operator==(const KeepaliveMessage&, const KeepaliveMessage&) = default;
};

// The body must be empty, else 1/2 at the header Length field (RFC 4271 §6.1; the header
// check already requires a KEEPALIVE to be exactly 19 octets).
[[nodiscard]] base::Result<KeepaliveMessage, base::WireError> decode_keepalive(
    std::span<const std::uint8_t> body) noexcept;

// The 19-octet message.
[[nodiscard]] base::Bytes encode_keepalive();

// {"type":"KEEPALIVE"}
[[nodiscard]] nlohmann::json to_json(const KeepaliveMessage& k);

}  // namespace bgpsecd::wire
