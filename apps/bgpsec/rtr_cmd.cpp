// SPDX-License-Identifier: BSD-2-Clause
// `bgpsec rtr-dump`: connects to an RPKI cache over RTR (version 2 with ASPA, docs/aspa.md §11,
// falling back to RFC 8210 v1 and RFC 6810 v0; --version lowers the start), waits for the
// complete data set (Reset Query ... End of Data) and prints it as rpki-client-style JSON
// (`roas`, `bgpsec_keys`, `provider_authorizations`), the form stayrtr reads. With --updates N it
// stays connected and prints each committed transaction (full loads and deltas) as one JSON
// line, to watch a cache. With several --cache options the caches form one source (preference
// in the order given, failover, merged data: rtr_cache_set.hpp), and what is printed is the
// merged data, or with --updates each change applied to it.
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "cli_output.hpp"
#include "commands.hpp"
#include "rpki/rpki_json.hpp"
#include "rpki/rpki_store.hpp"
#include "rpki/rtr_cache_set.hpp"
#include "rpki/rtr_transport.hpp"
#include "rpki_source.hpp"

namespace bgpsecd::tool {
namespace {

struct RtrDumpArgs {
  std::vector<std::string> caches;
  int failover_after = 10;
  int version = rpki::kRtrMaxVersion;
  int timeout_seconds = 30;
  int updates = 0;
  bool verbose = false;
  rpki::RtrSshConfig ssh;  // for the caches written ssh:HOST:PORT
};

// A --cache value: HOST:PORT over TCP, or ssh:HOST:PORT over SSH (RFC 8210 §9) with the
// --ssh-* options.
base::Result<rpki::RtrCacheConfig> cache_config(const RtrDumpArgs& args, const std::string& text) {
  constexpr std::string_view kSshPrefix = "ssh:";
  const bool ssh = text.starts_with(kSshPrefix);
  auto config = rpki::parse_cache_address(ssh ? text.substr(kSshPrefix.size()) : text);
  if (!config) {
    return base::fail("--cache: " + config.error().message);
  }
  config->max_version = static_cast<std::uint8_t>(args.version);
  if (ssh) {
    if (args.ssh.user.empty() || args.ssh.known_hosts.empty() ||
        (args.ssh.key_file.empty() && args.ssh.password_file.empty())) {
      return base::fail("--cache " + text +
                        ": needs --ssh-user, --ssh-known-hosts and --ssh-key or "
                        "--ssh-password-file");
    }
    config->ssh = args.ssh;
  }
  return config;
}

// docs/aspa.md §2: one record per customer with its providers united (a StayRTR 0.5 cache sends
// one per address family), sorted; a customer without providers is printed as {AS 0}, which
// means the same and is what the cache sent.
std::vector<aspa::AspaRecord> united_aspas(const std::vector<aspa::AspaRecord>& records) {
  std::map<base::Asn, std::set<base::Asn>> by_customer;
  for (const auto& r : records) {
    by_customer[r.customer].insert(r.providers.begin(), r.providers.end());
  }
  std::vector<aspa::AspaRecord> out;
  for (const auto& [customer, providers] : by_customer) {
    out.push_back(aspa::AspaRecord{customer, {providers.begin(), providers.end()}});
    if (out.back().providers.empty()) {
      out.back().providers.emplace_back(0);
    }
  }
  return out;
}

nlohmann::json data_json(rpki::RpkiData data) {
  data.aspas = united_aspas(data.aspas);
  return nlohmann::json::parse(rpki::to_rpki_client_json(data));
}

// Prints `count` transactions as JSON lines; exit 1 when fewer arrive before the timeout.
int follow_cache(const RtrDumpArgs& args) {
  auto config = cache_config(args, args.caches.front());
  if (!config) {
    return bad_input(config.error().message);
  }
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
              [&](const rpki::RtrDropAll& drop) {
                print_json({{"event", "drop-all"},
                            {"reason", drop.reason},
                            {"kind", rpki::rtr_drop_reason_name(drop.kind)}});
                std::cout.flush();
              },
          .on_error_report = nullptr,
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

nlohmann::json vrps_json(const std::vector<rpki::VrpEntry>& vrps) {
  return data_json(rpki::RpkiData{.vrps = vrps, .router_keys = {}})["roas"];
}
nlohmann::json keys_json(const std::vector<rpki::RouterKeyEntry>& keys) {
  return data_json(rpki::RpkiData{.vrps = {}, .router_keys = keys})["bgpsec_keys"];
}
// The customers whose united provider set changed (docs/aspa.md §11.4), as bare numbers.
nlohmann::json aspa_customers_json(const std::vector<base::Asn>& customers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : customers) {
    out.push_back(c.value());
  }
  return out;
}

// Several caches as one source. Without --updates: the merged data once the first change has
// been applied (some cache gave a complete set). With --updates N: N changes as JSON lines.
int run_cache_set(const RtrDumpArgs& args) {
  std::vector<rpki::RtrCacheConfig> configs;
  std::uint8_t preference = 1;
  for (const auto& text : args.caches) {
    auto config = cache_config(args, text);
    if (!config) {
      return bad_input(config.error().message);
    }
    config->preference = preference++;  // the order given is the order of preference
    configs.push_back(*config);
  }
  asio::io_context io;
  rpki::RpkiStore store;
  int seen = 0;
  const int wanted = std::max(args.updates, 1);
  rpki::RtrCacheSet caches(
      io, store, configs,
      rpki::RtrCacheSet::Handlers{
          .on_change =
              [&](const rpki::ChangeSet& change) {
                if (args.updates > 0) {
                  print_json({{"event", "change"},
                              {"vrps_added", vrps_json(change.vrps_added)},
                              {"vrps_removed", vrps_json(change.vrps_removed)},
                              {"keys_added", keys_json(change.keys_added)},
                              {"keys_removed", keys_json(change.keys_removed)},
                              {"aspa_customers", aspa_customers_json(change.aspa_customers)}});
                  std::cout.flush();
                }
                if (++seen >= wanted) {
                  io.stop();
                }
              },
          .on_log =
              [&](rpki::RtrLogLevel, const std::string& line) {
                if (args.verbose) {
                  std::cerr << line << '\n';
                }
              },
      },
      std::chrono::seconds(args.failover_after));
  caches.start();
  asio::steady_timer deadline(io, std::chrono::seconds(args.timeout_seconds));
  deadline.async_wait([&](const asio::error_code& ec) {
    if (!ec) {
      io.stop();
    }
  });
  io.run();
  caches.stop();
  if (seen < wanted) {
    std::cerr << "bgpsec: caches: " << seen << " of " << wanted << " changes within "
              << args.timeout_seconds << " s\n";
    return kNegative;
  }
  if (args.updates == 0) {
    const auto snapshot = store.snapshot();
    rpki::RpkiData data;
    data.vrps = snapshot->vrps.entries();
    snapshot->router_keys.for_each(
        [&](base::Asn asn, const base::Ski& ski, const crypto::PublicKey& key) {
          data.router_keys.push_back(rpki::RouterKeyEntry{asn, ski, key, std::nullopt});
        });
    data.aspas = snapshot->aspas.records();
    print_json(data_json(data));
  }
  return kPositive;
}

}  // namespace

Runner add_rtr_dump(CLI::App& app) {
  auto args = std::make_shared<RtrDumpArgs>();
  auto* cmd = app.add_subcommand(
      "rtr-dump",
      "Fetch the complete data set of an RPKI cache over RTR and print it as rpki-client JSON "
      "(roas, bgpsec_keys, provider_authorizations). Exit 1 when the cache gives no complete "
      "data in time.");
  cmd->add_option("--cache", args->caches,
                  "HOST:PORT ([ADDR]:PORT for IPv6; port 323 default), or ssh:HOST:PORT for RTR "
                  "over SSH (the --ssh-* options). Repeat for several caches, most preferred "
                  "first: they are used as one source with failover")
      ->required();
  cmd->add_option("--ssh-user", args->ssh.user, "user for the ssh: caches");
  cmd->add_option("--ssh-key", args->ssh.key_file,
                  "private key file for the ssh: caches (mode 600 or stricter)");
  cmd->add_option("--ssh-known-hosts", args->ssh.known_hosts,
                  "known_hosts file with the ssh: caches' host keys (required: an unknown key is "
                  "refused)");
  cmd->add_option("--ssh-password-file", args->ssh.password_file,
                  "file with the password for the ssh: caches (mode 600 or stricter)");
  cmd->add_option("--failover-after", args->failover_after,
                  "with several caches: seconds without a usable cache before the next one is "
                  "tried (default 10)")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--version", args->version,
                  "highest RTR version to offer: 2 (with ASPAs, default), 1 (RFC 8210, no ASPAs) "
                  "or 0 (RFC 6810, no router keys); a cache that speaks less is followed down")
      ->check(CLI::Range(0, 2));
  cmd->add_option("--timeout", args->timeout_seconds, "seconds to wait (default 30)")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--updates", args->updates,
                  "stay connected and print N transactions (full loads and deltas) as JSON "
                  "lines, then exit")
      ->check(CLI::Range(1, 1000000));
  cmd->add_flag("-v,--verbose", args->verbose, "log the RTR exchange on stderr");
  return {cmd, [args] {
            for (const auto& cache : args->caches) {
              if (auto address = cache_config(*args, cache); !address) {
                return bad_input(address.error().message);
              }
            }
            // One ssh: cache goes through the cache set too: it prints the same data.
            if (args->caches.size() > 1 || cache_config(*args, args->caches.front())->ssh) {
              return run_cache_set(*args);
            }
            if (args->updates > 0) {
              return follow_cache(*args);
            }
            auto data =
                fetch_from_cache(args->caches.front(), args->version,
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
