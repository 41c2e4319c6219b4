// SPDX-License-Identifier: BSD-2-Clause
#include "service/root_refusal.hpp"

#include <unistd.h>

namespace bgpsecd::service {

base::Result<void> check_not_root(uid_t effective_uid, bool allow_root) {
  if (effective_uid != 0 || allow_root) {
    return {};
  }
  return base::fail(
      "refusing to run as root (uid 0): run as an unprivileged user, or pass --allow-root");
}

base::Result<void> check_process_not_root(bool allow_root) {
  return check_not_root(geteuid(), allow_root);
}

}  // namespace bgpsecd::service
