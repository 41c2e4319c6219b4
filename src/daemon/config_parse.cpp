// SPDX-License-Identifier: BSD-2-Clause
// What the parts of the configuration parser share (config_parse.hpp).
#include "daemon/config_parse.hpp"

namespace bgpsecd::daemon::config_detail {

// remove_private_as: "none", "leading" or "all"; or a boolean, the form of older versions
// (true: "leading", the one mode they had; false: "none").
base::Result<void> Section::read_private_as_removal(const toml::table& t, std::string_view ctx,
                                                    rib::PrivateAsRemoval& out) {
  constexpr std::string_view key = "remove_private_as";
  const toml::node* node = t.get(key);
  if (node == nullptr)
    return {};
  if (node->is_boolean()) {
    out = node->as_boolean()->get() ? rib::PrivateAsRemoval::Leading : rib::PrivateAsRemoval::None;
    return {};
  }
  if (!node->is_string()) {
    return error(node->source(), ctx,
                 "'remove_private_as' must be one of " + enum_choices(kPrivateAsRemovals) +
                     " (or a boolean: true = \"leading\"), not " + type_name(*node));
  }
  return read_enum(t, key, ctx, kPrivateAsRemovals, out);
}

base::Result<Community> Section::community(const toml::node& node, std::string_view text,
                                           std::string_view key, std::string_view ctx) {
  auto parsed = parse_community(text);
  if (!parsed)
    return error(node.source(), ctx, "'" + std::string(key) + "': " + parsed.error().message);
  return *parsed;
}

}  // namespace bgpsecd::daemon::config_detail
