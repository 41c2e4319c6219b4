// SPDX-License-Identifier: BSD-2-Clause
// PrefixIndex against the std::map it indexes: random inserts and erases of IPv4 and IPv6
// prefixes, every lookup (present and absent) compared, through growth and back to empty.
#include "rib/prefix_index.hpp"

#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace bgpsecd::rib {
namespace {

base::Prefix random_prefix(std::mt19937_64& rng) {
  // A small space, so that the same prefix comes back often (re-insert after erase, erase of
  // an absent one) and lengths that leave host bits are normalised by Prefix itself.
  const bool v6 = (rng() & 3) == 0;
  std::array<std::uint8_t, 16> octets{};
  octets[0] = v6 ? 0x20 : 10;
  octets[1] = static_cast<std::uint8_t>(rng() % 16);
  octets[2] = static_cast<std::uint8_t>(rng() % 64);
  const auto length = static_cast<std::uint8_t>(v6 ? 32 + rng() % 17 : 16 + rng() % 9);
  const base::Afi afi = v6 ? base::Afi::Ipv6 : base::Afi::Ipv4;
  return base::Prefix(base::IpAddress(afi, std::span(octets).first(base::address_octets(afi))),
                      length);
}

class PrefixIndexTest : public ::testing::Test {
 protected:
  std::map<base::Prefix, int> map_;
  PrefixIndex<int> index_;

  void insert(const base::Prefix& prefix, int value) {
    auto [it, inserted] = map_.try_emplace(prefix, value);
    if (inserted) {
      index_.insert(*it);
    }
  }
  void erase(const base::Prefix& prefix) {
    index_.erase(prefix);
    map_.erase(prefix);
  }
  // Every prefix of the map is found, at its own entry; `probes` absent ones are not.
  void expect_agrees(std::mt19937_64& rng, int probes) {
    ASSERT_EQ(index_.size(), map_.size());
    for (auto& entry : map_) {
      ASSERT_EQ(index_.find(entry.first), &entry) << entry.first.to_string();
    }
    for (int i = 0; i < probes; ++i) {
      const auto prefix = random_prefix(rng);
      const auto it = map_.find(prefix);
      ASSERT_EQ(index_.find(prefix), it == map_.end() ? nullptr : &*it) << prefix.to_string();
    }
  }
};

TEST_F(PrefixIndexTest, EmptyFindsNothingAndEraseOfAbsentIsHarmless) {
  const auto prefix = base::Prefix::parse("192.0.2.0/24").value();
  EXPECT_EQ(index_.find(prefix), nullptr);
  index_.erase(prefix);
  EXPECT_EQ(index_.size(), 0U);
  insert(prefix, 1);
  index_.erase(base::Prefix::parse("192.0.2.0/25").value());
  EXPECT_EQ(index_.size(), 1U);
  EXPECT_EQ(index_.find(prefix)->second, 1);
}

// Same address, other length; same bits, other family: different keys.
TEST_F(PrefixIndexTest, LengthAndFamilyAreDifferentKeys) {
  insert(base::Prefix::parse("10.0.0.0/8").value(), 1);
  insert(base::Prefix::parse("10.0.0.0/16").value(), 2);
  insert(base::Prefix::parse("a00::/8").value(), 3);
  EXPECT_EQ(index_.find(base::Prefix::parse("10.0.0.0/8").value())->second, 1);
  EXPECT_EQ(index_.find(base::Prefix::parse("10.0.0.0/16").value())->second, 2);
  EXPECT_EQ(index_.find(base::Prefix::parse("a00::/8").value())->second, 3);
  EXPECT_EQ(index_.find(base::Prefix::parse("10.0.0.0/24").value()), nullptr);
}

// Small tables wrap around their end often, so backward-shift deletion across the wrap is
// exercised; the mix moves between growth and near-empty several times.
TEST_F(PrefixIndexTest, RandomOperationsAgreeWithTheMap) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 40; ++round) {
    const int inserts = static_cast<int>(rng() % 400);
    for (int i = 0; i < inserts; ++i) {
      insert(random_prefix(rng), i);
    }
    expect_agrees(rng, 200);
    const int erases = static_cast<int>(rng() % 600);
    for (int i = 0; i < erases; ++i) {
      erase(random_prefix(rng));
    }
    expect_agrees(rng, 200);
  }
  // Everything out, one by one: the index ends empty and still works.
  while (!map_.empty()) {
    erase(map_.begin()->first);
  }
  expect_agrees(rng, 100);
  insert(base::Prefix::parse("192.0.2.0/24").value(), 9);
  expect_agrees(rng, 10);
}

TEST_F(PrefixIndexTest, GrowsPastEightyPercentAndClearGivesTheMemoryBack) {
  std::mt19937_64 rng(11);
  for (std::uint32_t i = 0; i < 100'000; ++i) {
    const base::Prefix prefix(base::IpAddress::v4(0x0A000000U + (i << 8)), 24);
    insert(prefix, static_cast<int>(i));
  }
  EXPECT_LE(index_.size() * 5, index_.capacity() * 4);
  expect_agrees(rng, 1000);
  index_.clear();
  EXPECT_EQ(index_.capacity(), 0U);
  EXPECT_EQ(index_.find(map_.begin()->first), nullptr);
}

// The owner (Adj-RIB-In, Loc-RIB) may be moved: the map's nodes move along, and so must the
// index; the moved-from index is empty, not a dangling copy.
TEST_F(PrefixIndexTest, MovesAlongWithItsMap) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 2000; ++i) {
    insert(random_prefix(rng), i);
  }
  PrefixIndex<int> moved(std::move(index_));
  EXPECT_EQ(index_.size(), 0U);                          // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(index_.find(map_.begin()->first), nullptr);  // NOLINT(bugprone-use-after-move)
  index_ = std::move(moved);
  expect_agrees(rng, 200);
}

}  // namespace
}  // namespace bgpsecd::rib
