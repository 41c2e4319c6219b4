// SPDX-License-Identifier: BSD-2-Clause
// Export rules (RFC 4271 §9.2 / §5.1, RFC 4456, RFC 1997, RFC 6793, RFC 8205 §4) and the
// Adj-RIB-Out's change tracking and route refresh.
#include "rib/adj_rib_out.hpp"

#include <array>
#include <cstddef>
#include <utility>

#include <gtest/gtest.h>

#include "rib/test_util.hpp"

namespace bgpsecd::rib {
namespace {

using testing::addr;
using testing::attrs_with_path;
using testing::make_peer;
using testing::make_route;
using testing::pfx;
using testing::seq;

constexpr std::uint32_t kOurAs = 64500;

class ExportTest : public ::testing::Test {
 protected:
  AttributeStore store_;
  LocalSpeaker self_{base::Asn(kOurAs), 0x0A0000FF, 0, std::nullopt};
  PeerHandle ebgp_in_ = make_peer("10.0.0.1", 65001, 1, PeerKind::Ebgp);
  PeerHandle ibgp_in_ = make_peer("10.0.1.1", kOurAs, 0x0A000101, PeerKind::Ibgp);
  PeerHandle client_in_ = make_peer("10.0.1.2", kOurAs, 0x0A000102, PeerKind::Ibgp, true);
  PeerHandle local_ = make_peer("0.0.0.0", kOurAs, 0x0A0000FF, PeerKind::Local);

  static ExportPeer ebgp_out(std::uint32_t asn = 65002) {
    ExportPeer p;
    p.info = PeerInfo{PeerKey{addr("10.0.2.1")}, base::Asn(asn), 7, PeerKind::Ebgp, false};
    p.next_hop_ipv4 = addr("10.0.2.254");
    p.next_hop_ipv6 = addr("2001:db8:2::254");
    return p;
  }
  static ExportPeer ibgp_out(bool client = false) {
    ExportPeer p;
    p.info = PeerInfo{PeerKey{addr("10.0.1.9")}, base::Asn(kOurAs), 9, PeerKind::Ibgp, client};
    p.next_hop_ipv4 = addr("10.0.1.254");
    return p;
  }
  Route route(const PeerHandle& peer, wire::PathAttributes attrs,
              const char* prefix = "203.0.113.0/24") {
    return make_route(store_, prefix, peer, std::move(attrs));
  }
  static wire::PathAttributes signed_attrs() {
    wire::PathAttributes a;
    a.origin = wire::Origin::Igp;
    a.mp_reach = wire::MpReach{base::Afi::Ipv4, base::kSafiUnicast, {addr("10.0.0.1")}, {}};
    a.bgpsec_path = wire::BgpsecPath{{{1, 0, base::Asn(65001)}, {2, 0, base::Asn(65010)}},
                                     {wire::SignatureBlock{wire::kAlgorithmSuite1, {{}, {}}}}};
    return a;
  }
};

// ===== which routes go where =====

TEST_F(ExportTest, NeverBackToTheSamePeer) {
  ExportPeer back = ebgp_out(65001);
  back.info.key = ebgp_in_->key;
  EXPECT_EQ(export_route(route(ebgp_in_, attrs_with_path(seq({65001}))), back, self_).verdict,
            ExportVerdict::SamePeer);
}

TEST_F(ExportTest, Rfc4271_9_2_IbgpLearnedNotToIbgp) {
  const auto r = route(ibgp_in_, attrs_with_path(seq({65001})));
  EXPECT_EQ(export_route(r, ibgp_out(), self_).verdict, ExportVerdict::IbgpToIbgp);
  EXPECT_EQ(export_route(r, ebgp_out(), self_).verdict, ExportVerdict::Advertise);
  EXPECT_EQ(export_route(route(ebgp_in_, attrs_with_path(seq({65001}))), ibgp_out(), self_).verdict,
            ExportVerdict::Advertise);
}

TEST_F(ExportTest, Rfc4456_6_ReflectClientRoutesToAllAndOthersToClients) {
  // Non-client route to a client: reflected.
  auto from_non_client = export_route(route(ibgp_in_, attrs_with_path(seq({65001}))),
                                      ibgp_out(/*client=*/true), self_);
  ASSERT_EQ(from_non_client.verdict, ExportVerdict::Advertise);
  // RFC 4456 §8: ORIGINATOR_ID = the originator's BGP Identifier, our CLUSTER_ID prepended.
  EXPECT_EQ(from_non_client.attrs.originator_id, ibgp_in_->router_id);
  EXPECT_EQ(from_non_client.attrs.cluster_list, std::vector<std::uint32_t>{self_.router_id});

  // Client route to a non-client: reflected; an existing ORIGINATOR_ID is kept.
  auto reflected_before = attrs_with_path(seq({65001}));
  reflected_before.originator_id = 0x01020304;
  reflected_before.cluster_list = {0x0B000001};
  LocalSpeaker with_cluster = self_;
  with_cluster.cluster_id = 0x0C000001;
  auto from_client = export_route(route(client_in_, reflected_before), ibgp_out(), with_cluster);
  ASSERT_EQ(from_client.verdict, ExportVerdict::Advertise);
  EXPECT_EQ(from_client.attrs.originator_id, 0x01020304U);
  EXPECT_EQ(from_client.attrs.cluster_list, (std::vector<std::uint32_t>{0x0C000001, 0x0B000001}));

  // eBGP-learned route to a client is not reflected: no RFC 4456 attributes.
  auto from_ebgp =
      export_route(route(ebgp_in_, attrs_with_path(seq({65001}))), ibgp_out(true), self_);
  EXPECT_FALSE(from_ebgp.attrs.originator_id.has_value());
  EXPECT_TRUE(from_ebgp.attrs.cluster_list.empty());
}

TEST_F(ExportTest, Rfc1997_WellKnownCommunities) {
  auto no_advertise = attrs_with_path(seq({65001}));
  no_advertise.communities = {wire::kCommunityNoAdvertise};
  EXPECT_EQ(export_route(route(ebgp_in_, no_advertise), ibgp_out(), self_).verdict,
            ExportVerdict::NoAdvertise);
  auto no_export = attrs_with_path(seq({65001}));
  no_export.communities = {wire::kCommunityNoExport};
  EXPECT_EQ(export_route(route(ebgp_in_, no_export), ebgp_out(), self_).verdict,
            ExportVerdict::NoExport);
  EXPECT_EQ(export_route(route(ebgp_in_, no_export), ibgp_out(), self_).verdict,
            ExportVerdict::Advertise);
}

TEST_F(ExportTest, SplitHorizonByAsPath) {
  const auto r = route(ebgp_in_, attrs_with_path(seq({65001, 65002, 9})));
  EXPECT_EQ(export_route(r, ebgp_out(65002), self_).verdict, ExportVerdict::AsPathLoop);
  ExportPeer lenient = ebgp_out(65002);
  lenient.suppress_as_loop = false;
  EXPECT_EQ(export_route(r, lenient, self_).verdict, ExportVerdict::Advertise);
  // Also for BGPsec routes (the AS is in the Secure_Path).
  EXPECT_EQ(export_route(route(ebgp_in_, signed_attrs()), ebgp_out(65010), self_).verdict,
            ExportVerdict::AsPathLoop);
}

TEST_F(ExportTest, NoNextHopForTheAfiMeansNoExport) {
  ExportPeer v4_only = ebgp_out();
  v4_only.next_hop_ipv6.reset();
  EXPECT_EQ(
      export_route(route(ebgp_in_, attrs_with_path(seq({65001})), "2001:db8::/32"), v4_only, self_)
          .verdict,
      ExportVerdict::NoNextHop);
}

// ===== attribute rewriting =====

TEST_F(ExportTest, Rfc4271_5_1_EbgpPrependsSetsNextHopStripsLocalPrefAndMed) {
  auto in = attrs_with_path(seq({65001, 9}));
  in.med = 40;
  in.local_pref = 300;
  in.originator_id = 5;
  in.cluster_list = {6};
  in.ext_communities = {
      wire::make_origin_validation_community(wire::OriginValidationState::Valid),
      wire::ExtendedCommunity{{0x00, 0x02, 0, 1, 0, 0, 0, 1}}};  // transitive route target
  const auto out = export_route(route(ibgp_in_, in), ebgp_out(), self_);
  ASSERT_EQ(out.verdict, ExportVerdict::Advertise);
  EXPECT_EQ(out.attrs.as_path, seq({kOurAs, 65001, 9}));
  EXPECT_EQ(out.attrs.next_hop, addr("10.0.2.254"));
  EXPECT_FALSE(out.attrs.local_pref.has_value());
  EXPECT_FALSE(out.attrs.med.has_value());
  EXPECT_FALSE(out.attrs.originator_id.has_value());
  EXPECT_TRUE(out.attrs.cluster_list.empty());
  ASSERT_EQ(out.attrs.ext_communities.size(), 1U);  // RFC 8097 community stays inside
  EXPECT_EQ(out.attrs.ext_communities[0].bytes[0], 0x00);
  EXPECT_FALSE(out.sign);
}

TEST_F(ExportTest, Rfc4271_5_1_4_LocallySetMedMayGoToEbgp) {
  auto in = attrs_with_path({});
  in.med = 7;
  const auto out = export_route(route(local_, in), ebgp_out(), self_);
  ASSERT_EQ(out.verdict, ExportVerdict::Advertise);
  EXPECT_EQ(out.attrs.med, 7U);
  EXPECT_EQ(out.attrs.as_path, seq({kOurAs}));
}

TEST_F(ExportTest, Rfc4271_5_1_2_PrependStartsNewSegmentWhenNeeded) {
  wire::AsPath set_first{{{wire::AsPathSegmentType::AsSet, {base::Asn(1), base::Asn(2)}}}};
  auto out = export_route(route(ebgp_in_, attrs_with_path(set_first)), ebgp_out(), self_);
  ASSERT_EQ(out.attrs.as_path->segments.size(), 2U);
  EXPECT_EQ(out.attrs.as_path->segments[0],
            (wire::AsPathSegment{wire::AsPathSegmentType::AsSequence, {base::Asn(kOurAs)}}));
  wire::AsPath full = seq({});
  full.segments[0].asns.assign(255, base::Asn(65001));
  out = export_route(route(ebgp_in_, attrs_with_path(full)), ebgp_out(), self_);
  ASSERT_EQ(out.attrs.as_path->segments.size(), 2U);
  EXPECT_EQ(out.attrs.as_path->segments[0].asns.size(), 1U);
  // RFC 5065 §5.3: confederation segments are removed towards an external peer.
  wire::AsPath confed = seq({65001});
  confed.segments.insert(confed.segments.begin(),
                         {wire::AsPathSegmentType::AsConfedSequence, {base::Asn(64512)}});
  out = export_route(route(ibgp_in_, attrs_with_path(confed)), ebgp_out(), self_);
  EXPECT_EQ(out.attrs.as_path, seq({kOurAs, 65001}));
}

TEST_F(ExportTest, Rfc4271_5_1_IbgpKeepsPathNextHopAndMedAndSetsLocalPref) {
  auto in = attrs_with_path(seq({65001, 9}));
  in.med = 40;
  Route r = route(ebgp_in_, in);
  r.local_pref = 120;  // set by import policy
  const auto out = export_route(r, ibgp_out(), self_);
  ASSERT_EQ(out.verdict, ExportVerdict::Advertise);
  EXPECT_EQ(out.attrs.as_path, seq({65001, 9}));
  EXPECT_EQ(out.attrs.next_hop, addr("192.0.2.1"));
  EXPECT_EQ(out.attrs.med, 40U);
  EXPECT_EQ(out.attrs.local_pref, 120U);

  ExportPeer nhs = ibgp_out();
  nhs.next_hop_self_ibgp = true;
  EXPECT_EQ(export_route(r, nhs, self_).attrs.next_hop, addr("10.0.1.254"));
}

TEST_F(ExportTest, LocalRouteToIbgpGetsEmptyPathAndOurNextHop) {
  wire::PathAttributes in;
  in.origin = wire::Origin::Igp;
  const auto out = export_route(route(local_, in), ibgp_out(), self_);
  ASSERT_EQ(out.verdict, ExportVerdict::Advertise);
  EXPECT_EQ(out.attrs.as_path, wire::AsPath{});
  EXPECT_EQ(out.attrs.next_hop, addr("10.0.1.254"));
  EXPECT_EQ(out.attrs.local_pref, kDefaultLocalPref);
}

TEST_F(ExportTest, Ipv6NextHopGoesIntoMpReach) {
  wire::PathAttributes in = attrs_with_path(seq({65001}));
  in.next_hop.reset();
  in.mp_reach = wire::MpReach{
      base::Afi::Ipv6, base::kSafiUnicast, {addr("2001:db8:1::1")}, {pfx("2001:db8::/32")}};
  const auto out = export_route(route(ebgp_in_, in, "2001:db8::/32"), ebgp_out(), self_);
  ASSERT_EQ(out.verdict, ExportVerdict::Advertise);
  ASSERT_TRUE(out.attrs.mp_reach.has_value());
  EXPECT_EQ(out.attrs.mp_reach->next_hops, std::vector{addr("2001:db8:2::254")});
  EXPECT_TRUE(out.attrs.mp_reach->nlri.empty());
  EXPECT_FALSE(out.attrs.next_hop.has_value());
}

TEST_F(ExportTest, Rfc4271_5_UnknownAttributesPassedOnWithPartialOrDropped) {
  auto in = attrs_with_path(seq({65001}));
  in.unknown = {{wire::kAttrFlagOptional | wire::kAttrFlagTransitive, 99, {1}},
                {wire::kAttrFlagOptional, 98, {2}}};
  for (const auto& peer : {ebgp_out(), ibgp_out()}) {
    const auto out = export_route(route(ebgp_in_, in), peer, self_);
    ASSERT_EQ(out.attrs.unknown.size(), 1U);
    EXPECT_EQ(out.attrs.unknown[0].type, 99);
    EXPECT_EQ(out.attrs.unknown[0].flags,
              wire::kAttrFlagOptional | wire::kAttrFlagTransitive | wire::kAttrFlagPartial);
  }
}

TEST_F(ExportTest, Rfc6793_TwoOctetPeerGetsAs4Path) {
  auto in = attrs_with_path(seq({65001, 4200000001}));
  in.as4_path = seq({1});  // as received: never passed on as is
  ExportPeer old = ebgp_out();
  old.four_octet_as = false;
  auto out = export_route(route(ebgp_in_, in), old, self_);
  EXPECT_EQ(out.attrs.as4_path, seq({kOurAs, 65001, 4200000001}));
  out = export_route(route(ebgp_in_, in), ebgp_out(), self_);
  EXPECT_FALSE(out.attrs.as4_path.has_value());
  auto small = attrs_with_path(seq({65001}));
  EXPECT_FALSE(export_route(route(ebgp_in_, small), old, self_).attrs.as4_path.has_value());
}

TEST_F(ExportTest, Rfc8097_OriginStateSignalledToIbgpWhenConfigured) {
  Route r = route(ebgp_in_, attrs_with_path(seq({65001})));
  r.origin_state = OriginState::Invalid;
  ExportPeer peer = ibgp_out();
  EXPECT_TRUE(export_route(r, peer, self_).attrs.ext_communities.empty());
  peer.send_origin_validation_state = true;
  const auto out = export_route(r, peer, self_);
  EXPECT_EQ(wire::find_origin_validation_state(out.attrs.ext_communities), OriginState::Invalid);
  EXPECT_EQ(out.attrs.ext_communities.size(), 1U);
}

TEST_F(ExportTest, Rfc8374_8_7_PathStateSignalledToIbgpOnlyAndReplacesAReceivedOne) {
  wire::PathAttributes a = attrs_with_path(seq({65001}));
  // A state community that arrived with the route is replaced, not duplicated.
  a.ext_communities.push_back(
      wire::make_bgpsec_path_state_community(wire::BgpsecPathStateCode::Valid));
  Route r = route(ebgp_in_, a);
  r.path_state = PathState::Pending;
  ExportPeer peer = ibgp_out();
  peer.send_path_validation_state = true;
  const auto out = export_route(r, peer, self_);
  EXPECT_EQ(wire::find_bgpsec_path_state(out.attrs.ext_communities),
            wire::BgpsecPathStateCode::Deferred);
  EXPECT_EQ(out.attrs.ext_communities.size(), 1U);
  // Non-transitive: it never leaves the AS.
  ExportPeer external = ebgp_out();
  external.send_path_validation_state = true;
  EXPECT_TRUE(export_route(r, external, self_).attrs.ext_communities.empty());
}

TEST_F(ExportTest, AspaStateSignalledToIbgpReplacesAReceivedOneAndUnverifiedSendsNone) {
  wire::PathAttributes a = attrs_with_path(seq({65001}));
  a.ext_communities.push_back(wire::make_aspa_state_community(wire::AspaStateCode::Valid));
  Route r = route(ebgp_in_, a);
  r.aspa_state = AspaState::Invalid;
  ExportPeer peer = ibgp_out();
  peer.send_aspa_state = true;
  auto out = export_route(r, peer, self_);
  EXPECT_EQ(wire::find_aspa_state(out.attrs.ext_communities), wire::AspaStateCode::Invalid);
  EXPECT_EQ(out.attrs.ext_communities.size(), 1U);
  // Unverified here: the received community is not passed on as if it were our verdict.
  r.aspa_state = AspaState::Unverified;
  out = export_route(r, peer, self_);
  EXPECT_TRUE(out.attrs.ext_communities.empty());
  // Non-transitive: it never leaves the AS.
  r.aspa_state = AspaState::Valid;
  ExportPeer external = ebgp_out();
  external.send_aspa_state = true;
  EXPECT_TRUE(export_route(r, external, self_).attrs.ext_communities.empty());
}

TEST_F(ExportTest, Rfc7947_TransparentRouteServerDoesNotPrependItsAs) {
  ExportPeer peer = ebgp_out();
  peer.transparent_route_server = true;
  const auto out = export_route(route(ebgp_in_, attrs_with_path(seq({65001}))), peer, self_);
  ASSERT_EQ(out.verdict, ExportVerdict::Advertise);
  EXPECT_EQ(out.attrs.as_path, seq({65001}));
}

TEST(ReflectionLoop, Rfc4456_8_OurOriginatorIdOrClusterIdMeansALoop) {
  LocalSpeaker self{
      .asn = base::Asn(65000), .router_id = 0x0A000001, .cluster_id = 0, .confederation_id = {}};
  wire::PathAttributes a;
  EXPECT_FALSE(reflection_loop(a, self));
  a.originator_id = 0x0A000001;
  EXPECT_TRUE(reflection_loop(a, self));
  a.originator_id = 0x0A000002;
  a.cluster_list = {0x0A0000FF, 0x0A000001};  // cluster id defaults to the router id
  EXPECT_TRUE(reflection_loop(a, self));
  self.cluster_id = 7;
  EXPECT_FALSE(reflection_loop(a, self));
  a.cluster_list.push_back(7);
  EXPECT_TRUE(reflection_loop(a, self));
}

// ===== BGPsec =====

TEST_F(ExportTest, Rfc8205_4_4_NonBgpsecPeerGetsRebuiltAsPath) {
  const auto out = export_route(route(ebgp_in_, signed_attrs()), ebgp_out(), self_);
  ASSERT_EQ(out.verdict, ExportVerdict::Advertise);
  EXPECT_FALSE(out.sign);
  EXPECT_FALSE(out.bgpsec);
  EXPECT_EQ(out.attrs.as_path, seq({kOurAs, 65001, 65010, 65010}));
  ASSERT_TRUE(out.attrs.mp_reach.has_value());
  EXPECT_EQ(out.attrs.mp_reach->next_hops, std::vector{addr("10.0.2.254")});
}

TEST_F(ExportTest, Rfc8205_4_BgpsecPeerGetsPathToSign) {
  ExportPeer peer = ebgp_out();
  peer.bgpsec.send_ipv4 = true;
  const Route in = route(ebgp_in_, signed_attrs());
  const auto out = export_route(in, peer, self_);
  ASSERT_EQ(out.verdict, ExportVerdict::Advertise);
  EXPECT_TRUE(out.sign);
  EXPECT_EQ(out.bgpsec.decode(), *signed_attrs().bgpsec_path);  // the signer prepends
  // The stored value itself goes out, not a copy, and not inside the set.
  EXPECT_EQ(out.bgpsec.secure_path().data(), in.bgpsec.secure_path().data());
  EXPECT_FALSE(out.attrs.bgpsec_path.has_value());
  EXPECT_FALSE(out.attrs.as_path.has_value());
}

TEST_F(ExportTest, Rfc8374_8_4_UnsignedForwardedUnsignedLocalOriginatedSigned) {
  ExportPeer peer = ebgp_out();
  peer.bgpsec.send_ipv4 = true;
  const auto unsigned_out =
      export_route(route(ebgp_in_, attrs_with_path(seq({65001}))), peer, self_);
  EXPECT_FALSE(unsigned_out.sign);
  EXPECT_EQ(unsigned_out.attrs.as_path, seq({kOurAs, 65001}));

  wire::PathAttributes local_attrs;
  local_attrs.origin = wire::Origin::Igp;
  const auto local_out = export_route(route(local_, local_attrs), peer, self_);
  EXPECT_TRUE(local_out.sign);
  EXPECT_FALSE(local_out.bgpsec);  // originate()
  EXPECT_FALSE(local_out.attrs.as_path.has_value());
  // RFC 8205 §4.1: the IPv4 prefix goes in MP_REACH_NLRI with our address, no NEXT_HOP.
  ASSERT_TRUE(local_out.attrs.mp_reach.has_value());
  EXPECT_EQ(local_out.attrs.mp_reach->afi, base::Afi::Ipv4);
  EXPECT_EQ(local_out.attrs.mp_reach->next_hops, std::vector{addr("10.0.2.254")});
  EXPECT_FALSE(local_out.attrs.next_hop.has_value());
  // Originated by another router of our AS (empty path via iBGP): signed too.
  EXPECT_TRUE(export_route(route(ibgp_in_, attrs_with_path({})), peer, self_).sign);
}

TEST_F(ExportTest, Rfc8374_8_7_IbgpGetsBgpsecPathAsReceivedIfItSpeaksBgpsec) {
  ExportPeer peer = ibgp_out();
  peer.bgpsec.send_ipv4 = true;
  auto out = export_route(route(ebgp_in_, signed_attrs()), peer, self_);
  EXPECT_FALSE(out.sign);
  EXPECT_EQ(out.bgpsec.decode(), *signed_attrs().bgpsec_path);
  out = export_route(route(ebgp_in_, signed_attrs()), ibgp_out(), self_);
  EXPECT_FALSE(out.bgpsec);
  EXPECT_EQ(out.attrs.as_path, seq({65001, 65010, 65010}));
}

// ===== confederations (RFC 5065) and private ASNs (RFC 8374 §8.4.2) =====

class ConfedExportTest : public ExportTest {
 protected:
  static constexpr std::uint32_t kConfedId = 100;
  static constexpr std::uint32_t kMember = 64601;
  ConfedExportTest() {
    self_.asn = base::Asn(kMember);
    self_.confederation_id = base::Asn(kConfedId);
  }
  static ExportPeer member_out(std::uint32_t member = 64602) {
    ExportPeer p = ebgp_out(member);
    p.info.confed_member = true;
    return p;
  }
  PeerHandle member_in_ = std::make_shared<const PeerInfo>(
      PeerInfo{PeerKey{addr("10.0.3.1")}, base::Asn(64603), 3, PeerKind::Ebgp, false, true});
  static wire::AsPath confed_then(std::initializer_list<std::uint32_t> members,
                                  std::initializer_list<std::uint32_t> path) {
    wire::AsPath p = seq(path);
    wire::AsPathSegment c{wire::AsPathSegmentType::AsConfedSequence, {}};
    for (const auto m : members) {
      c.asns.emplace_back(m);
    }
    p.segments.insert(p.segments.begin(), c);
    return p;
  }
};

TEST_F(ConfedExportTest, Rfc5065_5_3_ToAnotherMemberOurMemberAsGoesIntoAsConfedSequence) {
  auto r = route(ebgp_in_, attrs_with_path(seq({65001})));
  r.local_pref = 150;
  auto a = *r.attrs;
  a.med = 7;
  r.attrs = store_.intern(std::move(a));
  const auto out = export_route(r, member_out(), self_);
  ASSERT_EQ(out.verdict, ExportVerdict::Advertise);
  EXPECT_EQ(out.attrs.as_path, confed_then({kMember}, {65001}));
  // RFC 5065: MED travels inside the confederation; LOCAL_PREF is not sent (a member's
  // session discards it as from eBGP, RFC 7606 §7.5).
  EXPECT_FALSE(out.attrs.local_pref.has_value());
  EXPECT_EQ(out.attrs.med, 7U);
}

TEST_F(ConfedExportTest, Rfc5065_5_3_LeavingTheConfederationTheIdentifierReplacesTheMembers) {
  const auto out = export_route(route(member_in_, attrs_with_path(confed_then({64603}, {65001}))),
                                ebgp_out(65003), self_);
  ASSERT_EQ(out.verdict, ExportVerdict::Advertise);
  EXPECT_EQ(out.attrs.as_path, seq({kConfedId, 65001}));
  EXPECT_FALSE(out.attrs.local_pref.has_value());
}

TEST_F(ConfedExportTest, Rfc1997_NoExportStaysInsideTheConfederationSubconfedInsideTheMember) {
  wire::PathAttributes no_export = attrs_with_path(seq({65001}));
  no_export.communities = {wire::kCommunityNoExport};
  EXPECT_EQ(export_route(route(ebgp_in_, no_export), member_out(), self_).verdict,
            ExportVerdict::Advertise);
  EXPECT_EQ(export_route(route(ebgp_in_, no_export), ebgp_out(65003), self_).verdict,
            ExportVerdict::NoExport);
  wire::PathAttributes subconfed = attrs_with_path(seq({65001}));
  subconfed.communities = {wire::kCommunityNoExportSubconfed};
  EXPECT_EQ(export_route(route(ebgp_in_, subconfed), member_out(), self_).verdict,
            ExportVerdict::NoExport);
}

TEST_F(ConfedExportTest, Rfc8205_4_3_SignedRoutesAreSignedTowardsMembersAndOutside) {
  ExportPeer member = member_out();
  member.bgpsec.send_ipv4 = true;
  auto out = export_route(route(ebgp_in_, signed_attrs()), member, self_);
  EXPECT_TRUE(out.sign);
  EXPECT_EQ(out.bgpsec.decode(), *signed_attrs().bgpsec_path);  // the signer adds segments
  // Originated in another Member-AS and received unsigned: ours (the confederation's) to
  // sign towards an external BGPsec peer.
  ExportPeer outside = ebgp_out(65003);
  outside.bgpsec.send_ipv4 = true;
  wire::AsPath members_only = confed_then({64603}, {});
  members_only.segments.pop_back();  // no AS_SEQUENCE at all
  out = export_route(route(member_in_, attrs_with_path(members_only)), outside, self_);
  EXPECT_TRUE(out.sign);
  EXPECT_FALSE(out.attrs.as_path.has_value());
}

TEST_F(ConfedExportTest, Rfc4271_9_1_2_2_dConfederationEbgpIsNotPreferredLikeEbgp) {
  // Recorded on the peer for the decision process; see decision_test for the ranking itself.
  EXPECT_TRUE(member_in_->confed_member);
  EXPECT_EQ(member_in_->kind, PeerKind::Ebgp);
}

TEST_F(ExportTest, Rfc8374_8_4_2_PrivateAsnsRemovedPerModeBeforeOurAs) {
  const wire::PathAttributes mixed = attrs_with_path(seq({64512, 3356, 4200000001U}));
  ExportPeer peer = ebgp_out();
  // none (the default): nothing changes.
  auto out = export_route(route(ebgp_in_, mixed), peer, self_);
  EXPECT_EQ(out.private_asns_removed, 0U);
  EXPECT_EQ(out.attrs.as_path, seq({kOurAs, 64512, 3356, 4200000001U}));
  // leading: the run in front only; the rightmost private ASN stays.
  peer.remove_private_as = PrivateAsRemoval::Leading;
  out = export_route(route(ebgp_in_, mixed), peer, self_);
  EXPECT_EQ(out.private_asns_removed, 1U);
  EXPECT_EQ(out.attrs.as_path, seq({kOurAs, 3356, 4200000001U}));
  // all: every private ASN, then our AS in front.
  peer.remove_private_as = PrivateAsRemoval::All;
  out = export_route(route(ebgp_in_, mixed), peer, self_);
  EXPECT_EQ(out.private_asns_removed, 2U);
  EXPECT_EQ(out.attrs.as_path, seq({kOurAs, 3356}));
}

TEST_F(ExportTest, Rfc8374_8_4_2_OurPrivateAsAndThePeersAreKept) {
  // We are the private AS 64700 towards the private peer 64800 (loop suppression off, so the
  // route is exported at all): neither ASN is removed, the peer sees its loop.
  const LocalSpeaker self{base::Asn(64700), 0x0A0000FF, 0, std::nullopt};
  ExportPeer peer = ebgp_out(64800);
  peer.suppress_as_loop = false;
  peer.remove_private_as = PrivateAsRemoval::All;
  auto out =
      export_route(route(ebgp_in_, attrs_with_path(seq({64512, 64800, 3356, 64700}))), peer, self);
  EXPECT_EQ(out.private_asns_removed, 1U);
  EXPECT_EQ(out.attrs.as_path, seq({64700, 64800, 3356, 64700}));
  peer.remove_private_as = PrivateAsRemoval::Leading;
  out = export_route(route(ebgp_in_, attrs_with_path(seq({64800, 64512}))), peer, self);
  EXPECT_EQ(out.private_asns_removed, 0U);
  EXPECT_EQ(out.attrs.as_path, seq({64700, 64800, 64512}));
}

TEST_F(ExportTest, Rfc8374_8_4_2_AllPrivatePathIsSignedAsOursAfterRemoval) {
  for (const auto mode : {PrivateAsRemoval::Leading, PrivateAsRemoval::All}) {
    ExportPeer peer = ebgp_out();
    peer.remove_private_as = mode;
    peer.bgpsec.send_ipv4 = true;
    const auto stub =
        export_route(route(ebgp_in_, attrs_with_path(seq({64512, 4294967294U}))), peer, self_);
    EXPECT_EQ(stub.private_asns_removed, 2U);
    EXPECT_TRUE(stub.sign);  // originate(): the stub's route is ours now
    EXPECT_FALSE(stub.bgpsec);
    EXPECT_FALSE(stub.attrs.as_path.has_value());
    // A public ASN left: an unsigned route from eBGP, which stays unsigned (RFC 8374 §8.4).
    const auto transit =
        export_route(route(ebgp_in_, attrs_with_path(seq({64512, 3356}))), peer, self_);
    EXPECT_FALSE(transit.sign);
    EXPECT_EQ(transit.attrs.as_path, seq({kOurAs, 3356}));
  }
  // none: the stub's path stays, so the route is not ours and goes out unsigned.
  ExportPeer peer = ebgp_out();
  peer.bgpsec.send_ipv4 = true;
  const auto kept = export_route(route(ebgp_in_, attrs_with_path(seq({64512}))), peer, self_);
  EXPECT_FALSE(kept.sign);
  EXPECT_EQ(kept.attrs.as_path, seq({kOurAs, 64512}));
}

TEST_F(ExportTest, Rfc8374_8_4_2_PrivateAsnsInASecurePathCannotBeRemoved) {
  wire::PathAttributes a = signed_attrs();
  a.bgpsec_path->secure_path[0].asn = base::Asn(3356);  // signed_attrs() has 65001, 65010
  a.bgpsec_path->secure_path[1].asn = base::Asn(64512);
  const std::array<std::pair<PrivateAsRemoval, std::size_t>, 3> kept_by_mode{{
      {PrivateAsRemoval::None, 0},
      {PrivateAsRemoval::Leading, 0},  // 3356 is in front: leading would remove nothing
      {PrivateAsRemoval::All, 1},
  }};
  for (const auto& [mode, kept] : kept_by_mode) {
    ExportPeer peer = ebgp_out();
    peer.remove_private_as = mode;
    peer.bgpsec.send_ipv4 = true;
    const auto out = export_route(route(ebgp_in_, a), peer, self_);
    EXPECT_TRUE(out.sign);
    EXPECT_EQ(out.private_asns_removed, 0U);
    EXPECT_EQ(out.private_asns_kept_signed, kept);
    EXPECT_EQ(out.bgpsec.decode(), *a.bgpsec_path);  // untouched: the signer adds our segment
  }
  // The same route towards a peer without BGPsec has an AS_PATH (RFC 8205 §4.4), ours to edit.
  ExportPeer plain = ebgp_out();
  plain.remove_private_as = PrivateAsRemoval::All;
  const auto out = export_route(route(ebgp_in_, a), plain, self_);
  EXPECT_FALSE(out.sign);
  EXPECT_EQ(out.private_asns_removed, 2U);  // 64512 signed with pCount 2: twice in the AS_PATH
  EXPECT_EQ(out.attrs.as_path, seq({kOurAs, 3356}));
}

TEST_F(ExportTest, VerdictNames) {
  EXPECT_STREQ(export_verdict_name(ExportVerdict::IbgpToIbgp), "ibgp-to-ibgp");
  EXPECT_STREQ(export_verdict_name(ExportVerdict::Advertise), "advertise");
}

// ===== Adj-RIB-Out =====

class AdjRibOutTest : public ExportTest {
 protected:
  AdjRibOut out_;
};

TEST_F(AdjRibOutTest, OnlyChangesGoOut) {
  const auto a = store_.intern(attrs_with_path(seq({kOurAs, 1})));
  const auto b = store_.intern(attrs_with_path(seq({kOurAs, 2})));
  const auto first = out_.advertise(pfx("192.0.2.0/24"), a);
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(first->withdraw());
  EXPECT_FALSE(out_.advertise(pfx("192.0.2.0/24"), a).has_value());
  // Equal value interned again: the same pointer, so still no change.
  EXPECT_FALSE(out_.advertise(pfx("192.0.2.0/24"), store_.intern(*a)).has_value());
  EXPECT_TRUE(out_.advertise(pfx("192.0.2.0/24"), b).has_value());
  EXPECT_TRUE(out_.advertise(pfx("192.0.2.0/24"), b, {}, /*sign=*/true).has_value());
  EXPECT_FALSE(out_.advertise(pfx("192.0.2.0/24"), b, {}, /*sign=*/true).has_value());
  // Prepending changed: the signed path changes (RFC 8205 §4.2 pCount).
  const auto prepended = out_.advertise(pfx("192.0.2.0/24"), b, {}, /*sign=*/true, /*pcount=*/3);
  ASSERT_TRUE(prepended.has_value());
  EXPECT_EQ(prepended->pcount, 3);
  EXPECT_EQ(out_.size(), 1U);

  // A BGPsec route's path is next to the set (route.hpp): a changed path with the same set
  // goes out, the same path stored again does not.
  const auto signed_set = store_.intern(wire::PathAttributes{});
  const auto path_a = route(ebgp_in_, signed_attrs()).bgpsec;
  auto other = signed_attrs();
  other.bgpsec_path->blocks[0].segments[0].signature.push_back(0x30);
  const auto path_b = route(ebgp_in_, other).bgpsec;
  ASSERT_TRUE(out_.advertise(pfx("192.0.2.0/24"), signed_set, path_a, true).has_value());
  EXPECT_FALSE(
      out_.advertise(pfx("192.0.2.0/24"), signed_set, route(ebgp_in_, signed_attrs()).bgpsec, true)
          .has_value());
  const auto changed = out_.advertise(pfx("192.0.2.0/24"), signed_set, path_b, true);
  ASSERT_TRUE(changed.has_value());
  EXPECT_EQ(changed->bgpsec.decode(), *other.bgpsec_path);

  const auto gone = out_.withdraw(pfx("192.0.2.0/24"));
  ASSERT_TRUE(gone.has_value());
  EXPECT_TRUE(gone->withdraw());
  EXPECT_FALSE(out_.withdraw(pfx("192.0.2.0/24")).has_value());
  EXPECT_EQ(out_.size(), 0U);
}

TEST_F(AdjRibOutTest, Rfc2918_RefreshResendsEverythingOfTheAfi) {
  const auto a = store_.intern(attrs_with_path(seq({kOurAs, 1})));
  out_.advertise(pfx("192.0.2.0/24"), a);
  out_.advertise(pfx("198.51.100.0/24"), a);
  out_.advertise(pfx("2001:db8::/32"), a);
  EXPECT_EQ(out_.refresh().size(), 3U);
  const auto v4 = out_.refresh(base::Afi::Ipv4);
  ASSERT_EQ(v4.size(), 2U);
  EXPECT_EQ(v4[0].prefix, pfx("192.0.2.0/24"));
  EXPECT_EQ(v4[0].attrs, a);
  EXPECT_EQ(out_.refresh(base::Afi::Ipv6).size(), 1U);
  out_.clear();
  EXPECT_TRUE(out_.refresh().empty());
}

TEST_F(AdjRibOutTest, ForEachAfterVisitsInSlices) {
  const auto a = store_.intern(attrs_with_path(seq({kOurAs, 1})));
  for (const char* p : {"198.51.100.0/24", "192.0.2.0/24", "203.0.113.0/24"}) {
    out_.advertise(pfx(p), a);
  }
  std::vector<base::Prefix> seen;
  out_.for_each_after(std::nullopt, [&](const OutUpdate& u) {
    seen.push_back(u.prefix);
    return seen.size() < 2;
  });
  EXPECT_EQ(seen, (std::vector{pfx("192.0.2.0/24"), pfx("198.51.100.0/24")}));
  out_.for_each_after(seen.back(), [&](const OutUpdate& u) {
    seen.push_back(u.prefix);
    return true;
  });
  EXPECT_EQ(seen.back(), pfx("203.0.113.0/24"));
  EXPECT_EQ(seen.size(), 3U);
}

TEST_F(AdjRibOutTest, SyncPrefixFollowsTheBestRoute) {
  const ExportPeer peer = ebgp_out();
  const auto p = pfx("203.0.113.0/24");
  Route best = route(ebgp_in_, attrs_with_path(seq({65001})));
  auto sent = sync_prefix(out_, p, &best, peer, self_, store_);
  ASSERT_TRUE(sent.has_value());
  EXPECT_EQ(sent->attrs->as_path, seq({kOurAs, 65001}));
  // Same best again: nothing to send. A different path: an update.
  EXPECT_FALSE(sync_prefix(out_, p, &best, peer, self_, store_).has_value());
  // A new LOCAL_PREF does not reach an eBGP peer: nothing to send either.
  best.local_pref = 300;
  EXPECT_FALSE(sync_prefix(out_, p, &best, peer, self_, store_).has_value());
  // Now a route the peer may not have: the earlier announcement is withdrawn.
  Route loop = route(ebgp_in_, attrs_with_path(seq({65001, 65002})));
  sent = sync_prefix(out_, p, &loop, peer, self_, store_);
  ASSERT_TRUE(sent.has_value());
  EXPECT_TRUE(sent->withdraw());
  EXPECT_FALSE(sync_prefix(out_, p, nullptr, peer, self_, store_).has_value());
  EXPECT_EQ(out_.find(p), nullptr);
}

}  // namespace
}  // namespace bgpsecd::rib
