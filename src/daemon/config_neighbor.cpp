// SPDX-License-Identifier: BSD-2-Clause
// [[neighbor]]: one BGP session each, with its BGPsec directions and policies, and what
// the session layer is told about it (to_fsm_config).
#include <limits>

#include "base/secret_file.hpp"
#include "daemon/config_parse.hpp"
#include "session/tcp_security.hpp"

namespace bgpsecd::daemon::config_detail {

base::Result<void> NeighborSection::parse_bgpsec_families(const toml::table& t,
                                                          std::string_view key,
                                                          std::string_view ctx,
                                                          BgpsecFamilies& out) {
  return for_each_string(t, key, ctx,
                         [&](std::string_view text, const toml::node& n) -> base::Result<void> {
                           if (text == "ipv4") {
                             out.ipv4 = true;
                           } else if (text == "ipv6") {
                             out.ipv6 = true;
                           } else {
                             return error(n.source(), ctx,
                                          "'" + std::string(key) + "': unknown family '" +
                                              std::string(text) + "' (expected ipv4 or ipv6)");
                           }
                           return {};
                         });
}

base::Result<void> NeighborSection::parse_secret(const toml::table& t, std::string_view inline_key,
                                                 std::string_view file_key, std::string_view what,
                                                 std::size_t max_length, std::string_view ctx,
                                                 std::string& secret, std::string& file) {
  const toml::node* inline_node = t.get(inline_key);
  const toml::node* file_node = t.get(file_key);
  if (inline_node != nullptr && file_node != nullptr) {
    return error(
        file_node->source(), ctx,
        "give '" + std::string(inline_key) + "' or '" + std::string(file_key) + "', not both");
  }
  if (inline_node != nullptr) {
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*inline_node, inline_key, ctx));
    secret = std::string(text);
  } else if (file_node != nullptr) {
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view path, string_of(*file_node, file_key, ctx));
    // The key's octets and a newline an editor adds; anything longer is not a key file.
    auto read = base::read_secret_file(std::string(path), std::string(what) + " file", 1024);
    if (!read) {
      return error(file_node->source(), ctx, read.error().message);
    }
    if (!read->empty() && read->back() == '\n') {
      read->pop_back();
    }
    secret = std::move(*read);
    file = std::string(path);
  }
  const toml::node* node = inline_node != nullptr ? inline_node : file_node;
  if (node != nullptr && (secret.empty() || secret.size() > max_length)) {
    return error(
        node->source(), ctx,
        "the " + std::string(what) + " must have 1 to " + std::to_string(max_length) + " octets");
  }
  return {};
}

base::Result<void> NeighborSection::parse_tcp_security(const toml::table& t, std::string_view ctx,
                                                       NeighborConfig& n) {
  // RFC 2385 §4.4 leaves the key's form open; Linux takes 1 to 80 octets.
  BGPSEC_TRY(parse_secret(t, "password", "password_file", "TCP MD5 password",
                          session::kMaxMd5KeyLength, ctx, n.password, n.password_file));
  BGPSEC_TRY(parse_tcp_ao(t, ctx, n));
  if (const toml::node* node = t.get("ttl_security")) {
    if (node->is_boolean()) {
      n.ttl_security = node->as_boolean()->get() ? 1 : 0;
    } else {
      BGPSEC_TRY(read_int(t, "ttl_security", ctx, 1, 254, n.ttl_security));
    }
  }
  return {};
}

base::Result<void> NeighborSection::parse_role(const toml::table& t, std::string_view ctx,
                                               NeighborConfig& n) {
  BGPSEC_TRY(read_bool(t, "role_strict", ctx, n.role_strict));
  const toml::node* node = t.get("role");
  if (node == nullptr) {
    if (n.role_strict) {
      return error(t.get("role_strict")->source(), ctx, "'role_strict' needs a 'role'");
    }
    return {};
  }
  BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*node, "role", ctx));
  const auto role = wire::role_from_text(text);
  if (!role) {
    return error(node->source(), ctx,
                 "'role': unknown role '" + std::string(text) +
                     "' (expected provider, customer, peer, rs or rs-client)");
  }
  // RFC 9234 §4: roles are for eBGP sessions only; not iBGP and not between the Member-ASes
  // of a confederation, which are one AS to the outside (RFC 5065).
  if (!n.external(config_.global)) {
    return error(node->source(), ctx,
                 "'role' needs an eBGP neighbor outside our AS and our confederation "
                 "(RFC 9234 §4)");
  }
  n.role = *role;
  return {};
}

base::Result<void> NeighborSection::parse_neighbor(const toml::table& t, std::size_t index) {
  const std::string index_ctx = "neighbor #" + std::to_string(index);
  NeighborConfig n;
  BGPSEC_ASSIGN_OR_RETURN(const toml::node* addr_node, require(t, "address", index_ctx));
  BGPSEC_ASSIGN_OR_RETURN(const std::string_view addr_text,
                          string_of(*addr_node, "address", index_ctx));
  auto address = base::IpAddress::parse(addr_text);
  if (!address)
    return error(addr_node->source(), index_ctx, "'address': " + address.error().message);
  n.address = *address;
  const std::string ctx = "neighbor " + n.name();
  if (config_.find_neighbor(n.address) != nullptr) {
    return error(addr_node->source(), ctx, "neighbor defined twice");
  }
  BGPSEC_TRY(check_keys(t, ctx,
                        {"address",
                         "remote_as",
                         "local_address",
                         "port",
                         "passive",
                         "description",
                         "hold_time",
                         "families",
                         "bgpsec",
                         "import",
                         "export",
                         "max_prefix",
                         "next_hop_self",
                         "next_hop_ipv4",
                         "next_hop_ipv6",
                         "route_reflector_client",
                         "route_server",
                         "route_server_peer",
                         "graceful_restart",
                         "extended_messages",
                         "enhanced_route_refresh",
                         "eorr_timeout",
                         "remove_private_as",
                         "password",
                         "password_file",
                         "ttl_security",
                         "tcp_ao",
                         "validation",
                         "role",
                         "role_strict"}));
  BGPSEC_ASSIGN_OR_RETURN(const toml::node* as_node, require(t, "remote_as", ctx));
  BGPSEC_ASSIGN_OR_RETURN(n.remote_as, asn(*as_node, "remote_as", ctx));
  const bool ibgp = n.ibgp(config_.global);
  // RFC 5065 §4: the confederation identifier is our own AS seen from outside.
  if (config_.global.confederation_id && n.remote_as == *config_.global.confederation_id) {
    return error(as_node->source(), ctx,
                 "'remote_as' is our confederation identifier; a member of the confederation "
                 "is named by its Member-AS (listed in global confederation_peers)");
  }
  if (const toml::node* node = t.get("local_address")) {
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*node, "local_address", ctx));
    auto local = base::IpAddress::parse(text);
    if (!local)
      return error(node->source(), ctx, "'local_address': " + local.error().message);
    if (local->afi() != n.address.afi()) {
      return error(node->source(), ctx, "'local_address' must be of the neighbor address's family");
    }
    n.local_address = *local;
  }
  BGPSEC_TRY(read_int(t, "port", ctx, 1, 65535, n.port));
  BGPSEC_TRY(read_bool(t, "passive", ctx, n.passive));
  BGPSEC_TRY(read_string(t, "description", ctx, n.description));
  BGPSEC_TRY(read_opt_int(t, "hold_time", ctx, 0, 65535, n.hold_time));
  if (n.hold_time && (*n.hold_time == 1 || *n.hold_time == 2)) {
    return error(t.get("hold_time")->source(), ctx,
                 "'hold_time' must be 0 or at least 3 (RFC 4271 §4.2)");
  }
  if (const toml::node* node = t.get("families")) {
    BgpsecFamilies families;  // reused as a pair of flags
    BGPSEC_TRY(parse_bgpsec_families(t, "families", ctx, families));
    // RFC 4760 §8: a session carries at least one family.
    if (!families.ipv4 && !families.ipv6)
      return error(node->source(), ctx, "'families' must not be empty");
    n.ipv4 = families.ipv4;
    n.ipv6 = families.ipv6;
  } else {
    n.ipv4 = n.address.afi() == base::Afi::Ipv4;
    n.ipv6 = !n.ipv4;
  }
  if (const toml::node* node = t.get("bgpsec")) {
    if (node->is_boolean()) {
      // Shorthand: both directions for every configured family.
      if (node->as_boolean()->get()) {
        n.bgpsec_send = n.bgpsec_receive = BgpsecFamilies{n.ipv4, n.ipv6};
      }
    } else if (node->is_table()) {
      const std::string bctx = ctx + " bgpsec";
      BGPSEC_TRY(check_keys(*node->as_table(), bctx, {"send", "receive"}));
      BGPSEC_TRY(parse_bgpsec_families(*node->as_table(), "send", bctx, n.bgpsec_send));
      BGPSEC_TRY(parse_bgpsec_families(*node->as_table(), "receive", bctx, n.bgpsec_receive));
    } else {
      return error(node->source(), ctx,
                   std::string("'bgpsec' must be a boolean or a table {send = [...], receive = "
                               "[...]}, not ") +
                       type_name(*node));
    }
    // RFC 8205 §2.2: BGPsec for an AFI is only used when that family is negotiated too.
    if (((n.bgpsec_send.ipv4 || n.bgpsec_receive.ipv4) && !n.ipv4) ||
        ((n.bgpsec_send.ipv6 || n.bgpsec_receive.ipv6) && !n.ipv6)) {
      return error(node->source(), ctx,
                   "BGPsec for a family the neighbor does not carry ('families')");
    }
    const bool sends = n.bgpsec_send.ipv4 || n.bgpsec_send.ipv6;
    const bool receives = n.bgpsec_receive.ipv4 || n.bgpsec_receive.ipv6;
    // With signing = "server" the validation servers sign (RFC 8374 §9.3.2); what they do
    // not sign goes by signing_fallback, which must not need keys we do not have.
    const bool server_signs = config_.validation.signing == SigningMode::Server &&
                              config_.validation.signing_fallback == SigningFallback::Unsigned;
    if (sends && !server_signs && config_.bgpsec.key_dir.empty() &&
        config_.bgpsec.key_files.empty()) {
      return error(node->source(), ctx,
                   "BGPsec send needs router keys: set [bgpsec] key_dir or key_files (or "
                   "[validation] signing = \"server\" with signing_fallback = \"unsigned\")");
    }
    if (receives && config_.rpki.caches.empty() && config_.rpki.files.empty()) {
      warn(node->source(), ctx,
           "BGPsec receive without [rpki] caches or files: no router keys, every signed path "
           "will be Not Valid");
    }
  }
  for (const char* key : {"import", "export"}) {
    const toml::node* node = t.get(key);
    if (node == nullptr)
      continue;
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view name, string_of(*node, key, ctx));
    if (config_.find_policy(name) == nullptr) {
      return error(node->source(), ctx,
                   "'" + std::string(key) + "': undefined policy '" + std::string(name) + "'");
    }
    (std::string_view(key) == "import" ? n.import_policy : n.export_policy) = std::string(name);
  }
  BGPSEC_TRY(
      read_int(t, "max_prefix", ctx, 0, std::numeric_limits<std::uint32_t>::max(), n.max_prefix));
  BGPSEC_TRY(read_bool(t, "next_hop_self", ctx, n.next_hop_self));
  for (const auto afi : {base::Afi::Ipv4, base::Afi::Ipv6}) {
    const char* key = afi == base::Afi::Ipv4 ? "next_hop_ipv4" : "next_hop_ipv6";
    const toml::node* node = t.get(key);
    if (node == nullptr)
      continue;
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*node, key, ctx));
    auto next_hop = base::IpAddress::parse(text);
    if (!next_hop)
      return error(node->source(), ctx, "'" + std::string(key) + "': " + next_hop.error().message);
    if (next_hop->afi() != afi)
      return error(node->source(), ctx,
                   "'" + std::string(key) + "' must be an address of that family");
    (afi == base::Afi::Ipv4 ? n.next_hop_ipv4 : n.next_hop_ipv6) = *next_hop;
  }
  BGPSEC_TRY(read_bool(t, "route_reflector_client", ctx, n.route_reflector_client));
  // RFC 4456 §6: route reflection is among iBGP peers.
  if (n.route_reflector_client && !ibgp) {
    return error(t.get("route_reflector_client")->source(), ctx,
                 "'route_reflector_client' needs an iBGP neighbor (remote_as = global asn)");
  }
  BGPSEC_TRY(read_bool(t, "route_server", ctx, n.route_server));
  // RFC 8205 §4.2: a transparent route server sits between eBGP clients.
  if (n.route_server && ibgp) {
    return error(t.get("route_server")->source(), ctx, "'route_server' needs an eBGP neighbor");
  }
  BGPSEC_TRY(read_bool(t, "route_server_peer", ctx, n.peer_is_route_server));
  // RFC 8205 §7.2: pCount 0 from a transparent route server, which is an eBGP neighbor.
  if (n.peer_is_route_server && ibgp) {
    return error(t.get("route_server_peer")->source(), ctx,
                 "'route_server_peer' needs an eBGP neighbor");
  }
  BGPSEC_TRY(read_bool(t, "graceful_restart", ctx, n.graceful_restart));
  BGPSEC_TRY(read_bool(t, "extended_messages", ctx, n.extended_messages));
  BGPSEC_TRY(read_bool(t, "enhanced_route_refresh", ctx, n.enhanced_route_refresh));
  BGPSEC_TRY(read_int(t, "eorr_timeout", ctx, 1, 65535, n.eorr_timeout));
  BGPSEC_TRY(parse_tcp_security(t, ctx, n));
  if (const toml::node* node = t.get("validation")) {
    ValidationMode mode = ValidationMode::Local;
    BGPSEC_TRY(read_enum(t, "validation", ctx, kValidationModes, mode));
    if (mode != ValidationMode::Local && config_.validation.servers.empty()) {
      return error(node->source(), ctx,
                   std::string("'validation' = \"") + validation_mode_name(mode) +
                       "\" needs at least one [[validation_server]]");
    }
    n.validation = mode;
  }
  BGPSEC_TRY(parse_role(t, ctx, n));
  if (const toml::node* node = t.get("remove_private_as")) {
    rib::PrivateAsRemoval remove = rib::PrivateAsRemoval::None;
    BGPSEC_TRY(read_private_as_removal(t, ctx, remove));
    // RFC 8374 §8.4.2: private ASNs are removed where routes leave for another AS; inside our
    // AS and our confederation (whose Member-ASes are often private) they are path.
    if (!n.external(config_.global)) {
      return error(node->source(), ctx,
                   "'remove_private_as' needs an eBGP neighbor outside our confederation");
    }
    n.remove_private_as = remove;
  }
  // RFC 8212 §3: an eBGP session without policy accepts and sends nothing.
  if (!ibgp) {
    if (!n.import_policy) {
      warn(t.source(), ctx,
           "eBGP neighbor without import policy: no routes will be accepted (RFC 8212)");
    }
    if (!n.export_policy) {
      warn(t.source(), ctx,
           "eBGP neighbor without export policy: no routes will be sent (RFC 8212)");
    }
  }
  config_.neighbors.push_back(std::move(n));
  return {};
}

base::Result<void> NeighborSection::parse_neighbors(const toml::table& root) {
  BGPSEC_ASSIGN_OR_RETURN(const toml::array* neighbors,
                          array_of_tables(root, "neighbor", "neighbor"));
  if (neighbors == nullptr)
    return {};
  for (const toml::node& node : *neighbors) {
    BGPSEC_TRY(parse_neighbor(*node.as_table(), config_.neighbors.size() + 1));
  }
  return {};
}

}  // namespace bgpsecd::daemon::config_detail

namespace bgpsecd::daemon {

// ===== session config =====

session::FsmConfig to_fsm_config(const NeighborConfig& neighbor, const GlobalConfig& global) {
  session::FsmConfig out;
  session::SessionConfig& s = out.session;
  // RFC 5065 §4: peers outside the confederation know us by its identifier; members and
  // iBGP peers by our Member-AS.
  s.local_as = neighbor.external(global) ? global.external_as() : global.asn;
  s.router_id = global.router_id;
  s.peer_as = neighbor.remote_as;
  s.hold_time = neighbor.hold_time.value_or(global.hold_time);
  s.keepalive = global.keepalive;  // RFC 4271 §10; min(keepalive, hold / 3) once negotiated
  s.families.clear();
  if (neighbor.ipv4)
    s.families.push_back(session::kIpv4Unicast);
  if (neighbor.ipv6)
    s.families.push_back(session::kIpv6Unicast);
  s.bgpsec.send_ipv4 = neighbor.bgpsec_send.ipv4;
  s.bgpsec.send_ipv6 = neighbor.bgpsec_send.ipv6;
  s.bgpsec.receive_ipv4 = neighbor.bgpsec_receive.ipv4;
  s.bgpsec.receive_ipv6 = neighbor.bgpsec_receive.ipv6;
  if (neighbor.graceful_restart && global.graceful_restart_time > 0) {
    session::GracefulRestartConfig gr;
    gr.restart_time = global.graceful_restart_time;
    // RFC 8538 §2: we handle NOTIFICATIONs gracefully and send Hard Reset when the routes
    // are to go (session::cease_notification).
    gr.notification = true;
    s.graceful_restart = gr;
  }
  s.extended_messages = neighbor.extended_messages;
  s.enhanced_route_refresh = neighbor.enhanced_route_refresh;
  s.role = neighbor.role;
  s.role_strict = neighbor.role_strict;
  out.passive = neighbor.passive;
  return out;
}

}  // namespace bgpsecd::daemon
