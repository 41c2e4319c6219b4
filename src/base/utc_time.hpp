// SPDX-License-Identifier: BSD-2-Clause
// A point in time as an RFC 3339 UTC timestamp ("2027-01-01T00:00:00Z"), as configuration
// files (TOML offset date-times) and operators write them.
#pragma once

#include <chrono>
#include <string>

namespace bgpsecd::base {

[[nodiscard]] std::string format_utc(std::chrono::system_clock::time_point when);

}  // namespace bgpsecd::base
