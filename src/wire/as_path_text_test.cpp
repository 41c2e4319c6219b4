// SPDX-License-Identifier: BSD-2-Clause
#include "wire/as_path_text.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::wire {
namespace {

using base::Asn;

TEST(AsPathText, SequencesSetsAndConfederations) {
  auto p = parse_as_path_text(" 65001 65002 65002 {65003, 65004} 65005 (64512 64513) [1,2] ");
  ASSERT_TRUE(p.has_value()) << p.error().message;
  const AsPath expect{{{AsPathSegmentType::AsSequence, {Asn(65001), Asn(65002), Asn(65002)}},
                       {AsPathSegmentType::AsSet, {Asn(65003), Asn(65004)}},
                       {AsPathSegmentType::AsSequence, {Asn(65005)}},
                       {AsPathSegmentType::AsConfedSequence, {Asn(64512), Asn(64513)}},
                       {AsPathSegmentType::AsConfedSet, {Asn(1), Asn(2)}}}};
  EXPECT_EQ(*p, expect);
  EXPECT_EQ(as_path_to_text(*p), "65001 65002 65002 {65003,65004} 65005 (64512 64513) [1,2]");
  EXPECT_EQ(parse_as_path_text(as_path_to_text(*p)).value(), expect);
}

TEST(AsPathText, AsdotAndAsPrefix) {
  auto p = parse_as_path_text("AS65536 1.1");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->segments.at(0).asns, (std::vector<Asn>{Asn(65536), Asn(65537)}));
}

TEST(AsPathText, EmptyTextIsAnEmptyPath) {
  EXPECT_EQ(parse_as_path_text("").value(), AsPath{});
  EXPECT_EQ(parse_as_path_text("   ").value(), AsPath{});
}

TEST(AsPathText, Errors) {
  EXPECT_FALSE(parse_as_path_text("1 {2 3").has_value());
  EXPECT_FALSE(parse_as_path_text("1 {} 3").has_value());
  EXPECT_FALSE(parse_as_path_text("1 x 3").has_value());
  EXPECT_FALSE(parse_as_path_text("1 {2,x}").has_value());
  EXPECT_FALSE(parse_as_path_text("4294967296").has_value());
}

}  // namespace
}  // namespace bgpsecd::wire
