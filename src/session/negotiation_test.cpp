// SPDX-License-Identifier: BSD-2-Clause
// Negotiation: our OPEN from the config (bytes checked), every RFC 4271 §6.2 check of the
// peer's OPEN, and each capability combination incl. BGPsec per AFI and direction.
#include "session/negotiation.hpp"

#include <algorithm>
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "base/hex.hpp"

namespace bgpsecd::session {
namespace {

constexpr std::uint32_t kOurId = 0x0A000001;   // 10.0.0.1
constexpr std::uint32_t kPeerId = 0x0A000002;  // 10.0.0.2

wire::BgpsecDirections all_bgpsec() { return {true, true, true, true}; }

SessionConfig our_config() {
  SessionConfig c;
  c.local_as = base::Asn(65001);
  c.router_id = kOurId;
  c.peer_as = base::Asn(65002);
  c.hold_time = 90;
  c.families = {kIpv4Unicast, kIpv6Unicast};
  c.bgpsec = all_bgpsec();
  c.graceful_restart = GracefulRestartConfig{};
  return c;
}

// The peer's config mirrors ours.
SessionConfig peer_config() {
  auto c = our_config();
  c.local_as = base::Asn(65002);
  c.router_id = kPeerId;
  c.peer_as = base::Asn(65001);
  return c;
}

wire::OpenMessage open_of(const SessionConfig& c) {
  auto open = build_open(c);
  EXPECT_TRUE(open.has_value()) << (open ? "" : open.error().message);
  return open.value_or(wire::OpenMessage{});
}

template <class Cap>
void remove_caps(wire::OpenMessage& open) {
  std::erase_if(open.capabilities,
                [](const wire::Capability& c) { return std::holds_alternative<Cap>(c.value); });
}

Negotiated ok(const wire::OpenMessage& theirs, SessionConfig ours = our_config()) {
  auto n = negotiate(open_of(ours), theirs, ours.peer_as);
  EXPECT_TRUE(n.has_value()) << (n ? ""
                                   : "NOTIFICATION " + std::to_string(n.error().code) + "/" +
                                         std::to_string(n.error().subcode));
  return n.value_or(Negotiated{});
}

wire::NotificationMessage rejected(const wire::OpenMessage& theirs,
                                   SessionConfig ours = our_config()) {
  auto n = negotiate(open_of(ours), theirs, ours.peer_as);
  EXPECT_FALSE(n.has_value());
  return n ? wire::NotificationMessage{} : n.error();
}

// ---- build_open ----

TEST(BuildOpen, Rfc5492_BytesForIpv4BgpsecSpeaker) {
  SessionConfig c;
  c.local_as = base::Asn(65001);
  c.router_id = kOurId;
  c.peer_as = base::Asn(65002);
  c.hold_time = 90;
  c.bgpsec.send_ipv4 = true;
  c.bgpsec.receive_ipv4 = true;
  auto open = build_open(c);
  ASSERT_TRUE(open.has_value()) << open.error().message;
  auto bytes = wire::encode_open(*open, wire::EncodeContext{});
  ASSERT_TRUE(bytes.has_value());
  const std::string expected =
      "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
      "0039"          // 57 octets
      "01"            // OPEN
      "04FDE9005A"    // version 4, My AS 65001, hold 90
      "0A000001"      // 10.0.0.1
      "1C021A"        // Opt Parm Len 28, capabilities parameter of 26
      "41040000FDE9"  // 4-octet AS 65001 (RFC 6793)
      "010400010001"  // MP IPv4 unicast
      "0200"          // route refresh
      "0600"          // extended messages
      "0703080001"    // BGPsec send IPv4 (RFC 8205 §2)
      "0703000001";   // BGPsec receive IPv4
  EXPECT_EQ(base::to_hex(*bytes), expected);
  // And back: the bytes decode to the OPEN that was built.
  auto decoded = wire::decode_open(std::span<const std::uint8_t>(*bytes).subspan(19));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, *open);
}

TEST(BuildOpen, Rfc6793Sec9_FourOctetAsUsesAsTrans) {
  auto c = our_config();
  c.local_as = base::Asn(4200000001);
  const auto open = open_of(c);
  EXPECT_EQ(open.my_as, 23456);
  ASSERT_FALSE(open.capabilities.empty());
  EXPECT_EQ(open.capabilities.front(),
            wire::Capability{wire::FourOctetAsCap{base::Asn(4200000001)}});
  EXPECT_EQ(wire::speaker_as(open), base::Asn(4200000001));
}

TEST(BuildOpen, Rfc4724Sec3_GracefulRestartFlagsAndForwardingBits) {
  auto c = our_config();
  c.graceful_restart = GracefulRestartConfig{300, true, true, {kIpv6Unicast}};
  const auto open = open_of(c);
  const auto* gr = wire::find_capability<wire::GracefulRestartCap>(open);
  ASSERT_NE(gr, nullptr);
  EXPECT_EQ(gr->restart_flags, 0xC);
  EXPECT_EQ(gr->restart_time, 300);
  ASSERT_EQ(gr->families.size(), 2U);
  EXPECT_EQ(gr->families[0], (wire::GracefulRestartFamily{1, 1, 0}));
  EXPECT_EQ(gr->families[1], (wire::GracefulRestartFamily{2, 1, 0x80}));
}

TEST(BuildOpen, RejectsConfigsThePeerWouldRefuse) {
  for (const std::uint16_t hold : {std::uint16_t{1}, std::uint16_t{2}}) {
    auto c = our_config();
    c.hold_time = hold;
    EXPECT_FALSE(build_open(c).has_value()) << "Rfc4271Sec4_2 hold " << hold;
  }
  auto c = our_config();
  c.router_id = 0;
  EXPECT_FALSE(build_open(c).has_value());
  c = our_config();
  c.local_as = base::kAsTrans;
  EXPECT_FALSE(build_open(c).has_value());
  c = our_config();
  c.families = {kIpv4Unicast};  // BGPsec for IPv6 configured without the IPv6 family
  EXPECT_FALSE(build_open(c).has_value());
  c = our_config();
  c.graceful_restart = GracefulRestartConfig{4096, false, false, {}};
  EXPECT_FALSE(build_open(c).has_value());
  c = our_config();
  c.hold_time = 0;
  EXPECT_TRUE(build_open(c).has_value());
}

// ---- RFC 4271 §6.2 checks ----

TEST(Negotiate, Rfc4271Sec6_2_UnsupportedVersion) {
  auto theirs = open_of(peer_config());
  theirs.version = 3;
  EXPECT_EQ(rejected(theirs), (wire::NotificationMessage{2, 1, {0x00, 0x04}}));
}

TEST(Negotiate, Rfc4271Sec6_2_BadPeerAs) {
  auto c = peer_config();
  c.local_as = base::Asn(65003);
  EXPECT_EQ(rejected(open_of(c)), (wire::NotificationMessage{2, 2, {}}));
}

TEST(Negotiate, Rfc6793_AsTransWithFourOctetCapabilityIsThePeersRealAs) {
  auto c = peer_config();
  c.local_as = base::Asn(4200000002);
  const auto theirs = open_of(c);
  ASSERT_EQ(theirs.my_as, 23456);
  auto ours = our_config();
  ours.peer_as = base::Asn(4200000002);
  const auto n = ok(theirs, ours);
  EXPECT_EQ(n.peer_as, base::Asn(4200000002));
  EXPECT_TRUE(n.four_octet_as);
  EXPECT_FALSE(n.ibgp);
  // The same OPEN while 65002 (or AS_TRANS itself) is configured: Bad Peer AS.
  EXPECT_EQ(rejected(theirs).subcode, subcode::kBadPeerAs);
  ours.peer_as = base::kAsTrans;
  EXPECT_EQ(rejected(theirs, ours).subcode, subcode::kBadPeerAs);
}

TEST(Negotiate, Rfc6793Sec9_AsTransWithoutCapabilityIsBadPeerAs) {
  auto theirs = open_of(peer_config());
  remove_caps<wire::FourOctetAsCap>(theirs);
  theirs.my_as = 23456;
  auto ours = our_config();
  ours.peer_as = base::Asn(4200000002);
  EXPECT_EQ(rejected(theirs, ours), (wire::NotificationMessage{2, 2, {}}));
  ours.peer_as = base::kAsTrans;
  EXPECT_EQ(rejected(theirs, ours).subcode, subcode::kBadPeerAs);
}

TEST(Negotiate, Rfc6286Sec2_2_BgpIdentifier) {
  auto theirs = open_of(peer_config());
  theirs.bgp_id = 0;
  EXPECT_EQ(rejected(theirs), (wire::NotificationMessage{2, 3, {0, 0, 0, 0}}));

  // eBGP: the same identifier as ours is allowed (RFC 6286 §2.2 limits it to iBGP).
  theirs.bgp_id = kOurId;
  EXPECT_EQ(ok(theirs).peer_bgp_id, kOurId);

  // iBGP: our own identifier is Bad BGP Identifier.
  auto ibgp = peer_config();
  ibgp.local_as = base::Asn(65001);
  ibgp.router_id = kOurId;
  auto ours = our_config();
  ours.peer_as = base::Asn(65001);
  EXPECT_EQ(rejected(open_of(ibgp), ours).subcode, subcode::kBadBgpIdentifier);
  ibgp.router_id = kPeerId;
  const auto n = ok(open_of(ibgp), ours);
  EXPECT_TRUE(n.ibgp);
  EXPECT_TRUE(n.decode.ibgp);
}

TEST(Negotiate, Rfc4271Sec4_2_HoldTime) {
  struct Case {
    std::uint16_t ours, theirs;
    int hold, keepalive;  // -1: rejected with 2/6
  };
  for (const auto& c :
       {Case{90, 90, 90, 30}, Case{90, 30, 30, 10}, Case{30, 90, 30, 10}, Case{90, 0, 0, 0},
        Case{0, 90, 0, 0}, Case{90, 3, 3, 1}, Case{10, 10, 10, 3}, Case{90, 1, -1, -1},
        Case{90, 2, -1, -1}, Case{0, 2, -1, -1}}) {
    auto ours = our_config();
    ours.hold_time = c.ours;
    auto theirs = open_of(peer_config());
    theirs.hold_time = c.theirs;
    auto n = negotiate(open_of(ours), theirs, ours.peer_as);
    if (c.hold < 0) {
      ASSERT_FALSE(n.has_value()) << c.ours << "/" << c.theirs;
      EXPECT_EQ(n.error(),
                (wire::NotificationMessage{2, 6, {0x00, static_cast<std::uint8_t>(c.theirs)}}));
    } else {
      ASSERT_TRUE(n.has_value()) << c.ours << "/" << c.theirs;
      EXPECT_EQ(n->hold_time.count(), c.hold) << c.ours << "/" << c.theirs;
      EXPECT_EQ(n->keepalive_interval.count(), c.keepalive) << c.ours << "/" << c.theirs;
    }
  }
}

TEST(Negotiate, Rfc4271Sec10_ConfiguredKeepaliveOnlyShortensTheInterval) {
  struct Case {
    std::uint16_t ours, theirs, configured;
    int keepalive;
  };
  for (const auto& c :
       {Case{90, 90, 0, 30}, Case{90, 90, 10, 10}, Case{90, 90, 30, 30}, Case{90, 90, 60, 30},
        Case{90, 9, 10, 3}, Case{90, 9, 2, 2}, Case{90, 0, 10, 0}, Case{0, 90, 10, 0}}) {
    auto ours = our_config();
    ours.hold_time = c.ours;
    ours.keepalive = c.configured;
    auto theirs = open_of(peer_config());
    theirs.hold_time = c.theirs;
    auto n = negotiate(open_of(ours), theirs, ours.peer_as, ours.keepalive);
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(n->keepalive_interval.count(), c.keepalive)
        << c.ours << "/" << c.theirs << " keepalive " << c.configured;
  }
  // Not in the OPEN.
  auto a = our_config();
  auto b = our_config();
  b.keepalive = 5;
  EXPECT_EQ(open_of(a), open_of(b));
}

TEST(Negotiate, Rfc4724Sec4_1_ClearRestartState) {
  auto c = our_config();
  // A start that was no graceful restart: no R bit, no F bit until a session has been up.
  EXPECT_TRUE(c.graceful_restart->forwarding_preserved.empty());
  EXPECT_TRUE(clear_restart_state(c));
  EXPECT_EQ(c.graceful_restart->forwarding_preserved, c.families);
  EXPECT_FALSE(clear_restart_state(c));  // nothing more to change
  c.graceful_restart->restarting = true;
  c.graceful_restart->forwarding_preserved = {kIpv4Unicast, kIpv6Unicast};
  const auto restarting = open_of(c);
  const auto* cap = wire::find_capability<wire::GracefulRestartCap>(restarting);
  ASSERT_NE(cap, nullptr);
  EXPECT_EQ(cap->restart_flags & wire::GracefulRestartCap::kRestartState,
            wire::GracefulRestartCap::kRestartState);
  ASSERT_EQ(cap->families.size(), 2U);
  EXPECT_EQ(cap->families[0].flags, wire::GracefulRestartFamily::kForwardingPreserved);
  EXPECT_EQ(cap->families[1].flags, wire::GracefulRestartFamily::kForwardingPreserved);
  EXPECT_TRUE(clear_restart_state(c));
  EXPECT_FALSE(c.graceful_restart->restarting);
  // Later sessions (after a reset of the session, not of the process): F for every family.
  EXPECT_EQ(c.graceful_restart->forwarding_preserved, c.families);
  EXPECT_EQ(c.graceful_restart->restart_time, 120);
  const auto later = open_of(c);
  cap = wire::find_capability<wire::GracefulRestartCap>(later);
  ASSERT_NE(cap, nullptr);
  EXPECT_EQ(cap->restart_flags & wire::GracefulRestartCap::kRestartState, 0);
  for (const auto& f : cap->families) {
    EXPECT_EQ(f.flags, wire::GracefulRestartFamily::kForwardingPreserved);
  }
  c.graceful_restart.reset();
  EXPECT_FALSE(clear_restart_state(c));
}

// ---- capabilities ----

TEST(Negotiate, SymmetricFullCapabilities) {
  const auto n = ok(open_of(peer_config()));
  EXPECT_EQ(n.local_as, base::Asn(65001));
  EXPECT_EQ(n.peer_as, base::Asn(65002));
  EXPECT_EQ(n.peer_bgp_id, kPeerId);
  EXPECT_TRUE(n.four_octet_as);
  EXPECT_EQ(n.families, (std::vector<AfiSafi>{kIpv4Unicast, kIpv6Unicast}));
  EXPECT_TRUE(n.has_family(kIpv6Unicast));
  EXPECT_FALSE(n.has_family(AfiSafi{1, 2}));
  EXPECT_TRUE(n.route_refresh);
  EXPECT_FALSE(n.enhanced_route_refresh);
  EXPECT_TRUE(n.extended_messages_send);
  EXPECT_TRUE(n.extended_messages_receive);
  EXPECT_TRUE(n.graceful_restart);
  EXPECT_EQ(n.bgpsec, all_bgpsec());
  EXPECT_EQ(n.decode.bgpsec, all_bgpsec());
  EXPECT_TRUE(n.decode.four_octet_as);
  EXPECT_TRUE(n.decode.extended_messages);
  EXPECT_FALSE(n.decode.ibgp);
  EXPECT_TRUE(n.encode.four_octet_as);
  EXPECT_TRUE(n.encode.extended_messages);
}

TEST(Negotiate, Rfc4760_FamiliesAreTheIntersectionWithImpliedIpv4) {
  // No MP capability at all: IPv4 unicast only.
  auto theirs = open_of(peer_config());
  remove_caps<wire::MultiprotocolCap>(theirs);
  EXPECT_EQ(ok(theirs).families, (std::vector<AfiSafi>{kIpv4Unicast}));

  // The peer offers IPv6 and IPv4 multicast only: IPv6 is common.
  auto c = peer_config();
  c.families = {kIpv6Unicast, AfiSafi{1, 2}};
  c.bgpsec = {};
  EXPECT_EQ(ok(open_of(c)).families, (std::vector<AfiSafi>{kIpv6Unicast}));

  // We offer IPv4 only: IPv6 is dropped even though the peer has it.
  auto ours = our_config();
  ours.families = {kIpv4Unicast};
  ours.bgpsec = {};
  EXPECT_EQ(ok(open_of(peer_config()), ours).families, (std::vector<AfiSafi>{kIpv4Unicast}));
}

TEST(Negotiate, Rfc2918_RouteRefreshBothSidesOldCodeCounts) {
  auto theirs = open_of(peer_config());
  remove_caps<wire::RouteRefreshCap>(theirs);
  EXPECT_FALSE(ok(theirs).route_refresh);
  theirs.capabilities.push_back(wire::Capability{wire::UnknownCap{128, {}}});
  EXPECT_TRUE(ok(theirs).route_refresh);
  auto ours = our_config();
  ours.route_refresh = false;
  EXPECT_FALSE(ok(open_of(peer_config()), ours).route_refresh);
}

TEST(Negotiate, Rfc7313_EnhancedRouteRefreshBothSides) {
  auto ours = our_config();
  ours.enhanced_route_refresh = true;
  EXPECT_FALSE(ok(open_of(peer_config()), ours).enhanced_route_refresh);
  auto peer = peer_config();
  peer.enhanced_route_refresh = true;
  EXPECT_TRUE(ok(open_of(peer), ours).enhanced_route_refresh);
}

TEST(Negotiate, Rfc8654Sec4_ExtendedMessagesPerDirection) {
  // Only the peer advertised: we may send large messages, but accept only 4096.
  auto ours = our_config();
  ours.extended_messages = false;
  auto n = ok(open_of(peer_config()), ours);
  EXPECT_TRUE(n.extended_messages_send);
  EXPECT_FALSE(n.extended_messages_receive);
  EXPECT_TRUE(n.encode.extended_messages);
  EXPECT_FALSE(n.decode.extended_messages);
  EXPECT_EQ(n.decode.max_message_size(), 4096U);
  EXPECT_EQ(n.encode.max_message_size(), 65535U);

  // Only we advertised: we accept large messages but send at most 4096.
  auto peer = peer_config();
  peer.extended_messages = false;
  n = ok(open_of(peer));
  EXPECT_FALSE(n.extended_messages_send);
  EXPECT_TRUE(n.extended_messages_receive);
  EXPECT_FALSE(n.encode.extended_messages);
  EXPECT_TRUE(n.decode.extended_messages);
}

TEST(Negotiate, Rfc4724Sec3_PeerGracefulRestart) {
  auto peer = peer_config();
  peer.graceful_restart = GracefulRestartConfig{180, true, false, {kIpv4Unicast}};
  auto n = ok(open_of(peer));
  ASSERT_TRUE(n.peer_graceful_restart.has_value());
  EXPECT_TRUE(n.graceful_restart);
  const auto& gr = *n.peer_graceful_restart;
  EXPECT_EQ(gr.restart_time, 180);
  EXPECT_TRUE(gr.restarting);
  EXPECT_FALSE(gr.notification);
  EXPECT_EQ(gr.families, (std::vector<PeerGracefulRestart::Family>{{kIpv4Unicast, true},
                                                                   {kIpv6Unicast, false}}));
  // We did not advertise GR: the peer's capability is still reported, GR is not negotiated.
  auto ours = our_config();
  ours.graceful_restart.reset();
  n = ok(open_of(peer), ours);
  EXPECT_TRUE(n.peer_graceful_restart.has_value());
  EXPECT_FALSE(n.graceful_restart);
  // The peer did not advertise GR.
  peer.graceful_restart.reset();
  n = ok(open_of(peer));
  EXPECT_FALSE(n.peer_graceful_restart.has_value());
  EXPECT_FALSE(n.graceful_restart);
}

// RFC 4724 §4.2: stale routes of a family stay only when the peer's new OPEN lists that family
// with the F bit set.
TEST(Negotiate, Rfc4724Sec4_2_ForwardingPreservedPerFamily) {
  auto peer = peer_config();
  peer.graceful_restart = GracefulRestartConfig{180, true, false, {kIpv4Unicast}};
  auto n = ok(open_of(peer));
  EXPECT_TRUE(forwarding_preserved(n, kIpv4Unicast));
  EXPECT_FALSE(forwarding_preserved(n, kIpv6Unicast));  // listed, F bit clear
  peer.graceful_restart = GracefulRestartConfig{180, true, false, {}};
  n = ok(open_of(peer));
  EXPECT_FALSE(forwarding_preserved(n, kIpv4Unicast));  // F bit clear for every family
  peer.graceful_restart.reset();
  n = ok(open_of(peer));
  EXPECT_FALSE(forwarding_preserved(n, kIpv4Unicast));  // no capability at all
}

// RFC 8205 §2.2: send for an AFI iff we advertised send and the peer receive; receive iff we
// advertised receive and the peer send.
TEST(Negotiate, Rfc8205Sec2_2_BgpsecPerAfiAndDirection) {
  struct Case {
    const char* name;
    wire::BgpsecDirections ours;  // what we advertise (send = Dir 1, receive = Dir 0)
    wire::BgpsecDirections peer;  // what the peer advertises
    wire::BgpsecDirections expect;
  };
  // BgpsecDirections field order: receive_ipv4, receive_ipv6, send_ipv4, send_ipv6.
  const wire::BgpsecDirections none{};
  const Case cases[] = {
      {"all both ways", all_bgpsec(), all_bgpsec(), all_bgpsec()},
      {"peer advertises receive IPv4 only",
       all_bgpsec(),
       {true, false, false, false},
       {false, false, true, false}},
      {"peer advertises send IPv6 only",
       all_bgpsec(),
       {false, false, false, true},
       {false, true, false, false}},
      {"peer advertises nothing", all_bgpsec(), none, none},
      {"we advertise nothing", none, all_bgpsec(), none},
      {"we send IPv4 only", {false, false, true, false}, all_bgpsec(), {false, false, true, false}},
      {"we receive only, peer receives only",
       {true, true, false, false},
       {true, true, false, false},
       none},
      {"crossed AFIs", {false, false, true, false}, {false, true, false, false}, none},
  };
  for (const auto& c : cases) {
    auto ours = our_config();
    ours.bgpsec = c.ours;
    auto peer = peer_config();
    peer.bgpsec = c.peer;
    const auto n = ok(open_of(peer), ours);
    EXPECT_EQ(n.bgpsec, c.expect) << c.name;
    EXPECT_EQ(n.decode.bgpsec, c.expect) << c.name;
  }
}

TEST(Negotiate, Rfc8205Sec2_2_NoFourOctetAsMeansNoBgpsec) {
  auto theirs = open_of(peer_config());
  remove_caps<wire::FourOctetAsCap>(theirs);
  const auto n = ok(theirs);
  EXPECT_FALSE(n.four_octet_as);
  EXPECT_EQ(n.bgpsec, wire::BgpsecDirections{});
  EXPECT_FALSE(n.decode.four_octet_as);
  EXPECT_FALSE(n.encode.four_octet_as);
  EXPECT_EQ(n.decode.bgpsec, wire::BgpsecDirections{});
}

TEST(Negotiate, Rfc8205Sec2_2_BgpsecNeedsMultiprotocolForTheAfi) {
  // The peer advertises BGPsec for IPv6 but no IPv6 MP capability.
  auto theirs = open_of(peer_config());
  std::erase_if(theirs.capabilities, [](const wire::Capability& c) {
    const auto* mp = std::get_if<wire::MultiprotocolCap>(&c.value);
    return mp != nullptr && mp->afi == 2;
  });
  auto n = ok(theirs);
  EXPECT_EQ(n.bgpsec, (wire::BgpsecDirections{true, false, true, false}));
  // No MP capability at all: IPv4 unicast is implied for plain BGP, but BGPsec routes travel
  // in MP_REACH_NLRI, so there is no BGPsec for IPv4 either.
  remove_caps<wire::MultiprotocolCap>(theirs);
  n = ok(theirs);
  EXPECT_EQ(n.families, (std::vector<AfiSafi>{kIpv4Unicast}));
  EXPECT_EQ(n.bgpsec, wire::BgpsecDirections{});
}

TEST(Negotiate, Rfc8205Sec2_IgnoresBgpsecVersionOtherThanZero) {
  auto theirs = open_of(peer_config());
  for (auto& cap : theirs.capabilities) {
    if (auto* b = std::get_if<wire::BgpsecCap>(&cap.value); b != nullptr && b->afi == 1) {
      b->version = 1;
    }
  }
  EXPECT_EQ(ok(theirs).bgpsec, (wire::BgpsecDirections{false, true, false, true}));
}

TEST(Negotiate, Rfc8538Sec2_GracefulNotificationNeedsTheNBitFromBoth) {
  auto ours = our_config();
  ours.graceful_restart->notification = true;
  auto theirs = peer_config();
  theirs.graceful_restart->notification = true;
  auto n = ok(open_of(theirs), ours);
  EXPECT_TRUE(n.peer_graceful_restart->notification);
  EXPECT_TRUE(n.graceful_notification);

  theirs.graceful_restart->notification = false;  // the peer did not set N
  n = ok(open_of(theirs), ours);
  EXPECT_FALSE(n.peer_graceful_restart->notification);
  EXPECT_FALSE(n.graceful_notification);

  theirs.graceful_restart->notification = true;  // we did not set N
  ours.graceful_restart->notification = false;
  n = ok(open_of(theirs), ours);
  EXPECT_TRUE(n.peer_graceful_restart->notification);
  EXPECT_FALSE(n.graceful_notification);
}

// ---- BGP Role (RFC 9234 §4) ----

SessionConfig with_role(SessionConfig c, std::optional<wire::Role> role, bool strict = false) {
  c.role = role;
  c.role_strict = strict;
  return c;
}

wire::OpenMessage peer_open_with_roles(std::initializer_list<std::uint8_t> roles) {
  auto open = open_of(peer_config());
  for (const auto r : roles) {
    open.capabilities.push_back(wire::Capability{wire::RoleCap{r}});
  }
  return open;
}

wire::NotificationMessage role_rejected(const wire::OpenMessage& theirs,
                                        const SessionConfig& ours) {
  auto n = negotiate(open_of(ours), theirs, ours.peer_as, 0, ours.role_strict);
  EXPECT_FALSE(n.has_value());
  return n ? wire::NotificationMessage{} : n.error();
}

Negotiated role_ok(const wire::OpenMessage& theirs, const SessionConfig& ours) {
  auto n = negotiate(open_of(ours), theirs, ours.peer_as, 0, ours.role_strict);
  EXPECT_TRUE(n.has_value()) << (n ? "" : std::to_string(n.error().subcode));
  return n.value_or(Negotiated{});
}

void expect_role_mismatch(const wire::NotificationMessage& m) {
  EXPECT_EQ(m.code, base::notify::kOpenMessageError);
  EXPECT_EQ(m.subcode, 11);
  EXPECT_TRUE(m.data.empty());
}

TEST(BuildOpen, Rfc9234Sec4_1_RoleCapabilityOnlyWhenConfigured) {
  EXPECT_EQ(wire::find_capability<wire::RoleCap>(open_of(our_config())), nullptr);
  const auto open = open_of(with_role(our_config(), wire::Role::Customer));
  const auto* role = wire::find_capability<wire::RoleCap>(open);
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->role, 3);
  // Exactly once, and on the wire as 09 01 03.
  EXPECT_EQ(std::count_if(open.capabilities.begin(), open.capabilities.end(),
                          [](const wire::Capability& c) { return c.code() == 9; }),
            1);
  const auto bytes = wire::encode_open(open, wire::EncodeContext{});
  ASSERT_TRUE(bytes.has_value());
  EXPECT_NE(base::to_hex(*bytes).find("090103"), std::string::npos);
}

TEST(Negotiate, Rfc9234Sec4_2_MatchingRolesRecordThePeersRole) {
  const std::pair<wire::Role, wire::Role> pairs[] = {{wire::Role::Provider, wire::Role::Customer},
                                                     {wire::Role::Customer, wire::Role::Provider},
                                                     {wire::Role::Rs, wire::Role::RsClient},
                                                     {wire::Role::RsClient, wire::Role::Rs},
                                                     {wire::Role::Peer, wire::Role::Peer}};
  for (const auto& [local, remote] : pairs) {
    const auto n = role_ok(peer_open_with_roles({static_cast<std::uint8_t>(remote)}),
                           with_role(our_config(), local, true));
    EXPECT_EQ(n.local_role, local);
    EXPECT_EQ(n.peer_role, static_cast<std::uint8_t>(remote));
  }
}

TEST(Negotiate, Rfc9234Sec4_2_MismatchedRolesAreRoleMismatch) {
  expect_role_mismatch(role_rejected(peer_open_with_roles({0}),  // Provider
                                     with_role(our_config(), wire::Role::Provider)));
  expect_role_mismatch(role_rejected(peer_open_with_roles({4}),  // Peer
                                     with_role(our_config(), wire::Role::Customer)));
  expect_role_mismatch(role_rejected(peer_open_with_roles({1}),  // RS
                                     with_role(our_config(), wire::Role::Rs)));
  // A reserved value matches no role.
  expect_role_mismatch(
      role_rejected(peer_open_with_roles({7}), with_role(our_config(), wire::Role::Peer)));
}

TEST(Negotiate, Rfc9234Sec4_2_StrictModeNeedsThePeersRole) {
  expect_role_mismatch(
      role_rejected(open_of(peer_config()), with_role(our_config(), wire::Role::Provider, true)));
  // Not strict: a peer without roles is accepted, and no peer role is recorded.
  const auto n = role_ok(open_of(peer_config()), with_role(our_config(), wire::Role::Provider));
  EXPECT_EQ(n.local_role, wire::Role::Provider);
  EXPECT_EQ(n.peer_role, std::nullopt);
}

TEST(Negotiate, Rfc9234Sec4_2_RepeatedRoleCapability) {
  const auto ours = with_role(our_config(), wire::Role::Provider);
  // The same value twice: one role.
  EXPECT_EQ(role_ok(peer_open_with_roles({3, 3}), ours).peer_role, 3);
  // Different values: refused, also when we have no role of our own.
  expect_role_mismatch(role_rejected(peer_open_with_roles({3, 0}), ours));
  expect_role_mismatch(role_rejected(peer_open_with_roles({4, 3}), our_config()));
}

TEST(Negotiate, Rfc9234Sec4_2_NoLocalRoleAcceptsAnyPeerRole) {
  const auto n = role_ok(peer_open_with_roles({0}), our_config());
  EXPECT_EQ(n.local_role, std::nullopt);
  EXPECT_EQ(n.peer_role, 0);
  // Strict without a local role has nothing to require.
  EXPECT_EQ(role_ok(open_of(peer_config()), with_role(our_config(), std::nullopt, true)).peer_role,
            std::nullopt);
}

}  // namespace
}  // namespace bgpsecd::session
