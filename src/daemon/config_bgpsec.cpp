// SPDX-License-Identifier: BSD-2-Clause
// [bgpsec]: router keys, how BGPsec and origin states are handled, and their preference.
#include <limits>

#include "daemon/config_parse.hpp"
#include "service/config_tables.hpp"

namespace bgpsecd::daemon::config_detail {

base::Result<void> BgpsecSection::parse_bgpsec(const toml::table& root) {
  constexpr std::string_view ctx = "bgpsec";
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* t, sub_table(root, "bgpsec", ctx));
  if (t == nullptr)
    return {};
  BGPSEC_TRY(
      check_keys(*t, ctx,
                 {"key_dir", "key_files", "active_key", "syntax_error_action", "remove_private_as",
                  "ibgp_state", "preference", "drop_not_valid", "drop_origin_invalid",
                  "validation_threads", "signature_cache_entries", "key_tables", "small_key_tables",
                  "multi_buffer", "defer_when_queued", "key_expiry_warning", "validation_order"}));
  BgpsecConfig& b = config_.bgpsec;
  BGPSEC_TRY(service::read_key_sources(*this, *t, ctx, b));
  BGPSEC_TRY(read_enum(*t, "syntax_error_action", ctx, kSyntaxErrorActions, b.syntax_error_action));
  BGPSEC_TRY(read_private_as_removal(*t, ctx, b.remove_private_as));
  BGPSEC_TRY(read_enum(*t, "ibgp_state", ctx, kIbgpStates, b.ibgp_state));
  BGPSEC_TRY(read_bool(*t, "drop_not_valid", ctx, b.drop_not_valid));
  BGPSEC_TRY(read_bool(*t, "drop_origin_invalid", ctx, b.drop_origin_invalid));
  BGPSEC_TRY(read_int(*t, "validation_threads", ctx, 0, 256, b.validation_threads));
  BGPSEC_TRY(
      read_int(*t, "signature_cache_entries", ctx, 0, 1'000'000'000, b.signature_cache_entries));
  BGPSEC_TRY(read_int(*t, "key_tables", ctx, 0, 10'000'000, b.key_tables));
  BGPSEC_TRY(read_int(*t, "small_key_tables", ctx, 0, 10'000'000, b.small_key_tables));
  BGPSEC_TRY(read_bool(*t, "multi_buffer", ctx, b.multi_buffer));
  BGPSEC_TRY(read_opt_int(*t, "defer_when_queued", ctx, 0, 10'000'000, b.defer_when_queued));
  BGPSEC_TRY(read_enum(*t, "validation_order", ctx, kValidationOrders, b.validation_order));
  std::int64_t expiry_warning = b.key_expiry_warning.count();
  BGPSEC_TRY(read_int(*t, "key_expiry_warning", ctx, 0, 366 * 86'400, expiry_warning));
  b.key_expiry_warning = std::chrono::seconds{expiry_warning};
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* pref, sub_table(*t, "preference", ctx));
  if (pref != nullptr) {
    constexpr std::string_view pctx = "bgpsec preference";
    BGPSEC_TRY(check_keys(*pref, pctx,
                          {"path_valid", "path_unsigned", "path_pending", "path_not_valid",
                           "origin_valid", "origin_not_found", "origin_invalid"}));
    constexpr std::int64_t kMax = std::numeric_limits<std::uint32_t>::max();
    rib::StatePreference& p = b.preference;
    BGPSEC_TRY(read_int(*pref, "path_valid", pctx, -kMax, kMax, p.path_valid));
    BGPSEC_TRY(read_int(*pref, "path_unsigned", pctx, -kMax, kMax, p.path_unsigned));
    BGPSEC_TRY(read_int(*pref, "path_pending", pctx, -kMax, kMax, p.path_pending));
    BGPSEC_TRY(read_int(*pref, "path_not_valid", pctx, -kMax, kMax, p.path_not_valid));
    BGPSEC_TRY(read_int(*pref, "origin_valid", pctx, -kMax, kMax, p.origin_valid));
    BGPSEC_TRY(read_int(*pref, "origin_not_found", pctx, -kMax, kMax, p.origin_not_found));
    BGPSEC_TRY(read_int(*pref, "origin_invalid", pctx, -kMax, kMax, p.origin_invalid));
  }
  return {};
}

}  // namespace bgpsecd::daemon::config_detail

namespace bgpsecd::daemon {

bool operator==(const BgpsecConfig& a, const BgpsecConfig& b) {
  const auto pref = [](const rib::StatePreference& p) {
    return std::array<std::int64_t, 7>{p.path_valid,     p.path_unsigned, p.path_pending,
                                       p.path_not_valid, p.origin_valid,  p.origin_not_found,
                                       p.origin_invalid};
  };
  return a.key_dir == b.key_dir && a.key_files == b.key_files && a.active_key == b.active_key &&
         a.syntax_error_action == b.syntax_error_action &&
         a.remove_private_as == b.remove_private_as && a.ibgp_state == b.ibgp_state &&
         pref(a.preference) == pref(b.preference) && a.drop_not_valid == b.drop_not_valid &&
         a.drop_origin_invalid == b.drop_origin_invalid &&
         a.validation_threads == b.validation_threads &&
         a.signature_cache_entries == b.signature_cache_entries && a.key_tables == b.key_tables &&
         a.small_key_tables == b.small_key_tables && a.multi_buffer == b.multi_buffer &&
         a.defer_when_queued == b.defer_when_queued &&
         a.key_expiry_warning == b.key_expiry_warning && a.validation_order == b.validation_order;
}

}  // namespace bgpsecd::daemon
