// SPDX-License-Identifier: BSD-2-Clause
// OPEN validation and capability negotiation (RFC 4271 §6.2, RFC 5492, RFC 6793, RFC 8205
// §2.2, RFC 8654, RFC 4724, RFC 9234 §4), and our OPEN from the session config.
#include "session/negotiation.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>
#include <variant>

namespace bgpsecd::session {
namespace {

constexpr std::uint8_t kOldRouteRefreshCode = 128;  // pre-RFC 2918 Cisco code (bgp-basics §1.2)
constexpr std::uint16_t kMaxRestartTime = 0x0FFF;   // 12 bits (RFC 4724 §3)

wire::NotificationMessage open_error(std::uint8_t sub, base::Bytes data = {}) {
  return wire::NotificationMessage{base::notify::kOpenMessageError, sub, std::move(data)};
}

bool contains(const std::vector<AfiSafi>& v, AfiSafi f) {
  return std::find(v.begin(), v.end(), f) != v.end();
}

// The families an OPEN offers: one per MP capability, or IPv4 unicast when it has none
// (RFC 4760 §8: a speaker without the capability is assumed to speak IPv4 unicast only).
std::vector<AfiSafi> offered_families(const wire::OpenMessage& open) {
  std::vector<AfiSafi> out;
  for (const auto& cap : open.capabilities) {
    if (const auto* mp = std::get_if<wire::MultiprotocolCap>(&cap.value)) {
      const AfiSafi f{mp->afi, mp->safi};
      if (!contains(out, f)) {
        out.push_back(f);
      }
    }
  }
  if (out.empty()) {
    out.push_back(kIpv4Unicast);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool has_explicit_mp(const wire::OpenMessage& open, std::uint16_t afi) {
  for (const auto& cap : open.capabilities) {
    const auto* mp = std::get_if<wire::MultiprotocolCap>(&cap.value);
    if (mp != nullptr && mp->afi == afi && mp->safi == base::kSafiUnicast) {
      return true;
    }
  }
  return false;
}

// RFC 8205 §2: one capability instance per (direction, AFI); an instance with a version
// other than 0 is ignored (RFC 8205 §2.1).
bool has_bgpsec(const wire::OpenMessage& open, bool send, std::uint16_t afi) {
  for (const auto& cap : open.capabilities) {
    const auto* b = std::get_if<wire::BgpsecCap>(&cap.value);
    if (b != nullptr && b->version == 0 && b->send == send && b->afi == afi) {
      return true;
    }
  }
  return false;
}

bool has_route_refresh(const wire::OpenMessage& open) {
  for (const auto& cap : open.capabilities) {
    if (std::holds_alternative<wire::RouteRefreshCap>(cap.value)) {
      return true;
    }
    const auto* u = std::get_if<wire::UnknownCap>(&cap.value);
    if (u != nullptr && u->code == kOldRouteRefreshCode) {
      return true;
    }
  }
  return false;
}

PeerGracefulRestart peer_gr(const wire::GracefulRestartCap& cap) {
  PeerGracefulRestart gr;
  gr.restart_time = cap.restart_time;
  gr.restarting = (cap.restart_flags & wire::GracefulRestartCap::kRestartState) != 0;
  gr.notification = (cap.restart_flags & wire::GracefulRestartCap::kNotification) != 0;
  for (const auto& f : cap.families) {
    gr.families.push_back(PeerGracefulRestart::Family{
        AfiSafi{f.afi, f.safi},
        (f.flags & wire::GracefulRestartFamily::kForwardingPreserved) != 0});
  }
  return gr;
}

// RFC 9234 §4.2: the peer's role, or nullopt when it sent no Role capability. Several
// capabilities with one value count as one; with different values there is no role to
// check, and the session is refused (false).
bool peer_role_of(const wire::OpenMessage& open, std::optional<std::uint8_t>& out) {
  out.reset();
  for (const auto& cap : open.capabilities) {
    if (const auto* role = std::get_if<wire::RoleCap>(&cap.value)) {
      if (out && *out != role->role) {
        return false;
      }
      out = role->role;
    }
  }
  return true;
}

// RFC 9234 §4.2: whether the roles allow the session.
bool roles_acceptable(const std::optional<wire::Role>& local,
                      const std::optional<std::uint8_t>& remote, bool strict) {
  if (!local) {
    return true;  // no role of ours: nothing to check the peer's against
  }
  if (!remote) {
    return !strict;
  }
  return wire::roles_match(*local, *remote);
}

}  // namespace

bool Negotiated::has_family(AfiSafi f) const noexcept {
  return std::binary_search(families.begin(), families.end(), f);
}

base::Result<wire::OpenMessage> build_open(const SessionConfig& config) {
  // RFC 4271 §4.2: Hold Time 1 and 2 are not allowed; the peer would answer 2/6.
  if (config.hold_time == 1 || config.hold_time == 2) {
    return base::fail("hold time must be 0 or at least 3 seconds, not " +
                      std::to_string(config.hold_time));
  }
  // RFC 6286 §2.1: the BGP Identifier is a non-zero 32-bit number.
  if (config.router_id == 0) {
    return base::fail("router id must not be 0.0.0.0");
  }
  // RFC 6793 §9: AS_TRANS is a placeholder, never a speaker's AS.
  if (config.local_as.value() == 0 || config.local_as == base::kAsTrans) {
    return base::fail("local AS must not be 0 or AS_TRANS (23456)");
  }
  if (config.families.empty()) {
    return base::fail("at least one address family must be configured");
  }
  for (const std::uint16_t afi : {std::uint16_t{1}, std::uint16_t{2}}) {
    const auto a = static_cast<base::Afi>(afi);
    // RFC 8205 §2.2: BGPsec for an AFI needs the MP capability for that AFI.
    if ((config.bgpsec.send(a) || config.bgpsec.receive(a)) &&
        !contains(config.families, AfiSafi{afi, base::kSafiUnicast})) {
      return base::fail(std::string("BGPsec for ") + base::afi_name(a) + " needs the " +
                        base::afi_name(a) + " unicast family");
    }
  }

  std::vector<wire::Capability> caps;
  // RFC 6793 §3: always announce the 4-octet AS capability (BGPsec depends on it).
  caps.push_back(wire::Capability{wire::FourOctetAsCap{config.local_as}});
  for (const auto& f : config.families) {
    caps.push_back(wire::Capability{wire::MultiprotocolCap{f.afi, f.safi}});
  }
  if (config.route_refresh) {
    caps.push_back(wire::Capability{wire::RouteRefreshCap{}});
  }
  if (config.enhanced_route_refresh) {
    caps.push_back(wire::Capability{wire::EnhancedRouteRefreshCap{}});
  }
  if (config.extended_messages) {
    caps.push_back(wire::Capability{wire::ExtendedMessageCap{}});
  }
  if (config.graceful_restart) {
    const auto& gr = *config.graceful_restart;
    if (gr.restart_time > kMaxRestartTime) {
      return base::fail("graceful restart time must be at most 4095 seconds");
    }
    wire::GracefulRestartCap cap;
    cap.restart_time = gr.restart_time;
    cap.restart_flags =
        static_cast<std::uint8_t>((gr.restarting ? wire::GracefulRestartCap::kRestartState : 0) |
                                  (gr.notification ? wire::GracefulRestartCap::kNotification : 0));
    for (const auto& f : config.families) {
      cap.families.push_back(wire::GracefulRestartFamily{
          f.afi, f.safi,
          contains(gr.forwarding_preserved, f) ? wire::GracefulRestartFamily::kForwardingPreserved
                                               : std::uint8_t{0}});
    }
    caps.push_back(wire::Capability{std::move(cap)});
  }
  // RFC 9234 §4.1: the Role capability, once, on the sessions a role is configured for.
  if (config.role) {
    caps.push_back(wire::Capability{wire::RoleCap{static_cast<std::uint8_t>(*config.role)}});
  }
  // RFC 8205 §2: one BGPsec capability per (direction, AFI), version 0.
  for (const std::uint16_t afi : {std::uint16_t{1}, std::uint16_t{2}}) {
    const auto a = static_cast<base::Afi>(afi);
    if (config.bgpsec.send(a)) {
      caps.push_back(wire::Capability{wire::BgpsecCap{0, true, afi}});
    }
    if (config.bgpsec.receive(a)) {
      caps.push_back(wire::Capability{wire::BgpsecCap{0, false, afi}});
    }
  }
  return wire::make_open(config.local_as, config.hold_time, config.router_id, std::move(caps));
}

bool clear_restart_state(SessionConfig& config) {
  auto& gr = config.graceful_restart;
  if (!gr || (!gr->restarting && gr->forwarding_preserved == config.families)) {
    return false;
  }
  gr->restarting = false;
  gr->forwarding_preserved = config.families;
  return true;
}

bool forwarding_preserved(const Negotiated& session, AfiSafi family) noexcept {
  if (!session.peer_graceful_restart) {
    return false;
  }
  const auto& families = session.peer_graceful_restart->families;
  return std::any_of(families.begin(), families.end(), [&](const PeerGracefulRestart::Family& f) {
    return f.family == family && f.forwarding_preserved;
  });
}

std::chrono::seconds keepalive_interval(std::chrono::seconds hold_time,
                                        std::uint16_t configured) noexcept {
  // RFC 4271 §10: KeepaliveTime is a third of the Hold Time; none when the Hold Time is 0
  // (§4.4). A configured interval may only make KEEPALIVEs more frequent: the peer's hold
  // time may be smaller than ours, and a third of it must still be kept.
  if (hold_time.count() == 0) {
    return std::chrono::seconds(0);
  }
  const std::chrono::seconds third(hold_time.count() / 3);
  if (configured == 0) {
    return third;
  }
  return std::min(third, std::chrono::seconds(configured));
}

base::Result<Negotiated, wire::NotificationMessage> negotiate(const wire::OpenMessage& ours,
                                                              const wire::OpenMessage& theirs,
                                                              base::Asn configured_peer_as,
                                                              std::uint16_t configured_keepalive,
                                                              bool role_strict) {
  // RFC 4271 §6.2: Unsupported Version Number; the data is the version we support.
  if (theirs.version != wire::kBgpVersion) {
    return base::fail(open_error(subcode::kUnsupportedVersion, {0x00, wire::kBgpVersion}));
  }

  Negotiated n;
  n.local_as = wire::speaker_as(ours);
  // RFC 6793 §3/§4.1: a NEW speaker's AS is in the 4-octet AS capability (My AS then being
  // AS_TRANS when it needs 4 octets); an OLD speaker's is My AS.
  n.peer_as = wire::speaker_as(theirs);
  // RFC 4271 §6.2: Bad Peer AS when the AS is not the one configured. RFC 6793 §9: AS_TRANS
  // is never a real AS, so an OLD speaker sending My AS = AS_TRANS has no usable AS.
  if (n.peer_as != configured_peer_as || n.peer_as == base::kAsTrans) {
    return base::fail(open_error(subcode::kBadPeerAs));
  }
  n.ibgp = n.peer_as == n.local_as;

  // RFC 6286 §2.2: a zero BGP Identifier is bad, and so is our own on an internal session.
  // Between different ASes equal identifiers are allowed (collision resolution then compares
  // AS numbers, RFC 6286 §2.3).
  if (theirs.bgp_id == 0 || (n.ibgp && theirs.bgp_id == ours.bgp_id)) {
    // Data: the field, as wire::decode_open reports it (RFC 4271 §6.2 defines none).
    return base::fail(open_error(
        subcode::kBadBgpIdentifier,
        {static_cast<std::uint8_t>(theirs.bgp_id >> 24),
         static_cast<std::uint8_t>(theirs.bgp_id >> 16),
         static_cast<std::uint8_t>(theirs.bgp_id >> 8), static_cast<std::uint8_t>(theirs.bgp_id)}));
  }
  n.peer_bgp_id = theirs.bgp_id;

  // RFC 4271 §4.2/§6.2: Hold Time 0 or >= 3; the session uses the smaller of the two.
  if (theirs.hold_time == 1 || theirs.hold_time == 2) {
    return base::fail(open_error(subcode::kUnacceptableHoldTime,
                                 {0x00, static_cast<std::uint8_t>(theirs.hold_time)}));
  }
  // RFC 9234 §4.2: Role Mismatch for differing repeated roles, a pair not in Table 2, or no
  // role from the peer in strict mode.
  if (const auto* mine = wire::find_capability<wire::RoleCap>(ours)) {
    n.local_role = wire::role_from_code(mine->role);
  }
  if (!peer_role_of(theirs, n.peer_role) ||
      !roles_acceptable(n.local_role, n.peer_role, role_strict)) {
    return base::fail(open_error(subcode::kRoleMismatch));
  }

  const auto hold = std::min(ours.hold_time, theirs.hold_time);
  n.hold_time = std::chrono::seconds(hold);
  n.keepalive_interval = keepalive_interval(n.hold_time, configured_keepalive);

  n.four_octet_as = wire::find_capability<wire::FourOctetAsCap>(ours) != nullptr &&
                    wire::find_capability<wire::FourOctetAsCap>(theirs) != nullptr;

  const auto our_families = offered_families(ours);
  const auto their_families = offered_families(theirs);
  std::set_intersection(our_families.begin(), our_families.end(), their_families.begin(),
                        their_families.end(), std::back_inserter(n.families));

  n.route_refresh = has_route_refresh(ours) && has_route_refresh(theirs);
  n.enhanced_route_refresh =
      wire::find_capability<wire::EnhancedRouteRefreshCap>(ours) != nullptr &&
      wire::find_capability<wire::EnhancedRouteRefreshCap>(theirs) != nullptr;

  // RFC 8654 §4: we may send messages over 4096 octets only to a peer that advertised the
  // capability, and must accept them once we advertised it ourselves.
  n.extended_messages_send = wire::find_capability<wire::ExtendedMessageCap>(theirs) != nullptr;
  n.extended_messages_receive = wire::find_capability<wire::ExtendedMessageCap>(ours) != nullptr;

  if (const auto* gr = wire::find_capability<wire::GracefulRestartCap>(theirs)) {
    n.peer_graceful_restart = peer_gr(*gr);
  }
  const auto* our_gr = wire::find_capability<wire::GracefulRestartCap>(ours);
  n.graceful_restart = n.peer_graceful_restart.has_value() && our_gr != nullptr;
  // RFC 8538 §2: the N bit takes effect only when both sides set it.
  n.graceful_notification = n.graceful_restart && n.peer_graceful_restart->notification &&
                            (our_gr->restart_flags & wire::GracefulRestartCap::kNotification) != 0;

  // RFC 8205 §2.2: we may send BGPsec for an AFI when we advertised
  // Dir=1 and the peer Dir=0 for it, and receive when we advertised Dir=0 and the peer Dir=1.
  // Both sides must also have exchanged 4-octet AS (RFC 6793) and MP for that AFI (RFC 4760:
  // BGPsec routes always travel in MP_REACH_NLRI, IPv4 too).
  for (const std::uint16_t afi : {std::uint16_t{1}, std::uint16_t{2}}) {
    const bool usable =
        n.four_octet_as && has_explicit_mp(ours, afi) && has_explicit_mp(theirs, afi);
    const bool send = usable && has_bgpsec(ours, true, afi) && has_bgpsec(theirs, false, afi);
    const bool receive = usable && has_bgpsec(ours, false, afi) && has_bgpsec(theirs, true, afi);
    if (afi == 1) {
      n.bgpsec.send_ipv4 = send;
      n.bgpsec.receive_ipv4 = receive;
    } else {
      n.bgpsec.send_ipv6 = send;
      n.bgpsec.receive_ipv6 = receive;
    }
  }

  n.decode.four_octet_as = n.four_octet_as;
  n.decode.extended_messages = n.extended_messages_receive;
  n.decode.ibgp = n.ibgp;
  n.decode.bgpsec = n.bgpsec;
  n.encode.four_octet_as = n.four_octet_as;
  n.encode.extended_messages = n.extended_messages_send;
  return n;
}

}  // namespace bgpsecd::session
