// SPDX-License-Identifier: BSD-2-Clause
// The speaker's record of one configured neighbor, shared by speaker.cpp (which drives it)
// and speaker_views.cpp (which shows it). Internal to the speaker.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <asio.hpp>
#include <spdlog/spdlog.h>

#include "base/prefix_set.hpp"
#include "daemon/policy.hpp"
#include "daemon/rate_limit.hpp"
#include "daemon/refresh_windows.hpp"
#include "daemon/speaker.hpp"
#include "wire/update.hpp"

namespace bgpsecd::daemon {

// The address family of an AFI code we carry routes for (RFC 4760), else nullopt.
[[nodiscard]] inline std::optional<base::Afi> afi_of(std::uint16_t afi) {
  if (afi == 1) {
    return base::Afi::Ipv4;
  }
  if (afi == 2) {
    return base::Afi::Ipv6;
  }
  return std::nullopt;
}

// One configured neighbor: its session, its RIBs and what the RIB side knows about it.
struct Speaker::Neighbor final : session::PeerHandler {
  Speaker& speaker;
  NeighborConfig config;
  std::shared_ptr<session::Peer> peer;
  rib::PeerHandle info;
  rib::AdjRibIn adj_in;
  rib::AdjRibOut adj_out;
  rib::ExportPeer export_peer;
  std::optional<session::Negotiated> negotiated;
  std::unique_ptr<asio::steady_timer> stale_timer;  // RFC 4724 §4.2 restart / stale timer
  RefreshWindows refresh_windows;                   // RFC 7313 §4: between BoRR and EoRR
  NeighborStats stats;
  // RFC 4724 §4.1: families whose End-of-RIB the peer sent in this session; and whether our
  // table to it waits for the end of the restart deferral (Speaker::send_table).
  std::vector<base::Afi> end_of_rib_received;
  // Routes of adj_in whose signatures a worker is checking, with the token of the latest
  // request: an older result that arrives after a newer request (a route replaced, an RPKI
  // change) is dropped. An in-flight route is Pending and not a candidate for the Loc-RIB.
  PendingChecks validating;
  // Routes of adj_in left Pending without a check because import rejects them whatever their
  // signatures say (RFC 8374 §8.1); checked once an RPKI or policy change could admit them.
  base::PrefixSet not_verified;
  // Routes of adj_in left Pending without a check because the validation queue was full
  // (RFC 8374 §8.7 "validation deferred", [bgpsec] defer_when_queued); start_deferred hands
  // them to the workers once it has room.
  base::PrefixSet deferred;
  // Routes of adj_in left Pending without a check because the prefix's best route beats them
  // whatever their signatures say ([bgpsec] validation_order = "best-first"); checked when the
  // best changes so that they could win (Speaker::check_postponed).
  base::PrefixSet postponed;
  // Routes of adj_in held by the validation servers, with the key they know them by
  // (Speaker::outsourced_).
  std::map<base::Prefix, srx_client::RouteKey> outsourced;
  // Routes to this neighbor waiting for a validation server's signature, with the generation
  // of the request (Speaker::pending_signs_); a newer UPDATE for the prefix drops the entry.
  std::map<base::Prefix, std::uint64_t> server_signing;
  // Routes of adj_out that were to be signed but went out unsigned because signing failed
  // (RFC 8205 §4), so that `show routes --advertised` shows them as they were sent.
  std::set<base::Prefix> sent_unsigned;
  // Routes of adj_out that went out with a validation server's signature ([validation] signing
  // = "server"), as signed, for `show routes --advertised`; we could not sign them again.
  std::map<base::Prefix, rib::StoredBgpsecPath> sent_server_signed;
  // RFC 9234 §5 egress: prefixes whose best route the OTC rules keep from this neighbor, with
  // that route's received_seq, so that a route is counted as held back once however often it
  // is exported again.
  std::map<base::Prefix, std::uint32_t> leaks_held;
  bool table_deferred = false;
  // Our table goes out in slices (Speaker::send_table_slice) so that a full table does not hold
  // the I/O thread for seconds: whether a walk is under way, the last prefix it sent (none: it
  // starts from the first), the prefixes it has visited, when it began, and its epoch, which a
  // slice scheduled for an earlier walk or session finds changed, and stops.
  bool table_sending = false;
  std::optional<base::Prefix> table_cursor;
  std::size_t table_walked = 0;
  std::chrono::steady_clock::time_point table_started;
  std::uint64_t table_epoch = 0;
  std::unique_ptr<asio::steady_timer> table_timer;  // the next slice, while the queue drains
  RateLimit log_limit;  // warnings caused by this neighbor's UPDATEs (docs/style.md §2.13)
  // RFC 4486 §4: after a Cease for too many prefixes, the session comes back after a pause.
  std::unique_ptr<asio::steady_timer> max_prefix_timer;
  std::chrono::steady_clock::time_point state_since = std::chrono::steady_clock::now();

  Neighbor(Speaker& s, NeighborConfig c, rib::PeerHandle i)
      : speaker(s),
        config(std::move(c)),
        info(i),
        adj_in(i, config.max_prefix),
        refresh_windows(s.io_) {}

  [[nodiscard]] std::string name() const { return config.name(); }
  // docs/style.md §2.13: a warning caused by this neighbor may be logged now; when the rate limit
  // says no, the line is counted as suppressed instead.
  [[nodiscard]] bool may_log_warning() {
    if (log_limit.allow(std::chrono::steady_clock::now())) {
      return true;
    }
    ++stats.logs_suppressed;
    return false;
  }
  [[nodiscard]] bool ebgp() const { return !config.ibgp(speaker.config_.global); }
  [[nodiscard]] bool established() const {
    return peer && peer->state() == session::State::Established && negotiated.has_value();
  }
  // RFC 8212 §3: an eBGP neighbor without an export policy is sent no route, so neither the
  // table walk nor a route change needs to look at it beyond withdrawing what it still has.
  [[nodiscard]] bool exports_nothing() const {
    return !config.export_policy && verdict_without_policy(ebgp()) == PolicyVerdict::Reject;
  }
  // Established, and our table has gone out (so route changes are sent to it).
  [[nodiscard]] bool exporting() const { return established() && !table_deferred; }

  void on_established(const session::Negotiated& n) override { speaker.on_established(*this, n); }
  void on_update(wire::DecodedUpdate&& u) override {
    const auto eor = wire::end_of_rib(u.update);
    speaker.on_update(*this, std::move(u));
    if (eor) {
      speaker.on_end_of_rib(*this, eor->first);
    }
  }
  void on_route_refresh(const wire::RouteRefreshMessage& r) override {
    speaker.on_route_refresh(*this, r);
  }
  void on_down(const session::SessionDown& d) override { speaker.on_down(*this, d); }
  void on_log(session::LogLevel level, const std::string& text) override {
    switch (level) {
      case session::LogLevel::Debug:
        spdlog::debug("{}", text);
        break;
      case session::LogLevel::Info:
        spdlog::info("{}", text);
        break;
      case session::LogLevel::Warning:
        spdlog::warn("{}", text);
        break;
      case session::LogLevel::Error:
        spdlog::error("{}", text);
        break;
    }
  }
};

}  // namespace bgpsecd::daemon
