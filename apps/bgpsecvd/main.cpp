// SPDX-License-Identifier: BSD-2-Clause
// bgpsecvd: the off-router BGPsec validation and signing server (RFC 8374 §9.3) that routers
// reach over NIST's SRx proxy protocol 3. Thin: flags, logging, signals; everything else is
// validation_server::ValidationServer (src/validation_server/server.hpp).
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <asio.hpp>
#include <spdlog/spdlog.h>

#include "common/build_identity.hpp"
#include "service/root_refusal.hpp"
#include "service/signal_loop.hpp"
#include "validation_server/server.hpp"
#include "validation_server/server_config.hpp"

namespace {

using bgpsecd::validation_server::ServerConfig;

// The lab flags override the file's values (or the defaults, without -c).
struct Overrides {
  std::vector<std::string> listen;
  std::vector<std::string> rpki;
  std::string key_dir;
  std::string control_socket;
  std::string metrics;
  int keep_window = -1;
  long long max_updates_per_router = -1;
  std::string log_level;
};

bgpsecd::base::Result<void> apply(const Overrides& o, ServerConfig& config) {
  using bgpsecd::service::parse_endpoint;
  if (!o.listen.empty()) {
    config.listen.clear();
    for (const auto& text : o.listen) {
      auto endpoint = parse_endpoint(text, bgpsecd::validation_server::kDefaultServerPort);
      if (!endpoint) {
        return bgpsecd::base::fail("--listen " + endpoint.error().message);
      }
      config.listen.push_back(*endpoint);
    }
  }
  if (!o.rpki.empty()) {
    config.rpki.files = o.rpki;
  }
  if (!o.key_dir.empty()) {
    config.keys.key_dir = o.key_dir;
  }
  if (!o.control_socket.empty()) {
    config.control_socket = o.control_socket == "none" ? "" : o.control_socket;
  }
  if (!o.metrics.empty()) {
    if (o.metrics == "none") {
      config.metrics_listen.reset();
    } else {
      auto endpoint =
          parse_endpoint(o.metrics, bgpsecd::validation_server::kDefaultServerMetricsPort);
      if (!endpoint) {
        return bgpsecd::base::fail("--metrics " + endpoint.error().message);
      }
      config.metrics_listen = *endpoint;
    }
  }
  if (o.keep_window >= 0) {
    config.keep_window = std::chrono::seconds(o.keep_window);
  }
  if (!o.log_level.empty()) {
    if (auto level = bgpsecd::service::parse_log_level(o.log_level)) {
      config.log_level = *level;
    }
  }
  if (o.max_updates_per_router > 0) {
    config.max_updates_per_router = static_cast<std::size_t>(o.max_updates_per_router);
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bgpsecd;
  CLI::App app{
      "bgpsecvd: an off-router BGPsec validation and signing server (RFC 8374 §9.3) for routers\n"
      "that speak NIST's SRx proxy protocol 3 (QuaggaSRx, GoBGPsec): origin (RFC 6811) and path\n"
      "(RFC 8205) results for their updates, pushed again when ROAs or router keys change, and\n"
      "signatures made with the AS's router keys. Runs in the foreground and logs to stderr;\n"
      "SIGHUP (or `bgpsecctl reload`) re-reads the RPKI files and keys, SIGINT/SIGTERM stop it.\n"
      "Reference: man/bgpsecvd.8.md; example: etc/bgpsecvd.example.toml."};
  app.set_version_flag("--version", app::version_line("bgpsecvd"));
  std::string config_path;
  bool check_only = false;
  bool allow_root = false;
  Overrides overrides;
  app.add_option("-c,--config", config_path,
                 "configuration file (TOML); without it, the lab "
                 "flags below and the defaults");
  app.add_flag("-n,--check", check_only,
               "check the configuration, print it in normal form and exit (0 ok, 2 errors)");
  app.add_flag("--allow-root", allow_root, service::kAllowRootHelp);
  app.add_option("--listen", overrides.listen,
                 "ADDR[:PORT] to accept routers on (default port 17900); repeatable; replaces "
                 "[server] listen");
  app.add_option("--rpki", overrides.rpki,
                 "rpki-client / StayRTR JSON file with ROAs and router keys; repeatable; "
                 "replaces [rpki] files");
  app.add_option("--key-dir", overrides.key_dir,
                 "directory of router keys (bgpsec keygen) to sign with, for every AS in it");
  app.add_option("--control-socket", overrides.control_socket,
                 "control socket path for bgpsecctl (\"none\": no socket)");
  app.add_option(
      "--metrics", overrides.metrics,
      "ADDR[:PORT] for Prometheus /metrics (default port 9180; \"none\": off; without -c off "
      "unless given)");
  app.add_option("--keep-window", overrides.keep_window,
                 "seconds an update is kept after the last router let go of it (default 900)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--max-updates-per-router", overrides.max_updates_per_router,
                 "updates one router may hold (default 4000000)")
      ->check(CLI::PositiveNumber);
  app.add_option("--log-level", overrides.log_level,
                 "override the config's log level: trace, debug, info, warning, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warning", "error"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "bgpsecvd: " << e.what() << " (see bgpsecvd --help)\n";
    return 2;
  }
  if (config_path.empty() && overrides.listen.empty() && overrides.rpki.empty()) {
    std::cerr << "bgpsecvd: give -c FILE, or --listen and --rpki (see bgpsecvd --help)\n";
    return 2;
  }

  // The file (or the defaults) with the flags on top; a reload reads both again.
  const validation_server::ConfigSource source{
      config_path.empty() ? std::string("the command line") : config_path,
      [config_path, overrides]() -> base::Result<ServerConfig> {
        base::Result<ServerConfig> config = ServerConfig{};
        if (config_path.empty()) {
          // A lab start serves metrics only when asked (--metrics): several lab servers on one
          // machine must not fight over the default port.
          config->metrics_listen.reset();
        } else {
          config = validation_server::load_server_config(config_path);
        }
        if (config) {
          BGPSEC_TRY(apply(overrides, *config));
        }
        return config;
      }};
  auto config = source.load();
  if (!config) {
    std::cerr << "bgpsecvd: " << config.error().message << '\n';
    return 2;
  }
  for (const auto& warning : config->warnings) {
    std::cerr << "bgpsecvd: warning: " << warning << '\n';
  }
  if (check_only) {
    std::cout << validation_server::to_normal_form(*config);
    return 0;
  }
  if (auto refused = service::check_process_not_root(allow_root); !refused) {
    std::cerr << "bgpsecvd: " << refused.error().message << '\n';
    return 2;
  }

  // The level is the config's (or --log-level's); the server sets it when it starts.
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::info(
      "{} starting{}", app::version_line("bgpsecvd"),
      config_path.empty() ? std::string(" without a config file") : " with " + config_path);
  asio::io_context io;
  validation_server::ValidationServer server(
      io, *config, source,
      validation_server::ServerIdentity{app::kBuildVersion, app::kBuildRevision});
  if (auto started = server.start(); !started) {
    spdlog::error("cannot start: {}", started.error().message);
    return 1;
  }
  // systemd Type=notify: ready once the SRx listeners and the control socket are up.
  service::SignalLoop signals(io, {.ready_status = "serving SRx proxy protocol 3",
                                   .stopping_log = "stopping (GOODBYE to every router)",
                                   .reloading_log = "reloading",
                                   .stop = [&server] { server.stop(); },
                                   .reload =
                                       [&server] {
                                         if (auto reloaded = server.reload(); !reloaded) {
                                           spdlog::error("reload failed, nothing changed: {}",
                                                         reloaded.error().message);
                                           return false;
                                         }
                                         return true;
                                       }});
  io.run();
  return 0;
}
