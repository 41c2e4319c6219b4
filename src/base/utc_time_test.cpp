// SPDX-License-Identifier: BSD-2-Clause
#include "base/utc_time.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::base {
namespace {

TEST(UtcTime, FormatsRfc3339Utc) {
  using namespace std::chrono;
  EXPECT_EQ(format_utc(system_clock::time_point{}), "1970-01-01T00:00:00Z");
  const auto when = sys_days{year{2027} / 3 / 14} + hours{1} + minutes{59} + seconds{26};
  EXPECT_EQ(format_utc(when), "2027-03-14T01:59:26Z");
}

}  // namespace
}  // namespace bgpsecd::base
