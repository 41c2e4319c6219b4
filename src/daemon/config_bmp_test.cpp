// SPDX-License-Identifier: BSD-2-Clause
// [[bmp]]: parsing, defaults, errors that name the line, the normal form, and the reload diff
// that adds and removes stations.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "daemon/config.hpp"
#include "daemon/config_test_support.hpp"

namespace bgpsecd::daemon {
namespace {

using ::testing::ElementsAre;
using testing::parse_error;
using testing::parse_ok;

std::string with_bmp(const std::string& stations) {
  return std::string(R"([global]
asn = 65001
router_id = "127.0.0.1"
)") + stations;
}

TEST(ConfigBmp, DefaultsAndEveryKey) {
  const Config c = parse_ok(with_bmp(R"([[bmp]]
address = "127.0.47.1:18360"
[[bmp]]
address = "[::1]:1790"
views = ["loc-rib", "pre-policy", "post-policy"]
stats_interval = 0
reconnect_min = 1
reconnect_max = 4
max_queue = 1048576
)"));
  ASSERT_EQ(c.bmp.size(), 2U);
  const BmpStationConfig& a = c.bmp[0];
  EXPECT_EQ(a.address.to_string(), "127.0.47.1:18360");
  EXPECT_EQ(a.views, (BmpViews{true, false, false}));
  EXPECT_EQ(a.stats_interval, std::chrono::seconds(60));
  EXPECT_EQ(a.reconnect_min, std::chrono::seconds(30));
  EXPECT_EQ(a.reconnect_max, std::chrono::seconds(720));
  EXPECT_EQ(a.max_queue, 16U << 20U);
  const BmpStationConfig& b = c.bmp[1];
  EXPECT_EQ(b.address.to_string(), "[::1]:1790");
  EXPECT_EQ(b.views, (BmpViews{true, true, true}));
  EXPECT_EQ(b.stats_interval, std::chrono::seconds(0));
  EXPECT_EQ(b.reconnect_min, std::chrono::seconds(1));
  EXPECT_EQ(b.reconnect_max, std::chrono::seconds(4));
  EXPECT_EQ(b.max_queue, 1048576U);
}

TEST(ConfigBmp, NormalFormRoundTrips) {
  const Config c = parse_ok(with_bmp(R"([[bmp]]
address = "127.0.47.1:18360"
views = ["post-policy", "loc-rib"]
stats_interval = 5
)"));
  const std::string normal = to_normal_form(c);
  EXPECT_NE(normal.find("[[bmp]]\naddress = \"127.0.47.1:18360\"\n"
                        "views = [\"post-policy\", \"loc-rib\"]\nstats_interval = 5\n"
                        "reconnect_min = 30\nreconnect_max = 720\nmax_queue = 16777216\n"),
            std::string::npos)
      << normal;
  auto again = parse_config(normal, "normal.toml");
  ASSERT_TRUE(again.has_value()) << again.error().message << "\n" << normal;
  EXPECT_EQ(*again, c);
  EXPECT_EQ(to_normal_form(*again), normal);
}

TEST(ConfigBmp, ErrorsNameTheLine) {
  EXPECT_EQ(parse_error(with_bmp("[[bmp]]\nviews = [\"loc-rib\"]\n")),
            "t.toml:4:1: bmp #1: missing required key 'address'");
  EXPECT_EQ(parse_error(with_bmp("[[bmp]]\naddress = \"127.0.47.1\"\n")),
            "t.toml:5:11: bmp #1: 'address': give the station's port (\"ADDR:PORT\"); BMP has "
            "no default port");
  EXPECT_EQ(
      parse_error(with_bmp("[[bmp]]\naddress = \"127.0.47.1:1\"\nviews = [\"adj-rib-out\"]\n")),
      "t.toml:6:10: bmp 127.0.47.1:1: 'views': unknown view 'adj-rib-out' (expected "
      "pre-policy, post-policy or loc-rib)");
  EXPECT_EQ(parse_error(with_bmp("[[bmp]]\naddress = \"127.0.47.1:1\"\nviews = []\n")),
            "t.toml:6:9: bmp 127.0.47.1:1: 'views' must name at least one view");
  EXPECT_EQ(parse_error(with_bmp(
                "[[bmp]]\naddress = \"127.0.47.1:1\"\n[[bmp]]\naddress = \"127.0.47.1:1\"\n")),
            "t.toml:7:11: bmp 127.0.47.1:1: station given twice");
  EXPECT_EQ(parse_error(with_bmp(
                "[[bmp]]\naddress = \"127.0.47.1:1\"\nreconnect_min = 10\nreconnect_max = 5\n")),
            "t.toml:4:1: bmp 127.0.47.1:1: reconnect_min is larger than reconnect_max");
  EXPECT_THAT(parse_error(with_bmp("[[bmp]]\naddress = \"127.0.47.1:1\"\nmax_queue = 10\n")),
              ::testing::StartsWith("t.toml:6:13: bmp 127.0.47.1:1: 'max_queue'"));
  EXPECT_THAT(parse_error(with_bmp("[[bmp]]\naddress = \"127.0.47.1:1\"\nport = 10\n")),
              ::testing::StartsWith("t.toml:6:1: bmp #1: unknown key 'port'"));
}

TEST(ConfigBmp, ReloadAddsAndRemovesStations) {
  const Config a = parse_ok(with_bmp(R"([[bmp]]
address = "127.0.47.1:18360"
[[bmp]]
address = "127.0.47.1:18361"
)"));
  const Config b = parse_ok(with_bmp(R"([[bmp]]
address = "127.0.47.1:18361"
stats_interval = 5
[[bmp]]
address = "127.0.47.1:18362"
)"));
  const ConfigDiff d = diff(a, b);
  EXPECT_THAT(d.bmp_removed, ElementsAre("127.0.47.1:18360", "127.0.47.1:18361"));
  EXPECT_THAT(d.bmp_added, ElementsAre("127.0.47.1:18361", "127.0.47.1:18362"));
  EXPECT_FALSE(d.empty());
  EXPECT_TRUE(diff(a, a).empty());
}

}  // namespace
}  // namespace bgpsecd::daemon
