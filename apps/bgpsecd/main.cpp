// SPDX-License-Identifier: BSD-2-Clause
// bgpsecd: the BGP speaker daemon. Thin: flags, logging, signals; everything else is
// daemon::Speaker (src/daemon/speaker.hpp).
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <asio.hpp>
#include <spdlog/spdlog.h>

#include "common/build_identity.hpp"
#include "daemon/config.hpp"
#include "daemon/speaker.hpp"
#include "service/log_level.hpp"
#include "service/root_refusal.hpp"
#include "service/signal_loop.hpp"

int main(int argc, char** argv) {
  using namespace bgpsecd;
  CLI::App app{
      "bgpsecd: a BGP speaker that signs and validates AS paths (BGPsec, RFC 8205) with router\n"
      "keys and ROAs from RPKI caches (RFC 8210) or files. Runs in the foreground and logs to\n"
      "stderr; SIGHUP (or `bgpsecctl reload`) re-reads the config, SIGINT/SIGTERM stop it.\n"
      "Reference: man/bgpsecd.8.md, man/bgpsecd.conf.5.md; example: etc/bgpsecd.example.toml."};
  app.set_version_flag("--version", app::version_line("bgpsecd"));
  std::string config_path;
  bool check_only = false;
  bool allow_root = false;
  std::string log_level;
  daemon::SpeakerOptions options;
  app.add_option("-c,--config", config_path, "configuration file (TOML)")->required();
  app.add_flag("-n,--check", check_only,
               "check the configuration, print it in normal form and exit (0 ok, 2 errors)");
  app.add_flag("--allow-root", allow_root, service::kAllowRootHelp);
  app.add_option("--log-level", log_level,
                 "override the config's log level: trace, debug, info, warning, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warning", "error"}));
  app.add_flag("-R,--graceful-restart", options.graceful_restart,
               "this start is a graceful restart (RFC 4724): tell every peer (Restart State and "
               "forwarding-preserved bits) and send our routes only after their End-of-RIB or "
               "graceful_restart_time seconds");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "bgpsecd: " << e.what() << " (see bgpsecd --help)\n";
    return 2;
  }

  auto config = daemon::load_config_file(config_path);
  if (!config) {
    std::cerr << "bgpsecd: " << config.error().message << '\n';
    return 2;
  }
  for (const auto& warning : config->warnings) {
    std::cerr << "bgpsecd: warning: " << warning << '\n';
  }
  if (check_only) {
    std::cout << daemon::to_normal_form(*config);
    return 0;
  }
  if (auto refused = service::check_process_not_root(allow_root); !refused) {
    std::cerr << "bgpsecd: " << refused.error().message << '\n';
    return 2;
  }

  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  service::set_log_level(config->global.log_level);
  if (auto level = service::parse_log_level(log_level)) {
    service::set_log_level(*level);
  }

  options.build_version = app::kBuildVersion;
  options.build_revision = app::kBuildRevision;
  spdlog::info("{} starting with {}", app::version_line("bgpsecd"), config_path);
  asio::io_context io;
  daemon::Speaker speaker(io, *config, config_path, options);
  if (auto started = speaker.start(); !started) {
    spdlog::error("cannot start: {}", started.error().message);
    return 1;
  }
  // systemd Type=notify: ready once the listeners and the control socket are up (start()).
  service::SignalLoop signals(
      io, {.ready_status = "AS" + config->global.asn.to_string() + ", " +
                           std::to_string(config->neighbors.size()) + " neighbors",
           .stopping_log = "stopping",
           .reloading_log = "reloading " + config_path,
           .stop = [&speaker] { speaker.stop(); },
           .reload = [&speaker] { return speaker.reload().has_value(); }});
  io.run();
  return 0;
}
