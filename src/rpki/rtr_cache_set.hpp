// SPDX-License-Identifier: BSD-2-Clause
// Several RPKI caches as one source (RFC 8210 §10): caches are grouped by preference, the
// router talks to the most preferred group and falls back to the next one only while no cache
// of the better groups is in sync. The data of all caches in use is merged (a VRP or key
// announced by two caches stays until both withdraw it) and applied to the RpkiStore; every
// applied change goes to the owner as a ChangeSet, the feed for revalidation. ASPA records of
// several caches for one customer unite in the store (docs/aspa.md §11.4).
// A cache that is lost keeps its data until its Expire interval has passed (RtrClient's rule).
// RFC 8416 SLURM filters (set_slurm) drop matching VRPs, router keys and ASPAs before they reach
// the store; SLURM assertions are not added here (the owner adds them once, beside the files). The
// configured caches can be replaced while running (reconfigure, for a reload).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <asio.hpp>

#include "rpki/rpki_store.hpp"
#include "rpki/rtr_transport.hpp"
#include "rpki/slurm.hpp"

namespace bgpsecd::rpki {

struct RtrCacheStatus {
  std::string name;
  std::uint8_t preference = 0;
  bool active = false;     // we are talking to it (its group is in use)
  bool connected = false;  // TCP up
  bool in_sync = false;    // holds a committed data set
  std::optional<std::uint16_t> session_id;
  std::optional<std::uint32_t> serial;
  std::uint8_t version = 0;
  std::size_t vrps = 0;         // received from the cache (before SLURM filters)
  std::size_t router_keys = 0;  // received from the cache (before SLURM filters)
  std::size_t aspas = 0;        // ASPA records held from the cache (before SLURM filters)
  std::uint64_t updates = 0;    // committed transactions
  std::uint64_t connects = 0;
  // How often this cache's data was dropped, per RtrDropReason (index = its value).
  std::array<std::uint64_t, kRtrDropReasons.size()> drops{};
};

// What RtrCacheSet::reconfigure changed, by cache name ("host:port").
struct RtrCacheChanges {
  std::vector<std::string> added;
  std::vector<std::string> removed;
  std::vector<std::string> changed;  // same address, another preference or version
  bool failover_changed = false;
  [[nodiscard]] bool empty() const noexcept {
    return added.empty() && removed.empty() && changed.empty() && !failover_changed;
  }
};

class RtrCacheSet {
 public:
  struct Handlers {
    // After each change applied to the store (never with an empty ChangeSet).
    std::function<void(const ChangeSet&)> on_change;
    std::function<void(RtrLogLevel, const std::string&)> on_log;
  };

  // `failover_after`: how long the caches in use may all be unusable (not connected, or
  // connected without a complete data set) before the next preference group is started.
  RtrCacheSet(asio::io_context& io, RpkiStore& store, std::vector<RtrCacheConfig> caches,
              Handlers handlers, std::chrono::seconds failover_after = std::chrono::seconds(10));
  RtrCacheSet(const RtrCacheSet&) = delete;
  RtrCacheSet& operator=(const RtrCacheSet&) = delete;
  RtrCacheSet(RtrCacheSet&&) = delete;
  RtrCacheSet& operator=(RtrCacheSet&&) = delete;
  ~RtrCacheSet();

  // Connects to the caches of the most preferred group (none configured: nothing yet).
  void start();
  void stop();
  [[nodiscard]] std::vector<RtrCacheStatus> status() const;

  // Makes `caches` the configured set (a reload); a cache is known by its address. One whose
  // configuration is unchanged keeps its session and its data. One no longer configured is
  // disconnected and its data leaves the store (a change through on_change, like any other).
  // One with the same address and another preference or version is disconnected, its data
  // withdrawn, and connected again with the new settings. A new one is connected when its
  // preference group is in use, or becomes the group in use when none of the remaining caches
  // is in one (RFC 8210 §10). Nothing is connected before start().
  RtrCacheChanges reconfigure(std::vector<RtrCacheConfig> caches,
                              std::chrono::seconds failover_after);

  // Applies the filters of `slurm` (nullptr: none) to all cache data from now on, and to what
  // is held now, as one change to the store. On error (the store refused the change; a bug,
  // not bad data) nothing changes and the error says why.
  [[nodiscard]] base::Result<void> set_slurm(std::shared_ptr<const Slurm> slurm);

 private:
  using VrpKey = std::tuple<base::Prefix, std::uint8_t, base::Asn>;
  using KeyKey = std::tuple<base::Asn, base::Ski, crypto::EcPoint>;
  // An ASPA record as the client hands it out (providers sorted, unique), and how often this
  // cache holds it (StayRTR 0.5 sends one record per AFI, often the same set twice).
  using AspaKey = std::pair<base::Asn, std::vector<base::Asn>>;
  struct Cache {
    RtrCacheConfig config;
    std::shared_ptr<RtrTcpSession> session;
    // What this cache contributes to the store right now.
    std::set<VrpKey> vrps;
    std::map<KeyKey, RouterKeyEntry> keys;
    std::map<AspaKey, std::uint32_t> aspas;
    std::uint64_t updates = 0;
    std::array<std::uint64_t, kRtrDropReasons.size()> drops{};
    bool in_sync = false;
  };

  void activate(Cache& cache);
  // Closes the cache's session (logged with `why`) and takes its data out of the store.
  void deactivate(Cache& cache, const std::string& why);
  // Connects the caches of the groups in use (from the most preferred group when no cache is
  // in one), and starts the failover clock when none of them is usable.
  void connect_groups();
  void on_update(Cache& cache, const RtrDataUpdate& update);
  // `why` is empty when we let the cache go ourselves (deactivate), which is not counted.
  void on_drop_all(Cache& cache, std::optional<RtrDropReason> why);
  // True when the delta was applied (or empty); false, after a log line, when the store
  // refused it. Callers change their records only on true.
  bool apply(Delta delta);
  [[nodiscard]] bool filtered(const VrpEntry& vrp) const;
  [[nodiscard]] bool filtered(const RouterKeyEntry& key) const;
  [[nodiscard]] bool filtered(const AspaKey& record) const;
  // Each held ASPA record (as often as held) that `keep` accepts, into `delta` as `announce`.
  static void add_aspas(const std::map<AspaKey, std::uint32_t>& aspas, bool announce,
                        const std::function<bool(const AspaKey&)>& keep, Delta& delta);
  // Once a second: starts the next group when no cache in use has been usable for
  // failover_after; stops the worse groups when a better cache is usable again.
  void rebalance();
  void arm_tick();
  void log(RtrLogLevel level, const std::string& message) const;

  asio::io_context& io_;
  RpkiStore& store_;
  Handlers handlers_;
  std::vector<std::unique_ptr<Cache>> caches_;  // sorted by preference
  std::chrono::seconds failover_after_;
  std::uint8_t active_up_to_ = 0;  // groups with preference <= this are in use
  asio::steady_timer tick_;
  std::optional<std::chrono::steady_clock::time_point> out_of_sync_since_;
  std::shared_ptr<const Slurm> slurm_;  // its filters apply to everything the caches send
  bool stopped_ = true;
};

}  // namespace bgpsecd::rpki
