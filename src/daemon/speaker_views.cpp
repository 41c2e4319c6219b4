// SPDX-License-Identifier: BSD-2-Clause
// What the speaker shows: the control API results (shapes in control_text.hpp) and the
// Prometheus metrics.
#include <algorithm>
#include <chrono>
#include <tuple>

#include <spdlog/spdlog.h>

#include "daemon/control_text.hpp"
#include "daemon/speaker.hpp"
#include "daemon/speaker_neighbor.hpp"
#include "service/control_server.hpp"
#include "service/metrics.hpp"
#include "wire/bgpsec_path_json.hpp"

namespace bgpsecd::daemon {

namespace {

std::string state_text(session::State state) {
  switch (state) {
    case session::State::Idle:
      return "idle";
    case session::State::Connect:
      return "connect";
    case session::State::Active:
      return "active";
    case session::State::OpenSent:
      return "opensent";
    case session::State::OpenConfirm:
      return "openconfirm";
    case session::State::Established:
      return "established";
  }
  return "idle";
}

const char* as_path_segment_type_name(wire::AsPathSegmentType type) {
  switch (type) {
    case wire::AsPathSegmentType::AsSet:
      return "set";
    case wire::AsPathSegmentType::AsSequence:
      return "sequence";
    case wire::AsPathSegmentType::AsConfedSequence:
      return "confed-sequence";
    case wire::AsPathSegmentType::AsConfedSet:
      return "confed-set";
  }
  return "unknown";
}

nlohmann::json as_path_json(const rib::Route& route) {
  nlohmann::json out = nlohmann::json::array();
  if (route.bgpsec) {
    for (const auto& s : route.secure_path()) {
      for (int i = 0; i < s.pcount; ++i) {
        out.push_back(s.asn.value());
      }
    }
    return out;
  }
  if (const auto& attrs = *route.attrs; attrs.as_path) {
    for (const auto& segment : attrs.as_path->segments) {
      for (const auto asn : segment.asns) {
        out.push_back(asn.value());
      }
    }
  }
  return out;
}

nlohmann::json route_json(const rib::Route& route, const std::string& peer, bool best) {
  const auto& a = *route.attrs;
  nlohmann::json r{{"prefix", route.prefix.to_string()},
                   {"peer", peer},
                   {"best", best},
                   {"stale", route.stale},
                   {"local_pref", route.local_pref},
                   {"as_path", as_path_json(route)},
                   {"path_state", rib::path_state_name(route.path_state)},
                   {"origin_state", rib::origin_state_name(route.origin_state)},
                   {"aspa_state", rib::aspa_state_name(route.aspa_state)},
                   {"route_leak", route.route_leak}};
  if (a.otc) {
    r["otc"] = a.otc->value();  // RFC 9234 §5
  }
  if (a.mp_reach && !a.mp_reach->next_hops.empty()) {
    r["next_hop"] = a.mp_reach->next_hops.front().to_string();
  } else if (a.next_hop) {
    r["next_hop"] = a.next_hop->to_string();
  }
  if (a.origin) {
    r["origin"] = wire::origin_name(*a.origin);
  }
  if (a.med) {
    r["med"] = *a.med;
  }
  if (a.as_path &&
      std::any_of(a.as_path->segments.begin(), a.as_path->segments.end(), [](const auto& seg) {
        return seg.type != wire::AsPathSegmentType::AsSequence;
      })) {
    // "as_path" flattens the segments; sets and RFC 5065 confederation segments are shown here.
    nlohmann::json segments = nlohmann::json::array();
    for (const auto& seg : a.as_path->segments) {
      nlohmann::json asns = nlohmann::json::array();
      for (const auto asn : seg.asns) {
        asns.push_back(asn.value());
      }
      segments.push_back({{"type", as_path_segment_type_name(seg.type)}, {"asns", asns}});
    }
    r["as_path_segments"] = segments;
  }
  if (route.bgpsec) {
    nlohmann::json secure = nlohmann::json::array();
    for (const auto& s : route.secure_path()) {
      secure.push_back({{"asn", s.asn.value()},
                        {"pcount", s.pcount},
                        {"confed", (s.flags & wire::kConfedSegmentFlag) != 0}});
    }
    // The SKI that signed each segment, in the first Signature_Block (the key an operator
    // looks for in the RPKI data; RFC 8205 §3.2).
    route.bgpsec.any_signature([&](const rib::StoredBgpsecPath::SignatureRef& sig) {
      if (sig.block == 0 && sig.ski != nullptr && sig.hop < secure.size()) {
        secure[sig.hop]["ski"] = sig.ski->to_hex();
      }
      return false;
    });
    r["secure_path"] = secure;
  }
  if (route.path_failure) {
    // Which signature failed and why (bgpsecctl prints it under the route).
    const auto& f = *route.path_failure;
    nlohmann::json failure{{"reason", bgpsec::reason_name(static_cast<bgpsec::Reason>(f.reason))},
                           {"segment", f.segment},
                           {"suite", f.suite}};
    const auto secure_path = route.secure_path();
    if (f.segment >= 0 && static_cast<std::size_t>(f.segment) < secure_path.size()) {
      const auto i = static_cast<std::size_t>(f.segment);
      failure["asn"] = secure_path[i].asn.value();
      route.bgpsec.any_signature([&](const rib::StoredBgpsecPath::SignatureRef& sig) {
        if (sig.hop == i && route.bgpsec.suite(sig.block) == f.suite) {
          failure["ski"] = sig.ski->to_hex();
        }
        return sig.hop > i;
      });
    }
    r["failure"] = failure;
  }
  return r;
}

}  // namespace

base::Result<nlohmann::json> Speaker::show_neighbors(const nlohmann::json& args) const {
  std::string only;
  if (args.contains("peer") && args["peer"].is_string()) {
    only = args["peer"].get<std::string>();
    if (find_neighbor(only) == nullptr) {
      return base::fail("no neighbor " + only);
    }
  }
  nlohmann::json list = nlohmann::json::array();
  const auto now = std::chrono::steady_clock::now();
  for (const auto& [name, n] : neighbors_) {
    if (!only.empty() && name != only) {
      continue;
    }
    nlohmann::json j{
        {"peer", name},
        {"peer_as", n->config.remote_as.value()},
        // The AS our OPEN gave this peer: the confederation identifier outside it (RFC 5065).
        {"local_as", n->config.external(config_.global) ? config_.global.external_as().value()
                                                        : config_.global.asn.value()},
        {"type", n->config.confed_member(config_.global) ? "confed-ebgp"
                 : n->ebgp()                             ? "ebgp"
                                                         : "ibgp"},
        {"state", state_text(n->peer->state())},
        {"state_seconds",
         std::chrono::duration_cast<std::chrono::seconds>(now - n->state_since).count()},
        // Session flaps since the neighbor was configured.
        {"established_transitions", n->peer->counters().established_transitions},
        {"router_id",
         n->negotiated ? nlohmann::json(base::IpAddress::v4(n->negotiated->peer_bgp_id).to_string())
                       : nlohmann::json(nullptr)},
        {"prefixes",
         {{"received", n->adj_in.size()},
          // Passed import: its candidates in the Loc-RIB, which keeps the count.
          {"accepted", loc_rib_.route_count(n->info->key)},
          {"advertised", n->adj_out.size()}}},
    };
    if (!n->config.description.empty()) {
      j["description"] = n->config.description;
    }
    // Whether the session is protected, never the key (RFC 2385, RFC 5082).
    j["tcp_md5"] = !n->config.password.empty();
    j["ttl_security"] = n->config.ttl_security;
    if (!n->config.tcp_ao.empty()) {
      // RFC 5925: the configured keys by their ids (never the secrets) and, while connected,
      // the kernel's current keys and segment counters.
      nlohmann::json ao;
      ao["keys"] = nlohmann::json::array();
      const auto wall_now = session::WallClock::now();
      for (const auto& key : n->config.tcp_ao) {
        ao["keys"].push_back({{"send_id", key.send_id},
                              {"recv_id", key.recv_id},
                              {"algorithm", session::ao_algorithm_name(key.algorithm)},
                              {"may_send", key.may_send(wall_now)},
                              {"may_accept", key.may_accept(wall_now)}});
      }
      if (const auto state = n->peer->ao_state()) {
        ao["current_send_id"] = state->current_send_id;
        ao["rnext_recv_id"] = state->rnext_recv_id;
        ao["segments_good"] = state->segments_good;
        ao["segments_bad"] = state->segments_bad;
        ao["key_not_found"] = state->key_not_found;
        ao["ao_required_drops"] = state->ao_required_drops;
      }
      j["tcp_ao"] = std::move(ao);
    }
    // RFC 9234: our configured role, the peer's as its OPEN said (null: none, or not up), and
    // the routes the OTC rules found leaking in each direction.
    // (the peer's role is read in place: g++ 12 -O2 took a copied optional<uint8_t> for
    // maybe-uninitialized)
    nlohmann::json peer_role = nullptr;
    if (n->negotiated && n->negotiated->peer_role.has_value()) {
      const unsigned code = n->negotiated->peer_role.value();
      const auto known = wire::role_from_code(static_cast<std::uint8_t>(code));
      peer_role = known ? nlohmann::json(wire::role_name(*known)) : nlohmann::json(code);
    }
    j["role"] = {
        {"local", n->config.role ? nlohmann::json(wire::role_name(*n->config.role)) : nullptr},
        {"peer", std::move(peer_role)},
        {"strict", n->config.role_strict},
        {"leaks_received", n->stats.route_leaks_in},
        {"leaks_held_back", n->stats.route_leaks_out}};
    const wire::BgpsecDirections b =
        n->negotiated ? n->negotiated->bgpsec : wire::BgpsecDirections{};
    j["bgpsec"] = {{"ipv4", {{"send", b.send_ipv4}, {"receive", b.receive_ipv4}}},
                   {"ipv6", {{"send", b.send_ipv6}, {"receive", b.receive_ipv6}}}};
    const auto& c = n->peer->counters();
    if (!c.last_error.empty()) {
      j["last_error"] = c.last_error;
    }
    j["counters"] = {{"updates_in", c.updates_in},
                     {"updates_out", c.updates_out},
                     {"update_errors", n->stats.update_errors},
                     {"withdrawals_received", n->stats.withdrawals_received},
                     {"treat_as_withdraw", n->stats.treat_as_withdraw},
                     {"rejected_by_policy", n->stats.rejected_by_policy},
                     {"signed_updates", n->stats.signed_updates},
                     {"sign_failures", n->stats.sign_failures},
                     {"bgpsec_syntax_errors", n->stats.bgpsec_syntax_errors},
                     {"bgpsec_stripped", n->stats.bgpsec_stripped},
                     {"max_prefix_exceeded", n->stats.max_prefix_exceeded},
                     {"loops", n->stats.loops},
                     {"private_asns_removed", n->stats.private_asns_removed},
                     {"private_as_kept_signed", n->stats.private_as_kept_signed},
                     {"logs_suppressed", n->stats.logs_suppressed},
                     {"validations_avoided", n->stats.validations_avoided},
                     {"signatures_not_verified", n->stats.signatures_not_verified},
                     {"validations_deferred", n->stats.validations_deferred},
                     {"validations_postponed", n->stats.validations_postponed},
                     {"postponed_checked", n->stats.postponed_checked},
                     {"borr_sent", n->stats.borr_sent},
                     {"eorr_sent", n->stats.eorr_sent},
                     {"borr_received", n->stats.borr_received},
                     {"eorr_received", n->stats.eorr_received},
                     {"refresh_stale_removed", n->stats.refresh_stale_removed}};
    // Our table to the neighbor: "deferred" until the restart deferral ends (RFC 4724 §4.1),
    // "sending" while the walk goes through the Loc-RIB, "sent" once End-of-RIB is out; null
    // while not Established. `prefixes` counts what the walk under way or last done looked at.
    const char* table_state = !n->established()   ? nullptr
                              : n->table_deferred ? "deferred"
                              : n->table_sending  ? "sending"
                                                  : "sent";
    j["table"] = table_state != nullptr
                     ? nlohmann::json{{"state", table_state}, {"prefixes", n->table_walked}}
                     : nlohmann::json(nullptr);
    // Route refresh as negotiated (RFC 2918, RFC 7313), null while not Established.
    j["route_refresh"] = n->negotiated
                             ? nlohmann::json{{"plain", n->negotiated->route_refresh},
                                              {"enhanced", n->negotiated->enhanced_route_refresh}}
                             : nlohmann::json(nullptr);
    list.push_back(std::move(j));
  }
  return nlohmann::json{{"neighbors", list}};
}

base::Result<nlohmann::json> Speaker::show_routes(const nlohmann::json& args) const {
  std::optional<base::Prefix> prefix;
  if (args.contains("prefix") && args["prefix"].is_string()) {
    auto p = base::Prefix::parse(args["prefix"].get<std::string>());
    if (!p) {
      return base::fail("prefix: " + p.error().message);
    }
    prefix = *p;
  }
  std::string peer;
  if (args.contains("peer") && args["peer"].is_string()) {
    peer = args["peer"].get<std::string>();
    if (find_neighbor(peer) == nullptr) {
      return base::fail("no neighbor " + peer);
    }
  }
  std::string table = "loc-rib";
  if (args.contains("table") && args["table"].is_string()) {
    table = args["table"].get<std::string>();
  }
  const auto peer_name = [&](const rib::Route& r) {
    return r.local() ? std::string("local") : r.peer_key().address.to_string();
  };
  // RFC 4724 §4.2: stale marking lives in the Adj-RIB-In (the Loc-RIB copy is not touched
  // when a peer restarts), so the Loc-RIB view asks there.
  const auto stale = [&](const rib::Route& r) {
    if (r.local()) {
      return false;
    }
    for (const auto& [name, n] : neighbors_) {
      if (n->info->key == r.peer_key()) {
        const rib::Route* held = n->adj_in.find(r.prefix);
        return held != nullptr && held->stale;
      }
    }
    return false;
  };
  // Pages (args "limit" and "after"): a full table's JSON built in one handler would hold the
  // I/O thread, and with it every session's keepalives, for seconds (bench/README.md). With a
  // limit the answer stops after the prefix that reaches it and says where to go on ("next",
  // an opaque cursor: the prefix, or the neighbor and prefix for the Adj-RIB views).
  std::size_t limit = 0;
  if (args.contains("limit")) {
    if (!args["limit"].is_number_unsigned() || args["limit"].get<std::size_t>() == 0) {
      return base::fail("'limit' must be a positive number");
    }
    limit = args["limit"].get<std::size_t>();
  }
  std::string after_text =
      args.contains("after") && args["after"].is_string() ? args["after"].get<std::string>() : "";
  std::string after_neighbor;
  if (const auto space = after_text.find(' '); space != std::string::npos) {
    after_neighbor = after_text.substr(0, space);
    after_text = after_text.substr(space + 1);
  }
  std::optional<base::Prefix> after;
  if (!after_text.empty()) {
    auto p = base::Prefix::parse(after_text);
    if (!p) {
      return base::fail("after: " + p.error().message);
    }
    after = *p;
  }
  nlohmann::json routes = nlohmann::json::array();
  std::string next;
  const auto full = [&] { return limit != 0 && routes.size() >= limit; };
  if (table == "loc-rib") {
    const auto add = [&](const rib::Route& best) {
      for (const auto& candidate : loc_rib_.candidates(best.prefix)) {
        if (!peer.empty() && peer_name(candidate) != peer) {
          continue;
        }
        auto r =
            route_json(candidate, peer_name(candidate), candidate.peer_key() == best.peer_key());
        r["stale"] = stale(candidate);
        if (auto detail = aspa_detail(candidate); !detail.is_null()) {
          r["aspa"] = std::move(detail);
        }
        routes.push_back(std::move(r));
      }
    };
    if (prefix) {
      if (const auto* best = loc_rib_.best(*prefix)) {
        add(*best);
      }
    } else {
      loc_rib_.for_each_best_after(after, [&](const rib::Route& best) {
        add(best);
        if (full()) {
          next = best.prefix.to_string();
          return false;
        }
        return true;
      });
    }
  } else if (table == "adj-rib-in" || table == "adj-rib-out") {
    for (const auto& [name, n] : neighbors_) {
      if ((!peer.empty() && name != peer) || (!after_neighbor.empty() && name < after_neighbor)) {
        continue;
      }
      // (a structured binding cannot be captured by a lambda in C++20 on clang 14)
      const std::string& neighbor_name = name;
      const Neighbor& neighbor = *n;
      const std::optional<base::Prefix> from =
          !after_neighbor.empty() && name == after_neighbor ? after : std::nullopt;
      const auto stop_here = [&](const base::Prefix& p) {
        if (full()) {
          next = neighbor_name + " " + p.to_string();
          return true;
        }
        return false;
      };
      if (table == "adj-rib-in") {
        neighbor.adj_in.for_each_after(from, [&](const rib::Route& r) {
          if (!prefix || r.prefix == *prefix) {
            const auto* best = loc_rib_.best(r.prefix);
            // The Adj-RIB-In keeps what arrived; the origin and ASPA states are found on
            // import, so they are found here the same way (a few lookups: RFC 6811 and
            // docs/aspa.md §5).
            rib::Route shown = r;
            set_ingress_states(neighbor, shown);
            auto route = route_json(shown, neighbor_name,
                                    best != nullptr && best->peer_key() == r.peer_key());
            if (auto detail = aspa_detail(shown); !detail.is_null()) {
              route["aspa"] = std::move(detail);
            }
            routes.push_back(std::move(route));
          }
          return !stop_here(r.prefix);
        });
      } else {
        neighbor.adj_out.for_each_after(from, [&](const rib::OutUpdate& out) {
          if (!prefix || out.prefix == *prefix) {
            // What went out: our Secure_Path segment and SKI added for a BGPsec peer.
            rib::Route r = as_sent(neighbor, out);
            if (const auto* best = loc_rib_.best(out.prefix)) {
              r.path_state = best->path_state;
              r.origin_state = best->origin_state;
              r.aspa_state = best->aspa_state;
              r.local_pref = best->local_pref;
            }
            routes.push_back(route_json(r, neighbor_name, true));
          }
          return !stop_here(out.prefix);
        });
      }
      if (!next.empty()) {
        break;
      }
    }
  } else {
    return base::fail("unknown table '" + table + "' (loc-rib, adj-rib-in, adj-rib-out)");
  }
  nlohmann::json out{{"table", table}, {"routes", std::move(routes)}};
  if (!next.empty()) {
    out["next"] = next;
  }
  return out;
}

nlohmann::json Speaker::show_rpki() const {
  nlohmann::json out = rpki_feed_.json();
  out.update({{"changes", rpki_changes_},
              {"routes_revalidated", routes_revalidated_},
              {"last_change_routes_revalidated", last_change_routes_},
              {"validation", validation_json()},
              {"signing_keys", signing_keys_json()}});
  return out;
}

nlohmann::json Speaker::validation_json() const {
  const auto v = verifier_->stats();
  const auto stored = rib::StoredBgpsecPath::usage();
  return {{"threads", validation_pool_->threads()},
          {"engine", verifier_->engine()},
          {"pending", validation_pool_->in_flight()},
          {"queued", validation_pool_->queued()},
          {"completed", validation_pool_->completed()},
          // RFC 8374 §8.7 ([bgpsec] defer_when_queued): routes installed without a check and
          // not handed to the workers yet, and all routes ever deferred.
          {"deferred", unchecked_count(&Neighbor::deferred)},
          {"deferred_total", validations_deferred_},
          // RFC 8374 §9.4 (validation_order = "best-first"): routes left unchecked while the
          // prefix's best route beats them whatever their signatures say.
          {"postponed", unchecked_count(&Neighbor::postponed)},
          {"signatures_checked", validation_pool_->signatures_checked()},
          {"signatures_verified", v.signatures_verified},
          {"signature_cache",
           {{"capacity", config_.bgpsec.signature_cache_entries},
            {"entries", v.signature_cache_entries},
            {"bytes", v.signature_cache_bytes},
            {"hits", v.signature_cache_hits},
            {"misses", v.signature_cache_misses}}},
          {"key_tables",
           {{"limit", config_.bgpsec.key_tables},
            {"tables", v.key_tables},
            {"bytes", v.key_table_bytes},
            {"builds", v.key_table_builds},
            {"evictions", v.key_table_evictions},
            {"verified_without_table", v.key_table_fallbacks},
            {"refused", v.key_table_refused},
            {"small",
             {{"limit", config_.bgpsec.small_key_tables},
              {"tables", v.small_key_tables},
              {"bytes", v.small_key_table_bytes},
              {"builds", v.small_key_table_builds},
              {"evictions", v.small_key_table_evictions}}}}},
          // The signed paths the RIBs hold; bytes / hops is the cost of a
          // stored signature hop, nodes < hops the saving of shared signatures.
          {"stored_paths",
           {{"paths", stored.paths},
            {"hops", stored.hops},
            {"signature_nodes", stored.signature_nodes},
            {"bytes", stored.bytes}}}};
}

base::Result<nlohmann::json> Speaker::clear_neighbor(const nlohmann::json& args) {
  if (!args.contains("peer") || !args["peer"].is_string()) {
    return base::fail("clear neighbor needs a peer");
  }
  const auto name = args["peer"].get<std::string>();
  auto* n = find_neighbor(name);
  if (n == nullptr) {
    return base::fail("no neighbor " + name);
  }
  const bool soft = args.value("soft", false);
  if (soft) {
    // Inbound: the Adj-RIB-In is kept whole, so import policy and validation states are
    // applied to it again here; the peer is also asked for its routes (RFC 2918) when it
    // negotiated route refresh. Outbound: the whole Adj-RIB-Out goes out again, as for the
    // peer's own ROUTE-REFRESH (signed afresh for a BGPsec peer; Speaker::send).
    reimport(*n);
    std::size_t resent = 0;
    bool asked = false;
    if (n->established()) {
      for (const auto& family : n->negotiated->families) {
        if (n->negotiated->route_refresh) {
          asked = n->peer
                      ->send_route_refresh(wire::RouteRefreshMessage{
                          .afi = family.afi, .subtype = 0, .safi = family.safi})
                      .has_value() ||
                  asked;
        }
      }
      resent = resend_adj_rib_out(*n, std::nullopt);
    }
    spdlog::info("peer {}: soft reset by operator: {} routes sent again{}", name, resent,
                 asked ? ", ROUTE-REFRESH sent" : "");
    std::string message = "soft reset: " + std::to_string(resent) + " routes sent again";
    if (!n->established()) {
      message = "soft reset: session not established, import policy applied again";
    } else if (asked) {
      message += ", routes requested with ROUTE-REFRESH";
    } else {
      message +=
          "; the peer does not support route refresh: import policy applied again to "
          "the routes it sent";
    }
    return nlohmann::json{
        {"peer", name},
        {"soft", true},
        {"routes_sent", resent},
        {"route_refresh_sent", asked},
        {"enhanced_route_refresh", n->established() && n->negotiated->enhanced_route_refresh},
        {"message", message}};
  }
  n->peer->stop(session::subcode::kCeaseAdminReset);
  n->peer->start();
  spdlog::info("peer {}: cleared by operator", name);
  return nlohmann::json{{"peer", name}, {"soft", false}, {"message", "session reset"}};
}

void Speaker::register_control() {
  control_->register_command(std::string(kCmdShowNeighbors),
                             [this](const nlohmann::json& a) { return show_neighbors(a); });
  control_->register_command(std::string(kCmdShowRoutes),
                             [this](const nlohmann::json& a) { return show_routes(a); });
  control_->register_command(
      std::string(kCmdShowRpki),
      [this](const nlohmann::json&) -> base::Result<nlohmann::json> { return show_rpki(); });
  control_->register_command(
      std::string(kCmdShowValidation),
      [this](const nlohmann::json&) -> base::Result<nlohmann::json> { return show_validation(); });
  control_->register_command(
      std::string(kCmdShowBmp),
      [this](const nlohmann::json&) -> base::Result<nlohmann::json> { return show_bmp(); });
  control_->register_command(std::string(kCmdReload),
                             [this](const nlohmann::json&) { return reload(); });
  control_->register_command(std::string(kCmdClearNeighbor),
                             [this](const nlohmann::json& a) { return clear_neighbor(a); });
  control_->register_command(std::string(kCmdDumpMrt),
                             [this](const nlohmann::json& a) { return dump_mrt(a); });
}

void Speaker::register_metrics() {
  // The usual Prometheus build-info gauge: constant 1, the identity in its labels.
  if (!options_.build_version.empty()) {
    metrics_
        ->gauge("bgpsecd_build_info", "version and git revision bgpsecd was built from",
                {{"version", options_.build_version}, {"revision", options_.build_revision}})
        .set(1);
  }
  const auto per_peer = [this](auto value) {
    return [this, value]() {
      std::vector<MetricSample> samples;
      for (const auto& [name, n] : neighbors_) {
        samples.push_back(MetricSample{{{"peer", name}}, static_cast<double>(value(*n))});
      }
      return samples;
    };
  };
  metrics_->family_callback("bgpsecd_peer_established", "1 when the BGP session is Established",
                            MetricType::Gauge,
                            per_peer([](const Neighbor& n) { return n.established() ? 1 : 0; }));
  metrics_->family_callback(
      "bgpsecd_updates_received_total", "UPDATE messages received", MetricType::Counter,
      per_peer([](const Neighbor& n) { return n.peer->counters().updates_in; }));
  metrics_->family_callback(
      "bgpsecd_updates_sent_total", "UPDATE messages sent", MetricType::Counter,
      per_peer([](const Neighbor& n) { return n.peer->counters().updates_out; }));
  metrics_->family_callback("bgpsecd_update_errors_total",
                            "RFC 7606 and RFC 8205 errors in received UPDATEs", MetricType::Counter,
                            per_peer([](const Neighbor& n) { return n.stats.update_errors; }));
  metrics_->family_callback(
      "bgpsecd_bgpsec_syntax_errors_total",
      "received BGPsec_PATHs failing RFC 8205 §5.2 (treat-as-withdraw, or stripped)",
      MetricType::Counter,
      per_peer([](const Neighbor& n) { return n.stats.bgpsec_syntax_errors; }));
  metrics_->family_callback(
      "bgpsecd_bgpsec_signatures_not_verified_total",
      "signatures of received routes never verified because origin validation and import "
      "policy reject the route whatever they say (RFC 8374 §8.1)",
      MetricType::Counter,
      per_peer([](const Neighbor& n) { return n.stats.signatures_not_verified; }));
  metrics_->family_callback(
      "bgpsecd_bgpsec_validations_deferred_total",
      "signed routes installed \"validation deferred\" because the validation queue was full "
      "(RFC 8374 §8.7, defer_when_queued)",
      MetricType::Counter,
      per_peer([](const Neighbor& n) { return n.stats.validations_deferred; }));
  metrics_->family_callback(
      "bgpsecd_bgpsec_validations_postponed_total",
      "signed routes left unchecked because the prefix's best route beat them whatever their "
      "signatures said (RFC 8374 §9.4, validation_order = \"best-first\")",
      MetricType::Counter,
      per_peer([](const Neighbor& n) { return n.stats.validations_postponed; }));
  metrics_->family_callback(
      "bgpsecd_bgpsec_postponed_checked_total",
      "postponed routes checked later, when the best route changed so that they could win",
      MetricType::Counter, per_peer([](const Neighbor& n) { return n.stats.postponed_checked; }));
  // RFC 9234 §5: routes the OTC rules found leaking, per peer and direction.
  metrics_->family_callback(
      "bgpsecd_route_leaks_total",
      "route leaks by the RFC 9234 OTC rules: received and kept out of route selection "
      "(ingress), or held back from the peer (egress); each route once",
      MetricType::Counter, [this]() {
        std::vector<MetricSample> samples;
        for (const auto& [name, n] : neighbors_) {
          for (const auto& [direction, count] : {std::pair{"ingress", n->stats.route_leaks_in},
                                                 std::pair{"egress", n->stats.route_leaks_out}}) {
            samples.push_back(MetricSample{{{"peer", name}, {"direction", direction}},
                                           static_cast<double>(count)});
          }
        }
        return samples;
      });
  metrics_->family_callback(
      "bgpsecd_log_lines_suppressed_total", "warnings about the peer left out by the rate limit",
      MetricType::Counter, per_peer([](const Neighbor& n) { return n.stats.logs_suppressed; }));
  // RFC 7313 §4 BoRR / EoRR markers per peer, direction and marker.
  metrics_->family_callback(
      "bgpsecd_route_refresh_markers_total",
      "Enhanced Route Refresh BoRR and EoRR messages sent and received (RFC 7313)",
      MetricType::Counter, [this]() {
        std::vector<MetricSample> samples;
        for (const auto& [name, n] : neighbors_) {
          const NeighborStats& st = n->stats;
          for (const auto& [direction, marker, count] :
               {std::tuple{"sent", "borr", st.borr_sent}, std::tuple{"sent", "eorr", st.eorr_sent},
                std::tuple{"received", "borr", st.borr_received},
                std::tuple{"received", "eorr", st.eorr_received}}) {
            samples.push_back(
                MetricSample{{{"peer", name}, {"direction", direction}, {"marker", marker}},
                             static_cast<double>(count)});
          }
        }
        return samples;
      });
  metrics_->family_callback("bgpsecd_bgpsec_signed_updates_total",
                            "BGPsec UPDATEs signed for the peer (RFC 8205 §4)", MetricType::Counter,
                            per_peer([](const Neighbor& n) { return n.stats.signed_updates; }));
  metrics_->family_callback("bgpsecd_bgpsec_sign_failures_total",
                            "routes sent unsigned because signing failed", MetricType::Counter,
                            per_peer([](const Neighbor& n) { return n.stats.sign_failures; }));
  metrics_->family_callback("bgpsecd_prefixes_received", "routes in the Adj-RIB-In",
                            MetricType::Gauge,
                            per_peer([](const Neighbor& n) { return n.adj_in.size(); }));
  metrics_->family_callback("bgpsecd_prefixes_advertised", "routes in the Adj-RIB-Out",
                            MetricType::Gauge,
                            per_peer([](const Neighbor& n) { return n.adj_out.size(); }));
  metrics_->gauge_callback("bgpsecd_loc_rib_prefixes", "prefixes in the Loc-RIB", {},
                           [this] { return static_cast<double>(loc_rib_.prefix_count()); });
  metrics_->gauge_callback("bgpsecd_rpki_vrps", "VRPs in use", {},
                           [this] { return static_cast<double>(rpki_.snapshot()->vrps.size()); });
  metrics_->gauge_callback("bgpsecd_rpki_router_keys", "BGPsec router keys in use", {}, [this] {
    return static_cast<double>(rpki_.snapshot()->router_keys.size());
  });
  metrics_->gauge_callback("bgpsecd_rpki_changes_total", "RPKI changes applied", {},
                           [this] { return static_cast<double>(rpki_changes_); });
  metrics_->gauge_callback("bgpsecd_rpki_routes_revalidated_total",
                           "routes looked at again because of RPKI changes (RFC 8374 §9.2)", {},
                           [this] { return static_cast<double>(routes_revalidated_); });
  metrics_->gauge_callback("bgpsecd_rpki_last_change_routes_revalidated",
                           "routes the latest RPKI change looked at again", {},
                           [this] { return static_cast<double>(last_change_routes_); });
  // bgpsecd_rtr_cache_in_sync and bgpsecd_rtr_data_dropped_total{cache,reason}.
  register_rtr_metrics(*metrics_, [this] { return rpki_feed_.cache_status(); });
  register_validation_metrics();
  register_validation_server_metrics();
  register_bmp_metrics();
  register_aspa_metrics();
  register_key_metrics();
  metrics_->gauge_callback(
      "bgpsecd_rpki_file_reload_errors_total",
      "timed re-reads of the RPKI files or SLURM file that failed", {}, [this] {
        const auto* files = rpki_feed_.files();
        return files != nullptr ? static_cast<double>(files->reload_errors()) : 0.0;
      });
}

void Speaker::register_validation_metrics() {
  const auto gauge = [this](std::string_view name, std::string_view help, auto value) {
    metrics_->gauge_callback(name, help, {}, [value] { return static_cast<double>(value()); });
  };
  const auto counter = [this](std::string_view name, std::string_view help, auto value) {
    metrics_->family_callback(name, help, MetricType::Counter, [value] {
      return std::vector<MetricSample>{MetricSample{{}, static_cast<double>(value())}};
    });
  };
  const auto* pool = validation_pool_.get();
  const auto* verifier = verifier_.get();
  gauge("bgpsecd_bgpsec_validations_pending",
        "routes handed to the validation workers and not answered yet (path state pending)",
        [pool] { return pool->in_flight(); });
  gauge("bgpsecd_bgpsec_validations_queued",
        "of the pending routes, those no validation worker has picked up yet",
        [pool] { return pool->queued(); });
  gauge("bgpsecd_bgpsec_validations_deferred",
        "routes installed validation deferred and not yet handed to the workers",
        [this] { return unchecked_count(&Neighbor::deferred); });
  counter("bgpsecd_bgpsec_validations_total", "signature checks of a route completed",
          [pool] { return pool->completed(); });
  counter("bgpsecd_bgpsec_signatures_checked_total",
          "signatures checked (from the signature cache or verified)",
          [pool] { return pool->signatures_checked(); });
  counter("bgpsecd_bgpsec_signatures_verified_total", "ECDSA verifications run",
          [verifier] { return verifier->stats().signatures_verified; });
  counter("bgpsecd_signature_cache_hits_total", "signatures answered by the signature cache",
          [verifier] { return verifier->stats().signature_cache_hits; });
  counter("bgpsecd_signature_cache_misses_total", "signatures not in the signature cache",
          [verifier] { return verifier->stats().signature_cache_misses; });
  gauge("bgpsecd_signature_cache_entries", "results held in the signature cache",
        [verifier] { return verifier->stats().signature_cache_entries; });
  gauge("bgpsecd_signature_cache_bytes", "memory of the signature cache",
        [verifier] { return verifier->stats().signature_cache_bytes; });
  gauge("bgpsecd_key_tables", "router keys with a precomputed verification table",
        [verifier] { return verifier->stats().key_tables; });
  gauge("bgpsecd_key_table_bytes", "memory of the precomputed key tables",
        [verifier] { return verifier->stats().key_table_bytes; });
  counter("bgpsecd_key_table_builds_total", "precomputed key tables built",
          [verifier] { return verifier->stats().key_table_builds; });
  gauge("bgpsecd_small_key_tables",
        "router keys refused a precomputed table that have a small one instead",
        [verifier] { return verifier->stats().small_key_tables; });
  gauge("bgpsecd_small_key_table_bytes", "memory of the small key tables",
        [verifier] { return verifier->stats().small_key_table_bytes; });
  counter("bgpsecd_small_key_table_builds_total", "small key tables built",
          [verifier] { return verifier->stats().small_key_table_builds; });
  gauge("bgpsecd_bgpsec_stored_paths", "distinct BGPsec_PATHs held by the RIBs",
        [] { return rib::StoredBgpsecPath::usage().paths; });
  gauge("bgpsecd_bgpsec_stored_path_hops", "Secure_Path segments of the stored BGPsec_PATHs",
        [] { return rib::StoredBgpsecPath::usage().hops; });
  gauge("bgpsecd_bgpsec_stored_signature_nodes",
        "hops whose signatures are stored (fewer than the hops: shared across peers)",
        [] { return rib::StoredBgpsecPath::usage().signature_nodes; });
  gauge("bgpsecd_bgpsec_stored_path_bytes", "memory of the stored BGPsec_PATHs",
        [] { return rib::StoredBgpsecPath::usage().bytes; });
  counter("bgpsecd_signatures_verified_without_table_total",
          "signatures verified with OpenSSL because their key had no table, large or small",
          [verifier] { return verifier->stats().key_table_fallbacks; });
}

}  // namespace bgpsecd::daemon
