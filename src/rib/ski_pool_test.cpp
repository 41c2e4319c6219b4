// SPDX-License-Identifier: BSD-2-Clause
#include "rib/ski_pool.hpp"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace bgpsecd::rib {
namespace {

base::Ski ski_of(std::uint32_t n) {
  std::array<std::uint8_t, base::Ski::kSize> bytes{};
  for (std::size_t i = 0; i < 4; ++i) {
    bytes[i] = static_cast<std::uint8_t>(n >> (8 * i));
  }
  bytes[19] = 0x5A;
  return base::Ski(bytes);
}

TEST(SkiPool, OneIndexPerSkiWhileHeld) {
  SkiPool pool;
  const auto a = pool.acquire(ski_of(1));
  const auto b = pool.acquire(ski_of(2));
  EXPECT_NE(a, b);
  EXPECT_EQ(pool.acquire(ski_of(1)), a);
  EXPECT_EQ(pool.at(a), ski_of(1));
  EXPECT_EQ(pool.at(b), ski_of(2));
  EXPECT_EQ(pool.usage().skis, 2U);
  pool.release(a);
  EXPECT_EQ(pool.usage().skis, 2U);  // still held once
  EXPECT_EQ(pool.at(a), ski_of(1));
  pool.release(a);
  EXPECT_EQ(pool.usage().skis, 1U);
  pool.release(b);
  EXPECT_EQ(pool.usage().skis, 0U);
}

// A slot no one holds goes to the next new SKI, so SKIs a peer made up cost nothing once their
// routes are gone.
TEST(SkiPool, FreedSlotsAreReused) {
  SkiPool pool;
  std::vector<SkiPool::Index> held;
  for (std::uint32_t i = 0; i < 10000; ++i) {
    held.push_back(pool.acquire(ski_of(i)));
  }
  const auto slots = pool.usage().slots;
  EXPECT_GE(slots, 10000U);
  for (const auto index : held) {
    pool.release(index);
  }
  for (std::uint32_t i = 0; i < 10000; ++i) {
    const auto index = pool.acquire(ski_of(100000 + i));
    EXPECT_EQ(pool.at(index), ski_of(100000 + i));
  }
  EXPECT_EQ(pool.usage().slots, slots);
  EXPECT_EQ(pool.usage().skis, 10000U);
  // A SKI freed and acquired again may get another index, and reads as itself.
  const auto again = pool.acquire(ski_of(7));
  EXPECT_EQ(pool.at(again), ski_of(7));
}

// Stored paths are released on validation workers while the I/O thread stores new ones.
TEST(SkiPool, ThreadsAcquireReadAndRelease) {
  SkiPool pool;
  const auto shared = pool.acquire(ski_of(424242));
  std::vector<std::thread> threads;
  for (std::uint32_t t = 0; t < 4; ++t) {
    threads.emplace_back([&pool, t, shared] {
      for (std::uint32_t round = 0; round < 200; ++round) {
        std::vector<SkiPool::Index> mine;
        for (std::uint32_t i = 0; i < 50; ++i) {
          mine.push_back(pool.acquire(ski_of(i % 10 + (i % 2 == 0 ? 0 : 1000 * (t + 1)))));
        }
        for (std::uint32_t i = 0; i < 50; ++i) {
          EXPECT_EQ(pool.at(mine[i]), ski_of(i % 10 + (i % 2 == 0 ? 0 : 1000 * (t + 1))));
          pool.release(mine[i]);
        }
        EXPECT_EQ(pool.at(shared), ski_of(424242));
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(pool.usage().skis, 1U);
  pool.release(shared);
  EXPECT_EQ(pool.usage().skis, 0U);
}

}  // namespace
}  // namespace bgpsecd::rib
