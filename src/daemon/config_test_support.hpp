// SPDX-License-Identifier: BSD-2-Clause
// Test-only: parse a config text as file "t.toml" and expect it to parse, or to fail (the
// config tests match the error's "t.toml:LINE:COLUMN: ..." text).
#pragma once

#include <string>

#include <gtest/gtest.h>

#include "daemon/config.hpp"

namespace bgpsecd::daemon::testing {

inline Config parse_ok(const std::string& text) {
  auto config = parse_config(text, "t.toml");
  EXPECT_TRUE(config.has_value()) << (config ? "" : config.error().message);
  return config ? *config : Config{};
}

inline std::string parse_error(const std::string& text) {
  auto config = parse_config(text, "t.toml");
  EXPECT_FALSE(config.has_value()) << "parsed:\n" << text;
  return config ? std::string() : config.error().message;
}

}  // namespace bgpsecd::daemon::testing
