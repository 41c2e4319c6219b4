// SPDX-License-Identifier: BSD-2-Clause
// `bgpsec origin`: route origin validation (RFC 6811) of one (prefix, origin AS) against the
// VRPs of a JSON file or of an RPKI cache, with the VRPs that cover the prefix.
#include <memory>
#include <string>

#include "base/prefix.hpp"
#include "cli_output.hpp"
#include "commands.hpp"
#include "rpki/vrp_table.hpp"
#include "rpki_source.hpp"

namespace bgpsecd::tool {
namespace {

struct OriginArgs {
  std::string prefix;
  std::string origin_as;
  std::string rpki;
  std::string cache;
};

int run_origin(const OriginArgs& args) {
  auto prefix = base::Prefix::parse(args.prefix);
  if (!prefix) {
    return bad_input("--prefix: " + prefix.error().message);
  }
  auto origin = base::parse_asn(args.origin_as);
  if (!origin) {
    return bad_input("--origin-as: " + origin.error().message);
  }
  auto data = load_rpki_source(args.rpki, args.cache);
  if (!data) {
    return bad_input(data.error().message);
  }
  auto table = rpki::VrpTable::build(data->vrps);
  if (!table) {
    return bad_input(table.error().message);
  }
  const auto state = table->validate_origin(*prefix, *origin);
  auto covering = nlohmann::json::array();
  for (const auto& vrp : table->covering(*prefix)) {
    covering.push_back({{"prefix", vrp.prefix.to_string()},
                        {"maxLength", vrp.max_length},
                        {"asn", vrp.asn.value()}});
  }
  print_json({{"origin", rpki::origin_state_name(state)},
              {"prefix", prefix->to_string()},
              {"origin_as", origin->value()},
              {"covering", covering}});
  return state == rpki::OriginState::Valid ? kPositive : kNegative;
}

}  // namespace

Runner add_origin(CLI::App& app) {
  auto args = std::make_shared<OriginArgs>();
  auto* cmd = app.add_subcommand(
      "origin",
      "Route origin validation (RFC 6811) of PREFIX originated by --origin-as, with the VRPs of "
      "an RPKI JSON file or cache. Prints {\"origin\":\"valid\"|\"invalid\"|\"not-found\","
      "\"covering\":[VRPs]}; exit 0 when valid, 1 otherwise.");
  cmd->add_option("--prefix", args->prefix, "the route's prefix")->required();
  cmd->add_option("--origin-as", args->origin_as, "the route's origin AS")->required();
  auto* file = cmd->add_option("--rpki", args->rpki,
                               "RPKI JSON file (rpki-client, StayRTR, "
                               "Routinator)");
  auto* cache = cmd->add_option("--cache", args->cache, "RPKI cache HOST:PORT (RTR)");
  file->excludes(cache);
  cache->excludes(file);
  return {cmd, [args] { return run_origin(*args); }};
}

}  // namespace bgpsecd::tool
