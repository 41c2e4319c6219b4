// SPDX-License-Identifier: BSD-2-Clause
#include "validation_server/server_text.hpp"

#include <algorithm>
#include <vector>

namespace bgpsecd::validation_server {
namespace {

using nlohmann::json;

std::string text(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) {
    return "-";
  }
  const json& f = j.at(key);
  if (f.is_string()) {
    return f.get<std::string>();
  }
  if (f.is_null()) {
    return "-";
  }
  return f.dump();
}

// Columns padded to their widest cell, two spaces apart.
std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line += std::string(width[i] - row[i].size() + 2, ' ');
      }
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string render_routers(const json& result) {
  if (!result.is_array() || result.empty()) {
    return "no routers connected\n";
  }
  std::vector<std::vector<std::string>> rows{{"Router", "Proxy ID", "AS", "State", "Updates",
                                              "Requests", "Receipts", "Notifications", "Errors"}};
  for (const auto& r : result) {
    rows.push_back({text(r, "peer"), text(r, "proxy_id"), text(r, "asn"), text(r, "state"),
                    text(r, "updates_held"), text(r, "requests"), text(r, "receipts"),
                    text(r, "notifications"), text(r, "errors")});
  }
  return table(rows);
}

std::string render_updates(const json& result) {
  if (!result.contains("id")) {
    return text(result, "updates") + " updates stored (max " + text(result, "max_updates") + ", " +
           text(result, "max_updates_per_router") + " per router), keep window " +
           text(result, "keep_window") + " s\n";
  }
  std::string path;
  if (result.contains("as_path") && result["as_path"].is_array()) {
    for (const auto& asn : result["as_path"]) {
      path += (path.empty() ? "" : " ") + asn.dump();
    }
  }
  std::string holders;
  if (result.contains("holders") && result["holders"].is_array()) {
    for (const auto& h : result["holders"]) {
      std::string types;
      if (h.contains("types") && h["types"].is_array()) {
        for (const auto& t : h["types"]) {
          types += (types.empty() ? "" : ",") + (t.is_string() ? t.get<std::string>() : "?");
        }
      }
      holders += (holders.empty() ? "" : ", ") + text(h, "proxy_id") + " (" + types + ")";
    }
  }
  return "Update " + text(result, "id") + ": " + text(result, "prefix") + " origin AS" +
         text(result, "origin_as") + (text(result, "signed") == "true" ? ", signed" : "") +
         "\n  AS path: " + (path.empty() ? "(empty)" : path) + "\n  origin " +
         text(result, "origin") + ", path " + text(result, "path") + ", aspa " +
         text(result, "aspa") + "\n  held by: " + (holders.empty() ? "nobody" : holders) + "\n";
}

std::string render_server(const json& result) {
  std::string listen;
  if (result.contains("listen") && result["listen"].is_array()) {
    for (const auto& l : result["listen"]) {
      listen += (listen.empty() ? "" : ", ") + (l.is_string() ? l.get<std::string>() : "?");
    }
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
