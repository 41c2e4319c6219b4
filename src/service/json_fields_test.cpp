// SPDX-License-Identifier: BSD-2-Clause
// The lenient field access of the text renderers (json_fields.hpp): missing fields, fields of
// another type and answers that are no object all read as absent.
#include "service/json_fields.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::service {
namespace {

using nlohmann::json;

const json kAnswer = json::parse(R"({"name": "a", "count": 7, "negative": -3, "big":
  18446744073709551615, "ratio": 0.5, "on": true, "off": false, "none": null,
  "list": [1, 2], "object": {"x": 1}})");

TEST(JsonFields, FieldOnlyOnObjects) {
  ASSERT_NE(field(kAnswer, "name"), nullptr);
  EXPECT_EQ(*field(kAnswer, "name"), "a");
  EXPECT_EQ(field(kAnswer, "missing"), nullptr);
  EXPECT_EQ(field(json::array({1}), "name"), nullptr);
  EXPECT_EQ(field(json(), "name"), nullptr);
}

TEST(JsonFields, IntegerClampsAndRefusesOtherTypes) {
  EXPECT_EQ(integer(kAnswer, "count"), 7);
  EXPECT_EQ(integer(kAnswer, "negative"), -3);
  EXPECT_EQ(integer(kAnswer, "big"), INT64_MAX);
  EXPECT_EQ(integer(kAnswer, "ratio"), std::nullopt);
  EXPECT_EQ(integer(kAnswer, "name"), std::nullopt);
  EXPECT_EQ(integer(kAnswer, "on"), std::nullopt);
  EXPECT_EQ(integer(kAnswer, "missing"), std::nullopt);
}

TEST(JsonFields, TextOfStringsAndIntegersElseTheFallback) {
  EXPECT_EQ(text(kAnswer, "name"), "a");
  EXPECT_EQ(text(kAnswer, "count"), "7");
  EXPECT_EQ(text(kAnswer, "negative"), "-3");
  EXPECT_EQ(text(kAnswer, "big"), "9223372036854775807");
  EXPECT_EQ(text(kAnswer, "missing"), "-");
  EXPECT_EQ(text(kAnswer, "none"), "-");
  EXPECT_EQ(text(kAnswer, "on"), "-");
  EXPECT_EQ(text(kAnswer, "ratio"), "-");
  EXPECT_EQ(text(kAnswer, "list"), "-");
  EXPECT_EQ(text(kAnswer, "missing", "?"), "?");
  EXPECT_EQ(text(json("a"), "name"), "-");
}

TEST(JsonFields, FlagOnlyForTrue) {
  EXPECT_TRUE(flag(kAnswer, "on"));
  EXPECT_FALSE(flag(kAnswer, "off"));
  EXPECT_FALSE(flag(kAnswer, "count"));
  EXPECT_FALSE(flag(kAnswer, "name"));
  EXPECT_FALSE(flag(kAnswer, "missing"));
}

TEST(JsonFields, ArrayOrEmpty) {
  EXPECT_EQ(array(kAnswer, "list"), json::array({1, 2}));
  EXPECT_TRUE(array(kAnswer, "object").is_array());
  EXPECT_TRUE(array(kAnswer, "object").empty());
  EXPECT_TRUE(array(kAnswer, "missing").empty());
  EXPECT_TRUE(array(json::array({1}), "list").empty());
}

}  // namespace
}  // namespace bgpsecd::service
