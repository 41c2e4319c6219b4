// SPDX-License-Identifier: BSD-2-Clause
#include "session/tcp_security.hpp"

#include <cerrno>
#include <cstring>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace bgpsecd::session {
namespace {

std::string errno_text() { return std::strerror(errno); }

}  // namespace

void fill_peer_address(sockaddr_storage& out, bool socket_is_ipv6, const asio::ip::address& peer) {
  std::memset(&out, 0, sizeof out);
  if (!socket_is_ipv6) {
    auto* in = reinterpret_cast<sockaddr_in*>(&out);
    in->sin_family = AF_INET;
    const auto bytes = peer.to_v4().to_bytes();
    std::memcpy(&in->sin_addr, bytes.data(), bytes.size());
    return;
  }
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&out);
  in6->sin6_family = AF_INET6;
  const auto v6 =
      peer.is_v4() ? asio::ip::make_address_v6(asio::ip::v4_mapped, peer.to_v4()) : peer.to_v6();
  const auto bytes = v6.to_bytes();
  std::memcpy(&in6->sin6_addr, bytes.data(), bytes.size());
}

base::Result<void> set_md5_key(int socket, bool socket_is_ipv6, const asio::ip::address& peer,
                               std::string_view key) {
  if (key.size() > kMaxMd5KeyLength) {
    return base::fail("TCP MD5 key longer than " + std::to_string(kMaxMd5KeyLength) + " octets");
  }
  if (!socket_is_ipv6 && !peer.is_v4()) {
    return base::fail("TCP MD5 key for an IPv6 peer on an IPv4 socket");
  }
  tcp_md5sig sig{};
  fill_peer_address(sig.tcpm_addr, socket_is_ipv6, peer);
  sig.tcpm_keylen = static_cast<std::uint16_t>(key.size());
  std::memcpy(sig.tcpm_key, key.data(), key.size());
  if (::setsockopt(socket, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof sig) != 0) {
    // ENOENT: removing a key that was never set; nothing to undo.
    if (key.empty() && errno == ENOENT) {
      return {};
    }
    return base::fail("cannot set the TCP MD5 key (RFC 2385) for " + peer.to_string() + ": " +
                      errno_text() + (errno == ENOPROTOOPT ? " (kernel without TCP_MD5SIG)" : ""));
  }
  return {};
}

base::Result<void> set_gtsm(int socket, bool socket_is_ipv6, std::uint8_t hops) {
  if (hops == 0) {
    return base::fail("GTSM needs at least 1 hop");
  }
  const int max_ttl = 255;
  const int min_ttl = 256 - hops;
  const int level = socket_is_ipv6 ? IPPROTO_IPV6 : IPPROTO_IP;
  const int send_option = socket_is_ipv6 ? IPV6_UNICAST_HOPS : IP_TTL;
  const int min_option = socket_is_ipv6 ? IPV6_MINHOPCOUNT : IP_MINTTL;
  if (::setsockopt(socket, level, send_option, &max_ttl, sizeof max_ttl) != 0 ||
      ::setsockopt(socket, level, min_option, &min_ttl, sizeof min_ttl) != 0) {
    return base::fail("cannot set GTSM (RFC 5082) TTL " + std::to_string(min_ttl) +
                      "-255: " + errno_text());
  }
  // An IPv6 socket may carry IPv4 (v4-mapped): the IPv4 options too, where the kernel allows.
  if (socket_is_ipv6) {
    static_cast<void>(::setsockopt(socket, IPPROTO_IP, IP_TTL, &max_ttl, sizeof max_ttl));
    static_cast<void>(::setsockopt(socket, IPPROTO_IP, IP_MINTTL, &min_ttl, sizeof min_ttl));
  }
  return {};
}

}  // namespace bgpsecd::session
