// SPDX-License-Identifier: BSD-2-Clause
#include "mrt_dump.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>

#include "base/hex.hpp"

namespace bgpsecd::app {

namespace {

MrtDumpOutcome failed(std::string error, bool daemon_error = false) {
  MrtDumpOutcome out;
  out.error = std::move(error);
  out.daemon_error = daemon_error;
  return out;
}

}  // namespace

MrtDumpOutcome write_mrt_dump(const ControlRequest& request, const std::string& file,
                              std::size_t page_size) {
  const bool to_stdout = file == "-";
  const std::string partial = file + ".tmp";
  std::ofstream out_file;
  if (!to_stdout) {
    out_file.open(partial, std::ios::binary | std::ios::trunc);
    if (!out_file) {
      return failed("cannot write " + partial);
    }
  }
  std::ostream& out = to_stdout ? std::cout : out_file;
  nlohmann::json args{{"limit", page_size}, {"sequence", 0}};
  base::Bytes peer_index;
  std::size_t prefixes = 0;
  std::size_t entries = 0;
  std::size_t bytes = 0;
  std::size_t peers = 0;
  while (true) {
    auto page = request(args);
    if (!page) {
      return failed(page.error().message);
    }
    if (!page->ok) {
      return failed(page->error, true);
    }
    const auto& result = page->result;
    auto index = base::from_base64(result.value("peer_index", ""));
    auto records = base::from_base64(result.value("records", ""));
    if (!index || !records || !result.contains("prefixes") || !result.contains("time")) {
      return failed("the daemon's answer is not an MRT dump page");
    }
    if (peer_index.empty()) {
      peer_index = *index;
      out.write(reinterpret_cast<const char*>(peer_index.data()),
                static_cast<std::streamsize>(peer_index.size()));
      bytes += peer_index.size();
      args["time"] = result["time"];
      peers = result.value("peers", std::size_t{0});
    } else if (*index != peer_index) {
      // The entries name peers by their index in the first page's table.
      return failed(
          "the neighbors changed during the dump (a session restarted or a reload); "
          "run it again");
    }
    out.write(reinterpret_cast<const char*>(records->data()),
              static_cast<std::streamsize>(records->size()));
    bytes += records->size();
    prefixes += result["prefixes"].get<std::size_t>();
    entries += result.value("entries", std::size_t{0});
    if (!result.contains("next")) {
      break;
    }
    args["after"] = result["next"];
    args["sequence"] = prefixes;
  }
  out.flush();
  if (!out) {
    return failed("writing " + (to_stdout ? std::string("standard output") : partial) + " failed");
  }
  if (!to_stdout) {
    out_file.close();
    if (std::rename(partial.c_str(), file.c_str()) != 0) {
      return failed("cannot rename " + partial + " to " + file);
    }
  }
  MrtDumpOutcome done;
  done.ok = true;
  done.summary = {{"file", file},
                  {"prefixes", prefixes},
                  {"entries", entries},
                  {"peers", peers},
                  {"bytes", bytes}};
  return done;
}

}  // namespace bgpsecd::app
