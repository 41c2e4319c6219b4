// SPDX-License-Identifier: BSD-2-Clause
#include "base/prefix_set.hpp"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace bgpsecd::base {
namespace {

// `count` distinct /24s and /64s, enough to land in every shard many times over.
std::vector<Prefix> many_prefixes(std::uint32_t count) {
  std::vector<Prefix> prefixes;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t net = 0x0A000000U | (i << 8);
    prefixes.push_back(*Prefix::parse(std::to_string(net >> 24) + "." +
                                      std::to_string((net >> 16) & 255U) + "." +
                                      std::to_string((net >> 8) & 255U) + ".0/24"));
    prefixes.push_back(*Prefix::parse("2001:db8:" + std::to_string(i % 10000) + ":" +
                                      std::to_string(i / 10000) + "::/64"));
  }
  return prefixes;
}

TEST(PrefixSet, InsertEraseContainsSize) {
  PrefixSet set;
  const auto a = *Prefix::parse("192.0.2.0/24");
  const auto b = *Prefix::parse("192.0.2.0/25");  // same address, another length
  EXPECT_TRUE(set.empty());
  EXPECT_TRUE(set.insert(a));
  EXPECT_FALSE(set.insert(a));
  EXPECT_TRUE(set.insert(b));
  EXPECT_EQ(set.size(), 2U);
  EXPECT_TRUE(set.contains(a));
  EXPECT_TRUE(set.erase(a));
  EXPECT_FALSE(set.erase(a));
  EXPECT_FALSE(set.contains(a));
  EXPECT_TRUE(set.contains(b));
  EXPECT_EQ(set.size(), 1U);
  set.clear();
  EXPECT_TRUE(set.empty());
  EXPECT_FALSE(set.contains(b));
}

TEST(PrefixSet, ManyPrefixesAcrossShards) {
  const auto prefixes = many_prefixes(20'000);
  PrefixSet set;
  for (const auto& p : prefixes) {
    EXPECT_TRUE(set.insert(p)) << p.to_string();
  }
  EXPECT_EQ(set.size(), prefixes.size());
  for (std::size_t i = 0; i < prefixes.size(); i += 3) {
    EXPECT_TRUE(set.erase(prefixes[i])) << prefixes[i].to_string();
  }
  std::size_t visited = 0;
  set.for_each([&](const Prefix& p) {
    ++visited;
    EXPECT_TRUE(set.contains(p)) << p.to_string();
  });
  EXPECT_EQ(visited, set.size());
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    EXPECT_EQ(set.contains(prefixes[i]), i % 3 != 0) << prefixes[i].to_string();
  }
}

TEST(PrefixSet, TakeEmptiesTheSetOncePerPrefix) {
  const auto prefixes = many_prefixes(3'000);
  PrefixSet set;
  for (const auto& p : prefixes) {
    set.insert(p);
  }
  std::set<Prefix> taken;
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    const auto p = set.take();
    ASSERT_TRUE(p) << "empty after " << i << " of " << prefixes.size();
    EXPECT_TRUE(taken.insert(*p).second) << "taken twice: " << p->to_string();
    EXPECT_FALSE(set.contains(*p));
  }
  EXPECT_TRUE(set.empty());
  EXPECT_EQ(taken, std::set<Prefix>(prefixes.begin(), prefixes.end()));
  EXPECT_FALSE(set.take());
}

TEST(PrefixSet, MovedFromByExchangeIsEmpty) {
  PrefixSet set;
  set.insert(*Prefix::parse("192.0.2.0/24"));
  const auto moved = std::exchange(set, {});
  EXPECT_TRUE(set.empty());
  EXPECT_EQ(moved.size(), 1U);
  EXPECT_TRUE(set.insert(*Prefix::parse("192.0.2.0/24")));
}

}  // namespace
}  // namespace bgpsecd::base
