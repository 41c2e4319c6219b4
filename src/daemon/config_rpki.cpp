// SPDX-License-Identifier: BSD-2-Clause
// [rpki]: RPKI files, SLURM and the RTR caches ([[rpki.cache]]).
#include <chrono>

#include "daemon/config_parse.hpp"

namespace bgpsecd::daemon::config_detail {

base::Result<void> RpkiSection::parse_rpki(const toml::table& root) {
  constexpr std::string_view ctx = "rpki";
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* t, sub_table(root, "rpki", ctx));
  if (t == nullptr)
    return {};
  BGPSEC_TRY(check_keys(*t, ctx, {"cache", "files", "reload_interval", "slurm", "failover_after"}));
  RpkiConfig& r = config_.rpki;
  BGPSEC_TRY(for_each_string(*t, "files", ctx,
                             [&](std::string_view text, const toml::node& n) -> base::Result<void> {
                               if (text.empty())
                                 return error(n.source(), ctx, "'files': empty file name");
                               r.files.emplace_back(text);
                               return {};
                             }));
  std::int64_t seconds = r.reload_interval.count();
  BGPSEC_TRY(read_int(*t, "reload_interval", ctx, 0, 86400 * 7, seconds));
  r.reload_interval = std::chrono::seconds(seconds);
  BGPSEC_TRY(read_string(*t, "slurm", ctx, r.slurm_file));
  seconds = r.failover_after.count();
  BGPSEC_TRY(read_int(*t, "failover_after", ctx, 1, 86400, seconds));
  r.failover_after = std::chrono::seconds(seconds);
  BGPSEC_ASSIGN_OR_RETURN(const toml::array* caches, array_of_tables(*t, "cache", ctx));
  if (caches != nullptr) {
    for (const toml::node& node : *caches) {
      const toml::table& c = *node.as_table();
      const std::string cctx = "rpki cache #" + std::to_string(r.caches.size() + 1);
      BGPSEC_TRY(check_keys(c, cctx, {"address", "preference", "version"}));
      BGPSEC_ASSIGN_OR_RETURN(const toml::node* addr_node, require(c, "address", cctx));
      BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*addr_node, "address", cctx));
      auto parsed = rpki::parse_cache_address(std::string(text));
      if (!parsed)
        return error(addr_node->source(), cctx, "'address': " + parsed.error().message);
      RpkiCache cache;
      cache.host = parsed->host;
      cache.port = parsed->port;
      const std::string name = "rpki cache " + cache.address();
      BGPSEC_TRY(read_int(c, "preference", name, 0, 255, cache.preference));
      // RFC 8210 is version 1 (router keys); RFC 6810 version 0 carries only VRPs.
      BGPSEC_TRY(read_int(c, "version", name, 0, 1, cache.version));
      for (const RpkiCache& other : r.caches) {
        if (other.host == cache.host && other.port == cache.port) {
          return error(addr_node->source(), name, "cache given twice");
        }
      }
      r.caches.push_back(std::move(cache));
    }
  }
  return {};
}

}  // namespace bgpsecd::daemon::config_detail

namespace bgpsecd::daemon {

std::string RpkiCache::address() const {
  if (host.find(':') != std::string::npos)
    return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

rpki::RtrCacheConfig to_rtr_cache_config(const RpkiCache& cache) {
  rpki::RtrCacheConfig out;
  out.host = cache.host;
  out.port = cache.port;
  out.preference = cache.preference;
  out.max_version = cache.version;
  return out;
}

}  // namespace bgpsecd::daemon
