// SPDX-License-Identifier: BSD-2-Clause
// [[neighbor]] password, password_file (RFC 2385 TCP MD5) and ttl_security (RFC 5082 GTSM):
// parsing, the file's mode check, errors that name the line, a normal form that never shows
// the key, and a reload that resets the session when they change.
#include <filesystem>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "daemon/config.hpp"
#include "daemon/config_test_support.hpp"

namespace bgpsecd::daemon {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::parse_error;
using testing::parse_ok;
using testing::SecretFile;

std::string with_neighbor(const std::string& extra) {
  return R"([global]
asn = 65001
router_id = "127.0.0.1"
[[neighbor]]
address = "127.0.0.2"
remote_as = 65002
)" + extra;
}

TEST(ConfigTcpSecurity, Rfc2385_InlinePasswordIsUsedAndNeverPrinted) {
  const Config c = parse_ok(with_neighbor("password = \"s3cret-md5\"\n"));
  ASSERT_EQ(c.neighbors.size(), 1U);
  EXPECT_EQ(c.neighbors[0].password, "s3cret-md5");
  const std::string normal = to_normal_form(c);
  EXPECT_THAT(normal, Not(HasSubstr("s3cret-md5")));
  EXPECT_THAT(normal, HasSubstr("# password: set, not shown"));
}

TEST(ConfigTcpSecurity, Rfc2385_PasswordFileIsReadWithoutItsNewline) {
  const SecretFile file("from-a-file\n", fs::perms::owner_read | fs::perms::owner_write);
  const Config c = parse_ok(with_neighbor("password_file = \"" + file.path() + "\"\n"));
  EXPECT_EQ(c.neighbors[0].password, "from-a-file");
  const std::string normal = to_normal_form(c);
  EXPECT_THAT(normal, HasSubstr("password_file = \"" + file.path() + "\""));
  EXPECT_THAT(normal, Not(HasSubstr("from-a-file\"")));
  // The normal form reads the same file again.
  EXPECT_EQ(parse_ok(normal).neighbors[0].password, "from-a-file");
}

TEST(ConfigTcpSecurity, Rfc2385_AFileOthersMayReadIsRefused) {
  const SecretFile file("leaky", fs::perms::owner_read | fs::perms::owner_write |
                                     fs::perms::group_read | fs::perms::others_read);
  const std::string error = parse_error(with_neighbor("password_file = \"" + file.path() + "\"\n"));
  EXPECT_THAT(error, HasSubstr("t.toml:7:"));
  EXPECT_THAT(error, HasSubstr("is readable by group or others (mode 0644); chmod 600 it"));
  EXPECT_THAT(error, Not(HasSubstr("leaky")));
}

TEST(ConfigTcpSecurity, Rfc2385_BadPasswordsAreErrors) {
  EXPECT_THAT(parse_error(with_neighbor("password = \"\"\n")), HasSubstr("1 to 80 octets"));
  EXPECT_THAT(parse_error(with_neighbor("password = \"" + std::string(81, 'x') + "\"\n")),
              HasSubstr("1 to 80 octets"));
  EXPECT_THAT(parse_error(with_neighbor("password = \"a\"\npassword_file = \"/x\"\n")),
              HasSubstr("not both"));
  EXPECT_THAT(
      parse_error(with_neighbor("password_file = \"/nonexistent/md5\"\n")),
      HasSubstr("cannot open TCP MD5 password file /nonexistent/md5: No such file or directory"));
}

TEST(ConfigTcpSecurity, Rfc5082_TtlSecurityTakesABoolOrHops) {
  EXPECT_EQ(parse_ok(with_neighbor("")).neighbors[0].ttl_security, 0U);
  EXPECT_EQ(parse_ok(with_neighbor("ttl_security = true\n")).neighbors[0].ttl_security, 1U);
  EXPECT_EQ(parse_ok(with_neighbor("ttl_security = false\n")).neighbors[0].ttl_security, 0U);
  const Config c = parse_ok(with_neighbor("ttl_security = 3\n"));
  EXPECT_EQ(c.neighbors[0].ttl_security, 3U);
  EXPECT_THAT(to_normal_form(c), HasSubstr("ttl_security = 3\n"));
  EXPECT_THAT(parse_error(with_neighbor("ttl_security = 255\n")), HasSubstr("out of range"));
  EXPECT_THAT(parse_error(with_neighbor("ttl_security = 0\n")), HasSubstr("out of range"));
}

TEST(ConfigTcpSecurity, AChangeResetsTheSession) {
  const Config before = parse_ok(with_neighbor("password = \"one\"\n"));
  for (const std::string next :
       {"password = \"two\"\n", "", "password = \"one\"\nttl_security = true\n"}) {
    const ConfigDiff d = diff(before, parse_ok(with_neighbor(next)));
    EXPECT_THAT(d.reset, ElementsAre("127.0.0.2")) << next;
  }
  EXPECT_TRUE(diff(before, parse_ok(with_neighbor("password = \"one\"\n"))).empty());
}

}  // namespace
}  // namespace bgpsecd::daemon
