// SPDX-License-Identifier: BSD-2-Clause
// The daemon's RPKI inputs beside the RTR caches (bgpsecd.conf(5) [rpki]): the rpki-client /
// StayRTR JSON `files` and the RFC 8416 `slurm` file, with their VRPs, router keys and ASPAs
// (ASPA records of all sources unite per customer in the store, docs/aspa.md §11.4). The files are
// re-read every `reload_interval`, and a timer at the earliest `expires` of the loaded entries
// takes expired ones out. SLURM filters apply to the files here and to the caches' data in
// RtrCacheSet (the owner passes on_slurm to RtrCacheSet::set_slurm); SLURM assertions are added
// here, once (RFC 8416 §4). Also the RTR cache metric families, built from RtrCacheSet::status().
// Everything runs on the io_context's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio.hpp>
#include <nlohmann/json.hpp>

#include "base/asn.hpp"
#include "base/result.hpp"
#include "base/ski.hpp"
#include "rpki/rpki_json.hpp"
#include "rpki/rpki_store.hpp"
#include "rpki/rtr_cache_set.hpp"
#include "rpki/slurm.hpp"
#include "service/metrics.hpp"
#include "service/rpki_config.hpp"

namespace bgpsecd::service {

// Seconds since the Unix epoch (the clock of `expires`); rpki::unix_now outside tests.
using UnixClock = std::function<std::int64_t()>;

class RpkiFiles {
 public:
  struct Handlers {
    // After each change applied to the store (never with an empty ChangeSet).
    std::function<void(const rpki::ChangeSet&)> on_change;
    // The SLURM in use changed (nullptr: none); its filters are for the other sources.
    std::function<void(const std::shared_ptr<const rpki::Slurm>&)> on_slurm;
    // A timed re-read failed; the data in use stays. The message names the file and entry.
    std::function<void(const std::string&)> on_error;
  };

  // What load_files() read, ready to be committed.
  struct Loaded {
    RpkiConfig config;
    std::vector<rpki::RpkiData> files;  // per config.files entry, `expires` kept
    std::shared_ptr<const rpki::Slurm> slurm;
  };

  struct FileStatus {
    std::string path;
    std::size_t vrps = 0;  // entries not yet expired, before SLURM
    std::size_t router_keys = 0;
    std::size_t aspas = 0;  // records (a customer may have one per address family)
  };

  RpkiFiles(asio::io_context& io, rpki::RpkiStore& store, Handlers handlers,
            UnixClock now = rpki::unix_now);
  RpkiFiles(const RpkiFiles&) = delete;
  RpkiFiles& operator=(const RpkiFiles&) = delete;
  RpkiFiles(RpkiFiles&&) = delete;
  RpkiFiles& operator=(RpkiFiles&&) = delete;
  ~RpkiFiles();

  // Reads the SLURM file and the JSON files of `config` without changing anything (the first
  // phase of a reload). Errors start with the file name and name the entry.
  [[nodiscard]] base::Result<Loaded> load_files(const RpkiConfig& config) const;
  // Makes `loaded` the data in use: the files' contribution to the store (unexpired entries,
  // SLURM applied) is replaced as one change, on_slurm is called when the SLURM changed, and
  // the timers are armed for loaded.config.reload_interval and the earliest `expires`. On error
  // (the store refused the change; a bug, not bad data) nothing changes.
  [[nodiscard]] base::Result<void> commit(Loaded loaded);
  // load_files + commit.
  [[nodiscard]] base::Result<void> load(const RpkiConfig& config);
  // Takes out the entries whose `expires` has passed (what the expiry timer does).
  void expire();
  // Cancels the timers; nothing is called afterwards.
  void stop();

  [[nodiscard]] std::vector<FileStatus> files() const;
  [[nodiscard]] const std::shared_ptr<const rpki::Slurm>& slurm() const noexcept {
    return current_.slurm;
  }
  [[nodiscard]] const std::string& slurm_file() const noexcept {
    return current_.config.slurm_file;
  }
  // The earliest `expires` of the entries in use, if any has one.
  [[nodiscard]] std::optional<std::int64_t> next_expiry() const;
  // When the files' entry for router key (asn, ski) expires: the latest `expires` among the
  // files that list it. Empty when no file lists it or one lists it without `expires`.
  [[nodiscard]] std::optional<std::int64_t> router_key_expiry(base::Asn asn,
                                                              const base::Ski& ski) const;
  [[nodiscard]] std::uint64_t reloads() const noexcept { return reloads_; }
  [[nodiscard]] std::uint64_t reload_errors() const noexcept { return reload_errors_; }

 private:
  // The unexpired entries of `loaded` at `now`, without `expires`, with the SLURM applied.
  [[nodiscard]] static rpki::RpkiData contribution(const Loaded& loaded, std::int64_t now);
  // What the store holds on behalf of the files: their contribution at contributed_at_,
  // computed again rather than kept, since it is as large as the files themselves.
  [[nodiscard]] rpki::RpkiData in_store() const;
  // Makes `next`, the contribution at `now`, what the store holds on behalf of the files.
  [[nodiscard]] base::Result<void> replace(rpki::RpkiData next, std::int64_t now);
  void arm_timers();
  void on_reload_timer();

  rpki::RpkiStore& store_;
  Handlers handlers_;
  UnixClock now_;
  Loaded current_;
  // When the contribution now in the store was computed from current_ (contribution() is a
  // function of the loaded files and the time); empty before the first commit.
  std::optional<std::int64_t> contributed_at_;
  asio::steady_timer reload_timer_;
  asio::steady_timer expiry_timer_;
  std::uint64_t reloads_ = 0;
  std::uint64_t reload_errors_ = 0;
  bool stopped_ = false;
};

// ===== metrics =====

// bgpsecd_rtr_cache_in_sync{cache} and bgpsecd_rtr_data_dropped_total{cache,reason} (reason:
// rpki::rtr_drop_reason_name, every reason listed from the start), computed from `status` at
// each scrape.
void register_rtr_metrics(MetricsRegistry& metrics,
                          std::function<std::vector<rpki::RtrCacheStatus>()> status);

// The RPKI data in use and where it comes from, as `bgpsecctl show rpki` shows it: counts, the
// caches' states (`caches` may be null), the files and the SLURM (`files` may be null).
[[nodiscard]] nlohmann::json rpki_sources_json(const rpki::RpkiStore& rpki,
                                               const rpki::RtrCacheSet* caches,
                                               const RpkiFiles* files);

}  // namespace bgpsecd::service
