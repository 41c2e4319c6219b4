// SPDX-License-Identifier: BSD-2-Clause
// RPKI files, SLURM, their timers, and the RTR cache metrics (see the header).
#include "service/rpki_sources.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

#include <malloc.h>

#include "rpki/vrp_table.hpp"

namespace bgpsecd::service {
namespace {

// An expiry timer never sleeps longer than this, so that a wall clock that jumps is noticed.
constexpr std::int64_t kMaxExpirySleep = 86400;

bool same_slurm(const std::shared_ptr<const rpki::Slurm>& a,
                const std::shared_ptr<const rpki::Slurm>& b) {
  if (!a || !b) {
    return !a && !b;
  }
  return *a == *b;
}

}  // namespace

RpkiFiles::RpkiFiles(asio::io_context& io, rpki::RpkiStore& store, Handlers handlers, UnixClock now)
    : store_(store),
      handlers_(std::move(handlers)),
      now_(std::move(now)),
      reload_timer_(io),
      expiry_timer_(io) {}

RpkiFiles::~RpkiFiles() { stop(); }

void RpkiFiles::stop() {
  stopped_ = true;
  reload_timer_.cancel();
  expiry_timer_.cancel();
}

base::Result<RpkiFiles::Loaded> RpkiFiles::load_files(const RpkiConfig& config) const {
  Loaded loaded;
  loaded.config = config;
  if (!config.slurm_file.empty()) {
    BGPSEC_ASSIGN_OR_RETURN(auto slurm, rpki::load_slurm_file(config.slurm_file));
    loaded.slurm = std::make_shared<const rpki::Slurm>(std::move(slurm));
  }
  const auto now = now_();
  for (const auto& file : config.files) {
    BGPSEC_ASSIGN_OR_RETURN(auto data, rpki::load_rpki_json_file(file, now));
    loaded.files.push_back(std::move(data));
  }
  return loaded;
}

rpki::RpkiData RpkiFiles::contribution(const Loaded& loaded, std::int64_t now) {
  rpki::RpkiData out;
  const auto live = [now](const auto& entry) { return !rpki::expired(entry.expires, now); };
  for (const auto& file : loaded.files) {
    for (const auto& v : file.vrps) {
      if (live(v)) {
        out.vrps.push_back(rpki::VrpEntry{v.prefix, v.max_length, v.asn, std::nullopt});
      }
    }
    for (const auto& k : file.router_keys) {
      if (live(k)) {
        out.router_keys.push_back(rpki::RouterKeyEntry{k.asn, k.ski, k.key, std::nullopt});
      }
    }
    for (const auto& a : file.aspas) {
      if (live(a)) {
        out.aspas.push_back(aspa::AspaRecord{a.customer, a.providers});
      }
    }
  }
  if (loaded.slurm) {
    // RFC 8416 §4: the filters on the files' data, then the assertions (added here only, so
    // that they are in the store once whatever the caches send).
    out = rpki::apply_slurm(*loaded.slurm, std::move(out));
  }
  return out;
}

rpki::RpkiData RpkiFiles::in_store() const {
  return contributed_at_ ? contribution(current_, *contributed_at_) : rpki::RpkiData{};
}

base::Result<void> RpkiFiles::replace(rpki::RpkiData next, std::int64_t now) {
  rpki::RpkiData before = in_store();
  // VRPs change as the difference of the two multisets: a reload that changes a few VRPs of a
  // full data set touches only those, and the first load adds them in table order, each at the
  // end of its bucket (vrp_table.hpp), instead of one sorted insert per VRP.
  std::sort(before.vrps.begin(), before.vrps.end(), rpki::vrp_less);
  std::sort(next.vrps.begin(), next.vrps.end(), rpki::vrp_less);
  if (next == before) {
    contributed_at_ = now;
    return {};
  }
  // The files' contribution changes as one delta, so that RTR data in the same store keeps its
  // references (an entry from a file and a cache stays while either has it).
  rpki::Delta delta;
  {
    std::vector<rpki::VrpEntry> changed;
    std::set_difference(before.vrps.begin(), before.vrps.end(), next.vrps.begin(), next.vrps.end(),
                        std::back_inserter(changed), rpki::vrp_less);
    const auto withdrawn = changed.size();
    std::set_difference(next.vrps.begin(), next.vrps.end(), before.vrps.begin(), before.vrps.end(),
                        std::back_inserter(changed), rpki::vrp_less);
    delta.vrps.reserve(changed.size());
    for (std::size_t i = 0; i < changed.size(); ++i) {
      delta.vrps.push_back({changed[i], i >= withdrawn});
    }
  }
  for (const auto& k : before.router_keys) {
    delta.router_keys.push_back({k, false});
  }
  // docs/aspa.md §11.4: each file record and SLURM assertion is one reference in the store, so
  // a customer also announced by a cache keeps the union of both.
  for (const auto& a : before.aspas) {
    delta.aspas.push_back({a, false});
  }
  for (const auto& a : next.aspas) {
    delta.aspas.push_back({a, true});
  }
  for (const auto& k : next.router_keys) {
    delta.router_keys.push_back({k, true});
  }
  BGPSEC_ASSIGN_OR_RETURN(auto change, store_.apply(delta));
  contributed_at_ = now;
  if (!change.empty() && handlers_.on_change) {
    handlers_.on_change(change);
  }
  return {};
}

base::Result<void> RpkiFiles::commit(Loaded loaded) {
  const auto now = now_();
  BGPSEC_TRY(replace(contribution(loaded, now), now));
  const bool slurm_changed = !same_slurm(current_.slurm, loaded.slurm);
  if (!slurm_changed) {
    loaded.slurm = current_.slurm;
  }
  current_ = std::move(loaded);
  ++reloads_;
  stopped_ = false;
  if (slurm_changed && handlers_.on_slurm) {
    handlers_.on_slurm(current_.slurm);
  }
  arm_timers();
  // A full-table load frees hundreds of megabytes of parse and delta buffers at once; glibc
  // keeps freed memory below the heap top, so give it back to the system here.
  ::malloc_trim(0);
  return {};
}

base::Result<void> RpkiFiles::load(const RpkiConfig& config) {
  BGPSEC_ASSIGN_OR_RETURN(auto loaded, load_files(config));
  return commit(std::move(loaded));
}

void RpkiFiles::expire() {
  const auto now = now_();
  if (auto replaced = replace(contribution(current_, now), now); !replaced) {
    if (handlers_.on_error) {
      handlers_.on_error(replaced.error().message);
    }
  }
}

std::optional<std::int64_t> RpkiFiles::next_expiry() const {
  const auto now = now_();
  std::optional<std::int64_t> earliest;
  const auto consider = [&](const auto& entry) {
    if (entry.expires && *entry.expires >= now && (!earliest || *entry.expires < *earliest)) {
      earliest = entry.expires;
    }
  };
  for (const auto& file : current_.files) {
    std::for_each(file.vrps.begin(), file.vrps.end(), consider);
    std::for_each(file.router_keys.begin(), file.router_keys.end(), consider);
    std::for_each(file.aspas.begin(), file.aspas.end(), consider);
  }
  return earliest;
}

std::optional<std::int64_t> RpkiFiles::router_key_expiry(base::Asn asn,
                                                         const base::Ski& ski) const {
  const auto now = now_();
  std::optional<std::int64_t> latest;
  for (const auto& file : current_.files) {
    for (const auto& key : file.router_keys) {
      if (key.asn != asn || key.ski != ski || rpki::expired(key.expires, now)) {
        continue;
      }
      if (!key.expires) {
        return std::nullopt;  // this file gives it without an end
      }
      latest = std::max(latest.value_or(*key.expires), *key.expires);
    }
  }
  return latest;
}

std::vector<RpkiFiles::FileStatus> RpkiFiles::files() const {
  const auto now = now_();
  const auto live = [now](const auto& entry) { return !rpki::expired(entry.expires, now); };
  std::vector<FileStatus> out;
  for (std::size_t i = 0; i < current_.files.size() && i < current_.config.files.size(); ++i) {
    const auto& data = current_.files[i];
    out.push_back(FileStatus{
        current_.config.files[i],
        static_cast<std::size_t>(std::count_if(data.vrps.begin(), data.vrps.end(), live)),
        static_cast<std::size_t>(
            std::count_if(data.router_keys.begin(), data.router_keys.end(), live)),
        static_cast<std::size_t>(std::count_if(data.aspas.begin(), data.aspas.end(), live))});
  }
  return out;
}

void RpkiFiles::arm_timers() {
  reload_timer_.cancel();
  expiry_timer_.cancel();
  if (stopped_) {
    return;
  }
  if (current_.config.reload_interval.count() > 0) {
    reload_timer_.expires_after(current_.config.reload_interval);
    reload_timer_.async_wait([this](const asio::error_code& ec) {
      if (!ec && !stopped_) {
        on_reload_timer();
      }
    });
  }
  if (const auto when = next_expiry()) {
    // An entry is in use through its `expires` second, so it goes one second later.
    const auto wait = std::clamp<std::int64_t>(*when - now_() + 1, 1, kMaxExpirySleep);
    expiry_timer_.expires_after(std::chrono::seconds(wait));
    expiry_timer_.async_wait([this](const asio::error_code& ec) {
      if (ec || stopped_) {
        return;
      }
      expire();
      arm_timers();
    });
  }
}

void RpkiFiles::on_reload_timer() {
  auto loaded = load_files(current_.config);
  const base::Result<void> committed =
      loaded ? commit(std::move(*loaded)) : base::Result<void>(base::fail(loaded.error().message));
  if (committed) {
    return;  // commit re-armed the timers
  }
  ++reload_errors_;
  if (handlers_.on_error) {
    handlers_.on_error(committed.error().message);
  }
  arm_timers();
}

// ===== metrics =====

void register_rtr_metrics(MetricsRegistry& metrics,
                          std::function<std::vector<rpki::RtrCacheStatus>()> status) {
  metrics.family_callback("bgpsecd_rtr_cache_in_sync",
                          "1 when the RPKI cache is connected and holds a complete data set",
                          MetricType::Gauge, [status] {
                            std::vector<MetricSample> samples;
                            for (const auto& c : status()) {
                              samples.push_back(MetricSample{
                                  {{"cache", c.name}}, (c.connected && c.in_sync) ? 1.0 : 0.0});
                            }
                            return samples;
                          });
  metrics.family_callback(
      "bgpsecd_rtr_data_dropped_total",
      "times an RPKI cache's data was dropped (expired: no refresh within the Expire interval; "
      "error_report: fatal Error Report from the cache; protocol_error: error found here)",
      MetricType::Counter, [status = std::move(status)] {
        std::vector<MetricSample> samples;
        for (const auto& c : status()) {
          for (const auto reason : rpki::kRtrDropReasons) {
            samples.push_back(
                MetricSample{{{"cache", c.name}, {"reason", rpki::rtr_drop_reason_name(reason)}},
                             static_cast<double>(c.drops[static_cast<std::size_t>(reason)])});
          }
        }
        return samples;
      });
}

nlohmann::json rpki_sources_json(const rpki::RpkiStore& rpki, const rpki::RtrCacheSet* caches,
                                 const RpkiFiles* files) {
  const auto snapshot = rpki.snapshot();
  nlohmann::json caches_json = nlohmann::json::array();
  if (caches) {
    for (const auto& c : caches->status()) {
      nlohmann::json drops = nlohmann::json::object();
      for (const auto reason : rpki::kRtrDropReasons) {
        drops[rpki::rtr_drop_reason_name(reason)] = c.drops[static_cast<std::size_t>(reason)];
      }
      caches_json.push_back(
          {{"name", c.name},
           {"preference", c.preference},
           {"active", c.active},
           {"connected", c.connected},
           {"connects", c.connects},
           {"in_sync", c.in_sync},
           {"session_id", c.session_id ? nlohmann::json(*c.session_id) : nlohmann::json(nullptr)},
           {"serial", c.serial ? nlohmann::json(*c.serial) : nlohmann::json(nullptr)},
           {"version", c.version},
           {"vrps", c.vrps},
           {"router_keys", c.router_keys},
           {"aspas", c.aspas},
           {"drops", drops}});
    }
  }
  nlohmann::json files_json = nlohmann::json::array();
  nlohmann::json slurm = nullptr;
  if (files) {
    for (const auto& f : files->files()) {
      files_json.push_back(
          {{"path", f.path}, {"vrps", f.vrps}, {"router_keys", f.router_keys}, {"aspas", f.aspas}});
    }
    if (const auto& s = files->slurm()) {
      slurm = {{"path", files->slurm_file()},
               {"prefix_filters", s->prefix_filters.size()},
               {"bgpsec_filters", s->bgpsec_filters.size()},
               {"prefix_assertions", s->prefix_assertions.size()},
               {"bgpsec_assertions", s->bgpsec_assertions.size()},
               {"aspa_filters", s->aspa_filters.size()},
               {"aspa_assertions", s->aspa_assertions.size()}};
    }
  }
  return {{"vrps", snapshot->vrps.size()},
          {"vrps_ipv4", snapshot->vrps.size(base::Afi::Ipv4)},
          {"vrps_ipv6", snapshot->vrps.size(base::Afi::Ipv6)},
          {"router_keys", snapshot->router_keys.size()},
          {"aspa_customers", snapshot->aspas.size()},
          {"caches", caches_json},
          {"files", files_json},
          {"slurm", slurm}};
}

}  // namespace bgpsecd::service
