// SPDX-License-Identifier: BSD-2-Clause
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "wire/update.hpp"
#include "wire/update_test_util.hpp"

namespace bgpsecd::wire {
namespace {

using test::hex;

TEST(UpdateJson, OrdinaryUpdate) {
  const auto j = update_to_json(test::ordinary_update_value());
  EXPECT_EQ(j.at("withdrawn"), nlohmann::json::array({"198.51.100.0/24"}));
  EXPECT_EQ(j.at("nlri"), nlohmann::json::array({"192.0.2.0/24", "192.0.2.128/25"}));
  const auto& a = j.at("attributes");
  EXPECT_EQ(a.at("origin"), "igp");
  EXPECT_EQ(a.at("as_path"),
            nlohmann::json::parse(R"([{"type":"as_sequence","asns":[65001,65002]}])"));
  EXPECT_EQ(a.at("next_hop"), "192.0.2.1");
  EXPECT_EQ(a.at("med"), 50);
  EXPECT_EQ(a.at("communities"), nlohmann::json::array({"65001:100", "65535:65281"}));
  EXPECT_EQ(a.at("extended_communities").at(0).at("hex"), "0002FDE900000064");
  EXPECT_EQ(a.at("extended_communities").at(1).at("origin_validation_state"), "valid");
  EXPECT_EQ(a.at("large_communities"), nlohmann::json::array({"65001:1:2"}));
  EXPECT_FALSE(a.contains("local_pref"));
  EXPECT_FALSE(j.contains("end_of_rib"));
}

TEST(UpdateJson, MpAttributesUnknownAndEndOfRib) {
  PathAttributes a;
  a.mp_reach = MpReach{base::Afi::Ipv6,
                       1,
                       {test::ip("2001:db8::1"), test::ip("fe80::1")},
                       {test::pfx("2001:db8:1::/48")}};
  a.originator_id = 0xC0000201;
  a.cluster_list = {0x0A000001};
  a.unknown = {{0xC0, 99, hex("CAFE")}};
  const auto j = path_attributes_to_json(a);
  EXPECT_EQ(j.at("mp_reach_nlri").at("afi"), "ipv6");
  EXPECT_EQ(j.at("mp_reach_nlri").at("next_hops"),
            nlohmann::json::array({"2001:db8::1", "fe80::1"}));
  EXPECT_EQ(j.at("originator_id"), "192.0.2.1");
  EXPECT_EQ(j.at("cluster_list"), nlohmann::json::array({"10.0.0.1"}));
  EXPECT_EQ(j.at("unknown").at(0).at("value"), "CAFE");
  EXPECT_EQ(j.at("unknown").at(0).at("type"), 99);

  const auto eor = update_to_json(make_end_of_rib(base::Afi::Ipv6));
  EXPECT_EQ(eor.at("end_of_rib").at("afi"), "ipv6");
  EXPECT_EQ(eor.at("attributes").at("mp_unreach_nlri").at("withdrawn"), nlohmann::json::array());
}

}  // namespace
}  // namespace bgpsecd::wire
