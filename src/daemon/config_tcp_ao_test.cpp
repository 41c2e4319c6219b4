// SPDX-License-Identifier: BSD-2-Clause
// [[neighbor.tcp_ao]] (RFC 5925 TCP-AO keys with lifetimes): parsing, errors that name the
// line, a normal form that never shows a key, and a reload that rolls keys without a reset
// while gaining or losing TCP-AO resets the session.
#include <filesystem>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/utc_time.hpp"
#include "daemon/config.hpp"
#include "daemon/config_test_support.hpp"

namespace bgpsecd::daemon {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::parse_error;
using testing::parse_ok;
using testing::SecretFile;

std::string with_keys(const std::string& keys, const std::string& neighbor_extra = "") {
  return R"([global]
asn = 65001
router_id = "127.0.0.1"
[[neighbor]]
address = "127.0.0.2"
remote_as = 65002
)" + neighbor_extra +
         keys;
}

const std::string kRollover = R"(
[[neighbor.tcp_ao]]
send_id = 1
recv_id = 11
key = "old-secret"
send_until = 2027-01-01T00:00:00Z
accept_until = 2027-01-01T01:00:00+01:00

[[neighbor.tcp_ao]]
send_id = 2
recv_id = 12
algorithm = "aes-128-cmac-96"
key = "new-secret"
accept_from = 2026-12-31T23:00:00Z
send_from = 2027-01-01T00:00:00Z
preferred = true
)";

TEST(ConfigTcpAo, Rfc5925_KeysWithLifetimes) {
  const Config c = parse_ok(with_keys(kRollover));
  const auto& keys = c.neighbors[0].tcp_ao;
  ASSERT_EQ(keys.size(), 2U);
  EXPECT_EQ(keys[0].send_id, 1);
  EXPECT_EQ(keys[0].recv_id, 11);
  EXPECT_EQ(keys[0].algorithm, session::AoAlgorithm::HmacSha1_96);  // RFC 5926 default
  EXPECT_EQ(keys[0].secret, "old-secret");
  ASSERT_TRUE(keys[0].send_until && keys[0].accept_until);
  EXPECT_EQ(base::format_utc(*keys[0].send_until), "2027-01-01T00:00:00Z");
  // +01:00 is an hour ahead of UTC: the same instant as the send_until.
  EXPECT_EQ(*keys[0].accept_until, *keys[0].send_until);
  EXPECT_FALSE(keys[0].send_from || keys[0].accept_from || keys[0].preferred);
  EXPECT_EQ(keys[1].algorithm, session::AoAlgorithm::AesCmac128_96);
  EXPECT_EQ(base::format_utc(*keys[1].accept_from), "2026-12-31T23:00:00Z");
  EXPECT_TRUE(keys[1].preferred);
}

TEST(ConfigTcpAo, NormalFormShowsIdsAndTimesNeverTheKey) {
  const SecretFile file("file-secret\n", fs::perms::owner_read | fs::perms::owner_write);
  const Config c = parse_ok(with_keys(R"(
[[neighbor.tcp_ao]]
send_id = 5
recv_id = 6
key_file = ")" + file.path() + R"("
send_from = 2027-02-03T04:05:06Z
)"));
  EXPECT_EQ(c.neighbors[0].tcp_ao[0].secret, "file-secret");
  const std::string normal = to_normal_form(c);
  EXPECT_THAT(normal, Not(HasSubstr("file-secret\"")));
  EXPECT_THAT(normal, HasSubstr("[[neighbor.tcp_ao]]\nsend_id = 5\nrecv_id = 6\n"
                                "algorithm = \"hmac-sha-1-96\"\nkey_file = \"" +
                                file.path() + "\"\nsend_from = 2027-02-03T04:05:06Z\n"));
  // The normal form reads back to the same keys.
  EXPECT_EQ(parse_ok(normal).neighbors[0].tcp_ao, c.neighbors[0].tcp_ao);
  const std::string inline_form = to_normal_form(parse_ok(with_keys(kRollover)));
  EXPECT_THAT(inline_form, Not(HasSubstr("old-secret")));
  EXPECT_THAT(inline_form, HasSubstr("# key: set, not shown"));
}

TEST(ConfigTcpAo, ErrorsNameTheLine) {
  const std::string key_a = "[[neighbor.tcp_ao]]\nsend_id = 1\nrecv_id = 1\nkey = \"a\"\n";
  EXPECT_THAT(parse_error(with_keys(key_a, "password = \"md5\"\n")),
              HasSubstr("give 'password' (TCP MD5) or [[neighbor.tcp_ao]] keys, not both"));
  EXPECT_THAT(parse_error(with_keys(key_a + "[[neighbor.tcp_ao]]\nsend_id = 1\nrecv_id = 2\n"
                                            "key = \"b\"\n")),
              HasSubstr("t.toml:12:11: neighbor 127.0.0.2 tcp_ao #2: send_id 1 used by another"));
  EXPECT_THAT(parse_error(with_keys(key_a + "[[neighbor.tcp_ao]]\nsend_id = 2\nrecv_id = 1\n"
                                            "key = \"b\"\n")),
              HasSubstr("recv_id 1 used by another key"));
  EXPECT_THAT(parse_error(with_keys("[[neighbor.tcp_ao]]\nsend_id = 1\nrecv_id = 1\n")),
              HasSubstr("needs 'key' or 'key_file'"));
  EXPECT_THAT(parse_error(with_keys("[[neighbor.tcp_ao]]\nrecv_id = 1\nkey = \"a\"\n")),
              HasSubstr("send_id"));
  EXPECT_THAT(parse_error(with_keys(key_a + "send_id2 = 3\n")), HasSubstr("send_id2"));
  EXPECT_THAT(parse_error(with_keys(key_a + "algorithm = \"md5\"\n")),
              HasSubstr("unknown value 'md5'"));
  EXPECT_THAT(parse_error(with_keys(key_a + "send_from = 2027-01-01T00:00:00\n")),
              HasSubstr("'send_from' needs a time zone offset"));
  EXPECT_THAT(parse_error(with_keys(key_a + "send_from = \"2027-01-01\"\n")),
              HasSubstr("'send_from' must be a date-time with an offset, not a string"));
  EXPECT_THAT(parse_error(with_keys(key_a + "send_from = 2027-01-02T00:00:00Z\n"
                                            "send_until = 2027-01-01T00:00:00Z\n")),
              HasSubstr("'send_until' is not after 'send_from'"));
  EXPECT_THAT(parse_error(with_keys("[[neighbor.tcp_ao]]\nsend_id = 1\nrecv_id = 1\nkey = \"" +
                                    std::string(81, 'k') + "\"\n")),
              HasSubstr("the TCP-AO key must have 1 to 80 octets"));
  EXPECT_THAT(parse_error(with_keys("[[neighbor.tcp_ao]]\nsend_id = 256\nrecv_id = 1\n"
                                    "key = \"a\"\n")),
              HasSubstr("out of range"));
}

TEST(ConfigTcpAo, KeysRollWithoutResetButGainingOrLosingTcpAoResets) {
  const Config before = parse_ok(with_keys(kRollover));
  // RFC 5925 §6.1: a new key on a live connection; no reset.
  const std::string more =
      kRollover + "[[neighbor.tcp_ao]]\nsend_id = 3\nrecv_id = 13\nkey = \"third\"\n";
  const ConfigDiff added = diff(before, parse_ok(with_keys(more)));
  EXPECT_THAT(added.reset, IsEmpty());
  EXPECT_THAT(added.updated, ElementsAre("127.0.0.2"));
  // A connection never gains or loses TCP-AO.
  EXPECT_THAT(diff(before, parse_ok(with_keys(""))).reset, ElementsAre("127.0.0.2"));
  EXPECT_THAT(diff(parse_ok(with_keys("")), before).reset, ElementsAre("127.0.0.2"));
  EXPECT_TRUE(diff(before, parse_ok(with_keys(kRollover))).empty());
}

}  // namespace
}  // namespace bgpsecd::daemon
