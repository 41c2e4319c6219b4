// SPDX-License-Identifier: BSD-2-Clause
// The tables both daemons' configuration files share, read into the service types: [rpki],
// [control], [metrics] and the key sources of [bgpsec]. Each reader leaves what the file does
// not set as it was (the caller's defaults) and names file:line:column in every error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "base/result.hpp"
#include "service/endpoint.hpp"
#include "service/key_sources.hpp"
#include "service/rpki_config.hpp"
#include "service/toml_reader.hpp"

namespace bgpsecd::service {

// transport and ssh_* of one [[rpki.cache]] table `c` (rpki_cache_ssh.cpp); `name` starts errors.
[[nodiscard]] base::Result<void> read_rpki_cache_transport(TomlReader& reader, const toml::table& c,
                                                           std::string_view name, RpkiCache& cache);
// [rpki] and its [[rpki.cache]]s, if the file has the table.
[[nodiscard]] base::Result<void> read_rpki_table(TomlReader& reader, const toml::table& root,
                                                 RpkiConfig& r);
// [control] socket and tcp (a loopback ADDRESS:PORT: the API has no authentication).
[[nodiscard]] base::Result<void> read_control_table(TomlReader& reader, const toml::table& root,
                                                    std::string& socket,
                                                    std::optional<Endpoint>& tcp_out);
// [metrics] listen: "" turns the endpoint off; beyond loopback is a warning.
[[nodiscard]] base::Result<void> read_metrics_table(TomlReader& reader, const toml::table& root,
                                                    std::uint16_t default_port,
                                                    std::optional<Endpoint>& listen);
// key_dir, key_files and [active_key] of the table `t` (the file's [bgpsec]); the caller
// checks the table's keys.
[[nodiscard]] base::Result<void> read_key_sources(TomlReader& reader, const toml::table& t,
                                                  std::string_view ctx, KeySources& keys);

// ===== normal form (bgpsecd -n, bgpsecvd -n) =====
// A TOML array of strings: ["a", "b"].
[[nodiscard]] std::string string_array(const std::vector<std::string>& items);
// [control] and [metrics] with every value written out, each table followed by a blank line.
[[nodiscard]] std::string control_and_metrics_normal_form(const std::string& socket,
                                                          const std::optional<Endpoint>& tcp,
                                                          const std::optional<Endpoint>& metrics);
// [rpki] and its [[rpki.cache]]s, each followed by a blank line.
[[nodiscard]] std::string rpki_normal_form(const RpkiConfig& r);

}  // namespace bgpsecd::service
