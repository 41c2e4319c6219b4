// SPDX-License-Identifier: BSD-2-Clause
#include "service/rpki_feed.hpp"

#include <utility>

#include <spdlog/spdlog.h>

namespace bgpsecd::service {

RpkiFeed::RpkiFeed(asio::io_context& io, rpki::RpkiStore& store, OnChange on_change)
    : io_(io), store_(store), on_change_(std::move(on_change)) {}

RpkiFeed::~RpkiFeed() { stop(); }

base::Result<void> RpkiFeed::load_files(const RpkiConfig& config) {
  if (!files_) {
    files_ = std::make_unique<RpkiFiles>(
        io_, store_,
        RpkiFiles::Handlers{
            .on_change = [this](const rpki::ChangeSet& c) { on_change_(c); },
            .on_slurm =
                [this](const std::shared_ptr<const rpki::Slurm>& slurm) {
                  // RFC 8416 §4: the filters apply to the caches' data too.
                  if (caches_) {
                    if (auto set = caches_->set_slurm(slurm); !set) {
                      spdlog::error("rpki: slurm: {}", set.error().message);
                    }
                  }
                },
            .on_error =
                [](const std::string& message) {
                  spdlog::error("rpki: {} (the data in use stays)", message);
                },
        });
  }
  BGPSEC_TRY(files_->load(config));
  if (!config.slurm_file.empty()) {
    const auto& slurm = *files_->slurm();
    spdlog::info(
        "rpki: SLURM {}: {} prefix and {} BGPsec filters, {} prefix and {} BGPsec "
        "assertions",
        config.slurm_file, slurm.prefix_filters.size(), slurm.bgpsec_filters.size(),
        slurm.prefix_assertions.size(), slurm.bgpsec_assertions.size());
  }
  return {};
}

std::vector<std::string> RpkiFeed::configure_caches(const RpkiConfig& config) {
  if (!caches_ && config.caches.empty()) {
    return {};
  }
  if (!caches_) {
    caches_ = std::make_unique<rpki::RtrCacheSet>(
        io_, store_, std::vector<rpki::RtrCacheConfig>{},
        rpki::RtrCacheSet::Handlers{
            .on_change = [this](const rpki::ChangeSet& c) { on_change_(c); },
            .on_log =
                [](rpki::RtrLogLevel level, const std::string& line) {
                  if (level == rpki::RtrLogLevel::Warning) {
                    spdlog::warn("{}", line);
                  } else if (level == rpki::RtrLogLevel::Info) {
                    spdlog::info("{}", line);
                  } else {
                    spdlog::debug("{}", line);
                  }
                },
        },
        config.failover_after);
    if (files_) {
      static_cast<void>(caches_->set_slurm(files_->slurm()));  // nothing held yet
    }
    caches_->start();
  }
  std::vector<rpki::RtrCacheConfig> configs;
  for (const auto& c : config.caches) {
    configs.push_back(to_rtr_cache_config(c));
  }
  const auto done = caches_->reconfigure(std::move(configs), config.failover_after);
  std::vector<std::string> changes;
  for (const auto& name : done.added) {
    changes.push_back("rpki cache " + name + " added");
  }
  for (const auto& name : done.removed) {
    changes.push_back("rpki cache " + name + " removed");
  }
  for (const auto& name : done.changed) {
    changes.push_back("rpki cache " + name + " changed, reconnected");
  }
  if (done.failover_changed) {
    changes.push_back("rpki failover_after: " + std::to_string(config.failover_after.count()) +
                      " s");
  }
  return changes;
}

void RpkiFeed::stop() {
  if (files_) {
    files_->stop();
  }
  if (caches_) {
    caches_->stop();
  }
}

std::vector<rpki::RtrCacheStatus> RpkiFeed::cache_status() const {
  return caches_ ? caches_->status() : std::vector<rpki::RtrCacheStatus>{};
}

nlohmann::json RpkiFeed::json() const {
  return rpki_sources_json(store_, caches_.get(), files_.get());
}

}  // namespace bgpsecd::service
