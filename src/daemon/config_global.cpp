// SPDX-License-Identifier: BSD-2-Clause
// [global]: our AS, router ID, listen addresses, timers, log level, confederation.
#include <algorithm>

#include "daemon/config_parse.hpp"

namespace bgpsecd::daemon::config_detail {

base::Result<void> GlobalSection::parse_global(const toml::table& root) {
  constexpr std::string_view ctx = "global";
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* t, sub_table(root, "global", ctx));
  if (t == nullptr)
    return error(root.source(), ctx, "missing [global] table (asn and router_id are required)");
  BGPSEC_TRY(
      check_keys(*t, ctx,
                 {"asn", "router_id", "listen", "hold_time", "keepalive", "graceful_restart_time",
                  "log_level", "confederation_id", "confederation_peers"}));
  GlobalConfig& g = config_.global;
  BGPSEC_ASSIGN_OR_RETURN(const toml::node* asn_node, require(*t, "asn", ctx));
  BGPSEC_ASSIGN_OR_RETURN(g.asn, asn(*asn_node, "asn", ctx));
  BGPSEC_ASSIGN_OR_RETURN(const toml::node* id_node, require(*t, "router_id", ctx));
  BGPSEC_ASSIGN_OR_RETURN(const std::string_view id_text, string_of(*id_node, "router_id", ctx));
  auto id = base::parse_bgp_identifier(id_text);
  if (!id) {
    return error(id_node->source(), ctx, "'router_id' " + id.error().message);
  }
  g.router_id = *id;
  if (t->get("listen") != nullptr)
    g.listen.clear();
  BGPSEC_TRY(for_each_string(
      *t, "listen", ctx, [&](std::string_view text, const toml::node& n) -> base::Result<void> {
        auto ep = parse_endpoint(text, kDefaultBgpPort);
        if (!ep)
          return error(n.source(), ctx, "'listen': " + ep.error().message);
        if (std::find(g.listen.begin(), g.listen.end(), *ep) != g.listen.end()) {
          return error(n.source(), ctx, "'listen': " + ep->to_string() + " given twice");
        }
        g.listen.push_back(*ep);
        return {};
      }));
  BGPSEC_TRY(read_int(*t, "hold_time", ctx, 0, 65535, g.hold_time));
  // RFC 4271 §4.2: the Hold Time is zero or at least three seconds.
  if (g.hold_time == 1 || g.hold_time == 2) {
    return error(t->get("hold_time")->source(), ctx,
                 "'hold_time' must be 0 or at least 3 (RFC 4271 §4.2)");
  }
  BGPSEC_TRY(read_int(*t, "keepalive", ctx, 0, 65535, g.keepalive));
  // RFC 4271 §10: KEEPALIVEs must come more often than the hold time runs out.
  if (g.keepalive != 0 && (g.hold_time == 0 || g.keepalive >= g.hold_time)) {
    return error(t->get("keepalive")->source(), ctx,
                 "'keepalive' must be 0 (hold_time / 3) or less than hold_time (RFC 4271 §10)");
  }
  // RFC 4724 §3: the Restart Time is a 12-bit field.
  BGPSEC_TRY(read_int(*t, "graceful_restart_time", ctx, 0, 4095, g.graceful_restart_time));
  BGPSEC_TRY(read_enum(*t, "log_level", ctx, kLogLevels, g.log_level));
  return parse_confederation(*t);
}

// RFC 5065 §4: the AS Confederation Identifier and the Member-ASes of the other members.
base::Result<void> GlobalSection::parse_confederation(const toml::table& t) {
  constexpr std::string_view ctx = "global";
  GlobalConfig& g = config_.global;
  if (const toml::node* node = t.get("confederation_id")) {
    BGPSEC_ASSIGN_OR_RETURN(g.confederation_id, asn(*node, "confederation_id", ctx));
    // Peers outside see the identifier, members our Member-AS: they must differ.
    if (*g.confederation_id == g.asn) {
      return error(node->source(), ctx,
                   "'confederation_id' must differ from 'asn' (our Member-AS, RFC 5065 §4)");
    }
  }
  const toml::node* node = t.get("confederation_peers");
  if (node == nullptr)
    return {};
  if (!g.confederation_id) {
    return error(node->source(), ctx, "'confederation_peers' needs 'confederation_id'");
  }
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    return error(node->source(), ctx,
                 std::string("'confederation_peers' must be an array of AS numbers, not ") +
                     type_name(*node));
  }
  for (const toml::node& element : *array) {
    BGPSEC_ASSIGN_OR_RETURN(const base::Asn member, asn(element, "confederation_peers", ctx));
    if (member == *g.confederation_id) {
      return error(element.source(), ctx,
                   "'confederation_peers': " + member.to_string() +
                       " is the confederation identifier, not a Member-AS");
    }
    if (std::find(g.confederation_peers.begin(), g.confederation_peers.end(), member) !=
        g.confederation_peers.end()) {
      return error(element.source(), ctx,
                   "'confederation_peers': AS" + member.to_string() + " given twice");
    }
    // Our own Member-AS may be listed (JunOS lists every member); it stays iBGP.
    if (member != g.asn) {
      g.confederation_peers.push_back(member);
    }
  }
  return {};
}

}  // namespace bgpsecd::daemon::config_detail
