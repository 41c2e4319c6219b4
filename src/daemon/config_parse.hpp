// SPDX-License-Identifier: BSD-2-Clause
// INTERNAL to the configuration parser of bgpsecd (config_*.cpp); not part of the API, which
// is config.hpp. The names of the enums in the file, and one small class per part of the file
// ([global], [control] and [metrics], [rpki], [bgpsec], [[prefix_list]] and [[policy]],
// [[network]], [[neighbor]]). Each part reads its tables into the Config being built, in the
// order of Parser::run (config.cpp): later parts refer to what earlier ones read.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <toml++/toml.h>

#include "base/result.hpp"
#include "daemon/config.hpp"
#include "rib/as_path_edit.hpp"
#include "rib/route.hpp"
#include "service/toml_reader.hpp"
#include "wire/communities.hpp"

namespace bgpsecd::daemon {

// The TOML helpers bgpsecvd's configuration shares (service/toml_reader.hpp).
using service::enum_choices;
using service::enum_from_name;
using service::enum_name;
using service::parse_unsigned;
using service::quote;
using service::TomlReader;
using service::type_name;

}  // namespace bgpsecd::daemon

namespace bgpsecd::daemon::config_detail {

// Each table gives the names the file uses for the values of one enum.
inline constexpr const auto& kLogLevels = service::kLogLevelNames;
constexpr std::array<std::pair<std::string_view, SyntaxErrorAction>, 2> kSyntaxErrorActions{{
    {"withdraw", SyntaxErrorAction::Withdraw},
    {"strip", SyntaxErrorAction::Strip},
}};
constexpr std::array<std::pair<std::string_view, IbgpState>, 2> kIbgpStates{{
    {"trust", IbgpState::Trust},
    {"revalidate", IbgpState::Revalidate},
}};
constexpr std::array<std::pair<std::string_view, ValidationOrder>, 2> kValidationOrders{{
    {"all", ValidationOrder::All},
    {"best-first", ValidationOrder::BestFirst},
}};
constexpr std::array<std::pair<std::string_view, ValidationMode>, 3> kValidationModes{{
    {"local", ValidationMode::Local},
    {"server", ValidationMode::Server},
    {"server-or-local", ValidationMode::ServerOrLocal},
}};
constexpr std::array<std::pair<std::string_view, SigningMode>, 2> kSigningModes{{
    {"local", SigningMode::Local},
    {"server", SigningMode::Server},
}};
constexpr std::array<std::pair<std::string_view, SigningFallback>, 2> kSigningFallbacks{{
    {"local", SigningFallback::Local},
    {"unsigned", SigningFallback::Unsigned},
}};
constexpr std::array<std::pair<std::string_view, rib::PrivateAsRemoval>, 3> kPrivateAsRemovals{{
    {"none", rib::PrivateAsRemoval::None},
    {"leading", rib::PrivateAsRemoval::Leading},
    {"all", rib::PrivateAsRemoval::All},
}};
constexpr std::array<std::pair<std::string_view, PolicyAction>, 3> kPolicyActions{{
    {"next", PolicyAction::Next},
    {"accept", PolicyAction::Accept},
    {"reject", PolicyAction::Reject},
}};
constexpr std::array<std::pair<std::string_view, rib::PathState>, 4> kPathStates{{
    {"valid", rib::PathState::Valid},
    {"not-valid", rib::PathState::NotValid},
    {"unsigned", rib::PathState::Unsigned},
    {"pending", rib::PathState::Pending},
}};
constexpr std::array<std::pair<std::string_view, rib::OriginState>, 3> kOriginStates{{
    {"valid", rib::OriginState::Valid},
    {"invalid", rib::OriginState::Invalid},
    {"not-found", rib::OriginState::NotFound},
}};
constexpr std::array<std::pair<std::string_view, rib::AspaState>, 4> kAspaStates{{
    {"valid", rib::AspaState::Valid},
    {"invalid", rib::AspaState::Invalid},
    {"unknown", rib::AspaState::Unknown},
    {"unverified", rib::AspaState::Unverified},
}};

constexpr std::array<std::pair<std::string_view, std::uint32_t>, 4> kWellKnownCommunities{{
    {"no-export", wire::kCommunityNoExport},
    {"no-advertise", wire::kCommunityNoAdvertise},
    {"no-export-subconfed", wire::kCommunityNoExportSubconfed},
    {"graceful-shutdown", wire::kCommunityGracefulShutdown},
}};

// What every part shares: the reader (file name, warnings) and the Config being filled.
class Section : public TomlReader {
 public:
  Section(std::string_view file, Config& config)
      : TomlReader(file, config.warnings), config_(config) {}

 protected:
  base::Result<void> read_private_as_removal(const toml::table& t, std::string_view ctx,
                                             rib::PrivateAsRemoval& out);
  base::Result<Community> community(const toml::node& node, std::string_view text,
                                    std::string_view key, std::string_view ctx);

  Config& config_;
};

class GlobalSection : public Section {
 public:
  using Section::Section;
  base::Result<void> parse_global(const toml::table& root);

 private:
  base::Result<void> parse_confederation(const toml::table& t);
};

// [control] and [metrics]: where the control API and the metrics are served.
class ControlSection : public Section {
 public:
  using Section::Section;
  base::Result<void> parse_control_and_metrics(const toml::table& root);
};

class RpkiSection : public Section {
 public:
  using Section::Section;
  base::Result<void> parse_rpki(const toml::table& root);
};

class BgpsecSection : public Section {
 public:
  using Section::Section;
  base::Result<void> parse_bgpsec(const toml::table& root);
};

// [aspa] and [aspa.preference].
class AspaSection : public Section {
 public:
  using Section::Section;
  base::Result<void> parse_aspa(const toml::table& root);
};

// [validation] and [[validation_server]].
class ValidationSection : public Section {
 public:
  using Section::Section;
  base::Result<void> parse_validation(const toml::table& root);
};

// [[prefix_list]] and [[policy]] with its [[policy.rule]]s.
class PolicySection : public Section {
 public:
  using Section::Section;
  base::Result<void> parse_prefix_lists(const toml::table& root);
  base::Result<void> parse_policies(const toml::table& root);

 private:
  base::Result<void> parse_rule(const toml::table& t, std::string_view ctx, PolicyRule& rule);
};

class NetworkSection : public Section {
 public:
  using Section::Section;
  base::Result<void> parse_networks(const toml::table& root);
};

// [[neighbor]], with its per-neighbor BGPsec directions.
class NeighborSection : public Section {
 public:
  using Section::Section;
  base::Result<void> parse_neighbors(const toml::table& root);

 private:
  base::Result<void> parse_neighbor(const toml::table& t, std::size_t index);
  base::Result<void> parse_bgpsec_families(const toml::table& t, std::string_view key,
                                           std::string_view ctx, BgpsecFamilies& out);
  // RFC 9234: `role` and `role_strict`, checked against the session type.
  base::Result<void> parse_role(const toml::table& t, std::string_view ctx, NeighborConfig& n);
  // password / password_file (RFC 2385), [[neighbor.tcp_ao]] (RFC 5925) and ttl_security
  // (RFC 5082).
  base::Result<void> parse_tcp_security(const toml::table& t, std::string_view ctx,
                                        NeighborConfig& n);
  base::Result<void> parse_tcp_ao(const toml::table& t, std::string_view ctx, NeighborConfig& n);
  // A secret given inline (`inline_key`) or as the contents of a file (`file_key`, checked
  // like a private key file); `file` is left empty for an inline one.
  base::Result<void> parse_secret(const toml::table& t, std::string_view inline_key,
                                  std::string_view file_key, std::string_view what,
                                  std::size_t max_length, std::string_view ctx, std::string& secret,
                                  std::string& file);
};

// [[bmp]]: the BMP monitoring stations.
class BmpSection : public Section {
 public:
  using Section::Section;
  base::Result<void> parse_bmp(const toml::table& root);
};

}  // namespace bgpsecd::daemon::config_detail
