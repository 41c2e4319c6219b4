// SPDX-License-Identifier: BSD-2-Clause
#include "base/asn.hpp"

#include <gtest/gtest.h>

namespace bgpsecd::base {
namespace {

TEST(Asn, ParsesAllForms) {
  EXPECT_EQ(parse_asn("65536").value(), Asn(65536));
  EXPECT_EQ(parse_asn("AS64496").value(), Asn(64496));
  EXPECT_EQ(parse_asn("as64496").value(), Asn(64496));
  EXPECT_EQ(parse_asn("1.0").value(), Asn(65536));
  EXPECT_EQ(parse_asn("4294967295").value(), Asn(4294967295U));
}

TEST(Asn, RejectsMalformed) {
  EXPECT_FALSE(parse_asn(""));
  EXPECT_FALSE(parse_asn("AS"));
  EXPECT_FALSE(parse_asn("4294967296"));
  EXPECT_FALSE(parse_asn("-1"));
  EXPECT_FALSE(parse_asn("1.65536"));
  EXPECT_FALSE(parse_asn("12a"));
}

TEST(Asn, PrivateRanges) {
  EXPECT_TRUE(is_private_asn(Asn(64512)));
  EXPECT_TRUE(is_private_asn(Asn(4200000001U)));
  EXPECT_FALSE(is_private_asn(Asn(64496)));
  EXPECT_FALSE(is_private_asn(Asn(65535)));
}

}  // namespace
}  // namespace bgpsecd::base
