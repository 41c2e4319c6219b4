// SPDX-License-Identifier: BSD-2-Clause
// A daemon's RPKI sources as one thing: the [rpki] files and SLURM (RpkiFiles) and the RTR
// caches (rpki::RtrCacheSet) feeding one RpkiStore, with the SLURM's filters handed to the
// caches (RFC 8416 §4) and every change reported to the owner. bgpsecd and bgpsecvd both start
// and reconfigure their RPKI data through it. Runs on the io_context's thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <asio.hpp>
#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "rpki/rpki_store.hpp"
#include "rpki/rtr_cache_set.hpp"
#include "service/rpki_config.hpp"
#include "service/rpki_sources.hpp"

namespace bgpsecd::service {

class RpkiFeed {
 public:
  using OnChange = std::function<void(const rpki::ChangeSet&)>;

  // `store` must outlive the feed; `on_change` runs after every change applied to it.
  RpkiFeed(asio::io_context& io, rpki::RpkiStore& store, OnChange on_change);
  RpkiFeed(const RpkiFeed&) = delete;
  RpkiFeed& operator=(const RpkiFeed&) = delete;
  RpkiFeed(RpkiFeed&&) = delete;
  RpkiFeed& operator=(RpkiFeed&&) = delete;
  ~RpkiFeed();

  // The files and SLURM of `config`, read for the first time (later reloads go through
  // files()->load_files / commit). Logs what the SLURM holds. Errors name the file and entry.
  [[nodiscard]] base::Result<void> load_files(const RpkiConfig& config);
  // Brings the caches in line with config.caches: the set is created and started when there
  // are caches and none yet, else reconfigured (an unchanged cache keeps its session). Returns
  // what changed, one line each ("rpki cache 127.0.0.1:8282 added").
  std::vector<std::string> configure_caches(const RpkiConfig& config);
  // Cancels the files' timers and stops the caches; nothing is reported afterwards.
  void stop();

  [[nodiscard]] RpkiFiles* files() const noexcept {
    return files_.get();
  }  // null before load_files
  [[nodiscard]] rpki::RtrCacheSet* caches() const noexcept {
    return caches_.get();
  }  // null: none yet
  [[nodiscard]] std::vector<rpki::RtrCacheStatus> cache_status() const;
  // rpki_sources_json of the store, the caches and the files (bgpsecctl show rpki).
  [[nodiscard]] nlohmann::json json() const;

 private:
  asio::io_context& io_;
  rpki::RpkiStore& store_;
  OnChange on_change_;
  std::unique_ptr<RpkiFiles> files_;
  std::unique_ptr<rpki::RtrCacheSet> caches_;
};

}  // namespace bgpsecd::service
