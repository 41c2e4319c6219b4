// SPDX-License-Identifier: BSD-2-Clause
// RFC 9234 §5 ingress and egress for every local role, with and without OTC.
#include "rib/otc.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::rib {
namespace {

using base::Asn;
using wire::Role;

constexpr Asn kRemote{65002};
constexpr Asn kOwn{65001};
constexpr Asn kOther{65333};

TEST(OtcIngress, Rfc9234Sec5_1_OtcFromCustomerOrRsClientIsALeak) {
  for (const Role local : {Role::Provider, Role::Rs}) {
    EXPECT_TRUE(otc_ingress(local, kRemote, kOther).leak) << wire::role_name(local);
    EXPECT_TRUE(otc_ingress(local, kRemote, kRemote).leak) << wire::role_name(local);
    // Without OTC: neither a leak nor marked (a customer's route may go anywhere).
    const auto clean = otc_ingress(local, kRemote, std::nullopt);
    EXPECT_FALSE(clean.leak);
    EXPECT_EQ(clean.add, std::nullopt);
  }
}

TEST(OtcIngress, Rfc9234Sec5_2_PeerOtcMustBeThePeersAs) {
  EXPECT_FALSE(otc_ingress(Role::Peer, kRemote, kRemote).leak);
  EXPECT_EQ(otc_ingress(Role::Peer, kRemote, kRemote).add, std::nullopt);
  EXPECT_TRUE(otc_ingress(Role::Peer, kRemote, kOther).leak);
}

TEST(OtcIngress, Rfc9234Sec5_3_FromProviderPeerOrRsAddsTheNeighborsAs) {
  for (const Role local : {Role::Customer, Role::Peer, Role::RsClient}) {
    const auto in = otc_ingress(local, kRemote, std::nullopt);
    EXPECT_FALSE(in.leak) << wire::role_name(local);
    EXPECT_EQ(in.add, kRemote) << wire::role_name(local);
  }
  // A provider's or an RS's route already marked stays as it is and is no leak.
  for (const Role local : {Role::Customer, Role::RsClient}) {
    const auto in = otc_ingress(local, kRemote, kOther);
    EXPECT_FALSE(in.leak);
    EXPECT_EQ(in.add, std::nullopt);
  }
}

TEST(OtcEgress, Rfc9234Sec5_MarkedRoutesNeverGoUpOrSideways) {
  for (const Role local : {Role::Customer, Role::Peer, Role::RsClient}) {
    const auto out = otc_egress(local, kOwn, kOther);
    EXPECT_TRUE(out.leak) << wire::role_name(local);
    EXPECT_EQ(out.add, std::nullopt);
  }
  // Down to customers and RS-clients a marked route goes unchanged.
  for (const Role local : {Role::Provider, Role::Rs}) {
    const auto out = otc_egress(local, kOwn, kOther);
    EXPECT_FALSE(out.leak) << wire::role_name(local);
    EXPECT_EQ(out.add, std::nullopt);
  }
}

TEST(OtcEgress, Rfc9234Sec5_UnmarkedRoutesGetOurAsDownOrSideways) {
  for (const Role local : {Role::Provider, Role::Peer, Role::Rs}) {
    const auto out = otc_egress(local, kOwn, std::nullopt);
    EXPECT_FALSE(out.leak) << wire::role_name(local);
    EXPECT_EQ(out.add, kOwn) << wire::role_name(local);
  }
  // Up to a provider or an RS an unmarked route goes as it is.
  for (const Role local : {Role::Customer, Role::RsClient}) {
    const auto out = otc_egress(local, kOwn, std::nullopt);
    EXPECT_FALSE(out.leak) << wire::role_name(local);
    EXPECT_EQ(out.add, std::nullopt);
  }
}

}  // namespace
}  // namespace bgpsecd::rib
