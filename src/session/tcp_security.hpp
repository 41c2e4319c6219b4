// SPDX-License-Identifier: BSD-2-Clause
// Per-neighbor protection of the BGP session's TCP connection, set on Linux sockets:
// the TCP MD5 signature option (RFC 2385) and the Generalized TTL Security Mechanism
// (GTSM, RFC 5082); TCP-AO (RFC 5925) is in tcp_ao.hpp. The keys live in the kernel: they are never
// logged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <asio.hpp>
#include <sys/socket.h>

#include "base/result.hpp"
#include "session/tcp_ao.hpp"

namespace bgpsecd::session {

struct TcpSecurity {
  // RFC 2385 §2: every segment carries an MD5 digest keyed with this; empty = none. At most
  // 80 octets (the Linux TCP_MD5SIG_MAXKEYLEN).
  std::string md5_key;
  // RFC 5082 §3: 0 = off; N = the neighbor is N hops away: we send with TTL (hop limit) 255
  // and accept only segments that arrive with at least 256 - N.
  std::uint8_t ttl_security_hops = 0;
  // RFC 5925 master key tuples with their lifetimes; empty = no TCP-AO. Never together with
  // md5_key (RFC 5925 §1: a connection uses one or the other).
  std::vector<AoKey> ao_keys;
  friend bool operator==(const TcpSecurity&, const TcpSecurity&) = default;
};

inline constexpr std::size_t kMaxMd5KeyLength = 80;

// `peer` as a socket address of the socket's family (port 0): an IPv4 peer of an IPv6
// socket is v4-mapped. The kernel's per-peer TCP options (MD5, AO) take it in this form.
void fill_peer_address(sockaddr_storage& out, bool socket_is_ipv6, const asio::ip::address& peer);

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
