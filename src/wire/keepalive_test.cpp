// SPDX-License-Identifier: BSD-2-Clause
// KEEPALIVE codec.
#include "wire/keepalive.hpp"

#include <array>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/hex.hpp"

namespace bgpsecd::wire {
namespace {

TEST(Keepalive, BothWays) {
  EXPECT_EQ(base::to_hex(encode_keepalive()), "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001304");
  EXPECT_TRUE(decode_keepalive({}).has_value());
  EXPECT_EQ(to_json(KeepaliveMessage{}), nlohmann::json::parse(R"({"type":"KEEPALIVE"})"));
}

TEST(Keepalive, Rfc4271Sec4_4_BodyIsBadMessageLength) {
  const std::array<std::uint8_t, 1> body{0};
  const auto r = decode_keepalive(body);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, 1);
  EXPECT_EQ(r.error().subcode, 2);
  EXPECT_EQ(r.error().offset, 16U);
  EXPECT_EQ(r.error().length, 2U);
}

}  // namespace
}  // namespace bgpsecd::wire
