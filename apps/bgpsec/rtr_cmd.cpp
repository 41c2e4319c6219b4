// `bgpsec rtr-dump`: connects to an RPKI cache over RTR (RFC 8210 v1, or v0 with --version 0),
// waits for the complete data set (Reset Query ... End of Data) and prints it as
// rpki-client-style JSON (`roas`, `bgpsec_keys`), the form stayrtr reads. With --updates N it
// stays connected and prints each committed transaction (full loads and deltas) as one JSON
// line, to watch a cache.
#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include "cli_output.hpp"
#include "commands.hpp"
#include "rpki/rpki_json.hpp"
#include "rpki/rtr_transport.hpp"

namespace bgpsecd::tool {
namespace {

struct RtrDumpArgs {
  std::string cache;
  int version = rpki::kRtrVersion1;
  int timeout_seconds = 30;
  int updates = 0;
  bool verbose = false;
};

nlohmann::json data_json(const rpki::RpkiData& data) {
  return nlohmann::json::parse(rpki::to_rpki_client_json(data));
}

// Prints `count` transactions as JSON lines; exit 1 when fewer arrive before the timeout.
int follow_cache(const RtrDumpArgs& args) {
  auto config = rpki::parse_cache_address(args.cache);
  if (!config) {
    return bad_input("--cache: " + config.error().message);
  }
  config->max_version = static_cast<std::uint8_t>(args.version);
  asio::io_context io;
  int seen = 0;
  std::shared_ptr<rpki::RtrTcpSession> session;
  session = std::make_shared<rpki::RtrTcpSession>(
      io, *config,
      rpki::RtrTcpSession::Handlers{
          .on_update =
              [&](const rpki::RtrDataUpdate& update) {
                print_json({{"event", update.reset ? "full" : "delta"},
                            {"session_id", update.session_id},
                            {"serial", update.serial},
                            {"announced", data_json(update.announced)},
                            {"withdrawn", data_json(update.withdrawn)}});
                std::cout.flush();
                if (++seen >= args.updates) {
                  session->stop();
                  io.stop();
                }
              },
          .on_drop_all =
              [&](const std::string& reason) {
                print_json({{"event", "drop-all"}, {"reason", reason}});
                std::cout.flush();
              },
          .on_log =
              [&](rpki::RtrLogLevel, const std::string& line) {
                if (args.verbose) {
                  std::cerr << line << '\n';
                }
              },
      });
  session->start();
  asio::steady_timer deadline(io, std::chrono::seconds(args.timeout_seconds));
  deadline.async_wait([&](const asio::error_code& ec) {
    if (!ec) {
      session->stop();
      io.stop();
    }
  });
  io.run();
  if (seen < args.updates) {
    std::cerr << "bgpsec: cache " << config->name() << ": " << seen << " of " << args.updates
              << " updates within " << args.timeout_seconds << " s\n";
    return kNegative;
  }
  return kPositive;
}

}  // namespace

// The complete data set of one cache, or an error after `timeout`. Shared with `origin`.
base::Result<rpki::RpkiData> fetch_from_cache(const std::string& address, int version,
                                              std::chrono::seconds timeout, bool verbose) {
  auto config = rpki::parse_cache_address(address);
  if (!config) {
    return base::fail(config.error().message);
  }
  config->max_version = static_cast<std::uint8_t>(version);
  asio::io_context io;
  std::optional<rpki::RpkiData> data;
  std::string last_problem = "no answer";
  std::shared_ptr<rpki::RtrTcpSession> session;
  session = std::make_shared<rpki::RtrTcpSession>(
      io, *config,
      rpki::RtrTcpSession::Handlers{
          .on_update =
              [&](const rpki::RtrDataUpdate& update) {
                if (update.reset) {
                  data = update.announced;
                  session->stop();
                  io.stop();
                }
              },
          .on_drop_all = [&](const std::string& reason) { last_problem = reason; },
          .on_log =
              [&](rpki::RtrLogLevel level, const std::string& line) {
                if (level != rpki::RtrLogLevel::Debug) {
                  last_problem = line;
                }
                if (verbose) {
                  std::cerr << line << '\n';
                }
              },
      });
  session->start();
  asio::steady_timer deadline(io, timeout);
  deadline.async_wait([&](const asio::error_code& ec) {
    if (!ec) {
      session->stop();
      io.stop();
    }
  });
  io.run();
  if (!data) {
    return base::fail("cache " + config->name() + ": no complete data within " +
                      std::to_string(timeout.count()) + " s (last: " + last_problem + ")");
  }
  return *data;
}

Runner add_rtr_dump(CLI::App& app) {
  auto args = std::make_shared<RtrDumpArgs>();
  auto* cmd = app.add_subcommand(
      "rtr-dump",
      "Fetch the complete data set of an RPKI cache over RTR and print it as rpki-client JSON "
      "(roas, bgpsec_keys). Exit 1 when the cache gives no complete data in time.");
  cmd->add_option("--cache", args->cache, "HOST:PORT ([ADDR]:PORT for IPv6; port 323 default)")
      ->required();
  cmd->add_option("--version", args->version,
                  "highest RTR version to offer: 1 (RFC 8210, "
                  "default) or 0 (RFC 6810, no router keys)")
      ->check(CLI::Range(0, 1));
  cmd->add_option("--timeout", args->timeout_seconds, "seconds to wait (default 30)")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--updates", args->updates,
                  "stay connected and print N transactions (full loads and deltas) as JSON "
                  "lines, then exit")
      ->check(CLI::Range(1, 1000000));
  cmd->add_flag("-v,--verbose", args->verbose, "log the RTR exchange on stderr");
  return {cmd, [args] {
            if (auto address = rpki::parse_cache_address(args->cache); !address) {
              return bad_input("--cache: " + address.error().message);
            }
            if (args->updates > 0) {
              return follow_cache(*args);
            }
            auto data =
                fetch_from_cache(args->cache, args->version,
                                 std::chrono::seconds(args->timeout_seconds), args->verbose);
            if (!data) {
              std::cerr << "bgpsec: " << data.error().message << '\n';
              return static_cast<int>(kNegative);
            }
            print_json(data_json(*data));
            return static_cast<int>(kPositive);
          }};
}

}  // namespace bgpsecd::tool
