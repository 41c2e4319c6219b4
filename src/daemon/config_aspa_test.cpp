// SPDX-License-Identifier: BSD-2-Clause
// [aspa]: defaults, every key, errors that name the line, the normal form, the reload diff.
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

std::string with(const std::string& more) { return std::string(kGlobal) + more; }

TEST(ConfigAspa, DefaultsVerifyAndRankInvalidLowerWithoutDropping) {
  const Config c = parse_ok(with(""));
  EXPECT_TRUE(c.aspa.verify);
  EXPECT_FALSE(c.aspa.drop_invalid);
  EXPECT_EQ(c.aspa.preference.valid, 0);
  EXPECT_EQ(c.aspa.preference.unknown, 0);
  EXPECT_LT(c.aspa.preference.invalid, 0);
}

TEST(ConfigAspa, EveryKeyAndTheNormalFormRoundTrips) {
  const Config c = parse_ok(with(R"([aspa]
verify = false
drop_invalid = true
[aspa.preference]
valid = 5
unknown = -1
invalid = -4294967295
)"));
  EXPECT_FALSE(c.aspa.verify);
  EXPECT_TRUE(c.aspa.drop_invalid);
  EXPECT_EQ(c.aspa.preference, (rib::AspaPreference{5, -1, -4294967295LL}));
  const std::string normal = to_normal_form(c);
  EXPECT_THAT(normal, HasSubstr("[aspa]\nverify = false\ndrop_invalid = true\n"));
  auto again = parse_config(normal, "normal.toml");
  ASSERT_TRUE(again.has_value()) << again.error().message << "\n" << normal;
  EXPECT_EQ(again->aspa, c.aspa);
}

TEST(ConfigAspa, ErrorsNameTheLine) {
  EXPECT_THAT(parse_error(with("[aspa]\nverfy = true\n")),
              HasSubstr("t.toml:5:1: aspa: unknown key 'verfy'"));
  EXPECT_THAT(parse_error(with("[aspa]\ndrop_invalid = 1\n")), HasSubstr("t.toml:5:"));
  EXPECT_THAT(parse_error(with("[aspa.preference]\nvalid = 4294967296\n")), HasSubstr("t.toml:5:"));
  EXPECT_THAT(parse_error(with("[aspa.preference]\nnot_found = 1\n")),
              HasSubstr("aspa preference: unknown key 'not_found'"));
}

TEST(ConfigAspa, AChangeIsAppliedOnReload) {
  const Config before = parse_ok(with(""));
  const ConfigDiff same = diff(before, parse_ok(with("[aspa]\nverify = true\n")));
  EXPECT_FALSE(same.aspa_changed);
  EXPECT_TRUE(same.empty());
  const ConfigDiff d = diff(before, parse_ok(with("[aspa.preference]\ninvalid = -50\n")));
  EXPECT_TRUE(d.aspa_changed);
  EXPECT_FALSE(d.empty());
  EXPECT_TRUE(d.reset.empty());
}

}  // namespace
}  // namespace bgpsecd::daemon
