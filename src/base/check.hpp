// SPDX-License-Identifier: BSD-2-Clause
// Invariant checks (docs/style.md §2.7). Never for input from a peer, a cache or a config file:
// that goes through Result. Leave a comment at each use saying why the condition holds.
//   BGPSEC_ASSERT(cond)      debug builds only
//   BGPSEC_CHECK(cond, msg)  every build; prints and aborts
#pragma once

namespace bgpsecd::base {
[[noreturn]] void check_failed(const char* cond, const char* msg, const char* file,
                               int line) noexcept;
}  // namespace bgpsecd::base

#define BGPSEC_CHECK(cond, msg)                                        \
  do {                                                                 \
    if (!(cond)) {                                                     \
      ::bgpsecd::base::check_failed(#cond, (msg), __FILE__, __LINE__); \
    }                                                                  \
  } while (false)

#ifdef BGPSEC_DEBUG_ASSERTS
#define BGPSEC_ASSERT(cond) BGPSEC_CHECK(cond, "assertion")
#else
#define BGPSEC_ASSERT(cond) \
  do {                      \
  } while (false)
#endif
