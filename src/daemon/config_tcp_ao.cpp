// SPDX-License-Identifier: BSD-2-Clause
// [[neighbor.tcp_ao]]: the neighbor's TCP-AO master key tuples (RFC 5925 §3.1) with the
// lifetimes that let keys roll without resetting the session (RFC 5925 §6.1).
#include <set>

#include "daemon/config_parse.hpp"

namespace bgpsecd::daemon::config_detail {
namespace {

// TOML offset date-time to a point in time; a local date-time has no fixed meaning across
// routers in different time zones, so it is refused.
base::Result<session::WallClock::time_point> to_time_point(const toml::date_time& when) {
  if (!when.offset) {
    return base::fail("needs a time zone offset (e.g. 2027-01-01T00:00:00Z)");
  }
  const std::chrono::year_month_day day{std::chrono::year{when.date.year},
                                        std::chrono::month{when.date.month},
                                        std::chrono::day{when.date.day}};
  if (!day.ok()) {
    return base::fail("is not a valid date");
  }
  const auto since_midnight = std::chrono::hours{when.time.hour} +
                              std::chrono::minutes{when.time.minute} +
                              std::chrono::seconds{when.time.second};
  return session::WallClock::time_point{std::chrono::sys_days{day}} + since_midnight -
         std::chrono::minutes{when.offset->minutes};
}

}  // namespace

base::Result<void> NeighborSection::parse_tcp_ao(const toml::table& t, std::string_view ctx,
                                                 NeighborConfig& n) {
  BGPSEC_ASSIGN_OR_RETURN(const toml::array* keys, array_of_tables(t, "tcp_ao", ctx));
  if (keys == nullptr) {
    return {};
  }
  if (!n.password.empty()) {
    // RFC 5925 §1: TCP-AO replaces TCP MD5; a connection never carries both.
    return error(t.get("tcp_ao")->source(), ctx,
                 "give 'password' (TCP MD5) or [[neighbor.tcp_ao]] keys, not both");
  }
  std::set<std::uint8_t> send_ids;
  std::set<std::uint8_t> recv_ids;
  for (const toml::node& node : *keys) {
    const toml::table& k = *node.as_table();
    const std::string kctx = std::string(ctx) + " tcp_ao #" + std::to_string(n.tcp_ao.size() + 1);
    BGPSEC_TRY(check_keys(k, kctx,
                          {"send_id", "recv_id", "algorithm", "key", "key_file", "send_from",
                           "send_until", "accept_from", "accept_until", "preferred"}));
    session::AoKey key;
    BGPSEC_ASSIGN_OR_RETURN(const toml::node* send_node, require(k, "send_id", kctx));
    BGPSEC_TRY(require(k, "recv_id", kctx));
    BGPSEC_TRY(read_int(k, "send_id", kctx, 0, 255, key.send_id));
    BGPSEC_TRY(read_int(k, "recv_id", kctx, 0, 255, key.recv_id));
    // RFC 5925 §3.1: within a connection's MKTs, the KeyIDs of each direction are unique.
    if (!send_ids.insert(key.send_id).second) {
      return error(send_node->source(), kctx,
                   "send_id " + std::to_string(key.send_id) + " used by another key");
    }
    if (!recv_ids.insert(key.recv_id).second) {
      return error(k.get("recv_id")->source(), kctx,
                   "recv_id " + std::to_string(key.recv_id) + " used by another key");
    }
    if (const toml::node* alg = k.get("algorithm")) {
      BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*alg, "algorithm", kctx));
      const auto parsed = session::parse_ao_algorithm(text);
      if (!parsed) {
        return error(alg->source(), kctx,
                     "'algorithm': unknown value '" + std::string(text) +
                         "' (expected hmac-sha-1-96, aes-128-cmac-96 or hmac-sha-256)");
      }
      key.algorithm = *parsed;
    }
    if (k.get("key") == nullptr && k.get("key_file") == nullptr) {
      return error(node.source(), kctx, "needs 'key' or 'key_file'");
    }
    BGPSEC_TRY(parse_secret(k, "key", "key_file", "TCP-AO key", session::kMaxAoKeyLength, kctx,
                            key.secret, key.secret_file));
    for (auto [name, out] :
         {std::pair{"send_from", &key.send_from}, std::pair{"send_until", &key.send_until},
          std::pair{"accept_from", &key.accept_from},
          std::pair{"accept_until", &key.accept_until}}) {
      const toml::node* when = k.get(name);
      if (when == nullptr) {
        continue;
      }
      const auto* value = when->as_date_time();
      if (value == nullptr) {
        return error(when->source(), kctx,
                     "'" + std::string(name) + "' must be a date-time with an offset, not " +
                         type_name(*when));
      }
      auto point = to_time_point(value->get());
      if (!point) {
        return error(when->source(), kctx, "'" + std::string(name) + "' " + point.error().message);
      }
      *out = *point;
    }
    if (key.send_from && key.send_until && *key.send_until <= *key.send_from) {
      return error(k.get("send_until")->source(), kctx, "'send_until' is not after 'send_from'");
    }
    if (key.accept_from && key.accept_until && *key.accept_until <= *key.accept_from) {
      return error(k.get("accept_until")->source(), kctx,
                   "'accept_until' is not after 'accept_from'");
    }
    BGPSEC_TRY(read_bool(k, "preferred", kctx, key.preferred));
    n.tcp_ao.push_back(std::move(key));
  }
  return {};
}

}  // namespace bgpsecd::daemon::config_detail
