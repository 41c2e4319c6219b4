// SPDX-License-Identifier: BSD-2-Clause
// Our router keys at run time: which one signs, a change of the active key at reload (RFC 8634
// §4 rollover) and the routes signed again for it, and the keys in show rpki and the metrics.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "daemon/speaker.hpp"
#include "daemon/speaker_neighbor.hpp"
#include "service/metrics.hpp"

namespace bgpsecd::daemon {
namespace {

// The pace of signing again after a change of the active key: this many routes, then a pause
// in which the I/O thread serves everything else (keepalives, received UPDATEs), so that
// the switch of a full table neither stalls the sessions nor floods the peers.
constexpr std::size_t kResignBatch = 200;
constexpr auto kResignPause = std::chrono::milliseconds(50);

// How often the expiry of our signing key's RPKI entry is looked at (and warned about again).
constexpr auto kKeyExpiryCheck = std::chrono::hours(1);

}  // namespace

void Speaker::log_router_keys() const {
  for (const auto& key : signers_.keys) {
    const bool active = key.get() == signers_.active_key();
    spdlog::info("BGPsec router key for AS{}: SKI {} ({}){}", signers_.asn.to_string(),
                 key->ski().to_hex(), key->from(),
                 active ? (signers_.configured ? ", active (active_key)" : ", active") : "");
  }
}

void Speaker::use_router_keys(RouterKeys keys, nlohmann::json& changes) {
  for (auto& change : carry_over(signers_, keys)) {
    spdlog::info("reload: {}", change);
    changes.push_back(std::move(change));
  }
  const auto* was = signers_.active_key();
  const auto* now = keys.active_key();
  const bool switched = was != nullptr && now != nullptr && was->ski() != now->ski();
  signers_ = std::move(keys);
  if (switched) {
    start_resign();
    changes.push_back("router key AS" + signers_.asn.to_string() + ": " +
                      std::to_string(resign_queue_.size()) + " routes to be signed again");
  }
}

void Speaker::start_resign() {
  // A newer switch replaces what is left of an earlier one: everything is signed again anyway.
  resign_queue_.clear();
  for (const auto& [name, n] : neighbors_) {
    if (!n->established() || n->table_deferred) {
      continue;  // its whole table goes out signed with the new key when it comes up
    }
    for (const auto& out : n->adj_out.refresh()) {
      if (out.sign) {
        resign_queue_.push_back(ResignItem{name, out.prefix});
      }
    }
  }
  spdlog::info("router key AS{}: SKI {} active; {} routes to sign again", signers_.asn.to_string(),
               signers_.active_key()->ski().to_hex(), resign_queue_.size());
  if (!resign_timer_) {
    resign_timer_ = std::make_unique<asio::steady_timer>(io_);
  }
  resign_timer_->cancel();
  resign_timer_->expires_after(std::chrono::milliseconds(0));
  resign_timer_->async_wait([this](const asio::error_code& ec) {
    if (!ec) {
      resign_next();
    }
  });
}

void Speaker::resign_next() {
  std::size_t sent = 0;
  while (sent < kResignBatch && !resign_queue_.empty()) {
    const ResignItem item = std::move(resign_queue_.front());
    resign_queue_.pop_front();
    Neighbor* n = find_neighbor(item.neighbor);
    if (n == nullptr || !n->established() || n->table_deferred) {
      continue;
    }
    // As the Adj-RIB-Out has it now: a route changed or withdrawn since the switch already
    // went out with the new key, or is gone.
    const rib::OutUpdate* out = n->adj_out.find(item.prefix);
    if (out == nullptr || out->withdraw() || !out->sign) {
      continue;
    }
    send(*n, *out);  // RFC 8205 §4.2: signed afresh, with the active key
    ++routes_resigned_;
    ++sent;
  }
  if (resign_queue_.empty()) {
    spdlog::info("router key AS{}: every route signed with SKI {}", signers_.asn.to_string(),
                 signers_.active_key() ? signers_.active_key()->ski().to_hex() : "-");
    return;
  }
  resign_timer_->expires_after(kResignPause);
  resign_timer_->async_wait([this](const asio::error_code& ec) {
    if (!ec) {
      resign_next();
    }
  });
}

void Speaker::stop_resign() {
  resign_queue_.clear();
  if (resign_timer_) {
    resign_timer_->cancel();
  }
}

nlohmann::json Speaker::signing_keys_json() const {
  nlohmann::json keys = nlohmann::json::array();
  const auto snapshot = rpki_.snapshot();
  for (const auto& key : signers_.keys) {
    keys.push_back(
        {{"ski", key->ski().to_hex()},
         {"file", key->from()},
         {"active", key.get() == signers_.active_key()},
         {"signatures", key->signatures()},
         // Whether the RPKI data in use has this key (RFC 8634 §4: a new key should be
         // there before it signs, an old one stays there while routes signed with it remain).
         {"in_rpki", snapshot->router_keys.contains(signers_.asn, key->ski(), key->public_key())},
         {"rpki_expires", signing_key_expiry(*key) ? nlohmann::json(*signing_key_expiry(*key))
                                                   : nlohmann::json(nullptr)}});
  }
  nlohmann::json ases = nlohmann::json::array();
  if (!signers_.empty()) {
    ases.push_back({{"asn", signers_.asn.value()},
                    {"active_from", signers_.configured ? "active_key" : "oldest"},
                    {"keys", keys}});
  }
  return {{"ases", ases},
          {"resign_pending", resign_queue_.size()},
          {"routes_resigned", routes_resigned_}};
}

void Speaker::register_key_metrics() {
  const auto per_key = [this](auto value) {
    return [this, value]() {
      std::vector<MetricSample> samples;
      for (const auto& key : signers_.keys) {
        samples.push_back(
            MetricSample{{{"asn", signers_.asn.to_string()}, {"ski", key->ski().to_hex()}},
                         static_cast<double>(value(*key))});
      }
      return samples;
    };
  };
  metrics_->family_callback("bgpsecd_router_key_signatures_total",
                            "signatures made with each of our router keys (RFC 8205 §4.2)",
                            MetricType::Counter,
                            per_key([](const RouterKey& key) { return key.signatures(); }));
  metrics_->family_callback(
      "bgpsecd_router_key_active", "1 for the router key that signs, 0 for the others loaded",
      MetricType::Gauge,
      per_key([this](const RouterKey& key) { return &key == signers_.active_key() ? 1 : 0; }));
  metrics_->family_callback(
      "bgpsecd_router_key_in_rpki",
      "1 when the RPKI data in use has the router key (its certificate is valid and published), "
      "0 when not: peers that validate see what it signs as Not Valid",
      MetricType::Gauge, per_key([this](const RouterKey& key) {
        return rpki_.snapshot()->router_keys.contains(signers_.asn, key.ski(), key.public_key())
                   ? 1
                   : 0;
      }));
  metrics_->family_callback(
      "bgpsecd_router_key_rpki_expires_timestamp_seconds",
      "when the RPKI JSON files' entry for the router key expires (Unix time; keys listed "
      "with an expiry only)",
      MetricType::Gauge, [this] {
        std::vector<MetricSample> samples;
        for (const auto& key : signers_.keys) {
          if (const auto expires = signing_key_expiry(*key)) {
            samples.push_back(
                MetricSample{{{"asn", signers_.asn.to_string()}, {"ski", key->ski().to_hex()}},
                             static_cast<double>(*expires)});
          }
        }
        return samples;
      });
  metrics_->gauge_callback("bgpsecd_router_key_resign_pending",
                           "routes waiting to be signed again with a new active router key", {},
                           [this] { return static_cast<double>(resign_queue_.size()); });
  metrics_->family_callback(
      "bgpsecd_router_key_routes_resigned_total",
      "routes signed again and sent after a change of the active key", MetricType::Counter, [this] {
        return std::vector<MetricSample>{MetricSample{{}, static_cast<double>(routes_resigned_)}};
      });
}

void Speaker::warn_if_signing_key_left(const rpki::ChangeSet& change) {
  const RouterKey* active = signers_.active_key();
  if (active == nullptr) {
    return;
  }
  const auto is_ours = [&](const rpki::RouterKeyEntry& e) {
    return e.asn == signers_.asn && e.ski == active->ski();
  };
  // RFC 8205 §5.2: a peer that validates finds no key for our signature and sees every route
  // we sign Not Valid. The operator must hear of it before the peers' operators do.
  if (std::any_of(change.keys_removed.begin(), change.keys_removed.end(), is_ours) &&
      !rpki_.snapshot()->router_keys.contains(signers_.asn, active->ski(), active->public_key())) {
    spdlog::warn(
        "rpki: our signing key AS{} {} is no longer in the RPKI (certificate revoked, expired or "
        "not published): peers that validate see the routes we sign as Not Valid; publish it "
        "again or roll to a key that is published ([bgpsec.active_key])",
        signers_.asn.to_string(), active->ski().to_hex());
  } else if (std::any_of(change.keys_added.begin(), change.keys_added.end(), is_ours)) {
    spdlog::info("rpki: our signing key AS{} {} is in the RPKI", signers_.asn.to_string(),
                 active->ski().to_hex());
  }
}

std::optional<std::int64_t> Speaker::signing_key_expiry(const RouterKey& key) const {
  const auto* files = rpki_feed_.files();
  return files == nullptr ? std::nullopt : files->router_key_expiry(signers_.asn, key.ski());
}

void Speaker::check_signing_key_expiry() {
  const RouterKey* active = signers_.active_key();
  const auto window = config_.bgpsec.key_expiry_warning;
  if (active == nullptr || window.count() == 0) {
    return;
  }
  const auto expires = signing_key_expiry(*active);
  if (!expires) {
    return;
  }
  const auto left = *expires - rpki::unix_now();
  if (left <= window.count()) {
    // rpki-client drops the key when its certificate (or one above it) runs out without being
    // renewed; peers that validate then see what we sign Not Valid.
    spdlog::warn(
        "rpki: our signing key AS{} {} leaves the RPKI in {} min (expires {} by the RPKI JSON): "
        "its router certificate or a CA certificate above it ends then unless renewed; after "
        "that, peers that validate see the routes we sign as Not Valid",
        signers_.asn.to_string(), active->ski().to_hex(), std::max<std::int64_t>(left, 0) / 60,
        *expires);
  }
}

void Speaker::arm_key_expiry_check() {
  if (!key_expiry_timer_) {
    key_expiry_timer_ = std::make_unique<asio::steady_timer>(io_);
  }
  check_signing_key_expiry();
  key_expiry_timer_->expires_after(kKeyExpiryCheck);
  key_expiry_timer_->async_wait([this](const asio::error_code& ec) {
    if (!ec && started_) {
      arm_key_expiry_check();
    }
  });
}

}  // namespace bgpsecd::daemon
