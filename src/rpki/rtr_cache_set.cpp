// SPDX-License-Identifier: BSD-2-Clause
// Preference groups, failover and the merge of several caches' data (see the header).
#include "rpki/rtr_cache_set.hpp"

#include <algorithm>
#include <utility>

namespace bgpsecd::rpki {
namespace {

std::tuple<base::Prefix, std::uint8_t, base::Asn> vrp_key(const VrpEntry& v) {
  return {v.prefix, v.max_length, v.asn};
}
std::tuple<base::Asn, base::Ski, crypto::EcPoint> key_key(const RouterKeyEntry& k) {
  return {k.asn, k.ski, k.key.point()};
}
VrpEntry vrp_entry(const std::tuple<base::Prefix, std::uint8_t, base::Asn>& key) {
  VrpEntry v;
  v.prefix = std::get<0>(key);
  v.max_length = std::get<1>(key);
  v.asn = std::get<2>(key);
  return v;
}

}  // namespace

RtrCacheSet::RtrCacheSet(asio::io_context& io, RpkiStore& store, std::vector<RtrCacheConfig> caches,
                         Handlers handlers, std::chrono::seconds failover_after)
    : io_(io),
      store_(store),
      handlers_(std::move(handlers)),
      failover_after_(failover_after),
      tick_(io) {
  static_cast<void>(reconfigure(std::move(caches), failover_after));  // all added
}

RtrCacheSet::~RtrCacheSet() { stop(); }

void RtrCacheSet::log(RtrLogLevel level, const std::string& message) const {
  if (handlers_.on_log) {
    handlers_.on_log(level, message);
  }
}

void RtrCacheSet::start() {
  if (!stopped_) {
    return;
  }
  stopped_ = false;
  if (!caches_.empty()) {
    active_up_to_ = caches_.front()->config.preference;
  }
  connect_groups();
  arm_tick();
}

void RtrCacheSet::connect_groups() {
  if (stopped_ || caches_.empty()) {
    return;
  }
  const bool group_in_use = std::any_of(caches_.begin(), caches_.end(), [this](const auto& c) {
    return c->config.preference <= active_up_to_;
  });
  if (!group_in_use) {
    active_up_to_ = caches_.front()->config.preference;  // caches_ is sorted by preference
  }
  bool usable = false;
  for (auto& cache : caches_) {
    if (cache->config.preference <= active_up_to_) {
      activate(*cache);
      usable = usable || (cache->session->connected() && cache->in_sync);
    }
  }
  if (!usable && !out_of_sync_since_) {
    out_of_sync_since_ = std::chrono::steady_clock::now();
  }
}

RtrCacheChanges RtrCacheSet::reconfigure(std::vector<RtrCacheConfig> caches,
                                         std::chrono::seconds failover_after) {
  RtrCacheChanges changes;
  changes.failover_changed = failover_after != failover_after_;
  failover_after_ = failover_after;
  const auto configured = [&](const Cache& cache) {
    return std::find_if(caches.begin(), caches.end(),
                        [&](const RtrCacheConfig& c) { return c.name() == cache.config.name(); });
  };
  // First the caches that go (removed, or changed: their data leaves until the new session
  // has sent it again), while caches_ is still whole: their withdrawals reach on_change.
  for (auto& cache : caches_) {
    if (const auto now = configured(*cache); now == caches.end()) {
      changes.removed.push_back(cache->config.name());
      deactivate(*cache, "removed from the configuration");
    } else if (!(*now == cache->config)) {
      changes.changed.push_back(cache->config.name());
      deactivate(*cache, "preference or version changed");
    }
  }
  std::vector<std::unique_ptr<Cache>> next;
  for (auto& config : caches) {
    const auto same = std::find_if(caches_.begin(), caches_.end(),
                                   [&](const auto& c) { return c && c->config == config; });
    if (same != caches_.end()) {
      next.push_back(std::move(*same));  // unchanged: session and data stay
      continue;
    }
    const std::string name = config.name();
    if (std::find(changes.changed.begin(), changes.changed.end(), name) == changes.changed.end()) {
      changes.added.push_back(name);
    }
    auto cache = std::make_unique<Cache>();
    cache->config = std::move(config);
    next.push_back(std::move(cache));
  }
  std::stable_sort(next.begin(), next.end(), [](const auto& a, const auto& b) {
    return a->config.preference < b->config.preference;
  });
  caches_ = std::move(next);
  connect_groups();
  return changes;
}

void RtrCacheSet::stop() {
  stopped_ = true;
  tick_.cancel();
  for (auto& cache : caches_) {
    if (cache->session) {
      cache->session->stop();
      cache->session.reset();
    }
  }
}

void RtrCacheSet::activate(Cache& cache) {
  if (cache.session) {
    return;
  }
  Cache* c = &cache;
  cache.session = std::make_shared<RtrTcpSession>(
      io_, cache.config,
      RtrTcpSession::Handlers{
          .on_update = [this, c](const RtrDataUpdate& update) { on_update(*c, update); },
          .on_drop_all = [this, c](const RtrDropAll& drop) { on_drop_all(*c, drop.kind); },
          .on_error_report = nullptr,
          .on_log = handlers_.on_log,
      });
  cache.session->start();
}

void RtrCacheSet::deactivate(Cache& cache, const std::string& why) {
  if (cache.session) {
    log(RtrLogLevel::Info, "rtr " + cache.config.name() + ": " + why + ", disconnecting");
    cache.session->stop();
    cache.session.reset();
  }
  on_drop_all(cache, std::nullopt);
}

bool RtrCacheSet::filtered(const VrpEntry& vrp) const {
  return slurm_ && std::any_of(slurm_->prefix_filters.begin(), slurm_->prefix_filters.end(),
                               [&](const PrefixFilter& f) { return filter_matches(f, vrp); });
}

bool RtrCacheSet::filtered(const RouterKeyEntry& key) const {
  return slurm_ && std::any_of(slurm_->bgpsec_filters.begin(), slurm_->bgpsec_filters.end(),
                               [&](const BgpsecFilter& f) { return filter_matches(f, key); });
}

bool RtrCacheSet::filtered(const AspaKey& record) const {
  if (!slurm_) {
    return false;
  }
  const aspa::AspaRecord r{record.first, record.second};
  return std::any_of(slurm_->aspa_filters.begin(), slurm_->aspa_filters.end(),
                     [&](const AspaFilter& f) { return filter_matches(f, r); });
}

void RtrCacheSet::add_aspas(const std::map<AspaKey, std::uint32_t>& aspas, bool announce,
                            const std::function<bool(const AspaKey&)>& keep, Delta& delta) {
  for (const auto& [record, count] : aspas) {
    if (!keep(record)) {
      continue;
    }
    delta.aspas.insert(delta.aspas.end(), count,
                       AspaChange{aspa::AspaRecord{record.first, record.second}, announce});
  }
}

void RtrCacheSet::on_update(Cache& cache, const RtrDataUpdate& update) {
  // The cache's records always hold what it sent; the store gets what the SLURM filters let
  // through (RFC 8416 §4). The delta is worked out first and the records change only once the
  // store took it, so that records and store never disagree.
  Delta delta;
  const auto announce_vrp = [&](const VrpKey& v, bool announce) {
    const VrpEntry entry = vrp_entry(v);
    if (!filtered(entry)) {
      delta.vrps.push_back({entry, announce});
    }
  };
  const auto announce_key = [&](const RouterKeyEntry& k, bool announce) {
    if (!filtered(k)) {
      delta.router_keys.push_back({k, announce});
    }
  };
  if (update.reset) {
    // The complete set of this cache: withdraw what it no longer has, announce what is new.
    std::set<VrpKey> vrps;
    for (const auto& v : update.announced.vrps) {
      vrps.insert(vrp_key(v));
    }
    std::map<KeyKey, RouterKeyEntry> keys;
    for (const auto& k : update.announced.router_keys) {
      keys.emplace(key_key(k), k);
    }
    for (const auto& old : cache.vrps) {
      if (!vrps.contains(old)) {
        announce_vrp(old, false);
      }
    }
    for (const auto& v : vrps) {
      if (!cache.vrps.contains(v)) {
        announce_vrp(v, true);
      }
    }
    for (const auto& [id, entry] : cache.keys) {
      if (!keys.contains(id)) {
        announce_key(entry, false);
      }
    }
    for (const auto& [id, entry] : keys) {
      if (!cache.keys.contains(id)) {
        announce_key(entry, true);
      }
    }
    // ASPA records count references in the store: withdraw the old set, announce the new.
    std::map<AspaKey, std::uint32_t> aspas;
    for (const auto& r : update.announced.aspas) {
      ++aspas[AspaKey{r.customer, r.providers}];
    }
    const auto unfiltered = [this](const AspaKey& r) { return !filtered(r); };
    add_aspas(cache.aspas, false, unfiltered, delta);
    add_aspas(aspas, true, unfiltered, delta);
    if (!apply(std::move(delta))) {
      return;
    }
    cache.vrps = std::move(vrps);
    cache.keys = std::move(keys);
    cache.aspas = std::move(aspas);
  } else {
    // RtrDataUpdate's lists are sorted and disjoint, so each record is looked up once here and
    // changed once below.
    std::vector<VrpKey> vrps_gone;
    std::vector<VrpKey> vrps_new;
    std::vector<KeyKey> keys_gone;
    std::vector<RouterKeyEntry> keys_new;
    for (const auto& v : update.withdrawn.vrps) {
      if (cache.vrps.contains(vrp_key(v))) {
        vrps_gone.push_back(vrp_key(v));
        announce_vrp(vrp_key(v), false);
      }
    }
    for (const auto& k : update.withdrawn.router_keys) {
      if (auto it = cache.keys.find(key_key(k)); it != cache.keys.end()) {
        keys_gone.push_back(it->first);
        announce_key(it->second, false);
      }
    }
    // docs/aspa.md §11.2: a changed ASPA record comes as the old one withdrawn and the new one
    // announced; the client only withdraws what it handed out.
    auto aspas = cache.aspas;
    for (const auto& r : update.withdrawn.aspas) {
      const AspaKey id{r.customer, r.providers};
      if (const auto it = aspas.find(id); it != aspas.end()) {
        if (--it->second == 0) {
          aspas.erase(it);
        }
        if (!filtered(id)) {
          delta.aspas.push_back({r, false});
        }
      }
    }
    for (const auto& r : update.announced.aspas) {
      const AspaKey id{r.customer, r.providers};
      ++aspas[id];
      if (!filtered(id)) {
        delta.aspas.push_back({r, true});
      }
    }
    for (const auto& v : update.announced.vrps) {
      if (!cache.vrps.contains(vrp_key(v))) {
        vrps_new.push_back(vrp_key(v));
        announce_vrp(vrp_key(v), true);
      }
    }
    for (const auto& k : update.announced.router_keys) {
      if (!cache.keys.contains(key_key(k))) {
        keys_new.push_back(k);
        announce_key(k, true);
      }
    }
    if (!apply(std::move(delta))) {
      return;
    }
    for (const auto& v : vrps_gone) {
      cache.vrps.erase(v);
    }
    for (const auto& k : keys_gone) {
      cache.keys.erase(k);
    }
    for (const auto& v : vrps_new) {
      cache.vrps.insert(v);
    }
    for (auto& k : keys_new) {
      cache.keys.emplace(key_key(k), std::move(k));
    }
    cache.aspas = std::move(aspas);
  }
  ++cache.updates;
  cache.in_sync = true;
}

void RtrCacheSet::on_drop_all(Cache& cache, std::optional<RtrDropReason> why) {
  if (why) {
    ++cache.drops[static_cast<std::size_t>(*why)];
  }
  cache.in_sync = false;
  Delta delta;
  for (const auto& v : cache.vrps) {
    const VrpEntry entry = vrp_entry(v);
    if (!filtered(entry)) {
      delta.vrps.push_back({entry, false});
    }
  }
  for (const auto& [id, entry] : cache.keys) {
    if (!filtered(entry)) {
      delta.router_keys.push_back({entry, false});
    }
  }
  add_aspas(
      cache.aspas, false, [this](const AspaKey& r) { return !filtered(r); }, delta);
  if (apply(std::move(delta))) {
    cache.vrps.clear();
    cache.keys.clear();
    cache.aspas.clear();
  }
}

base::Result<void> RtrCacheSet::set_slurm(std::shared_ptr<const Slurm> slurm) {
  std::vector<bool> vrp_was;
  std::vector<bool> key_was;
  std::vector<bool> aspa_was;
  for (const auto& cache : caches_) {
    for (const auto& [record, count] : cache->aspas) {
      aspa_was.push_back(filtered(record));
    }
    for (const auto& v : cache->vrps) {
      vrp_was.push_back(filtered(vrp_entry(v)));
    }
    for (const auto& [id, entry] : cache->keys) {
      key_was.push_back(filtered(entry));
    }
  }
  auto old = std::exchange(slurm_, std::move(slurm));
  // What the new filters let through and the old did not is announced, and the reverse
  // withdrawn; both in the one delta, so that the store changes once.
  Delta delta;
  std::size_t vi = 0;
  std::size_t ki = 0;
  std::size_t ai = 0;
  for (const auto& cache : caches_) {
    for (const auto& [record, count] : cache->aspas) {
      const bool now = filtered(record);
      if (now != aspa_was[ai++]) {
        delta.aspas.insert(delta.aspas.end(), count,
                           AspaChange{aspa::AspaRecord{record.first, record.second}, !now});
      }
    }
    for (const auto& v : cache->vrps) {
      const VrpEntry entry = vrp_entry(v);
      const bool now = filtered(entry);
      if (now != vrp_was[vi++]) {
        delta.vrps.push_back({entry, !now});
      }
    }
    for (const auto& [id, entry] : cache->keys) {
      const bool now = filtered(entry);
      if (now != key_was[ki++]) {
        delta.router_keys.push_back({entry, !now});
      }
    }
  }
  // Withdrawals first: the store applies a delta in order.
  std::stable_partition(delta.vrps.begin(), delta.vrps.end(),
                        [](const VrpChange& c) { return !c.announce; });
  std::stable_partition(delta.router_keys.begin(), delta.router_keys.end(),
                        [](const RouterKeyChange& c) { return !c.announce; });
  std::stable_partition(delta.aspas.begin(), delta.aspas.end(),
                        [](const AspaChange& c) { return !c.announce; });
  if (!apply(std::move(delta))) {
    slurm_ = std::move(old);
    return base::fail("rtr: the store refused the change of SLURM filters");
  }
  return {};
}

bool RtrCacheSet::apply(Delta delta) {
  if (delta.vrps.empty() && delta.router_keys.empty() && delta.aspas.empty()) {
    return true;
  }
  auto changes = store_.apply(delta);
  if (!changes) {
    // Our bookkeeping only withdraws what a cache announced, so this is a bug, not bad data.
    log(RtrLogLevel::Warning, "rtr: internal error applying a change: " + changes.error().message);
    return false;
  }
  if (!changes->empty() && handlers_.on_change) {
    handlers_.on_change(*changes);
  }
  return true;
}

void RtrCacheSet::rebalance() {
  if (stopped_) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  // The best preference with a usable cache: connected and holding a complete data set.
  std::optional<std::uint8_t> best_usable;
  for (const auto& cache : caches_) {
    if (cache->session && cache->session->connected() && cache->in_sync) {
      best_usable = cache->config.preference;
      break;  // caches_ is sorted by preference
    }
  }
  if (best_usable) {
    out_of_sync_since_.reset();
    if (*best_usable < active_up_to_) {
      // RFC 8210 §10: back to the preferred caches; the fallback ones are let go.
      active_up_to_ = *best_usable;
      for (auto& cache : caches_) {
        if (cache->config.preference > active_up_to_) {
          deactivate(*cache, "no longer needed (a preferred cache is in sync)");
        }
      }
    }
    return;
  }
  if (!out_of_sync_since_) {
    out_of_sync_since_ = now;
  }
  if (now - *out_of_sync_since_ < failover_after_) {
    return;
  }
  // Nothing usable for failover_after: widen to the next preference group, if there is one.
  // The groups already in use stay (their data is kept until it expires, and they are tried
  // again, so that we can return to them).
  std::optional<std::uint8_t> next;
  for (const auto& cache : caches_) {
    if (cache->config.preference > active_up_to_) {
      next = cache->config.preference;
      break;
    }
  }
  out_of_sync_since_ = now;
  if (!next) {
    return;
  }
  log(RtrLogLevel::Warning,
      "rtr: no usable cache of preference <= " + std::to_string(active_up_to_) + " for " +
          std::to_string(failover_after_.count()) + " s, adding the caches of preference " +
          std::to_string(*next));
  active_up_to_ = *next;
  for (auto& cache : caches_) {
    if (cache->config.preference <= active_up_to_) {
      activate(*cache);
    }
  }
}

void RtrCacheSet::arm_tick() {
  if (stopped_) {
    return;
  }
  tick_.expires_after(std::chrono::seconds(1));
  tick_.async_wait([this](const asio::error_code& ec) {
    if (ec || stopped_) {
      return;
    }
    rebalance();
    arm_tick();
  });
}

std::vector<RtrCacheStatus> RtrCacheSet::status() const {
  std::vector<RtrCacheStatus> out;
  for (const auto& cache : caches_) {
    RtrCacheStatus s;
    s.name = cache->config.name();
    s.preference = cache->config.preference;
    s.active = cache->session != nullptr;
    s.in_sync = cache->in_sync;
    s.vrps = cache->vrps.size();
    s.router_keys = cache->keys.size();
    for (const auto& [record, count] : cache->aspas) {
      s.aspas += count;
    }
    s.updates = cache->updates;
    s.drops = cache->drops;
    if (cache->session) {
      const auto& client = cache->session->client();
      s.connected = cache->session->connected();
      s.session_id = client.session_id();
      s.serial = client.serial();
      s.version = client.version();
      s.connects = cache->session->connects();
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace bgpsecd::rpki
