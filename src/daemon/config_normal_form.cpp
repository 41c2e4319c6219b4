// SPDX-License-Identifier: BSD-2-Clause
// The normal form of a configuration (bgpsecd -n): fixed key order, every default written
// out, comments where a value is inherited. It parses back to the same Config.
#include <sstream>
#include <utility>
#include <vector>

#include "base/utc_time.hpp"
#include "daemon/config.hpp"
#include "daemon/config_parse.hpp"
#include "service/config_tables.hpp"

namespace bgpsecd::daemon {
namespace {

using service::string_array;

std::string communities_array(const std::vector<Community>& list) {
  std::vector<std::string> items;
  items.reserve(list.size());
  for (const Community& c : list)
    items.push_back(community_to_string(c));
  return string_array(items);
}

std::string families_array(bool ipv4, bool ipv6) {
  std::vector<std::string> items;
  if (ipv4)
    items.emplace_back("ipv4");
  if (ipv6)
    items.emplace_back("ipv6");
  return string_array(items);
}

std::string router_id_string(std::uint32_t id) { return base::IpAddress::v4(id).to_string(); }

}  // namespace

using config_detail::kAspaStates;
using config_detail::kOriginStates;
using config_detail::kPathStates;

std::string to_normal_form(const Config& c) {
  std::ostringstream o;
  const GlobalConfig& g = c.global;
  o << "# bgpsecd configuration in normal form (bgpsecd -n); see bgpsecd.conf(5).\n\n";
  o << "[global]\n";
  o << "asn = " << g.asn.value() << "\n";
  o << "router_id = " << quote(router_id_string(g.router_id)) << "\n";
  std::vector<std::string> listen;
  for (const Endpoint& ep : g.listen)
    listen.push_back(ep.to_string());
  o << "listen = " << string_array(listen) << "\n";
  o << "hold_time = " << g.hold_time << "\n";
  o << "keepalive = " << g.keepalive << "\n";
  o << "graceful_restart_time = " << g.graceful_restart_time << "\n";
  o << "log_level = " << quote(log_level_name(g.log_level)) << "\n";
  if (g.confederation_id) {
    o << "confederation_id = " << g.confederation_id->value() << "\n";
    o << "confederation_peers = [";
    for (std::size_t i = 0; i < g.confederation_peers.size(); ++i) {
      o << (i == 0 ? "" : ", ") << g.confederation_peers[i].value();
    }
    o << "]\n";
  } else {
    o << "# confederation_id: not a confederation member\n";
  }
  o << "\n";

  o << service::control_and_metrics_normal_form(g.control_socket, g.control_tcp, g.metrics_listen);
  o << service::rpki_normal_form(c.rpki);

  const BgpsecConfig& b = c.bgpsec;
  o << "[bgpsec]\n";
  o << "key_dir = " << quote(b.key_dir) << "\n";
  o << "key_files = " << string_array(b.key_files) << "\n";
  o << "syntax_error_action = " << quote(syntax_error_action_name(b.syntax_error_action)) << "\n";
  o << "remove_private_as = " << quote(private_as_removal_name(b.remove_private_as)) << "\n";
  o << "ibgp_state = " << quote(ibgp_state_name(b.ibgp_state)) << "\n";
  o << "drop_not_valid = " << (b.drop_not_valid ? "true" : "false") << "\n";
  o << "drop_origin_invalid = " << (b.drop_origin_invalid ? "true" : "false") << "\n";
  o << "validation_threads = " << b.validation_threads << "\n";
  o << "signature_cache_entries = " << b.signature_cache_entries << "\n";
  o << "key_tables = " << b.key_tables << "\n";
  o << "small_key_tables = " << b.small_key_tables << "\n";
  o << "multi_buffer = " << (b.multi_buffer ? "true" : "false") << "\n";
  if (b.defer_when_queued) {
    o << "defer_when_queued = " << *b.defer_when_queued << "\n";
  }
  o << "key_expiry_warning = " << b.key_expiry_warning.count() << "\n";
  o << "validation_order = " << quote(validation_order_name(b.validation_order)) << "\n";
  o << "\n";
  o << "[bgpsec.preference]\n";
  o << "path_valid = " << b.preference.path_valid << "\n";
  o << "path_unsigned = " << b.preference.path_unsigned << "\n";
  o << "path_pending = " << b.preference.path_pending << "\n";
  o << "path_not_valid = " << b.preference.path_not_valid << "\n";
  o << "origin_valid = " << b.preference.origin_valid << "\n";
  o << "origin_not_found = " << b.preference.origin_not_found << "\n";
  o << "origin_invalid = " << b.preference.origin_invalid << "\n\n";
  if (!b.active_key.empty()) {
    o << "[bgpsec.active_key]\n";
    for (const auto& [asn, ski] : b.active_key) {
      o << asn << " = " << quote(ski.to_hex()) << "\n";
    }
    o << "\n";
  }

  const AspaConfig& aspa = c.aspa;
  o << "[aspa]\n";
  o << "verify = " << (aspa.verify ? "true" : "false") << "\n";
  o << "drop_invalid = " << (aspa.drop_invalid ? "true" : "false") << "\n\n";
  o << "[aspa.preference]\n";
  o << "valid = " << aspa.preference.valid << "\n";
  o << "unknown = " << aspa.preference.unknown << "\n";
  o << "invalid = " << aspa.preference.invalid << "\n\n";

  const ValidationConfig& v = c.validation;
  o << "[validation]\n";
  o << "mode = " << quote(validation_mode_name(v.mode)) << "\n";
  o << "proxy_id = " << v.proxy_id << "\n";
  o << "hello_timeout = " << v.hello_timeout.count() << "\n";
  o << "answer_timeout = " << v.answer_timeout.count() << "\n";
  o << "connect_timeout = " << v.connect_timeout.count() << "\n";
  o << "keep_window = " << v.keep_window << "\n";
  o << "fallback_after = " << v.fallback_after.count() << "\n";
  o << "signing = " << quote(signing_mode_name(v.signing)) << "\n";
  o << "signing_fallback = " << quote(signing_fallback_name(v.signing_fallback)) << "\n\n";
  for (const ValidationServerConfig& server : v.servers) {
    o << "[[validation_server]]\n";
    o << "address = " << quote(server.address.to_string()) << "\n";
    o << "preference = " << unsigned{server.preference} << "\n\n";
  }

  for (const PrefixList& list : c.prefix_lists) {
    std::vector<std::string> entries;
    for (const PrefixListEntry& e : list.entries)
      entries.push_back(e.to_string());
    o << "[[prefix_list]]\n";
    o << "name = " << quote(list.name) << "\n";
    o << "prefixes = " << string_array(entries) << "\n\n";
  }

  for (const Policy& p : c.policies) {
    o << "[[policy]]\n";
    o << "name = " << quote(p.name) << "\n";
    o << "default_action = " << quote(policy_action_name(p.default_action)) << "\n\n";
    for (const PolicyRule& rule : p.rules) {
      std::vector<std::string> match;
      const PolicyMatch& m = rule.match;
      if (m.prefix_list)
        match.push_back("prefix_list = " + quote(*m.prefix_list));
      if (m.as_path_contains)
        match.push_back("as_path_contains = " + m.as_path_contains->to_string());
      if (m.origin_as)
        match.push_back("origin_as = " + m.origin_as->to_string());
      if (m.community)
        match.push_back("community = " + quote(community_to_string(*m.community)));
      if (m.path_state)
        match.push_back("path_state = " + quote(enum_name(*m.path_state, kPathStates)));
      if (m.origin_state)
        match.push_back("origin_state = " + quote(enum_name(*m.origin_state, kOriginStates)));
      if (m.aspa_state)
        match.push_back("aspa_state = " + quote(enum_name(*m.aspa_state, kAspaStates)));
      if (m.otc)
        match.push_back(std::string("otc = ") + (*m.otc ? "true" : "false"));
      std::vector<std::string> set;
      const PolicySet& s = rule.set;
      if (s.local_pref)
        set.push_back("local_pref = " + std::to_string(*s.local_pref));
      if (s.med)
        set.push_back("med = " + std::to_string(*s.med));
      set.push_back("add_community = " + communities_array(s.add_community));
      set.push_back("prepend = " + std::to_string(unsigned{s.prepend}));
      const auto inline_table = [](const std::vector<std::string>& items) {
        std::string out = "{";
        for (std::size_t i = 0; i < items.size(); ++i)
          out += (i == 0 ? " " : ", ") + items[i];
        return out + (items.empty() ? "}" : " }");
      };
      o << "[[policy.rule]]\n";
      o << "match = " << inline_table(match) << "\n";
      o << "set = " << inline_table(set) << "\n";
      o << "action = " << quote(policy_action_name(rule.action)) << "\n\n";
    }
  }

  for (const Network& n : c.networks) {
    o << "[[network]]\n";
    o << "prefix = " << quote(n.prefix.to_string()) << "\n";
    o << "communities = " << communities_array(n.communities) << "\n\n";
  }

  for (const NeighborConfig& n : c.neighbors) {
    o << "[[neighbor]]\n";
    o << "address = " << quote(n.name()) << "\n";
    o << "remote_as = " << n.remote_as.value() << "\n";
    if (n.local_address) {
      o << "local_address = " << quote(n.local_address->to_string()) << "\n";
    } else {
      o << "# local_address: chosen by the kernel\n";
    }
    o << "port = " << n.port << "\n";
    o << "passive = " << (n.passive ? "true" : "false") << "\n";
    o << "description = " << quote(n.description) << "\n";
    if (n.hold_time) {
      o << "hold_time = " << *n.hold_time << "\n";
    } else {
      o << "# hold_time: global (" << g.hold_time << ")\n";
    }
    o << "families = " << families_array(n.ipv4, n.ipv6) << "\n";
    o << "bgpsec = { send = " << families_array(n.bgpsec_send.ipv4, n.bgpsec_send.ipv6)
      << ", receive = " << families_array(n.bgpsec_receive.ipv4, n.bgpsec_receive.ipv6) << " }\n";
    if (n.import_policy) {
      o << "import = " << quote(*n.import_policy) << "\n";
    } else {
      o << "# import: none"
        << (n.ibgp(g) ? " (iBGP: accept all)\n" : " (RFC 8212: accept nothing)\n");
    }
    if (n.export_policy) {
      o << "export = " << quote(*n.export_policy) << "\n";
    } else {
      o << "# export: none" << (n.ibgp(g) ? " (iBGP: send all)\n" : " (RFC 8212: send nothing)\n");
    }
    o << "max_prefix = " << n.max_prefix << "\n";
    o << "next_hop_self = " << (n.next_hop_self ? "true" : "false") << "\n";
    for (const auto& [key, address] : {std::pair{"next_hop_ipv4", n.next_hop_ipv4},
                                       std::pair{"next_hop_ipv6", n.next_hop_ipv6}}) {
      if (address) {
        o << key << " = " << quote(address->to_string()) << "\n";
      } else {
        o << "# " << key << ": our address on the session\n";
      }
    }
    o << "route_reflector_client = " << (n.route_reflector_client ? "true" : "false") << "\n";
    o << "route_server = " << (n.route_server ? "true" : "false") << "\n";
    o << "route_server_peer = " << (n.peer_is_route_server ? "true" : "false") << "\n";
    o << "graceful_restart = " << (n.graceful_restart ? "true" : "false") << "\n";
    o << "extended_messages = " << (n.extended_messages ? "true" : "false") << "\n";
    o << "enhanced_route_refresh = " << (n.enhanced_route_refresh ? "true" : "false") << "\n";
    o << "eorr_timeout = " << n.eorr_timeout << "\n";
    if (n.remove_private_as) {
      o << "remove_private_as = " << quote(private_as_removal_name(*n.remove_private_as)) << "\n";
    } else {
      o << "# remove_private_as: [bgpsec] remove_private_as\n";
    }
    // The TCP MD5 key itself is never printed.
    if (!n.password_file.empty()) {
      o << "password_file = " << quote(n.password_file) << "\n";
    } else if (!n.password.empty()) {
      o << "# password: set, not shown\n";
    }
    if (n.ttl_security != 0) {
      o << "ttl_security = " << static_cast<unsigned>(n.ttl_security) << "\n";
    }
    if (n.validation) {
      o << "validation = " << quote(validation_mode_name(*n.validation)) << "\n";
    } else {
      o << "# validation: [validation] mode\n";
    }
    if (n.role) {
      o << "role = " << quote(wire::role_name(*n.role)) << "\n";
      o << "role_strict = " << (n.role_strict ? "true" : "false") << "\n";
    } else {
      o << "# role: none (RFC 9234 roles and OTC off)\n";
    }
    // TCP-AO keys (RFC 5925): the ids, algorithm and lifetimes; the secret never.
    for (const session::AoKey& key : n.tcp_ao) {
      o << "\n[[neighbor.tcp_ao]]\n";
      o << "send_id = " << static_cast<unsigned>(key.send_id) << "\n";
      o << "recv_id = " << static_cast<unsigned>(key.recv_id) << "\n";
      o << "algorithm = " << quote(session::ao_algorithm_name(key.algorithm)) << "\n";
      if (!key.secret_file.empty()) {
        o << "key_file = " << quote(key.secret_file) << "\n";
      } else {
        o << "# key: set, not shown\n";
      }
      for (const auto& [name, when] :
           {std::pair{"send_from", key.send_from}, std::pair{"send_until", key.send_until},
            std::pair{"accept_from", key.accept_from},
            std::pair{"accept_until", key.accept_until}}) {
        if (when) {
          o << name << " = " << base::format_utc(*when) << "\n";
        }
      }
      o << "preferred = " << (key.preferred ? "true" : "false") << "\n";
    }
    o << "\n";
  }
  for (const BmpStationConfig& station : c.bmp) {
    std::vector<std::string> views;
    if (station.views.pre_policy)
      views.emplace_back("pre-policy");
    if (station.views.post_policy)
      views.emplace_back("post-policy");
    if (station.views.loc_rib)
      views.emplace_back("loc-rib");
    o << "[[bmp]]\n";
    o << "address = " << quote(station.address.to_string()) << "\n";
    o << "views = " << string_array(views) << "\n";
    o << "stats_interval = " << station.stats_interval.count() << "\n";
    o << "reconnect_min = " << station.reconnect_min.count() << "\n";
    o << "reconnect_max = " << station.reconnect_max.count() << "\n";
    o << "max_queue = " << station.max_queue << "\n\n";
  }
  return o.str();
}

}  // namespace bgpsecd::daemon
