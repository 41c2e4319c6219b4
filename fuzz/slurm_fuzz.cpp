// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target for parse_slurm (RFC 8416 files, written by hand). There is no decode context;
// the whole input is the JSON text. A successful parse is written back with to_slurm_json,
// which must parse to an equal value, and applying it to a small data set must leave no VRP
// or key that a filter matches and every assertion present.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rpki/slurm.hpp"
#include "rpki/vrp_table.hpp"

namespace {

namespace rpki = bgpsecd::rpki;
namespace base = bgpsecd::base;

rpki::RpkiData sample_data() {
  rpki::RpkiData data;
  for (const char* p : {"192.0.2.0/24", "198.51.100.0/22", "10.0.0.0/8", "2001:db8::/32"}) {
    const auto prefix = base::Prefix::parse(p);
    if (!prefix) {
      __builtin_trap();  // constants above are valid prefixes
    }
    for (std::uint32_t asn : {0U, 64496U, 64497U}) {
      data.vrps.push_back(rpki::VrpEntry{*prefix, prefix->length(), base::Asn(asn), {}});
    }
  }
  return data;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // JSON text is bytes; std::string_view over the same memory (no copy, no arithmetic).
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = rpki::parse_slurm(text);
  if (!parsed) {
    return 0;
  }
  const auto written = rpki::to_slurm_json(*parsed);
  auto again = rpki::parse_slurm(written);
  if (!again || !(*again == *parsed)) {
    __builtin_trap();
  }

  static const rpki::RpkiData kSample = sample_data();
  const auto out = rpki::apply_slurm(*parsed, kSample);
  for (const auto& a : parsed->prefix_assertions) {
    const rpki::VrpEntry asserted{a.prefix, a.max_length(), a.asn, {}};
    const auto n = std::count_if(out.vrps.begin(), out.vrps.end(),
                                 [&](const auto& v) { return rpki::vrp_equal(v, asserted); });
    if (n < 1) {
      __builtin_trap();
    }
  }
  for (const auto& v : out.vrps) {
    const bool asserted = std::any_of(
        parsed->prefix_assertions.begin(), parsed->prefix_assertions.end(), [&](const auto& a) {
          return rpki::vrp_equal(v, rpki::VrpEntry{a.prefix, a.max_length(), a.asn, {}});
        });
    const bool filtered = std::any_of(parsed->prefix_filters.begin(), parsed->prefix_filters.end(),
                                      [&](const auto& f) { return rpki::filter_matches(f, v); });
    if (filtered && !asserted) {
      __builtin_trap();
    }
  }
  // Every asserted VRP is well-formed, so the table accepts the result.
  if (!rpki::VrpTable::build(out.vrps)) {
    __builtin_trap();
  }
  return 0;
}
