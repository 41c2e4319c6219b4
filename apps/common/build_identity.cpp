// SPDX-License-Identifier: BSD-2-Clause
#include "common/build_identity.hpp"

namespace bgpsecd::app {

std::string version_line(std::string_view program) {
  std::string line(program);
  line += ' ';
  line += kBuildVersion;
  line += " (git ";
  line += kBuildRevision;
  line += ')';
  return line;
}

}  // namespace bgpsecd::app
