// SPDX-License-Identifier: BSD-2-Clause
// Parsing bgpsecvd's configuration file with the TOML reader bgpsecd uses; the file is read and
// parsed, and a syntax error reported, by service::read_config_text and service::parse_toml.
#include "validation_server/server_config.hpp"

#include <array>
#include <sstream>
#include <utility>

#include <toml++/toml.h>

#include "service/config_tables.hpp"
#include "service/toml_reader.hpp"

namespace bgpsecd::validation_server {
namespace {

class Parser : public service::TomlReader {
 public:
  Parser(std::string_view file, ServerConfig& config)
      : TomlReader(file, config.warnings), config_(config) {}

  base::Result<void> run(const toml::table& root) {
    BGPSEC_TRY(check_keys(root, "top level", {"server", "rpki", "bgpsec", "control", "metrics"}));
    BGPSEC_TRY(parse_server(root));
    BGPSEC_TRY(
        service::read_control_table(*this, root, config_.control_socket, config_.control_tcp));
    BGPSEC_TRY(service::read_metrics_table(*this, root, kDefaultServerMetricsPort,
                                           config_.metrics_listen));
    BGPSEC_TRY(service::read_rpki_table(*this, root, config_.rpki));
    return parse_bgpsec(root);
  }

 private:
  base::Result<void> parse_server(const toml::table& root) {
    constexpr std::string_view ctx = "server";
    BGPSEC_ASSIGN_OR_RETURN(const toml::table* t, sub_table(root, "server", ctx));
    if (t == nullptr) {
      return {};
    }
    BGPSEC_TRY(check_keys(*t, ctx,
                          {"listen", "allow", "keep_window", "max_updates_per_router",
                           "max_updates", "max_routers", "log_level"}));
    if (t->get("listen") != nullptr) {
      config_.listen.clear();
    }
    BGPSEC_TRY(for_each_string(
        *t, "listen", ctx, [&](std::string_view text, const toml::node& n) -> base::Result<void> {
          auto endpoint = service::parse_endpoint(text, kDefaultServerPort);
          if (!endpoint) {
            return error(n.source(), ctx, "'listen': " + endpoint.error().message);
          }
          if (!service::is_loopback(endpoint->address) && config_.allow.empty() &&
              t->get("allow") == nullptr) {
            warn(n.source(), ctx,
                 "routers may connect from anywhere to " + endpoint->to_string() +
                     " (the SRx protocol has no authentication): consider 'allow'");
          }
          config_.listen.push_back(*endpoint);
          return {};
        }));
    if (config_.listen.empty()) {
      return error(t->source(), ctx, "'listen' is empty: routers could not connect");
    }
    BGPSEC_TRY(for_each_string(
        *t, "allow", ctx, [&](std::string_view text, const toml::node& n) -> base::Result<void> {
          auto prefix = base::Prefix::parse(text);
          if (!prefix) {
            return error(n.source(), ctx, "'allow': " + prefix.error().message);
          }
          config_.allow.push_back(*prefix);
          return {};
        }));
    std::int64_t seconds = config_.keep_window.count();
    BGPSEC_TRY(read_int(*t, "keep_window", ctx, 0, 65535, seconds));
    config_.keep_window = std::chrono::seconds(seconds);
    BGPSEC_TRY(read_int(*t, "max_updates_per_router", ctx, 1, 1'000'000'000,
                        config_.max_updates_per_router));
    BGPSEC_TRY(read_int(*t, "max_updates", ctx, 1, 4'000'000'000, config_.max_updates));
    BGPSEC_TRY(read_int(*t, "max_routers", ctx, 1, 65535, config_.max_routers));
    return read_enum(*t, "log_level", ctx, service::kLogLevelNames, config_.log_level);
  }

  base::Result<void> parse_bgpsec(const toml::table& root) {
    constexpr std::string_view ctx = "bgpsec";
    BGPSEC_ASSIGN_OR_RETURN(const toml::table* t, sub_table(root, "bgpsec", ctx));
    if (t == nullptr) {
      return {};
    }
    // key_files name no AS: the server signs for several ASes, so only key_dir (whose files
    // name their AS) is read.
    BGPSEC_TRY(check_keys(*t, ctx,
                          {"key_dir", "active_key", "validation_threads", "signature_cache_entries",
                           "key_tables", "small_key_tables"}));
    BGPSEC_TRY(service::read_key_sources(*this, *t, ctx, config_.keys));
    BGPSEC_TRY(read_int(*t, "validation_threads", ctx, 0, 256, config_.validation_threads));
    BGPSEC_TRY(read_int(*t, "signature_cache_entries", ctx, 0, 1'000'000'000,
                        config_.signature_cache_entries));
    BGPSEC_TRY(read_int(*t, "key_tables", ctx, 0, 10'000'000, config_.key_tables));
    return read_int(*t, "small_key_tables", ctx, 0, 10'000'000, config_.small_key_tables);
  }

  ServerConfig& config_;
};

}  // namespace

base::Result<ServerConfig> parse_server_config(std::string_view text, std::string_view file) {
  BGPSEC_ASSIGN_OR_RETURN(const toml::table root, service::parse_toml(text, file));
  ServerConfig config;
  Parser parser(file, config);
  BGPSEC_TRY(parser.run(root));
  return config;
}

base::Result<ServerConfig> load_server_config(const std::string& path) {
  BGPSEC_ASSIGN_OR_RETURN(const std::string text, service::read_config_text(path));
  return parse_server_config(text, path);
}

std::string to_normal_form(const ServerConfig& c) {
  std::ostringstream o;
  std::vector<std::string> listen;
  for (const auto& endpoint : c.listen) {
    listen.push_back(endpoint.to_string());
  }
  std::vector<std::string> allow;
  for (const auto& prefix : c.allow) {
    allow.push_back(prefix.to_string());
  }
  o << "[server]\n";
  o << "listen = " << service::string_array(listen) << "\n";
  o << "allow = " << service::string_array(allow) << "\n";
  o << "keep_window = " << c.keep_window.count() << "\n";
  o << "max_updates_per_router = " << c.max_updates_per_router << "\n";
  o << "max_updates = " << c.max_updates << "\n";
  o << "max_routers = " << c.max_routers << "\n";
  o << "log_level = " << service::quote(service::log_level_name(c.log_level)) << "\n\n";
  o << service::control_and_metrics_normal_form(c.control_socket, c.control_tcp, c.metrics_listen);
  o << service::rpki_normal_form(c.rpki);
  o << "[bgpsec]\n";
  o << "key_dir = " << service::quote(c.keys.key_dir) << "\n";
  o << "validation_threads = " << c.validation_threads << "\n";
  o << "signature_cache_entries = " << c.signature_cache_entries << "\n";
  o << "key_tables = " << c.key_tables << "\n";
  o << "small_key_tables = " << c.small_key_tables << "\n";
  if (!c.keys.active_key.empty()) {
    o << "\n[bgpsec.active_key]\n";
    for (const auto& [asn, ski] : c.keys.active_key) {
      o << asn << " = " << service::quote(ski.to_hex()) << "\n";
    }
  }
  return o.str();
}

}  // namespace bgpsecd::validation_server
