// SPDX-License-Identifier: BSD-2-Clause
// What a program was built from: the project version and the git revision, for --version, the
// start-up log line and the bgpsecd_build_info metric, so an operator (or a bug report) can
// tell exactly which code is running.
#pragma once

#include <string>
#include <string_view>

namespace bgpsecd::app {

// Written at build time by cmake/WriteBuildIdentity.cmake.
extern const char* const kBuildVersion;   // "0.1.0" (CMakeLists.txt project VERSION)
extern const char* const kBuildRevision;  // `git describe`, e.g. "a476d81c3e2f-dirty"; "unknown"

// "bgpsecd 0.1.0 (git a476d81c3e2f)": the text --version prints.
[[nodiscard]] std::string version_line(std::string_view program);

}  // namespace bgpsecd::app
