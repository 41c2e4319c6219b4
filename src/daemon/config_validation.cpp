// SPDX-License-Identifier: BSD-2-Clause
// [validation] and [[validation_server]]: where the signatures of received BGPsec routes are
// checked, here or on SRx proxy protocol servers (RFC 8374 §9.3.2, docs/srx-proxy.md §10).
#include <algorithm>

#include "daemon/config_parse.hpp"

namespace bgpsecd::daemon::config_detail {

namespace {

// SRx's registered port (NIST BGP-SRx and bgpsecvd listen there by default).
constexpr std::uint16_t kDefaultSrxPort = 17900;

}  // namespace

base::Result<void> ValidationSection::parse_validation(const toml::table& root) {
  constexpr std::string_view ctx = "validation";
  ValidationConfig& v = config_.validation;
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* t, sub_table(root, "validation", ctx));
  if (t != nullptr) {
    BGPSEC_TRY(check_keys(*t, ctx,
                          {"mode", "proxy_id", "hello_timeout", "answer_timeout", "connect_timeout",
                           "keep_window", "fallback_after", "signing", "signing_fallback"}));
    BGPSEC_TRY(read_enum(*t, "mode", ctx, kValidationModes, v.mode));
    BGPSEC_TRY(read_enum(*t, "signing", ctx, kSigningModes, v.signing));
    BGPSEC_TRY(read_enum(*t, "signing_fallback", ctx, kSigningFallbacks, v.signing_fallback));
    BGPSEC_TRY(read_int(*t, "proxy_id", ctx, 0, 0xFFFFFFFF, v.proxy_id));
    const auto seconds = [&](std::string_view key, std::int64_t max,
                             std::chrono::seconds& out) -> base::Result<void> {
      std::int64_t value = out.count();
      BGPSEC_TRY(read_int(*t, key, ctx, 1, max, value));
      out = std::chrono::seconds{value};
      return {};
    };
    BGPSEC_TRY(seconds("hello_timeout", 3600, v.hello_timeout));
    BGPSEC_TRY(seconds("answer_timeout", 3600, v.answer_timeout));
    BGPSEC_TRY(seconds("connect_timeout", 600, v.connect_timeout));
    BGPSEC_TRY(seconds("fallback_after", 86400, v.fallback_after));
    BGPSEC_TRY(read_int(*t, "keep_window", ctx, 0, 65535, v.keep_window));
  }
  BGPSEC_ASSIGN_OR_RETURN(const toml::array* servers,
                          array_of_tables(root, "validation_server", "validation_server"));
  if (servers != nullptr) {
    for (const toml::node& node : *servers) {
      const toml::table& s = *node.as_table();
      const std::string sctx = "validation_server #" + std::to_string(v.servers.size() + 1);
      BGPSEC_TRY(check_keys(s, sctx, {"address", "preference"}));
      BGPSEC_ASSIGN_OR_RETURN(const toml::node* addr_node, require(s, "address", sctx));
      BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*addr_node, "address", sctx));
      auto address = parse_endpoint(text, kDefaultSrxPort);
      if (!address) {
        return error(addr_node->source(), sctx, "'address': " + address.error().message);
      }
      ValidationServerConfig server;
      server.address = *address;
      BGPSEC_TRY(read_int(s, "preference", sctx, 0, 255, server.preference));
      for (const auto& other : v.servers) {
        if (other.address == server.address) {
          return error(addr_node->source(), sctx, "server given twice");
        }
      }
      v.servers.push_back(server);
    }
    // RFC 8210 §10's rule for caches, here for servers: the lowest preference first; a tie
    // keeps the order of the file.
    std::stable_sort(v.servers.begin(), v.servers.end(),
                     [](const auto& a, const auto& b) { return a.preference < b.preference; });
  }
  if (v.signing == SigningMode::Server && v.servers.empty()) {
    return error(t->get("signing")->source(), ctx,
                 "signing \"server\" needs at least one [[validation_server]]");
  }
  if (v.mode != ValidationMode::Local && v.servers.empty()) {
    return error(t->get("mode")->source(), ctx,
                 std::string("mode \"") + validation_mode_name(v.mode) +
                     "\" needs at least one [[validation_server]]");
  }
  return {};
}

}  // namespace bgpsecd::daemon::config_detail
