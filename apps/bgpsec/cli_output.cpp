// SPDX-License-Identifier: BSD-2-Clause
#include "cli_output.hpp"

#include <cstdio>

namespace bgpsecd::tool {
namespace {
bool g_pretty = false;
}  // namespace

void set_pretty(bool pretty) { g_pretty = pretty; }

void print_json(const nlohmann::json& value) {
  // Replace invalid UTF-8 rather than throw: decoded peer data may contain anything.
  const std::string text =
      value.dump(g_pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fputs(text.c_str(), stdout);
  std::fputc('\n', stdout);
}

int bad_input(const std::string& message) {
  std::fprintf(stderr, "bgpsec: %s\n", message.c_str());
  return kBadInput;
}

}  // namespace bgpsecd::tool
