// SPDX-License-Identifier: BSD-2-Clause
// What two OPEN messages agree on (RFC 4271 §4.2, RFC 5492 capabilities, RFC 8205 §2.2
// BGPsec per AFI and direction), the RFC 4271 §6.2 checks of the peer's OPEN with the
// NOTIFICATION to send when one fails, and our own OPEN built from the session config.
// Pure: no sockets, no clocks; the FSM (fsm.hpp) calls these when an OPEN arrives.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/asn.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "wire/context.hpp"
#include "wire/notification.hpp"
#include "wire/open.hpp"
#include "wire/role.hpp"

namespace bgpsecd::session {

// NOTIFICATION subcodes the session sends (RFC 4271 §4.5, RFC 4486, RFC 6608, RFC 9234).
namespace subcode {
inline constexpr std::uint8_t kUnsupportedVersion = 1;    // code 2
inline constexpr std::uint8_t kBadPeerAs = 2;             // code 2
inline constexpr std::uint8_t kBadBgpIdentifier = 3;      // code 2
inline constexpr std::uint8_t kUnacceptableHoldTime = 6;  // code 2
inline constexpr std::uint8_t kRoleMismatch = 11;         // code 2 (RFC 9234 §4.2)
inline constexpr std::uint8_t kFsmUnspecified = 0;        // code 5 (RFC 6608 §4)
inline constexpr std::uint8_t kFsmInOpenSent = 1;         // code 5
inline constexpr std::uint8_t kFsmInOpenConfirm = 2;      // code 5
inline constexpr std::uint8_t kFsmInEstablished = 3;      // code 5
inline constexpr std::uint8_t kCeaseMaxPrefixes = 1;      // RFC 4486 §4
inline constexpr std::uint8_t kCeaseAdminShutdown = 2;    // code 6 (RFC 4486 §4)
inline constexpr std::uint8_t kCeasePeerDeconfigured = 3;
inline constexpr std::uint8_t kCeaseAdminReset = 4;
inline constexpr std::uint8_t kCeaseOtherConfigChange = 6;
inline constexpr std::uint8_t kCeaseCollision = 7;  // Connection Collision Resolution
inline constexpr std::uint8_t kCeaseHardReset = 9;  // RFC 8538 §3
}  // namespace subcode

// One address family (RFC 4760): raw numbers, so a family we do not know still compares.
struct AfiSafi {
  std::uint16_t afi = 1;
  std::uint8_t safi = base::kSafiUnicast;
  friend auto operator<=>(const AfiSafi&, const AfiSafi&) = default;
};
inline constexpr AfiSafi kIpv4Unicast{1, base::kSafiUnicast};
inline constexpr AfiSafi kIpv6Unicast{2, base::kSafiUnicast};

struct GracefulRestartConfig {
  std::uint16_t restart_time = 120;  // seconds, 12 bits (RFC 4724 §3)
  // R bit: we have just restarted. The FSM clears it once the session is Established
  // (clear_restart_state): only the OPENs up to the first session after the restart carry it
  // (RFC 4724 §4.1).
  bool restarting = false;
  bool notification = false;  // N bit (RFC 8538)
  // Families whose forwarding state we kept across a restart (F bit, RFC 4724 §3); every
  // configured family is listed in the capability, these get F. Empty after a process start
  // that was not a graceful restart; every family once a session has been up, since a later
  // reset of the session (not of the process) keeps whatever forwards on our routes as it is,
  // and the peer would otherwise drop our stale routes at once (RFC 4724 §4.2).
  std::vector<AfiSafi> forwarding_preserved;
};

// Everything that goes into our OPEN and what we expect of the peer's.
struct SessionConfig {
  base::Asn local_as;
  std::uint32_t router_id = 0;   // our BGP Identifier, host order
  base::Asn peer_as;             // the configured remote AS (RFC 4271 §6.2 Bad Peer AS)
  std::uint16_t hold_time = 90;  // 0 or >= 3 (RFC 4271 §4.2)
  // Seconds between our KEEPALIVEs (not in the OPEN); 0 = a third of the negotiated hold time,
  // else min(keepalive, hold / 3) so that a smaller hold time from the peer still holds.
  std::uint16_t keepalive = 0;
  std::vector<AfiSafi> families{kIpv4Unicast};  // one MP capability each (RFC 4760 §8)
  // Which BGPsec capabilities we advertise (RFC 8205 §2): send_ipv4 = (Dir=1, AFI 1),
  // receive_ipv4 = (Dir=0, AFI 1), and so on.
  wire::BgpsecDirections bgpsec;
  std::optional<GracefulRestartConfig> graceful_restart;
  bool extended_messages = true;        // RFC 8654; BGPsec UPDATEs outgrow 4096 octets
  bool route_refresh = true;            // RFC 2918
  bool enhanced_route_refresh = false;  // RFC 7313
  // RFC 9234 §4.1: our role on this (eBGP) session, sent as the Role capability; nullopt: none.
  std::optional<wire::Role> role;
  // RFC 9234 §4.2 strict mode: a peer that sends no Role capability is refused (Role Mismatch).
  bool role_strict = false;
};

// RFC 4724 §4.1: once a session is up, forgets the restart (R bit) and sets the F bit for
// every family (see GracefulRestartConfig::forwarding_preserved). Returns whether anything
// changed (our OPEN must then be built again).
bool clear_restart_state(SessionConfig& config);

// Our OPEN for `config`: My AS is AS_TRANS when local_as needs 4 octets, a 4-octet AS
// capability is always sent (RFC 6793 §3, and BGPsec needs it: RFC 8205 §2.2), then one MP
// capability per family, route refresh, extended messages, graceful restart and one BGPsec
// capability per (direction, AFI) enabled. Fails on a config that could only produce an
// OPEN the peer must reject: hold time 1 or 2, router id 0, local AS 0 or AS_TRANS, restart
// time over 4095, BGPsec for an AFI without its unicast family.
[[nodiscard]] base::Result<wire::OpenMessage> build_open(const SessionConfig& config);

// The peer's graceful-restart capability as received (RFC 4724 §3), for the RIB's
// receiving-speaker procedure (RFC 4724 §4.2).
struct PeerGracefulRestart {
  std::uint16_t restart_time = 0;  // seconds
  bool restarting = false;         // R bit: the peer has just restarted
  bool notification = false;       // N bit (RFC 8538)
  struct Family {
    AfiSafi family;
    bool forwarding_preserved = false;  // F bit
    friend bool operator==(const Family&, const Family&) = default;
  };
  std::vector<Family> families;
  friend bool operator==(const PeerGracefulRestart&, const PeerGracefulRestart&) = default;
};

struct Negotiated {
  base::Asn local_as;
  base::Asn peer_as;              // from the 4-octet AS capability, else My AS
  std::uint32_t peer_bgp_id = 0;  // host order
  bool ibgp = false;
  std::chrono::seconds hold_time{0};  // min of both OPENs; 0 = no hold timer
  // min(configured keepalive, hold / 3); 0 = no KEEPALIVEs (RFC 4271 §4.4)
  std::chrono::seconds keepalive_interval{0};
  bool four_octet_as = false;     // both sent capability 65 (RFC 6793)
  std::vector<AfiSafi> families;  // advertised by both, sorted (RFC 4760 §8)
  bool route_refresh = false;     // both advertised (the peer's may be the old code 128)
  bool enhanced_route_refresh = false;
  bool extended_messages_send = false;     // the PEER advertised: we may send > 4096
  bool extended_messages_receive = false;  // WE advertised: we accept > 4096
  std::optional<PeerGracefulRestart> peer_graceful_restart;  // the peer's capability, if sent
  bool graceful_restart = false;                             // both advertised graceful restart
  // Both advertised graceful restart with the N bit (RFC 8538 §2): a NOTIFICATION other than
  // Cease / Hard Reset then ends the session like a TCP failure (graceful_notification.hpp).
  bool graceful_notification = false;
  wire::BgpsecDirections bgpsec;  // RFC 8205 §2.2, per AFI and direction
  // RFC 9234: our role as sent in our OPEN, and the peer's Role capability value (a reserved
  // value is kept as its number; nullopt: the peer sent none).
  std::optional<wire::Role> local_role;
  std::optional<std::uint8_t> peer_role;
  wire::DecodeContext decode;  // for messages from the peer
  wire::EncodeContext encode;  // for messages to the peer
  // The two OPENs as whole messages (BMP Peer Up, RFC 7854 §4.10): ours as sent, the peer's
  // re-encoded from its decoded form. Set by the FSM.
  base::Bytes sent_open;
  base::Bytes received_open;

  [[nodiscard]] bool has_family(AfiSafi f) const noexcept;
};

// Checks the peer's OPEN (RFC 4271 §6.2, RFC 6286 §2.2, RFC 6793) against ours and the
// configured peer AS, and works out the session. Errors are the NOTIFICATION to send:
//   version != 4                          -> 2/1, data = 0x0004 (the version we speak)
//   peer AS != configured, or AS_TRANS as the peer's real AS -> 2/2
//   BGP Identifier 0, or equal to ours on an iBGP session -> 2/3, data = the identifier
//   Hold Time 1 or 2                      -> 2/6, data = the Hold Time
//   RFC 9234 §4.2: the peer's Role capability repeated with different values, or not the
//   role that goes with the one in our OPEN, or missing when `role_strict` -> 2/11, no data
// (the data follow wire::decode_open, which reports the offending field).
// A My AS that disagrees with a present 4-octet AS capability is not an error (RFC 6793
// trusts the capability; BIRD only logs it).
// `configured_keepalive` is SessionConfig::keepalive (see keepalive_interval).
[[nodiscard]] base::Result<Negotiated, wire::NotificationMessage> negotiate(
    const wire::OpenMessage& ours, const wire::OpenMessage& theirs, base::Asn configured_peer_as,
    std::uint16_t configured_keepalive = 0, bool role_strict = false);

// RFC 4724 §4.2: whether the peer, in the OPEN of this session, says it kept its forwarding
// state for `family` across its restart (the family listed with the F bit set). When it did
// not, or sent no graceful-restart capability at all, the routes kept stale for it must go at
// once instead of waiting for End-of-RIB.
[[nodiscard]] bool forwarding_preserved(const Negotiated& session, AfiSafi family) noexcept;

// RFC 4271 §10: the KeepaliveTime for a negotiated `hold_time`: none when it is 0, else a third
// of it, or `configured` seconds when that is smaller (and not 0).
[[nodiscard]] std::chrono::seconds keepalive_interval(std::chrono::seconds hold_time,
                                                      std::uint16_t configured) noexcept;

}  // namespace bgpsecd::session
