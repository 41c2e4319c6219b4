// SPDX-License-Identifier: BSD-2-Clause
// Secrets kept in files (TCP MD5 passwords): read only when nobody but the owner can read the
// file, as ssh does for its keys, so that a secret left world-readable is noticed at once.
#pragma once

#include <string>

#include "base/result.hpp"

namespace bgpsecd::service {

// The file's contents without one trailing newline. Refused (an error naming the file, never
// the contents) when it cannot be read, is not a regular file, or its mode gives group or
// others any access.
[[nodiscard]] base::Result<std::string> read_secret_file(const std::string& path);

}  // namespace bgpsecd::service
