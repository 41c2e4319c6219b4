// SPDX-License-Identifier: BSD-2-Clause
// [[bmp]]: the BMP monitoring stations bgpsecd connects to (RFC 7854, docs/bmp.md).
#include "daemon/config_parse.hpp"

namespace bgpsecd::daemon::config_detail {

namespace {

// Seconds up to a day: longer waits or intervals are a typo.
constexpr std::int64_t kMaxSeconds = 86400;

}  // namespace

base::Result<void> BmpSection::parse_bmp(const toml::table& root) {
  BGPSEC_ASSIGN_OR_RETURN(const toml::array* stations, array_of_tables(root, "bmp", "bmp"));
  if (stations == nullptr)
    return {};
  for (const toml::node& node : *stations) {
    const toml::table& t = *node.as_table();
    const std::string index_ctx = "bmp #" + std::to_string(config_.bmp.size() + 1);
    BGPSEC_TRY(check_keys(
        t, index_ctx,
        {"address", "views", "stats_interval", "reconnect_min", "reconnect_max", "max_queue"}));
    BGPSEC_ASSIGN_OR_RETURN(const toml::node* addr_node, require(t, "address", index_ctx));
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view text,
                            string_of(*addr_node, "address", index_ctx));
    // RFC 7854 has no well-known port for BMP, and collectors differ: the port must be given.
    auto address = parse_endpoint(text, 0);
    if (!address)
      return error(addr_node->source(), index_ctx, "'address': " + address.error().message);
    if (address->port == 0) {
      return error(addr_node->source(), index_ctx,
                   "'address': give the station's port (\"ADDR:PORT\"); BMP has no default port");
    }
    const std::string ctx = "bmp " + address->to_string();
    for (const BmpStationConfig& other : config_.bmp) {
      if (other.address == *address)
        return error(addr_node->source(), ctx, "station given twice");
    }
    BmpStationConfig station;
    station.address = *address;
    if (const toml::node* views = t.get("views"); views != nullptr) {
      station.views = BmpViews{false, false, false};
      BGPSEC_TRY(for_each_string(
          t, "views", ctx, [&](std::string_view v, const toml::node& n) -> base::Result<void> {
            bool* flag = v == "pre-policy"    ? &station.views.pre_policy
                         : v == "post-policy" ? &station.views.post_policy
                         : v == "loc-rib"     ? &station.views.loc_rib
                                              : nullptr;
            if (flag == nullptr) {
              return error(n.source(), ctx,
                           "'views': unknown view '" + std::string(v) +
                               "' (expected pre-policy, post-policy or loc-rib)");
            }
            if (*flag)
              return error(n.source(), ctx, "'views': '" + std::string(v) + "' given twice");
            *flag = true;
            return {};
          }));
      if (station.views == BmpViews{false, false, false})
        return error(views->source(), ctx, "'views' must name at least one view");
    }
    const auto seconds = [&](std::string_view key, std::int64_t min,
                             std::chrono::seconds& out) -> base::Result<void> {
      std::int64_t value = out.count();
      BGPSEC_TRY(read_int(t, key, ctx, min, kMaxSeconds, value));
      out = std::chrono::seconds{value};
      return {};
    };
    BGPSEC_TRY(seconds("stats_interval", 0, station.stats_interval));
    BGPSEC_TRY(seconds("reconnect_min", 1, station.reconnect_min));
    BGPSEC_TRY(seconds("reconnect_max", 1, station.reconnect_max));
    if (station.reconnect_min > station.reconnect_max) {
      return error(t.source(), ctx, "reconnect_min is larger than reconnect_max");
    }
    // At least one largest BGP message (RFC 8654) wrapped in BMP must fit.
    BGPSEC_TRY(read_int(t, "max_queue", ctx, 131072, 0xFFFFFFFF, station.max_queue));
    config_.bmp.push_back(station);
  }
  return {};
}

}  // namespace bgpsecd::daemon::config_detail
