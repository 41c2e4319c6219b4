// SPDX-License-Identifier: BSD-2-Clause
// Both daemons refuse to start as root: neither needs more than CAP_NET_BIND_SERVICE (the
// systemd units run them as the bgpsecd user), and a daemon that parses what peers send should
// not hold every privilege while it does. `--allow-root` is the operator's explicit way out;
// checking a configuration (`-n`) runs nothing and stays allowed.
#pragma once

#include <sys/types.h>

#include "base/result.hpp"

namespace bgpsecd::service {

// The flag's help text, the same in both daemons.
inline constexpr const char* kAllowRootHelp =
    "start even with effective uid 0 (without it, both daemons refuse to run as root and exit "
    "with status 2)";

// The decision, with the effective uid passed in so that it can be tested without root: an
// error with the message for the operator when `effective_uid` is 0 and root is not allowed.
[[nodiscard]] base::Result<void> check_not_root(uid_t effective_uid, bool allow_root);

// check_not_root for this process (geteuid()).
[[nodiscard]] base::Result<void> check_process_not_root(bool allow_root);

}  // namespace bgpsecd::service
