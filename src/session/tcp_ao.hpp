// SPDX-License-Identifier: BSD-2-Clause
// The TCP Authentication Option (TCP-AO, RFC 5925, algorithms RFC 5926) on Linux sockets
// (kernel 6.7 or later built with CONFIG_TCP_AO): a neighbor's master key tuples (MKTs), which
// of them the socket holds at a given time, and the socket options that install, switch and
// remove them while the connection stays up (RFC 5925 §6.1 key rollover). The secrets live in
// the kernel and are never logged.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <asio.hpp>

#include "base/result.hpp"

namespace bgpsecd::session {

// RFC 5926 §3.1 names the two MACs every implementation has; Linux adds HMAC-SHA-256.
enum class AoAlgorithm : std::uint8_t { HmacSha1_96, AesCmac128_96, HmacSha256 };

// As written in the configuration: "hmac-sha-1-96", "aes-128-cmac-96", "hmac-sha-256".
[[nodiscard]] std::string_view ao_algorithm_name(AoAlgorithm algorithm) noexcept;
[[nodiscard]] std::optional<AoAlgorithm> parse_ao_algorithm(std::string_view name) noexcept;
// The kernel crypto API's name ("hmac(sha1)", "cmac(aes128)", "hmac(sha256)").
[[nodiscard]] std::string_view ao_kernel_algorithm(AoAlgorithm algorithm) noexcept;

inline constexpr std::size_t kMaxAoKeyLength = 80;  // TCP_AO_MAXKEYLEN

using WallClock = std::chrono::system_clock;

// One MKT (RFC 5925 §3.1) with the operator's lifetimes: the key signs our segments while
// `now` is in [send_from, send_until) and verifies the peer's while it is in
// [accept_from, accept_until); an absent bound is open. Rolling a key without a reset is:
// give both ends the new key with an accept window that starts before its send window, and
// end the old key's send window where the new one's starts.
struct AoKey {
  std::uint8_t send_id = 0;  // KeyID in our segments
  std::uint8_t recv_id = 0;  // KeyID we expect in the peer's segments
  AoAlgorithm algorithm = AoAlgorithm::HmacSha1_96;
  std::string secret;
  std::string secret_file;  // where `secret` was read from; empty: given inline
  std::optional<WallClock::time_point> send_from, send_until, accept_from, accept_until;
  // Among keys that may send, the preferred one is chosen first.
  bool preferred = false;
  friend bool operator==(const AoKey&, const AoKey&) = default;

  [[nodiscard]] bool may_send(WallClock::time_point now) const noexcept;
  [[nodiscard]] bool may_accept(WallClock::time_point now) const noexcept;
  // "send 1 / recv 2": how logs and the operator name a key (never by its secret).
  [[nodiscard]] std::string label() const;
};

// What a socket of the session should hold at `now`.
struct AoKeyPlan {
  // Every key that may send or accept now: the socket verifies the peer's segments with any
  // of them (RFC 5925 §7.5.2: the KeyID picks the MKT).
  std::vector<AoKey> installed;
  // Index into `installed` of the key we sign with (Current_key) and whose RecvID we ask the
  // peer to use (RNext_key); none when no key may send now.
  std::optional<std::size_t> send_key;
  // The next time a key's window opens or closes (after `now`); none when nothing changes.
  std::optional<WallClock::time_point> next_change;
};

// Pure: the keys installed at `now`, and the one to send with: a preferred key that may send,
// else the one whose send window started last (a rollover's new key), ties to the higher
// SendID.
[[nodiscard]] AoKeyPlan plan_ao_keys(const std::vector<AoKey>& keys, WallClock::time_point now);

// Whether this kernel has TCP-AO (probes a throw-away socket); the error says what is needed.
[[nodiscard]] base::Result<void> tcp_ao_available();

// TCP_AO_ADD_KEY for segments to and from `peer` (a single address: prefix 32 or 128). On a
// listening socket the key serves that peer's incoming connections (accepted sockets get a
// copy; the kernel refuses `make_current` there); on an outgoing socket it must come before
// connect() (RFC 5925 §6.1).
[[nodiscard]] base::Result<void> add_ao_key(int socket, bool socket_is_ipv6,
                                            const asio::ip::address& peer, const AoKey& key,
                                            bool make_current);
// TCP_AO_DEL_KEY. The kernel refuses to remove the Current or RNext key: switch first.
[[nodiscard]] base::Result<void> delete_ao_key(int socket, bool socket_is_ipv6,
                                               const asio::ip::address& peer, std::uint8_t send_id,
                                               std::uint8_t recv_id);
// TCP_AO_INFO: sign with the key `send_id` from now on and ask the peer (RNextKeyID, RFC 5925
// §7.5.1) to sign with `recv_id`.
[[nodiscard]] base::Result<void> set_ao_current_key(int socket, std::uint8_t send_id,
                                                    std::uint8_t recv_id);
// TCP_AO_INFO ao_required: segments without a valid TCP-AO option are dropped, whoever sends.
[[nodiscard]] base::Result<void> require_ao(int socket);

// Brings `socket`, holding `held` (for `peer`), to `wanted`: adds the new keys, switches the
// current key (not on a listening socket, which has none), then removes the keys no longer
// wanted. Returns what the socket holds after,
// also on a partial failure (the error then names the key ids concerned).
struct AoApplied {
  std::vector<AoKey> held;
  base::Result<void> outcome;
};
[[nodiscard]] AoApplied apply_ao_plan(int socket, bool socket_is_ipv6, bool listening,
                                      const asio::ip::address& peer, const std::vector<AoKey>& held,
                                      const AoKeyPlan& wanted);

// The kernel's view of an AO socket, for the operator (TCP_AO_INFO).
struct AoSocketState {
  std::uint8_t current_send_id = 0;
  std::uint8_t rnext_recv_id = 0;
  std::uint64_t segments_good = 0;
  std::uint64_t segments_bad = 0;
  std::uint64_t key_not_found = 0;
  std::uint64_t ao_required_drops = 0;
};
[[nodiscard]] base::Result<AoSocketState> ao_socket_state(int socket);

}  // namespace bgpsecd::session
