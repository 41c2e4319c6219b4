// SPDX-License-Identifier: BSD-2-Clause
// Route refresh on a running session: answering the peer's ROUTE-REFRESH (RFC 2918 §4) and,
// with Enhanced Route Refresh negotiated, the BoRR / EoRR markers both ways (RFC 7313 §4).
#include <chrono>

#include <spdlog/spdlog.h>

#include "daemon/speaker.hpp"
#include "daemon/speaker_neighbor.hpp"

namespace bgpsecd::daemon {
namespace {

const char* afi_text(base::Afi afi) { return afi == base::Afi::Ipv4 ? "IPv4" : "IPv6"; }

}  // namespace

void Speaker::on_route_refresh(Neighbor& n, const wire::RouteRefreshMessage& refresh) {
  using wire::RouteRefreshMessage;
  // RFC 2918 §3 calls the octet Reserved (ignored on receipt); it is the Message Subtype of
  // RFC 7313 §3.2 only when both sides advertised Enhanced Route Refresh.
  const bool enhanced = n.negotiated && n.negotiated->enhanced_route_refresh;
  const std::uint8_t subtype = enhanced ? refresh.subtype : RouteRefreshMessage::kRequest;
  if (subtype == RouteRefreshMessage::kBorr) {
    ++n.stats.borr_received;
  } else if (subtype == RouteRefreshMessage::kEorr) {
    ++n.stats.eorr_received;
  }
  // RFC 2918 §4: a ROUTE-REFRESH for an <AFI, SAFI> that was not negotiated is ignored;
  // RFC 7313 §5: so is one with a subtype other than 0, 1 and 2.
  const auto afi = afi_of(refresh.afi);
  if (!afi || !n.negotiated ||
      !n.negotiated->has_family(session::AfiSafi{refresh.afi, refresh.safi}) ||
      subtype > RouteRefreshMessage::kEorr) {
    if (n.may_log_warning()) {
      spdlog::warn(
          "peer {}: ROUTE-REFRESH for AFI {} SAFI {} subtype {} ignored (RFC 2918 §4, RFC 7313 "
          "§5)",
          n.name(), refresh.afi, static_cast<int>(refresh.safi), static_cast<int>(subtype));
    }
    return;
  }
  switch (subtype) {
    case RouteRefreshMessage::kBorr:
      begin_peer_refresh(n, *afi);
      return;
    case RouteRefreshMessage::kEorr:
      end_peer_refresh(n, *afi);
      return;
    default:
      // RFC 2918 §4: send the Adj-RIB-Out for that AFI again.
      static_cast<void>(resend_adj_rib_out(n, *afi));
      return;
  }
}

void Speaker::begin_peer_refresh(Neighbor& n, base::Afi afi) {
  // RFC 7313 §4: at BoRR every route of the peer in that family becomes stale; each one the
  // peer announces again before its EoRR loses the mark (AdjRibIn::announce), unchanged ones
  // without touching the Loc-RIB, so they do not flap downstream.
  const auto marked = n.adj_in.mark_stale(afi);
  spdlog::info("peer {}: BoRR for {} (RFC 7313): {} routes marked stale until its EoRR", n.name(),
               afi_text(afi), marked);
  // RFC 7313 §4 leaves the wait for a missing EoRR to the implementation (neighbor
  // eorr_timeout); like a graceful restart's stale routes, the marked routes go when it passes.
  const std::string name = n.name();
  const std::chrono::seconds wait{n.config.eorr_timeout};
  n.refresh_windows.open(afi, wait, [this, name, afi, wait] {
    if (auto* peer = find_neighbor(name)) {
      const auto removed = sweep_stale(*peer, afi);
      peer->stats.refresh_stale_removed += removed;
      spdlog::warn(
          "peer {}: no EoRR for {} within {} s of its BoRR (RFC 7313 §4): removed its {} "
          "stale routes",
          name, afi_text(afi), wait.count(), removed);
    }
  });
}

void Speaker::end_peer_refresh(Neighbor& n, base::Afi afi) {
  // An EoRR without a BoRR marks the end of nothing: no route was marked for it (and routes
  // kept stale by a graceful restart wait for End-of-RIB, RFC 4724 §4.2).
  if (!n.refresh_windows.close(afi)) {
    if (n.may_log_warning()) {
      spdlog::warn("peer {}: EoRR for {} without a BoRR ignored (RFC 7313 §4)", n.name(),
                   afi_text(afi));
    }
    return;
  }
  // RFC 7313 §4: the routes still stale at EoRR were not re-advertised: they are gone.
  const auto removed = sweep_stale(n, afi);
  n.stats.refresh_stale_removed += removed;
  spdlog::info("peer {}: EoRR for {} (RFC 7313): removed {} routes not advertised again", n.name(),
               afi_text(afi), removed);
}

std::size_t Speaker::resend_adj_rib_out(Neighbor& n, std::optional<base::Afi> only) {
  if (n.table_deferred || !n.negotiated) {
    return 0;  // the whole table goes out when the restart deferral ends
  }
  // RFC 7313 §4: with Enhanced Route Refresh both ways, the re-advertisement of a family is
  // enclosed in BoRR and EoRR, so the peer can drop what we no longer send.
  const bool enhanced = n.negotiated->route_refresh && n.negotiated->enhanced_route_refresh;
  const auto marker = [&](const session::AfiSafi& family, std::uint8_t subtype) {
    const auto sent = n.peer->send_route_refresh(
        wire::RouteRefreshMessage{.afi = family.afi, .subtype = subtype, .safi = family.safi});
    if (sent) {
      ++(subtype == wire::RouteRefreshMessage::kBorr ? n.stats.borr_sent : n.stats.eorr_sent);
    }
  };
  std::size_t sent = 0;
  for (const auto& family : n.negotiated->families) {
    if (const auto afi = afi_of(family.afi); afi && (!only || *afi == *only)) {
      if (enhanced) {
        marker(family, wire::RouteRefreshMessage::kBorr);
      }
      for (const auto& update : n.adj_out.refresh(*afi)) {
        send(n, update);
        ++sent;
      }
      if (enhanced) {
        marker(family, wire::RouteRefreshMessage::kEorr);
      }
    }
  }
  return sent;
}

}  // namespace bgpsecd::daemon
