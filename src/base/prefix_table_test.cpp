// SPDX-License-Identifier: BSD-2-Clause
#include "base/prefix_table.hpp"

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace bgpsecd::base {
namespace {

// A value that is not its own key, as a map entry is. Moving one leaves the source without its
// key and count, so the table reading a moved-from value shows.
struct Counted {
  Prefix prefix;
  std::uint64_t count = 0;

  Counted() = default;
  Counted(Prefix p, std::uint64_t c) : prefix(p), count(c) {}
  Counted(const Counted&) = default;
  Counted& operator=(const Counted&) = default;
  Counted(Counted&& other) noexcept
      : prefix(std::exchange(other.prefix, Prefix())), count(std::exchange(other.count, 0)) {}
  Counted& operator=(Counted&& other) noexcept {
    prefix = std::exchange(other.prefix, Prefix());
    count = std::exchange(other.count, 0);
    return *this;
  }
  ~Counted() = default;
};
struct PrefixOfCounted {
  const Prefix& operator()(const Counted& value) const noexcept { return value.prefix; }
};
using Table = PrefixTable<Counted, PrefixOfCounted>;

Prefix nth_prefix(std::uint32_t i) {
  if (i % 4 == 3) {
    return *Prefix::parse("2001:db8:" + std::to_string(i % 10000) + ":" +
                          std::to_string(i / 10000) + "::/64");
  }
  // Above 65 535 the same addresses come back as /23s (the constructor clears the host bit):
  // prefixes that differ in their length only.
  const auto length = static_cast<std::uint8_t>((i >> 16) == 0 ? 24 : 23);
  return Prefix(IpAddress::v4(0x0A000000U | ((i & 0xFFFFU) << 8)), length);
}

// Checks `table` against `model`: size, every model entry found with its value, the walk visits
// each exactly once.
void expect_same(const Table& table, const std::map<Prefix, std::uint64_t>& model) {
  ASSERT_EQ(table.size(), model.size());
  for (const auto& [prefix, count] : model) {
    const Counted* found = table.find(prefix);
    ASSERT_NE(found, nullptr) << prefix.to_string();
    EXPECT_EQ(found->count, count) << prefix.to_string();
  }
  std::size_t visited = 0;
  table.for_each([&](const Counted& value) {
    ++visited;
    const auto it = model.find(value.prefix);
    ASSERT_NE(it, model.end()) << value.prefix.to_string();
    EXPECT_EQ(it->second, value.count);
  });
  EXPECT_EQ(visited, model.size());
  EXPECT_LE(table.size() * 5, table.capacity() * 4);  // at most 80 % full
}

// Inserts into the table and the model: the table must add exactly when the model does.
void insert_both(Table& table, std::map<Prefix, std::uint64_t>& model, const Prefix& prefix,
                 std::uint64_t count) {
  ASSERT_EQ(table.insert(Counted{prefix, count}).second, model.try_emplace(prefix, count).second)
      << prefix.to_string();
}

// take() from a table that is not empty: the value must be one the model still has (not one
// taken before), with its own count, and leave the table.
void take_one(Table& table, std::map<Prefix, std::uint64_t>& model) {
  const auto taken = table.take();
  ASSERT_TRUE(taken) << model.size() << " left";
  const auto it = model.find(taken->prefix);
  ASSERT_NE(it, model.end()) << "not in the table, or taken twice: " << taken->prefix.to_string();
  EXPECT_EQ(it->second, taken->count);
  model.erase(it);
  EXPECT_FALSE(table.contains(taken->prefix));
}

TEST(PrefixTable, AgreesWithStdMapThroughRandomInsertsErasesAndTakes) {
  std::mt19937 rng(20261207);
  Table table;
  std::map<Prefix, std::uint64_t> model;
  std::uniform_int_distribution<std::uint32_t> pick(0, 150'000);
  // Grows to tens of thousands, shrinks by erases and takes, grows again: backward shifts run
  // over every kind of cluster, across the end of the array too.
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 40'000; ++i) {
      const Prefix prefix = nth_prefix(pick(rng));
      const auto [value, added] = table.insert(Counted{prefix, static_cast<std::uint64_t>(i)});
      const auto [it, model_added] = model.try_emplace(prefix, i);
      ASSERT_EQ(added, model_added) << prefix.to_string();
      EXPECT_EQ(value->count, it->second);  // an existing value is kept, not overwritten
    }
    expect_same(table, model);
    for (int i = 0; i < 30'000; ++i) {
      const Prefix prefix = nth_prefix(pick(rng));
      ASSERT_EQ(table.erase(prefix), model.erase(prefix) == 1) << prefix.to_string();
      if (i % 3 == 0 && !model.empty()) {
        ASSERT_NO_FATAL_FAILURE(take_one(table, model));
      }
    }
    expect_same(table, model);
  }
}

TEST(PrefixTable, SmallTablesAgreeAfterEveryChange) {
  // 16 or 32 slots: clusters run across the end of the array all the time, which the backward
  // shift must handle as well as the runs inside it.
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::uint32_t> pick(0, 40);
  Table table;
  std::map<Prefix, std::uint64_t> model;
  for (int i = 0; i < 20'000; ++i) {
    const Prefix prefix = nth_prefix(pick(rng));
    if (model.size() < 12 && i % 2 == 0) {
      ASSERT_NO_FATAL_FAILURE(insert_both(table, model, prefix, static_cast<std::uint64_t>(i)));
    } else {
      ASSERT_EQ(table.erase(prefix), model.erase(prefix) == 1);
    }
    expect_same(table, model);
  }
}

TEST(PrefixTable, TakesAndInsertsInSmallTablesAgreeAfterEveryChange) {
  // Tables of 64 slots or fewer never shrink, so nothing but insert itself may move take()'s
  // starting point back below a value inserted there.
  std::mt19937 rng(11);
  std::uniform_int_distribution<std::uint32_t> pick(0, 60);
  Table table;
  std::map<Prefix, std::uint64_t> model;
  for (int i = 0; i < 20'000; ++i) {
    if (model.size() < 40 && i % 3 != 0) {
      const Prefix prefix = nth_prefix(pick(rng));
      ASSERT_NO_FATAL_FAILURE(insert_both(table, model, prefix, static_cast<std::uint64_t>(i)));
    } else if (!model.empty()) {
      ASSERT_NO_FATAL_FAILURE(take_one(table, model));
    } else {
      EXPECT_FALSE(table.take());
    }
    expect_same(table, model);
  }
}

TEST(PrefixTable, TakeEmptiesTheTableOncePerValueWithInsertsBetween) {
  Table table;
  std::map<Prefix, std::uint64_t> model;
  for (std::uint32_t i = 0; i < 5'000; ++i) {
    table.insert(Counted{nth_prefix(i), i});
    model.emplace(nth_prefix(i), i);
  }
  // Inserts between takes may land below where take() last found a value.
  std::uint32_t next = 5'000;
  while (!model.empty()) {
    ASSERT_NO_FATAL_FAILURE(take_one(table, model));
    if (next < 6'000) {
      table.insert(Counted{nth_prefix(next), next});
      model.emplace(nth_prefix(next), next);
      ++next;
    }
  }
  EXPECT_TRUE(table.empty());
  EXPECT_FALSE(table.take());
  table.insert(Counted{nth_prefix(7), 7});
  const auto again = table.take();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->count, 7U);
}

TEST(PrefixTable, GivesTheMemoryBackAsItDrains) {
  // A full feed in flight, then its checks finish one by one: the table must not keep the
  // slots of the peak.
  Table table;
  std::map<Prefix, std::uint64_t> model;
  for (std::uint32_t i = 0; i < 100'000; ++i) {
    table.insert(Counted{nth_prefix(i), i});
    model.emplace(nth_prefix(i), i);
  }
  const std::size_t peak = table.capacity();
  EXPECT_GE(peak, 131'072U);
  std::vector<Prefix> drained;
  for (const auto& [prefix, count] : model) {
    drained.push_back(prefix);
  }
  drained.resize(drained.size() - 10);
  for (std::size_t i = 0; i < drained.size(); ++i) {
    ASSERT_TRUE(table.erase(drained[i])) << drained[i].to_string();
    model.erase(drained[i]);
    if (i % 10'000 == 0) {
      expect_same(table, model);
    }
  }
  expect_same(table, model);
  EXPECT_LE(table.capacity(), 256U);
  // And grows again as before.
  for (std::uint32_t i = 0; i < 1'000; ++i) {
    table.insert(Counted{nth_prefix(i), i});
    model.emplace(nth_prefix(i), i);
  }
  expect_same(table, model);
}

TEST(PrefixTable, EmptyClearedAndMovedFromTablesFindNothing) {
  Table table;
  const Prefix a = nth_prefix(1);
  EXPECT_EQ(table.find(a), nullptr);
  EXPECT_FALSE(table.erase(a));
  EXPECT_FALSE(table.take());
  table.insert(Counted{a, 1});
  Table moved = std::move(table);
  EXPECT_EQ(table.size(), 0U);  // NOLINT(bugprone-use-after-move): moved-from is empty
  EXPECT_EQ(table.find(a), nullptr);
  table.insert(Counted{a, 2});  // and usable
  EXPECT_EQ(table.find(a)->count, 2U);
  ASSERT_NE(moved.find(a), nullptr);
  EXPECT_EQ(moved.find(a)->count, 1U);
  moved.clear();
  EXPECT_EQ(moved.capacity(), 0U);
  EXPECT_EQ(moved.find(a), nullptr);
}

}  // namespace
}  // namespace bgpsecd::base
