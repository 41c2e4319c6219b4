// SPDX-License-Identifier: BSD-2-Clause
#include "validation_server/server.hpp"

#include <algorithm>
#include <thread>
#include <utility>

#include <spdlog/spdlog.h>

#include "service/router_keys.hpp"
#include "srx/results.hpp"
#include "validation_server/server_text.hpp"

namespace bgpsecd::validation_server {
namespace {

// How often updates whose keep window has passed are collected: every half window, between 1
// and 10 s, so that a short window (a lab, a test) is kept to within about half of itself and
// a long one costs a store scan only every 10 s.
std::chrono::seconds collection_interval(std::chrono::seconds keep_window) {
  return std::clamp(keep_window / 2, std::chrono::seconds{1}, std::chrono::seconds{10});
}

unsigned worker_threads(std::uint32_t configured) {
  return configured != 0 ? configured : std::max(1U, std::thread::hardware_concurrency());
}

bgpsec::CachingVerifierOptions verifier_options(const ServerConfig& config) {
  bgpsec::CachingVerifierOptions options;
  if (config.signature_cache_entries != 0) {
    options.signature_cache_entries = config.signature_cache_entries;
  }
  options.max_key_tables = config.key_tables;
  options.max_small_key_tables = config.small_key_tables;
  return options;
}

bool allowed(const std::vector<base::Prefix>& allow, const std::string& peer) {
  if (allow.empty()) {
    return true;
  }
  // `peer` is "ADDRESS:PORT" as the transport names it.
  const auto colon = peer.rfind(':');
  auto address = base::IpAddress::parse(peer.substr(0, colon));
  if (!address) {
    return false;
  }
  return std::any_of(allow.begin(), allow.end(), [&](const base::Prefix& p) {
    return p.contains(base::Prefix(*address, address->afi() == base::Afi::Ipv4 ? 32 : 128));
  });
}

nlohmann::json types_json(std::uint8_t types) {
  nlohmann::json out = nlohmann::json::array();
  if ((types & srx::kFlagOrigin) != 0) {
    out.push_back("origin");
  }
  if ((types & srx::kFlagPath) != 0) {
    out.push_back("path");
  }
  if ((types & srx::kFlagAspa) != 0) {
    out.push_back("aspa");
  }
  return out;
}

}  // namespace

ValidationServer::ValidationServer(asio::io_context& io, ServerConfig config, ConfigSource source,
                                   ServerIdentity identity)
    : io_(io),
      config_(std::move(config)),
      source_(std::move(source)),
      identity_(std::move(identity)),
      rpki_feed_(io_, rpki_, [this](const rpki::ChangeSet& c) { on_rpki_change(c); }),
      verifier_(std::make_unique<bgpsec::CachingSignatureVerifier>(verifier_options(config_))),
      pool_(std::make_unique<service::ValidationPool>(io_, *verifier_,
                                                      worker_threads(config_.validation_threads))),
      validation_(rpki_,
                  [this](rib::StoredBgpsecPath path, base::Prefix prefix, std::uint8_t safi,
                         base::Asn own_as, rpki::SnapshotPtr rpki,
                         std::function<void(const bgpsec::PathValidation&)> done) {
                    pool_->submit(service::ValidationPool::Job{.path = std::move(path),
                                                               .prefix = prefix,
                                                               .safi = safi,
                                                               .own_as = own_as,
                                                               .rpki = std::move(rpki),
                                                               .done = std::move(done)});
                  }),
      core_(ServerCore::Options{.max_updates = config_.max_updates,
                                .max_updates_per_proxy = config_.max_updates_per_router,
                                .min_keep_window = config_.keep_window},
            core_hooks()),
      transport_(io_, transport_handlers(), SrxTransport::Options{}),
      counters_(metrics_),
      collect_timer_(io_) {}

ValidationServer::~ValidationServer() { stop(); }

ServerCore::Hooks ValidationServer::core_hooks() {
  return ServerCore::Hooks{
      .send =
          [this](ServerCore::ConnectionId id, base::Bytes pdu) {
            counters_.sent(pdu);
            transport_.send(id, std::move(pdu));
          },
      .close = [this](ServerCore::ConnectionId id) { transport_.close(id); },
      .validate =
          [this](std::uint32_t id, const UpdateContent& content, std::uint8_t types,
                 std::uint64_t generation) {
            validation_.track(id, content);
            validation_.validate(id, content, types, generation,
                                 [this](std::uint32_t update, ResultType type,
                                        srx::SrxResult result, std::uint64_t gen) {
                                   counters_.result(type, result);
                                   core_.on_result(update, type, result, gen);
                                 });
          },
      .forget = [this](std::uint32_t id) { validation_.forget(id); },
      .sign = [this](std::uint32_t, const UpdateContent& content,
                     const srx::SignRequestPdu& request,
                     std::uint32_t proxy_as) -> base::Result<base::Bytes, srx::SrxError> {
        auto signed_update = sign_update(content, request, base::Asn(proxy_as), signing_keys_);
        counters_.sign_request(signed_update ? ServerMetrics::SignOutcome::Signed
                                             : ServerMetrics::SignOutcome::Refused);
        return signed_update;
      },
      .log =
          [](ServerCore::ConnectionId, LogLevel level, std::string text) {
            switch (level) {
              case LogLevel::Debug:
                spdlog::debug("{}", text);
                break;
              case LogLevel::Info:
                spdlog::info("{}", text);
                break;
              case LogLevel::Warning:
                spdlog::warn("{}", text);
                break;
              case LogLevel::Error:
                spdlog::error("{}", text);
                break;
            }
          },
  };
}

SrxTransport::Handlers ValidationServer::transport_handlers() {
  return SrxTransport::Handlers{
      .connected = [this](const std::string& peer) { return on_connected(peer); },
      .received =
          [this](SrxTransport::ConnectionId id, const srx::SrxPdu& pdu) {
            counters_.received(pdu);
            if (const auto* sign = std::get_if<srx::SignRequestPdu>(&pdu);
                sign != nullptr && core_.update(sign->update_id) == nullptr) {
              // The core answers ERROR 5 without asking the signer (docs/srx-proxy.md §7.4).
              counters_.sign_request(ServerMetrics::SignOutcome::UnknownUpdate);
            }
            core_.received(id, pdu, Clock::now());
          },
      .malformed =
          [this](SrxTransport::ConnectionId id, const srx::SrxError& error) {
            counters_.malformed(error);
            core_.malformed(id, error, Clock::now());
          },
      .disconnected =
          [this](SrxTransport::ConnectionId id, const std::string& why) {
            spdlog::debug("router connection {}: {}", id, why);
            core_.disconnected(id, Clock::now());
          },
  };
}

SrxTransport::ConnectionId ValidationServer::on_connected(const std::string& peer) {
  const auto id = core_.connected(peer);
  if (!allowed(config_.allow, peer)) {
    // The SRx protocol has no authentication: [server] allow is the only gate.
    spdlog::warn("router {}: refused, not in [server] allow", peer);
    core_.turn_away(id);
    asio::post(io_, [this, id] { transport_.close(id); });
  } else if (core_.open_connection_count() > config_.max_routers) {
    spdlog::warn("router {}: refused, {} routers connected (max_routers)", peer,
                 config_.max_routers);
    core_.turn_away(id);
    asio::post(io_, [this, id] { transport_.close(id); });
  }
  return id;
}

base::Result<void> ValidationServer::start() {
  if (started_) {
    return {};
  }
  BGPSEC_ASSIGN_OR_RETURN(auto keys, read_keys(config_.keys));
  apply_keys(std::move(keys));
  apply_server_settings(config_);
  control_ = std::make_shared<service::ControlServer>(io_);
  if (!config_.control_socket.empty()) {
    BGPSEC_TRY(control_->listen_unix(config_.control_socket));
  }
  if (config_.control_tcp) {
    BGPSEC_TRY(
        control_->listen_tcp(config_.control_tcp->address.to_string(), config_.control_tcp->port));
  }
  register_control();
  register_metrics();
  if (config_.metrics_listen) {
    metrics_server_ = std::make_shared<service::MetricsServer>(io_, metrics_);
    BGPSEC_TRY(metrics_server_->listen(config_.metrics_listen->address.to_string(),
                                       config_.metrics_listen->port));
  }
  BGPSEC_TRY(rpki_feed_.load_files(config_.rpki));
  static_cast<void>(rpki_feed_.configure_caches(config_.rpki));
  for (const auto& endpoint : config_.listen) {
    BGPSEC_TRY(transport_.listen(asio::ip::tcp::endpoint(
        asio::ip::make_address(endpoint.address.to_string()), endpoint.port)));
  }
  arm_collection();
  started_ = true;
  std::string where;
  for (const auto& endpoint : transport_.local_endpoints()) {
    where += (where.empty() ? "" : ", ") + endpoint.address().to_string() + " port " +
             std::to_string(endpoint.port());
  }
  spdlog::info("bgpsecvd started: SRx proxy protocol 3 on {}; {} validation threads", where,
               pool_->threads());
  return {};
}

void ValidationServer::stop() {
  if (stopped_) {
    return;
  }
  stopped_ = true;
  // No new router while the others are told GOODBYE.
  transport_.stop_accepting();
  if (started_) {
    core_.shutdown();
  }
  collect_timer_.cancel();
  rpki_feed_.stop();
  if (control_) {
    control_->stop();
  }
  if (metrics_server_) {
    metrics_server_->stop();
  }
}

void ValidationServer::arm_collection() {
  collect_timer_.expires_after(collection_interval(config_.keep_window));
  collect_timer_.async_wait([this](const asio::error_code& ec) {
    if (ec || stopped_) {
      return;
    }
    if (const auto collected = core_.collect(Clock::now()); collected != 0) {
      counters_.collected(collected);
      spdlog::debug("{} updates collected after their keep window", collected);
    }
    arm_collection();
  });
}

// ===== RPKI =====

void ValidationServer::on_rpki_change(const rpki::ChangeSet& change) {
  ++rpki_changes_;
  // RFC 8374 §9.2: only the updates the change can affect are validated again; the core
  // notifies the routers holding them of the results that changed.
  const auto affected = validation_.affected(change);
  std::map<std::uint32_t, std::uint8_t> types;
  for (const auto id : affected.origin) {
    types[id] |= srx::kFlagOrigin;
  }
  for (const auto id : affected.path) {
    types[id] |= srx::kFlagPath;
  }
  std::size_t revalidated = 0;
  for (const auto& [id, t] : types) {
    if (core_.revalidate(id, t) != 0) {
      ++revalidated;
    }
  }
  updates_revalidated_ += revalidated;
  counters_.revalidated(revalidated);
  if (revalidated != 0) {
    spdlog::info(
        "rpki change: {} updates validated again ({} under a changed VRP, {} signed "
        "with a changed key)",
        revalidated, affected.origin.size(), affected.path.size());
  }
}

// ===== signing keys =====

base::Result<ValidationServer::LoadedKeys> ValidationServer::read_keys(
    const service::KeySources& sources) {
  BGPSEC_ASSIGN_OR_RETURN(auto by_as, service::load_router_keys_by_as(sources));
  SigningKeys keys;
  std::vector<std::string> files;
  for (auto& [asn, set] : by_as) {
    const service::RouterKey* active = set.active_key();
    if (active == nullptr) {
      continue;
    }
    std::shared_ptr<const service::RouterKeys> shared =
        std::make_shared<service::RouterKeys>(std::move(set));
    for (const auto& key : shared->keys) {
      const bool is_active = key.get() == shared->active_key();
      if (is_active) {
        keys.set(asn, KeyRole::Active,
                 std::shared_ptr<const bgpsec::SignatureProvider>(shared, key.get()));
      } else {
        // RFC 8634 §4: a second key of the AS is the next one (SIGN_REQUEST algorithm 2).
        keys.set(asn, KeyRole::Next,
                 std::shared_ptr<const bgpsec::SignatureProvider>(shared, key.get()));
      }
      files.push_back("AS" + asn.to_string() + " " + key->ski().to_hex() +
                      (is_active ? " (active) " : " (next) ") + key->from());
    }
  }
  return LoadedKeys{std::move(keys), std::move(files)};
}

void ValidationServer::apply_keys(LoadedKeys loaded) {
  signing_keys_ = std::move(loaded.keys);
  key_files_ = std::move(loaded.described);
  for (const auto& line : key_files_) {
    spdlog::info("signing key {}", line);
  }
}

// ===== control API =====

void ValidationServer::register_control() {
  control_->register_command(std::string(kCmdShowRouters), [this](const nlohmann::json&) {
    return base::Result<nlohmann::json>(show_routers());
  });
  control_->register_command(std::string(kCmdShowUpdates),
                             [this](const nlohmann::json& args) { return show_updates(args); });
  control_->register_command("show rpki", [this](const nlohmann::json&) {
    return base::Result<nlohmann::json>(show_rpki());
  });
  control_->register_command(std::string(kCmdShowServer), [this](const nlohmann::json&) {
    return base::Result<nlohmann::json>(show_server());
  });
  control_->register_command("reload", [this](const nlohmann::json&) { return reload(); });
}

void ValidationServer::register_metrics() {
  // The usual Prometheus build-info gauge: constant 1, the identity in its labels.
  metrics_
      .gauge("bgpsecvd_build_info", "version and git revision bgpsecvd was built from",
             {{"version", identity_.version}, {"revision", identity_.revision}})
      .set(1);
  metrics_.gauge_callback("bgpsecvd_routers", "router connections open", {},
                          [this] { return static_cast<double>(core_.open_connection_count()); });
  metrics_.gauge_callback("bgpsecvd_updates", "updates stored", {},
                          [this] { return static_cast<double>(core_.update_count()); });
  metrics_.gauge_callback("bgpsecvd_validation_in_flight",
                          "path validations handed to the workers and not finished", {},
                          [this] { return static_cast<double>(pool_->in_flight()); });
  metrics_.gauge_callback("bgpsecvd_validation_queued", "path validations waiting for a worker", {},
                          [this] { return static_cast<double>(pool_->queued()); });
  metrics_.gauge_callback("bgpsecvd_rpki_vrps", "VRPs in use", {},
                          [this] { return static_cast<double>(rpki_.snapshot()->vrps.size()); });
  metrics_.gauge_callback("bgpsecvd_rpki_router_keys", "router keys in use", {}, [this] {
    return static_cast<double>(rpki_.snapshot()->router_keys.size());
  });
  service::register_rtr_metrics(metrics_, [this] { return rpki_feed_.cache_status(); });
}

nlohmann::json ValidationServer::show_routers() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : core_.connections()) {
    out.push_back({{"connection", c.id},
                   {"peer", c.peer},
                   {"proxy_id", c.proxy_id ? nlohmann::json(*c.proxy_id) : nlohmann::json(nullptr)},
                   {"asn", c.asn},
                   {"state", connection_state_name(c.state)},
                   {"updates_held", c.updates_held},
                   {"requests", c.counters.requests},
                   {"receipts", c.counters.receipts},
                   {"notifications", c.counters.notifications},
                   {"deletes", c.counters.deletes},
                   {"sign_requests", c.counters.sign_requests},
                   {"errors", c.counters.errors},
                   {"queued_bytes", transport_.queued_bytes(c.id)}});
  }
  return out;
}

base::Result<nlohmann::json> ValidationServer::show_updates(const nlohmann::json& args) const {
  if (!args.contains("id")) {
    return nlohmann::json{{"updates", core_.update_count()},
                          {"max_updates", config_.max_updates},
                          {"max_updates_per_router", config_.max_updates_per_router},
                          {"keep_window", config_.keep_window.count()},
                          {"tracked", validation_.tracked()}};
  }
  if (!args["id"].is_number_unsigned()) {
    return base::fail("'id' must be an update ID (a number)");
  }
  const auto id = args["id"].get<std::uint32_t>();
  const StoredUpdate* update = core_.update(id);
  if (update == nullptr) {
    return base::fail("no update " + std::to_string(id));
  }
  nlohmann::json holders = nlohmann::json::array();
  for (const auto& [proxy, holder] : update->holders) {
    holders.push_back({{"proxy_id", proxy}, {"types", types_json(holder.types)}});
  }
  nlohmann::json path = nlohmann::json::array();
  for (const auto asn : update->content.as_path) {
    path.push_back(asn);
  }
  return nlohmann::json{{"id", id},
                        {"prefix", update->content.prefix.to_string()},
                        {"origin_as", update->content.origin_as},
                        {"as_path", path},
                        {"local_as", update->content.local_as},
                        {"signed", !update->content.bgpsec_attribute.empty()},
                        {"origin", srx::result_name(update->results.origin)},
                        {"path", srx::result_name(update->results.path)},
                        {"aspa", srx::result_name(update->results.aspa)},
                        {"holders", holders},
                        {"collectable", update->expires.has_value()}};
}

nlohmann::json ValidationServer::show_rpki() const {
  nlohmann::json out = rpki_feed_.json();
  out["changes"] = rpki_changes_;
  out["updates_revalidated"] = updates_revalidated_;
  out["signing_keys"] = key_files_;
  return out;
}

nlohmann::json ValidationServer::show_server() const {
  nlohmann::json listen = nlohmann::json::array();
  for (const auto& endpoint : transport_.local_endpoints()) {
    listen.push_back(endpoint.address().to_string() + ":" + std::to_string(endpoint.port()));
  }
  const auto v = verifier_->stats();
  return {{"version", identity_.version},
          {"revision", identity_.revision},
          {"listen", listen},
          {"routers", core_.connections().size()},
          {"updates", core_.update_count()},
          {"validation",
           {{"threads", pool_->threads()},
            {"in_flight", pool_->in_flight()},
            {"queued", pool_->queued()},
            {"completed", pool_->completed()},
            {"signatures_checked", pool_->signatures_checked()},
            {"signature_cache_hits", v.signature_cache_hits},
            {"signature_cache_misses", v.signature_cache_misses},
            {"signature_cache_entries", v.signature_cache_entries},
            {"key_tables", v.key_tables},
            {"small_key_tables", v.small_key_tables}}}};
}

base::Result<nlohmann::json> ValidationServer::reload() {
  auto next = source_.load();
  if (!next) {
    return base::fail(next.error().message);
  }
  spdlog::info("reloading the configuration from {}", source_.description);
  nlohmann::json changes = nlohmann::json::array();
  nlohmann::json restart = nlohmann::json::array();
  if (next->listen != config_.listen) {
    restart.push_back("server.listen");
  }
  if (next->control_socket != config_.control_socket || next->control_tcp != config_.control_tcp) {
    restart.push_back("control");
  }
  if (next->metrics_listen != config_.metrics_listen) {
    restart.push_back("metrics");
  }
  if (next->validation_threads != config_.validation_threads ||
      next->signature_cache_entries != config_.signature_cache_entries ||
      next->key_tables != config_.key_tables ||
      next->small_key_tables != config_.small_key_tables) {
    restart.push_back("bgpsec engine sizes");
  }
  // Everything that can fail is read first; only then is anything applied, so a bad key file
  // or RPKI file leaves the server exactly as it was.
  BGPSEC_ASSIGN_OR_RETURN(auto keys, read_keys(next->keys));
  auto loaded = rpki_feed_.files()->load_files(next->rpki);
  if (!loaded) {
    return base::fail(loaded.error().message);
  }
  if (auto committed = rpki_feed_.files()->commit(std::move(*loaded)); !committed) {
    return base::fail(committed.error().message);
  }
  changes.push_back("rpki files re-read");
  apply_keys(std::move(keys));
  changes.push_back("signing keys re-read");
  for (auto& change : rpki_feed_.configure_caches(next->rpki)) {
    changes.push_back(std::move(change));
  }
  if (next->allow != config_.allow || next->max_routers != config_.max_routers ||
      next->max_updates != config_.max_updates ||
      next->max_updates_per_router != config_.max_updates_per_router ||
      next->keep_window != config_.keep_window || next->log_level != config_.log_level) {
    changes.push_back("server settings applied");
  }
  apply_server_settings(*next);
  // The settings that need a restart keep their running values.
  next->listen = config_.listen;
  next->control_socket = config_.control_socket;
  next->control_tcp = config_.control_tcp;
  next->metrics_listen = config_.metrics_listen;
  next->validation_threads = config_.validation_threads;
  next->signature_cache_entries = config_.signature_cache_entries;
  next->key_tables = config_.key_tables;
  next->small_key_tables = config_.small_key_tables;
  config_ = std::move(*next);
  return nlohmann::json{{"changes", changes}, {"needs_restart", restart}};
}

// The [server] settings a running server takes at once. A lower limit refuses new updates
// from now on; nothing stored is dropped for it. A new keep window applies to updates let go
// of from now on.
void ValidationServer::apply_server_settings(const ServerConfig& next) {
  core_.set_limits(ServerCore::Options{.max_updates = next.max_updates,
                                       .max_updates_per_proxy = next.max_updates_per_router,
                                       .min_keep_window = next.keep_window});
  service::set_log_level(next.log_level);
}

}  // namespace bgpsecd::validation_server
