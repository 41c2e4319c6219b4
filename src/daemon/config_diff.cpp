// SPDX-License-Identifier: BSD-2-Clause
// What changed between two configurations, for reload: which sessions to add, remove or
// reset, which to re-run policy on, and which global parts to re-apply.
#include <algorithm>
#include <optional>
#include <string>

#include "daemon/config.hpp"

namespace bgpsecd::daemon {
namespace {

bool same_policy(const Config& a, const Config& b, const std::optional<std::string>& name_a,
                 const std::optional<std::string>& name_b) {
  if (name_a != name_b)
    return false;
  if (!name_a)
    return true;
  const Policy* pa = a.find_policy(*name_a);
  const Policy* pb = b.find_policy(*name_b);
  if (pa == nullptr || pb == nullptr)
    return pa == pb;
  if (!(*pa == *pb))
    return false;
  // A policy is also changed when a prefix list it uses changed.
  for (const PolicyRule& rule : pa->rules) {
    if (!rule.match.prefix_list)
      continue;
    const PrefixList* la = a.find_prefix_list(*rule.match.prefix_list);
    const PrefixList* lb = b.find_prefix_list(*rule.match.prefix_list);
    if (la == nullptr || lb == nullptr ? la != lb : !(*la == *lb))
      return false;
  }
  return true;
}

bool needs_reset(const NeighborConfig& a, const GlobalConfig& ga, const NeighborConfig& b,
                 const GlobalConfig& gb) {
  const session::FsmConfig fa = to_fsm_config(a, ga);
  const session::FsmConfig fb = to_fsm_config(b, gb);
  const session::SessionConfig& sa = fa.session;
  const session::SessionConfig& sb = fb.session;
  const auto gr_time = [](const session::SessionConfig& s) {
    return s.graceful_restart ? std::optional<std::uint16_t>(s.graceful_restart->restart_time)
                              : std::nullopt;
  };
  return sa.local_as != sb.local_as || sa.router_id != sb.router_id || sa.peer_as != sb.peer_as ||
         sa.hold_time != sb.hold_time || sa.keepalive != sb.keepalive ||
         sa.families != sb.families || !(sa.bgpsec == sb.bgpsec) || gr_time(sa) != gr_time(sb) ||
         sa.extended_messages != sb.extended_messages ||
         sa.enhanced_route_refresh != sb.enhanced_route_refresh || fa.passive != fb.passive ||
         // RFC 9234 §4: the Role capability is in the OPEN, and the OTC rules follow the role.
         sa.role != sb.role || sa.role_strict != sb.role_strict ||
         a.local_address != b.local_address || a.port != b.port || a.password != b.password ||
         a.ttl_security != b.ttl_security ||
         // RFC 5925 §6.1: keys roll on the live connection, but a connection never gains or
         // loses TCP-AO.
         a.tcp_ao.empty() != b.tcp_ao.empty() ||
         // read when the session comes up (Speaker::on_established)
         a.next_hop_ipv4 != b.next_hop_ipv4 || a.next_hop_ipv6 != b.next_hop_ipv6 ||
         // Whether the session is iBGP decides what the OPEN must say and how UPDATEs decode;
         // being a confederation member how its Secure_Paths are checked (RFC 8205 §4.3).
         a.ibgp(ga) != b.ibgp(gb) || a.confed_member(ga) != b.confed_member(gb);
}

}  // namespace

bool ConfigDiff::empty() const noexcept {
  return added.empty() && removed.empty() && reset.empty() && soft.empty() && updated.empty() &&
         !listen_changed && !control_changed && !metrics_changed && !log_level_changed &&
         !rpki_changed && !bgpsec_changed && !aspa_changed && !validation_changed &&
         !networks_changed && bmp_added.empty() && bmp_removed.empty();
}

ConfigDiff diff(const Config& old, const Config& next) {
  ConfigDiff d;
  for (const NeighborConfig& o : old.neighbors) {
    if (next.find_neighbor(o.address) == nullptr)
      d.removed.push_back(o.name());
  }
  for (const NeighborConfig& n : next.neighbors) {
    const NeighborConfig* o = old.find_neighbor(n.address);
    if (o == nullptr) {
      d.added.push_back(n.name());
      continue;
    }
    if (needs_reset(*o, old.global, n, next.global)) {
      d.reset.push_back(n.name());
      continue;
    }
    SoftChange soft{n.name(), false, false};
    soft.in = !same_policy(old, next, o->import_policy, n.import_policy) ||
              o->peer_is_route_server != n.peer_is_route_server;
    soft.out = !same_policy(old, next, o->export_policy, n.export_policy) ||
               o->next_hop_self != n.next_hop_self ||
               o->route_reflector_client != n.route_reflector_client ||
               o->route_server != n.route_server ||
               o->private_as_removal(old.global, old.bgpsec.remove_private_as) !=
                   n.private_as_removal(next.global, next.bgpsec.remove_private_as);
    if (soft.in || soft.out) {
      d.soft.push_back(std::move(soft));
    } else if (!(*o == n)) {
      d.updated.push_back(n.name());
    }
  }
  const GlobalConfig& a = old.global;
  const GlobalConfig& b = next.global;
  d.listen_changed = a.listen != b.listen;
  d.control_changed = a.control_socket != b.control_socket || a.control_tcp != b.control_tcp;
  d.metrics_changed = a.metrics_listen != b.metrics_listen;
  d.log_level_changed = a.log_level != b.log_level;
  d.rpki_changed = !(old.rpki == next.rpki);
  d.bgpsec_changed = !(old.bgpsec == next.bgpsec);
  d.aspa_changed = !(old.aspa == next.aspa);
  d.validation_changed = !(old.validation == next.validation);
  for (const NeighborConfig& n : next.neighbors) {
    const NeighborConfig* o = old.find_neighbor(n.address);
    d.validation_changed = d.validation_changed || (o != nullptr && o->validation != n.validation);
  }
  d.networks_changed = old.networks != next.networks;
  const auto has = [](const Config& c, const BmpStationConfig& station) {
    return std::find(c.bmp.begin(), c.bmp.end(), station) != c.bmp.end();
  };
  for (const BmpStationConfig& o : old.bmp) {
    if (!has(next, o))
      d.bmp_removed.push_back(o.address.to_string());
  }
  for (const BmpStationConfig& n : next.bmp) {
    if (!has(old, n))
      d.bmp_added.push_back(n.address.to_string());
  }
  return d;
}

}  // namespace bgpsecd::daemon
