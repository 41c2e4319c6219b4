// The BGP speaker: the running daemon's state and the wiring between its parts (DESIGN.md "How
// an update flows"): one session::Peer per configured neighbor, the Adj-RIBs-In/Out, the
// Loc-RIB and the decision, import/export policy, route origin validation and BGPsec path
// validation from the RPKI store (fed by RTR caches and files), our own networks, and the
// control API / metrics views of all of it. Everything runs on one io_context thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio.hpp>
#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "daemon/config.hpp"
#include "daemon/router_keys.hpp"
#include "rib/adj_rib_in.hpp"
#include "rib/adj_rib_out.hpp"
#include "rib/attribute_store.hpp"
#include "rib/loc_rib.hpp"
#include "rpki/rpki_store.hpp"
#include "rpki/rtr_cache_set.hpp"
#include "session/listener.hpp"
#include "session/peer.hpp"

namespace bgpsecd::daemon {

class ControlServer;
class MetricsRegistry;

// Counters for one neighbor that the RIB side keeps (the session's own are in PeerCounters).
struct NeighborStats {
  std::uint64_t update_errors = 0;      // RFC 7606 errors in received UPDATEs
  std::uint64_t treat_as_withdraw = 0;  // UPDATEs whose routes were treated as withdrawn
  std::uint64_t rejected_by_policy = 0;
  std::uint64_t loops = 0;  // routes with our AS in the path (RFC 4271 §9.1.2)
  std::uint64_t max_prefix_exceeded = 0;
  std::uint64_t signed_updates = 0;  // BGPsec UPDATEs we signed for this peer (RFC 8205 §4)
  std::uint64_t sign_failures = 0;   // routes sent unsigned because signing failed
};

class Speaker {
 public:
  // `config_path` is re-read by reload(). Call start() once.
  Speaker(asio::io_context& io, Config config, std::string config_path);
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
  [[nodiscard]] nlohmann::json show_rpki() const;
  [[nodiscard]] base::Result<nlohmann::json> clear_neighbor(const nlohmann::json& args);

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
  void on_route_refresh(Neighbor& n, const wire::RouteRefreshMessage& refresh);

  // ----- import -----
  // Builds the Loc-RIB candidate of a received route: validation states, import policy,
  // preference. nullopt when the route is rejected (policy, loop, drop options).
  std::optional<rib::Route> import_route(Neighbor& n, const rib::Route& received);
  void withdraw_from(Neighbor& n, const base::Prefix& prefix);
  // Re-runs import for every route of `n` (policy change, RPKI change).
  void reimport(Neighbor& n);
  void reimport_all();
  void sweep_stale(Neighbor& n, std::optional<base::Afi> afi);

  // ----- export -----
  void export_change(const rib::BestChange& change);
  void export_prefix(Neighbor& n, const base::Prefix& prefix, const rib::Route* best);
  void send(Neighbor& n, const rib::OutUpdate& update);
  // RFC 8205 §4.2: our BGPsec_PATH for `update` towards `n` (originated or forwarded).
  [[nodiscard]] base::Result<wire::BgpsecPath> sign_for(const Neighbor& n,
                                                        const rib::OutUpdate& update) const;
  void send_table(Neighbor& n);

  // ----- our networks, RPKI -----
  void originate_networks();
  base::Result<void> load_rpki_files();
  void on_rpki_change(const rpki::ChangeSet& change);
  [[nodiscard]] std::size_t accepted_count(const Neighbor& n) const;
  void register_control();
  void register_metrics();

  asio::io_context& io_;
  Config config_;
  std::string config_path_;
  rib::LocalSpeaker self_;
  rib::AttributeStore attributes_;
  rib::LocRib loc_rib_;
  rib::PeerHandle local_peer_;  // the source of our own networks
  std::map<std::string, NeighborPtr> neighbors_;
  std::unique_ptr<session::Listener> listener_;
  RouterKeys signers_;  // our router key(s), [bgpsec] key_dir / key_files
  rpki::RpkiStore rpki_;
  std::unique_ptr<rpki::RtrCacheSet> caches_;
  rpki::RpkiData file_data_;  // what the configured files contribute to rpki_
  std::shared_ptr<ControlServer> control_;
  std::unique_ptr<MetricsRegistry> metrics_;
  std::shared_ptr<class MetricsServer> metrics_server_;
  std::uint64_t received_seq_ = 0;
  std::uint64_t rpki_changes_ = 0;
  std::uint64_t routes_revalidated_ = 0;
  bool started_ = false;
};

}  // namespace bgpsecd::daemon
