// SPDX-License-Identifier: BSD-2-Clause
// [rpki] of both daemons' configurations (bgpsecd.conf(5)): RTR caches, rpki-client / StayRTR
// JSON files, SLURM, and how long the preferred caches may fail before the next are used.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rpki/rtr_transport.hpp"

namespace bgpsecd::service {

struct RpkiCache {
  std::string host;  // as written (an address or a name)
  std::uint16_t port = 323;
  std::uint8_t preference = 1;  // lower is preferred (RFC 8210 §10)
  std::uint8_t version = 2;     // highest RTR version to speak; 1 adds router keys, 2 ASPAs
  std::optional<rpki::RtrSshConfig> ssh;      // transport = "ssh" (RFC 8210 §9); none: TCP
  [[nodiscard]] std::string address() const;  // "host:port", "[v6]:port"
  friend bool operator==(const RpkiCache&, const RpkiCache&) = default;
};
[[nodiscard]] rpki::RtrCacheConfig to_rtr_cache_config(const RpkiCache& cache);

struct RpkiConfig {
  std::vector<RpkiCache> caches;
  std::vector<std::string> files;           // rpki-client / StayRTR JSON (ROAs and router keys)
  std::chrono::seconds reload_interval{0};  // re-read `files` this often; 0 = on reload only
  std::string slurm_file;                   // RFC 8416 local exceptions; empty = none
  std::chrono::seconds failover_after{10};  // rpki::RtrCacheSet
  friend bool operator==(const RpkiConfig&, const RpkiConfig&) = default;
};

}  // namespace bgpsecd::service
