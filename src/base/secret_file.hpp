// SPDX-License-Identifier: BSD-2-Clause
// Files that hold secrets (router private keys, TCP MD5 passwords): read only when nobody but
// the owner may access them, as ssh does for its keys, so that a secret left readable is
// noticed at once rather than used.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace bgpsecd::base {

// The whole file. It is opened once and checked on the open descriptor, so it cannot be
// swapped between check and read: refused when it is not a regular file, when another user
// than us or root owns it, when its mode gives group or others any access ("WHAT PATH is
// readable by group or others (mode 0644); chmod 600 it"), or when it is longer than
// `max_size`. `what` ("key file", "password file") starts
// the errors, which never quote the contents. Buffers are wiped before they are released.
[[nodiscard]] Result<std::string> read_secret_file(const std::string& path, std::string_view what,
                                                   std::size_t max_size);

// Wipes a secret that is no longer needed (not optimised away).
void wipe(std::string& secret) noexcept;

}  // namespace bgpsecd::base
