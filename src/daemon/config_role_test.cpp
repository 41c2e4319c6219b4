// SPDX-License-Identifier: BSD-2-Clause
// Configuration of BGP Roles (RFC 9234: `role`, `role_strict`): the values, the errors with
// file:line:column, the session config they make, the normal form and what a reload resets.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "daemon/config.hpp"
#include "daemon/config_test_support.hpp"

namespace bgpsecd::daemon {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::parse_error;
using testing::parse_ok;
using testing::replace;
using ::testing::StartsWith;

// Member-AS 64601 of confederation 100 with member 64602: an iBGP neighbor, a member and an
// external one (line 16 is the external neighbor's `role`).
constexpr const char* kRoles = R"([global]
asn = 64601
router_id = "127.0.0.1"
confederation_id = 100
confederation_peers = [64602]
[[neighbor]]
address = "127.0.0.2"
remote_as = 64601
[[neighbor]]
address = "127.0.0.3"
remote_as = 64602
[[neighbor]]
address = "127.0.0.4"
remote_as = 65003
passive = true
role = "customer"
role_strict = true
)";

TEST(ConfigRole, Rfc9234ValuesAndTheSessionConfig) {
  const Config c = parse_ok(kRoles);
  ASSERT_EQ(c.neighbors.size(), 3U);
  EXPECT_EQ(c.neighbors[0].role, std::nullopt);
  EXPECT_FALSE(c.neighbors[0].role_strict);
  EXPECT_EQ(c.neighbors[2].role, wire::Role::Customer);
  EXPECT_TRUE(c.neighbors[2].role_strict);
  const auto s = to_fsm_config(c.neighbors[2], c.global).session;
  EXPECT_EQ(s.role, wire::Role::Customer);
  EXPECT_TRUE(s.role_strict);
  EXPECT_EQ(to_fsm_config(c.neighbors[0], c.global).session.role, std::nullopt);
  for (const auto& [text, role] :
       {std::pair{"provider", wire::Role::Provider}, std::pair{"customer", wire::Role::Customer},
        std::pair{"peer", wire::Role::Peer}, std::pair{"rs", wire::Role::Rs},
        std::pair{"rs-client", wire::Role::RsClient}}) {
    const Config r = parse_ok(replace(kRoles, "\"customer\"", std::string("\"") + text + "\""));
    EXPECT_EQ(r.neighbors[2].role, role) << text;
  }
}

TEST(ConfigRole, ErrorsNameTheLine) {
  struct Case {
    const char* from;  // replaced in kRoles by `to`
    const char* to;
    const char* error;  // the start of the message
  };
  const Case cases[] = {
      {"\"customer\"", "\"upstream\"",
       "t.toml:16:8: neighbor 127.0.0.4: 'role': unknown role 'upstream'"},
      {"role = \"customer\"", "role = 3", "t.toml:16:8: neighbor 127.0.0.4: 'role'"},
      {"role = \"customer\"\n", "",
       "t.toml:16:15: neighbor 127.0.0.4: 'role_strict' needs a 'role'"},
      // RFC 9234 §4: not on iBGP, not between confederation members.
      {"remote_as = 64601\n", "remote_as = 64601\nrole = \"peer\"\n",
       "t.toml:9:8: neighbor 127.0.0.2: 'role' needs an eBGP neighbor outside"},
      {"remote_as = 64602\n", "remote_as = 64602\nrole = \"peer\"\n",
       "t.toml:12:8: neighbor 127.0.0.3: 'role' needs an eBGP neighbor outside"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(parse_error(replace(kRoles, c.from, c.to)), StartsWith(c.error)) << c.from;
  }
}

TEST(ConfigRole, NormalFormRoundTrips) {
  const Config c = parse_ok(kRoles);
  const std::string text = to_normal_form(c);
  EXPECT_THAT(text, HasSubstr("role = \"customer\"\nrole_strict = true\n"));
  EXPECT_THAT(text, HasSubstr("# role: none"));
  EXPECT_EQ(parse_ok(text), c);
}

TEST(ConfigRole, ReloadResetsTheSession) {
  const Config c = parse_ok(kRoles);
  EXPECT_THAT(diff(c, parse_ok(replace(kRoles, "\"customer\"", "\"peer\""))).reset,
              ElementsAre("127.0.0.4"));
  EXPECT_THAT(diff(c, parse_ok(replace(kRoles, "role_strict = true", "role_strict = false"))).reset,
              ElementsAre("127.0.0.4"));
  EXPECT_THAT(
      diff(c, parse_ok(replace(kRoles, "role = \"customer\"\nrole_strict = true\n", ""))).reset,
      ElementsAre("127.0.0.4"));
  EXPECT_THAT(diff(c, parse_ok(kRoles)).reset, IsEmpty());
}

}  // namespace
}  // namespace bgpsecd::daemon
