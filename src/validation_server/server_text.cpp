// SPDX-License-Identifier: BSD-2-Clause
#include "validation_server/server_text.hpp"

#include <vector>

#include "service/json_fields.hpp"
#include "service/text_table.hpp"

namespace bgpsecd::validation_server {
namespace {

using nlohmann::json;
using service::array;
using service::flag;
using service::kLeft;
using service::Table;
using service::text;

}  // namespace

std::string render_routers(const json& result) {
  if (!result.is_array() || result.empty()) {
    return "no routers connected\n";
  }
  Table table({{"Router", kLeft},
               {"Proxy ID", kLeft},
               {"AS", kLeft},
               {"State", kLeft},
               {"Updates", kLeft},
               {"Requests", kLeft},
               {"Receipts", kLeft},
               {"Notifications", kLeft},
               {"Errors", kLeft}});
  for (const auto& r : result) {
    table.add({text(r, "peer"), text(r, "proxy_id"), text(r, "asn"), text(r, "state"),
               text(r, "updates_held"), text(r, "requests"), text(r, "receipts"),
               text(r, "notifications"), text(r, "errors")});
  }
  return table.str();
}

std::string render_updates(const json& result) {
  if (!result.contains("id")) {
    return text(result, "updates") + " updates stored (max " + text(result, "max_updates") + ", " +
           text(result, "max_updates_per_router") + " per router), keep window " +
           text(result, "keep_window") + " s\n";
  }
  std::string path;
  for (const auto& asn : array(result, "as_path")) {
    path += (path.empty() ? "" : " ") + asn.dump();
  }
  std::string holders;
  for (const auto& h : array(result, "holders")) {
    std::string types;
    for (const auto& t : array(h, "types")) {
      types += (types.empty() ? "" : ",") + (t.is_string() ? t.get<std::string>() : "?");
    }
    holders += (holders.empty() ? "" : ", ") + text(h, "proxy_id") + " (" + types + ")";
  }
  return "Update " + text(result, "id") + ": " + text(result, "prefix") + " origin AS" +
         text(result, "origin_as") + (flag(result, "signed") ? ", signed" : "") +
         "\n  AS path: " + (path.empty() ? "(empty)" : path) + "\n  origin " +
         text(result, "origin") + ", path " + text(result, "path") + ", aspa " +
         text(result, "aspa") + "\n  held by: " + (holders.empty() ? "nobody" : holders) + "\n";
}

std::string render_server(const json& result) {
  std::string listen;
  for (const auto& l : array(result, "listen")) {
    listen += (listen.empty() ? "" : ", ") + (l.is_string() ? l.get<std::string>() : "?");
  }
  const json empty = json::object();
  const json& v = result.contains("validation") ? result["validation"] : empty;
  return "bgpsecvd " + text(result, "version") + " (git " + text(result, "revision") + ") on " +
         listen + "\n" + text(result, "routers") + " routers, " + text(result, "updates") +
         " updates\nValidation: " + text(v, "threads") + " threads, " + text(v, "in_flight") +
         " in flight (" + text(v, "queued") + " queued), " + text(v, "completed") +
         " completed, signature cache " + text(v, "signature_cache_hits") + " hits / " +
         text(v, "signature_cache_misses") + " misses\n";
}

bool is_server_command(std::string_view command) noexcept {
  return command == kCmdShowRouters || command == kCmdShowUpdates || command == kCmdShowServer;
}

std::string render_server_result(std::string_view command, const json& result) {
  if (command == kCmdShowRouters) {
    return render_routers(result);
  }
  if (command == kCmdShowUpdates) {
    return render_updates(result);
  }
  return render_server(result);
}

}  // namespace bgpsecd::validation_server
