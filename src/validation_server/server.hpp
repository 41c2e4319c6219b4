// SPDX-License-Identifier: BSD-2-Clause
// bgpsecvd's server: the SRx transport, the conversation core, the validation of updates with
// bgpsecd's engine (worker pool, signature cache and key tables shared by all routers), the
// RPKI sources, signing keys, the control API and the metrics, wired together. RPKI changes
// revalidate exactly the stored updates they affect (RFC 8374 §9.2) and the routers holding
// them are notified of what changed. Everything but the crypto workers runs on one io_context
// thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <asio.hpp>
#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "bgpsec/caching_verifier.hpp"
#include "rpki/rpki_store.hpp"
#include "rpki/rtr_cache_set.hpp"
#include "service/control_server.hpp"
#include "service/metrics.hpp"
#include "service/rpki_feed.hpp"
#include "service/validation_pool.hpp"
#include "validation_server/conversation.hpp"
#include "validation_server/server_config.hpp"
#include "validation_server/server_metrics.hpp"
#include "validation_server/srx_transport.hpp"
#include "validation_server/update_signing.hpp"
#include "validation_server/update_validation.hpp"

namespace bgpsecd::validation_server {

// Where the configuration comes from: the file and the command line's overrides, read again on
// every reload so that a flag keeps its effect across SIGHUP.
struct ConfigSource {
  std::string description;  // the file's path, or "the command line"
  std::function<base::Result<ServerConfig>()> load;
};

struct ServerIdentity {
  std::string version;   // "0.9.0"
  std::string revision;  // git describe
};

class ValidationServer {
 public:
  ValidationServer(asio::io_context& io, ServerConfig config, ConfigSource source,
                   ServerIdentity identity);
  ValidationServer(const ValidationServer&) = delete;
  ValidationServer& operator=(const ValidationServer&) = delete;
  ValidationServer(ValidationServer&&) = delete;
  ValidationServer& operator=(ValidationServer&&) = delete;
  ~ValidationServer();

  // Loads keys and RPKI files, starts the RTR caches, binds the control socket, the metrics
  // endpoint and the SRx listeners. An error names what failed; nothing is left listening.
  [[nodiscard]] base::Result<void> start();
  // GOODBYE to every router (they will not reconnect by themselves: bgpsecvd(8)), then close.
  void stop();
  // Reads the configuration again (ConfigSource) and applies it whole or not at all: the RPKI
  // files, RTR caches, signing keys, [server] allow, limits, keep window and log level. What
  // needs a restart (listeners, control, metrics, engine sizes) is named in the answer and
  // left as it was. Also SIGHUP.
  [[nodiscard]] base::Result<nlohmann::json> reload();

  // Control API views (bgpsecctl show routers / updates / rpki / server).
  [[nodiscard]] nlohmann::json show_routers() const;
  [[nodiscard]] base::Result<nlohmann::json> show_updates(const nlohmann::json& args) const;
  [[nodiscard]] nlohmann::json show_rpki() const;
  [[nodiscard]] nlohmann::json show_server() const;

  [[nodiscard]] std::vector<asio::ip::tcp::endpoint> listening() const {
    return transport_.local_endpoints();
  }

 private:
  [[nodiscard]] ServerCore::Hooks core_hooks();
  [[nodiscard]] SrxTransport::Handlers transport_handlers();
  [[nodiscard]] SrxTransport::ConnectionId on_connected(const std::string& peer);
  void on_rpki_change(const rpki::ChangeSet& change);
  struct LoadedKeys {
    SigningKeys keys;
    std::vector<std::string> described;  // one line per key, for show rpki and the log
  };
  [[nodiscard]] static base::Result<LoadedKeys> read_keys(const service::KeySources& sources);
  void apply_keys(LoadedKeys loaded);
  void apply_server_settings(const ServerConfig& next);
  void arm_collection();
  void register_control();
  void register_metrics();

  asio::io_context& io_;
  ServerConfig config_;
  ConfigSource source_;
  ServerIdentity identity_;
  rpki::RpkiStore rpki_;
  service::RpkiFeed rpki_feed_;
  SigningKeys signing_keys_;
  std::vector<std::string> key_files_;  // what signs, for show rpki and the log
  std::unique_ptr<bgpsec::CachingSignatureVerifier> verifier_;
  std::unique_ptr<service::ValidationPool> pool_;
  UpdateValidation validation_;
  ServerCore core_;
  SrxTransport transport_;
  std::shared_ptr<service::ControlServer> control_;
  service::MetricsRegistry metrics_;
  ServerMetrics counters_;
  std::shared_ptr<service::MetricsServer> metrics_server_;
  asio::steady_timer collect_timer_;
  std::uint64_t rpki_changes_ = 0;
  std::uint64_t updates_revalidated_ = 0;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace bgpsecd::validation_server
