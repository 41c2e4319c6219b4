// SPDX-License-Identifier: BSD-2-Clause
// BMP (RFC 7854, Loc-RIB per RFC 9069) to the [[bmp]] stations: what the speaker tells them
// and when. The connections are BmpStation (bmp_station.hpp); the bytes come from src/bmp.
// The speaker calls in at five places: a session up or down, an UPDATE received (pre-policy),
// a route imported or not (post-policy), a best route changed (Loc-RIB). docs/bmp.md.
#include <chrono>
#include <utility>

#include <spdlog/spdlog.h>

#include "bmp/message.hpp"
#include "daemon/bmp_station.hpp"
#include "daemon/speaker_neighbor.hpp"

namespace bgpsecd::daemon {

namespace {

// RFC 9069 §5.1: the name of the table our Loc-RIB view describes.
constexpr std::string_view kTableName = "global";

struct Now {
  std::uint32_t seconds = 0;
  std::uint32_t micros = 0;
};

Now now() {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return Now{static_cast<std::uint32_t>(us / 1000000), static_cast<std::uint32_t>(us % 1000000)};
}

// Every UPDATE inside BMP is written with 4-octet ASNs (the A flag stays 0) and may be as long
// as RFC 8654 allows.
wire::EncodeContext bmp_context() {
  wire::EncodeContext ctx;
  ctx.four_octet_as = true;
  ctx.extended_messages = true;
  return ctx;
}

// The UPDATE that announces `route` alone, as transmit() builds one.
wire::UpdateMessage announcement(const rib::Route& route) {
  wire::UpdateMessage m;
  m.attrs = *route.attrs;
  if (route.bgpsec) {
    m.attrs.bgpsec_path = route.bgpsec.decode();
  }
  if (m.attrs.mp_reach) {
    m.attrs.mp_reach->nlri = {route.prefix};
  } else {
    m.nlri = {route.prefix};
  }
  return m;
}

wire::UpdateMessage withdrawal(const base::Prefix& prefix) {
  wire::UpdateMessage m;
  if (prefix.afi() == base::Afi::Ipv4) {
    m.withdrawn = {prefix};
  } else {
    m.attrs.mp_unreach =
        wire::MpUnreach{.afi = base::Afi::Ipv6, .safi = base::kSafiUnicast, .withdrawn = {prefix}};
  }
  return m;
}

}  // namespace

bmp::PeerHeader Speaker::bmp_peer_header(const Neighbor& n, bool post_policy) const {
  const auto t = now();
  bmp::PeerHeader p;
  p.post_policy = post_policy;
  p.address = n.info->key.address;
  p.asn = n.info->asn.value();
  p.bgp_id = n.info->router_id;
  p.seconds = t.seconds;
  p.micros = t.micros;
  return p;
}

bmp::PeerHeader Speaker::bmp_loc_rib_header() const {
  const auto t = now();
  return bmp::loc_rib_peer_header(config_.global.asn.value(), config_.global.router_id, t.seconds,
                                  t.micros, false);
}

void Speaker::configure_bmp(nlohmann::json* changes) {
  // Stations no longer configured, or configured differently, go (with a Termination).
  for (auto it = bmp_stations_.begin(); it != bmp_stations_.end();) {
    const auto& cfg = it->second->config();
    if (std::find(config_.bmp.begin(), config_.bmp.end(), cfg) == config_.bmp.end()) {
      it->second->stop(bmp::encode_termination(bmp::TerminationReason::AdminClosed,
                                               "station removed from the configuration"));
      if (changes != nullptr) {
        changes->push_back("bmp station " + it->first + " removed");
      }
      it = bmp_stations_.erase(it);
    } else {
      ++it;
    }
  }
  for (const BmpStationConfig& cfg : config_.bmp) {
    const std::string name = cfg.address.to_string();
    if (bmp_stations_.contains(name)) {
      continue;
    }
    auto station = std::make_shared<BmpStation>(
        io_, cfg, [this](BmpStation& s) { bmp_station_up(s); },
        [this](BmpStation& s) { bmp_send_stats(s); });
    bmp_stations_.emplace(name, station);
    station->start();
    if (changes != nullptr) {
      changes->push_back("bmp station " + name + " added");
    }
  }
}

void Speaker::stop_bmp() {
  for (auto& [name, station] : bmp_stations_) {
    station->stop(bmp::encode_termination(bmp::TerminationReason::AdminClosed, "bgpsecd stopping"));
  }
}

void Speaker::bmp_send(const std::function<void(BmpStation&)>& fn) {
  for (auto& [name, station] : bmp_stations_) {
    if (station->up()) {
      fn(*station);
    }
  }
}

void Speaker::bmp_route(BmpStation& s, const bmp::PeerHeader& peer,
                        const wire::UpdateMessage& update, bool resync) {
  auto bytes = wire::encode_update(update, bmp_context());
  if (!bytes) {
    spdlog::debug("bmp station {}: cannot encode an UPDATE: {}", s.name(), bytes.error().message);
    return;
  }
  s.send(bmp::encode_route_monitoring(peer, *bytes), resync);
}

void Speaker::bmp_peer_up_to(BmpStation& s, const Neighbor& n, bool resync) {
  const auto& neg = *n.negotiated;
  base::IpAddress local;
  std::uint16_t local_port = 0;
  std::uint16_t remote_port = 0;
  if (const auto ends = n.peer->endpoints()) {
    const auto& address = ends->first.address();
    if (address.is_v4()) {
      local = base::IpAddress::v4(address.to_v4().to_uint());
    } else {
      const auto b = address.to_v6().to_bytes();
      local = base::IpAddress(base::Afi::Ipv6, b);
    }
    local_port = ends->first.port();
    remote_port = ends->second.port();
  }
  // The per-peer header's flags follow the peer's address; the pre-policy header is used.
  s.send(bmp::encode_peer_up(bmp_peer_header(n, false), local, local_port, remote_port,
                             neg.sent_open, neg.received_open),
         resync);
}

void Speaker::bmp_dump_neighbor(BmpStation& s, const Neighbor& n) {
  const BmpViews& views = s.config().views;
  bmp_peer_up_to(s, n, true);
  const auto end_of_ribs = [&](bool post) {
    for (const auto& family : n.negotiated->families) {
      if (const auto afi = afi_of(static_cast<std::uint16_t>(family.afi))) {
        bmp_route(s, bmp_peer_header(n, post), wire::make_end_of_rib(*afi, family.safi), true);
      }
    }
  };
  if (views.pre_policy) {
    n.adj_in.for_each([&](const rib::Route& route) {
      bmp_route(s, bmp_peer_header(n, false), announcement(route), true);
    });
    end_of_ribs(false);
  }
  if (views.post_policy) {
    n.adj_in.for_each([&](const rib::Route& route) {
      for (const auto& candidate : loc_rib_.candidates(route.prefix)) {
        if (candidate.peer_key() == n.info->key) {
          bmp_route(s, bmp_peer_header(n, true), announcement(candidate), true);
        }
      }
    });
    end_of_ribs(true);
  }
}

void Speaker::bmp_station_up(BmpStation& s) {
  // RFC 7854 §4.3: Initiation first, with sysDescr and sysName.
  const std::string descr =
      "bgpsecd " + (options_.build_version.empty() ? std::string("(dev)") : options_.build_version);
  s.send(bmp::encode_initiation(descr, base::IpAddress::v4(config_.global.router_id).to_string()),
         true);
  for (const auto& [name, n] : neighbors_) {
    if (n->established()) {
      bmp_dump_neighbor(s, *n);
    }
  }
  if (s.config().views.loc_rib) {
    // RFC 9069 §5.1: the Loc-RIB's Peer Up has no addresses or ports, our own OPEN twice, and
    // the table's name.
    session::SessionConfig self;
    self.local_as = config_.global.asn;
    self.router_id = config_.global.router_id;
    self.families = {session::kIpv4Unicast, session::kIpv6Unicast};
    base::Bytes open;
    if (auto built = session::build_open(self)) {
      open = wire::encode_open(*built, wire::EncodeContext{}).value_or(base::Bytes{});
    }
    s.send(bmp::encode_peer_up(bmp_loc_rib_header(), base::IpAddress{}, 0, 0, open, open,
                               {bmp::string_tlv(bmp::kInfoTableName, kTableName)}),
           true);
    loc_rib_.for_each_best([&](const rib::Route& best) {
      bmp_route(s, bmp_loc_rib_header(), announcement(best), true);
    });
    for (const auto afi : {base::Afi::Ipv4, base::Afi::Ipv6}) {
      bmp_route(s, bmp_loc_rib_header(), wire::make_end_of_rib(afi), true);
    }
  }
  spdlog::info("bmp station {}: initiation and tables sent ({} octets queued)", s.name(),
               s.queued_bytes());
}

void Speaker::bmp_peer_up(const Neighbor& n) {
  bmp_send([&](BmpStation& s) { bmp_peer_up_to(s, n, false); });
}

void Speaker::bmp_peer_down(const Neighbor& n, const session::SessionDown& down) {
  if (bmp_stations_.empty()) {
    return;
  }
  // RFC 7854 §4.9: who closed, and the NOTIFICATION if there was one.
  bmp::PeerDownReason reason = bmp::PeerDownReason::RemoteNoNotification;
  base::Bytes data;
  const wire::EncodeContext ctx = bmp_context();
  if (down.sent) {
    reason = bmp::PeerDownReason::LocalNotification;
    data = wire::encode_notification(*down.sent, ctx);
  } else if (down.received) {
    reason = bmp::PeerDownReason::RemoteNotification;
    data = wire::encode_notification(*down.received, ctx);
  } else if (down.reason == session::DownReason::ManualStop) {
    // RFC 4271 §8.1.2 Event 2, ManualStop, as the 2-octet FSM event.
    reason = bmp::PeerDownReason::LocalNoNotification;
    data = bmp::fsm_event_data(2);
  }
  bmp_send([&](BmpStation& s) {
    s.send(bmp::encode_peer_down(bmp_peer_header(n, false), reason, data));
  });
}

void Speaker::bmp_received(const Neighbor& n, const wire::UpdateMessage& update) {
  if (!n.established()) {
    return;
  }
  bmp_send([&](BmpStation& s) {
    if (s.config().views.pre_policy) {
      bmp_route(s, bmp_peer_header(n, false), update, false);
    }
  });
}

void Speaker::bmp_imported(const Neighbor& n, const base::Prefix& prefix,
                           const rib::Route* accepted) {
  bmp_send([&](BmpStation& s) {
    if (s.config().views.post_policy) {
      bmp_route(s, bmp_peer_header(n, true),
                accepted != nullptr ? announcement(*accepted) : withdrawal(prefix), false);
    }
  });
}

void Speaker::bmp_best(const rib::BestChange& change) {
  bmp_send([&](BmpStation& s) {
    if (s.config().views.loc_rib) {
      bmp_route(s, bmp_loc_rib_header(),
                change.current ? announcement(*change.current) : withdrawal(change.prefix), false);
    }
  });
}

void Speaker::bmp_send_stats(BmpStation& s) {
  for (const auto& [name, n] : neighbors_) {
    if (!n->established()) {
      continue;
    }
    std::uint64_t v4 = 0;
    std::uint64_t v6 = 0;
    std::uint64_t valid = 0;
    std::uint64_t not_valid = 0;
    std::uint64_t not_found = 0;
    std::uint64_t origin_invalid = 0;
    n->adj_in.for_each([&](const rib::Route& r) {
      ++(r.prefix.afi() == base::Afi::Ipv4 ? v4 : v6);
      valid += r.path_state == rib::PathState::Valid ? 1 : 0;
      not_valid += r.path_state == rib::PathState::NotValid ? 1 : 0;
      not_found +=
          r.path_state == rib::PathState::Unsigned || r.path_state == rib::PathState::Pending ? 1
                                                                                              : 0;
      origin_invalid += r.origin_state == rib::OriginState::Invalid ? 1 : 0;
    });
    const auto u32 = [](std::uint64_t v) {
      return static_cast<std::uint32_t>(std::min<std::uint64_t>(v, 0xFFFFFFFFU));
    };
    const NeighborStats& st = n->stats;
    s.send(bmp::encode_statistics(
        bmp_peer_header(*n, false),
        {bmp::counter32(bmp::kStatRejectedPrefixes, u32(st.rejected_by_policy)),
         bmp::counter32(bmp::kStatAsPathLoop, u32(st.loops)),
         bmp::gauge64(bmp::kStatAdjRibInRoutes, n->adj_in.size()),
         bmp::per_afi_gauge64(bmp::kStatPerAfiAdjRibInRoutes, base::Afi::Ipv4, base::kSafiUnicast,
                              v4),
         bmp::per_afi_gauge64(bmp::kStatPerAfiAdjRibInRoutes, base::Afi::Ipv6, base::kSafiUnicast,
                              v6),
         bmp::counter32(bmp::kStatTreatAsWithdrawUpdates, u32(st.treat_as_withdraw)),
         bmp::gauge64(bmp::kStatBgpsecValid, valid),
         bmp::gauge64(bmp::kStatBgpsecInvalid, not_valid),
         bmp::gauge64(bmp::kStatBgpsecNotFound, not_found),
         bmp::gauge64(bmp::kStatRovInvalid, origin_invalid)}));
  }
  if (s.config().views.loc_rib) {
    std::uint64_t v4 = 0;
    std::uint64_t v6 = 0;
    loc_rib_.for_each_best(
        [&](const rib::Route& r) { ++(r.prefix.afi() == base::Afi::Ipv4 ? v4 : v6); });
    s.send(bmp::encode_statistics(
        bmp_loc_rib_header(), {bmp::gauge64(bmp::kStatLocRibRoutes, v4 + v6),
                               bmp::per_afi_gauge64(bmp::kStatPerAfiLocRibRoutes, base::Afi::Ipv4,
                                                    base::kSafiUnicast, v4),
                               bmp::per_afi_gauge64(bmp::kStatPerAfiLocRibRoutes, base::Afi::Ipv6,
                                                    base::kSafiUnicast, v6)}));
  }
}

nlohmann::json Speaker::show_bmp() const {
  nlohmann::json stations = nlohmann::json::array();
  for (const auto& [name, s] : bmp_stations_) {
    const auto& c = s->counters();
    const BmpViews& v = s->config().views;
    nlohmann::json views = nlohmann::json::array();
    if (v.pre_policy) {
      views.push_back("pre-policy");
    }
    if (v.post_policy) {
      views.push_back("post-policy");
    }
    if (v.loc_rib) {
      views.push_back("loc-rib");
    }
    stations.push_back({{"station", name},
                        {"state", bmp_state_name(s->state())},
                        {"views", views},
                        {"messages_sent", c.messages},
                        {"bytes_sent", c.bytes},
                        {"connects", c.connects},
                        {"reconnects", c.connects > 0 ? c.connects - 1 : 0},
                        {"failures", c.failures},
                        {"drops", c.drops},
                        {"queued_bytes", s->queued_bytes()},
                        {"last_error", s->last_error()}});
  }
  return nlohmann::json{{"stations", stations}};
}

void Speaker::register_bmp_metrics() {
  const auto per_station = [this](auto value) {
    return [this, value]() {
      std::vector<MetricSample> samples;
      for (const auto& [name, s] : bmp_stations_) {
        samples.push_back(MetricSample{{{"station", name}}, static_cast<double>(value(*s))});
      }
      return samples;
    };
  };
  metrics_->family_callback("bgpsecd_bmp_up", "1 while the BMP station is connected",
                            MetricType::Gauge,
                            per_station([](const BmpStation& s) { return s.up() ? 1 : 0; }));
  metrics_->family_callback("bgpsecd_bmp_messages_total", "BMP messages written to the station",
                            MetricType::Counter,
                            per_station([](const BmpStation& s) { return s.counters().messages; }));
  metrics_->family_callback("bgpsecd_bmp_bytes_total", "octets written to the BMP station",
                            MetricType::Counter,
                            per_station([](const BmpStation& s) { return s.counters().bytes; }));
  metrics_->family_callback("bgpsecd_bmp_connects_total", "connections made to the BMP station",
                            MetricType::Counter,
                            per_station([](const BmpStation& s) { return s.counters().connects; }));
  metrics_->family_callback(
      "bgpsecd_bmp_drops_total",
      "connections dropped because the station fell behind (output queue full)",
      MetricType::Counter, per_station([](const BmpStation& s) { return s.counters().drops; }));
  metrics_->family_callback("bgpsecd_bmp_queued_bytes", "octets waiting for the BMP station",
                            MetricType::Gauge,
                            per_station([](const BmpStation& s) { return s.queued_bytes(); }));
}

}  // namespace bgpsecd::daemon
