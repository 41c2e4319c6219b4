// SPDX-License-Identifier: BSD-2-Clause
// Test-only: parse a config text as file "t.toml" and expect it to parse, or to fail (the
// config tests match the error's "t.toml:LINE:COLUMN: ..." text).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "daemon/config.hpp"

namespace bgpsecd::daemon::testing {

// The smallest [global] table a config needs (AS 65001), for tests of the other tables.
inline constexpr const char* kMinimalGlobal = R"([global]
asn = 65001
router_id = "127.0.0.1"
)";

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

// `text` with the first `from` replaced by `to`; `from` must be there.
inline std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos)
    text.replace(pos, from.size(), to);
  return text;
}

// A file holding `text` with `mode` (secret files are checked for it), removed at the end of
// the test.
class SecretFile {
 public:
  SecretFile(const std::string& text, std::filesystem::perms mode, const std::string& tag = "")
      : path_(std::filesystem::temp_directory_path() /
              ("bgpsecd-secret-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name() + tag)) {
    std::ofstream(path_) << text;
    std::filesystem::permissions(path_, mode);
  }
  SecretFile(const SecretFile&) = delete;
  SecretFile& operator=(const SecretFile&) = delete;
  ~SecretFile() { std::filesystem::remove(path_); }
  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace bgpsecd::daemon::testing
