// SPDX-License-Identifier: BSD-2-Clause
// ASPA verification of received routes (aspa_check.cpp): which procedure a neighbor gets, the
// path read from AS_PATH or from a BGPsec route's Secure_Path, the state carried over iBGP,
// and which routes an ASPA change can touch.
#include "daemon/aspa_check.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "rib/test_util.hpp"
#include "wire/as_path_text.hpp"

namespace bgpsecd::daemon {
namespace {

using base::Asn;
using rib::AspaState;
using rib::testing::attrs_with_path;
using rib::testing::make_peer;
using rib::testing::make_route;
using rib::testing::seq;

class AspaCheckTest : public ::testing::Test {
 protected:
  rib::AttributeStore store_;
  rib::PeerHandle ebgp_ = make_peer("192.0.2.1", 65001, 1, rib::PeerKind::Ebgp);
  rib::PeerHandle ibgp_ = make_peer("192.0.2.9", 65000, 9, rib::PeerKind::Ibgp);

  rib::Route unsigned_route(wire::AsPath path, rib::PeerHandle peer = nullptr) {
    return make_route(store_, "198.51.100.0/24", peer ? peer : ebgp_,
                      attrs_with_path(std::move(path)));
  }
  // The BGPsec route for path 65001 65100 (65001 most recent, 65100 with pCount 2), no AS_PATH.
  rib::Route signed_route() {
    wire::PathAttributes a;
    a.origin = wire::Origin::Igp;
    a.mp_reach =
        wire::MpReach{base::Afi::Ipv4, base::kSafiUnicast, {rib::testing::addr("10.0.0.1")}, {}};
    a.bgpsec_path = wire::BgpsecPath{{{1, 0, Asn(65001)}, {2, 0, Asn(65100)}},
                                     {wire::SignatureBlock{wire::kAlgorithmSuite1, {{}, {}}}}};
    return make_route(store_, "198.51.100.0/24", ebgp_, std::move(a));
  }
  static AspaSettings from_customer() {
    return AspaSettings{.external = true,
                        .trust_ibgp = true,
                        .direction = aspa::Direction::Upstream,
                        .neighbor_as = Asn(65001)};
  }
};

// 65100 names 65001 its provider; 65200 names 65300 only.
aspa::AspaTable table() {
  const std::vector<aspa::AspaRecord> records = {{Asn(65100), {Asn(65001)}},
                                                 {Asn(65200), {Asn(65300)}}};
  return aspa::AspaTable::build(records);
}

TEST(AspaDirection, RouteServersUpstreamOtherwiseTheLenientDownstream) {
  EXPECT_EQ(aspa_direction({}), aspa::Direction::Downstream);
  EXPECT_EQ(aspa_direction({.we_are_route_server = true}), aspa::Direction::Upstream);
  EXPECT_EQ(aspa_direction({.neighbor_is_route_server = true}), aspa::Direction::Upstream);
}

// RFC 9234 roles name the neighbor: only a provider's routes (local role customer) go
// downstream, and a configured role wins over the route-server flags.
TEST(AspaDirection, Rfc9234RoleChoosesTheProcedure) {
  using wire::Role;
  EXPECT_EQ(aspa_direction({.local_role = Role::Provider}), aspa::Direction::Upstream);
  EXPECT_EQ(aspa_direction({.local_role = Role::Peer}), aspa::Direction::Upstream);
  EXPECT_EQ(aspa_direction({.local_role = Role::Rs}), aspa::Direction::Upstream);
  EXPECT_EQ(aspa_direction({.local_role = Role::RsClient}), aspa::Direction::Upstream);
  EXPECT_EQ(aspa_direction({.local_role = Role::Customer}), aspa::Direction::Downstream);
  EXPECT_EQ(aspa_direction({.we_are_route_server = true, .local_role = Role::Customer}),
            aspa::Direction::Downstream);
}

TEST(AspaDirection, NeighborStepSkippedOnlyForARouteServer) {
  using wire::Role;
  const Asn neighbor(65001);
  EXPECT_EQ(aspa_neighbor_as({}, neighbor), neighbor);
  EXPECT_EQ(aspa_neighbor_as({.neighbor_is_route_server = true}, neighbor), std::nullopt);
  EXPECT_EQ(aspa_neighbor_as({.local_role = Role::RsClient}, neighbor), std::nullopt);
  for (const Role r : {Role::Provider, Role::Customer, Role::Peer, Role::Rs}) {
    EXPECT_EQ(aspa_neighbor_as({.local_role = r}, neighbor), neighbor) << wire::role_name(r);
  }
  // We being the route server does not hide the neighbor's AS.
  EXPECT_EQ(aspa_neighbor_as({.we_are_route_server = true}, neighbor), neighbor);
}

TEST_F(AspaCheckTest, ValidInvalidAndUnknownFromAsPath) {
  const auto t = table();
  EXPECT_EQ(check_route_aspa(unsigned_route(seq({65001, 65100})), from_customer(), t),
            AspaState::Valid);
  // 65200 attests 65300 only: the hop 65200 -> 65001 is not Provider+, a leak.
  const auto leak = unsigned_route(seq({65001, 65200}));
  EXPECT_EQ(check_route_aspa(leak, from_customer(), t), AspaState::Invalid);
  const auto verdict = verify_route_aspa(leak, from_customer(), t);
  EXPECT_EQ(verdict.reason, aspa::AspaReason::NotProviderPlus);
  ASSERT_TRUE(verdict.up_hop.has_value());
  EXPECT_EQ(verdict.up_hop->customer, Asn(65200));
  EXPECT_EQ(verdict.up_hop->provider, Asn(65001));
  // 65300 has no ASPA: nothing says whether 65001 is its provider.
  EXPECT_EQ(check_route_aspa(unsigned_route(seq({65001, 65300})), from_customer(), t),
            AspaState::Unknown);
}

TEST_F(AspaCheckTest, NeighborCheckAndItsSkipForATransparentRouteServer) {
  const auto t = table();
  auto settings = from_customer();
  settings.neighbor_as = Asn(65009);  // the path does not start with the neighbor
  const auto route = unsigned_route(seq({65001, 65100}));
  EXPECT_EQ(check_route_aspa(route, settings, t), AspaState::Invalid);
  EXPECT_EQ(verify_route_aspa(route, settings, t).reason, aspa::AspaReason::NeighborMismatch);
  settings.neighbor_as = std::nullopt;
  EXPECT_EQ(check_route_aspa(route, settings, t), AspaState::Valid);
}

TEST_F(AspaCheckTest, DownstreamAcceptsAValleyFreePathUpstreamRefuses) {
  // 65100 up to its provider 65001, down to 65001's customer 65002, down to us: valid when
  // 65002 is our provider; from 65002 as our customer it is its provider's route: a leak.
  const std::vector<aspa::AspaRecord> records = {
      {Asn(65100), {Asn(65001)}}, {Asn(65002), {Asn(65001)}}, {Asn(65001), {Asn(65999)}}};
  const auto t = aspa::AspaTable::build(records);
  const auto route = unsigned_route(seq({65002, 65001, 65100}));
  auto settings = from_customer();
  settings.neighbor_as = Asn(65002);
  EXPECT_EQ(check_route_aspa(route, settings, t), AspaState::Invalid);
  settings.direction = aspa::Direction::Downstream;
  EXPECT_EQ(check_route_aspa(route, settings, t), AspaState::Valid);
}

TEST_F(AspaCheckTest, BgpsecRouteIsVerifiedOnItsSecurePath) {
  const auto t = table();
  const auto route = signed_route();
  ASSERT_TRUE(route.bgpsec);
  // pCount 2 is a prepend: in the path, collapsed by the verification.
  EXPECT_EQ(wire::as_path_to_text(aspa_path(route)), "65001 65100 65100");
  EXPECT_EQ(check_route_aspa(route, from_customer(), t), AspaState::Valid);
}

TEST_F(AspaCheckTest, VerificationOffLeavesUnverified) {
  auto settings = from_customer();
  settings.direction = std::nullopt;
  EXPECT_EQ(check_route_aspa(unsigned_route(seq({65001, 65200})), settings, table()),
            AspaState::Unverified);
}

TEST_F(AspaCheckTest, InternalRoutesCarryTheEdgesStateOnlyWhenTrusted) {
  const auto t = table();
  auto a = attrs_with_path(seq({65001, 65200}));  // would verify Invalid here
  a.ext_communities.push_back(wire::make_aspa_state_community(wire::AspaStateCode::Valid));
  const auto route = make_route(store_, "198.51.100.0/24", ibgp_, a);
  AspaSettings internal{.external = false, .trust_ibgp = true, .direction = {}, .neighbor_as = {}};
  EXPECT_EQ(check_route_aspa(route, internal, t), AspaState::Valid);
  internal.trust_ibgp = false;
  EXPECT_EQ(check_route_aspa(route, internal, t), AspaState::Unverified);
  internal.trust_ibgp = true;
  EXPECT_EQ(check_route_aspa(unsigned_route(seq({65001}), ibgp_), internal, t),
            AspaState::Unverified);
}

TEST_F(AspaCheckTest, PathHoldsAnyLooksAtEveryAsOfBothKindsOfPath) {
  const std::vector<Asn> customers = {Asn(65100), Asn(65500)};
  EXPECT_TRUE(path_holds_any(unsigned_route(seq({65001, 65100})), customers));
  EXPECT_FALSE(path_holds_any(unsigned_route(seq({65001, 65200})), customers));
  EXPECT_TRUE(path_holds_any(signed_route(), customers));
  EXPECT_FALSE(path_holds_any(signed_route(), std::vector<Asn>{Asn(65200)}));
  EXPECT_FALSE(path_holds_any(signed_route(), {}));
}

}  // namespace
}  // namespace bgpsecd::daemon
