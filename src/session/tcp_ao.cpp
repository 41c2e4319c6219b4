// SPDX-License-Identifier: BSD-2-Clause
#include "session/tcp_ao.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <tuple>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "session/tcp_security.hpp"

namespace bgpsecd::session {
namespace {

// Linux's uapi <linux/tcp.h> since 6.7; Debian bookworm's headers (6.1) predate it, so the
// option numbers and structures are restated here with their exact layout (all 8-aligned).
constexpr int kTcpAoAddKey = 38;
constexpr int kTcpAoDelKey = 39;
constexpr int kTcpAoInfo = 40;

struct alignas(8) TcpAoAdd {
  sockaddr_storage addr;
  char alg_name[64];
  std::int32_t ifindex;
  std::uint32_t set_current : 1, set_rnext : 1, reserved : 30;
  std::uint16_t reserved2;
  std::uint8_t prefix;
  std::uint8_t sndid;
  std::uint8_t rcvid;
  std::uint8_t maclen;
  std::uint8_t keyflags;
  std::uint8_t keylen;
  std::uint8_t key[kMaxAoKeyLength];
};
static_assert(sizeof(TcpAoAdd) == 288);
static_assert(offsetof(TcpAoAdd, alg_name) == 128 && offsetof(TcpAoAdd, ifindex) == 192 &&
              offsetof(TcpAoAdd, reserved2) == 200 && offsetof(TcpAoAdd, prefix) == 202 &&
              offsetof(TcpAoAdd, keylen) == 207 && offsetof(TcpAoAdd, key) == 208);

struct alignas(8) TcpAoDel {
  sockaddr_storage addr;
  std::int32_t ifindex;
  std::uint32_t set_current : 1, set_rnext : 1, del_async : 1, reserved : 29;
  std::uint16_t reserved2;
  std::uint8_t prefix;
  std::uint8_t sndid;
  std::uint8_t rcvid;
  std::uint8_t current_key;
  std::uint8_t rnext;
  std::uint8_t keyflags;
};
static_assert(sizeof(TcpAoDel) == 144);
static_assert(offsetof(TcpAoDel, prefix) == 138 && offsetof(TcpAoDel, keyflags) == 143);

struct alignas(8) TcpAoInfoOpt {
  std::uint32_t set_current : 1, set_rnext : 1, ao_required : 1, set_counters : 1, accept_icmps : 1,
      reserved : 27;
  std::uint16_t reserved2;
  std::uint8_t current_key;
  std::uint8_t rnext;
  std::uint64_t pkt_good;
  std::uint64_t pkt_bad;
  std::uint64_t pkt_key_not_found;
  std::uint64_t pkt_ao_required;
  std::uint64_t pkt_dropped_icmp;
};
static_assert(sizeof(TcpAoInfoOpt) == 48);
static_assert(offsetof(TcpAoInfoOpt, current_key) == 6 && offsetof(TcpAoInfoOpt, pkt_good) == 8);

std::string errno_text(int error) {
  std::string text = std::strerror(error);
  if (error == ENOPROTOOPT) {
    text += " (this kernel has no TCP-AO: it needs Linux 6.7 or later built with CONFIG_TCP_AO)";
  }
  return text;
}

std::uint8_t prefix_length(bool socket_is_ipv6) { return socket_is_ipv6 ? 128 : 32; }

bool within(WallClock::time_point now, const std::optional<WallClock::time_point>& from,
            const std::optional<WallClock::time_point>& until) {
  return (!from || *from <= now) && (!until || now < *until);
}

bool same_ids(const AoKey& a, const AoKey& b) {
  return a.send_id == b.send_id && a.recv_id == b.recv_id;
}

}  // namespace

std::string_view ao_algorithm_name(AoAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case AoAlgorithm::HmacSha1_96:
      return "hmac-sha-1-96";
    case AoAlgorithm::AesCmac128_96:
      return "aes-128-cmac-96";
    case AoAlgorithm::HmacSha256:
      return "hmac-sha-256";
  }
  return "?";
}

std::optional<AoAlgorithm> parse_ao_algorithm(std::string_view name) noexcept {
  for (const auto a :
       {AoAlgorithm::HmacSha1_96, AoAlgorithm::AesCmac128_96, AoAlgorithm::HmacSha256}) {
    if (ao_algorithm_name(a) == name) {
      return a;
    }
  }
  return std::nullopt;
}

std::string_view ao_kernel_algorithm(AoAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case AoAlgorithm::HmacSha1_96:
      return "hmac(sha1)";
    case AoAlgorithm::AesCmac128_96:
      return "cmac(aes128)";
    case AoAlgorithm::HmacSha256:
      return "hmac(sha256)";
  }
  return "?";
}

bool AoKey::may_send(WallClock::time_point now) const noexcept {
  return within(now, send_from, send_until);
}

bool AoKey::may_accept(WallClock::time_point now) const noexcept {
  return within(now, accept_from, accept_until);
}

std::string AoKey::label() const {
  return "send " + std::to_string(send_id) + " / recv " + std::to_string(recv_id);
}

AoKeyPlan plan_ao_keys(const std::vector<AoKey>& keys, WallClock::time_point now) {
  AoKeyPlan plan;
  for (const AoKey& key : keys) {
    if (key.may_send(now) || key.may_accept(now)) {
      plan.installed.push_back(key);
    }
    for (const auto& bound : {key.send_from, key.send_until, key.accept_from, key.accept_until}) {
      if (bound && *bound > now && (!plan.next_change || *bound < *plan.next_change)) {
        plan.next_change = *bound;
      }
    }
  }
  // A key that may send: preferred first, then the latest send window start (an open start
  // counts as the earliest), then the higher SendID.
  const auto rank = [](const AoKey& key) {
    return std::make_tuple(key.preferred, key.send_from.value_or(WallClock::time_point::min()),
                           key.send_id);
  };
  for (std::size_t i = 0; i < plan.installed.size(); ++i) {
    if (!plan.installed[i].may_send(now)) {
      continue;
    }
    if (!plan.send_key || rank(plan.installed[*plan.send_key]) < rank(plan.installed[i])) {
      plan.send_key = i;
    }
  }
  return plan;
}

base::Result<void> tcp_ao_available() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return base::fail(std::string("cannot open a socket to probe for TCP-AO: ") +
                      std::strerror(errno));
  }
  TcpAoInfoOpt info{};
  socklen_t length = sizeof info;
  const int rc = ::getsockopt(fd, IPPROTO_TCP, kTcpAoInfo, &info, &length);
  const int error = errno;
  ::close(fd);
  // A socket without keys answers ENOENT when the kernel has TCP-AO; ENOPROTOOPT without.
  if (rc != 0 && error != ENOENT) {
    return base::fail("TCP-AO (RFC 5925) is not available: " + errno_text(error));
  }
  return {};
}

base::Result<void> add_ao_key(int socket, bool socket_is_ipv6, const asio::ip::address& peer,
                              const AoKey& key, bool make_current) {
  if (key.secret.empty() || key.secret.size() > kMaxAoKeyLength) {
    return base::fail("TCP-AO key " + key.label() + " must have 1 to " +
                      std::to_string(kMaxAoKeyLength) + " octets");
  }
  if (!socket_is_ipv6 && !peer.is_v4()) {
    return base::fail("TCP-AO key for an IPv6 peer on an IPv4 socket");
  }
  TcpAoAdd add{};
  fill_peer_address(add.addr, socket_is_ipv6, peer);
  const std::string_view algorithm = ao_kernel_algorithm(key.algorithm);
  std::memcpy(add.alg_name, algorithm.data(), algorithm.size());
  add.set_current = make_current ? 1 : 0;
  add.set_rnext = make_current ? 1 : 0;
  add.prefix = prefix_length(socket_is_ipv6);
  add.sndid = key.send_id;
  add.rcvid = key.recv_id;
  // RFC 5926 §3.1: both MACs are truncated to 96 bits; HMAC-SHA-256 uses the kernel default.
  add.maclen = key.algorithm == AoAlgorithm::HmacSha256 ? 0 : 12;
  add.keylen = static_cast<std::uint8_t>(key.secret.size());
  std::memcpy(add.key, key.secret.data(), key.secret.size());
  const int rc = ::setsockopt(socket, IPPROTO_TCP, kTcpAoAddKey, &add, sizeof add);
  const int error = errno;
  std::memset(add.key, 0, sizeof add.key);
  if (rc != 0) {
    return base::fail("cannot add TCP-AO key " + key.label() + " for " + peer.to_string() + ": " +
                      errno_text(error));
  }
  return {};
}

base::Result<void> delete_ao_key(int socket, bool socket_is_ipv6, const asio::ip::address& peer,
                                 std::uint8_t send_id, std::uint8_t recv_id) {
  TcpAoDel del{};
  fill_peer_address(del.addr, socket_is_ipv6, peer);
  del.prefix = prefix_length(socket_is_ipv6);
  del.sndid = send_id;
  del.rcvid = recv_id;
  if (::setsockopt(socket, IPPROTO_TCP, kTcpAoDelKey, &del, sizeof del) != 0) {
    return base::fail("cannot remove TCP-AO key send " + std::to_string(send_id) + " / recv " +
                      std::to_string(recv_id) + " for " + peer.to_string() + ": " +
                      errno_text(errno));
  }
  return {};
}

base::Result<void> set_ao_current_key(int socket, std::uint8_t send_id, std::uint8_t recv_id) {
  TcpAoInfoOpt info{};
  info.set_current = 1;
  info.set_rnext = 1;
  // The kernel names Current_key by its SendID and RNext_key by its RecvID.
  info.current_key = send_id;
  info.rnext = recv_id;
  if (::setsockopt(socket, IPPROTO_TCP, kTcpAoInfo, &info, sizeof info) != 0) {
    return base::fail("cannot switch to TCP-AO key send " + std::to_string(send_id) + " / recv " +
                      std::to_string(recv_id) + ": " + errno_text(errno));
  }
  return {};
}

base::Result<void> require_ao(int socket) {
  TcpAoInfoOpt info{};
  info.ao_required = 1;
  if (::setsockopt(socket, IPPROTO_TCP, kTcpAoInfo, &info, sizeof info) != 0) {
    return base::fail("cannot make TCP-AO required on the connection: " + errno_text(errno));
  }
  return {};
}

AoApplied apply_ao_plan(int socket, bool socket_is_ipv6, bool listening,
                        const asio::ip::address& peer, const std::vector<AoKey>& held,
                        const AoKeyPlan& wanted) {
  AoApplied applied{held, {}};
  const auto find = [](const std::vector<AoKey>& in, const AoKey& key) {
    return std::find_if(in.begin(), in.end(), [&](const AoKey& k) { return same_ids(k, key); });
  };
  // RFC 5925 §6.1: the new MKT is there before anyone sends with it.
  for (const AoKey& key : wanted.installed) {
    const auto it = find(applied.held, key);
    if (it != applied.held.end() && *it == key) {
      continue;
    }
    if (it != applied.held.end()) {
      // Same ids, new secret or algorithm: an MKT cannot change in place (RFC 5925 §3.1).
      if (auto removed = delete_ao_key(socket, socket_is_ipv6, peer, key.send_id, key.recv_id);
          !removed) {
        applied.outcome = removed;
        return applied;
      }
      applied.held.erase(it);
    }
    if (auto added = add_ao_key(socket, socket_is_ipv6, peer, key, false); !added) {
      applied.outcome = added;
      return applied;
    }
    applied.held.push_back(key);
  }
  // A listening socket has no Current_key: an accepted connection starts with the key the
  // peer's SYN asked for, and the session switches it afterwards.
  if (wanted.send_key && !listening) {
    const AoKey& send = wanted.installed[*wanted.send_key];
    if (auto switched = set_ao_current_key(socket, send.send_id, send.recv_id); !switched) {
      applied.outcome = switched;
      return applied;
    }
  }
  for (auto it = applied.held.begin(); it != applied.held.end();) {
    if (find(wanted.installed, *it) != wanted.installed.end()) {
      ++it;
      continue;
    }
    if (auto removed = delete_ao_key(socket, socket_is_ipv6, peer, it->send_id, it->recv_id);
        !removed) {
      applied.outcome = removed;
      return applied;
    }
    it = applied.held.erase(it);
  }
  return applied;
}

base::Result<AoSocketState> ao_socket_state(int socket) {
  TcpAoInfoOpt info{};
  socklen_t length = sizeof info;
  if (::getsockopt(socket, IPPROTO_TCP, kTcpAoInfo, &info, &length) != 0) {
    return base::fail("cannot read the TCP-AO state: " + errno_text(errno));
  }
  AoSocketState state;
  state.current_send_id = info.current_key;
  state.rnext_recv_id = info.rnext;
  state.segments_good = info.pkt_good;
  state.segments_bad = info.pkt_bad;
  state.key_not_found = info.pkt_key_not_found;
  state.ao_required_drops = info.pkt_ao_required;
  return state;
}

}  // namespace bgpsecd::session
