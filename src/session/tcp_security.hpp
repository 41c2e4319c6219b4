// SPDX-License-Identifier: BSD-2-Clause
// Per-neighbor protection of the BGP session's TCP connection, set on Linux sockets:
// the TCP MD5 signature option (RFC 2385) and the Generalized TTL Security Mechanism
// (GTSM, RFC 5082). The keys live in the kernel: they are never logged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <asio.hpp>

#include "base/result.hpp"

namespace bgpsecd::session {

struct TcpSecurity {
  // RFC 2385 §2: every segment carries an MD5 digest keyed with this; empty = none. At most
  // 80 octets (the Linux TCP_MD5SIG_MAXKEYLEN).
  std::string md5_key;
  // RFC 5082 §3: 0 = off; N = the neighbor is N hops away: we send with TTL (hop limit) 255
  // and accept only segments that arrive with at least 256 - N.
  std::uint8_t ttl_security_hops = 0;
  friend bool operator==(const TcpSecurity&, const TcpSecurity&) = default;
};

inline constexpr std::size_t kMaxMd5KeyLength = 80;

// Installs (or, with an empty key, removes) the RFC 2385 key for segments to and from `peer`
// on `socket`: before connect() on an outgoing socket, on the listening socket for incoming
// connections (accepted sockets inherit it). Fails when the kernel has no TCP-MD5 or the key
// is longer than kMaxMd5KeyLength.
[[nodiscard]] base::Result<void> set_md5_key(int socket, bool socket_is_ipv6,
                                             const asio::ip::address& peer, std::string_view key);

// RFC 5082 §3 on `socket`: outgoing TTL / hop limit 255 and the minimum accepted
// (IP_MINTTL / IPV6_MINHOPCOUNT) 256 - hops. hops must be 1..255.
[[nodiscard]] base::Result<void> set_gtsm(int socket, bool socket_is_ipv6, std::uint8_t hops);

}  // namespace bgpsecd::session
