// SPDX-License-Identifier: BSD-2-Clause
// What the speaker shows of its validation servers: `show validation` (shape in
// control_text.hpp) and the bgpsecd_validation_server_* metrics.
#include "daemon/control_text.hpp"
#include "daemon/speaker_neighbor.hpp"

namespace bgpsecd::daemon {

nlohmann::json Speaker::show_validation() const {
  const ValidationConfig& v = config_.validation;
  nlohmann::json neighbors = nlohmann::json::object();
  for (const auto& [name, n] : neighbors_) {
    neighbors[name] = {{"mode", validation_mode_name(n->config.validation_mode(v))},
                       {"routes_at_server", n->outsourced.size()}};
  }
  nlohmann::json out = {{"mode", validation_mode_name(v.mode)},
                        {"fallback_after", v.fallback_after.count()},
                        {"signing", signing_mode_name(v.signing)},
                        {"signing_fallback", signing_fallback_name(v.signing_fallback)},
                        {"neighbors", neighbors},
                        {"servers", nlohmann::json::array()}};
  if (!validation_servers_) {
    return out;
  }
  const auto& pool = *validation_servers_;
  std::size_t awaiting = 0;
  for (const auto& [key, entry] : outsourced_) {
    const Neighbor* n = find_neighbor(entry.neighbor);
    if (n != nullptr && n->validating.in_flight(entry.prefix)) {
      ++awaiting;
    }
  }
  out.update({{"available", pool.available()},
              {"fallback_active", servers_unavailable_},
              {"home", v.servers.at(pool.home()).address.to_string()},
              {"failovers", pool.failovers()},
              {"routes", outsourced_.size()},
              {"awaiting_first_result", awaiting},
              {"results", server_results_},
              {"fallback_local", server_fallback_local_},
              {"fallback_deferred", server_fallback_deferred_},
              {"signed_by_server", server_signed_},
              {"signing_pending", pending_signs_.size()},
              {"signing_fallbacks", server_signing_fallbacks_}});
  for (std::size_t i = 0; i < pool.size(); ++i) {
    const auto& server = pool.server(i);
    const auto& core = server.core();
    const auto& c = core.counters();
    out["servers"].push_back({{"address", v.servers[i].address.to_string()},
                              {"preference", v.servers[i].preference},
                              {"state", srx_client::proxy_state_name(core.state())},
                              {"home", i == pool.home()},
                              {"proxy_id", core.proxy_id()},
                              {"routes", core.route_count()},
                              {"awaiting_answers", core.awaiting_answers()},
                              {"connects", server.connects()},
                              {"requests", c.requests},
                              {"receipts", c.receipts},
                              {"notifications", c.notifications},
                              {"deletes", c.deletes},
                              {"errors", c.errors},
                              {"refused", c.refused},
                              {"receipt_ms_mean", c.receipt_latency.mean_seconds() * 1000},
                              {"result_ms_mean", c.result_latency.mean_seconds() * 1000}});
  }
  return out;
}

void Speaker::register_validation_server_metrics() {
  if (config_.validation.servers.empty()) {
    return;
  }
  const auto per_server = [this](auto value) {
    return [this, value]() {
      std::vector<MetricSample> samples;
      if (!validation_servers_) {
        return samples;
      }
      for (std::size_t i = 0; i < validation_servers_->size(); ++i) {
        samples.push_back(
            MetricSample{{{"server", config_.validation.servers[i].address.to_string()}},
                         static_cast<double>(value(validation_servers_->server(i)))});
      }
      return samples;
    };
  };
  using Connection = srx_client::SrxClientConnection;
  metrics_->family_callback("bgpsecd_validation_server_up",
                            "1 while the SRx session with the server is active", MetricType::Gauge,
                            per_server([](const Connection& s) {
                              return s.core().state() == srx_client::ProxyState::Active ? 1 : 0;
                            }));
  metrics_->family_callback("bgpsecd_validation_server_routes", "routes the server holds for us",
                            MetricType::Gauge,
                            per_server([](const Connection& s) { return s.core().route_count(); }));
  metrics_->family_callback(
      "bgpsecd_validation_server_requests_total", "VERIFY requests sent", MetricType::Counter,
      per_server([](const Connection& s) { return s.core().counters().requests; }));
  metrics_->family_callback(
      "bgpsecd_validation_server_receipts_total", "receipts received", MetricType::Counter,
      per_server([](const Connection& s) { return s.core().counters().receipts; }));
  metrics_->family_callback(
      "bgpsecd_validation_server_notifications_total",
      "result notifications received (receipts not counted)", MetricType::Counter,
      per_server([](const Connection& s) { return s.core().counters().notifications; }));
  metrics_->family_callback(
      "bgpsecd_validation_server_errors_total", "ERROR PDUs received", MetricType::Counter,
      per_server([](const Connection& s) { return s.core().counters().errors; }));
  metrics_->family_callback("bgpsecd_validation_server_connects_total", "connection attempts",
                            MetricType::Counter,
                            per_server([](const Connection& s) { return s.connects(); }));
  const auto latency = [this](std::string_view name, std::string_view help, auto histogram) {
    metrics_->family_callback(name, help, MetricType::Histogram, [this, histogram] {
      std::vector<MetricSample> samples;
      if (!validation_servers_) {
        return samples;
      }
      for (std::size_t i = 0; i < validation_servers_->size(); ++i) {
        auto server = service::histogram_samples(
            histogram(validation_servers_->server(i).core().counters()),
            {{"server", config_.validation.servers[i].address.to_string()}});
        samples.insert(samples.end(), server.begin(), server.end());
      }
      return samples;
    });
  };
  latency("bgpsecd_validation_server_receipt_seconds", "VERIFY request to its receipt",
          [](const srx_client::ProxyCounters& c) -> const base::LatencyHistogram& {
            return c.receipt_latency;
          });
  latency("bgpsecd_validation_server_result_seconds",
          "VERIFY request to the route's path result (a route's wait for its validation state)",
          [](const srx_client::ProxyCounters& c) -> const base::LatencyHistogram& {
            return c.result_latency;
          });
  // Speaker-wide counters: one series without labels.
  const auto total = [this](std::string_view name, std::string_view help, auto value) {
    metrics_->family_callback(name, help, MetricType::Counter, [value] {
      return std::vector<MetricSample>{MetricSample{{}, static_cast<double>(value())}};
    });
  };
  total("bgpsecd_validation_server_failovers_total", "times the routes moved to another server",
        [this] { return validation_servers_ ? validation_servers_->failovers() : 0; });
  total("bgpsecd_validation_server_fallback_routes_total",
        "routes checked here (mode server-or-local) or installed deferred (mode server) because "
        "no validation server answered",
        [this] { return server_fallback_local_ + server_fallback_deferred_; });
  total("bgpsecd_validation_server_signed_total",
        "routes sent signed by a validation server ([validation] signing = \"server\")",
        [this] { return server_signed_; });
  total("bgpsecd_validation_server_signing_fallbacks_total",
        "routes a validation server did not sign, signed here or sent unsigned instead "
        "([validation] signing_fallback)",
        [this] { return server_signing_fallbacks_; });
  total("bgpsecd_validation_server_results_total",
        "path results from the servers (first answers and changes)",
        [this] { return server_results_; });
}

}  // namespace bgpsecd::daemon
