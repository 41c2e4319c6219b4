// SPDX-License-Identifier: BSD-2-Clause
// The BGP speaker: the running daemon's state and the wiring between its parts (docs/design.md "How
// an update flows"): one session::Peer per configured neighbor, the Adj-RIBs-In/Out, the
// Loc-RIB and the decision, import/export policy, route origin validation and BGPsec path
// validation from the RPKI store (fed by RTR caches and files), our own networks, and the
// control API / metrics views of all of it. Everything runs on one io_context thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <asio.hpp>
#include <nlohmann/json.hpp>

#include "base/prefix_set.hpp"
#include "base/result.hpp"
#include "bgpsec/caching_verifier.hpp"
#include "bgpsec/validator.hpp"
#include "bmp/message.hpp"
#include "daemon/aspa_check.hpp"
#include "daemon/config.hpp"
#include "daemon/import_decision.hpp"
#include "rib/adj_rib_in.hpp"
#include "rib/adj_rib_out.hpp"
#include "rib/attribute_store.hpp"
#include "rib/loc_rib.hpp"
#include "rpki/rpki_store.hpp"
#include "rpki/rtr_cache_set.hpp"
#include "service/control_server.hpp"
#include "service/metrics.hpp"
#include "service/router_keys.hpp"
#include "service/rpki_feed.hpp"
#include "service/rpki_sources.hpp"
#include "service/validation_pool.hpp"
#include "session/listener.hpp"
#include "session/peer.hpp"
#include "srx_client/server_pool.hpp"

namespace bgpsecd::daemon {

class BmpStation;

// What the speaker runs on from the service layer, shared with bgpsecvd.
using service::carry_over;
using service::ControlServer;
using service::load_router_keys;
using service::MetricSample;
using service::MetricsRegistry;
using service::MetricsServer;
using service::MetricType;
using service::register_rtr_metrics;
using service::RouterKey;
using service::RouterKeys;
using service::RpkiFiles;
using service::ValidationPool;

// The RFC 8205 §5.2 route context of a BGPsec route with `attrs` for `prefix`
// (speaker_bgpsec.cpp): AFI/SAFI from MP_REACH_NLRI and whether an AS_PATH came too. The
// UPDATE-level facts (prefix count, NLRI placement) keep their one-prefix defaults; on receipt
// the caller sets them from the UPDATE.
[[nodiscard]] bgpsec::RouteContext route_context_of(const wire::PathAttributes& attrs,
                                                    const base::Prefix& prefix);

// Counters for one neighbor that the RIB side keeps (the session's own are in PeerCounters).
struct NeighborStats {
  std::uint64_t update_errors = 0;  // RFC 7606 errors in received UPDATEs
  std::uint64_t withdrawals_received =
      0;                                // prefixes the peer withdrew (Withdrawn Routes, MP_UNREACH)
  std::uint64_t treat_as_withdraw = 0;  // UPDATEs whose routes were treated as withdrawn
  std::uint64_t rejected_by_policy = 0;
  std::uint64_t loops = 0;  // routes with our AS in the path (RFC 4271 §9.1.2)
  std::uint64_t max_prefix_exceeded = 0;
  std::uint64_t signed_updates = 0;  // BGPsec UPDATEs we signed for this peer (RFC 8205 §4)
  std::uint64_t sign_failures = 0;   // routes sent unsigned because signing failed
  // RFC 8374 §8.4.2 (remove_private_as): private ASNs removed from AS_PATHs sent to this peer,
  // and routes sent with private ASNs left in their Secure_Path (signatures cover them).
  std::uint64_t private_asns_removed = 0;
  std::uint64_t private_as_kept_signed = 0;
  // RFC 8205 §5.2 failures of a received BGPsec_PATH (also in update_errors), and of those
  // the ones whose signatures were stripped (syntax_error_action = "strip", RFC 8374 §8.5).
  std::uint64_t bgpsec_syntax_errors = 0;
  std::uint64_t bgpsec_stripped = 0;
  std::uint64_t logs_suppressed = 0;  // remote-caused warnings left out by the rate limit
  // RFC 8374 §8.1: signed routes whose signatures were never checked because origin
  // validation and import policy reject them whatever the result, and their signatures.
  std::uint64_t validations_avoided = 0;
  std::uint64_t signatures_not_verified = 0;
  // RFC 8374 §8.7: signed routes installed "validation deferred" ([bgpsec] defer_when_queued).
  std::uint64_t validations_deferred = 0;
  // RFC 8374 §9.4 ([bgpsec] validation_order = "best-first"): signed routes left unchecked
  // because the prefix's best route beat them whatever their signatures said, and of those the
  // ones checked later because the best changed.
  std::uint64_t validations_postponed = 0;
  std::uint64_t postponed_checked = 0;
  // RFC 7313 §4 Enhanced Route Refresh markers, sent (around a re-sent Adj-RIB-Out) and
  // received (around the peer's), and routes removed at the peer's EoRR or its timer.
  std::uint64_t borr_sent = 0;
  std::uint64_t eorr_sent = 0;
  std::uint64_t borr_received = 0;
  std::uint64_t eorr_received = 0;
  std::uint64_t refresh_stale_removed = 0;
  // RFC 9234 §5 route leaks: received routes the OTC ingress rules made ineligible, and routes
  // the egress rules held back from this peer (each route once, not on every re-export).
  std::uint64_t route_leaks_in = 0;
  std::uint64_t route_leaks_out = 0;
};

// How bgpsecd was started (its flags, man/bgpsecd.8.md).
struct SpeakerOptions {
  // -R: we restarted and kept forwarding (RFC 4724 §4.1). The first OPEN to each peer sets
  // the Restart State bit and the F bit of every family; our table (and End-of-RIB) goes out
  // once every graceful-restart peer sent its End-of-RIB, or after global.graceful_restart_time.
  bool graceful_restart = false;
  // What the program was built from, for the bgpsecd_build_info metric (empty: not exported).
  std::string build_version;
  std::string build_revision;
};

// TCP-AO keys in `config` need a kernel with TCP-AO (Linux 6.7+, CONFIG_TCP_AO): checked at
// start and before a reload applies anything, the error naming a neighbor that has keys.
[[nodiscard]] base::Result<void> check_tcp_ao_support(const Config& config);

// The ingress states (RFC 6811 origin, ASPA) of one received route, as computed when it
// arrived, with what they depended on besides the route: the RPKI snapshot (held, so that its
// address is not reused) and the configuration's generation. A signed route is imported twice,
// on arrival (RFC 8374 §8.1: can anything admit it?) and when its signatures are checked; the
// second import takes these instead of walking the VRPs again while both are current.
struct KnownIngress {
  rib::OriginState origin = rib::OriginState::NotFound;
  rib::AspaState aspa = rib::AspaState::Unverified;
  rpki::SnapshotPtr rpki;
  std::uint64_t config_generation = 0;
};

class Speaker {
 public:
  // `config_path` is re-read by reload(). Call start() once.
  Speaker(asio::io_context& io, Config config, std::string config_path,
          SpeakerOptions options = {});
  Speaker(const Speaker&) = delete;
  Speaker& operator=(const Speaker&) = delete;
  Speaker(Speaker&&) = delete;
  Speaker& operator=(Speaker&&) = delete;
  ~Speaker();

  // Binds the listeners, the control socket and the metrics endpoint, loads RPKI files,
  // starts the RTR caches and the sessions. An error (a port in use, a bad key directory)
  // leaves nothing running.
  [[nodiscard]] base::Result<void> start();
  // Cease / Administrative Shutdown to every session, closes everything.
  void stop();
  // Re-reads the config file; applies what changed (ConfigDiff) without touching the sessions
  // the change does not concern. On error nothing changes and the error names file:line.
  [[nodiscard]] base::Result<nlohmann::json> reload();

  // The control API views (shapes in control_text.hpp).
  [[nodiscard]] base::Result<nlohmann::json> show_neighbors(const nlohmann::json& args) const;
  [[nodiscard]] base::Result<nlohmann::json> show_routes(const nlohmann::json& args) const;
  // The Loc-RIB as MRT TABLE_DUMP_V2 records (speaker_mrt.cpp), a page at a time.
  [[nodiscard]] base::Result<nlohmann::json> dump_mrt(const nlohmann::json& args) const;
  [[nodiscard]] nlohmann::json show_rpki() const;
  // The validation servers ([[validation_server]]) and what they do for us.
  [[nodiscard]] nlohmann::json show_validation() const;
  [[nodiscard]] base::Result<nlohmann::json> clear_neighbor(const nlohmann::json& args);
  // The BMP stations ([[bmp]]) and what went to them (speaker_bmp.cpp).
  [[nodiscard]] nlohmann::json show_bmp() const;

  [[nodiscard]] const Config& config() const noexcept { return config_; }
  [[nodiscard]] const rib::LocRib& loc_rib() const noexcept { return loc_rib_; }

 private:
  struct Neighbor;
  using NeighborPtr = std::unique_ptr<Neighbor>;

  // ----- sessions -----
  base::Result<void> add_neighbor(const NeighborConfig& config);
  void remove_neighbor(const std::string& name, std::uint8_t cease_subcode);
  Neighbor* find_neighbor(const std::string& name) const;
  void on_established(Neighbor& n, const session::Negotiated& negotiated);
  void on_down(Neighbor& n, const session::SessionDown& down);
  void on_update(Neighbor& n, wire::DecodedUpdate&& update);
  // ----- route refresh (speaker_refresh.cpp) -----
  void on_route_refresh(Neighbor& n, const wire::RouteRefreshMessage& refresh);
  // RFC 7313 §4, the peer's BoRR / EoRR (or the EoRR timer) for one family.
  void begin_peer_refresh(Neighbor& n, base::Afi afi);
  void end_peer_refresh(Neighbor& n, base::Afi afi);
  // RFC 4724 §4.1 (restarting speaker, -R): the End-of-RIB markers our table waits for.
  void on_end_of_rib(Neighbor& n, base::Afi afi);
  [[nodiscard]] bool awaiting_end_of_rib(const Neighbor& n) const;
  void check_deferral();
  void end_deferral(const char* why);

  // ----- import -----
  // Builds the Loc-RIB candidate of a received route: validation states, import policy,
  // preference. nullopt when the route is rejected (policy, loop, drop options).
  // `count` false: a trial run that leaves the neighbor's counters alone.
  // `known`: the ingress states computed for this very route earlier (see KnownIngress).
  std::optional<rib::Route> import_route(Neighbor& n, const rib::Route& received, bool count = true,
                                         const KnownIngress* known = nullptr);
  // The RFC 6811 origin state and the ASPA state `route` gets on import from `n` (the
  // Adj-RIB-In keeps routes as they arrived, without them); taken from `known` when that was
  // computed under the RPKI data and configuration still current.
  void set_ingress_states(const Neighbor& n, rib::Route& route,
                          const KnownIngress* known = nullptr) const;
  [[nodiscard]] KnownIngress ingress_of(const Neighbor& n, const rib::Route& route) const;
  [[nodiscard]] std::pair<rib::OriginState, rib::AspaState> ingress_states(
      const Neighbor& n, const rib::Route& route, const rpki::Snapshot& snapshot) const;
  void withdraw_from(Neighbor& n, const base::Prefix& prefix);
  // Re-runs import for every route of `n` (policy change, RPKI change).
  void reimport(Neighbor& n);
  // RFC 8374 §8.1 step 2: origin validation and import policy come before any crypto. True
  // when `received` would be rejected with a Valid path and with a Not Valid one alike, so
  // checking its signatures cannot change anything.
  [[nodiscard]] bool rejected_whatever_the_path(Neighbor& n, const rib::Route& received,
                                                const KnownIngress* known = nullptr);
  // Import again for one route of `n`'s Adj-RIB-In: Loc-RIB and export follow.
  void reimport_route(Neighbor& n, const rib::Route& received, const KnownIngress* known = nullptr);
  void reimport_all();
  std::size_t sweep_stale(Neighbor& n, std::optional<base::Afi> afi);  // routes removed

  // ----- BGPsec on import (speaker_bgpsec.cpp; the decisions are in import_decision.hpp) -----
  // What the import decisions read of `n` and [bgpsec]; `bgpsec_receive_negotiated` is for the
  // AFI of the route at hand.
  // What ASPA verification reads of `n` (speaker_aspa.cpp).
  [[nodiscard]] AspaSettings aspa_settings_of(const Neighbor& n) const;
  // Adds the prefixes of `n`'s routes whose ASPA state a change of `customers`' provider sets
  // (ascending) can change.
  void aspa_affected(const Neighbor& n, std::span<const base::Asn> customers,
                     std::set<base::Prefix>& affected) const;
  // Why an Invalid or Unknown route from an eBGP neighbor is so, for `show routes`; null
  // otherwise.
  [[nodiscard]] nlohmann::json aspa_detail(const rib::Route& route) const;
  [[nodiscard]] ImportSettings import_settings_of(const Neighbor& n,
                                                  bool bgpsec_receive_negotiated = true) const;
  // Hands the signatures of `route` (in n's Adj-RIB-In) to a validation server when n's routes
  // are validated there (speaker_outsourcing.cpp), else to the local workers; the result comes
  // back through on_server_result or on_validated.
  // `known` travels with the local check and serves the import of its result.
  void start_validation(Neighbor& n, const rib::Route& route,
                        const std::optional<KnownIngress>& known = std::nullopt);
  void start_local_validation(Neighbor& n, const rib::Route& route,
                              const std::optional<KnownIngress>& known);
  void on_validated(const std::string& neighbor, const base::Prefix& prefix, std::uint64_t token,
                    const bgpsec::PathValidation& validation, const KnownIngress* known);
  // RFC 8374 §8.7 under load ([bgpsec] defer_when_queued, speaker_deferral.cpp): true when
  // n's newly received route for `prefix` is installed deferred instead of checked now; it is
  // then remembered in Neighbor::deferred and counted.
  [[nodiscard]] bool defer_check(Neighbor& n, const base::Prefix& prefix);
  // Hands deferred routes to the workers while the queue has room for them (background
  // validation: their results update the state and the iBGP marking like any other).
  void start_deferred();
  // Routes in one of the Neighbor sets of unchecked routes (&Neighbor::deferred: deferred and
  // not yet handed over; &Neighbor::postponed), over all neighbors.
  [[nodiscard]] std::size_t unchecked_count(base::PrefixSet Neighbor::*which) const;
  // [bgpsec] validation_order = "best-first" (speaker_best_first.cpp, RFC 8374 §9.4): true when
  // n's newly received route loses to the prefix's best route even with a Valid path; it is
  // then installed Pending, unchecked, and remembered in Neighbor::postponed. `known` as for
  // import_route.
  [[nodiscard]] bool postpone_check(Neighbor& n, const rib::Route& received,
                                    const KnownIngress* known = nullptr);
  // True when `route` would beat `best` with some path state that import admits.
  [[nodiscard]] bool could_win(Neighbor& n, const rib::Route& route, const rib::Route& best,
                               const KnownIngress* known = nullptr);
  // The best route for `prefix` changed to `best` (nullptr: none): the postponed routes for it
  // that could win now, or are the best, are checked.
  void check_postponed(const base::Prefix& prefix, const rib::Route* best);
  // Every postponed route checked (validation_order changed back to "all" by reload).
  void check_all_postponed();
  // True for a route that waits for its first signature check: the Loc-RIB is left alone.
  [[nodiscard]] static bool awaiting_validation(const Neighbor& n, const rib::Route& received);
  // True while a worker checks the signatures of n's route for `prefix`.
  [[nodiscard]] static bool validation_in_flight(const Neighbor& n, const base::Prefix& prefix);
  // RFC 8374 §9.2: re-runs validation and import for the routes of `n` that `change` can
  // affect (prefixes under a changed VRP, BGPsec paths signed with a changed key). Returns
  // how many routes it looked at again.
  std::size_t revalidate(Neighbor& n, const rpki::ChangeSet& change);

  // ----- validation servers (speaker_outsourcing.cpp; RFC 8374 §9.3.2, docs/srx-proxy.md §10)
  // -----
  void start_validation_servers();
  // True when `route`'s signatures go to a server: n's mode is not local and servers exist.
  // Paths with Confed_Segments stay here: servers take the router to be outside any
  // confederation.
  [[nodiscard]] bool outsourced(const Neighbor& n, const rib::Route& route) const;
  // Submits `route` to the servers (holding it there for later result changes) and marks it in
  // flight; false when the request cannot be encoded, then the caller checks it here.
  bool submit_to_server(Neighbor& n, const rib::Route& route);
  void on_server_result(const srx_client::ResultEvent& event);
  void on_server_state(std::size_t index, srx_client::ProxyState state, const std::string& why,
                       bool available);
  // No server answered for [validation] fallback_after: what waits for one is validated here
  // (server-or-local) or installed "validation deferred" (server).
  void fall_back_from_servers();
  void arm_server_fallback();
  // The servers let go of n's route for `prefix` / of all n's routes.
  void release_outsourced(Neighbor& n, const base::Prefix& prefix);
  void release_all_outsourced(Neighbor& n);
  // After a reload: PEER_CHANGE to the servers for every peer AS that came or went, so that
  // their view of our peers (the HELLO's list) stays true without a new session.
  void tell_servers_peer_changes(const Config& old);
  void register_validation_server_metrics();
  // [validation] signing = "server" (RFC 8374 §9.3.2): asks the server that holds the route
  // `update` sends on to sign it for n (SIGN_REQUEST). NotUsed: sign here as usual.
  enum class ServerSigning : std::uint8_t { Asked, NotUsed, Unsigned };
  ServerSigning sign_through_server(Neighbor& n, const rib::OutUpdate& update);
  void on_server_signed(srx_client::RouteKey key, const srx_client::SignParameters& parameters,
                        base::Result<base::Bytes, srx::SrxError> answer);
  // A signature the server will not give: signing_fallback decides (logged, counted).
  void server_signing_failed(Neighbor& n, const rib::OutUpdate& update, const std::string& why);
  // The neighbor `pending` was asked for, when it still waits for that answer (no newer
  // UPDATE for the prefix) and its session is up; the wait ends either way.
  struct PendingSign;
  Neighbor* still_waiting(const PendingSign& pending);
  // Signing requests no server answered for long: signing_fallback decides for them.
  void expire_server_signing(bool all);
  void arm_server_signing_check();

  // ----- export -----
  void export_change(const rib::BestChange& change);
  void export_prefix(Neighbor& n, const base::Prefix& prefix, const rib::Route* best);
  // RFC 9234 §5 egress to a neighbor with a role: adds our OTC to `attrs` where it goes, or
  // counts the route as held back (once per route). Returns whether it may be sent.
  bool apply_otc_egress(Neighbor& n, const rib::Route& best, wire::PathAttributes& attrs);
  void send(Neighbor& n, const rib::OutUpdate& update);
  // The UPDATE for `update` on the wire. A route to be signed is signed with `server_signed`
  // when given (a validation server signed it), else with our keys when `sign_here`, else it
  // goes unsigned (RFC 8205 §4: the AS_PATH it would have had without BGPsec).
  void transmit(Neighbor& n, const rib::OutUpdate& update,
                std::optional<wire::BgpsecPath> server_signed, bool sign_here);
  // RFC 8205 §4.2: our BGPsec_PATH for `update` towards `n` (originated or forwarded),
  // signed by `providers` (our router keys; the view passes stand-ins that only say which).
  [[nodiscard]] base::Result<wire::BgpsecPath> sign_for(
      const Neighbor& n, const rib::OutUpdate& update,
      const std::vector<const bgpsec::SignatureProvider*>& providers) const;
  // Our keys as signers, in the order they sign.
  [[nodiscard]] std::vector<const bgpsec::SignatureProvider*> signature_providers() const;
  // The attributes `update` went out with: the signed BGPsec_PATH's Secure_Path and SKIs
  // (signature octets left empty: ECDSA gives new ones at every signing), or the unsigned
  // form when signing failed.
  [[nodiscard]] rib::Route as_sent(const Neighbor& n, const rib::OutUpdate& update) const;
  // RFC 8374 §8.4.2: counts (and logs, rate limited) what remove_private_as did for `prefix`.
  void count_private_as_removal(Neighbor& n, const base::Prefix& prefix,
                                const rib::ExportResult& result);
  // Our table to `n` (a new session, the end of the restart deferral, a soft reset out),
  // then End-of-RIB; in slices, between which the I/O thread serves everything else
  // (speaker_table.cpp). Starting again while a walk is under way restarts it.
  void send_table(Neighbor& n);
  // One slice of the walk numbered `epoch` (Neighbor::table_epoch); schedules the next.
  void send_table_slice(Neighbor& n, std::uint64_t epoch);
  // The walk is through: End-of-RIB per family, and the log line.
  void finish_table(Neighbor& n);
  // Ends the walk under way to `n`, if any: its session went down.
  static void stop_table(Neighbor& n);
  // The routes of `n`'s ended session (or of `n`, removed by a reload) leave the Loc-RIB, in
  // slices like the table above (speaker_departure.cpp): removing a full table held the I/O
  // thread for seconds.
  void remove_routes_of(Neighbor& n);
  struct Departure {
    std::string neighbor;  // its name: a route its new session sent again must stay
    rib::PeerKey key;
    rib::AdjRibIn::Routes routes;  // still to remove, in prefix order
    std::size_t total = 0;
    std::chrono::steady_clock::time_point started;
  };
  // One slice of a departure; schedules the next.
  void remove_departure_slice(std::list<Departure>::iterator it);
  // The Adj-RIB-Out of `n` sent again as it stands (signed afresh), for one family or all
  // negotiated ones (RFC 2918 §4, and soft reset out), between BoRR and EoRR when Enhanced
  // Route Refresh was negotiated (RFC 7313 §4); returns the routes sent (speaker_refresh.cpp).
  std::size_t resend_adj_rib_out(Neighbor& n, std::optional<base::Afi> only);

  // ----- our router keys (speaker_keys.cpp) -----
  // Takes `keys` (reloaded) as the keys we sign with and appends what changed to `changes`.
  // When the active key changed, every route already signed for a BGPsec peer is signed with
  // the new key and sent again, paced (resign_next), so the peers learn the new SKI (RFC 8634
  // §4) without a burst of UPDATEs.
  void use_router_keys(RouterKeys keys, nlohmann::json& changes);
  void log_router_keys() const;
  // Queues the signed routes of every established neighbor for signing again.
  void start_resign();
  // Signs and sends the next batch of the queue; schedules the one after.
  void resign_next();
  void stop_resign();
  // Our router keys and their use, for show rpki.
  [[nodiscard]] nlohmann::json signing_keys_json() const;
  void register_key_metrics();
  // A warning when the RPKI change took our active signing key away (RFC 8205 §5.2: peers then
  // see our routes Not Valid), a note when it came (back).
  void warn_if_signing_key_left(const rpki::ChangeSet& change);
  // When the JSON files' entry for our active key expires (RpkiFiles::router_key_expiry).
  [[nodiscard]] std::optional<std::int64_t> signing_key_expiry(const RouterKey& key) const;
  // A warning while the RPKI entry of our active key expires within [bgpsec]
  // key_expiry_warning; runs at start, after each RPKI change and every hour.
  void check_signing_key_expiry();
  void arm_key_expiry_check();

  // ----- BMP to the [[bmp]] stations (speaker_bmp.cpp, docs/bmp.md) -----
  // Brings the stations in line with config_.bmp (start and reload); `changes` gets a line
  // per station added or removed.
  void configure_bmp(nlohmann::json* changes);
  void stop_bmp();                     // Termination to every station
  void bmp_station_up(BmpStation& s);  // Initiation, then every table the station wants
  void bmp_send_stats(BmpStation& s);
  void register_bmp_metrics();
  void register_aspa_metrics();
  // The hooks: a session came up or went down, an UPDATE arrived (pre-policy), import
  // accepted a route or not (post-policy; `accepted` nullptr: not), the best route changed.
  void bmp_peer_up(const Neighbor& n);
  void bmp_peer_down(const Neighbor& n, const session::SessionDown& down);
  void bmp_received(const Neighbor& n, const wire::UpdateMessage& update);
  void bmp_imported(const Neighbor& n, const base::Prefix& prefix, const rib::Route* accepted);
  void bmp_best(const rib::BestChange& change);
  // Helpers of the above.
  [[nodiscard]] bmp::PeerHeader bmp_peer_header(const Neighbor& n, bool post_policy) const;
  [[nodiscard]] bmp::PeerHeader bmp_loc_rib_header() const;
  void bmp_send(const std::function<void(BmpStation&)>& fn);  // to every station that is up
  void bmp_route(BmpStation& s, const bmp::PeerHeader& peer, const wire::UpdateMessage& update,
                 bool resync);
  void bmp_peer_up_to(BmpStation& s, const Neighbor& n, bool resync);
  void bmp_dump_neighbor(BmpStation& s, const Neighbor& n);

  // ----- our networks, RPKI -----
  void originate_networks();
  base::Result<void> load_rpki_files();
  // Brings the RTR caches in line with config_.rpki (at start and on reload): creates and
  // starts the cache set when there is none yet, else reconfigures it. Returns the changes as
  // reload reports them (empty when nothing changed).
  std::vector<std::string> configure_rtr_caches();
  void on_rpki_change(const rpki::ChangeSet& change);
  void register_control();
  void register_metrics();
  void register_validation_metrics();
  // The worker pool, signature cache and key tables, for show rpki.
  [[nodiscard]] nlohmann::json validation_json() const;
  // self_ and local_peer_ from config_.global (AS, router id).
  void set_identity();
  // The BGP listener / metrics server for these endpoints (none for an unset metrics one).
  [[nodiscard]] base::Result<std::unique_ptr<session::Listener>> make_listener(
      const std::vector<Endpoint>& endpoints);
  // TCP-AO (RFC 5925): the neighbor's keys usable now on the listening sockets.
  [[nodiscard]] base::Result<void> install_listener_ao_keys(const NeighborConfig& config);
  // Every neighbor's TCP-AO keys brought to what their lifetimes say now, on the listening
  // sockets and the sessions; armed again for the next start or end of a lifetime.
  void refresh_tcp_ao();
  [[nodiscard]] base::Result<std::shared_ptr<MetricsServer>> make_metrics_server(
      const std::optional<Endpoint>& endpoint);

  asio::io_context& io_;
  Config config_;
  std::string config_path_;
  rib::LocalSpeaker self_;
  rib::AttributeStore attributes_;
  rib::LocRib loc_rib_;
  std::list<Departure> departures_;  // routes of ended sessions still leaving the Loc-RIB
  rib::PeerHandle local_peer_;       // the source of our own networks
  std::map<std::string, NeighborPtr> neighbors_;
  std::unique_ptr<session::Listener> listener_;
  RouterKeys signers_;  // our router key(s), [bgpsec] key_dir / key_files
  // Routes waiting to be signed with a new active key and sent again (resign_next).
  struct ResignItem {
    std::string neighbor;
    base::Prefix prefix;
  };
  std::deque<ResignItem> resign_queue_;
  std::unique_ptr<asio::steady_timer> resign_timer_;
  std::unique_ptr<asio::steady_timer> key_expiry_timer_;
  std::unique_ptr<asio::steady_timer> tcp_ao_timer_;  // next TCP-AO key lifetime boundary
  std::uint64_t routes_resigned_ = 0;                 // sent again after a change of the active key
  rpki::RpkiStore rpki_;
  // [rpki] files, SLURM and RTR caches feeding rpki_.
  service::RpkiFeed rpki_feed_;
  std::shared_ptr<ControlServer> control_;
  std::unique_ptr<MetricsRegistry> metrics_;
  std::shared_ptr<MetricsServer> metrics_server_;
  std::uint32_t received_seq_ = 0;  // wraps; see rib::Route::received_seq
  std::uint64_t rpki_changes_ = 0;
  std::uint64_t routes_revalidated_ = 0;
  std::uint64_t last_change_routes_ = 0;  // routes the latest RPKI change looked at again
  bool started_ = false;
  SpeakerOptions options_;
  // RFC 4724 §4.1: while set (-R, until every graceful-restart peer sent End-of-RIB or the
  // deferral timer fired) no table goes out (send_table marks the neighbor instead).
  bool deferring_ = false;
  std::unique_ptr<asio::steady_timer> deferral_timer_;
  std::uint64_t validation_seq_ = 0;  // tokens of validation requests (Neighbor::validating)
  // Counts the configurations applied (speaker_reload.cpp): a KnownIngress of an older one is
  // not used.
  std::uint64_t config_generation_ = 0;
  // Routes ever deferred (RFC 8374 §8.7): NeighborStats::validations_deferred of all peers.
  std::uint64_t validations_deferred_ = 0;
  // Routes whose signatures a validation server checks, by the key the servers know them by.
  struct OutsourcedRoute {
    std::string neighbor;
    base::Prefix prefix;
    std::uint64_t token = 0;  // of Neighbor::validating, while the first answer is awaited
  };
  std::map<srx_client::RouteKey, OutsourcedRoute> outsourced_;
  srx_client::RouteKey next_route_key_ = 1;
  // No server has answered for [validation] fallback_after (fall_back_from_servers).
  bool servers_unavailable_ = false;
  std::unique_ptr<asio::steady_timer> server_fallback_timer_;
  std::uint64_t server_results_ = 0;            // path results a server gave us (first or changed)
  std::uint64_t server_fallback_local_ = 0;     // routes checked here because no server answered
  std::uint64_t server_fallback_deferred_ = 0;  // routes installed deferred for the same reason
  // SIGN_REQUESTs on their way, by the route key they name; one route may be asked for by
  // several neighbors (their peer AS differs).
  struct PendingSign {
    std::string neighbor;
    rib::OutUpdate update;
    srx_client::SignParameters parameters;
    std::uint64_t generation = 0;  // of Neighbor::server_signing
    std::chrono::steady_clock::time_point asked;
  };
  std::multimap<srx_client::RouteKey, PendingSign> pending_signs_;
  std::uint64_t sign_generation_ = 0;
  std::unique_ptr<asio::steady_timer> server_signing_timer_;
  std::uint64_t server_signed_ = 0;             // routes sent signed by a server
  std::uint64_t server_signing_fallbacks_ = 0;  // routes signed here or sent unsigned instead
  std::unique_ptr<srx_client::ServerPool> validation_servers_;
  std::map<std::string, std::shared_ptr<BmpStation>> bmp_stations_;  // by address text
  // Last members: the pool's workers stop before anything they read goes away.
  std::unique_ptr<bgpsec::CachingSignatureVerifier> verifier_;
  std::unique_ptr<ValidationPool> validation_pool_;
};

}  // namespace bgpsecd::daemon
