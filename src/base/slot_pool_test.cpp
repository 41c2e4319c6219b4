// SPDX-License-Identifier: BSD-2-Clause
#include "base/slot_pool.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/address_sanitizer.hpp"

namespace bgpsecd::base {
namespace {

std::uintptr_t address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

TEST(SlotPool, SlotsAreDistinctAlignedAndDoNotOverlap) {
  SlotPool pool(80, 7);
  std::vector<void*> slots;
  for (int i = 0; i < 50; ++i) {  // eight pages, the last partly used
    slots.push_back(pool.allocate());
    std::memset(slots.back(), i, 80);  // the whole slot is ours to write
  }
  for (std::size_t i = 0; i < slots.size(); ++i) {
    EXPECT_EQ(address(slots[i]) % 8, 0U);
    EXPECT_EQ(*static_cast<unsigned char*>(slots[i]), i);
    EXPECT_EQ(static_cast<unsigned char*>(slots[i])[79], i);
  }
  std::vector<std::uintptr_t> sorted;
  for (void* p : slots) {
    sorted.push_back(address(p));
  }
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    EXPECT_GE(sorted[i] - sorted[i - 1], 80U);
  }
  const auto usage = pool.usage();
  EXPECT_EQ(usage.slots_in_use, 50U);
  EXPECT_EQ(usage.pages, 8U);
  EXPECT_EQ(usage.bytes, 8U * 7 * 80);
  for (void* p : slots) {
    pool.deallocate(p);
  }
  EXPECT_EQ(pool.usage().slots_in_use, 0U);
}

TEST(SlotPool, FreedSlotsAreReusedBeforeANewPage) {
  SlotPool pool(16, 4);
  std::vector<void*> first;
  for (int i = 0; i < 4; ++i) {
    first.push_back(pool.allocate());
  }
  pool.deallocate(first[1]);
  pool.deallocate(first[3]);
  const std::set<void*> freed{first[1], first[3]};
  std::set<void*> again{pool.allocate(), pool.allocate()};
  EXPECT_EQ(again, freed);
  EXPECT_EQ(pool.usage().pages, 1U);
  void* fifth = pool.allocate();  // nothing free: a second page
  EXPECT_EQ(pool.usage().pages, 2U);
  EXPECT_EQ(pool.usage().slots_in_use, 5U);
  EXPECT_EQ(std::count(first.begin(), first.end(), fifth), 0);
  for (void* p : again) {
    pool.deallocate(p);
  }
  pool.deallocate(first[0]);
  pool.deallocate(first[2]);
  pool.deallocate(fifth);
}

// A slot not handed out is unaddressable under AddressSanitizer, so that a stored path read after
// its node went back to the pool is reported as a use after free would be.
TEST(SlotPool, FreeSlotsArePoisonedUnderAddressSanitizer) {
#ifdef BGPSECD_ADDRESS_SANITIZER
  SlotPool pool(24, 4);
  void* a = pool.allocate();
  void* b = pool.allocate();
  EXPECT_EQ(__asan_region_is_poisoned(a, 24), nullptr);
  // The page's slots not yet handed out.
  EXPECT_NE(__asan_address_is_poisoned(static_cast<char*>(b) + 24), 0);
  pool.deallocate(a);
  EXPECT_NE(__asan_address_is_poisoned(a), 0);
  EXPECT_NE(__asan_address_is_poisoned(static_cast<char*>(a) + 23), 0);
  EXPECT_EQ(pool.allocate(), a);
  EXPECT_EQ(__asan_region_is_poisoned(a, 24), nullptr);
  pool.deallocate(a);
  pool.deallocate(b);
#else
  GTEST_SKIP() << "built without AddressSanitizer";
#endif
}

// Slots taken on one thread and given back on another, as stored paths are (the I/O thread
// stores, a validation worker may drop the last copy): nothing is handed out twice.
TEST(SlotPool, ThreadsAllocatingAndFreeingNeverShareASlot) {
  SlotPool pool(32, 64);
  constexpr int kThreads = 4;
  constexpr int kRounds = 20000;
  std::vector<std::thread> threads;
  std::vector<int> clashes(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&pool, &clashes, t] {
      std::vector<std::uint64_t*> held;
      for (int i = 0; i < kRounds; ++i) {
        auto* p = static_cast<std::uint64_t*>(pool.allocate());
        p[0] = static_cast<std::uint64_t>(t);
        p[3] = static_cast<std::uint64_t>(i);
        held.push_back(p);
        if (held.size() == 16) {
          for (std::size_t k = 0; k < held.size(); ++k) {
            // Another thread that got the same slot would have written its own number.
            if (held[k][0] != static_cast<std::uint64_t>(t)) {
              ++clashes[static_cast<std::size_t>(t)];
            }
            pool.deallocate(held[k]);
          }
          held.clear();
        }
      }
      for (auto* p : held) {
        pool.deallocate(p);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(std::count(clashes.begin(), clashes.end(), 0), kThreads);
  EXPECT_EQ(pool.usage().slots_in_use, 0U);
  // At most 16 slots held per thread at a time: a few pages, however many rounds.
  EXPECT_LE(pool.usage().pages, 2U);
}

}  // namespace
}  // namespace bgpsecd::base
