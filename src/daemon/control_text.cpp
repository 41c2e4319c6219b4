// SPDX-License-Identifier: BSD-2-Clause
// Text rendering of control API results for bgpsecctl (control_text.hpp). Tables are aligned
// with two spaces between columns; numbers are right-aligned, text left-aligned.
#include "daemon/control_text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <vector>

#include "service/json_fields.hpp"
#include "service/text_table.hpp"

namespace bgpsecd::daemon {

namespace {

using nlohmann::json;

// ===== lenient field access =====

using service::array;
using service::field;
using service::flag;
using service::integer;
using service::text;

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// ===== tables =====

using service::kLeft;
using service::kRight;
using service::Table;

// ===== pieces =====

std::string bgpsec_directions(const json& neighbor, const char* afi) {
  const json* bgpsec = field(neighbor, "bgpsec");
  const json* per_afi = bgpsec != nullptr ? field(*bgpsec, afi) : nullptr;
  if (per_afi == nullptr) {
    return "-";
  }
  const bool send = flag(*per_afi, "send");
  const bool receive = flag(*per_afi, "receive");
  if (send && receive) {
    return "send+recv";
  }
  if (send) {
    return "send";
  }
  return receive ? "recv" : "-";
}

// "65002 65003*2 (65010 65011)": pCount other than 1 as ASN*N; Confed_Segments in parentheses.
std::string secure_path_text(const json& segments) {
  std::string out = "sec";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const json& segment = segments[i];
    const bool confed = flag(segment, "confed");
    const bool prev_confed = i > 0 && flag(segments[i - 1], "confed");
    const bool next_confed = i + 1 < segments.size() && flag(segments[i + 1], "confed");
    out += ' ';
    if (confed && !prev_confed) {
      out += '(';
    }
    out += text(segment, "asn", "?");
    if (const auto pcount = integer(segment, "pcount"); pcount && *pcount != 1) {
      out += "*" + std::to_string(*pcount);
    }
    if (confed && !next_confed) {
      out += ')';
    }
  }
  return out;
}

std::string as_path_text(const json& path) {
  if (!path.is_array() || path.empty()) {
    return "(empty)";
  }
  std::string out;
  for (const auto& asn : path) {
    if (!out.empty()) {
      out += ' ';
    }
    out += asn.is_number() ? asn.dump() : asn.is_string() ? asn.get<std::string>() : "?";
  }
  return out;
}

std::string failure_text(const json& failure) {
  std::string out = "    not valid: " + text(failure, "reason", "unknown reason");
  const auto segment = integer(failure, "segment");
  if (segment && *segment >= 0) {
    out += " at signature " + std::to_string(*segment) + " (AS " + text(failure, "asn", "?") +
           ", SKI " + text(failure, "ski", "?");
    if (const auto suite = integer(failure, "suite"); suite && *suite != 0) {
      out += ", suite " + std::to_string(*suite);
    }
    out += ")";
  }
  return out;
}

// "    aspa invalid (upstream): not-provider+, AS65200 -> AS65001 not-provider+" under a route
// whose ASPA state is Invalid or Unknown.
std::string aspa_text(const json& aspa) {
  std::string out =
      "    aspa " + text(aspa, "state", "?") + " (" + text(aspa, "procedure", "?") + ")";
  if (const json* reason = field(aspa, "reason"); reason != nullptr && reason->is_string()) {
    out += ": " + reason->get<std::string>();
  }
  for (const char* key : {"up_hop", "down_hop"}) {
    if (const json* hop = field(aspa, key); hop != nullptr && hop->is_object()) {
      out += std::string(key[0] == 'u' ? ", up-ramp ends at AS" : ", down-ramp ends at AS") +
             text(*hop, "customer", "?") + " -> AS" + text(*hop, "provider", "?") + " " +
             text(*hop, "authorization", "?");
    }
  }
  return out;
}

std::string cache_state(const json& cache) {
  if (!flag(cache, "active")) {
    return "standby";
  }
  const bool connected = flag(cache, "connected");
  if (flag(cache, "in_sync")) {
    return connected ? "in-sync" : "stale";  // data kept until it expires (RFC 8210 §6)
  }
  return connected ? "syncing" : "down";
}

}  // namespace

std::string engine_description(std::string_view engine) {
  if (engine == "avx512-ifma") {
    return "multi-buffer, AVX-512 IFMA";
  }
  if (engine == "scalar") {
    return "one at a time: no AVX-512 IFMA";
  }
  if (engine == "openssl") {
    return "OpenSSL: no key tables";
  }
  return std::string(engine);
}

std::string format_duration(std::int64_t seconds) {
  if (seconds < 0) {
    return "-";
  }
  std::array<char, 48> buffer{};
  const auto s = static_cast<long long>(seconds);
  if (s < 86400) {
    std::snprintf(buffer.data(), buffer.size(), "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60,
                  s % 60);
  } else if (s < 7 * 86400) {
    std::snprintf(buffer.data(), buffer.size(), "%lldd%02lldh%02lldm", s / 86400, s / 3600 % 24,
                  s / 60 % 60);
  } else {
    std::snprintf(buffer.data(), buffer.size(), "%lldw%lldd%02lldh", s / (7 * 86400), s / 86400 % 7,
                  s / 3600 % 24);
  }
  return buffer.data();
}

std::string render_neighbors(const json& result) {
  const json& neighbors = array(result, "neighbors");
  if (neighbors.empty()) {
    return "no neighbors\n";
  }
  Table table({{"Neighbor", kLeft},
               {"AS", kRight},
               {"State", kLeft},
               {"Up/Down", kRight},
               {"Rcvd", kRight},
               {"Accepted", kRight},
               {"Adv", kRight},
               {"BGPsec IPv4", kLeft},
               {"BGPsec IPv6", kLeft}});
  std::string notes;
  for (const auto& n : neighbors) {
    const json* prefixes = field(n, "prefixes");
    const json& p = prefixes != nullptr ? *prefixes : json::object();
    const auto since = integer(n, "state_seconds");
    table.add({text(n, "peer"), text(n, "peer_as"), text(n, "state"),
               since ? format_duration(*since) : "-", text(p, "received"), text(p, "accepted"),
               text(p, "advertised"), bgpsec_directions(n, "ipv4"), bgpsec_directions(n, "ipv6")});
    if (const json* error = field(n, "last_error"); error != nullptr && error->is_string()) {
      notes += text(n, "peer") + ": last error: " + error->get<std::string>() + "\n";
    }
    if (const json* t = field(n, "table"); t != nullptr && t->is_object()) {
      const std::string state = text(*t, "state");
      if (state == "sending") {
        notes += text(n, "peer") + ": sending our table, " + text(*t, "prefixes", "0") +
                 " prefixes so far\n";
      } else if (state == "deferred") {
        notes += text(n, "peer") + ": our table waits for the end of the restart deferral\n";
      }
    }
    // RFC 9234: only for neighbors with a role of ours or one announced by the peer.
    if (const json* role = field(n, "role");
        role != nullptr && role->is_object() &&
        (text(*role, "local", "-") != "-" || text(*role, "peer", "-") != "-")) {
      notes += text(n, "peer") + ": role " + text(*role, "local", "none") + ", peer role " +
               text(*role, "peer", "none") + (flag(*role, "strict") ? " (strict)" : "") + "; " +
               text(*role, "leaks_received", "0") + " leaks received, " +
               text(*role, "leaks_held_back", "0") + " held back\n";
    }
  }
  return table.str() + notes;
}

std::string render_routes(const json& result) {
  const json& routes = array(result, "routes");
  const std::string table_name = text(result, "table", "loc-rib");
  std::string out = "Table " + table_name + ": " + plural(routes.size(), "route", "routes") + "\n";
  if (routes.empty()) {
    return out;
  }
  out +=
      "Flags: > best, s stale, L route leak (RFC 9234).  AS path: \"sec\" = Secure_Path, ASN*N = "
      "pCount N, (...) = confederation\n";
  Table table({{"", kLeft},
               {"Prefix", kLeft},
               {"Next hop", kLeft},
               {"Peer", kLeft},
               {"Path", kLeft},
               {"Origin", kLeft},
               {"ASPA", kLeft},
               {"LocPrf", kRight},
               {"AS path", kLeft}});
  for (const auto& r : routes) {
    std::string flags = flag(r, "best") ? ">" : " ";
    flags += flag(r, "stale") ? "s" : "";
    flags += flag(r, "route_leak") ? "L" : "";
    const json* secure_path = field(r, "secure_path");
    const json* as_path = field(r, "as_path");
    std::string path = secure_path != nullptr && secure_path->is_array()
                           ? secure_path_text(*secure_path)
                           : as_path_text(as_path != nullptr ? *as_path : json());
    table.add({flags, text(r, "prefix"), text(r, "next_hop"), text(r, "peer"),
               text(r, "path_state"), text(r, "origin_state"), text(r, "aspa_state", "-"),
               text(r, "local_pref"), std::move(path)});
    if (const json* failure = field(r, "failure"); failure != nullptr && failure->is_object()) {
      table.note(failure_text(*failure));
    }
    if (const json* aspa = field(r, "aspa"); aspa != nullptr && aspa->is_object()) {
      table.note(aspa_text(*aspa));
    }
  }
  return out + table.str();
}

namespace {
// A numeric field of `obj`; 0 when missing or not a number.
double number_field(const json& obj, const char* key) {
  const json* f = field(obj, key);
  return f != nullptr && f->is_number() ? f->get<double>() : 0.0;
}

// "Validation: 2 threads (multi-buffer, AVX-512 IFMA), 3 pending (1 queued), 1200 done, 0 deferred
// (5 ever); signature cache 4800/2000000 (75% hits); 12 key tables (312 KiB); 1200 signed paths
// stored (160 B per hop)". `pending` counts every route handed to the workers and not answered yet;
// `queued` is the part of it no worker has picked up; `deferred` the routes installed without a
// check (RFC 8374 §8.7) still waiting.
std::string validation_text(const json& v) {
  std::string out = "Validation: " + text(v, "threads") + " threads, ";
  if (const json* e = field(v, "engine"); e != nullptr && e->is_string()) {
    out.pop_back();
    out.pop_back();
    out += " (" + engine_description(e->get<std::string>()) + "), ";
  }
  out += text(v, "pending") + " pending (" + text(v, "queued") + " queued), " +
         text(v, "completed") + " done";
  if (field(v, "deferred") != nullptr) {
    out += ", " + text(v, "deferred") + " deferred (" + text(v, "deferred_total") + " ever)";
  }
  if (number_field(v, "postponed") > 0) {
    out += ", " + text(v, "postponed") + " postponed behind a better route";
  }
  if (const json* c = field(v, "signature_cache"); c != nullptr && c->is_object()) {
    const auto number = [&](const char* key) { return number_field(*c, key); };
    const double lookups = number("hits") + number("misses");
    out += "; signature cache " + text(*c, "entries") + "/" + text(*c, "capacity");
    if (lookups > 0) {
      out += " (" + std::to_string(static_cast<int>(100.0 * number("hits") / lookups)) + "% hits)";
    }
  }
  if (const json* k = field(v, "key_tables"); k != nullptr && k->is_object()) {
    const auto kib = number_field(*k, "bytes") / 1024;
    out += "; " + text(*k, "tables") + " key tables (" +
           std::to_string(static_cast<long long>(kib)) + " KiB)";
    if (const json* small = field(*k, "small"); small != nullptr && small->is_object()) {
      const auto small_kib = number_field(*small, "bytes") / 1024;
      out += " + " + text(*small, "tables") + " small (" +
             std::to_string(static_cast<long long>(small_kib)) + " KiB)";
    }
  }
  if (const json* p = field(v, "stored_paths"); p != nullptr && p->is_object()) {
    out += "; " + text(*p, "paths") + " signed paths stored";
    if (const double hops = number_field(*p, "hops"); hops > 0) {
      out += " (" + std::to_string(static_cast<long long>(number_field(*p, "bytes") / hops)) +
             " B per hop)";
    }
  }
  return out + "\n";
}

// Our router keys (RFC 8634 §4 rollover: which signs, how much, whether the RPKI has them).
std::string signing_keys_text(const json& keys) {
  std::string out;
  for (const auto& as : array(keys, "ases")) {
    out += "Router keys of AS" + text(as, "asn") + " (active: " +
           (text(as, "active_from") == "active_key" ? "[bgpsec.active_key]" : "oldest file") +
           ")\n";
    Table table({{"SKI", kLeft},
                 {"Active", kLeft},
                 {"Signatures", kRight},
                 {"In RPKI", kLeft},
                 {"File", kLeft}});
    for (const auto& k : array(as, "keys")) {
      table.add({text(k, "ski"), flag(k, "active") ? "yes" : "no", text(k, "signatures"),
                 flag(k, "in_rpki") ? "yes" : "no", text(k, "file")});
    }
    out += table.str();
  }
  if (!out.empty()) {
    out += "Routes signed again for a new active key: " + text(keys, "routes_resigned", "0") +
           " (" + text(keys, "resign_pending", "0") + " pending)\n";
  }
  return out;
}
}  // namespace

std::string render_validation(const json& result) {
  std::string out = "Validation: mode " + text(result, "mode");
  const json& servers = array(result, "servers");
  if (servers.empty()) {
    return out + ", no validation servers configured\n";
  }
  out += ", routes at " + text(result, "home") + ", " + text(result, "routes") + " routes held, " +
         text(result, "awaiting_first_result") + " awaiting a first result, " +
         text(result, "failovers") + " failovers\n";
  const json* active = field(result, "fallback_active");
  if (active != nullptr && active->is_boolean() && active->get<bool>()) {
    out += "No server has answered for " + text(result, "fallback_after") +
           " s: new routes are checked here (server-or-local) or installed deferred (server)\n";
  }
  Table table({{"Server", kLeft},
               {"Pref", kRight},
               {"State", kLeft},
               {"Proxy ID", kRight},
               {"Routes", kRight},
               {"Waiting", kRight},
               {"Requests", kRight},
               {"Receipts", kRight},
               {"Notified", kRight},
               {"Errors", kRight},
               {"Connects", kRight},
               {"Receipt ms", kRight},
               {"Result ms", kRight}});
  const auto mean_ms = [](const json& server, const char* key) {
    if (field(server, key) == nullptr) {
      return std::string("-");
    }
    std::array<char, 32> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%.1f", number_field(server, key));
    return std::string(buffer.data());
  };
  for (const auto& s : servers) {
    const json* home = field(s, "home");
    const bool is_home = home != nullptr && home->is_boolean() && home->get<bool>();
    table.add({text(s, "address") + (is_home ? " *" : ""), text(s, "preference"), text(s, "state"),
               text(s, "proxy_id"), text(s, "routes"), text(s, "awaiting_answers"),
               text(s, "requests"), text(s, "receipts"), text(s, "notifications"),
               text(s, "errors"), text(s, "connects"), mean_ms(s, "receipt_ms_mean"),
               mean_ms(s, "result_ms_mean")});
  }
  out += table.str();
  out += "Path results from servers " + text(result, "results") +
         ", fallback: " + text(result, "fallback_local") + " checked here, " +
         text(result, "fallback_deferred") + " installed deferred\n";
  return out;
}

std::string render_bmp(const json& result) {
  const json& stations = array(result, "stations");
  if (stations.empty()) {
    return "BMP: no stations configured\n";
  }
  Table table({{"Station", kLeft},
               {"State", kLeft},
               {"Messages", kRight},
               {"Bytes", kRight},
               {"Queued", kRight},
               {"Reconnects", kRight},
               {"Drops", kRight},
               {"Last error", kLeft}});
  for (const auto& s : stations) {
    table.add({text(s, "station"), text(s, "state"), text(s, "messages_sent"),
               text(s, "bytes_sent"), text(s, "queued_bytes"), text(s, "reconnects"),
               text(s, "drops"), text(s, "last_error", "-")});
  }
  return table.str();
}

std::string render_rpki(const json& result) {
  std::string out = "RPKI: " + text(result, "vrps", "0") + " VRPs";
  if (field(result, "vrps_ipv4") != nullptr || field(result, "vrps_ipv6") != nullptr) {
    out += " (" + text(result, "vrps_ipv4") + " IPv4, " + text(result, "vrps_ipv6") + " IPv6)";
  }
  out += ", " + text(result, "router_keys", "0") + " router keys";
  if (field(result, "aspa_customers") != nullptr) {
    out += ", " + text(result, "aspa_customers") + " ASPA customers";
  }
  out += "\n";
  if (const json* v = field(result, "validation"); v != nullptr && v->is_object()) {
    out += validation_text(*v);
  }
  if (const json* k = field(result, "signing_keys"); k != nullptr && k->is_object()) {
    out += signing_keys_text(*k);
  } else if (k != nullptr && k->is_array()) {
    // bgpsecvd: one line per key it signs with, for any of its ASes.
    for (const auto& line : *k) {
      out += "Signing key " + (line.is_string() ? line.get<std::string>() : line.dump()) + "\n";
    }
  }
  const json& caches = array(result, "caches");
  const json& files = array(result, "files");
  const json* slurm = field(result, "slurm");
  const bool has_slurm = slurm != nullptr && slurm->is_object();
  if (caches.empty() && files.empty() && !has_slurm) {
    return out + "no RPKI caches or files configured\n";
  }
  if (!caches.empty()) {
    Table table({{"Cache", kLeft},
                 {"Pref", kRight},
                 {"State", kLeft},
                 {"Session", kRight},
                 {"Serial", kRight},
                 {"Version", kRight},
                 {"VRPs", kRight},
                 {"Keys", kRight},
                 {"ASPAs", kRight},
                 {"Drops", kRight}});
    for (const auto& c : caches) {
      // Times the cache's data was dropped, all reasons together (the JSON has them apart).
      std::string drops = "-";
      if (const json* d = field(c, "drops"); d != nullptr && d->is_object()) {
        std::uint64_t total = 0;
        for (const auto& [reason, count] : d->items()) {
          total += count.is_number_unsigned() ? count.get<std::uint64_t>() : 0;
        }
        drops = std::to_string(total);
      }
      table.add({text(c, "name"), text(c, "preference"), cache_state(c), text(c, "session_id"),
                 text(c, "serial"), text(c, "version"), text(c, "vrps"), text(c, "router_keys"),
                 text(c, "aspas", "-"), drops});
    }
    out += table.str();
  }
  if (!files.empty()) {
    Table table({{"File", kLeft}, {"VRPs", kRight}, {"Keys", kRight}, {"ASPAs", kRight}});
    for (const auto& f : files) {
      table.add({text(f, "path"), text(f, "vrps"), text(f, "router_keys"), text(f, "aspas", "-")});
    }
    out += table.str();
  }
  if (has_slurm) {
    out += "SLURM " + text(*slurm, "path") + ": " + text(*slurm, "prefix_filters") +
           " prefix filters, " + text(*slurm, "bgpsec_filters") + " BGPsec filters, " +
           text(*slurm, "prefix_assertions") + " prefix assertions, " +
           text(*slurm, "bgpsec_assertions") + " BGPsec assertions";
    if (field(*slurm, "aspa_filters") != nullptr) {
      out += ", " + text(*slurm, "aspa_filters") + " ASPA filters, " +
             text(*slurm, "aspa_assertions") + " ASPA assertions";
    }
    out += "\n";
  }
  return out;
}

std::string render_reload(const json& result) {
  std::string out = text(result, "message", "configuration reloaded") + "\n";
  const json& changes = array(result, "changes");
  for (const auto& change : changes) {
    out += "  " + (change.is_string() ? change.get<std::string>() : change.dump()) + "\n";
  }
  if (changes.empty() && field(result, "changes") != nullptr) {
    out += "  (no changes)\n";
  }
  return out;
}

std::string render_clear(const json& result) {
  const std::string fallback = flag(result, "soft") ? "soft reset requested" : "session reset";
  return text(result, "peer") + ": " + text(result, "message", fallback.c_str()) + "\n";
}

std::string render_result(std::string_view command, const json& result) {
  if (command == kCmdShowNeighbors) {
    return render_neighbors(result);
  }
  if (command == kCmdShowRoutes) {
    return render_routes(result);
  }
  if (command == kCmdShowRpki) {
    return render_rpki(result);
  }
  if (command == kCmdShowValidation) {
    return render_validation(result);
  }
  if (command == kCmdShowBmp) {
    return render_bmp(result);
  }
  if (command == kCmdReload) {
    return render_reload(result);
  }
  if (command == kCmdClearNeighbor) {
    return render_clear(result);
  }
  return result.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace bgpsecd::daemon
