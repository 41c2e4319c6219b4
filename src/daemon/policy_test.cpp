// SPDX-License-Identifier: BSD-2-Clause
// Tests of policy evaluation (policy.cpp): every match kind, every set, the Next action
// chaining sets into later rules, default actions, and RFC 8212 for a missing policy. The
// policies are written as a config file would write them (man/bgpsecd.conf.5.md).
#include "daemon/policy.hpp"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wire/communities.hpp"

namespace bgpsecd::daemon {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kGlobal = R"([global]
asn = 65001
router_id = "127.0.0.1"
[[prefix_list]]
name = "docs"
prefixes = ["192.0.2.0/24", "10.0.0.0/8 ge 16 le 24"]
)";

// The config with `policy` (one [[policy]] named "p", TOML) appended.
Config config_with(const std::string& policy) {
  auto config = parse_config(std::string(kGlobal) + policy, "t.toml");
  EXPECT_TRUE(config.has_value()) << (config ? "" : config.error().message);
  return config ? *config : Config{};
}

wire::AsPath sequence(std::vector<std::uint32_t> asns) {
  wire::AsPathSegment segment{wire::AsPathSegmentType::AsSequence, {}};
  for (const auto a : asns) {
    segment.asns.emplace_back(a);
  }
  return wire::AsPath{{segment}};
}

std::span<const wire::SecurePathSegment> bgpsec_of(const wire::PathAttributes& attrs) {
  return attrs.bgpsec_path
             ? std::span<const wire::SecurePathSegment>(attrs.bgpsec_path->secure_path)
             : std::span<const wire::SecurePathSegment>();
}

// One route and what a policy did to it.
struct Route {
  base::Prefix prefix = *base::Prefix::parse("192.0.2.0/24");
  wire::PathAttributes attrs;
  rib::PathState path_state = rib::PathState::Unsigned;
  rib::OriginState origin_state = rib::OriginState::NotFound;
  rib::AspaState aspa_state = rib::AspaState::Unverified;
  std::uint32_t local_pref = rib::kDefaultLocalPref;
  std::uint8_t prepend = 0;
  bool copied = false;  // the policy worked on a copy of the attributes

  Route() { attrs.as_path = sequence({65002, 65003}); }

  // Runs the policy "p" of `config` (or none) and keeps what it set.
  PolicyVerdict run(const Config& config, bool ebgp = true) {
    PolicySubject subject{prefix,     attrs,      bgpsec_of(attrs), path_state,  origin_state,
                          aspa_state, local_pref, prepend,          std::nullopt};
    const auto verdict = apply_policy(config.find_policy("p"), config, ebgp, subject);
    local_pref = subject.local_pref;
    prepend = subject.prepend;
    copied = subject.edited.has_value();
    if (subject.edited) {
      attrs = *subject.edited;
    }
    return verdict;
  }
  bool matches(const Config& config) {
    PolicySubject subject{prefix,     attrs,      bgpsec_of(attrs), path_state,  origin_state,
                          aspa_state, local_pref, prepend,          std::nullopt};
    return policy_matches(config.policies.at(0).rules.at(0).match, config, subject);
  }
};

// A policy whose single rule accepts what `match` (an inline TOML table) selects.
Config accept_if(const std::string& match) {
  return config_with("[[policy]]\nname = \"p\"\n[[policy.rule]]\nmatch = " + match +
                     "\naction = \"accept\"\n");
}

// ===== match =====

TEST(PolicyMatch, EmptyMatchSelectsEveryRoute) {
  const auto config = accept_if("{}");
  Route r;
  EXPECT_TRUE(r.matches(config));
  EXPECT_EQ(r.run(config), PolicyVerdict::Accept);
}

TEST(PolicyMatch, PrefixListExactAndRange) {
  const auto config = accept_if(R"({ prefix_list = "docs" })");
  Route r;
  EXPECT_EQ(r.run(config), PolicyVerdict::Accept);  // exact entry
  r.prefix = *base::Prefix::parse("192.0.2.0/25");
  EXPECT_EQ(r.run(config), PolicyVerdict::Reject);  // exact entry: longer is out
  r.prefix = *base::Prefix::parse("10.1.0.0/16");
  EXPECT_EQ(r.run(config), PolicyVerdict::Accept);  // ge 16
  r.prefix = *base::Prefix::parse("10.1.2.0/24");
  EXPECT_EQ(r.run(config), PolicyVerdict::Accept);  // le 24
  r.prefix = *base::Prefix::parse("10.0.0.0/8");
  EXPECT_EQ(r.run(config), PolicyVerdict::Reject);  // shorter than ge
  r.prefix = *base::Prefix::parse("10.1.2.0/25");
  EXPECT_EQ(r.run(config), PolicyVerdict::Reject);  // longer than le
  r.prefix = *base::Prefix::parse("2001:db8::/32");
  EXPECT_EQ(r.run(config), PolicyVerdict::Reject);  // other family
}

TEST(PolicyMatch, UnknownPrefixListMatchesNothing) {
  // The parser refuses an undefined name; a config built in code can still hold one.
  auto config = accept_if(R"({ prefix_list = "docs" })");
  config.prefix_lists.clear();
  Route r;
  EXPECT_FALSE(r.matches(config));
}

TEST(PolicyMatch, AsPathContainsLooksAtAsPathAndSecurePath) {
  const auto config = accept_if(R"({ as_path_contains = 65003 })");
  Route r;
  EXPECT_TRUE(r.matches(config));  // the origin
  r.attrs.as_path = sequence({65003, 65004});
  EXPECT_TRUE(r.matches(config));  // the neighbor AS
  r.attrs.as_path = wire::AsPath{{{wire::AsPathSegmentType::AsSet, {base::Asn(65003)}}}};
  EXPECT_TRUE(r.matches(config));  // inside an AS_SET
  r.attrs.as_path = sequence({65002});
  EXPECT_FALSE(r.matches(config));
  r.attrs.as_path.reset();
  EXPECT_FALSE(r.matches(config));
  // A BGPsec route: the Secure_Path counts (its AS_PATH is absent on the wire).
  r.attrs.bgpsec_path = wire::BgpsecPath{{{1, 0, base::Asn(65002)}, {1, 0, base::Asn(65003)}}, {}};
  EXPECT_TRUE(r.matches(config));
  r.attrs.bgpsec_path->secure_path.pop_back();
  EXPECT_FALSE(r.matches(config));
}

TEST(PolicyMatch, OriginAsIsTheLastAsOfThePath) {
  const auto config = accept_if(R"({ origin_as = "AS65003" })");
  Route r;
  EXPECT_TRUE(r.matches(config));
  r.attrs.as_path = sequence({65003, 65002});  // 65003 only as the neighbor
  EXPECT_FALSE(r.matches(config));
  // RFC 6811 §2: a path ending in an AS_SET has no origin AS.
  r.attrs.as_path = sequence({65002});
  r.attrs.as_path->segments.push_back({wire::AsPathSegmentType::AsSet, {base::Asn(65003)}});
  EXPECT_FALSE(r.matches(config));
  r.attrs.as_path = wire::AsPath{};  // empty: our own network
  EXPECT_FALSE(r.matches(config));
  // BGPsec: the least recent Secure_Path segment, not the AS_PATH.
  r.attrs.as_path = sequence({65009});
  r.attrs.bgpsec_path = wire::BgpsecPath{{{1, 0, base::Asn(65002)}, {2, 0, base::Asn(65003)}}, {}};
  EXPECT_TRUE(r.matches(config));
  r.attrs.bgpsec_path->secure_path.back().asn = base::Asn(65009);
  EXPECT_FALSE(r.matches(config));
}

TEST(PolicyMatch, StandardCommunity) {
  const auto config = accept_if(R"({ community = "65002:100" })");
  Route r;
  EXPECT_FALSE(r.matches(config));
  r.attrs.communities = {(65002U << 16) | 101U};
  EXPECT_FALSE(r.matches(config));
  r.attrs.communities.push_back((65002U << 16) | 100U);
  EXPECT_TRUE(r.matches(config));
  // A large community with the same numbers is another community.
  r.attrs.communities.clear();
  r.attrs.large_communities = {{65002, 100, 0}};
  EXPECT_FALSE(r.matches(config));
}

TEST(PolicyMatch, WellKnownCommunityByName) {
  const auto config = accept_if(R"({ community = "no-export" })");
  Route r;
  r.attrs.communities = {wire::kCommunityNoExport};
  EXPECT_TRUE(r.matches(config));
}

TEST(PolicyMatch, LargeCommunity) {
  const auto config = accept_if(R"({ community = "4200000001:1:2" })");
  Route r;
  r.attrs.large_communities = {{4200000001, 1, 3}};
  EXPECT_FALSE(r.matches(config));
  r.attrs.large_communities.push_back({4200000001, 1, 2});
  EXPECT_TRUE(r.matches(config));
}

TEST(PolicyMatch, PathState) {
  const auto config = accept_if(R"({ path_state = "not-valid" })");
  Route r;
  for (const auto state :
       {rib::PathState::Valid, rib::PathState::Unsigned, rib::PathState::Pending}) {
    r.path_state = state;
    EXPECT_FALSE(r.matches(config)) << rib::path_state_name(state);
  }
  r.path_state = rib::PathState::NotValid;
  EXPECT_TRUE(r.matches(config));
  EXPECT_TRUE(Route().matches(accept_if(R"({ path_state = "unsigned" })")));
}

TEST(PolicyMatch, OriginState) {
  const auto config = accept_if(R"({ origin_state = "invalid" })");
  Route r;
  EXPECT_FALSE(r.matches(config));  // not-found
  r.origin_state = rib::OriginState::Valid;
  EXPECT_FALSE(r.matches(config));
  r.origin_state = rib::OriginState::Invalid;
  EXPECT_TRUE(r.matches(config));
  EXPECT_TRUE(Route().matches(accept_if(R"({ origin_state = "not-found" })")));
}

TEST(PolicyMatch, Rfc9234Otc) {
  const auto with = accept_if("{ otc = true }");
  const auto without = accept_if("{ otc = false }");
  Route r;
  EXPECT_FALSE(r.matches(with));
  EXPECT_TRUE(r.matches(without));
  r.attrs.otc = base::Asn(65002);
  EXPECT_TRUE(r.matches(with));
  EXPECT_FALSE(r.matches(without));
  // Round trip through the normal form.
  EXPECT_EQ(parse_config(to_normal_form(with), "n.toml").value_or(Config{}).policies,
            with.policies);
}

TEST(PolicyMatch, AspaState) {
  const auto config = accept_if(R"({ aspa_state = "invalid" })");
  Route r;
  EXPECT_FALSE(r.matches(config));  // unverified
  r.aspa_state = rib::AspaState::Unknown;
  EXPECT_FALSE(r.matches(config));
  r.aspa_state = rib::AspaState::Invalid;
  EXPECT_TRUE(r.matches(config));
  EXPECT_TRUE(Route().matches(accept_if(R"({ aspa_state = "unverified" })")));
  r.aspa_state = rib::AspaState::Valid;
  EXPECT_TRUE(r.matches(accept_if(R"({ aspa_state = "valid" })")));
}

TEST(PolicyMatch, EveryConditionMustHold) {
  const auto config =
      accept_if(R"({ prefix_list = "docs", origin_as = 65003, path_state = "unsigned" })");
  Route r;
  EXPECT_TRUE(r.matches(config));
  r.path_state = rib::PathState::Valid;
  EXPECT_FALSE(r.matches(config));
  r.path_state = rib::PathState::Unsigned;
  r.prefix = *base::Prefix::parse("198.51.100.0/24");
  EXPECT_FALSE(r.matches(config));
}

// ===== set =====

TEST(PolicySet, LocalPrefMedCommunitiesPrepend) {
  const auto config = config_with(R"([[policy]]
name = "p"
[[policy.rule]]
set = { local_pref = 250, med = 7, add_community = ["65001:1", "65001:0:9", "no-export"], prepend = 2 }
action = "accept"
)");
  Route r;
  r.attrs.communities = {wire::kCommunityNoExport};  // present already: not added twice
  ASSERT_EQ(r.run(config), PolicyVerdict::Accept);
  EXPECT_EQ(r.local_pref, 250U);
  EXPECT_EQ(r.attrs.med, 7U);
  EXPECT_THAT(r.attrs.communities, ElementsAre(wire::kCommunityNoExport, (65001U << 16) | 1U));
  EXPECT_THAT(r.attrs.large_communities, ElementsAre(wire::LargeCommunity{65001, 0, 9}));
  EXPECT_TRUE(r.copied);
  EXPECT_EQ(r.prepend, 2);
  // The AS_PATH itself is not touched: prepending is the exporter's job (pCount in BGPsec).
  EXPECT_EQ(r.attrs.as_path, sequence({65002, 65003}));
}

TEST(PolicySet, NothingSetLeavesTheRouteAlone) {
  const auto config = accept_if("{}");
  Route r;
  r.attrs.med = 5;
  const auto before = r.attrs;
  ASSERT_EQ(r.run(config), PolicyVerdict::Accept);
  EXPECT_EQ(r.attrs, before);
  EXPECT_FALSE(r.copied);  // nothing to change, so no copy of the attributes either
  EXPECT_EQ(r.local_pref, rib::kDefaultLocalPref);
  EXPECT_EQ(r.prepend, 0);
}

TEST(PolicySet, SettingWhatIsThereAlreadyCopiesNothing) {
  const auto config = config_with(R"([[policy]]
name = "p"
[[policy.rule]]
set = { med = 5, add_community = ["no-export"] }
action = "accept"
)");
  Route r;
  r.attrs.med = 5;
  r.attrs.communities = {wire::kCommunityNoExport};
  const auto before = r.attrs;
  ASSERT_EQ(r.run(config), PolicyVerdict::Accept);
  EXPECT_EQ(r.attrs, before);
  EXPECT_FALSE(r.copied);
}

TEST(PolicySet, LaterRulesSetOnTopOfWhatEarlierOnesSet) {
  // Each rule's set sees the attributes as the rules before it left them, not as received: a
  // community added twice stays one, and a MED set back to what the route came with is that.
  const auto config = config_with(R"([[policy]]
name = "p"
default_action = "accept"
[[policy.rule]]
set = { med = 1, add_community = ["65001:7"] }
[[policy.rule]]
set = { med = 5, add_community = ["65001:7"] }
)");
  Route r;
  r.attrs.med = 5;
  const auto before = r.attrs;
  ASSERT_EQ(r.run(config), PolicyVerdict::Accept);
  EXPECT_EQ(r.attrs.med, 5U);
  EXPECT_THAT(r.attrs.communities, ElementsAre((65001U << 16) | 7U));
  auto expected = before;
  expected.communities = {(65001U << 16) | 7U};
  EXPECT_EQ(r.attrs, expected);
}

TEST(PolicySet, PrependAddsUpAndStopsAt255) {
  const auto config = config_with(R"([[policy]]
name = "p"
default_action = "accept"
[[policy.rule]]
set = { prepend = 254 }
[[policy.rule]]
set = { prepend = 254 }
)");
  Route r;
  r.prepend = 1;
  ASSERT_EQ(r.run(config), PolicyVerdict::Accept);
  EXPECT_EQ(r.prepend, 255);
}

// ===== actions =====

TEST(PolicyAction, NextAppliesTheSetAndLaterRulesSeeIt) {
  // Rule 1 tags every route and goes on; rule 2 matches the tag rule 1 added; rule 3 is
  // never reached for it.
  const auto config = config_with(R"([[policy]]
name = "p"
[[policy.rule]]
set = { local_pref = 150, add_community = ["65001:7"] }
action = "next"
[[policy.rule]]
match = { community = "65001:7", prefix_list = "docs" }
set = { med = 20 }
action = "accept"
[[policy.rule]]
set = { local_pref = 999 }
action = "reject"
)");
  Route r;
  ASSERT_EQ(r.run(config), PolicyVerdict::Accept);
  EXPECT_EQ(r.local_pref, 150U);
  EXPECT_EQ(r.attrs.med, 20U);
  EXPECT_THAT(r.attrs.communities, ElementsAre((65001U << 16) | 7U));
  // A route outside the prefix list falls through to rule 3, whose set is applied before
  // its reject.
  Route other;
  other.prefix = *base::Prefix::parse("198.51.100.0/24");
  ASSERT_EQ(other.run(config), PolicyVerdict::Reject);
  EXPECT_EQ(other.local_pref, 999U);
  EXPECT_FALSE(other.attrs.med.has_value());
}

TEST(PolicyAction, LaterNextOverridesEarlierSet) {
  const auto config = config_with(R"([[policy]]
name = "p"
default_action = "accept"
[[policy.rule]]
set = { local_pref = 10, med = 1 }
[[policy.rule]]
match = { origin_as = 65003 }
set = { local_pref = 20 }
[[policy.rule]]
match = { origin_as = 65099 }
set = { med = 99 }
)");
  Route r;
  ASSERT_EQ(r.run(config), PolicyVerdict::Accept);  // no rule ended it: default accept
  EXPECT_EQ(r.local_pref, 20U);
  EXPECT_EQ(r.attrs.med, 1U);  // the non-matching rule set nothing
}

TEST(PolicyAction, FirstMatchingAcceptOrRejectWins) {
  const auto config = config_with(R"([[policy]]
name = "p"
default_action = "accept"
[[policy.rule]]
match = { origin_state = "invalid" }
action = "reject"
[[policy.rule]]
match = { origin_as = 65003 }
action = "accept"
)");
  Route r;
  EXPECT_EQ(r.run(config), PolicyVerdict::Accept);
  r.origin_state = rib::OriginState::Invalid;
  EXPECT_EQ(r.run(config), PolicyVerdict::Reject);
}

TEST(PolicyAction, DefaultActionRejectIsTheDefault) {
  const auto config = config_with(R"([[policy]]
name = "p"
[[policy.rule]]
match = { origin_as = 65099 }
action = "accept"
)");
  ASSERT_EQ(config.policies.at(0).default_action, PolicyAction::Reject);
  Route r;
  EXPECT_EQ(r.run(config), PolicyVerdict::Reject);
  EXPECT_EQ(r.run(config, /*ebgp=*/false), PolicyVerdict::Reject);  // iBGP too
}

TEST(PolicyAction, DefaultActionAccept) {
  const auto config = config_with(R"([[policy]]
name = "p"
default_action = "accept"
[[policy.rule]]
match = { origin_as = 65099 }
action = "reject"
)");
  Route r;
  EXPECT_EQ(r.run(config), PolicyVerdict::Accept);
}

TEST(PolicyAction, PolicyWithoutRulesIsItsDefault) {
  Route r;
  EXPECT_EQ(r.run(config_with("[[policy]]\nname = \"p\"\ndefault_action = \"accept\"\n")),
            PolicyVerdict::Accept);
  EXPECT_EQ(r.run(config_with("[[policy]]\nname = \"p\"\n")), PolicyVerdict::Reject);
}

// ===== RFC 8212 =====

TEST(PolicyRfc8212, NoPolicyOnEbgpRejects) {
  const auto config = config_with("");
  ASSERT_EQ(config.find_policy("p"), nullptr);
  Route r;
  const auto before = r.attrs;
  EXPECT_EQ(r.run(config, /*ebgp=*/true), PolicyVerdict::Reject);
  EXPECT_EQ(r.attrs, before);
}

TEST(PolicyRfc8212, NoPolicyOnIbgpAcceptsUnchanged) {
  const auto config = config_with("");
  Route r;
  r.attrs.communities = {wire::kCommunityNoExport};
  const auto before = r.attrs;
  EXPECT_EQ(r.run(config, /*ebgp=*/false), PolicyVerdict::Accept);
  EXPECT_EQ(r.attrs, before);
  EXPECT_EQ(r.local_pref, rib::kDefaultLocalPref);
  EXPECT_THAT(r.attrs.large_communities, IsEmpty());
}

TEST(PolicyRfc8212, APolicyOnEbgpDecidesByItself) {
  Route r;
  EXPECT_EQ(r.run(accept_if("{}"), /*ebgp=*/true), PolicyVerdict::Accept);
}

}  // namespace
}  // namespace bgpsecd::daemon
