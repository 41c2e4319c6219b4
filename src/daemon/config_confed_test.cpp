// SPDX-License-Identifier: BSD-2-Clause
// Configuration of confederations (RFC 5065: [global] confederation_id and
// confederation_peers) and of private ASN removal (RFC 8374 §8.4.2: remove_private_as): the
// values, the errors with file:line:column, the OPEN's AS per neighbor, the normal form and
// what a reload resets.
#include <array>
#include <string>
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "daemon/config.hpp"
#include "daemon/config_test_support.hpp"

namespace bgpsecd::daemon {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

// Member-AS 64601 of confederation 100, with members 64602 and 64603; one neighbor of each kind.
constexpr const char* kConfed = R"([global]
asn = 64601
router_id = "127.0.0.1"
confederation_id = 100
confederation_peers = [64602, "AS64603"]
[[policy]]
name = "all"
default_action = "accept"
[[neighbor]]
address = "127.0.0.2"
remote_as = 64601
[[neighbor]]
address = "127.0.0.3"
remote_as = 64602
import = "all"
export = "all"
[[neighbor]]
address = "127.0.0.4"
remote_as = 65003
import = "all"
export = "all"
)";

using testing::parse_error;
using testing::parse_ok;
using testing::replace;

TEST(ConfigConfederation, Rfc5065NeighborsAreIbgpMembersOrExternal) {
  const Config c = parse_ok(kConfed);
  EXPECT_EQ(c.global.confederation_id, base::Asn(100));
  EXPECT_THAT(c.global.confederation_peers, ElementsAre(base::Asn(64602), base::Asn(64603)));
  EXPECT_EQ(c.global.external_as(), base::Asn(100));
  ASSERT_EQ(c.neighbors.size(), 3U);
  const auto& ibgp = c.neighbors[0];
  const auto& member = c.neighbors[1];
  const auto& outside = c.neighbors[2];
  EXPECT_TRUE(ibgp.ibgp(c.global));
  EXPECT_FALSE(ibgp.confed_member(c.global));
  EXPECT_TRUE(member.confed_member(c.global));
  EXPECT_FALSE(member.external(c.global));
  EXPECT_TRUE(outside.external(c.global));
  // RFC 5065 §4: the OPEN carries the identifier to peers outside, the Member-AS inside.
  EXPECT_EQ(to_fsm_config(ibgp, c.global).session.local_as, base::Asn(64601));
  EXPECT_EQ(to_fsm_config(member, c.global).session.local_as, base::Asn(64601));
  EXPECT_EQ(to_fsm_config(outside, c.global).session.local_as, base::Asn(100));
}

TEST(ConfigConfederation, WithoutOneEveryEbgpNeighborIsExternal) {
  Config c = parse_ok(R"([global]
asn = 65001
router_id = "127.0.0.1"
[[neighbor]]
address = "127.0.0.2"
remote_as = 64602
)");
  EXPECT_FALSE(c.global.confederation_id.has_value());
  EXPECT_EQ(c.global.external_as(), base::Asn(65001));
  EXPECT_TRUE(c.neighbors[0].external(c.global));
  EXPECT_EQ(to_fsm_config(c.neighbors[0], c.global).session.local_as, base::Asn(65001));
}

TEST(ConfigConfederation, OwnMemberAsMayBeListedAndStaysIbgp) {
  const Config c = parse_ok(replace(kConfed, "[64602, \"AS64603\"]", "[64601, 64602]"));
  EXPECT_THAT(c.global.confederation_peers, ElementsAre(base::Asn(64602)));
  EXPECT_TRUE(c.neighbors[0].ibgp(c.global));
}

TEST(ConfigConfederation, ErrorsNameFileLineColumn) {
  EXPECT_THAT(parse_error(replace(kConfed, "confederation_id = 100", "confederation_id = 64601")),
              StartsWith("t.toml:4:20: global: 'confederation_id' must differ from 'asn'"));
  EXPECT_THAT(parse_error(replace(kConfed, "confederation_id = 100\n", "")),
              StartsWith("t.toml:4:23: global: 'confederation_peers' needs 'confederation_id'"));
  EXPECT_THAT(parse_error(replace(kConfed, "[64602, \"AS64603\"]", "[64602, 64602]")),
              StartsWith("t.toml:5:31: global: 'confederation_peers': AS64602 given twice"));
  EXPECT_THAT(parse_error(replace(kConfed, "[64602, \"AS64603\"]", "[100]")),
              StartsWith("t.toml:5:24: global: 'confederation_peers': 100 is the confederation"));
  EXPECT_THAT(parse_error(replace(kConfed, "[64602, \"AS64603\"]", "64602")),
              StartsWith("t.toml:5:23: global: 'confederation_peers' must be an array"));
  EXPECT_THAT(parse_error(replace(kConfed, "[64602, \"AS64603\"]", "[0]")),
              StartsWith("t.toml:5:24: global: 'confederation_peers': AS 0 is reserved"));
  EXPECT_THAT(parse_error(replace(kConfed, "remote_as = 65003", "remote_as = 100")),
              StartsWith("t.toml:19:13: neighbor 127.0.0.4: 'remote_as' is our confederation "
                         "identifier"));
}

TEST(ConfigConfederation, NormalFormRoundTrips) {
  const Config c = parse_ok(kConfed);
  const std::string text = to_normal_form(c);
  EXPECT_THAT(text, ::testing::HasSubstr("confederation_id = 100\n"
                                         "confederation_peers = [64602, 64603]\n"));
  EXPECT_EQ(parse_ok(text), c);
  const Config plain = parse_ok("[global]\nasn = 65001\nrouter_id = \"127.0.0.1\"\n");
  EXPECT_EQ(parse_ok(to_normal_form(plain)), plain);
}

TEST(ConfigConfederation, ReloadResetsTheSessionsItConcerns) {
  // A new identifier: only the OPEN to the external neighbor changes.
  EXPECT_THAT(diff(parse_ok(kConfed),
                   parse_ok(replace(kConfed, "confederation_id = 100", "confederation_id = 200")))
                  .reset,
              ElementsAre("127.0.0.4"));
  // 64602 no longer a member: that neighbor becomes external (OPEN and relation change).
  EXPECT_THAT(
      diff(parse_ok(kConfed), parse_ok(replace(kConfed, "[64602, \"AS64603\"]", "[\"AS64603\"]")))
          .reset,
      ElementsAre("127.0.0.3"));
  // Leaving the confederation: members and external neighbors both.
  std::string none = replace(kConfed, "confederation_id = 100\n", "");
  none = replace(none, "confederation_peers = [64602, \"AS64603\"]\n", "");
  EXPECT_THAT(diff(parse_ok(kConfed), parse_ok(none)).reset, ElementsAre("127.0.0.3", "127.0.0.4"));
}

using rib::PrivateAsRemoval;

// The external neighbor 127.0.0.4 with `line` after its remote_as.
std::string external_with(const std::string& line) {
  return replace(kConfed, "remote_as = 65003", "remote_as = 65003\n" + line);
}

TEST(ConfigPrivateAs, Rfc8374Sec8_4_2_ModesAndTheBooleanFormOfOlderVersions) {
  const std::array<std::pair<const char*, PrivateAsRemoval>, 5> forms{{
      {"\"none\"", PrivateAsRemoval::None},
      {"\"leading\"", PrivateAsRemoval::Leading},
      {"\"all\"", PrivateAsRemoval::All},
      {"true", PrivateAsRemoval::Leading},  // the one mode older versions had
      {"false", PrivateAsRemoval::None},
  }};
  for (const auto& [text, mode] : forms) {
    const Config c = parse_ok(external_with(std::string("remove_private_as = ") + text));
    EXPECT_EQ(c.neighbors[2].remove_private_as, mode) << text;
    EXPECT_EQ(c.neighbors[2].private_as_removal(c.global, PrivateAsRemoval::All), mode) << text;
    // The normal form names the mode, and reads back the same.
    EXPECT_THAT(to_normal_form(c),
                HasSubstr(std::string("remove_private_as = \"") + private_as_removal_name(mode)));
    EXPECT_EQ(parse_ok(to_normal_form(c)), c) << text;
    const Config g =
        parse_ok(std::string(kConfed) + "[bgpsec]\nremove_private_as = " + text + "\n");
    EXPECT_EQ(g.bgpsec.remove_private_as, mode) << text;
    EXPECT_EQ(parse_ok(to_normal_form(g)), g) << text;
  }
}

TEST(ConfigPrivateAs, Rfc8374Sec8_4_2_NeighborOverridesTheBgpsecDefault) {
  Config c = parse_ok(external_with("remove_private_as = \"all\""));
  EXPECT_EQ(c.neighbors[2].private_as_removal(c.global, PrivateAsRemoval::None),
            PrivateAsRemoval::All);
  // A member: never.
  EXPECT_EQ(c.neighbors[1].private_as_removal(c.global, PrivateAsRemoval::All),
            PrivateAsRemoval::None);
  c = parse_ok(external_with("remove_private_as = false"));
  EXPECT_EQ(c.neighbors[2].private_as_removal(c.global, PrivateAsRemoval::Leading),
            PrivateAsRemoval::None);
  c = parse_ok(kConfed);
  EXPECT_FALSE(c.neighbors[2].remove_private_as.has_value());
  EXPECT_EQ(c.neighbors[2].private_as_removal(c.global, PrivateAsRemoval::All),
            PrivateAsRemoval::All);  // [bgpsec] default
  EXPECT_EQ(parse_ok(to_normal_form(c)), c);
}

TEST(ConfigPrivateAs, OnlyForNeighborsOutsideOurAsAndConfederation) {
  EXPECT_THAT(
      parse_error(
          replace(kConfed, "remote_as = 64602", "remote_as = 64602\nremove_private_as = true")),
      StartsWith("t.toml:15:21: neighbor 127.0.0.3: 'remove_private_as' needs an eBGP neighbor "
                 "outside our confederation"));
  EXPECT_THAT(parse_error(replace(kConfed, "remote_as = 64601",
                                  "remote_as = 64601\nremove_private_as = \"all\"")),
              StartsWith("t.toml:12:21: neighbor 127.0.0.2: 'remove_private_as' needs an eBGP"));
}

TEST(ConfigPrivateAs, ErrorsNameTheLine) {
  EXPECT_EQ(parse_error(external_with("remove_private_as = \"yes\"")),
            "t.toml:20:21: neighbor 127.0.0.4: 'remove_private_as': unknown value 'yes' "
            "(expected one of none, leading, all)");
  EXPECT_EQ(parse_error(external_with("remove_private_as = 1")),
            "t.toml:20:21: neighbor 127.0.0.4: 'remove_private_as' must be one of none, "
            "leading, all (or a boolean: true = \"leading\"), not an integer");
  EXPECT_THAT(parse_error(std::string(kConfed) + "[bgpsec]\nremove_private_as = \"All\"\n"),
              StartsWith("t.toml:23:21: bgpsec: 'remove_private_as': unknown value 'All'"));
}

TEST(ConfigPrivateAs, ReloadReExportsToTheNeighborsItConcerns) {
  const std::string with = external_with("remove_private_as = true");
  const ConfigDiff d = diff(parse_ok(kConfed), parse_ok(with));
  EXPECT_THAT(d.reset, IsEmpty());
  ASSERT_EQ(d.soft.size(), 1U);
  EXPECT_EQ(d.soft[0].neighbor, "127.0.0.4");
  EXPECT_TRUE(d.soft[0].out);
  // The [bgpsec] default reaches the external neighbors that do not set it.
  const ConfigDiff g = diff(
      parse_ok(kConfed), parse_ok(std::string(kConfed) + "[bgpsec]\nremove_private_as = true\n"));
  ASSERT_EQ(g.soft.size(), 1U);
  EXPECT_EQ(g.soft[0].neighbor, "127.0.0.4");
  // Another mode re-exports; the boolean form of the same mode changes nothing.
  const ConfigDiff m = diff(parse_ok(with), parse_ok(external_with("remove_private_as = \"all\"")));
  ASSERT_EQ(m.soft.size(), 1U);
  EXPECT_TRUE(m.soft[0].out);
  const ConfigDiff same =
      diff(parse_ok(with), parse_ok(external_with("remove_private_as = \"leading\"")));
  EXPECT_THAT(same.soft, IsEmpty());
  EXPECT_THAT(same.updated, IsEmpty());
}

}  // namespace
}  // namespace bgpsecd::daemon
