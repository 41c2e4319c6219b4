// SPDX-License-Identifier: BSD-2-Clause
// [[rpki.cache]] transport = "ssh" (RTR over SSH, RFC 8210 §9): good entries, errors that name
// the line, key files others may read refused, and a normal form that names files only.
#include <filesystem>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "daemon/config.hpp"
#include "daemon/config_test_support.hpp"

namespace bgpsecd::daemon {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::parse_error;
using testing::parse_ok;
using testing::SecretFile;

constexpr auto kOwnerOnly = fs::perms::owner_read | fs::perms::owner_write;

// Line 5 is the [[rpki.cache]] header, line 6 its address, `extra` starts on line 7.
std::string with_cache(const std::string& extra) {
  return R"([global]
asn = 65001
router_id = "127.0.0.1"
[rpki]
[[rpki.cache]]
address = "127.0.0.1:22"
)" + extra;
}

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

TEST(ConfigRpkiSsh, Rfc8210_Section9_SshCacheWithKey) {
  const SecretFile key("not parsed at load", kOwnerOnly, "-key");
  const SecretFile known("127.0.0.1 ssh-ed25519 AAAA", kOwnerOnly, "-known");
  const Config c = parse_ok(
      with_cache("transport = \"ssh\"\nssh_user = \"rpki\"\nssh_key = " + quoted(key.path()) +
                 "\nssh_known_hosts = " + quoted(known.path()) + "\n"));
  ASSERT_EQ(c.rpki.caches.size(), 1U);
  ASSERT_TRUE(c.rpki.caches[0].ssh.has_value());
  const auto rtr = service::to_rtr_cache_config(c.rpki.caches[0]);
  ASSERT_TRUE(rtr.ssh.has_value());
  EXPECT_EQ(rtr.ssh->user, "rpki");
  EXPECT_EQ(rtr.ssh->key_file, key.path());
  EXPECT_EQ(rtr.ssh->known_hosts, known.path());
  EXPECT_EQ(rtr.port, 22);
  // The normal form names the files and parses back to the same configuration.
  const std::string normal = to_normal_form(c);
  EXPECT_THAT(normal, HasSubstr("transport = \"ssh\""));
  EXPECT_THAT(normal, HasSubstr("ssh_key = " + quoted(key.path())));
  EXPECT_EQ(parse_ok(normal).rpki, c.rpki);
}

TEST(ConfigRpkiSsh, Rfc8210_Section9_PasswordFileIsNeverPrinted) {
  const SecretFile password("pa55-word\n", kOwnerOnly, "-password");
  const SecretFile known("", kOwnerOnly, "-known");
  const Config c = parse_ok(with_cache(
      "transport = \"ssh\"\nssh_user = \"rpki\"\nssh_password_file = " + quoted(password.path()) +
      "\nssh_known_hosts = " + quoted(known.path()) + "\n"));
  ASSERT_TRUE(c.rpki.caches[0].ssh.has_value());
  EXPECT_EQ(c.rpki.caches[0].ssh->password_file, password.path());
  EXPECT_THAT(to_normal_form(c), Not(HasSubstr("pa55-word")));
}

TEST(ConfigRpkiSsh, TcpIsTheDefault) {
  const Config c = parse_ok(with_cache(""));
  EXPECT_FALSE(c.rpki.caches[0].ssh.has_value());
  EXPECT_THAT(to_normal_form(c), HasSubstr("transport = \"tcp\""));
  EXPECT_FALSE(parse_ok(with_cache("transport = \"tcp\"\n")).rpki.caches[0].ssh.has_value());
}

TEST(ConfigRpkiSsh, BadEntriesNameTheLine) {
  const SecretFile key("k", kOwnerOnly, "-key");
  const SecretFile known("", kOwnerOnly, "-known");
  const std::string key_line = "ssh_key = " + quoted(key.path()) + "\n";
  const std::string known_line = "ssh_known_hosts = " + quoted(known.path()) + "\n";
  EXPECT_THAT(parse_error(with_cache("transport = \"telnet\"\n")),
              HasSubstr("t.toml:7:13: rpki cache 127.0.0.1:22: 'transport': expected \"tcp\" or "
                        "\"ssh\", not \"telnet\""));
  EXPECT_THAT(parse_error(with_cache("ssh_user = \"rpki\"\n")),
              HasSubstr("ssh_* settings need transport = \"ssh\""));
  EXPECT_THAT(parse_error(with_cache("transport = \"ssh\"\n" + key_line + known_line)),
              HasSubstr("ssh_user"));
  EXPECT_THAT(parse_error(with_cache("transport = \"ssh\"\nssh_user = \"rpki\"\n" + key_line)),
              HasSubstr("ssh_known_hosts"));
  EXPECT_THAT(parse_error(with_cache("transport = \"ssh\"\nssh_user = \"rpki\"\n" + known_line)),
              HasSubstr("needs ssh_key or ssh_password_file"));
  EXPECT_THAT(
      parse_error(with_cache("transport = \"ssh\"\nssh_user = \"\"\n" + key_line + known_line)),
      HasSubstr("t.toml:8:"));
  EXPECT_THAT(parse_error(with_cache("transport = \"ssh\"\nssh_user = \"rpki\"\n" + key_line +
                                     "ssh_known_hosts = \"/nonexistent/known_hosts\"\n")),
              HasSubstr("t.toml:10:19: rpki cache 127.0.0.1:22: 'ssh_known_hosts': cannot read "
                        "/nonexistent/known_hosts"));
  EXPECT_THAT(parse_error(with_cache("transport = \"ssh\"\nssh_user = \"rpki\"\n" + known_line +
                                     "ssh_key = \"/nonexistent/id\"\n")),
              HasSubstr("t.toml:10:"));
}

TEST(ConfigRpkiSsh, AKeyOthersMayReadIsRefused) {
  const SecretFile key("secret-key-text", kOwnerOnly | fs::perms::group_read, "-key");
  const SecretFile known("", kOwnerOnly, "-known");
  const std::string error = parse_error(
      with_cache("transport = \"ssh\"\nssh_user = \"rpki\"\nssh_key = " + quoted(key.path()) +
                 "\nssh_known_hosts = " + quoted(known.path()) + "\n"));
  EXPECT_THAT(error, HasSubstr("t.toml:9:"));
  EXPECT_THAT(error, HasSubstr("is readable by group or others (mode 0640); chmod 600 it"));
  EXPECT_THAT(error, Not(HasSubstr("secret-key-text")));
}

}  // namespace
}  // namespace bgpsecd::daemon
