// SPDX-License-Identifier: BSD-2-Clause
// bgpsecvd's configuration (bgpsecvd(8), CONFIGURATION): one TOML file in bgpsecd's style.
// [server] is bgpsecvd's own; [rpki], [control] and [metrics] are the tables bgpsecd.conf(5)
// has, read by the same code; [bgpsec] holds the signing keys and the verification engine's
// sizes under bgpsecd's key names. Errors and warnings start with "file:line:column".
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/prefix.hpp"
#include "base/result.hpp"
#include "service/endpoint.hpp"
#include "service/key_sources.hpp"
#include "service/log_level.hpp"
#include "service/rpki_config.hpp"

namespace bgpsecd::validation_server {

inline constexpr std::uint16_t kDefaultServerPort = 17900;
inline constexpr std::uint16_t kDefaultServerMetricsPort = 9180;
inline constexpr std::string_view kDefaultServerControlSocket = "/run/bgpsecvd/bgpsecvd.sock";

struct ServerConfig {
  // [server]
  // Where routers connect. The SRx protocol has no authentication: loopback unless set.
  std::vector<service::Endpoint> listen{
      service::Endpoint{base::IpAddress::v4(0x7F000001), kDefaultServerPort}};
  // Source prefixes a router may connect from; empty = any.
  std::vector<base::Prefix> allow;
  // Seconds an update is kept after the last router let go of it (at least; a router's
  // larger keepWindow wins).
  std::chrono::seconds keep_window{900};
  std::size_t max_updates_per_router = 4'000'000;
  std::size_t max_updates = 16'000'000;
  std::size_t max_routers = 1024;
  service::LogLevel log_level = service::LogLevel::Info;
  // [rpki], [control], [metrics]: as in bgpsecd.conf(5).
  service::RpkiConfig rpki;
  std::string control_socket{kDefaultServerControlSocket};
  std::optional<service::Endpoint> control_tcp;
  std::optional<service::Endpoint> metrics_listen =
      service::Endpoint{base::IpAddress::v4(0x7F000001), kDefaultServerMetricsPort};
  // [bgpsec]: the keys the server signs with, of any number of ASes, and the engine's sizes.
  service::KeySources keys;
  std::uint32_t validation_threads = 0;       // 0 = one per core
  std::uint64_t signature_cache_entries = 0;  // 0 = the engine's default
  std::uint32_t key_tables = 4096;
  std::uint32_t small_key_tables = 131072;  // for the keys refused one of the key_tables

  std::vector<std::string> warnings;  // not part of the normal form
};

[[nodiscard]] base::Result<ServerConfig> parse_server_config(std::string_view text,
                                                             std::string_view file);
[[nodiscard]] base::Result<ServerConfig> load_server_config(const std::string& path);
// Every setting written out, defaults included, as `bgpsecvd -n` prints it.
[[nodiscard]] std::string to_normal_form(const ServerConfig& config);

}  // namespace bgpsecd::validation_server
