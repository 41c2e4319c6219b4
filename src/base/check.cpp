// SPDX-License-Identifier: BSD-2-Clause
#include "base/check.hpp"

#include <cstdio>
#include <cstdlib>

namespace bgpsecd::base {

void check_failed(const char* cond, const char* msg, const char* file, int line) noexcept {
  std::fprintf(stderr, "bgpsecd: internal check failed at %s:%d: %s (%s)\n", file, line, cond, msg);
  std::abort();
}

}  // namespace bgpsecd::base
