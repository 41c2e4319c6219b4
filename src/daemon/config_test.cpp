// SPDX-License-Identifier: BSD-2-Clause
// Tests of the bgpsecd configuration: the example config parses, the normal form round-trips,
// every class of error names its file:line:column, and the reload diff sorts neighbors into
// added / removed / reset / soft / updated.
#include "daemon/config.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "daemon/config_test_support.hpp"

namespace bgpsecd::daemon {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kMinimal = R"([global]
asn = 65001
router_id = "127.0.0.1"
)";

using testing::parse_error;
using testing::parse_ok;
using testing::replace;

std::string read_example() {
  std::ifstream in(std::string(BGPSEC_SOURCE_DIR) + "/etc/bgpsecd.example.toml");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// ===== example and defaults =====

TEST(ConfigExample, Parses) {
  auto config = load_config_file(std::string(BGPSEC_SOURCE_DIR) + "/etc/bgpsecd.example.toml");
  ASSERT_TRUE(config.has_value()) << config.error().message;
  const Config& c = *config;
  EXPECT_EQ(c.global.asn, base::Asn(65001));
  EXPECT_EQ(c.global.router_id, 0x7F000001U);
  ASSERT_EQ(c.global.listen.size(), 1U);
  EXPECT_EQ(c.global.listen[0].to_string(), "127.0.0.1:1790");
  ASSERT_EQ(c.rpki.caches.size(), 1U);
  EXPECT_EQ(c.rpki.caches[0].address(), "127.0.0.1:8282");
  EXPECT_EQ(to_rtr_cache_config(c.rpki.caches[0]).port, 8282);
  ASSERT_EQ(c.neighbors.size(), 3U);
  const NeighborConfig& bgpsec = c.neighbors[0];
  EXPECT_EQ(bgpsec.name(), "127.0.0.2");
  EXPECT_TRUE(bgpsec.bgpsec_send.ipv4 && bgpsec.bgpsec_send.ipv6);
  EXPECT_TRUE(bgpsec.bgpsec_receive.ipv4 && bgpsec.bgpsec_receive.ipv6);
  EXPECT_EQ(bgpsec.import_policy, "ebgp-in");
  EXPECT_FALSE(c.neighbors[1].bgpsec_send.ipv4);
  EXPECT_TRUE(c.neighbors[2].ibgp(c.global));
  EXPECT_TRUE(c.neighbors[2].bgpsec_send.ipv6);  // `bgpsec = true` shorthand
  ASSERT_EQ(c.policies.size(), 2U);
  ASSERT_EQ(c.policies[0].rules.size(), 4U);
  EXPECT_EQ(c.policies[0].rules[2].match.path_state, rib::PathState::Valid);
  EXPECT_EQ(c.policies[0].rules[2].set.local_pref, 200U);
  EXPECT_EQ(c.policies[0].rules[3].set.add_community,
            std::vector<Community>{Community(std::uint32_t{(65001U << 16) | 666U})});
  EXPECT_EQ(c.networks.size(), 2U);
  EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
}

// The EXAMPLE section of the config reference is a working config too.
TEST(ConfigExample, ManPageExampleParses) {
  std::ifstream in(std::string(BGPSEC_SOURCE_DIR) + "/man/bgpsecd.conf.5.md");
  std::string line;
  std::string example;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0)
      inside = line == "## EXAMPLE";
    if (inside && line.rfind("    ", 0) == 0)
      example += line.substr(4) + "\n";
    if (inside && line.empty())
      example += "\n";
  }
  ASSERT_FALSE(example.empty());
  const Config c = parse_ok(example);
  ASSERT_EQ(c.neighbors.size(), 1U);
  EXPECT_TRUE(c.neighbors[0].bgpsec_send.ipv4);
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ConfigDefaults, AreDocumentedValues) {
  const Config c = parse_ok(kMinimal);
  EXPECT_EQ(c.global.hold_time, 90);
  EXPECT_EQ(c.global.keepalive, 0);
  EXPECT_EQ(c.global.graceful_restart_time, 120);
  ASSERT_EQ(c.global.listen.size(), 1U);
  EXPECT_EQ(c.global.listen[0].to_string(), "0.0.0.0:179");
  EXPECT_EQ(c.global.control_socket, "/run/bgpsecd/bgpsecd.sock");
  ASSERT_TRUE(c.global.metrics_listen.has_value());
  EXPECT_EQ(c.global.metrics_listen->to_string(), "127.0.0.1:9179");
  EXPECT_EQ(c.bgpsec.syntax_error_action, SyntaxErrorAction::Withdraw);
  EXPECT_EQ(c.bgpsec.ibgp_state, IbgpState::Trust);
  EXPECT_EQ(c.bgpsec.remove_private_as, rib::PrivateAsRemoval::None);  // the default
  EXPECT_FALSE(c.bgpsec.drop_not_valid);
  EXPECT_EQ(c.bgpsec.validation_threads, 0U);  // one per core
  EXPECT_EQ(c.bgpsec.signature_cache_entries, 8'388'608U);
  EXPECT_EQ(c.bgpsec.key_tables, 4096U);
  EXPECT_EQ(c.bgpsec.small_key_tables, 131072U);
  EXPECT_TRUE(c.bgpsec.multi_buffer);                          // AVX-512 IFMA where the CPU has it
  EXPECT_EQ(c.bgpsec.defer_when_queued, std::nullopt);         // never defers validation
  EXPECT_EQ(c.bgpsec.validation_order, ValidationOrder::All);  // every route checked at once
  EXPECT_EQ(c.bgpsec.key_expiry_warning, std::chrono::hours(4));
  // RFC 8374 §8.3 (docs/design.md): Valid over unsigned over Not Valid by default.
  EXPECT_GT(c.bgpsec.preference.path_valid, c.bgpsec.preference.path_unsigned);
  EXPECT_GT(c.bgpsec.preference.path_unsigned, c.bgpsec.preference.path_not_valid);
  EXPECT_EQ(c.rpki.failover_after, std::chrono::seconds(10));
}

TEST(ConfigDefaults, NeighborFamilyFollowsAddressAndMetricsCanBeOff) {
  const Config c = parse_ok(std::string(kMinimal) + R"(
[metrics]
listen = ""
[[neighbor]]
address = "::1"
remote_as = 65001
)");
  EXPECT_FALSE(c.global.metrics_listen.has_value());
  ASSERT_EQ(c.neighbors.size(), 1U);
  EXPECT_FALSE(c.neighbors[0].ipv4);
  EXPECT_TRUE(c.neighbors[0].ipv6);
  EXPECT_EQ(c.neighbors[0].port, 179);
  EXPECT_TRUE(c.neighbors[0].graceful_restart);
  EXPECT_TRUE(c.neighbors[0].extended_messages);
  EXPECT_TRUE(c.neighbors[0].enhanced_route_refresh);  // RFC 7313, advertised by default
  EXPECT_EQ(c.neighbors[0].eorr_timeout, 300);
  EXPECT_TRUE(to_fsm_config(c.neighbors[0], c.global).session.enhanced_route_refresh);
}

// ===== normal form =====

TEST(ConfigNormalForm, ExampleRoundTrips) {
  const Config c = parse_ok(read_example());
  const std::string normal = to_normal_form(c);
  auto again = parse_config(normal, "normal.toml");
  ASSERT_TRUE(again.has_value()) << again.error().message << "\n" << normal;
  EXPECT_EQ(*again, c) << normal;
  EXPECT_EQ(to_normal_form(*again), normal);  // a fixed point
}

TEST(ConfigNormalForm, EverythingRoundTrips) {
  const Config c = parse_ok(std::string(kMinimal) + R"(
listen = ["127.0.0.1:1790", "[::1]:1791", "::"]
hold_time = 0
graceful_restart_time = 0
log_level = "debug"
[control]
socket = "/tmp/x \"quoted\".sock"
tcp = "127.0.0.1:7000"
[metrics]
listen = "[::1]:9100"
[rpki]
files = ["/a.json", "/b.json"]
reload_interval = 300
slurm = "/s.json"
failover_after = 30
[[rpki.cache]]
address = "[::1]:8282"
preference = 3
version = 0
[[rpki.cache]]
address = "cache.example"
[bgpsec]
key_files = ["/k/65001.pem"]
syntax_error_action = "strip"
remove_private_as = true
ibgp_state = "revalidate"
drop_not_valid = true
drop_origin_invalid = true
validation_threads = 3
signature_cache_entries = 0
key_tables = 17
small_key_tables = 0
multi_buffer = false
defer_when_queued = 0
key_expiry_warning = 0
validation_order = "best-first"
[bgpsec.preference]
path_valid = 100
origin_invalid = -1000
[bgpsec.active_key]
65001 = "0a0b0c0d0e0f101112131415161718191a1b1c1d"
AS4200000001 = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33"
[[prefix_list]]
name = "pl"
prefixes = ["10.0.0.0/8 ge 16", "10.0.0.0/8 le 24", "10.0.0.0/8 ge 12 le 20", "2001:db8::/32"]
[[policy]]
name = "p"
default_action = "accept"
[[policy.rule]]
match = { prefix_list = "pl", as_path_contains = "AS65002", origin_as = 4200000000, community = "no-export", path_state = "pending", origin_state = "not-found", aspa_state = "unknown" }
set = { local_pref = 0, med = 4294967295, add_community = ["1:2:3", "65535:65281"], prepend = 2 }
[[policy.rule]]
[[network]]
prefix = "198.51.100.0/24"
communities = ["graceful-shutdown", "4200000000:1:2"]
[[neighbor]]
address = "192.0.2.1"
remote_as = "AS4200000001"
local_address = "192.0.2.2"
port = 1790
passive = true
description = "tab\there, ünïcode"
hold_time = 30
families = ["ipv6", "ipv4"]
bgpsec = { send = ["ipv4"], receive = ["ipv6"] }
import = "p"
export = "p"
max_prefix = 100000
route_server = true
graceful_restart = false
extended_messages = false
enhanced_route_refresh = false
eorr_timeout = 30
[[neighbor]]
address = "2001:db8::2"
remote_as = 65001
route_reflector_client = true
next_hop_self = true
)");
  const std::string normal = to_normal_form(c);
  auto again = parse_config(normal, "normal.toml");
  ASSERT_TRUE(again.has_value()) << again.error().message << "\n" << normal;
  EXPECT_EQ(*again, c) << normal;
  EXPECT_EQ(again->bgpsec.defer_when_queued, 0U);  // 0 (defer always) is not "unset"
  EXPECT_EQ(again->bgpsec.validation_order, ValidationOrder::BestFirst);
  EXPECT_EQ(again->bgpsec.key_expiry_warning, std::chrono::seconds(0));
  EXPECT_EQ(to_normal_form(*again), normal);
  EXPECT_THAT(normal,
              HasSubstr("prefixes = [\"10.0.0.0/8 ge 16 le 32\", \"10.0.0.0/8 ge 8 le 24\""));
  EXPECT_THAT(normal, HasSubstr("community = \"no-export\""));
  EXPECT_THAT(normal, HasSubstr("# hold_time: global (0)"));
  EXPECT_THAT(normal, HasSubstr("65001 = \"0A0B0C0D0E0F101112131415161718191A1B1C1D\""));
  EXPECT_EQ(c.bgpsec.active_key.size(), 2U);
}

// ===== errors: each names file:line:column =====

TEST(ConfigErrors, SyntaxError) {
  EXPECT_THAT(parse_error("[global]\nasn = = 1\n"), StartsWith("t.toml:2:7: syntax error: "));
}

TEST(ConfigErrors, UnknownKeySuggestsSpelling) {
  EXPECT_EQ(parse_error(std::string(kMinimal) + R"(
[[neighbor]]
address = "127.0.0.2"
remote-as = 65002
)"),
            "t.toml:7:1: neighbor 127.0.0.2: unknown key 'remote-as' (did you mean 'remote_as'?)");
  EXPECT_EQ(parse_error(std::string(kMinimal) + "frobnicate = 1\n"),
            "t.toml:4:1: global: unknown key 'frobnicate'");
  EXPECT_THAT(
      parse_error(std::string(kMinimal) + "[neighbors]\n"),
      StartsWith("t.toml:4:2: top level: unknown key 'neighbors' (did you mean 'neighbor'?)"));
}

TEST(ConfigErrors, WrongType) {
  EXPECT_THAT(parse_error(std::string(kMinimal) + "hold_time = \"90\"\n"),
              StartsWith("t.toml:4:13: global: 'hold_time' must be an integer, not a string"));
}

TEST(ConfigErrors, OutOfRange) {
  EXPECT_THAT(parse_error(std::string(kMinimal) + "graceful_restart_time = 5000\n"),
              StartsWith("t.toml:4:25: global: 'graceful_restart_time' = 5000 is out of range"));
  EXPECT_THAT(parse_error(std::string(kMinimal) + R"(
[[neighbor]]
address = "127.0.0.2"
remote_as = 65002
port = 0
)"),
              StartsWith("t.toml:8:8: neighbor 127.0.0.2: 'port' = 0 is out of range"));
  EXPECT_THAT(parse_error(std::string(kMinimal) + "[bgpsec]\nvalidation_threads = 300\n"),
              HasSubstr("bgpsec: 'validation_threads' = 300 is out of range"));
  EXPECT_THAT(parse_error(std::string(kMinimal) + "[bgpsec]\ndefer_when_queued = -1\n"),
              HasSubstr("bgpsec: 'defer_when_queued' = -1 is out of range"));
  EXPECT_THAT(parse_error(std::string(kMinimal) + "[bgpsec]\nkey_expiry_warning = -1\n"),
              HasSubstr("bgpsec: 'key_expiry_warning' = -1 is out of range"));
  EXPECT_THAT(parse_error(std::string(kMinimal) + "[bgpsec]\nvalidation_order = \"best\"\n"),
              HasSubstr("bgpsec: 'validation_order'"));
}

// RFC 4271 §4.2: Hold Time 0 or >= 3.
TEST(ConfigErrors, HoldTimeRfc4271Section4_2) {
  EXPECT_THAT(parse_error(std::string(kMinimal) + "hold_time = 2\n"),
              StartsWith("t.toml:4:13: global: 'hold_time' must be 0 or at least 3"));
}

TEST(ConfigErrors, MissingRequired) {
  EXPECT_THAT(parse_error("[global]\nasn = 65001\n"),
              StartsWith("t.toml:1:1: global: missing required key 'router_id'"));
  EXPECT_THAT(parse_error(std::string(kMinimal) + "\n[[neighbor]]\naddress = \"127.0.0.2\"\n"),
              StartsWith("t.toml:5:1: neighbor 127.0.0.2: missing required key 'remote_as'"));
  EXPECT_THAT(parse_error("[control]\n"), StartsWith("t.toml:1:1: global: missing [global]"));
}

TEST(ConfigErrors, BadValues) {
  EXPECT_THAT(parse_error("[global]\nasn = 65001\nrouter_id = \"0.0.0.0\"\n"),
              StartsWith("t.toml:3:13: global: 'router_id' must not be 0.0.0.0"));
  EXPECT_THAT(parse_error("[global]\nasn = 23456\nrouter_id = \"1.1.1.1\"\n"),
              StartsWith("t.toml:2:7: global: 'asn': AS_TRANS"));
  EXPECT_THAT(parse_error(std::string(kMinimal) + "log_level = \"loud\"\n"),
              StartsWith("t.toml:4:13: global: 'log_level': unknown value 'loud' (expected one of "
                         "trace, debug, info, warn, error)"));
  EXPECT_THAT(parse_error(std::string(kMinimal) + "[[network]]\nprefix = \"10.0.0.1/8\"\n"),
              StartsWith("t.toml:5:10: network #1: 'prefix': "));
  EXPECT_THAT(
      parse_error(std::string(kMinimal) + "[[network]]\nprefix = \"10.0.0.0/8\"\n"
                                          "communities = [\"1:70000\"]\n"),
      StartsWith("t.toml:6:16: network 10.0.0.0/8: 'communities': '1:70000' is not a community"));
  EXPECT_THAT(parse_error(std::string(kMinimal) + "[control]\ntcp = \"192.0.2.1:7000\"\n"),
              StartsWith("t.toml:5:7: control: 'tcp' must be a loopback address"));
}

TEST(ConfigErrors, UndefinedReferences) {
  EXPECT_EQ(parse_error(std::string(kMinimal) + R"(
[[neighbor]]
address = "127.0.0.2"
remote_as = 65002
import = "nope"
)"),
            "t.toml:8:10: neighbor 127.0.0.2: 'import': undefined policy 'nope'");
  EXPECT_EQ(parse_error(std::string(kMinimal) + R"(
[[policy]]
name = "p"
[[policy.rule]]
match = { prefix_list = "missing" }
)"),
            "t.toml:8:25: policy p rule #1 match: undefined prefix list 'missing'");
}

TEST(ConfigErrors, Duplicates) {
  EXPECT_EQ(parse_error(std::string(kMinimal) + R"(
[[neighbor]]
address = "127.0.0.2"
remote_as = 65002
[[neighbor]]
address = "127.0.0.2"
remote_as = 65003
)"),
            "t.toml:9:11: neighbor 127.0.0.2: neighbor defined twice");
  EXPECT_THAT(
      parse_error(std::string(kMinimal) + "[[policy]]\nname = \"p\"\n[[policy]]\nname = \"p\"\n"),
      StartsWith("t.toml:7:8: policy p: policy defined twice"));
}

// RFC 8205 §2.2: BGPsec for an AFI needs that AFI's unicast family on the session.
TEST(ConfigErrors, BgpsecNeedsFamiliesRfc8205Section2_2) {
  EXPECT_EQ(parse_error(std::string(kMinimal) + R"(
[bgpsec]
key_dir = "/k"
[[neighbor]]
address = "127.0.0.2"
remote_as = 65002
families = ["ipv4"]
bgpsec = { send = ["ipv6"] }
)"),
            "t.toml:11:10: neighbor 127.0.0.2: BGPsec for a family the neighbor does not carry "
            "('families')");
  EXPECT_THAT(parse_error(std::string(kMinimal) + R"(
[[neighbor]]
address = "127.0.0.2"
remote_as = 65002
bgpsec = true
)"),
              StartsWith("t.toml:8:10: neighbor 127.0.0.2: BGPsec send needs router keys"));
}

// RFC 8634 §4: [bgpsec.active_key] names, per AS, the SKI of the key that signs.
TEST(ConfigErrors, ActiveKeyNeedsAnAsAndASki) {
  EXPECT_THAT(parse_error(std::string(kMinimal) + "[bgpsec.active_key]\nx65001 = \"00\"\n"),
              StartsWith("t.toml:5:10: bgpsec active_key: 'x65001': "));
  EXPECT_THAT(parse_error(std::string(kMinimal) + "[bgpsec.active_key]\n65001 = \"0011\"\n"),
              StartsWith("t.toml:5:9: bgpsec active_key: '65001': "));
  EXPECT_THAT(parse_error(std::string(kMinimal) + "[bgpsec.active_key]\n65001 = 17\n"),
              StartsWith("t.toml:5:9: bgpsec active_key: '65001' must be a SKI"));
}

TEST(ConfigErrors, RoleChecks) {
  EXPECT_THAT(
      parse_error(std::string(kMinimal) + R"(
[[neighbor]]
address = "127.0.0.2"
remote_as = 65002
route_reflector_client = true
)"),
      StartsWith("t.toml:8:26: neighbor 127.0.0.2: 'route_reflector_client' needs an iBGP"));
  EXPECT_THAT(parse_error(std::string(kMinimal) + R"(
[[neighbor]]
address = "127.0.0.2"
remote_as = 65001
route_server = true
)"),
              StartsWith("t.toml:8:16: neighbor 127.0.0.2: 'route_server' needs an eBGP"));
}

TEST(ConfigErrors, ParseConfigFileMissing) {
  auto c = load_config_file("/nonexistent/bgpsecd.toml");
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().message, "/nonexistent/bgpsecd.toml: cannot open the config file");
}

// RFC 8212 §3: allowed, but warned about, with the neighbor's line.
TEST(ConfigWarnings, EbgpWithoutPolicyRfc8212) {
  const Config c = parse_ok(std::string(kMinimal) + R"(
[[policy]]
name = "p"
[[neighbor]]
address = "127.0.0.2"
remote_as = 65002
export = "p"
[[neighbor]]
address = "127.0.0.3"
remote_as = 65001
)");
  EXPECT_THAT(c.warnings,
              ElementsAre("t.toml:7:1: neighbor 127.0.0.2: eBGP neighbor without import policy: "
                          "no routes will be accepted (RFC 8212)"));
}

// ===== values =====

TEST(ConfigValues, PrefixListEntries) {
  auto e = parse_prefix_list_entry("10.0.0.0/8 le 24");
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->matches(*base::Prefix::parse("10.0.0.0/8")));
  EXPECT_TRUE(e->matches(*base::Prefix::parse("10.1.0.0/24")));
  EXPECT_FALSE(e->matches(*base::Prefix::parse("10.1.0.0/25")));
  EXPECT_FALSE(e->matches(*base::Prefix::parse("11.0.0.0/8")));
  EXPECT_FALSE(e->matches(*base::Prefix::parse("2001:db8::/32")));
  auto exact = parse_prefix_list_entry("192.0.2.0/24");
  ASSERT_TRUE(exact.has_value());
  EXPECT_FALSE(exact->matches(*base::Prefix::parse("192.0.2.0/25")));
  EXPECT_FALSE(parse_prefix_list_entry("10.0.0.0/8 ge 4").has_value());
  EXPECT_FALSE(parse_prefix_list_entry("10.0.0.0/8 le 33").has_value());
  EXPECT_FALSE(parse_prefix_list_entry("10.0.0.0/8 ge 20 le 16").has_value());
  EXPECT_FALSE(parse_prefix_list_entry("10.0.0.0/8 le").has_value());
}

TEST(ConfigValues, Communities) {
  EXPECT_EQ(parse_community("65001:100"), Community(std::uint32_t{0xFDE90064}));
  EXPECT_EQ(parse_community("no-export"), Community(wire::kCommunityNoExport));
  EXPECT_EQ(community_to_string(Community(wire::kCommunityNoExport)), "no-export");
  EXPECT_EQ(parse_community("4200000000:1:2"), Community(wire::LargeCommunity{4200000000U, 1, 2}));
  EXPECT_FALSE(parse_community("65536:1").has_value());
  EXPECT_FALSE(parse_community("1:2:3:4").has_value());
  EXPECT_FALSE(parse_community("a:b").has_value());
}

TEST(ConfigValues, ToFsmConfig) {
  const Config c = parse_ok(read_example());
  const session::FsmConfig f = to_fsm_config(c.neighbors[0], c.global);
  EXPECT_EQ(f.session.local_as, base::Asn(65001));
  EXPECT_EQ(f.session.peer_as, base::Asn(65002));
  EXPECT_EQ(f.session.router_id, 0x7F000001U);
  EXPECT_EQ(f.session.hold_time, 90);
  EXPECT_EQ(f.session.families,
            (std::vector<session::AfiSafi>{session::kIpv4Unicast, session::kIpv6Unicast}));
  EXPECT_TRUE(f.session.bgpsec.send_ipv4 && f.session.bgpsec.receive_ipv6);
  ASSERT_TRUE(f.session.graceful_restart.has_value());
  EXPECT_EQ(f.session.graceful_restart->restart_time, 120);
  EXPECT_FALSE(f.passive);
  const session::FsmConfig plain = to_fsm_config(c.neighbors[1], c.global);
  EXPECT_EQ(plain.session.bgpsec, wire::BgpsecDirections{});
  EXPECT_TRUE(to_fsm_config(c.neighbors[2], c.global).passive);
  EXPECT_EQ(f.session.keepalive, 0);
  Config fast = c;
  fast.global.keepalive = 7;
  EXPECT_EQ(to_fsm_config(c.neighbors[0], fast.global).session.keepalive, 7);
  // The session layer accepts what the config allows.
  for (const NeighborConfig& n : c.neighbors) {
    auto open = session::build_open(to_fsm_config(n, c.global).session);
    EXPECT_TRUE(open.has_value()) << n.name() << ": " << open.error().message;
  }
}

// ===== diff =====

constexpr const char* kDiffBase = R"([global]
asn = 65001
router_id = "127.0.0.1"
[[prefix_list]]
name = "pl"
prefixes = ["192.0.2.0/24"]
[[policy]]
name = "in"
[[policy.rule]]
match = { prefix_list = "pl" }
action = "accept"
[[policy]]
name = "out"
default_action = "accept"
[[neighbor]]
address = "127.0.0.2"
remote_as = 65002
import = "in"
export = "out"
[[neighbor]]
address = "127.0.0.3"
remote_as = 65003
import = "in"
export = "out"
[[neighbor]]
address = "127.0.0.4"
remote_as = 65004
import = "out"
export = "out"
)";

ConfigDiff diff_with(const std::string& from, const std::string& to) {
  return diff(parse_ok(from), parse_ok(to));
}

TEST(ConfigDiff, IdenticalIsEmpty) { EXPECT_TRUE(diff_with(kDiffBase, kDiffBase).empty()); }

TEST(ConfigDiff, AddedAndRemoved) {
  const std::string next = replace(kDiffBase, "address = \"127.0.0.3\"", "address = \"127.0.0.5\"");
  const ConfigDiff d = diff_with(kDiffBase, next);
  EXPECT_THAT(d.added, ElementsAre("127.0.0.5"));
  EXPECT_THAT(d.removed, ElementsAre("127.0.0.3"));
  EXPECT_TRUE(d.reset.empty());
  EXPECT_TRUE(d.soft.empty());
}

TEST(ConfigDiff, SessionParametersReset) {
  const std::string next = replace(kDiffBase, "remote_as = 65002", "remote_as = 65012");
  const ConfigDiff d = diff_with(kDiffBase, next);
  EXPECT_THAT(d.reset, ElementsAre("127.0.0.2"));
  EXPECT_TRUE(d.soft.empty());
  EXPECT_TRUE(d.updated.empty());
  const std::string with_hold =
      replace(kDiffBase, "remote_as = 65003", "remote_as = 65003\nhold_time = 30");
  EXPECT_THAT(diff_with(kDiffBase, with_hold).reset, ElementsAre("127.0.0.3"));
  // The same hold time, now explicit: nothing to reset, only the stored config changes.
  const std::string same_hold =
      replace(kDiffBase, "remote_as = 65003", "remote_as = 65003\nhold_time = 90");
  const ConfigDiff same = diff_with(kDiffBase, same_hold);
  EXPECT_TRUE(same.reset.empty());
  EXPECT_THAT(same.updated, ElementsAre("127.0.0.3"));
  // The capabilities of the OPEN change: RFC 7313 is negotiated only at session start.
  const std::string no_err =
      replace(kDiffBase, "remote_as = 65003", "remote_as = 65003\nenhanced_route_refresh = false");
  EXPECT_THAT(diff_with(kDiffBase, no_err).reset, ElementsAre("127.0.0.3"));
  // The EoRR wait is read at the peer's next BoRR: no reset.
  const std::string wait =
      replace(kDiffBase, "remote_as = 65003", "remote_as = 65003\neorr_timeout = 10");
  const ConfigDiff waits = diff_with(kDiffBase, wait);
  EXPECT_TRUE(waits.reset.empty());
  EXPECT_THAT(waits.updated, ElementsAre("127.0.0.3"));
}

TEST(ConfigDiff, RouterIdResetsEverySession) {
  const std::string next = replace(kDiffBase, "127.0.0.1", "127.0.0.9");
  EXPECT_THAT(diff_with(kDiffBase, next).reset, ElementsAre("127.0.0.2", "127.0.0.3", "127.0.0.4"));
}

TEST(ConfigDiff, KeepaliveResetsEverySession) {
  // The interval is fixed when a session comes up (session::keepalive_interval).
  const std::string next =
      replace(kDiffBase, "router_id = \"127.0.0.1\"", "router_id = \"127.0.0.1\"\nkeepalive = 5");
  EXPECT_THAT(diff_with(kDiffBase, next).reset, ElementsAre("127.0.0.2", "127.0.0.3", "127.0.0.4"));
}

TEST(ConfigDiff, PolicyNameChangeIsSoft) {
  const std::string next = replace(kDiffBase, "remote_as = 65002\nimport = \"in\"",
                                   "remote_as = 65002\nimport = \"out\"");
  const ConfigDiff d = diff_with(kDiffBase, next);
  EXPECT_TRUE(d.reset.empty());
  EXPECT_THAT(d.soft, ElementsAre(SoftChange{"127.0.0.2", true, false}));
}

TEST(ConfigDiff, PolicyAndPrefixListContentIsSoftForTheirUsers) {
  const std::string policy =
      replace(kDiffBase, "default_action = \"accept\"", "default_action = \"reject\"");
  EXPECT_THAT(diff_with(kDiffBase, policy).soft, ElementsAre(SoftChange{"127.0.0.2", false, true},
                                                             SoftChange{"127.0.0.3", false, true},
                                                             SoftChange{"127.0.0.4", true, true}));
  const std::string list = replace(kDiffBase, "\"192.0.2.0/24\"", "\"192.0.2.0/24 le 32\"");
  EXPECT_THAT(diff_with(kDiffBase, list).soft, ElementsAre(SoftChange{"127.0.0.2", true, false},
                                                           SoftChange{"127.0.0.3", true, false}));
}

TEST(ConfigDiff, DescriptionAndLimitsInPlace) {
  const std::string next = replace(kDiffBase, "remote_as = 65004",
                                   "remote_as = 65004\ndescription = \"x\"\nmax_prefix = 10");
  const ConfigDiff d = diff_with(kDiffBase, next);
  EXPECT_THAT(d.updated, ElementsAre("127.0.0.4"));
  EXPECT_TRUE(d.reset.empty());
  EXPECT_TRUE(d.soft.empty());
}

TEST(ConfigDiff, GlobalSections) {
  const std::string next =
      std::string(kDiffBase) +
      "[rpki]\nfiles = [\"/r.json\"]\n[bgpsec]\nsyntax_error_action = \"strip\"\n"
      "[[network]]\nprefix = \"192.0.2.0/24\"\n[metrics]\nlisten = \"\"\n";
  const ConfigDiff d = diff_with(kDiffBase, next);
  EXPECT_TRUE(d.rpki_changed);
  EXPECT_TRUE(d.bgpsec_changed);
  EXPECT_TRUE(d.networks_changed);
  EXPECT_TRUE(d.metrics_changed);
  EXPECT_FALSE(d.listen_changed);
  EXPECT_TRUE(d.reset.empty());
  EXPECT_TRUE(d.soft.empty());
}

}  // namespace
}  // namespace bgpsecd::daemon
