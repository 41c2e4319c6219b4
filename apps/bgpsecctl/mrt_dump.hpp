// SPDX-License-Identifier: BSD-2-Clause
// `bgpsecctl dump mrt FILE`: asks bgpsecd for its Loc-RIB as MRT TABLE_DUMP_V2 records a page
// at a time ("dump mrt" on the control API) and writes them to FILE: the PEER_INDEX_TABLE
// once, then every page's RIB records, numbered without gaps across the pages.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "service/control_client.hpp"

namespace bgpsecd::app {

using ControlRequest =
    std::function<base::Result<service::ControlResponse>(const nlohmann::json& args)>;

// What the dump wrote, or why it stopped (a daemon error keeps its text in `error`).
struct MrtDumpOutcome {
  bool ok = false;
  bool daemon_error = false;  // the daemon answered with an error (exit 1), else usage (2)
  std::string error;
  nlohmann::json summary;  // {"file", "prefixes", "entries", "peers", "bytes"}
};

// FILE "-" is standard output. An existing file is replaced only once the dump is complete
// (written to FILE.tmp, then renamed), so an interrupted dump leaves no half file behind.
[[nodiscard]] MrtDumpOutcome write_mrt_dump(const ControlRequest& request, const std::string& file,
                                            std::size_t page_size);

}  // namespace bgpsecd::app
