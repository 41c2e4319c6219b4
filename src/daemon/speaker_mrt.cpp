// SPDX-License-Identifier: BSD-2-Clause
// `bgpsecctl dump mrt FILE`: the Loc-RIB as MRT TABLE_DUMP_V2 (RFC 6396 §4.3), every candidate
// route of every prefix (the best first), for bgpdump, bgpscanner and the other MRT tools. The
// daemon answers a page at a time, like `show routes`, so that a full table does not hold its
// I/O thread: each answer carries the PEER_INDEX_TABLE record (the client writes it once and
// checks that it stays the same), the RIB records of up to `limit` prefixes numbered from
// `sequence`, and the prefix to go on after. Peer index 0 is this router (our own networks),
// then the neighbors in the order `show neighbors` lists them. A BGPsec route keeps its
// BGPsec_PATH and gets the AS_PATH rebuilt from its Secure_Path beside it (mrt/table_dump.hpp).
#include <chrono>
#include <map>

#include "base/hex.hpp"
#include "bgpsec/as_path_rebuild.hpp"
#include "daemon/speaker_neighbor.hpp"
#include "mrt/table_dump.hpp"

namespace bgpsecd::daemon {

namespace {

// Positive integer argument `key`, `fallback` when absent.
base::Result<std::size_t> count_arg(const nlohmann::json& args, const char* key,
                                    std::size_t fallback, bool allow_zero) {
  if (!args.contains(key)) {
    return fallback;
  }
  const auto& value = args[key];
  if (!value.is_number_unsigned() || (!allow_zero && value.get<std::size_t>() == 0)) {
    return base::fail(std::string("'") + key + "' must be a " +
                      (allow_zero ? "number" : "positive number"));
  }
  return value.get<std::size_t>();
}

}  // namespace

base::Result<nlohmann::json> Speaker::dump_mrt(const nlohmann::json& args) const {
  constexpr std::size_t kDefaultLimit = 2000;
  BGPSEC_ASSIGN_OR_RETURN(const std::size_t limit, count_arg(args, "limit", kDefaultLimit, false));
  BGPSEC_ASSIGN_OR_RETURN(const std::size_t sequence, count_arg(args, "sequence", 0, true));
  // One timestamp for the whole dump: the first page's, which the client sends back.
  BGPSEC_ASSIGN_OR_RETURN(
      const std::size_t time,
      count_arg(args, "time",
                static_cast<std::size_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count()),
                false));
  std::optional<base::Prefix> after;
  if (args.contains("after") && args["after"].is_string()) {
    auto p = base::Prefix::parse(args["after"].get<std::string>());
    if (!p) {
      return base::fail("after: " + p.error().message);
    }
    after = *p;
  }
  const auto now = static_cast<std::uint32_t>(time);
  // RFC 6396 §4.3.1: every peer a RIB entry may name.
  std::vector<mrt::Peer> peers{
      mrt::Peer{config_.global.router_id, base::IpAddress::v4(0), config_.global.asn.value()}};
  std::map<rib::PeerKey, std::uint16_t> index;
  for (const auto& [name, n] : neighbors_) {
    index.emplace(n->info->key, static_cast<std::uint16_t>(peers.size()));
    peers.push_back(mrt::Peer{n->info->router_id, n->info->key.address, n->info->asn.value()});
  }
  const auto peer_index_table =
      mrt::encode_peer_index_table(now, config_.global.router_id, "", peers);

  base::Bytes records;
  std::size_t prefixes = 0;
  std::size_t entries_written = 0;
  std::string next;
  loc_rib_.for_each_best_after(after, [&](const rib::Route& best) {
    std::vector<mrt::RibEntry> entries;
    const auto add = [&](const rib::Route& route) {
      std::uint16_t peer = 0;
      if (!route.local()) {
        const auto it = index.find(route.peer_key());
        if (it == index.end()) {
          return;  // a neighbor removed meanwhile: no index to name it by
        }
        peer = it->second;
      }
      mrt::RibEntry entry{peer, now, *route.attrs};
      if (route.bgpsec) {
        entry.attrs.bgpsec_path = route.bgpsec.decode();
        entry.attrs.as_path = bgpsec::rebuild_as_path(route.secure_path());
      }
      entries.push_back(std::move(entry));
    };
    add(best);
    for (const auto& candidate : loc_rib_.candidates(best.prefix)) {
      if (candidate.peer_key() != best.peer_key()) {
        add(candidate);
      }
    }
    if (entries.empty()) {
      // Only routes of a neighbor a reload removed, still leaving the Loc-RIB
      // (speaker_departure.cpp): no peer index names them, so the prefix is left out.
      return true;
    }
    const auto record = mrt::encode_rib_record(now, static_cast<std::uint32_t>(sequence + prefixes),
                                               best.prefix, entries);
    records.insert(records.end(), record.begin(), record.end());
    ++prefixes;
    entries_written += entries.size();
    if (prefixes >= limit) {
      next = best.prefix.to_string();
      return false;
    }
    return true;
  });
  nlohmann::json out{{"peer_index", base::to_base64(peer_index_table)},
                     {"records", base::to_base64(records)},
                     {"prefixes", prefixes},
                     {"entries", entries_written},
                     {"peers", peers.size()},
                     {"time", now}};
  if (!next.empty()) {
    out["next"] = next;
  }
  return out;
}

}  // namespace bgpsecd::daemon
