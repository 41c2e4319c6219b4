// SPDX-License-Identifier: BSD-2-Clause
// The speaker's BGPsec import side: RFC 8205 §5.2 validation of a received BGPsec_PATH and
// what RFC 8374 does with the result (§8.5 strip or withdraw, §8.7 states carried in iBGP),
// and the revalidation of exactly the routes an RPKI change affects (RFC 8374 §9.2).
#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "daemon/speaker_neighbor.hpp"

namespace bgpsecd::daemon {

namespace {

// RFC 8205 §5.2: the Target AS of the newest signature, i.e. us as the signer saw us. Inside a
// confederation (RFC 8205 §4.3) a member's segment (Confed_Segment) targets our Member-AS, an
// external AS's the confederation identifier; an iBGP peer passes either on unchanged.
base::Asn newest_signature_target(const GlobalConfig& global,
                                  std::span<const wire::SecurePathSegment> secure_path) {
  const bool from_member = !secure_path.empty() && secure_path.front().confed();
  return global.confederation_id && !from_member ? *global.confederation_id : global.asn;
}

}  // namespace

bgpsec::RouteContext route_context_of(const wire::PathAttributes& attrs,
                                      const base::Prefix& prefix) {
  bgpsec::RouteContext route;
  route.prefix = prefix;
  route.afi = attrs.mp_reach ? static_cast<std::uint16_t>(attrs.mp_reach->afi) : 0;
  route.safi = attrs.mp_reach ? attrs.mp_reach->safi : base::kSafiUnicast;
  route.as_path_present = attrs.as_path.has_value();
  return route;
}

ImportSettings Speaker::import_settings_of(const Neighbor& n,
                                           bool bgpsec_receive_negotiated) const {
  ImportSettings settings;
  const GlobalConfig& global = config_.global;
  settings.ebgp = n.ebgp();
  settings.syntax_error_action = config_.bgpsec.syntax_error_action;
  settings.ibgp_state = config_.bgpsec.ibgp_state;
  bgpsec::PeerContext& peer = settings.peer;
  // RFC 8205 §4.3: a peer outside our confederation signs for its identifier, a member (and
  // an iBGP peer, see newest_signature_target) for our Member-AS.
  peer.own_as = n.config.external(global) ? global.external_as() : global.asn;
  peer.peer_as = n.config.remote_as;
  peer.relation = n.config.confed_member(global) ? bgpsec::PeerRelation::ConfedEbgp
                  : n.ebgp()                     ? bgpsec::PeerRelation::Ebgp
                                                 : bgpsec::PeerRelation::Ibgp;
  peer.confederation_id = global.confederation_id;
  peer.bgpsec_receive_negotiated = bgpsec_receive_negotiated;
  // RFC 8205 §7.2: a neighbor configured as a transparent route server may send pCount 0.
  peer.peer_is_transparent_route_server = n.config.peer_is_route_server;
  return settings;
}

bool Speaker::validation_in_flight(const Neighbor& n, const base::Prefix& prefix) {
  return n.validating.in_flight(prefix);
}

void Speaker::start_validation(Neighbor& n, const rib::Route& route,
                               const std::optional<KnownIngress>& known) {
  if (outsourced(n, route) && submit_to_server(n, route)) {
    return;
  }
  start_local_validation(n, route, known);
}

void Speaker::start_local_validation(Neighbor& n, const rib::Route& route,
                                     const std::optional<KnownIngress>& known) {
  const std::uint64_t token = ++validation_seq_;
  n.validating.start(route.prefix, token);
  ValidationPool::Job job;
  job.path = route.bgpsec;
  job.prefix = route.prefix;
  job.safi = route_context_of(*route.attrs, route.prefix).safi;
  // RFC 8205 §5.2: the newest signature targets us as the peer sees us (also over iBGP: the
  // attribute arrives unchanged).
  job.own_as = newest_signature_target(config_.global, route.secure_path());
  job.rpki = rpki_.snapshot();
  job.done = [this, name = n.name(), prefix = route.prefix, token,
              known](const bgpsec::PathValidation& validation) {
    on_validated(name, prefix, token, validation, known ? &*known : nullptr);
    start_deferred();  // the queue has room for one more (RFC 8374 §8.7, defer_when_queued)
  };
  validation_pool_->submit(std::move(job));
}

void Speaker::on_validated(const std::string& neighbor, const base::Prefix& prefix,
                           std::uint64_t token, const bgpsec::PathValidation& validation,
                           const KnownIngress* known) {
  Neighbor* n = find_neighbor(neighbor);
  if (n == nullptr) {
    return;  // removed by a reload meanwhile
  }
  if (!n->validating.finish(prefix, token)) {
    return;  // the route was replaced or withdrawn, or a newer check was asked for
  }
  const rib::Route* route = n->adj_in.find(prefix);
  if (route == nullptr) {
    return;
  }
  auto checked = checked_state(*route, validation);
  if (!checked.changed) {
    return;  // a revalidation that changed nothing: nothing to decide or export again
  }
  reimport_route(*n, *n->adj_in.set_path_state(prefix, checked.state, std::move(checked.failure)),
                 known);
}

std::size_t Speaker::revalidate(Neighbor& n, const rpki::ChangeSet& change) {
  const auto keys = change.router_key_ids();
  // RFC 6811 §2: a VRP covers its prefix and the more-specifics, so only routes under a
  // changed VRP can change origin state; a key change only touches paths signed with it.
  std::set<base::Prefix> affected;
  std::vector<base::Prefix> paths;
  for (const auto& covering : change.vrp_prefixes()) {
    n.adj_in.for_each_within(covering, [&](const rib::Route& r) { affected.insert(r.prefix); });
  }
  // docs/aspa.md §5: only a path through a customer whose provider set changed.
  aspa_affected(n, change.aspa_customers, affected);
  if (!keys.empty()) {
    const auto settings = import_settings_of(n);
    n.adj_in.for_each([&](const rib::Route& r) {
      if (r.bgpsec.signed_with_any(keys) && !trusted_path_state(settings, *r.attrs)) {
        paths.push_back(r.prefix);
        affected.insert(r.prefix);
      }
    });
  }
  // The stored routes passed the §5.2 checks when they arrived (negotiation included), so
  // only the signatures can come out differently now: they go to the workers, and each route
  // keeps its state (and its place in the Loc-RIB) until its result says otherwise.
  for (const auto& prefix : paths) {
    // Unchecked routes stay so: reimport_route decides for those never verified, deferred
    // ones wait for their turn (start_deferred), postponed ones for the best to change.
    if (n.not_verified.contains(prefix) || n.deferred.contains(prefix) ||
        n.postponed.contains(prefix)) {
      continue;
    }
    const rib::Route& route = *n.adj_in.find(prefix);
    // A server that holds the route validates it again itself and tells us when its result
    // changes (docs/srx-proxy.md §7.3); while none answers, it is checked as a new one.
    if (n.outsourced.contains(prefix) && outsourced(n, route) && validation_servers_->available()) {
      continue;
    }
    start_validation(n, route);
  }
  // Origin states change here and now; a route whose signatures are being checked waits
  // for that result (import_route).
  for (const auto& prefix : affected) {
    reimport_route(n, *n.adj_in.find(prefix));
  }
  return affected.size();
}

void Speaker::on_rpki_change(const rpki::ChangeSet& change) {
  ++rpki_changes_;
  std::size_t touched = 0;
  for (auto& [name, n] : neighbors_) {
    touched += revalidate(*n, change);
  }
  routes_revalidated_ += touched;
  last_change_routes_ = touched;
  spdlog::info(
      "rpki: +{} -{} VRPs, +{} -{} router keys, {} ASPA customers changed: {} routes revalidated "
      "(RFC 8374 §9.2)",
      change.vrps_added.size(), change.vrps_removed.size(), change.keys_added.size(),
      change.keys_removed.size(), change.aspa_customers.size(), touched);
  // Our networks' origin state, updated in place (a withdraw first would flap them at peers).
  originate_networks();
  warn_if_signing_key_left(change);
  check_signing_key_expiry();
}

}  // namespace bgpsecd::daemon
