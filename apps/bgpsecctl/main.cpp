// SPDX-License-Identifier: BSD-2-Clause
// bgpsecctl: talks to a running bgpsecd over its control socket (man/bgpsecctl.8.md). Builds
// the request from the command line, prints the daemon's answer as text (control_text.hpp) or,
// with --json, the raw result. Exit codes: 0 ok, 1 the daemon answered with an error, 2 usage
// errors and failures to reach the daemon.
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "base/prefix.hpp"
#include "common/build_identity.hpp"
#include "daemon/control_text.hpp"
#include "mrt_dump.hpp"
#include "service/control_client.hpp"
#include "service/control_server.hpp"
#include "validation_server/server_text.hpp"

namespace {

using bgpsecd::service::ControlResponse;
using nlohmann::json;

constexpr int kExitOk = 0;
constexpr int kExitDaemonError = 1;
constexpr int kExitUsage = 2;
// Routes per `show routes` page: a few milliseconds of the daemon's I/O thread each.
constexpr std::size_t kRoutesPerPage = 2000;

std::string default_socket() {
  if (const char* env = std::getenv("BGPSECCTL_SOCKET"); env != nullptr && *env != '\0') {
    return env;
  }
  return std::string(bgpsecd::service::kDefaultControlSocket);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "bgpsecctl: query and control a running bgpsecd through its control socket.\n"
      "Exit status: 0 ok, 1 the daemon answered with an error, 2 usage error or the daemon\n"
      "could not be reached. See bgpsecctl(8)."};
  app.require_subcommand(1);
  app.footer(
      "Commands:\n"
      "  show neighbors [PEER]\n"
      "  show routes [PREFIX] [--peer PEER] [--received | --advertised]\n"
      "  show rpki\n"
      "  show validation\n"
      "  show bmp\n"
      "  reload\n"
      "  clear neighbor PEER [--soft]\n"
      "  dump mrt FILE\n"
      "bgpsecvd (the validation server; show rpki and reload too):\n"
      "  show routers\n"
      "  show updates [ID]\n"
      "  show server\n"
      "Examples:\n"
      "  bgpsecctl show routes 192.0.2.0/24\n"
      "  bgpsecctl --json show neighbors 127.0.0.2");
  app.set_help_all_flag("--help-all", "Print help for all subcommands and exit");
  app.set_version_flag("--version", bgpsecd::app::version_line("bgpsecctl"));

  std::string socket_path = default_socket();
  bool json_output = false;
  std::string tcp;
  double timeout_s = 30;
  app.add_option("-s,--socket", socket_path,
                 "Control socket of bgpsecd (default: $BGPSECCTL_SOCKET or " +
                     std::string(bgpsecd::service::kDefaultControlSocket) + ")")
      ->type_name("PATH");
  app.add_option(
         "--tcp", tcp,
         "Use the daemon's loopback TCP control listener ADDRESS:PORT instead of the socket "
         "(e.g. 127.0.0.1:7179, [::1]:7179)")
      ->type_name("ADDRESS:PORT");
  app.add_flag("-j,--json", json_output, "Print the daemon's result as JSON instead of text");
  app.add_option("--timeout", timeout_s, "Seconds to wait for the answer")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();

  std::string command;
  json args = json::object();

  // ----- show -----
  auto* show = app.add_subcommand("show", "Show neighbors, routes or RPKI status");
  show->require_subcommand(1);

  std::string nbr_peer;
  auto* show_neighbors = show->add_subcommand(
      "neighbors",
      "Sessions: peer, AS, state, up/down time, prefixes received/accepted/advertised and BGPsec "
      "negotiated per address family and direction");
  show_neighbors->add_option("PEER", nbr_peer, "Only this neighbor (its address)");
  show_neighbors->callback([&] {
    command = bgpsecd::daemon::kCmdShowNeighbors;
    if (!nbr_peer.empty()) {
      args["peer"] = nbr_peer;
    }
  });

  std::string route_prefix;
  std::string route_peer;
  bool received = false;
  bool advertised = false;
  auto* show_routes = show->add_subcommand(
      "routes",
      "Routes with next hop, AS path or Secure_Path (with pCount), path state "
      "(valid/not-valid/unsigned/pending), origin state and best marker; Loc-RIB by default");
  show_routes->add_option("PREFIX", route_prefix, "Only this prefix (e.g. 192.0.2.0/24)")
      ->check([](const std::string& text) {
        const auto prefix = bgpsecd::base::Prefix::parse(text);
        return prefix ? std::string() : "not a prefix: " + prefix.error().message;
      });
  show_routes->add_option("--peer", route_peer,
                          "Only routes from (or, with --advertised, to) PEER");
  auto* received_flag = show_routes->add_flag("--received", received,
                                              "Adj-RIB-In: routes as received, before policy");
  auto* advertised_flag =
      show_routes->add_flag("--advertised", advertised, "Adj-RIB-Out: routes as advertised");
  received_flag->excludes(advertised_flag);
  std::size_t page_size = kRoutesPerPage;
  show_routes
      ->add_option("--page-size", page_size,
                   "Routes per request to the daemon; the answer is the same, fetched in pages "
                   "so that the daemon serves its sessions in between")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}))
      ->capture_default_str();
  show_routes->callback([&] {
    command = bgpsecd::daemon::kCmdShowRoutes;
    if (!route_prefix.empty()) {
      args["prefix"] = route_prefix;
    }
    if (!route_peer.empty()) {
      args["peer"] = route_peer;
    }
    args["table"] = received ? "adj-rib-in" : advertised ? "adj-rib-out" : "loc-rib";
  });

  auto* show_rpki = show->add_subcommand(
      "rpki",
      "RPKI caches (state, session, serial), VRP and router key counts, and our signing keys");
  show_rpki->callback([&] { command = bgpsecd::daemon::kCmdShowRpki; });

  // ----- bgpsecvd -----
  auto* show_validation = show->add_subcommand(
      "validation",
      "bgpsecd: the validation servers ([[validation_server]]) with their state, the routes they "
      "hold for us and the failovers");
  show_validation->callback([&] { command = bgpsecd::daemon::kCmdShowValidation; });

  auto* show_bmp = show->add_subcommand(
      "bmp",
      "bgpsecd: the BMP monitoring stations ([[bmp]]) with their state, messages and octets "
      "sent, reconnects and queue drops");
  show_bmp->callback([&] { command = bgpsecd::daemon::kCmdShowBmp; });

  auto* show_routers = show->add_subcommand(
      "routers",
      "bgpsecvd: connected routers (SRx proxies) with their proxy ID, AS, state, "
      "updates held and PDU counters");
  show_routers->callback([&] { command = bgpsecd::validation_server::kCmdShowRouters; });
  std::uint32_t update_id = 0;
  auto* show_updates = show->add_subcommand(
      "updates",
      "bgpsecvd: how many updates are stored, or one update by its SRx update ID "
      "(prefix, AS path, results, which routers hold it)");
  auto* update_id_option = show_updates->add_option("ID", update_id, "An update ID");
  show_updates->callback([&] {
    command = bgpsecd::validation_server::kCmdShowUpdates;
    if (update_id_option->count() != 0) {
      args["id"] = update_id;
    }
  });
  auto* show_server = show->add_subcommand(
      "server", "bgpsecvd: version, listeners, routers, updates and the validation engine");
  show_server->callback([&] { command = bgpsecd::validation_server::kCmdShowServer; });

  // ----- reload -----
  auto* reload = app.add_subcommand(
      "reload",
      "Re-read the configuration file; a bad file is reported and the running configuration "
      "stays");
  reload->callback([&] { command = bgpsecd::daemon::kCmdReload; });

  // ----- clear -----
  auto* clear = app.add_subcommand("clear", "Reset a session");
  clear->require_subcommand(1);
  std::string clear_peer;
  bool soft = false;
  auto* clear_neighbor = clear->add_subcommand(
      "neighbor", "Reset the session with PEER (with --soft: route refresh, session stays up)");
  clear_neighbor->add_option("PEER", clear_peer, "The neighbor's address")->required();
  clear_neighbor->add_flag("--soft", soft,
                           "Soft reset: ask the peer to resend its routes and re-advertise ours");
  clear_neighbor->callback([&] {
    command = bgpsecd::daemon::kCmdClearNeighbor;
    args["peer"] = clear_peer;
    args["soft"] = soft;
  });

  // ----- dump -----
  auto* dump = app.add_subcommand("dump", "Write the daemon's tables to a file");
  dump->require_subcommand(1);
  std::string mrt_file;
  std::size_t mrt_page_size = kRoutesPerPage;
  auto* dump_mrt = dump->add_subcommand(
      "mrt",
      "The Loc-RIB (every candidate route of every prefix) as MRT TABLE_DUMP_V2 (RFC 6396), "
      "for bgpdump and other MRT tools; FILE '-' is standard output");
  dump_mrt->add_option("FILE", mrt_file, "Where to write the dump")->required();
  dump_mrt
      ->add_option("--page-size", mrt_page_size,
                   "Prefixes per request to the daemon (it serves its sessions in between)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}))
      ->capture_default_str();
  dump_mrt->callback([&] { command = bgpsecd::daemon::kCmdDumpMrt; });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    (void)app.exit(e);
    return kExitUsage;
  }

  const auto timeout = std::chrono::milliseconds(static_cast<std::int64_t>(timeout_s * 1000));
  std::string host;
  std::uint16_t tcp_port = 0;
  if (!tcp.empty()) {
    // ADDRESS:PORT, with brackets around an IPv6 address.
    host = tcp;
    std::string port_text;
    if (const auto colon = tcp.rfind(':'); colon != std::string::npos) {
      host = tcp.substr(0, colon);
      port_text = tcp.substr(colon + 1);
    }
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    char* end = nullptr;
    const unsigned long port = std::strtoul(port_text.c_str(), &end, 10);
    if (port_text.empty() || *end != '\0' || port == 0 || port > 65535) {
      std::cerr << "bgpsecctl: --tcp " << tcp << ": expected ADDRESS:PORT\n";
      return kExitUsage;
    }
    tcp_port = static_cast<std::uint16_t>(port);
  }
  const auto request = [&](const json& request_args) {
    return tcp.empty()
               ? bgpsecd::service::control_request_unix(socket_path, command, request_args, timeout)
               : bgpsecd::service::control_request_tcp(host, tcp_port, command, request_args,
                                                       timeout);
  };
  if (command == bgpsecd::daemon::kCmdDumpMrt) {
    const auto outcome = bgpsecd::app::write_mrt_dump(request, mrt_file, mrt_page_size);
    if (!outcome.ok) {
      std::cerr << "bgpsecctl: dump mrt: " << outcome.error << "\n";
      return outcome.daemon_error ? kExitDaemonError : kExitUsage;
    }
    std::ostream& report = mrt_file == "-" ? std::cerr : std::cout;
    if (json_output) {
      report << outcome.summary.dump(2) << "\n";
    } else {
      report << "wrote " << outcome.summary["prefixes"] << " prefixes, "
             << outcome.summary["entries"] << " routes from " << outcome.summary["peers"]
             << " peers (" << outcome.summary["bytes"] << " bytes) to " << mrt_file << "\n";
    }
    return kExitOk;
  }
  // A route table comes in pages, so that the daemon answers a full table in slices between
  // its other work instead of in one long stall; the pages are joined into one answer here.
  const bool paged = command == bgpsecd::daemon::kCmdShowRoutes && !args.contains("prefix");
  if (paged) {
    args["limit"] = page_size;
  }
  bgpsecd::base::Result<ControlResponse> response = request(args);
  if (paged) {
    while (response && response->ok && response->result.contains("next")) {
      args["after"] = response->result["next"];
      auto page = request(args);
      if (!page || !page->ok) {
        response = std::move(page);
        break;
      }
      for (auto& route : page->result["routes"]) {
        response->result["routes"].push_back(std::move(route));
      }
      if (page->result.contains("next")) {
        response->result["next"] = page->result["next"];
      } else {
        response->result.erase("next");
      }
    }
  }
  if (!response) {
    std::cerr << "bgpsecctl: " << response.error().message << "\n";
    return kExitUsage;
  }
  if (!response->ok) {
    std::cerr << "bgpsecctl: " << command << ": " << response->error << "\n";
    return kExitDaemonError;
  }
  if (json_output) {
    std::cout << response->result.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  } else {
    std::cout << (bgpsecd::validation_server::is_server_command(command)
                      ? bgpsecd::validation_server::render_server_result(command, response->result)
                      : bgpsecd::daemon::render_result(command, response->result));
  }
  return kExitOk;
}
