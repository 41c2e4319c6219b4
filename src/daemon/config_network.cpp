// SPDX-License-Identifier: BSD-2-Clause
// [[network]]: the prefixes we originate and their communities.
#include "daemon/config_parse.hpp"

namespace bgpsecd::daemon::config_detail {

base::Result<void> NetworkSection::parse_networks(const toml::table& root) {
  BGPSEC_ASSIGN_OR_RETURN(const toml::array* networks, array_of_tables(root, "network", "network"));
  if (networks == nullptr)
    return {};
  for (const toml::node& node : *networks) {
    const toml::table& t = *node.as_table();
    const std::string index_ctx = "network #" + std::to_string(config_.networks.size() + 1);
    BGPSEC_ASSIGN_OR_RETURN(const toml::node* prefix_node, require(t, "prefix", index_ctx));
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view text,
                            string_of(*prefix_node, "prefix", index_ctx));
    auto prefix = base::Prefix::parse(text);
    if (!prefix)
      return error(prefix_node->source(), index_ctx, "'prefix': " + prefix.error().message);
    const std::string ctx = "network " + prefix->to_string();
    for (const Network& other : config_.networks) {
      if (other.prefix == *prefix)
        return error(prefix_node->source(), ctx, "network given twice");
    }
    BGPSEC_TRY(check_keys(t, ctx, {"prefix", "communities"}));
    Network network{*prefix, {}};
    BGPSEC_TRY(for_each_string(
        t, "communities", ctx, [&](std::string_view c, const toml::node& n) -> base::Result<void> {
          BGPSEC_ASSIGN_OR_RETURN(Community value, community(n, c, "communities", ctx));
          network.communities.push_back(value);
          return {};
        }));
    config_.networks.push_back(std::move(network));
  }
  return {};
}

}  // namespace bgpsecd::daemon::config_detail
