// SPDX-License-Identifier: BSD-2-Clause
// RPKI data for the `bgpsec` commands: from an rpki-client / StayRTR / Routinator JSON file, or
// the complete data set of one RPKI cache fetched over RTR.
#pragma once

#include <chrono>
#include <string>

#include "base/result.hpp"
#include "rpki/rpki_json.hpp"

namespace bgpsecd::tool {

// The complete data set of one cache ("HOST:PORT"), or an error after `timeout` that says what
// went wrong last.
[[nodiscard]] base::Result<rpki::RpkiData> fetch_from_cache(const std::string& address, int version,
                                                            std::chrono::seconds timeout,
                                                            bool verbose);

// Exactly one of `file` and `cache` is non-empty; expired file entries are left out.
[[nodiscard]] base::Result<rpki::RpkiData> load_rpki_source(const std::string& file,
                                                            const std::string& cache);

}  // namespace bgpsecd::tool
