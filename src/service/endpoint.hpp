// SPDX-License-Identifier: BSD-2-Clause
// An address and a TCP port as both daemons' configurations write them ("127.0.0.1:1790",
// "[::1]:179", or just the address with a default port).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/prefix.hpp"
#include "base/result.hpp"

namespace bgpsecd::service {

struct Endpoint {
  base::IpAddress address;
  std::uint16_t port = 0;
  [[nodiscard]] std::string to_string() const;  // "[v6]:port" for IPv6
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};
// "ADDR", "ADDR:PORT" or "[V6]:PORT"; a missing port is `default_port`.
[[nodiscard]] base::Result<Endpoint> parse_endpoint(std::string_view text,
                                                    std::uint16_t default_port);
// 127.0.0.0/8 or ::1.
[[nodiscard]] bool is_loopback(const base::IpAddress& address);

}  // namespace bgpsecd::service
