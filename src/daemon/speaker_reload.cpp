// SPDX-License-Identifier: BSD-2-Clause
// Reload (SIGHUP, bgpsecctl reload): the new configuration file is read and diffed against the
// running one; what changed is applied with as little disruption as each part allows (sessions
// a change does not touch stay up, RTR caches keep their sessions, RPKI files are re-read, keys
// rolled), and the answer lists every change.
#include <algorithm>
#include <utility>

#include <spdlog/spdlog.h>

#include "crypto/fast_verify.hpp"
#include "daemon/speaker.hpp"
#include "daemon/speaker_neighbor.hpp"
#include "service/log_level.hpp"

namespace bgpsecd::daemon {

base::Result<nlohmann::json> Speaker::reload() {
  auto next = load_config_file(config_path_);
  if (!next) {
    spdlog::error("reload: {}", next.error().message);
    return base::fail(next.error().message);
  }
  if (auto supported = check_tcp_ao_support(*next); !supported) {
    spdlog::error("reload: {}", supported.error().message);
    return base::fail(supported.error().message);
  }
  const auto d = diff(config_, *next);
  // A new AS or router id: every session is reset (diff), and our own identity in the RIB
  // (self_, local_peer_), our networks' origin state and our router keys change with it.
  const bool identity_changed =
      config_.global.asn != next->global.asn || config_.global.router_id != next->global.router_id;
  // The router keys are read again on every reload (a key may have been added to or removed
  // from an unchanged key_dir, RFC 8634 §4 rollover), before anything changes: a bad key
  // leaves all as it was.
  std::optional<RouterKeys> keys;
  if (d.bgpsec_changed || config_.global.asn != next->global.asn || !next->bgpsec.key_dir.empty() ||
      !next->bgpsec.key_files.empty()) {
    auto loaded = load_router_keys(next->bgpsec, next->global.asn);
    if (!loaded) {
      spdlog::error("reload: {}", loaded.error().message);
      return base::fail(loaded.error().message);
    }
    keys = std::move(*loaded);
  }
  // The RPKI files and the SLURM file are read again on every reload (their contents may have
  // changed while the config did not), also before anything changes: a file that fails to load
  // fails the reload, naming the file and the entry, and the data in use stays.
  std::optional<RpkiFiles::Loaded> rpki_loaded;
  const bool rpki_files_in_use = !next->rpki.files.empty() || !next->rpki.slurm_file.empty();
  if (rpki_feed_.files() != nullptr && (d.rpki_changed || rpki_files_in_use)) {
    auto loaded = rpki_feed_.files()->load_files(next->rpki);
    if (!loaded) {
      spdlog::error("reload: rpki: {}", loaded.error().message);
      return base::fail("rpki: " + loaded.error().message);
    }
    rpki_loaded = std::move(*loaded);
  }
  // The endpoints are bound next, still before anything changes; if one cannot be bound the
  // old ones are bound again and the reload fails as a whole.
  const bool rebind_metrics = d.metrics_changed && metrics_;
  const auto bind_metrics = [&](const std::optional<Endpoint>& endpoint) {
    if (metrics_server_) {
      metrics_server_->stop();
    }
    auto made = make_metrics_server(endpoint);
    metrics_server_ = made ? std::move(*made) : nullptr;
    return made;
  };
  if (rebind_metrics) {
    if (auto made = bind_metrics(next->global.metrics_listen); !made) {
      static_cast<void>(bind_metrics(config_.global.metrics_listen));
      spdlog::error("reload: {}", made.error().message);
      return base::fail(made.error().message);
    }
  }
  if (d.listen_changed && listener_) {
    listener_->close();
    auto made = make_listener(next->global.listen);
    if (!made) {
      if (auto again = make_listener(config_.global.listen)) {
        listener_ = std::move(*again);
      }
      if (rebind_metrics) {
        static_cast<void>(bind_metrics(config_.global.metrics_listen));
      }
      spdlog::error("reload: {}", made.error().message);
      return base::fail(made.error().message);
    }
    listener_ = std::move(*made);
  }
  nlohmann::json changes = nlohmann::json::array();
  const Config old = config_;
  config_ = std::move(next).value();
  ++config_generation_;
  for (const auto& w : config_.warnings) {
    spdlog::warn("{}", w);
  }
  if (identity_changed) {
    set_identity();
    changes.push_back("AS " + config_.global.asn.to_string() + " router-id " +
                      base::IpAddress::v4(config_.global.router_id).to_string() +
                      ": every session reset");
  }
  if (config_.global.confederation_id != old.global.confederation_id ||
      config_.global.confederation_peers != old.global.confederation_peers) {
    // RFC 5065: the sessions whose OPEN or relation changed are in the reset list (diff);
    // the export rules read the identifier from self_.
    set_identity();
    changes.push_back(config_.global.confederation_id
                          ? "confederation " + config_.global.confederation_id->to_string()
                          : std::string("confederation: none"));
  }
  if (d.listen_changed) {
    std::string where;
    for (const auto& l : config_.global.listen) {
      where += (where.empty() ? "" : ", ") + l.to_string();
    }
    changes.push_back("listen: " + (where.empty() ? std::string("none") : where));
  }
  if (d.metrics_changed) {
    changes.push_back("metrics: " + (config_.global.metrics_listen
                                         ? config_.global.metrics_listen->to_string()
                                         : std::string("off")));
  }
  if (d.log_level_changed) {
    service::set_log_level(config_.global.log_level);
    changes.push_back(std::string("log_level: ") + log_level_name(config_.global.log_level));
  }
  if (const auto& was = old.bgpsec;
      was.validation_threads != config_.bgpsec.validation_threads ||
      was.signature_cache_entries != config_.bgpsec.signature_cache_entries ||
      was.key_tables != config_.bgpsec.key_tables ||
      was.small_key_tables != config_.bgpsec.small_key_tables) {
    // The workers may be verifying right now with the cache and tables they were built with;
    // they are not rebuilt under them. The running values stay, so the next reload says it again.
    config_.bgpsec.validation_threads = was.validation_threads;
    config_.bgpsec.signature_cache_entries = was.signature_cache_entries;
    config_.bgpsec.key_tables = was.key_tables;
    config_.bgpsec.small_key_tables = was.small_key_tables;
    spdlog::warn(
        "reload: [bgpsec] validation_threads, signature_cache_entries, key_tables or "
        "small_key_tables changed; they take effect when bgpsecd is restarted");
    changes.push_back("bgpsec validation engine: changed, needs restart");
  }
  if (old.bgpsec.multi_buffer != config_.bgpsec.multi_buffer) {
    // A process-wide switch the workers read per batch: safe to flip under them.
    crypto::allow_batch_ifma(config_.bgpsec.multi_buffer);
    changes.push_back(std::string("bgpsec multi_buffer: ") + verifier_->engine());
  }
  if (d.validation_changed) {
    // The server connections carry our HELLO and hold our routes; they are built at start.
    // The running values stay in config_, so the next reload says it again.
    config_.validation = old.validation;
    for (auto& n : config_.neighbors) {
      const NeighborConfig* before = old.find_neighbor(n.address);
      n.validation = before != nullptr ? before->validation : std::nullopt;
    }
    spdlog::warn(
        "reload: [validation], [[validation_server]] or a neighbor's 'validation' changed; "
        "they take effect when bgpsecd is restarted");
    changes.push_back("validation: changed, needs restart");
  }
  if (d.control_changed) {
    // The control API is what this reload may have come through; it is not moved under a
    // running request. The running values stay in config_, so the next reload says it again.
    config_.global.control_socket = old.global.control_socket;
    config_.global.control_tcp = old.global.control_tcp;
    spdlog::warn("reload: [control] changed; it takes effect when bgpsecd is restarted");
    changes.push_back("control: changed, needs restart");
  }
  if ((rpki_feed_.caches() != nullptr || !config_.rpki.caches.empty()) &&
      (!(old.rpki.caches == config_.rpki.caches) ||
       old.rpki.failover_after != config_.rpki.failover_after)) {
    // RFC 8210 §10 caches: an unchanged one keeps its session; a removed one's data leaves the
    // store and the routes it affected are validated again (on_rpki_change), like any change.
    for (auto& change : configure_rtr_caches()) {
      spdlog::info("reload: {}", change);
      changes.push_back(std::move(change));
    }
  }
  for (const auto& name : d.removed) {
    remove_neighbor(name, session::subcode::kCeasePeerDeconfigured);
    changes.push_back("neighbor " + name + " removed");
  }
  for (const auto& name : d.reset) {
    // Other Configuration Change, not Administrative Reset: RFC 8538 §5 sends the latter as
    // Hard Reset, while a peer that set the N bit keeps our routes across this one.
    remove_neighbor(name, session::subcode::kCeaseOtherConfigChange);
    if (const auto* c = config_.find_neighbor(*base::IpAddress::parse(name))) {
      if (auto added = add_neighbor(*c); !added) {
        spdlog::error("reload: {}", added.error().message);
      }
    }
    changes.push_back("neighbor " + name + " reset");
  }
  for (const auto& name : d.added) {
    if (const auto* c = config_.find_neighbor(*base::IpAddress::parse(name))) {
      if (auto added = add_neighbor(*c); !added) {
        spdlog::error("reload: {}", added.error().message);
      }
    }
    changes.push_back("neighbor " + name + " added");
  }
  tell_servers_peer_changes(old);
  for (const auto& name : d.updated) {
    if (auto* n = find_neighbor(name)) {
      if (const auto* c = config_.find_neighbor(n->config.address)) {
        n->config = *c;
        n->adj_in.set_max_prefixes(c->max_prefix);
      }
    }
    changes.push_back("neighbor " + name + " updated");
  }
  for (const auto& soft : d.soft) {
    auto* n = find_neighbor(soft.neighbor);
    if (n == nullptr) {
      continue;
    }
    if (const auto* c = config_.find_neighbor(n->config.address)) {
      n->config = *c;
    }
    if (soft.in) {
      reimport(*n);
    }
    if (soft.out && n->established()) {
      send_table(*n);
    }
    changes.push_back("neighbor " + soft.neighbor + " policy applied");
  }
  // New or changed TCP-AO keys roll on the live sessions (RFC 5925 §6.1).
  refresh_tcp_ao();
  if (rpki_loaded) {
    if (auto committed = rpki_feed_.files()->commit(std::move(*rpki_loaded)); !committed) {
      spdlog::error("reload: rpki: {}", committed.error().message);
    } else if (rpki_files_in_use || !old.rpki.files.empty() || !old.rpki.slurm_file.empty()) {
      changes.push_back("rpki files reloaded");
    }
  }
  if (d.networks_changed) {
    // Only the networks that are gone are withdrawn; originate_networks() replaces changed
    // ones in place and leaves unchanged ones alone (no withdraw / re-announce at the peers).
    for (const auto& network : old.networks) {
      const bool kept = std::any_of(config_.networks.begin(), config_.networks.end(),
                                    [&](const auto& now) { return now.prefix == network.prefix; });
      if (!kept) {
        if (auto change = loc_rib_.remove(network.prefix, local_peer_->key)) {
          export_change(*change);
        }
      }
    }
    originate_networks();
    changes.push_back("networks changed");
  }
  if (identity_changed && !d.networks_changed) {
    originate_networks();  // from the new local_peer_, with the origin state for the new AS
  }
  if (keys) {
    use_router_keys(std::move(*keys), changes);
  }
  if (d.bgpsec_changed || config_.global.asn != old.global.asn) {
    reimport_all();
    changes.push_back("bgpsec settings applied");
  } else if (d.aspa_changed) {
    reimport_all();  // every route's ASPA state and preference found again
  }
  if (d.aspa_changed) {
    changes.push_back("aspa settings applied");
  }
  if (!d.bmp_added.empty() || !d.bmp_removed.empty()) {
    configure_bmp(&changes);
  }
  start_deferred();  // RFC 8374 §8.7: defer_when_queued may have been raised or removed
  if (config_.bgpsec.validation_order == ValidationOrder::All) {
    check_all_postponed();  // best-first turned off: nothing waits for the best to change
  }
  spdlog::info("reload: {} change(s)", changes.size());
  return nlohmann::json{{"message", "configuration reloaded"}, {"changes", changes}};
}

}  // namespace bgpsecd::daemon
