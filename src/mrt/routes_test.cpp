// SPDX-License-Identifier: BSD-2-Clause
// collect_routes: one route per prefix, the peer filter, the limit, and malformed records
// counted rather than fatal.
#include "mrt/routes.hpp"

#include <gtest/gtest.h>

#include "mrt/table_dump.hpp"
#include "wire/update_test_util.hpp"

namespace bgpsecd::mrt {
namespace {

using wire::test::cat;

using wire::test::as_sequence;
using wire::test::ip;
using wire::test::pfx;

RibEntry entry(std::uint16_t peer, wire::AsPath path) {
  wire::PathAttributes a;
  a.origin = wire::Origin::Igp;
  a.as_path = std::move(path);
  a.next_hop = ip("192.0.2.1");
  return RibEntry{peer, 0, a};
}

base::Bytes dump() {
  const std::vector<Peer> peers{Peer{1, ip("192.0.2.1"), 65001}, Peer{2, ip("192.0.2.2"), 65002}};
  return cat(
      {encode_peer_index_table(0, 1, "", peers),
       encode_rib_record(0, 0, pfx("10.0.0.0/8"),
                         {entry(0, as_sequence({65001, 64512})), entry(1, as_sequence({65002}))}),
       encode_rib_record(0, 1, pfx("10.1.0.0/16"), {entry(1, as_sequence({65002, 3, 3}))}),
       encode_rib_record(0, 2, pfx("10.0.0.0/8"), {entry(0, as_sequence({65001, 9}))})});
}

TEST(MrtRoutes, FirstEntryOfEveryPrefix) {
  auto set = collect_routes(dump(), {});
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->records, 4U);
  EXPECT_EQ(set->peer_count, 2U);
  EXPECT_EQ(set->repeated_prefixes, 1U);
  EXPECT_EQ(set->routes,
            (std::vector<PathRoute>{{pfx("10.0.0.0/8"), as_sequence({65001, 64512})},
                                    {pfx("10.1.0.0/16"), as_sequence({65002, 3, 3})}}));
}

TEST(MrtRoutes, OnePeersView) {
  auto set = collect_routes(dump(), RouteScan{1, 100});
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->routes,
            (std::vector<PathRoute>{{pfx("10.0.0.0/8"), as_sequence({65002})},
                                    {pfx("10.1.0.0/16"), as_sequence({65002, 3, 3})}}));
}

TEST(MrtRoutes, LimitStopsEarly) {
  auto set = collect_routes(dump(), RouteScan{std::nullopt, 1});
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->routes.size(), 1U);
}

TEST(MrtRoutes, MalformedRecordIsCountedAndACutFileFails) {
  // A record naming peer 5 of two is malformed: counted, and the records after it are read.
  auto bytes =
      cat({dump(), encode_rib_record(0, 3, pfx("10.2.0.0/16"), {entry(5, as_sequence({7}))}),
           encode_rib_record(0, 4, pfx("10.3.0.0/16"), {entry(0, as_sequence({8}))})});
  auto set = collect_routes(bytes, {});
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->malformed_records, 1U);
  ASSERT_TRUE(set->first_error);
  EXPECT_NE(set->first_error->find("PEER_INDEX_TABLE"), std::string::npos) << *set->first_error;
  EXPECT_EQ(set->routes.back(), (PathRoute{pfx("10.3.0.0/16"), as_sequence({8})}));
  // A file cut inside its last record cannot be framed: an error naming the offset.
  bytes.resize(bytes.size() - 3);
  auto cut = collect_routes(bytes, {});
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("Length past the end"), std::string::npos)
      << cut.error().message;
}

}  // namespace
}  // namespace bgpsecd::mrt
