// SPDX-License-Identifier: BSD-2-Clause
// Policy evaluation; see policy.hpp and man/bgpsecd.conf.5.md for the rule semantics.
#include "daemon/policy.hpp"

#include <algorithm>
#include <type_traits>
#include <variant>

namespace bgpsecd::daemon {
namespace {

bool has_community(const wire::PathAttributes& attrs, const Community& community) {
  return std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, std::uint32_t>) {
          return std::find(attrs.communities.begin(), attrs.communities.end(), c) !=
                 attrs.communities.end();
        } else {
          return std::find(attrs.large_communities.begin(), attrs.large_communities.end(), c) !=
                 attrs.large_communities.end();
        }
      },
      community);
}

void add_community(PolicySubject& subject, const Community& community) {
  if (has_community(subject.current(), community)) {
    return;
  }
  wire::PathAttributes& attrs = subject.edit();
  std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, std::uint32_t>) {
          attrs.communities.push_back(c);
        } else {
          attrs.large_communities.push_back(c);
        }
      },
      community);
}

void apply_set(const PolicySet& set, PolicySubject& subject) {
  if (set.local_pref) {
    subject.local_pref = *set.local_pref;
  }
  if (set.med && subject.current().med != set.med) {
    subject.edit().med = *set.med;
  }
  for (const auto& c : set.add_community) {
    add_community(subject, c);
  }
  subject.prepend = static_cast<std::uint8_t>(std::min(255, subject.prepend + set.prepend));
}

}  // namespace

bool policy_matches(const PolicyMatch& match, const Config& config, const PolicySubject& subject) {
  const wire::PathAttributes& attrs = subject.current();
  if (match.prefix_list) {
    const auto* list = config.find_prefix_list(*match.prefix_list);
    if (list == nullptr || !list->matches(subject.prefix)) {
      return false;
    }
  }
  if (match.as_path_contains) {
    const bool in_path = attrs.as_path && attrs.as_path->contains(*match.as_path_contains);
    const bool in_secure_path =
        std::any_of(subject.secure_path.begin(), subject.secure_path.end(),
                    [&](const auto& s) { return s.asn == *match.as_path_contains; });
    if (!in_path && !in_secure_path) {
      return false;
    }
  }
  if (match.origin_as) {
    base::Asn origin;
    bool found = false;
    if (!subject.secure_path.empty()) {
      origin = subject.secure_path.back().asn;  // least recent segment
      found = true;
    } else if (attrs.as_path) {
      found = attrs.as_path->origin_as(origin);
    }
    if (!found || origin != *match.origin_as) {
      return false;
    }
  }
  if (match.community && !has_community(attrs, *match.community)) {
    return false;
  }
  if (match.path_state && *match.path_state != subject.path_state) {
    return false;
  }
  if (match.origin_state && *match.origin_state != subject.origin_state) {
    return false;
  }
  if (match.aspa_state && *match.aspa_state != subject.aspa_state) {
    return false;
  }
  if (match.otc && *match.otc != attrs.otc.has_value()) {
    return false;
  }
  return true;
}

PolicyVerdict apply_policy(const Policy* policy, const Config& config, bool ebgp,
                           PolicySubject& subject) {
  if (policy == nullptr) {
    return verdict_without_policy(ebgp);
  }
  for (const auto& rule : policy->rules) {
    if (!policy_matches(rule.match, config, subject)) {
      continue;
    }
    apply_set(rule.set, subject);
    if (rule.action == PolicyAction::Accept) {
      return PolicyVerdict::Accept;
    }
    if (rule.action == PolicyAction::Reject) {
      return PolicyVerdict::Reject;
    }
  }
  return policy->default_action == PolicyAction::Accept ? PolicyVerdict::Accept
                                                        : PolicyVerdict::Reject;
}

}  // namespace bgpsecd::daemon
