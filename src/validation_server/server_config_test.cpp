// SPDX-License-Identifier: BSD-2-Clause
#include "validation_server/server_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bgpsecd::validation_server {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ServerConfig, AnEmptyFileIsTheDefaults) {
  const auto config = parse_server_config("", "vd.toml");
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->listen.size(), 1U);
  EXPECT_EQ(config->listen[0].to_string(), "127.0.0.1:17900");
  EXPECT_EQ(config->keep_window.count(), 900);
  EXPECT_EQ(config->control_socket, "/run/bgpsecvd/bgpsecvd.sock");
  ASSERT_TRUE(config->metrics_listen);
  EXPECT_EQ(config->metrics_listen->to_string(), "127.0.0.1:9180");
  EXPECT_TRUE(config->allow.empty());
}

TEST(ServerConfig, TheExampleChecksAndItsNormalFormParsesToTheSameText) {
  const auto config =
      load_server_config(std::string(BGPSEC_SOURCE_DIR) + "/etc/bgpsecvd.example.toml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->listen[0].to_string(), "192.0.2.10:17900");
  EXPECT_EQ(config->allow.size(), 2U);
  EXPECT_EQ(config->rpki.caches.size(), 2U);
  EXPECT_EQ(config->keys.key_dir, "/etc/bgpsecvd/keys");
  EXPECT_TRUE(config->warnings.empty());
  const std::string normal = to_normal_form(*config);
  const auto again = parse_server_config(normal, "normal.toml");
  ASSERT_TRUE(again) << again.error().message << "\n" << normal;
  EXPECT_EQ(to_normal_form(*again), normal);
}

TEST(ServerConfig, ErrorsNameTheLine) {
  auto bad = parse_server_config("[server]\nlisten = [\"127.0.0.1:17900\"]\nkeep_window = 70000\n",
                                 "vd.toml");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("vd.toml:3:"));
  bad = parse_server_config("[server]\nlisten = []\n", "vd.toml");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("'listen' is empty"));
  bad = parse_server_config("[server]\nallow = [\"10.0.0.0/33\"]\n", "vd.toml");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("vd.toml:2:"));
  bad = parse_server_config("[server]\nlisen = []\n", "vd.toml");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("listen"));  // the close spelling is suggested
  bad = parse_server_config("[server\n", "vd.toml");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, StartsWith("vd.toml:1:8: syntax error: "));
  bad = load_server_config("/nonexistent/vd.toml");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "/nonexistent/vd.toml: cannot open the config file");
}

// A PEM file names no AS; the server signs for several ASes, so only key_dir is read.
TEST(ServerConfig, KeyFilesAreRefused) {
  const auto bad = parse_server_config("[bgpsec]\nkey_files = [\"a.pem\"]\n", "vd.toml");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("key_files"));
}

TEST(ServerConfig, ListeningBeyondLoopbackWithoutAllowIsWarnedAbout) {
  const auto open = parse_server_config("[server]\nlisten = [\"192.0.2.1\"]\n", "vd.toml");
  ASSERT_TRUE(open);
  ASSERT_EQ(open->warnings.size(), 1U);
  EXPECT_THAT(open->warnings[0], HasSubstr("no authentication"));
  EXPECT_EQ(open->listen[0].port, kDefaultServerPort);
  const auto closed = parse_server_config(
      "[server]\nlisten = [\"192.0.2.1\"]\nallow = [\"192.0.2.0/24\"]\n", "vd.toml");
  ASSERT_TRUE(closed);
  EXPECT_TRUE(closed->warnings.empty());
}

TEST(ServerConfig, SharedTablesAreReadAsBgpsecdReadsThem) {
  const auto config = parse_server_config(
      "[rpki]\nfiles = [\"a.json\"]\nreload_interval = 60\n[[rpki.cache]]\naddress = "
      "\"127.0.0.1:8282\"\n[control]\nsocket = \"/tmp/vd.sock\"\n[metrics]\nlisten = \"\"\n",
      "vd.toml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->rpki.files, std::vector<std::string>{"a.json"});
  EXPECT_EQ(config->rpki.reload_interval.count(), 60);
  EXPECT_EQ(config->rpki.caches.at(0).port, 8282);
  EXPECT_EQ(config->control_socket, "/tmp/vd.sock");
  EXPECT_FALSE(config->metrics_listen);
}

}  // namespace
}  // namespace bgpsecd::validation_server
