// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for parse_rpki_json (RPKI JSON files written by other software). There is no
// decode context; the whole input is the JSON text. A successful parse is written back in the
// rpki-client format, which must parse to equal VRPs and keys and to an equal ASPA table (the
// writer lists each ASPA record once per address family).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "aspa/aspa_table.hpp"
#include "rpki/rpki_json.hpp"

namespace {
// Fixed, so that runs are deterministic: 2025-11-24T16:00:00Z.
constexpr std::int64_t kNow = 1764000000;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // JSON text is bytes; std::string_view over the same memory (no copy, no arithmetic).
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = bgpsecd::rpki::parse_rpki_json(text, kNow);
  if (!parsed) {
    return 0;
  }
  const auto written = bgpsecd::rpki::to_rpki_client_json(*parsed);
  auto again = bgpsecd::rpki::parse_rpki_json(written, kNow);
  if (!again || again->vrps != parsed->vrps || again->router_keys != parsed->router_keys) {
    __builtin_trap();
  }
  using bgpsecd::aspa::AspaTable;
  if (AspaTable::build(again->aspas).records() != AspaTable::build(parsed->aspas).records()) {
    __builtin_trap();
  }
  return 0;
}
