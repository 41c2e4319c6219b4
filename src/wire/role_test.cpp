// SPDX-License-Identifier: BSD-2-Clause
// BGP Roles: names both ways, codes, and RFC 9234 §4.2 Table 2 with every pair.
#include "wire/role.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::wire {
namespace {

constexpr Role kAll[] = {Role::Provider, Role::Rs, Role::RsClient, Role::Customer, Role::Peer};

TEST(Role, TextBothWays) {
  EXPECT_EQ(role_from_text("provider"), Role::Provider);
  EXPECT_EQ(role_from_text("rs"), Role::Rs);
  EXPECT_EQ(role_from_text("rs-client"), Role::RsClient);
  EXPECT_EQ(role_from_text("customer"), Role::Customer);
  EXPECT_EQ(role_from_text("peer"), Role::Peer);
  for (const Role r : kAll) {
    EXPECT_EQ(role_from_text(role_name(r)), r);
  }
  EXPECT_EQ(role_from_text("Provider"), std::nullopt);
  EXPECT_EQ(role_from_text("rs_client"), std::nullopt);
  EXPECT_EQ(role_from_text(""), std::nullopt);
}

TEST(Role, Rfc9234Sec3_1Codes) {
  EXPECT_EQ(role_from_code(0), Role::Provider);
  EXPECT_EQ(role_from_code(1), Role::Rs);
  EXPECT_EQ(role_from_code(2), Role::RsClient);
  EXPECT_EQ(role_from_code(3), Role::Customer);
  EXPECT_EQ(role_from_code(4), Role::Peer);
  EXPECT_EQ(role_from_code(5), std::nullopt);
  EXPECT_EQ(role_from_code(255), std::nullopt);
}

TEST(Role, Rfc9234Sec4_2Table2) {
  const auto code = [](Role r) { return static_cast<std::uint8_t>(r); };
  int matches = 0;
  for (const Role local : kAll) {
    for (const Role remote : kAll) {
      matches += roles_match(local, code(remote)) ? 1 : 0;
    }
    EXPECT_FALSE(roles_match(local, 5));
    EXPECT_FALSE(roles_match(local, 255));
  }
  EXPECT_EQ(matches, 5);  // exactly the five pairs below
  EXPECT_TRUE(roles_match(Role::Provider, code(Role::Customer)));
  EXPECT_TRUE(roles_match(Role::Customer, code(Role::Provider)));
  EXPECT_TRUE(roles_match(Role::Rs, code(Role::RsClient)));
  EXPECT_TRUE(roles_match(Role::RsClient, code(Role::Rs)));
  EXPECT_TRUE(roles_match(Role::Peer, code(Role::Peer)));
  EXPECT_FALSE(roles_match(Role::Provider, code(Role::Provider)));
  EXPECT_FALSE(roles_match(Role::Customer, code(Role::Peer)));
  EXPECT_FALSE(roles_match(Role::Rs, code(Role::Rs)));
}

}  // namespace
}  // namespace bgpsecd::wire
