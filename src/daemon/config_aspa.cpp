// SPDX-License-Identifier: BSD-2-Clause
// [aspa]: whether routes from eBGP neighbors are verified against the ASPA data, and what the
// states do on import (docs/aspa.md §8).
#include <limits>

#include "daemon/config_parse.hpp"

namespace bgpsecd::daemon::config_detail {

base::Result<void> AspaSection::parse_aspa(const toml::table& root) {
  constexpr std::string_view ctx = "aspa";
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* t, sub_table(root, "aspa", ctx));
  if (t == nullptr)
    return {};
  BGPSEC_TRY(check_keys(*t, ctx, {"verify", "drop_invalid", "preference"}));
  AspaConfig& a = config_.aspa;
  BGPSEC_TRY(read_bool(*t, "verify", ctx, a.verify));
  BGPSEC_TRY(read_bool(*t, "drop_invalid", ctx, a.drop_invalid));
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* pref, sub_table(*t, "preference", ctx));
  if (pref != nullptr) {
    constexpr std::string_view pctx = "aspa preference";
    BGPSEC_TRY(check_keys(*pref, pctx, {"valid", "unknown", "invalid"}));
    constexpr std::int64_t kMax = std::numeric_limits<std::uint32_t>::max();
    BGPSEC_TRY(read_int(*pref, "valid", pctx, -kMax, kMax, a.preference.valid));
    BGPSEC_TRY(read_int(*pref, "unknown", pctx, -kMax, kMax, a.preference.unknown));
    BGPSEC_TRY(read_int(*pref, "invalid", pctx, -kMax, kMax, a.preference.invalid));
  }
  return {};
}

}  // namespace bgpsecd::daemon::config_detail
