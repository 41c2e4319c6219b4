// SPDX-License-Identifier: BSD-2-Clause
// `bgpsec aspa`: ASPA path verification (docs/aspa.md) of one AS_PATH, written as BGP prints it,
// against the ASPAs of an RPKI JSON file, with the hop that failed.
#include <memory>
#include <optional>
#include <string>

#include "aspa/verify.hpp"
#include "cli_output.hpp"
#include "commands.hpp"
#include "rpki/rpki_json.hpp"
#include "rpki_source.hpp"
#include "wire/as_path_text.hpp"

namespace bgpsecd::tool {
namespace {

struct AspaArgs {
  std::string as_path;
  std::string direction;
  std::string neighbor_as;
  std::string rpki;
  std::string cache;
};

nlohmann::json hop_json(const aspa::Hop& hop) {
  return {{"index", hop.index},
          {"customer", hop.customer.value()},
          {"provider", hop.provider.value()},
          {"authorization", aspa::authorization_name(hop.authorization)}};
}

int run_aspa(const AspaArgs& args) {
  auto path = wire::parse_as_path_text(args.as_path);
  if (!path) {
    return bad_input("--as-path: " + path.error().message);
  }
  aspa::VerifyOptions options;
  options.direction = args.direction == "up" || args.direction == "upstream"
                          ? aspa::Direction::Upstream
                          : aspa::Direction::Downstream;
  if (!args.neighbor_as.empty()) {
    auto neighbor = base::parse_asn(args.neighbor_as);
    if (!neighbor) {
      return bad_input("--neighbor-as: " + neighbor.error().message);
    }
    options.neighbor_as = *neighbor;
  }
  auto data = load_rpki_source(args.rpki, args.cache);
  if (!data) {
    return bad_input(data.error().message);
  }
  const auto table = aspa::AspaTable::build(data->aspas);
  const auto verdict = aspa::verify(table, *path, options);
  nlohmann::json out = {{"aspa", aspa::aspa_state_name(verdict.state)},
                        {"direction", aspa::direction_name(options.direction)},
                        {"as_path", wire::as_path_to_text(*path)},
                        {"path_length", verdict.path_length}};
  if (verdict.reason != aspa::AspaReason::None) {
    out["reason"] = aspa::aspa_reason_name(verdict.reason);
  }
  if (verdict.up_hop) {
    out["up_hop"] = hop_json(*verdict.up_hop);
  }
  if (verdict.down_hop) {
    out["down_hop"] = hop_json(*verdict.down_hop);
  }
  print_json(out);
  return verdict.state == aspa::AspaState::Valid ? kPositive : kNegative;
}

}  // namespace

Runner add_aspa(CLI::App& app) {
  auto args = std::make_shared<AspaArgs>();
  auto* cmd = app.add_subcommand(
      "aspa",
      "ASPA path verification (draft-ietf-sidrops-aspa-verification) of --as-path with the "
      "ASPAs of an RPKI JSON file. Prints {\"aspa\":\"valid\"|\"invalid\"|\"unknown\", ...} with "
      "the hop that failed; exit 0 when valid, 1 otherwise.");
  cmd->add_option("--as-path", args->as_path,
                  "the AS_PATH as BGP prints it, neighbor first, origin last; prepends "
                  "allowed, {a,b} is an AS_SET")
      ->required();
  cmd->add_option("--direction", args->direction,
                  "up: received from a customer, lateral peer or route server; down: from a "
                  "provider")
      ->required()
      ->check(CLI::IsMember({"up", "down", "upstream", "downstream"}));
  cmd->add_option("--neighbor-as", args->neighbor_as,
                  "the neighbor's AS: the path's most recent AS must be it (left out: not "
                  "checked, as for a route server client)");
  auto* file =
      cmd->add_option("--rpki", args->rpki, "RPKI JSON file with ASPAs (rpki-client, StayRTR)");
  auto* cache = cmd->add_option("--cache", args->cache,
                                "RPKI cache HOST:PORT (RTR version 2, which carries ASPAs)");
  file->excludes(cache);
  cache->excludes(file);
  return {cmd, [args] { return run_aspa(*args); }};
}

}  // namespace bgpsecd::tool
