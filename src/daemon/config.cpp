// SPDX-License-Identifier: BSD-2-Clause
// Parsing the bgpsecd configuration: toml++ reads the file, Parser::run hands each part to
// its reader (config_parse.hpp, one file per part). Reading the file and toml++'s syntax errors
// are service::read_config_text and service::parse_toml, as for bgpsecvd. Every error and
// warning starts with "file:line:column".
#include "daemon/config.hpp"

#include <utility>

#include <toml++/toml.h>

#include "daemon/config_parse.hpp"

namespace bgpsecd::daemon {
namespace {

// Reads the parts of the file in order into the Config it was given.
class Parser : public config_detail::Section {
 public:
  using Section::Section;

  base::Result<Config> run(const toml::table& root);

 private:
  base::Result<void> parse_global(const toml::table& root) {
    return config_detail::GlobalSection(file(), config_).parse_global(root);
  }
  base::Result<void> parse_control_and_metrics(const toml::table& root) {
    return config_detail::ControlSection(file(), config_).parse_control_and_metrics(root);
  }
  base::Result<void> parse_rpki(const toml::table& root) {
    return config_detail::RpkiSection(file(), config_).parse_rpki(root);
  }
  base::Result<void> parse_bgpsec(const toml::table& root) {
    return config_detail::BgpsecSection(file(), config_).parse_bgpsec(root);
  }
  base::Result<void> parse_validation(const toml::table& root) {
    return config_detail::ValidationSection(file(), config_).parse_validation(root);
  }
  base::Result<void> parse_prefix_lists(const toml::table& root) {
    return config_detail::PolicySection(file(), config_).parse_prefix_lists(root);
  }
  base::Result<void> parse_policies(const toml::table& root) {
    return config_detail::PolicySection(file(), config_).parse_policies(root);
  }
  base::Result<void> parse_networks(const toml::table& root) {
    return config_detail::NetworkSection(file(), config_).parse_networks(root);
  }
  base::Result<void> parse_neighbors(const toml::table& root) {
    return config_detail::NeighborSection(file(), config_).parse_neighbors(root);
  }
};

base::Result<Config> Parser::run(const toml::table& root) {
  BGPSEC_TRY(
      check_keys(root, "top level",
                 {"global", "control", "metrics", "rpki", "bgpsec", "aspa", "validation",
                  "validation_server", "prefix_list", "policy", "network", "neighbor", "bmp"}));
  // Order matters: later sections refer to earlier ones (policies to prefix lists, neighbors
  // to policies, BGPsec neighbors to keys and RPKI sources).
  BGPSEC_TRY(parse_global(root));
  BGPSEC_TRY(parse_control_and_metrics(root));
  BGPSEC_TRY(parse_rpki(root));
  BGPSEC_TRY(parse_bgpsec(root));
  BGPSEC_TRY(config_detail::AspaSection(file(), config_).parse_aspa(root));
  BGPSEC_TRY(parse_validation(root));
  BGPSEC_TRY(parse_prefix_lists(root));
  BGPSEC_TRY(parse_policies(root));
  BGPSEC_TRY(parse_networks(root));
  BGPSEC_TRY(parse_neighbors(root));
  BGPSEC_TRY(config_detail::BmpSection(file(), config_).parse_bmp(root));
  return std::move(config_);
}

}  // namespace

const NeighborConfig* Config::find_neighbor(const base::IpAddress& address) const {
  for (const NeighborConfig& n : neighbors) {
    if (n.address == address)
      return &n;
  }
  return nullptr;
}

const Policy* Config::find_policy(std::string_view name) const {
  for (const Policy& p : policies) {
    if (p.name == name)
      return &p;
  }
  return nullptr;
}

const PrefixList* Config::find_prefix_list(std::string_view name) const {
  for (const PrefixList& l : prefix_lists) {
    if (l.name == name)
      return &l;
  }
  return nullptr;
}

bool operator==(const Config& a, const Config& b) {
  return a.global == b.global && a.rpki == b.rpki && a.bgpsec == b.bgpsec && a.aspa == b.aspa &&
         a.validation == b.validation && a.networks == b.networks &&
         a.prefix_lists == b.prefix_lists && a.policies == b.policies &&
         a.neighbors == b.neighbors && a.bmp == b.bmp;
}

// ===== parse / load =====

base::Result<Config> parse_config(std::string_view text, std::string_view file_name) {
  BGPSEC_ASSIGN_OR_RETURN(const toml::table root, service::parse_toml(text, file_name));
  Config config;
  Parser parser(file_name, config);
  return parser.run(root);
}

base::Result<Config> load_config_file(const std::filesystem::path& path) {
  BGPSEC_ASSIGN_OR_RETURN(const std::string text, service::read_config_text(path));
  return parse_config(text, path.string());
}

}  // namespace bgpsecd::daemon
