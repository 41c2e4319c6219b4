// SPDX-License-Identifier: BSD-2-Clause
// Golden text for bgpsecvd's control API answers (server_text.hpp): what an operator sees from
// `bgpsecctl show routers / updates / server` for sample answers shaped as server.cpp makes
// them, and for answers with fields missing.
#include "validation_server/server_text.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::validation_server {
namespace {

using nlohmann::json;

TEST(ServerText, Routers) {
  const json result = json::parse(R"([
    {"connection": 1, "peer": "127.0.0.1:40112", "proxy_id": 11, "asn": 65100,
     "state": "active", "updates_held": 3, "requests": 120, "receipts": 4,
     "notifications": 17, "deletes": 0, "sign_requests": 2, "errors": 0, "queued_bytes": 0},
    {"connection": 2, "peer": "[2001:db8::1]:179", "proxy_id": null, "asn": 4200000001,
     "state": "handshake", "updates_held": 0, "requests": 0, "receipts": 0,
     "notifications": 0, "deletes": 0, "sign_requests": 0, "errors": 12345, "queued_bytes": 0},
    {"peer": "127.0.0.3:5"}])");
  EXPECT_EQ(render_routers(result),
            "Router             Proxy ID  AS          State      Updates  Requests  Receipts  "
            "Notifications  Errors\n"
            "127.0.0.1:40112    11        65100       active     3        120       4         "
            "17             0\n"
            "[2001:db8::1]:179  -         4200000001  handshake  0        0         0         "
            "0              12345\n"
            "127.0.0.3:5        -         -           -          -        -         -         "
            "-              -\n");
  EXPECT_EQ(render_routers(json::array()), "no routers connected\n");
  EXPECT_EQ(render_routers(json::object()), "no routers connected\n");
}

TEST(ServerText, UpdatesSummary) {
  const json result = json::parse(
      R"({"updates": 2, "max_updates": 1000000, "max_updates_per_router": 4000000,
          "keep_window": 900, "tracked": 1})");
  EXPECT_EQ(render_updates(result),
            "2 updates stored (max 1000000, 4000000 per router), keep window 900 s\n");
  EXPECT_EQ(render_updates(json::object()),
            "- updates stored (max -, - per router), keep window - s\n");
}

TEST(ServerText, OneUpdate) {
  const json result = json::parse(R"({"id": 3735928559, "prefix": "10.31.1.0/24",
    "origin_as": 65101, "as_path": [65102, 65101], "local_as": 65100, "signed": true,
    "origin": "valid", "path": "invalid", "aspa": "undefined",
    "holders": [{"proxy_id": 11, "types": ["origin", "path"]}, {"proxy_id": 12, "types": []}],
    "collectable": false})");
  EXPECT_EQ(render_updates(result),
            "Update 3735928559: 10.31.1.0/24 origin AS65101, signed\n"
            "  AS path: 65102 65101\n"
            "  origin valid, path invalid, aspa undefined\n"
            "  held by: 11 (origin,path), 12 ()\n");
  EXPECT_EQ(render_updates(json{{"id", 7}, {"signed", false}, {"as_path", json::array()}}),
            "Update 7: - origin AS-\n"
            "  AS path: (empty)\n"
            "  origin -, path -, aspa -\n"
            "  held by: nobody\n");
}

TEST(ServerText, Server) {
  const json result = json::parse(R"({"version": "0.9.0", "revision": "abc1234",
    "listen": ["127.0.0.1:17900", "[::1]:17900"], "routers": 2, "updates": 5,
    "validation": {"threads": 2, "in_flight": 1, "queued": 0, "completed": 40,
                   "signatures_checked": 80, "signature_cache_hits": 30,
                   "signature_cache_misses": 10, "signature_cache_entries": 10,
                   "key_tables": 1}})");
  EXPECT_EQ(render_server(result),
            "bgpsecvd 0.9.0 (git abc1234) on 127.0.0.1:17900, [::1]:17900\n"
            "2 routers, 5 updates\n"
            "Validation: 2 threads, 1 in flight (0 queued), 40 completed, signature cache 30 hits "
            "/ 10 misses\n");
  EXPECT_EQ(render_server(json::object()),
            "bgpsecvd - (git -) on \n"
            "- routers, - updates\n"
            "Validation: - threads, - in flight (- queued), - completed, signature cache - hits "
            "/ - misses\n");
}

TEST(ServerText, CommandDispatch) {
  EXPECT_TRUE(is_server_command("show routers"));
  EXPECT_TRUE(is_server_command("show updates"));
  EXPECT_TRUE(is_server_command("show server"));
  EXPECT_FALSE(is_server_command("show rpki"));
  EXPECT_EQ(render_server_result("show routers", json::array()), "no routers connected\n");
}

}  // namespace
}  // namespace bgpsecd::validation_server
