// SPDX-License-Identifier: BSD-2-Clause
// BGPSECD_ADDRESS_SANITIZER is defined when the translation unit is built with
// AddressSanitizer (g++ says so with __SANITIZE_ADDRESS__, clang with __has_feature), so that
// code keeping its own memory can poison what it does not hand out, and tests can check that.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define BGPSECD_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BGPSECD_ADDRESS_SANITIZER 1
#endif
#endif

#ifdef BGPSECD_ADDRESS_SANITIZER
#include <sanitizer/asan_interface.h>
#endif
