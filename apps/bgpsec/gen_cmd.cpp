// SPDX-License-Identifier: BSD-2-Clause
// `bgpsec gen`: a synthetic signed full table for benchmarks (bgpsec/synthetic_table.hpp,
// bgpsec/table_signer.hpp): DIR/updates.bin (the BGP UPDATEs the peer sends, back to back),
// DIR/rpki.json (router keys and ROAs that make every route Valid) and, per --also-peer-as,
// DIR/updates-<n>.bin with the same routes from another sender. With --as-paths FILE the
// prefixes and AS paths come from an MRT file instead (bgpsec/real_path_table.hpp).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bgpsec/key_directory.hpp"
#include "bgpsec/real_path_table.hpp"
#include "bgpsec/synthetic_table.hpp"
#include "bgpsec/table_signer.hpp"
#include "cli_output.hpp"
#include "commands.hpp"
#include "mrt/routes.hpp"
#include "rpki/json_input.hpp"
#include "rpki/rpki_json.hpp"

namespace bgpsecd::tool {
namespace {

struct GenArgs {
  std::string target_as;
  std::string peer_as;
  std::vector<std::string> also_peer_as;
  std::size_t prefixes = bgpsec::kFullTablePrefixes;
  unsigned ipv4_permille = 820;
  std::size_t ases = 0;
  std::size_t transit = 0;
  std::uint64_t seed = 1;
  unsigned threads = 0;
  std::string out;
  std::string next_hop4 = "192.0.2.1";
  std::string next_hop6 = "2001:db8::1";
  bool write_keys = false;
  std::string as_paths;  // an MRT file: real prefixes and AS paths instead of synthetic ones
  std::optional<std::uint16_t> mrt_peer;
};

// updates.bin for the first sender, updates-1.bin, updates-2.bin, ... for the others.
std::string updates_name(std::size_t sender) {
  return sender == 0 ? "updates.bin" : "updates-" + std::to_string(sender) + ".bin";
}

base::Result<void> write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) {
    return base::fail("cannot write " + path.string());
  }
  return {};
}

base::Result<void> write_keys(const std::filesystem::path& dir, const bgpsec::SyntheticTable& table,
                              const bgpsec::TableKeys& keys, const bgpsec::SignedTableSpec& spec) {
  for (std::size_t i = 0; i < table.ases.size(); ++i) {
    BGPSEC_TRY(bgpsec::write_key(dir, table.ases[i], keys.as_key(i).key()));
  }
  for (std::size_t i = 0; i < spec.senders.size(); ++i) {
    BGPSEC_TRY(bgpsec::write_key(dir, spec.senders[i], keys.sender_key(i).key()));
  }
  return {};
}

// The table from the routes of an MRT file (TABLE_DUMP_V2 or BGP4MP): at most --prefixes of
// them, in file order. `report` gets what was read, kept and skipped, for the summary.
base::Result<bgpsec::SyntheticTable> table_from_mrt(const GenArgs& args,
                                                    std::span<const base::Asn> reserved,
                                                    nlohmann::json& report) {
  BGPSEC_ASSIGN_OR_RETURN(auto text, rpki::json_input::read_file(args.as_paths));
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(text.data()),
                                            text.size());
  // The collectors publish .gz and .bz2 files; reading them is left to gunzip and bunzip2.
  if ((bytes.size() >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B) ||
      (bytes.size() >= 3 && bytes[0] == 'B' && bytes[1] == 'Z' && bytes[2] == 'h')) {
    return base::fail(args.as_paths + ": compressed; decompress it first (gunzip, bunzip2)");
  }
  mrt::RouteScan scan;
  scan.peer_index = args.mrt_peer;
  auto set = mrt::collect_routes(bytes, scan);
  if (!set) {
    return base::fail(args.as_paths + ": " + set.error().message);
  }
  if (args.mrt_peer && (!set->peer_count || *args.mrt_peer >= *set->peer_count)) {
    return base::fail(args.as_paths + ": --mrt-peer: no peer index " +
                      std::to_string(*args.mrt_peer) + " in the PEER_INDEX_TABLE (" +
                      std::to_string(set->peer_count.value_or(0)) + " peers)");
  }
  bgpsec::RealPathStats stats;
  BGPSEC_ASSIGN_OR_RETURN(
      auto table, bgpsec::make_real_path_table(set->routes, reserved, args.prefixes, stats));
  report = {{"file", args.as_paths},
            {"records", set->records},
            {"skipped_records", set->skipped_records},
            {"malformed_records", set->malformed_records},
            {"routes", set->routes.size()},
            {"repeated_prefixes", set->repeated_prefixes},
            {"without_as_path", set->without_as_path},
            {"kept", stats.kept},
            {"with_as_set", stats.with_set},
            {"with_confed", stats.with_confed},
            {"with_as0", stats.with_as0},
            {"with_reserved_as", stats.with_reserved},
            {"empty_path", stats.empty},
            {"with_prepend", stats.prepends},
            {"distinct_paths", table.paths.size()}};
  if (args.mrt_peer) {
    report["mrt_peer"] = *args.mrt_peer;
  }
  if (set->first_error) {
    report["first_error"] = *set->first_error;
  }
  return table;
}

int run_gen(const GenArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  auto target = base::parse_asn(args.target_as);
  if (!target) {
    return bad_input("--target-as: " + target.error().message);
  }
  bgpsec::SignedTableSpec sign_spec;
  sign_spec.target_as = *target;
  std::vector<std::string> peers{args.peer_as};
  peers.insert(peers.end(), args.also_peer_as.begin(), args.also_peer_as.end());
  for (const auto& text : peers) {
    auto asn = base::parse_asn(text);
    if (!asn) {
      return bad_input("peer AS '" + text + "': " + asn.error().message);
    }
    if (*asn == *target) {
      return bad_input("a peer AS equal to --target-as would be iBGP; BGPsec signs for eBGP");
    }
    sign_spec.senders.push_back(*asn);
  }
  auto nh4 = base::IpAddress::parse(args.next_hop4);
  auto nh6 = base::IpAddress::parse(args.next_hop6);
  if (!nh4 || nh4->afi() != base::Afi::Ipv4) {
    return bad_input("--next-hop4: not an IPv4 address");
  }
  if (!nh6 || nh6->afi() != base::Afi::Ipv6) {
    return bad_input("--next-hop6: not an IPv6 address");
  }
  sign_spec.next_hop4 = *nh4;
  sign_spec.next_hop6 = *nh6;
  sign_spec.seed = args.seed;
  sign_spec.threads =
      args.threads != 0 ? args.threads : std::max(1U, std::thread::hardware_concurrency());

  bgpsec::SyntheticTableSpec table_spec;
  table_spec.prefixes = args.prefixes;
  table_spec.ipv4_permille = args.ipv4_permille;
  table_spec.as_count = args.ases;
  table_spec.transit_count = args.transit;
  table_spec.seed = args.seed;
  table_spec.reserved = sign_spec.senders;
  table_spec.reserved.push_back(*target);
  nlohmann::json as_paths_report;
  auto table = args.as_paths.empty() ? bgpsec::make_synthetic_table(table_spec)
                                     : table_from_mrt(args, table_spec.reserved, as_paths_report);
  if (!table) {
    return bad_input(table.error().message);
  }

  const std::filesystem::path dir(args.out);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return bad_input("cannot create " + dir.string() + ": " + ec.message());
  }
  auto keys = bgpsec::TableKeys::derive(*table, sign_spec);
  if (!keys) {
    return bad_input(keys.error().message);
  }
  if (auto written = write_text(dir / "rpki.json",
                                rpki::to_rpki_client_json(keys->rpki_data(*table, sign_spec)));
      !written) {
    return bad_input(written.error().message);
  }
  if (args.write_keys) {
    if (auto written = write_keys(dir / "keys", *table, *keys, sign_spec); !written) {
      return bad_input(written.error().message);
    }
  }

  std::vector<std::unique_ptr<std::FILE, int (*)(std::FILE*)>> files;
  nlohmann::json names = nlohmann::json::array();
  for (std::size_t s = 0; s < sign_spec.senders.size(); ++s) {
    const auto path = dir / updates_name(s);
    files.emplace_back(std::fopen(path.c_str(), "wb"), &std::fclose);
    if (!files.back()) {
      return bad_input("cannot create " + path.string());
    }
    names.push_back({{"file", path.string()}, {"peer_as", sign_spec.senders[s].value()}});
  }
  auto stats = bgpsec::sign_table(
      *table, *keys, sign_spec,
      [&](std::size_t sender, std::span<const std::uint8_t> messages) -> base::Result<void> {
        if (std::fwrite(messages.data(), 1, messages.size(), files[sender].get()) !=
            messages.size()) {
          return base::fail("cannot write " + (dir / updates_name(sender)).string());
        }
        return {};
      });
  if (!stats) {
    return bad_input(stats.error().message);
  }
  for (std::size_t s = 0; s < files.size(); ++s) {
    if (std::fclose(files[s].release()) != 0) {
      return bad_input("cannot write " + (dir / updates_name(s)).string());
    }
  }

  std::size_t ipv4 = 0;
  std::size_t hops = 0;
  for (std::size_t i = 0; i < table->routes.size(); ++i) {
    if (table->routes[i].prefix.afi() == base::Afi::Ipv4) {
      ++ipv4;
    }
    hops += table->hops(i);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  nlohmann::json summary = {
      {"prefixes", table->routes.size()},
      {"ipv4", ipv4},
      {"ipv6", table->routes.size() - ipv4},
      {"ases", table->ases.size() + sign_spec.senders.size()},
      {"transit_ases", table->transit_count},
      {"signature_hops", hops},  // Signature_Segments per peer's table
      {"mean_path_length", static_cast<double>(hops) / static_cast<double>(table->routes.size())},
      {"signatures", stats->signatures},
      {"bytes", stats->bytes},
      {"threads", sign_spec.threads},
      {"seconds", seconds},
      {"signatures_per_second", static_cast<double>(stats->signatures) / seconds},
      {"updates", names},
      {"rpki", (dir / "rpki.json").string()}};
  if (!args.as_paths.empty()) {
    summary["as_paths"] = as_paths_report;
  }
  print_json(summary);
  return kPositive;
}

}  // namespace

Runner add_gen(CLI::App& app) {
  auto args = std::make_shared<GenArgs>();
  auto* cmd = app.add_subcommand(
      "gen",
      "Write a synthetic signed table for benchmarks: DIR/updates.bin (one BGPsec UPDATE per "
      "prefix, as --peer-as sends them to --target-as), DIR/rpki.json (router keys of every AS "
      "and a ROA per route, so every route is Valid) and one DIR/updates-<n>.bin per "
      "--also-peer-as. Keys are derived from --seed: for labs only. Prints a JSON summary.");
  cmd->add_option("--target-as", args->target_as, "AS receiving the table (the router under test)")
      ->required();
  cmd->add_option("--peer-as", args->peer_as, "AS sending the table (the newest signer)")
      ->required();
  cmd->add_option("--also-peer-as", args->also_peer_as,
                  "the same routes also from this AS, into DIR/updates-<n>.bin (repeatable; "
                  "--peer-as again means a second router of that AS, with its own key)");
  cmd->add_option("--prefixes", args->prefixes,
                  "number of prefixes (default 1270000; with --as-paths: at most this many)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{20'000'000}));
  auto* as_paths = cmd->add_option(
      "--as-paths", args->as_paths,
      "take prefixes and AS paths from this MRT file (TABLE_DUMP_V2 RIB dump or BGP4MP "
      "updates, uncompressed): real path lengths, prepends and shared ASes; paths with an "
      "AS_SET, a confederation segment, AS 0 or --target-as / a peer AS are skipped");
  cmd->add_option("--mrt-peer", args->mrt_peer,
                  "with --as-paths and a RIB dump: only the routes of this PEER_INDEX_TABLE "
                  "index (default: the first route of every prefix, whichever peer)")
      ->needs(as_paths);
  cmd->add_option("--ipv4-permille", args->ipv4_permille, "IPv4 share of prefixes (default 820)")
      ->check(CLI::Range(0U, 1000U))
      ->excludes(as_paths);
  cmd->add_option("--ases", args->ases, "ASes in the table (default: 78000 scaled to --prefixes)")
      ->excludes(as_paths);
  cmd->add_option("--transit-ases", args->transit, "transit ASes among them (default: a twentieth)")
      ->excludes(as_paths);
  cmd->add_option("--seed", args->seed, "seed of the table and of the keys (default 1)");
  cmd->add_option("--threads", args->threads, "signing threads (default: all cores)");
  cmd->add_option("--next-hop4", args->next_hop4, "next hop of IPv4 routes (default 192.0.2.1)");
  cmd->add_option("--next-hop6", args->next_hop6, "next hop of IPv6 routes (default 2001:db8::1)");
  cmd->add_flag("--write-keys", args->write_keys,
                "also write every private key to DIR/keys/<asn>.<SKI>.pem");
  cmd->add_option("--out", args->out, "output directory (created if missing)")->required();
  return {cmd, [args] { return run_gen(*args); }};
}

}  // namespace bgpsecd::tool
