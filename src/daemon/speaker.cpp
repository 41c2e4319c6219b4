// SPDX-License-Identifier: BSD-2-Clause
// The speaker's session and RIB wiring (see speaker.hpp). Views for the control API are in
// speaker_views.cpp.
#include "daemon/speaker.hpp"

#include <algorithm>
#include <array>
#include <thread>
#include <tuple>
#include <utility>

#include <spdlog/spdlog.h>

#include "bgpsec/as_path_rebuild.hpp"
#include "bgpsec/validator.hpp"
#include "crypto/fast_verify.hpp"
#include "daemon/control_text.hpp"
#include "daemon/policy.hpp"
#include "daemon/speaker_neighbor.hpp"
#include "rib/as_path_edit.hpp"
#include "rib/otc.hpp"
#include "service/control_server.hpp"
#include "service/endpoint_asio.hpp"
#include "service/metrics.hpp"
#include "session/graceful_notification.hpp"

namespace bgpsecd::daemon {

namespace {

using service::to_asio;

// The origin AS for route origin validation (RFC 6811 §2): the least recent Secure_Path
// segment of a BGPsec route; the right-most AS of a trailing AS_SEQUENCE; our own AS for an
// empty path (routes from inside our AS). nullopt: NONE (the path ends in an AS_SET).
// `own_as` is our AS as the RPKI knows it: the confederation identifier inside one.
std::optional<base::Asn> origin_as_of(const rib::Route& route, base::Asn own_as) {
  if (const auto secure_path = route.secure_path(); !secure_path.empty()) {
    // A Confed_Segment origin was added by a member of our confederation (RFC 8205 §4.3).
    if (secure_path.back().confed()) {
      return own_as;
    }
    return bgpsec::secure_path_origin_as(secure_path);
  }
  const auto& attrs = *route.attrs;
  if (!attrs.as_path || attrs.as_path->segments.empty()) {
    return own_as;
  }
  base::Asn origin;
  if (attrs.as_path->origin_as(origin)) {
    return origin;
  }
  const auto last = attrs.as_path->segments.back().type;
  if (last == wire::AsPathSegmentType::AsConfedSequence ||
      last == wire::AsPathSegmentType::AsConfedSet) {
    return own_as;  // originated inside our confederation
  }
  return std::nullopt;
}

// RFC 4271 §9.1.2 with RFC 5065 §5.2: the path holds our AS, i.e. the
// confederation identifier outside the confederation segments, or our Member-AS inside them;
// without a confederation, `asn` anywhere. For a BGPsec route the Secure_Path is the path,
// Confed_Segment segments being the confederation part (RFC 8205 §4.3).
bool as_path_loop(const rib::Route& route, const GlobalConfig& global) {
  const auto in_confed_part = [&](base::Asn asn) {
    return global.confederation_id ? asn == global.asn : false;
  };
  const auto in_public_part = [&](base::Asn asn) { return asn == global.external_as(); };
  if (route.bgpsec) {
    const auto secure_path = route.secure_path();
    return std::any_of(secure_path.begin(), secure_path.end(),
                       [&](const wire::SecurePathSegment& s) {
                         return s.confed() ? in_confed_part(s.asn) : in_public_part(s.asn);
                       });
  }
  const auto& attrs = *route.attrs;
  if (!attrs.as_path) {
    return false;
  }
  return std::any_of(attrs.as_path->segments.begin(), attrs.as_path->segments.end(),
                     [&](const wire::AsPathSegment& seg) {
                       const bool confed = seg.type == wire::AsPathSegmentType::AsConfedSequence ||
                                           seg.type == wire::AsPathSegmentType::AsConfedSet;
                       return std::any_of(seg.asns.begin(), seg.asns.end(), [&](base::Asn asn) {
                         return confed ? in_confed_part(asn) : in_public_part(asn);
                       });
                     });
}

// The attributes of an export that was to be signed, as they go out unsigned (RFC 8205 §4.4):
// the AS_PATH rebuilt from the Secure_Path (empty for a route we originate); towards another
// Member-AS our Member-AS in AS_CONFED_SEQUENCE, else, without the confederation segments
// (RFC 5065 §5.3), our AS (the confederation identifier) in front `pcount` times.
wire::PathAttributes unsigned_form(const rib::OutUpdate& to_sign, const GlobalConfig& global,
                                   bool to_confed_member) {
  wire::PathAttributes attrs = *to_sign.attrs;
  if (to_sign.bgpsec) {
    attrs.as_path = bgpsec::rebuild_as_path(to_sign.bgpsec.secure_path());
  }
  if (!attrs.as_path) {
    attrs.as_path = wire::AsPath{};
  }
  if (to_confed_member) {
    rib::prepend_confed_member(*attrs.as_path, global.asn);
  } else {
    rib::remove_confed_segments(*attrs.as_path);
    rib::prepend_as(*attrs.as_path, global.external_as(),
                    std::max<std::uint8_t>(to_sign.pcount, 1));
  }
  return attrs;
}

// Stands in for one of our router keys when the view rebuilds what was sent: same suite and
// SKI, and one placeholder octet for the signature (ECDSA gives new octets at every signing,
// so the view shows none; the stored form needs a non-empty field).
class SignerStandIn : public bgpsec::SignatureProvider {
 public:
  explicit SignerStandIn(const bgpsec::SignatureProvider& key)
      : suite_(key.suite()), ski_(key.ski()) {}
  [[nodiscard]] std::uint8_t suite() const noexcept override { return suite_; }
  [[nodiscard]] const base::Ski& ski() const noexcept override { return ski_; }
  [[nodiscard]] base::Result<base::Bytes> sign(const crypto::Sha256Digest&) const override {
    return base::Bytes{0};
  }

 private:
  std::uint8_t suite_;
  base::Ski ski_;
};

// rpki's RFC 6811 result as the RIB keeps it (the RFC 8097 encoding's enum).
rib::OriginState origin_state_of(rpki::OriginState state) {
  switch (state) {
    case rpki::OriginState::Valid:
      return rib::OriginState::Valid;
    case rpki::OriginState::Invalid:
      return rib::OriginState::Invalid;
    case rpki::OriginState::NotFound:
      return rib::OriginState::NotFound;
  }
  return rib::OriginState::NotFound;
}

// How long a session closed for exceeding max_prefix stays down before we try again.
constexpr std::chrono::seconds kMaxPrefixRestart{60};

}  // namespace

Speaker::Speaker(asio::io_context& io, Config config, std::string config_path,
                 SpeakerOptions options)
    : io_(io),
      config_(std::move(config)),
      config_path_(std::move(config_path)),
      rpki_feed_(io_, rpki_, [this](const rpki::ChangeSet& c) { on_rpki_change(c); }),
      options_(options) {
  set_identity();
  // RFC 8374 §9.4: signature checks run on worker threads (one per core unless configured),
  // through one verifier whose signature cache and key tables all workers share.
  bgpsec::CachingVerifierOptions verifier_options;
  verifier_options.signature_cache_entries = config_.bgpsec.signature_cache_entries;
  verifier_options.max_key_tables = config_.bgpsec.key_tables;
  verifier_options.max_small_key_tables = config_.bgpsec.small_key_tables;
  verifier_ = std::make_unique<bgpsec::CachingSignatureVerifier>(verifier_options);
  crypto::allow_batch_ifma(config_.bgpsec.multi_buffer);
  unsigned threads = config_.bgpsec.validation_threads;
  if (threads == 0) {
    threads = std::max(1U, std::thread::hardware_concurrency());
  }
  validation_pool_ = std::make_unique<ValidationPool>(io_, *verifier_, threads);
  spdlog::info("signature verification: {} threads, {}", threads,
               engine_description(verifier_->engine()));
  // RFC 4724 §4.1: after our restart, route selection and our advertisements wait for the
  // peers' End-of-RIB, at most the restart time (our Selection_Deferral_Timer). Without
  // graceful restart there is nothing to wait for.
  if (options_.graceful_restart) {
    if (config_.global.graceful_restart_time == 0) {
      spdlog::warn("graceful restart (-R) ignored: global.graceful_restart_time is 0");
    } else {
      deferring_ = true;
      deferral_timer_ = std::make_unique<asio::steady_timer>(io_);
      deferral_timer_->expires_after(std::chrono::seconds(config_.global.graceful_restart_time));
      deferral_timer_->async_wait([this](const asio::error_code& ec) {
        if (!ec) {
          end_deferral("the deferral timer (graceful_restart_time) fired");
        }
      });
    }
  }
}

void Speaker::set_identity() {
  self_.asn = config_.global.asn;
  self_.confederation_id = config_.global.confederation_id;
  self_.router_id = config_.global.router_id;
  rib::PeerInfo local;
  local.key = rib::PeerKey{base::IpAddress::v4(0)};
  local.asn = config_.global.asn;
  local.router_id = config_.global.router_id;
  local.kind = rib::PeerKind::Local;
  local_peer_ = std::make_shared<const rib::PeerInfo>(local);
}

Speaker::~Speaker() { stop(); }

base::Result<void> Speaker::start() {
  if (started_) {
    return {};
  }
  BGPSEC_TRY(check_tcp_ao_support(config_));
  auto keys = load_router_keys(config_.bgpsec, config_.global.asn);
  if (!keys) {
    return base::fail(keys.error().message);
  }
  signers_ = std::move(*keys);
  log_router_keys();
  control_ = std::make_shared<ControlServer>(io_);
  if (!config_.global.control_socket.empty()) {
    BGPSEC_TRY(control_->listen_unix(config_.global.control_socket));
  }
  if (config_.global.control_tcp) {
    BGPSEC_TRY(control_->listen_tcp(config_.global.control_tcp->address.to_string(),
                                    config_.global.control_tcp->port));
  }
  register_control();
  metrics_ = std::make_unique<MetricsRegistry>();
  register_metrics();
  BGPSEC_ASSIGN_OR_RETURN(metrics_server_, make_metrics_server(config_.global.metrics_listen));
  BGPSEC_TRY(load_rpki_files());
  if (!config_.rpki.caches.empty()) {
    static_cast<void>(configure_rtr_caches());
  }
  arm_key_expiry_check();
  start_validation_servers();
  BGPSEC_ASSIGN_OR_RETURN(listener_, make_listener(config_.global.listen));
  originate_networks();
  for (const auto& n : config_.neighbors) {
    BGPSEC_TRY(add_neighbor(n));
  }
  configure_bmp(nullptr);
  started_ = true;
  refresh_tcp_ao();
  spdlog::info("bgpsecd AS{} router-id {} started: {} neighbors, {} networks",
               config_.global.asn.to_string(),
               base::IpAddress::v4(config_.global.router_id).to_string(), config_.neighbors.size(),
               config_.networks.size());
  return {};
}

void Speaker::stop() {
  for (auto& [name, n] : neighbors_) {
    if (n->peer) {
      n->peer->stop();
    }
    if (n->stale_timer) {
      n->stale_timer->cancel();
    }
    n->refresh_windows.close_all();
  }
  if (listener_) {
    listener_->close();
  }
  rpki_feed_.stop();
  if (control_) {
    control_->stop();
  }
  if (metrics_server_) {
    metrics_server_->stop();
  }
  if (deferral_timer_) {
    deferral_timer_->cancel();
  }
  stop_resign();
  if (key_expiry_timer_) {
    key_expiry_timer_->cancel();
  }
  if (server_fallback_timer_) {
    server_fallback_timer_->cancel();
  }
  if (server_signing_timer_) {
    server_signing_timer_->cancel();
  }
  if (validation_servers_) {
    validation_servers_->stop();  // GOODBYE: the servers keep our updates for keep_window
  }
  stop_bmp();
  started_ = false;
}

base::Result<std::unique_ptr<session::Listener>> Speaker::make_listener(
    const std::vector<Endpoint>& endpoints) {
  auto listener = std::make_unique<session::Listener>(
      io_,
      [this](const asio::ip::address& remote) -> std::shared_ptr<session::Peer> {
        const auto parsed = base::IpAddress::parse(remote.to_string());
        if (!parsed) {
          return nullptr;
        }
        const auto* n = find_neighbor(parsed->to_string());
        return n != nullptr ? n->peer : nullptr;
      },
      [](session::LogLevel level, const std::string& text) {
        if (level == session::LogLevel::Warning || level == session::LogLevel::Error) {
          spdlog::warn("{}", text);
        } else {
          spdlog::info("{}", text);
        }
      });
  // A listener made again by a reload keeps the running neighbors' TCP MD5 and TCP-AO keys.
  for (const auto& [name, n] : neighbors_) {
    if (!n->config.password.empty()) {
      BGPSEC_TRY(listener->set_md5_key(to_asio(n->config.address), n->config.password));
    }
    if (!n->config.tcp_ao.empty()) {
      BGPSEC_TRY(listener->set_ao_keys(
          to_asio(n->config.address),
          session::plan_ao_keys(n->config.tcp_ao, session::WallClock::now())));
    }
  }
  for (const auto& endpoint : endpoints) {
    auto listened =
        listener->listen(asio::ip::tcp::endpoint(to_asio(endpoint.address), endpoint.port));
    if (!listened) {
      return base::fail("listen " + endpoint.to_string() + ": " + listened.error().message);
    }
  }
  return listener;
}

base::Result<std::shared_ptr<MetricsServer>> Speaker::make_metrics_server(
    const std::optional<Endpoint>& endpoint) {
  if (!endpoint) {
    return std::shared_ptr<MetricsServer>();
  }
  auto server = std::make_shared<MetricsServer>(io_, *metrics_);
  BGPSEC_TRY(server->listen(endpoint->address.to_string(), endpoint->port));
  return server;
}

// ===== sessions =====

Speaker::Neighbor* Speaker::find_neighbor(const std::string& name) const {
  const auto it = neighbors_.find(name);
  return it == neighbors_.end() ? nullptr : it->second.get();
}

base::Result<void> Speaker::add_neighbor(const NeighborConfig& config) {
  rib::PeerInfo info;
  info.key = rib::PeerKey{config.address};
  info.asn = config.remote_as;
  info.kind = config.ibgp(config_.global) ? rib::PeerKind::Ibgp : rib::PeerKind::Ebgp;
  info.route_reflector_client = config.route_reflector_client;
  info.confed_member = config.confed_member(config_.global);
  auto n = std::make_unique<Neighbor>(*this, config, std::make_shared<const rib::PeerInfo>(info));
  session::PeerConfig peer_config;
  peer_config.fsm = to_fsm_config(config, config_.global);
  if (auto& gr = peer_config.fsm.session.graceful_restart; gr && deferring_) {
    // RFC 4724 §4.1 (-R): we restarted and kept forwarding for every family; the session
    // layer drops the R bit once the session is up.
    gr->restarting = true;
    gr->forwarding_preserved = peer_config.fsm.session.families;
  } else if (gr && started_) {
    // A neighbor added or re-created by a reload: the process did not restart, so whatever
    // forwards on our routes kept doing so (F bit, RFC 4724 §4.2; without it the peer would
    // drop the routes it keeps stale from the session a reload reset).
    gr->forwarding_preserved = peer_config.fsm.session.families;
  }
  peer_config.remote_address = to_asio(config.address);
  peer_config.remote_port = config.port;
  if (config.local_address) {
    peer_config.local_address = to_asio(*config.local_address);
  }
  peer_config.name = config.name() + " (AS" + config.remote_as.to_string() + ")";
  peer_config.security.md5_key = config.password;
  peer_config.security.ttl_security_hops = config.ttl_security;
  peer_config.security.ao_keys = config.tcp_ao;
  // RFC 2385, RFC 5925: the listening sockets need the keys too, or the neighbor's SYN goes
  // unanswered.
  if (listener_) {
    if (auto keyed = listener_->set_md5_key(to_asio(config.address), config.password); !keyed) {
      return base::fail("neighbor " + config.name() + ": " + keyed.error().message);
    }
    BGPSEC_TRY(install_listener_ao_keys(config));
  }
  auto peer = session::Peer::create(io_, std::move(peer_config), *n);
  if (!peer) {
    return base::fail("neighbor " + config.name() + ": " + peer.error().message);
  }
  n->peer = std::move(peer).value();
  auto* raw = n.get();
  neighbors_[config.name()] = std::move(n);
  raw->peer->start();
  return {};
}

void Speaker::remove_neighbor(const std::string& name, std::uint8_t cease_subcode) {
  auto* n = find_neighbor(name);
  if (n == nullptr) {
    return;
  }
  n->peer->stop(cease_subcode);
  // Its routes leave the Loc-RIB as for a session that went down without graceful restart.
  n->not_verified.clear();
  n->deferred.clear();
  release_all_outsourced(*n);
  remove_routes_of(*n);
  if (n->stale_timer) {
    n->stale_timer->cancel();
  }
  metrics_->remove_matching("peer", name);
  if (listener_) {
    static_cast<void>(listener_->set_md5_key(to_asio(n->config.address), ""));
    static_cast<void>(listener_->set_ao_keys(to_asio(n->config.address), {}));
  }
  neighbors_.erase(name);
}

void Speaker::on_established(Neighbor& n, const session::Negotiated& negotiated) {
  n.negotiated = negotiated;
  n.state_since = std::chrono::steady_clock::now();
  n.end_of_rib_received.clear();
  n.table_deferred = false;
  n.refresh_windows.close_all();  // RFC 7313 §4: a refresh does not span sessions
  rib::PeerInfo info = *n.info;
  info.router_id = negotiated.peer_bgp_id;
  n.info = std::make_shared<const rib::PeerInfo>(info);
  // RFC 4724 §4.2: the routes kept stale across the peer's restart stay in the Adj-RIB-In
  // until its End-of-RIB (sweep_stale) or the stale timer; only a table without them starts
  // afresh.
  if (n.adj_in.stale_count() == 0) {
    n.adj_in = rib::AdjRibIn(n.info, n.config.max_prefix);
    n.not_verified.clear();
    n.deferred.clear();
    n.postponed.clear();
  }
  n.export_peer = rib::ExportPeer{};
  n.export_peer.info = info;
  n.export_peer.four_octet_as = negotiated.four_octet_as;
  // RFC 8205 §2.2: what the OPENs negotiated per AFI and direction. Towards eBGP the send
  // side means we sign (export_route sets OutUpdate::sign); towards iBGP the BGPsec_PATH
  // passes unchanged (RFC 8374 §8.7). Without a key we cannot sign: the AS_PATH form.
  n.export_peer.bgpsec = negotiated.bgpsec;
  // RFC 8097 / RFC 8374 §8.7: the states travel with the route inside the AS.
  n.export_peer.send_origin_validation_state = !n.ebgp();
  n.export_peer.send_path_validation_state = !n.ebgp();
  n.export_peer.send_aspa_state = !n.ebgp();
  n.export_peer.transparent_route_server =
      n.config.external(config_.global) && n.config.route_server;
  // RFC 8374 §8.4.2: the neighbor's setting, else [bgpsec]'s; external neighbors only.
  n.export_peer.remove_private_as =
      n.config.private_as_removal(config_.global, config_.bgpsec.remove_private_as);
  // Without keys of our own we sign nothing, unless validation servers sign for us
  // ([validation] signing = "server", RFC 8374 §9.3.2).
  if (signers_.empty() && n.ebgp() && config_.validation.signing != SigningMode::Server) {
    n.export_peer.bgpsec.send_ipv4 = false;
    n.export_peer.bgpsec.send_ipv6 = false;
  }
  // Next hop self: our address on this session. The configured local address, else the
  // listen address of that family when it is a specific one.
  const auto pick = [&](base::Afi afi) -> std::optional<base::IpAddress> {
    // A configured next hop wins (RFC 4271 §5.1.3 "third party" next hop, e.g. an address
    // the peer accepts where the session address is 127/8).
    const auto& configured =
        afi == base::Afi::Ipv4 ? n.config.next_hop_ipv4 : n.config.next_hop_ipv6;
    if (configured) {
      return configured;
    }
    if (n.config.local_address && n.config.local_address->afi() == afi) {
      return n.config.local_address;
    }
    for (const auto& l : config_.global.listen) {
      const auto octets = l.address.octets();
      const bool unspecified =
          std::all_of(octets.begin(), octets.end(), [](std::uint8_t b) { return b == 0; });
      if (l.address.afi() == afi && !unspecified) {
        return l.address;
      }
    }
    return std::nullopt;
  };
  n.export_peer.next_hop_ipv4 = pick(base::Afi::Ipv4);
  n.export_peer.next_hop_ipv6 = pick(base::Afi::Ipv6);
  if (!n.export_peer.next_hop_ipv6 && n.export_peer.next_hop_ipv4) {
    // IPv6 routes over an IPv4 session without an IPv6 address of ours: the IPv4-mapped
    // IPv6 address (RFC 4291 §2.5.5.2), as BIRD and GoBGP send it.
    std::array<std::uint8_t, 16> mapped{};
    mapped[10] = 0xff;
    mapped[11] = 0xff;
    const auto v4 = n.export_peer.next_hop_ipv4->octets();
    std::copy(v4.begin(), v4.end(), mapped.begin() + 12);
    n.export_peer.next_hop_ipv6 = base::IpAddress(base::Afi::Ipv6, mapped);
  }
  n.export_peer.next_hop_self_ibgp = n.config.next_hop_self;
  // A session that comes back within the restart time keeps the stale routes until End-of-RIB,
  // but only for the families whose forwarding state the peer says it preserved (RFC 4724
  // §4.2: the F bit in its new OPEN); the others, or all without the capability, go now.
  if (n.adj_in.stale_count() > 0) {
    for (const auto& [afi, family] : {std::pair{base::Afi::Ipv4, session::kIpv4Unicast},
                                      std::pair{base::Afi::Ipv6, session::kIpv6Unicast}}) {
      if (session::forwarding_preserved(negotiated, family)) {
        continue;
      }
      if (const auto removed = sweep_stale(n, afi); removed > 0) {
        spdlog::info(
            "peer {}: forwarding state of {} not preserved across its restart (RFC 4724 "
            "§4.2): removed its {} stale routes",
            n.name(), afi == base::Afi::Ipv4 ? "IPv4" : "IPv6", removed);
      }
    }
  }
  if (n.stale_timer && n.adj_in.stale_count() == 0) {
    n.stale_timer->cancel();
  }
  spdlog::info("peer {} (AS{}): established, router-id {}, hold {} s, families {}", n.name(),
               negotiated.peer_as.to_string(),
               base::IpAddress::v4(negotiated.peer_bgp_id).to_string(),
               negotiated.hold_time.count(), negotiated.families.size());
  bmp_peer_up(n);
  send_table(n);
  // A peer without graceful restart is not waited for (RFC 4724 §4.1).
  check_deferral();
}

void Speaker::on_down(Neighbor& n, const session::SessionDown& down) {
  n.state_since = std::chrono::steady_clock::now();
  const bool was_established = down.was_established;
  const auto negotiated = std::move(n.negotiated);
  n.negotiated.reset();
  n.adj_out.clear();
  n.sent_server_signed.clear();
  n.table_deferred = false;
  stop_table(n);
  n.end_of_rib_received.clear();
  // A refresh window ends with its session: the routes go (no graceful restart) or stay stale
  // for the peer's restart (RFC 4724 §4.2), which its End-of-RIB or the stale timer ends.
  n.refresh_windows.close_all();
  if (!was_established) {
    return;
  }
  bmp_peer_down(n, down);
  // RFC 4724 §4.2: when the TCP session of a peer that advertised graceful restart ends
  // without a NOTIFICATION, keep its routes, marked stale, until it is back and has sent
  // End-of-RIB, or its restart time has passed. A NOTIFICATION (either way) ends the session
  // the ordinary way (RFC 4724 §4), unless both sides set the N bit: then only a Hard Reset
  // does (RFC 8538 §4), so e.g. a reset for changed capabilities keeps the routes.
  if (negotiated && session::keeps_routes(*negotiated, down)) {
    const auto marked = n.adj_in.mark_stale();
    const auto restart_time = negotiated->peer_graceful_restart->restart_time;
    spdlog::info("peer {}: session down ({}), keeping {} routes as stale for up to {} s", n.name(),
                 session::down_reason_name(down.reason), marked, restart_time);
    n.stale_timer = std::make_unique<asio::steady_timer>(io_);
    n.stale_timer->expires_after(std::chrono::seconds(restart_time));
    const std::string name = n.name();
    n.stale_timer->async_wait([this, name](const asio::error_code& ec) {
      if (ec) {
        return;
      }
      if (auto* peer = find_neighbor(name)) {
        spdlog::info("peer {}: restart time passed, removing stale routes", name);
        sweep_stale(*peer, std::nullopt);
      }
    });
    return;
  }
  spdlog::info("peer {}: session down ({}), removing {} routes", n.name(),
               session::down_reason_name(down.reason), n.adj_in.size());
  n.not_verified.clear();
  n.deferred.clear();
  n.postponed.clear();
  release_all_outsourced(n);
  remove_routes_of(n);
}

std::size_t Speaker::sweep_stale(Neighbor& n, std::optional<base::Afi> afi) {
  const auto swept = n.adj_in.sweep_stale(afi);
  for (const auto& route : swept) {
    release_outsourced(n, route.prefix);
    if (auto change = loc_rib_.remove(route.prefix, n.info->key)) {
      export_change(*change);
    }
  }
  return swept.size();
}

// ===== graceful restart, restarting side (RFC 4724 §4.1) =====

void Speaker::on_end_of_rib(Neighbor& n, base::Afi afi) {
  if (std::find(n.end_of_rib_received.begin(), n.end_of_rib_received.end(), afi) ==
      n.end_of_rib_received.end()) {
    n.end_of_rib_received.push_back(afi);
  }
  check_deferral();
}

bool Speaker::awaiting_end_of_rib(const Neighbor& n) const {
  // Only graceful-restart peers are waited for; one whose session does not come up is
  // covered by the deferral timer.
  if (!n.config.graceful_restart || config_.global.graceful_restart_time == 0) {
    return false;
  }
  if (!n.established()) {
    return true;
  }
  if (!n.negotiated->graceful_restart) {
    return false;
  }
  return std::any_of(n.negotiated->families.begin(), n.negotiated->families.end(),
                     [&](const session::AfiSafi& family) {
                       const auto afi = afi_of(family.afi);
                       return afi &&
                              std::find(n.end_of_rib_received.begin(), n.end_of_rib_received.end(),
                                        *afi) == n.end_of_rib_received.end();
                     });
}

void Speaker::check_deferral() {
  if (!deferring_) {
    return;
  }
  for (const auto& [name, n] : neighbors_) {
    if (awaiting_end_of_rib(*n)) {
      return;
    }
  }
  end_deferral("every graceful-restart peer sent End-of-RIB");
}

void Speaker::end_deferral(const char* why) {
  if (!deferring_) {
    return;
  }
  deferring_ = false;
  if (deferral_timer_) {
    deferral_timer_->cancel();
  }
  std::size_t sent = 0;
  for (auto& [name, n] : neighbors_) {
    if (n->table_deferred) {
      n->table_deferred = false;
      if (n->established()) {
        send_table(*n);
        ++sent;
      }
    }
  }
  spdlog::info("graceful restart: {}; sending our routes to {} peer(s)", why, sent);
}

// ===== import =====

void Speaker::on_update(Neighbor& n, wire::DecodedUpdate&& decoded) {
  auto& update = decoded.update;
  bmp_received(n, update);
  bool treat_as_withdraw = false;
  if (decoded.has_errors()) {
    n.stats.update_errors += decoded.errors.size();
    // A malformed BGPsec_PATH is decided on below (RFC 8374 §8.5); the other errors keep their
    // RFC 7606 action.
    treat_as_withdraw = decoded.strongest_elsewhere() == base::Action::TreatAsWithdraw;
    if (decoded.malformed_bgpsec_path) {
      ++n.stats.bgpsec_syntax_errors;
    }
    // The first error outside a malformed BGPsec_PATH (that one is logged with its decision).
    const auto& errors = decoded.errors;
    const auto e = std::find_if(errors.begin(), errors.end(), [&](const base::WireError& err) {
      return !decoded.malformed_bgpsec_path || !(err == decoded.malformed_bgpsec_path->error);
    });
    if (e != errors.end() && n.may_log_warning()) {
      spdlog::warn("peer {}: UPDATE error ({}): {} at offset {}; {}", n.name(),
                   base::action_name(e->action), e->what, e->offset,
                   treat_as_withdraw ? "its routes are treated as withdrawn (RFC 7606)"
                                     : "the attribute is discarded (RFC 7606)");
    }
    if (treat_as_withdraw) {
      ++n.stats.treat_as_withdraw;
    }
  }
  if (const auto eor = wire::end_of_rib(update)) {
    spdlog::info("peer {}: End-of-RIB for AFI {}", n.name(), static_cast<int>(eor->first));
    sweep_stale(n, eor->first);
    return;
  }
  std::vector<base::Prefix> withdrawn = update.withdrawn;
  if (update.attrs.mp_unreach) {
    const auto& w = update.attrs.mp_unreach->withdrawn;
    withdrawn.insert(withdrawn.end(), w.begin(), w.end());
  }
  std::vector<base::Prefix> announced = update.nlri;
  bool in_mp_reach = false;
  if (update.attrs.mp_reach) {
    const auto& a = update.attrs.mp_reach->nlri;
    announced.insert(announced.end(), a.begin(), a.end());
    in_mp_reach = !a.empty();
  }
  n.stats.withdrawals_received += withdrawn.size();
  for (const auto& prefix : withdrawn) {
    withdraw_from(n, prefix);
  }
  if (announced.empty()) {
    return;
  }
  if (treat_as_withdraw) {
    for (const auto& prefix : announced) {
      withdraw_from(n, prefix);
    }
    return;
  }

  wire::PathAttributes attrs = std::move(update.attrs);
  rib::strip_nlri(attrs);
  attrs.mp_unreach.reset();
  // One prefix per BGPsec UPDATE (RFC 8205 §4.1), so the decision holds for announced[0].
  auto route = route_context_of(attrs, announced.front());
  route.prefix_count = announced.size();
  route.prefix_in_mp_reach = in_mp_reach && update.nlri.empty();
  const bool negotiated = n.negotiated && n.negotiated->bgpsec.receive(announced.front().afi());
  const auto decision = decide_path(ReceivedPath{attrs, decoded.malformed_bgpsec_path, route},
                                    import_settings_of(n, negotiated), *verifier_);
  if (decision.syntax_error()) {
    if (!decoded.malformed_bgpsec_path) {  // a decoder error is counted with the UPDATE's
      ++n.stats.update_errors;
      ++n.stats.bgpsec_syntax_errors;
    }
    if (n.may_log_warning()) {
      spdlog::warn("peer {}: BGPsec_PATH for {} fails RFC 8205 §5.2 ({}): {}", n.name(),
                   announced.front().to_string(), bgpsec::reason_name(decision.reason),
                   decision.outcome);
    }
    if (decision.action == PathDecision::Action::Strip) {
      ++n.stats.bgpsec_stripped;
    }
  }
  if (decision.action == PathDecision::Action::Withdraw) {
    ++n.stats.treat_as_withdraw;
    for (const auto& prefix : announced) {
      withdraw_from(n, prefix);
    }
    return;
  }
  apply_path_decision(decision, attrs);
  // RFC 9234 §5 ingress: with a role configured, a route with the wrong OTC is a leak; one
  // from a provider, a peer or an RS without OTC is marked with the neighbor's AS.
  const auto otc = n.config.role ? rib::otc_ingress(*n.config.role, n.config.remote_as, attrs.otc)
                                 : rib::OtcIngress{};
  if (otc.add) {
    attrs.otc = *otc.add;
  }
  // The signatures this path has in common with the prefix's other routes
  // (another peer's, or this peer's previous one) are stored once. The Adj-RIBs-In rather than
  // the Loc-RIB: they also hold routes still being validated or rejected by policy, so the
  // tables of peers that send at the same time (a restart) share too. A BGPsec UPDATE carries
  // one prefix (RFC 8205 §4.1).
  std::vector<const rib::StoredBgpsecPath*> same_prefix;
  if (attrs.bgpsec_path) {
    for (const auto& [name, other] : neighbors_) {
      if (const rib::Route* held = other->adj_in.find(announced.front());
          held != nullptr && held->bgpsec) {
        same_prefix.push_back(&held->bgpsec);
      }
    }
  }
  const auto bgpsec = rib::take_bgpsec_path(attrs, same_prefix);
  const auto handle = attributes_.intern(std::move(attrs));
  for (const auto& prefix : announced) {
    rib::Route received;
    received.attrs = handle;
    received.bgpsec = bgpsec;
    received.peer = n.info;
    received.received_seq = ++received_seq_;
    received.prefix = prefix;
    received.local_pref = rib::default_local_pref(*handle, n.info->kind);
    received.route_leak = otc.leak;
    const auto receipt = state_on_receipt(decision, received, n.adj_in.find(prefix),
                                          validation_in_flight(n, prefix));
    received.path_state = receipt.state;
    received.path_failure = receipt.failure;
    if (receipt.cancel_check) {
      n.validating.cancel(prefix);
    }
    bool start = receipt.start_check;
    const auto result = n.adj_in.announce(received);
    if (result.max_prefix_exceeded) {
      ++n.stats.max_prefix_exceeded;
      // RFC 4486 §4: Cease / Maximum Number of Prefixes Reached; the session is tried again
      // after a pause (its routes go as on any session loss, in on_down).
      spdlog::warn(
          "peer {}: more than {} prefixes (max_prefix): closing the session, retrying "
          "in {} s",
          n.name(), n.config.max_prefix, kMaxPrefixRestart.count());
      // Posted: the session is not stopped from inside its own UPDATE callback, and the
      // neighbor is looked up again in case a reload removed it meanwhile.
      asio::post(io_, [this, name = n.name()] {
        Neighbor* nbr = find_neighbor(name);
        if (nbr == nullptr) {
          return;
        }
        nbr->peer->stop(session::subcode::kCeaseMaxPrefixes);
        nbr->max_prefix_timer = std::make_unique<asio::steady_timer>(io_, kMaxPrefixRestart);
        nbr->max_prefix_timer->async_wait([nbr](const std::error_code& ec) {
          if (!ec) {
            nbr->peer->start();
          }
        });
      });
      return;
    }
    n.not_verified.erase(prefix);
    n.deferred.erase(prefix);
    n.postponed.erase(prefix);
    if (received.route_leak && result.change != rib::AdjRibIn::Change::Refreshed) {
      ++n.stats.route_leaks_in;  // once per route: the same route again is Refreshed
      if (n.may_log_warning()) {
        spdlog::warn(
            "peer {}: {} is a route leak (RFC 9234 §5: OTC {}, our role {}); kept "
            "out of route selection",
            n.name(), prefix.to_string(), received.attrs->otc->value(),
            wire::role_name(*n.config.role));
      }
    }
    // Computed once for the checks below, the import just below and that of the signatures'
    // result.
    std::optional<KnownIngress> ingress;
    if (start) {
      ingress = ingress_of(n, received);
    }
    if (start && rejected_whatever_the_path(n, received, &*ingress)) {
      // RFC 8374 §8.1 step 2: the origin check and import policy reject this route whatever
      // its signatures say, so no ECDSA work is spent on it. It stays in the Adj-RIB-In,
      // Pending, and is checked if an RPKI or policy change could admit it (reimport_route).
      start = false;
      release_outsourced(n, prefix);
      n.not_verified.insert(prefix);
      ++n.stats.validations_avoided;
      n.stats.signatures_not_verified += received.secure_path().size();
      if (auto change = loc_rib_.remove(prefix, n.info->key)) {
        export_change(*change);
      }
      continue;
    }
    if (start && defer_check(n, prefix)) {
      // RFC 8374 §8.7: installed Pending without a check (the queue is full); a candidate
      // like any checked route, sent to iBGP marked deferred, checked later (start_deferred).
      start = false;
    }
    if (start && postpone_check(n, received, &*ingress)) {
      // RFC 8374 §9.4 (best-first): the best route wins whatever this one's signatures say;
      // installed Pending and checked when the best changes (check_postponed).
      start = false;
    }
    if (start) {
      start_validation(n, received, ingress);
    } else if (result.change != rib::AdjRibIn::Change::Refreshed) {
      // A new route that is not checked now (unsigned, trusted, left for later): the servers
      // let go of the one it replaces. The same route again keeps its place there.
      release_outsourced(n, prefix);
    }
    if (result.change == rib::AdjRibIn::Change::Refreshed || awaiting_validation(n, received)) {
      continue;
    }
    auto candidate = import_route(n, received, true, ingress ? &*ingress : nullptr);
    bmp_imported(n, prefix, candidate ? &*candidate : nullptr);
    if (!candidate) {
      if (auto change = loc_rib_.remove(prefix, n.info->key)) {
        export_change(*change);
      }
      continue;
    }
    if (auto change = loc_rib_.update(std::move(*candidate))) {
      export_change(*change);
    }
  }
}

KnownIngress Speaker::ingress_of(const Neighbor& n, const rib::Route& route) const {
  // One snapshot for the states and the record of what they were computed under.
  KnownIngress known{rib::OriginState::NotFound, rib::AspaState::Unverified, rpki_.snapshot(),
                     config_generation_};
  std::tie(known.origin, known.aspa) = ingress_states(n, route, *known.rpki);
  return known;
}

void Speaker::set_ingress_states(const Neighbor& n, rib::Route& route,
                                 const KnownIngress* known) const {
  const auto snapshot = rpki_.snapshot();
  if (known != nullptr && known->rpki == snapshot &&
      known->config_generation == config_generation_) {
    route.origin_state = known->origin;
    route.aspa_state = known->aspa;
    return;
  }
  std::tie(route.origin_state, route.aspa_state) = ingress_states(n, route, *snapshot);
}

std::pair<rib::OriginState, rib::AspaState> Speaker::ingress_states(
    const Neighbor& n, const rib::Route& route, const rpki::Snapshot& snapshot) const {
  rib::OriginState origin = rib::OriginState::NotFound;
  if (const auto trusted = trusted_origin_state(import_settings_of(n), *route.attrs)) {
    origin = *trusted;  // RFC 8097 / RFC 8374 §8.7: the ingress's RFC 6811 result
  } else if (const auto as = origin_as_of(route, config_.global.external_as())) {
    origin = origin_state_of(snapshot.vrps.validate_origin(route.prefix, *as));
  } else {
    origin = origin_state_of(snapshot.vrps.validate_origin_none(route.prefix));
  }
  // docs/aspa.md §7-§8: ASPA verification at the eBGP edge, the edge's state inside the AS.
  return {origin, check_route_aspa(route, aspa_settings_of(n), snapshot.aspas)};
}

std::optional<rib::Route> Speaker::import_route(Neighbor& n, const rib::Route& received, bool count,
                                                const KnownIngress* known) {
  const auto& attrs = *received.attrs;
  // RFC 9234 §5: a route leak is ineligible for route selection; it stays in the Adj-RIB-In
  // (counted on receipt).
  if (received.route_leak) {
    return std::nullopt;
  }
  // RFC 4271 §9.1.2: a route with our own AS in its path is a loop (eBGP; iBGP paths never
  // hold our AS).
  if (n.ebgp() && as_path_loop(received, config_.global)) {
    n.stats.loops += count ? 1 : 0;
    return std::nullopt;
  }
  // RFC 4456 §8: a reflected route of ours that came back through the cluster.
  if (!n.ebgp() && rib::reflection_loop(attrs, self_)) {
    n.stats.loops += count ? 1 : 0;
    return std::nullopt;
  }
  rib::Route route = received;
  set_ingress_states(n, route, known);
  PolicySubject subject{route.prefix,        attrs,
                        route.secure_path(), route.path_state,
                        route.origin_state,  route.aspa_state,
                        route.local_pref,    0,
                        std::nullopt};
  const Policy* policy =
      n.config.import_policy ? config_.find_policy(*n.config.import_policy) : nullptr;
  if (apply_policy(policy, config_, n.ebgp(), subject) == PolicyVerdict::Reject) {
    n.stats.rejected_by_policy += count ? 1 : 0;
    return std::nullopt;
  }
  // RFC 8374 §8.3 / §8.6: optional drops, then the state preference on top of policy's.
  if ((config_.bgpsec.drop_not_valid && route.path_state == rib::PathState::NotValid) ||
      (config_.bgpsec.drop_origin_invalid && route.origin_state == rib::OriginState::Invalid) ||
      (config_.aspa.drop_invalid && route.aspa_state == rib::AspaState::Invalid)) {
    n.stats.rejected_by_policy += count ? 1 : 0;
    return std::nullopt;
  }
  route.local_pref = rib::apply_aspa_preference(
      rib::apply_state_preference(subject.local_pref, route.path_state, route.origin_state,
                                  config_.bgpsec.preference),
      route.aspa_state, config_.aspa.preference);
  if (subject.edited && !(*subject.edited == attrs)) {
    route.attrs = attributes_.intern(std::move(*subject.edited));
  }
  return route;
}

void Speaker::withdraw_from(Neighbor& n, const base::Prefix& prefix) {
  n.validating.cancel(prefix);
  n.not_verified.erase(prefix);
  n.deferred.erase(prefix);
  n.postponed.erase(prefix);
  release_outsourced(n, prefix);
  if (!n.adj_in.withdraw(prefix)) {
    return;
  }
  bmp_imported(n, prefix, nullptr);
  if (auto change = loc_rib_.remove(prefix, n.info->key)) {
    export_change(*change);
  }
}

void Speaker::reimport(Neighbor& n) {
  std::vector<rib::Route> routes;
  n.adj_in.for_each([&](const rib::Route& r) { routes.push_back(r); });
  for (const auto& received : routes) {
    ++routes_revalidated_;
    reimport_route(n, received);
  }
}

bool Speaker::awaiting_validation(const Neighbor& n, const rib::Route& received) {
  // A route is not a candidate until its signatures are checked the first time: selecting it
  // now would announce it, then announce it again (or withdraw it) when the result comes (RFC
  // 8374 §9.2 churn). Meanwhile the Loc-RIB keeps what this peer sent before for the prefix, as
  // if the UPDATE had not arrived yet: a restarted peer's table (fresh signatures, new
  // attributes) must not flap downstream (RFC 4724 §4.2). A route rechecked after an RPKI
  // change keeps its state until then: it stays a candidate.
  return received.path_state == rib::PathState::Pending && validation_in_flight(n, received.prefix);
}

bool Speaker::rejected_whatever_the_path(Neighbor& n, const rib::Route& received,
                                         const KnownIngress* known) {
  rib::Route trial = received;
  for (const auto state : {rib::PathState::Valid, rib::PathState::NotValid}) {
    trial.path_state = state;
    if (import_route(n, trial, false, known)) {
      return false;
    }
  }
  return true;
}

void Speaker::reimport_route(Neighbor& n, const rib::Route& received, const KnownIngress* known) {
  if (awaiting_validation(n, received)) {
    return;
  }
  if (n.not_verified.contains(received.prefix)) {
    // Its signatures were never checked (RFC 8374 §8.1). Still rejected: nothing to do; now
    // admissible (a ROA or the policy changed): check them, the result imports it.
    if (!rejected_whatever_the_path(n, received)) {
      n.not_verified.erase(received.prefix);
      start_validation(n, received);
    } else if (auto change = loc_rib_.remove(received.prefix, n.info->key)) {
      export_change(*change);
    }
    return;
  }
  auto candidate = import_route(n, received, true, known);
  bmp_imported(n, received.prefix, candidate ? &*candidate : nullptr);
  const auto change = candidate ? loc_rib_.update(std::move(*candidate))
                                : loc_rib_.remove(received.prefix, n.info->key);
  if (change) {
    export_change(*change);
  }
}

void Speaker::reimport_all() {
  for (auto& [name, n] : neighbors_) {
    reimport(*n);
  }
}

// ===== export =====

void Speaker::export_change(const rib::BestChange& change) {
  bmp_best(change);
  const rib::Route* best = change.current ? &*change.current : nullptr;
  check_postponed(change.prefix, best);
  for (auto& [name, n] : neighbors_) {
    if (n->exporting()) {
      export_prefix(*n, change.prefix, best);
    }
  }
}

void Speaker::export_prefix(Neighbor& n, const base::Prefix& prefix, const rib::Route* best) {
  if (!n.negotiated ||
      !n.negotiated->has_family(prefix.afi() == base::Afi::Ipv4 ? session::kIpv4Unicast
                                                                : session::kIpv6Unicast)) {
    return;
  }
  if (n.exports_nothing()) {
    // RFC 8212 §3: nothing goes to this neighbor (so no OTC rule holds anything back); what an
    // earlier policy sent is withdrawn.
    n.leaks_held.erase(prefix);
    if (const auto withdrawal = n.adj_out.withdraw(prefix)) {
      send(n, *withdrawal);
    }
    return;
  }
  std::optional<rib::OutUpdate> update;
  if (best != nullptr) {
    auto result = rib::export_route(*best, n.export_peer, self_);
    bool advertise = result.verdict == rib::ExportVerdict::Advertise;
    if (advertise && n.config.role) {
      advertise = apply_otc_egress(n, *best, result.attrs);
    } else {
      n.leaks_held.erase(prefix);
    }
    std::uint8_t subject_prepend = 0;
    const bool external = n.config.external(config_.global);
    if (advertise) {
      PolicySubject subject{prefix,
                            result.attrs,
                            result.bgpsec.secure_path(),
                            best->path_state,
                            best->origin_state,
                            best->aspa_state,
                            best->local_pref,
                            0,
                            std::nullopt};
      const Policy* policy =
          n.config.export_policy ? config_.find_policy(*n.config.export_policy) : nullptr;
      advertise = apply_policy(policy, config_, n.ebgp(), subject) == PolicyVerdict::Accept;
      if (subject.edited) {
        result.attrs = std::move(*subject.edited);
      }
      subject_prepend = std::min<std::uint8_t>(subject.prepend, 254);
      // Prepending is for peers outside the confederation (RFC 5065 §5.3: inside it the
      // Member-ASes are in AS_CONFED_SEQUENCE, which path length does not count).
      if (advertise && subject.prepend > 0 && external && !n.config.route_server &&
          result.attrs.as_path) {
        // Configured prepending: more copies of our AS in front (export_route added one).
        auto& segments = result.attrs.as_path->segments;
        if (!segments.empty() && segments.front().type == wire::AsPathSegmentType::AsSequence) {
          segments.front().asns.insert(segments.front().asns.begin(), subject.prepend,
                                       config_.global.external_as());
        }
      }
    }
    rib::ExportResult private_as;
    private_as.private_asns_removed = result.private_asns_removed;
    private_as.private_asns_kept_signed = result.private_asns_kept_signed;
    // RFC 8205 §4.2: towards a BGPsec peer, prepending is our segment's pCount.
    // A transparent route server's segment has pCount 0 (RFC 8205 §4.2), and so has our
    // Member-AS segment towards another member (RFC 8205 §4.3:
    // implementations use 0, and the Member-AS does not count in the path length anyway).
    const auto pcount =
        (n.config.route_server && external) || n.config.confed_member(config_.global)
            ? std::uint8_t{0}
            : static_cast<std::uint8_t>(1 + (result.sign ? subject_prepend : 0));
    update = advertise ? n.adj_out.advertise(prefix, attributes_.intern(std::move(result.attrs)),
                                             std::move(result.bgpsec), result.sign, pcount)
                       : n.adj_out.withdraw(prefix);
    if (update && !update->withdraw()) {
      count_private_as_removal(n, prefix, private_as);  // once per UPDATE that goes out
    }
  } else {
    n.leaks_held.erase(prefix);
    update = n.adj_out.withdraw(prefix);
  }
  if (update) {
    send(n, *update);
  }
}

bool Speaker::apply_otc_egress(Neighbor& n, const rib::Route& best, wire::PathAttributes& attrs) {
  const auto otc = rib::otc_egress(*n.config.role, config_.global.external_as(), attrs.otc);
  if (!otc.leak) {
    n.leaks_held.erase(best.prefix);
    if (otc.add) {
      attrs.otc = *otc.add;
    }
    return true;
  }
  // RFC 9234 §5: a route marked for customers only does not go to a provider, a peer or an RS.
  const auto [held, added] = n.leaks_held.try_emplace(best.prefix, best.received_seq);
  if (added || held->second != best.received_seq) {
    held->second = best.received_seq;
    ++n.stats.route_leaks_out;
  }
  return false;
}

void Speaker::send(Neighbor& n, const rib::OutUpdate& out) {
  // A newer UPDATE for the prefix: a signature still on its way from a server is for the
  // route before it.
  n.server_signing.erase(out.prefix);
  if (out.sign) {
    switch (sign_through_server(n, out)) {
      case ServerSigning::Asked:
        return;  // sent when the server answers (on_server_signed)
      case ServerSigning::Unsigned:
        transmit(n, out, std::nullopt, false);
        return;
      case ServerSigning::NotUsed:
        break;
    }
  }
  transmit(n, out, std::nullopt, true);
}

void Speaker::transmit(Neighbor& n, const rib::OutUpdate& out,
                       std::optional<wire::BgpsecPath> server_signed, bool sign_here) {
  wire::UpdateMessage message;
  const bool ipv4 = out.prefix.afi() == base::Afi::Ipv4;
  n.sent_server_signed.erase(out.prefix);
  if (out.withdraw()) {
    n.sent_unsigned.erase(out.prefix);
    if (ipv4) {
      message.withdrawn.push_back(out.prefix);
    } else {
      message.attrs.mp_unreach = wire::MpUnreach{
          .afi = base::Afi::Ipv6, .safi = base::kSafiUnicast, .withdrawn = {out.prefix}};
    }
  } else {
    message.attrs = *out.attrs;
    if (out.bgpsec && !out.sign) {
      message.attrs.bgpsec_path = out.bgpsec.decode();  // iBGP: passed on as received
    }
    if (out.sign) {
      if (server_signed) {
        if (auto stored = rib::StoredBgpsecPath::store(*server_signed); stored) {
          n.sent_server_signed.emplace(out.prefix, std::move(stored));
        }
      }
      base::Result<wire::BgpsecPath> signed_path =
          server_signed ? base::Result<wire::BgpsecPath>(std::move(*server_signed))
          : sign_here   ? sign_for(n, out, signature_providers())
                        : base::fail(
                              "the validation server did not sign it ([validation] signing_fallback "
                                "= \"unsigned\")");
      if (signed_path) {
        message.attrs.bgpsec_path = std::move(*signed_path);
        ++n.stats.signed_updates;
        n.sent_unsigned.erase(out.prefix);
      } else {
        n.sent_unsigned.insert(out.prefix);
        // RFC 8205 §4: a route we cannot sign goes out unsigned, with the AS_PATH it would
        // have had without BGPsec.
        ++n.stats.sign_failures;
        spdlog::warn("peer {}: cannot sign {}: {}; sent unsigned", n.name(), out.prefix.to_string(),
                     signed_path.error().message);
        message.attrs = unsigned_form(out, config_.global, n.config.confed_member(config_.global));
      }
    }
    if (message.attrs.mp_reach) {
      message.attrs.mp_reach->nlri = {out.prefix};
    } else {
      message.nlri.push_back(out.prefix);
    }
  }
  if (auto sent = n.peer->send_update(message); !sent) {
    spdlog::warn("peer {}: cannot send UPDATE for {}: {}", n.name(), out.prefix.to_string(),
                 sent.error().message);
  }
}

rib::Route Speaker::as_sent(const Neighbor& n, const rib::OutUpdate& out) const {
  rib::Route r;
  r.prefix = out.prefix;
  r.attrs = out.attrs;
  r.bgpsec = out.bgpsec;  // iBGP and non-BGPsec peers: as stored (send() adds nothing)
  r.peer = n.info;
  if (!out.sign) {
    return r;
  }
  if (const auto server = n.sent_server_signed.find(out.prefix);
      server != n.sent_server_signed.end()) {
    r.bgpsec = server->second;
    return r;
  }
  if (!n.sent_unsigned.contains(out.prefix)) {
    std::vector<SignerStandIn> stand_ins;
    std::vector<const bgpsec::SignatureProvider*> providers;
    for (const auto* signer : signature_providers()) {
      stand_ins.emplace_back(*signer);
    }
    for (const auto& stand_in : stand_ins) {
      providers.push_back(&stand_in);
    }
    if (auto path = sign_for(n, out, providers); path) {
      if (auto stored = rib::StoredBgpsecPath::store(*path); stored) {
        r.bgpsec = std::move(stored);
        return r;
      }
    }
  }
  // A view's copy, not interned: it lives as long as the answer is being written.
  r.attrs = std::make_shared<const wire::PathAttributes>(
      unsigned_form(out, config_.global, n.config.confed_member(config_.global)));
  r.bgpsec = {};
  return r;
}

std::vector<const bgpsec::SignatureProvider*> Speaker::signature_providers() const {
  // One suite, one signing key (RFC 8205 §3.2): the active one of our keys.
  std::vector<const bgpsec::SignatureProvider*> providers;
  if (const auto* active = signers_.active_key()) {
    providers.push_back(active);
  }
  return providers;
}

base::Result<wire::BgpsecPath> Speaker::sign_for(
    const Neighbor& n, const rib::OutUpdate& out,
    const std::vector<const bgpsec::SignatureProvider*>& providers) const {
  if (providers.empty()) {
    return base::fail("no router key for AS" + config_.global.asn.to_string());
  }
  const bgpsec::SignedPrefix route{out.prefix, base::kSafiUnicast};
  const auto& global = config_.global;
  const std::optional<wire::BgpsecPath> received =
      out.bgpsec ? std::optional(out.bgpsec.decode()) : std::nullopt;
  if (n.config.confed_member(global)) {
    // RFC 8205 §4.3, towards another Member-AS: our segment carries our
    // Member-AS with Confed_Segment set, and the peer's Member-AS is the Target AS.
    const bgpsec::Hop member{global.asn, n.negotiated->peer_as, out.pcount, true};
    if (!received) {
      return bgpsec::originate(member, route, providers);
    }
    if (received->secure_path.empty() || received->secure_path.front().confed()) {
      return bgpsec::forward(*received, member, route, providers);
    }
    // RFC 8205 §4.3, entering the confederation: the newest signature
    // targets the confederation identifier, so first a segment {pCount 0, Confed_Segment,
    // AS = the confederation identifier} signed for our Member-AS. Each signature then
    // targets the AS of the next newer segment, as members validate (RFC 8205 §5.2).
    const bgpsec::Hop entry{*global.confederation_id, global.asn, 0, true};
    BGPSEC_ASSIGN_OR_RETURN(const auto entered,
                            bgpsec::forward(*received, entry, route, providers));
    return bgpsec::forward(entered, member, route, providers);
  }
  // RFC 8205 §4.2: the Target AS is the peer's; one UPDATE per prefix (§4.1). Our segment
  // carries our AS as the peer knows it: the confederation identifier inside one.
  const bgpsec::Hop hop{global.external_as(), n.negotiated->peer_as, out.pcount, false};
  if (!received) {
    return bgpsec::originate(hop, route, providers);
  }
  if (!global.confederation_id) {
    return bgpsec::forward(*received, hop, route, providers);
  }
  // RFC 8205 §4.3, leaving the confederation: the Confed_Segment run and
  // as many newest signatures go; the newest signature left targets the confederation
  // identifier, which our new segment carries. A path that only ever was inside the
  // confederation is left empty: we originate it for the confederation.
  const auto outside = bgpsec::remove_confed_segments(*received);
  if (outside.secure_path.empty()) {
    return bgpsec::originate(hop, route, providers);
  }
  return bgpsec::forward(outside, hop, route, providers);
}

void Speaker::count_private_as_removal(Neighbor& n, const base::Prefix& prefix,
                                       const rib::ExportResult& result) {
  n.stats.private_asns_removed += result.private_asns_removed;
  if (result.private_asns_kept_signed == 0) {
    return;
  }
  // RFC 8374 §8.4.2: removal is only possible before signing; a Secure_Path's segments are
  // covered by the signatures of every later AS (RFC 8205 §4.2), which we cannot redo.
  ++n.stats.private_as_kept_signed;
  if (n.may_log_warning()) {
    spdlog::warn(
        "peer {}: {} keeps {} private ASN(s): they are in its Secure_Path, signed by later "
        "ASes, and cannot be removed (remove_private_as, RFC 8374 §8.4.2)",
        n.name(), prefix.to_string(), result.private_asns_kept_signed);
  }
}

// ===== our networks =====

void Speaker::originate_networks() {
  for (const auto& network : config_.networks) {
    wire::PathAttributes attrs;
    attrs.origin = wire::Origin::Igp;
    attrs.as_path = wire::AsPath{};
    for (const auto& c : network.communities) {
      if (const auto* standard = std::get_if<std::uint32_t>(&c)) {
        attrs.communities.push_back(*standard);
      } else {
        attrs.large_communities.push_back(std::get<wire::LargeCommunity>(c));
      }
    }
    if (network.prefix.afi() == base::Afi::Ipv6) {
      attrs.mp_reach = wire::MpReach{.afi = base::Afi::Ipv6,
                                     .safi = base::kSafiUnicast,
                                     .next_hops = {base::IpAddress(base::Afi::Ipv6, {})},
                                     .nlri = {}};
    } else {
      attrs.next_hop = base::IpAddress::v4(0);
    }
    rib::Route route;
    route.attrs = attributes_.intern(std::move(attrs));
    route.peer = local_peer_;
    route.prefix = network.prefix;
    route.received_seq = ++received_seq_;
    const auto snapshot = rpki_.snapshot();
    route.origin_state = origin_state_of(
        snapshot->vrps.validate_origin(network.prefix, config_.global.external_as()));
    if (auto change = loc_rib_.update(std::move(route))) {
      export_change(*change);
    }
  }
}

// ===== RPKI =====

base::Result<void> Speaker::load_rpki_files() { return rpki_feed_.load_files(config_.rpki); }

std::vector<std::string> Speaker::configure_rtr_caches() {
  return rpki_feed_.configure_caches(config_.rpki);
}

}  // namespace bgpsecd::daemon
