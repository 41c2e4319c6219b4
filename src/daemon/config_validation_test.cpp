// SPDX-License-Identifier: BSD-2-Clause
// [validation], [[validation_server]] and the neighbor key `validation` (RFC 8374 §9.3.2):
// defaults, parsing, order by preference, errors that name the line, the normal form and its
// round trip, and a reload that says the change needs a restart.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "daemon/config.hpp"
#include "daemon/config_test_support.hpp"

namespace bgpsecd::daemon {
namespace {

using ::testing::HasSubstr;
using testing::parse_error;
using testing::parse_ok;

constexpr const char* kGlobal = testing::kMinimalGlobal;

constexpr const char* kNeighbor = R"(
[[neighbor]]
address = "127.0.0.2"
remote_as = 65002
)";

TEST(ConfigValidation, DefaultsValidateLocallyWithoutServers) {
  const Config c = parse_ok(std::string(kGlobal) + kNeighbor);
  EXPECT_EQ(c.validation.mode, ValidationMode::Local);
  EXPECT_TRUE(c.validation.servers.empty());
  EXPECT_EQ(c.validation.answer_timeout.count(), 30);
  EXPECT_EQ(c.validation.fallback_after.count(), 5);
  EXPECT_EQ(c.validation.keep_window, 900);
  ASSERT_EQ(c.neighbors.size(), 1U);
  EXPECT_FALSE(c.neighbors[0].validation);
  EXPECT_EQ(c.neighbors[0].validation_mode(c.validation), ValidationMode::Local);
}

TEST(ConfigValidation, ServersAreOrderedByPreferenceAndTakeTheSrxPortByDefault) {
  const Config c = parse_ok(std::string(kGlobal) + R"(
[validation]
mode = "server-or-local"
proxy_id = 77
answer_timeout = 4
fallback_after = 9
keep_window = 60

[[validation_server]]
address = "192.0.2.2:18000"
preference = 5

[[validation_server]]
address = "192.0.2.1"
preference = 1

[[validation_server]]
address = "[2001:db8::1]:17901"
preference = 5
)" + kNeighbor + "validation = \"server\"\n");
  EXPECT_EQ(c.validation.mode, ValidationMode::ServerOrLocal);
  EXPECT_EQ(c.validation.proxy_id, 77U);
  EXPECT_EQ(c.validation.answer_timeout.count(), 4);
  EXPECT_EQ(c.validation.fallback_after.count(), 9);
  EXPECT_EQ(c.validation.keep_window, 60);
  ASSERT_EQ(c.validation.servers.size(), 3U);
  EXPECT_EQ(c.validation.servers[0].address.to_string(), "192.0.2.1:17900");
  EXPECT_EQ(c.validation.servers[1].address.to_string(), "192.0.2.2:18000");  // ties: file order
  EXPECT_EQ(c.validation.servers[2].address.to_string(), "[2001:db8::1]:17901");
  EXPECT_EQ(c.neighbors[0].validation_mode(c.validation), ValidationMode::Server);
}

TEST(ConfigValidation, NormalFormRoundTrips) {
  const Config c = parse_ok(std::string(kGlobal) + R"(
[validation]
mode = "server"
[[validation_server]]
address = "192.0.2.1:17900"
)" + kNeighbor + "validation = \"local\"\n");
  const std::string normal = to_normal_form(c);
  EXPECT_THAT(normal, HasSubstr("[validation]\nmode = \"server\"\n"));
  EXPECT_THAT(normal, HasSubstr("[[validation_server]]\naddress = \"192.0.2.1:17900\"\n"));
  EXPECT_THAT(normal, HasSubstr("validation = \"local\"\n"));
  EXPECT_EQ(parse_ok(normal), c);
}

TEST(ConfigValidation, ErrorsNameTheLine) {
  // A server mode needs a server, globally and per neighbor.
  EXPECT_THAT(parse_error(std::string(kGlobal) + "[validation]\nmode = \"server\"\n"),
              HasSubstr(":5:8: validation: mode \"server\" needs at least one"));
  EXPECT_THAT(parse_error(std::string(kGlobal) + kNeighbor + "validation = \"server-or-local\"\n"),
              HasSubstr(":8:14: neighbor 127.0.0.2: 'validation' = \"server-or-local\" needs"));
  EXPECT_THAT(parse_error(std::string(kGlobal) + "[validation]\nmode = \"remote\"\n"),
              HasSubstr(":5:8: validation: 'mode': unknown value 'remote' (expected one of local, "
                        "server, server-or-local)"));
  EXPECT_THAT(parse_error(std::string(kGlobal) + "[[validation_server]]\naddress = \"nowhere\"\n"),
              HasSubstr(":5:11: validation_server #1: 'address'"));
  EXPECT_THAT(
      parse_error(std::string(kGlobal) + "[[validation_server]]\naddress = \"192.0.2.1\"\n"
                                         "[[validation_server]]\naddress = \"192.0.2.1:17900\"\n"),
      HasSubstr(":7:11: validation_server #2: server given twice"));
  EXPECT_THAT(parse_error(std::string(kGlobal) + "[[validation_server]]\nport = 1\n"),
              HasSubstr("validation_server #1"));
  EXPECT_THAT(parse_error(std::string(kGlobal) + "[validation]\nanswer_timeout = 0\n"),
              HasSubstr("answer_timeout"));
}

TEST(ConfigValidation, ServerSigningNeedsAServerAndNoKeysOnlyWithoutLocalFallback) {
  const std::string server = "[[validation_server]]\naddress = \"192.0.2.1\"\n";
  const std::string sender = std::string(kNeighbor) + "bgpsec = true\n";
  const Config c = parse_ok(std::string(kGlobal) +
                            "[validation]\nsigning = \"server\"\nsigning_fallback = "
                            "\"unsigned\"\n" +
                            server + sender);
  EXPECT_EQ(c.validation.signing, SigningMode::Server);
  EXPECT_EQ(c.validation.signing_fallback, SigningFallback::Unsigned);
  EXPECT_THAT(to_normal_form(c),
              HasSubstr("signing = \"server\"\nsigning_fallback = \"unsigned\"\n"));
  // Falling back to our own keys needs keys.
  EXPECT_THAT(
      parse_error(std::string(kGlobal) + "[validation]\nsigning = \"server\"\n" + server + sender),
      HasSubstr("BGPsec send needs router keys"));
  EXPECT_THAT(parse_error(std::string(kGlobal) + "[validation]\nsigning = \"server\"\n"),
              HasSubstr(":5:11: validation: signing \"server\" needs at least one"));
  EXPECT_THAT(parse_error(std::string(kGlobal) + "[validation]\nsigning_fallback = \"drop\"\n"),
              HasSubstr("expected one of local, unsigned"));
}

TEST(ConfigValidation, AChangeIsSeenByTheDiff) {
  const std::string base =
      std::string(kGlobal) + "[[validation_server]]\naddress = \"192.0.2.1\"\n" + kNeighbor;
  const Config before = parse_ok(base);
  EXPECT_FALSE(diff(before, parse_ok(base)).validation_changed);
  EXPECT_TRUE(diff(before, parse_ok(base + "validation = \"server\"\n")).validation_changed);
  EXPECT_TRUE(diff(before, parse_ok(std::string(kGlobal) +
                                    "[[validation_server]]\naddress = \"192.0.2.9\"\n" + kNeighbor))
                  .validation_changed);
}

}  // namespace
}  // namespace bgpsecd::daemon
