// SPDX-License-Identifier: BSD-2-Clause
// Tests of TomlReader on its own, with a struct of the test's making: another daemon's config
// file in the same style is read without bgpsecd's Config.
#include "service/toml_reader.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace bgpsecd::service {
namespace {

struct ServerConfig {
  std::uint16_t port = 0;
  bool verbose = false;
  std::string name;
};

class ServerReader : public TomlReader {
 public:
  using TomlReader::TomlReader;

  base::Result<ServerConfig> run(const toml::table& root) {
    ServerConfig out;
    BGPSEC_TRY(check_keys(root, "server", {"port", "verbose", "name"}));
    BGPSEC_TRY(read_int(root, "port", "server", 1, 65535, out.port));
    BGPSEC_TRY(read_bool(root, "verbose", "server", out.verbose));
    BGPSEC_TRY(read_string(root, "name", "server", out.name));
    if (out.name.empty())
      warn(root.source(), "server", "no name");
    return out;
  }
};

base::Result<ServerConfig> read(std::string_view text, std::vector<std::string>& warnings) {
  const toml::table root = toml::parse(text, std::string_view("s.toml"));
  ServerReader reader("s.toml", warnings);
  return reader.run(root);
}

TEST(TomlReader, ReadsTypedValuesIntoAnyStruct) {
  std::vector<std::string> warnings;
  auto config = read("port = 8323\nverbose = true\nname = \"v1\"\n", warnings);
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->port, 8323);
  EXPECT_TRUE(config->verbose);
  EXPECT_EQ(config->name, "v1");
  EXPECT_TRUE(warnings.empty());
}

TEST(TomlReader, ErrorsAndWarningsNameFileLineColumn) {
  std::vector<std::string> warnings;
  auto config = read("port = 8323\nprot = 1\n", warnings);
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message,
            "s.toml:2:1: server: unknown key 'prot' (did you mean 'port'?)");

  config = read("port = 70000\n", warnings);
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message,
            "s.toml:1:8: server: 'port' = 70000 is out of range (1..65535)");

  config = read("port = 1\n", warnings);
  ASSERT_TRUE(config.has_value());
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_EQ(warnings[0].rfind("s.toml:", 0), 0U) << warnings[0];
  EXPECT_NE(warnings[0].find(": server: no name"), std::string::npos) << warnings[0];
}

}  // namespace
}  // namespace bgpsecd::service
