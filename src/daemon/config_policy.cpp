// SPDX-License-Identifier: BSD-2-Clause
// [[prefix_list]] and [[policy]]: prefix lists, their entries, policies and their rules.
#include <algorithm>
#include <vector>

#include "daemon/config_parse.hpp"

namespace bgpsecd::daemon::config_detail {

base::Result<void> PolicySection::parse_prefix_lists(const toml::table& root) {
  BGPSEC_ASSIGN_OR_RETURN(const toml::array* lists,
                          array_of_tables(root, "prefix_list", "prefix_list"));
  if (lists == nullptr)
    return {};
  for (const toml::node& node : *lists) {
    const toml::table& t = *node.as_table();
    const std::string index_ctx = "prefix_list #" + std::to_string(config_.prefix_lists.size() + 1);
    BGPSEC_ASSIGN_OR_RETURN(const toml::node* name_node, require(t, "name", index_ctx));
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view name, string_of(*name_node, "name", index_ctx));
    if (name.empty())
      return error(name_node->source(), index_ctx, "'name' must not be empty");
    const std::string ctx = "prefix_list " + std::string(name);
    if (config_.find_prefix_list(name) != nullptr) {
      return error(name_node->source(), ctx, "prefix list defined twice");
    }
    BGPSEC_TRY(check_keys(t, ctx, {"name", "prefixes"}));
    PrefixList list{std::string(name), {}};
    BGPSEC_TRY(for_each_string(
        t, "prefixes", ctx, [&](std::string_view text, const toml::node& n) -> base::Result<void> {
          auto entry = parse_prefix_list_entry(text);
          if (!entry)
            return error(n.source(), ctx, "'prefixes': " + entry.error().message);
          list.entries.push_back(*entry);
          return {};
        }));
    config_.prefix_lists.push_back(std::move(list));
  }
  return {};
}

base::Result<void> PolicySection::parse_rule(const toml::table& t, std::string_view ctx,
                                             PolicyRule& rule) {
  BGPSEC_TRY(check_keys(t, ctx, {"match", "set", "action"}));
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* match, sub_table(t, "match", ctx));
  if (match != nullptr) {
    const std::string mctx = std::string(ctx) + " match";
    BGPSEC_TRY(check_keys(*match, mctx,
                          {"prefix_list", "as_path_contains", "origin_as", "community",
                           "path_state", "origin_state", "aspa_state", "otc"}));
    PolicyMatch& m = rule.match;
    if (const toml::node* n = match->get("prefix_list")) {
      BGPSEC_ASSIGN_OR_RETURN(const std::string_view name, string_of(*n, "prefix_list", mctx));
      if (config_.find_prefix_list(name) == nullptr) {
        return error(n->source(), mctx, "undefined prefix list '" + std::string(name) + "'");
      }
      m.prefix_list = std::string(name);
    }
    if (const toml::node* n = match->get("as_path_contains")) {
      BGPSEC_ASSIGN_OR_RETURN(m.as_path_contains, asn(*n, "as_path_contains", mctx));
    }
    if (const toml::node* n = match->get("origin_as")) {
      BGPSEC_ASSIGN_OR_RETURN(m.origin_as, asn(*n, "origin_as", mctx));
    }
    if (const toml::node* n = match->get("community")) {
      BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*n, "community", mctx));
      BGPSEC_ASSIGN_OR_RETURN(m.community, community(*n, text, "community", mctx));
    }
    if (match->get("path_state") != nullptr) {
      rib::PathState state{};
      BGPSEC_TRY(read_enum(*match, "path_state", mctx, kPathStates, state));
      m.path_state = state;
    }
    if (match->get("origin_state") != nullptr) {
      rib::OriginState state{};
      BGPSEC_TRY(read_enum(*match, "origin_state", mctx, kOriginStates, state));
      m.origin_state = state;
    }
    if (match->get("aspa_state") != nullptr) {
      rib::AspaState state{};
      BGPSEC_TRY(read_enum(*match, "aspa_state", mctx, kAspaStates, state));
      m.aspa_state = state;
    }
    if (match->get("otc") != nullptr) {
      bool has = false;
      BGPSEC_TRY(read_bool(*match, "otc", mctx, has));
      m.otc = has;
    }
  }
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* set, sub_table(t, "set", ctx));
  if (set != nullptr) {
    const std::string sctx = std::string(ctx) + " set";
    BGPSEC_TRY(check_keys(*set, sctx, {"local_pref", "med", "add_community", "prepend"}));
    constexpr std::int64_t kMax = std::numeric_limits<std::uint32_t>::max();
    BGPSEC_TRY(read_opt_int(*set, "local_pref", sctx, 0, kMax, rule.set.local_pref));
    BGPSEC_TRY(read_opt_int(*set, "med", sctx, 0, kMax, rule.set.med));
    BGPSEC_TRY(for_each_string(
        *set, "add_community", sctx,
        [&](std::string_view text, const toml::node& n) -> base::Result<void> {
          BGPSEC_ASSIGN_OR_RETURN(Community c, community(n, text, "add_community", sctx));
          rule.set.add_community.push_back(c);
          return {};
        }));
    // RFC 8205 §3.1: pCount is one octet and counts our AS once plus the prepends.
    BGPSEC_TRY(read_int(*set, "prepend", sctx, 0, 254, rule.set.prepend));
  }
  BGPSEC_TRY(read_enum(t, "action", ctx, kPolicyActions, rule.action));
  return {};
}

base::Result<void> PolicySection::parse_policies(const toml::table& root) {
  BGPSEC_ASSIGN_OR_RETURN(const toml::array* policies, array_of_tables(root, "policy", "policy"));
  if (policies == nullptr)
    return {};
  for (const toml::node& node : *policies) {
    const toml::table& t = *node.as_table();
    const std::string index_ctx = "policy #" + std::to_string(config_.policies.size() + 1);
    BGPSEC_ASSIGN_OR_RETURN(const toml::node* name_node, require(t, "name", index_ctx));
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view name, string_of(*name_node, "name", index_ctx));
    if (name.empty())
      return error(name_node->source(), index_ctx, "'name' must not be empty");
    const std::string ctx = "policy " + std::string(name);
    if (config_.find_policy(name) != nullptr) {
      return error(name_node->source(), ctx, "policy defined twice");
    }
    BGPSEC_TRY(check_keys(t, ctx, {"name", "default_action", "rule"}));
    Policy policy;
    policy.name = std::string(name);
    BGPSEC_TRY(read_enum(t, "default_action", ctx, kPolicyActions, policy.default_action));
    if (policy.default_action == PolicyAction::Next) {
      return error(t.get("default_action")->source(), ctx,
                   "'default_action' must be accept or reject");
    }
    BGPSEC_ASSIGN_OR_RETURN(const toml::array* rules, array_of_tables(t, "rule", ctx));
    if (rules != nullptr) {
      for (const toml::node& rule_node : *rules) {
        const std::string rctx = ctx + " rule #" + std::to_string(policy.rules.size() + 1);
        PolicyRule rule;
        BGPSEC_TRY(parse_rule(*rule_node.as_table(), rctx, rule));
        policy.rules.push_back(std::move(rule));
      }
    }
    config_.policies.push_back(std::move(policy));
  }
  return {};
}

}  // namespace bgpsecd::daemon::config_detail

namespace bgpsecd::daemon {

bool PrefixListEntry::matches(const base::Prefix& p) const noexcept {
  return prefix.contains(p) && p.length() >= ge && p.length() <= le;
}

std::string PrefixListEntry::to_string() const {
  if (ge == prefix.length() && le == prefix.length())
    return prefix.to_string();
  return prefix.to_string() + " ge " + std::to_string(ge) + " le " + std::to_string(le);
}

base::Result<PrefixListEntry> parse_prefix_list_entry(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ')
      ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ')
      ++i;
    if (i > start)
      words.push_back(text.substr(start, i - start));
  }
  const std::string bad = "'" + std::string(text) + "': expected \"PREFIX [ge N] [le M]\"";
  if (words.empty())
    return base::fail(bad);
  auto prefix = base::Prefix::parse(words[0]);
  if (!prefix)
    return base::fail("'" + std::string(text) + "': " + prefix.error().message);
  const std::uint8_t max = base::max_prefix_length(prefix->afi());
  PrefixListEntry entry{*prefix, prefix->length(), prefix->length()};
  bool has_ge = false;
  bool has_le = false;
  for (std::size_t w = 1; w < words.size(); w += 2) {
    if (w + 1 >= words.size())
      return base::fail(bad);
    const auto n = parse_unsigned(words[w + 1], max);
    if (!n)
      return base::fail("'" + std::string(text) + "': length must be 0.." + std::to_string(max));
    if (words[w] == "ge" && !has_ge && !has_le) {
      has_ge = true;
      entry.ge = static_cast<std::uint8_t>(*n);
    } else if (words[w] == "le" && !has_le) {
      has_le = true;
      entry.le = static_cast<std::uint8_t>(*n);
    } else {
      return base::fail(bad);
    }
  }
  if (has_ge && !has_le)
    entry.le = max;
  if (entry.ge < prefix->length() || entry.ge > entry.le) {
    return base::fail("'" + std::string(text) + "': need prefix length <= ge <= le");
  }
  return entry;
}

bool PrefixList::matches(const base::Prefix& p) const noexcept {
  return std::any_of(entries.begin(), entries.end(),
                     [&](const PrefixListEntry& e) { return e.matches(p); });
}

}  // namespace bgpsecd::daemon
