// SPDX-License-Identifier: BSD-2-Clause
// Tests of TomlReader on its own, with a struct of the test's making: another daemon's config
// file in the same style is read without bgpsecd's Config.
#include "service/toml_reader.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

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

TEST(ConfigFile, AMissingFileNamesThePath) {
  const auto text = read_config_text("/nonexistent/dir/vd.toml");
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().message, "/nonexistent/dir/vd.toml: cannot open the config file");
}

TEST(ConfigFile, ReadsTheWholeFile) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("bgpsecd-toml-reader-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path, std::ios::binary) << "port = 8323\nname = \"v1\"\n";
  const auto text = read_config_text(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_EQ(*text, "port = 8323\nname = \"v1\"\n");
}

TEST(ConfigFile, ASyntaxErrorNamesFileLineAndColumn) {
  auto root = parse_toml("port = 8323\nname = = 1\n", "s.toml");
  ASSERT_FALSE(root.has_value());
  EXPECT_EQ(root.error().message.rfind("s.toml:2:8: syntax error: ", 0), 0U)
      << root.error().message;

  root = parse_toml("[server]\nport = 8323\n", "s.toml");
  ASSERT_TRUE(root.has_value()) << root.error().message;
  EXPECT_EQ((*root)["server"]["port"].value<std::int64_t>(), 8323);
}

}  // namespace
}  // namespace bgpsecd::service
