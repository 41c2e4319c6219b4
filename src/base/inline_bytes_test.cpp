// SPDX-License-Identifier: BSD-2-Clause
// InlineBytes: contents kept inside up to the inline capacity and on the heap beyond it, with
// every operation checked against a std::vector holding the same octets.
#include "base/inline_bytes.hpp"

#include <numeric>
#include <span>
#include <utility>

#include <gtest/gtest.h>

namespace bgpsecd::base {
namespace {

using Small = InlineBytes<8>;

Bytes counting(std::size_t n, std::uint8_t first = 1) {
  Bytes out(n);
  std::iota(out.begin(), out.end(), first);
  return out;
}

void expect_same(const Small& actual, const Bytes& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  EXPECT_EQ(actual.empty(), expected.empty());
  EXPECT_TRUE(actual == expected);
  EXPECT_EQ(Bytes(actual.begin(), actual.end()), expected);
  const std::span<const std::uint8_t> view = actual;
  EXPECT_EQ(view.data(), actual.data());
  EXPECT_EQ(view.size(), expected.size());
  EXPECT_EQ(actual.is_inline(), expected.size() <= Small::kInlineCapacity);
}

TEST(InlineBytes, EveryLengthAroundTheInlineCapacityKeepsItsOctets) {
  for (std::size_t n = 0; n <= 3 * Small::kInlineCapacity; ++n) {
    const Bytes octets = counting(n);
    const Small from_bytes = octets;
    expect_same(from_bytes, octets);
    Small assigned;
    assigned.assign(octets.begin(), octets.end());
    expect_same(assigned, octets);
  }
}

TEST(InlineBytes, PushBackGrowsOntoTheHeapKeepingWhatWasThere) {
  Small bytes;
  Bytes model;
  for (std::uint8_t i = 0; i < 40; ++i) {
    bytes.push_back(i);
    model.push_back(i);
    expect_same(bytes, model);
    EXPECT_GE(bytes.capacity(), bytes.size());
  }
  bytes.clear();
  EXPECT_TRUE(bytes.empty());
  EXPECT_FALSE(bytes.is_inline());  // clearing keeps the room, as a vector does
}

TEST(InlineBytes, AssigningReplacesTheContentsWhereverTheyLived) {
  Small bytes = counting(20);
  bytes = counting(3, 50);  // shorter: the heap room is kept and used
  EXPECT_TRUE(bytes == counting(3, 50));
  bytes.assign(counting(30, 7));  // longer than the heap room: a larger one
  EXPECT_TRUE(bytes == counting(30, 7));
  Small inline_only = counting(2);
  inline_only = counting(8, 9);
  expect_same(inline_only, counting(8, 9));
}

TEST(InlineBytes, CopiesAreIndependent) {
  for (const std::size_t n : {std::size_t{5}, std::size_t{12}}) {
    const Small original = counting(n);
    Small copy = original;
    ASSERT_TRUE(copy == original);
    copy[0] = 0xFF;
    EXPECT_FALSE(copy == original);
    EXPECT_TRUE(original == counting(n));
    Small assigned = counting(1);
    assigned = original;
    EXPECT_TRUE(assigned == original);
    EXPECT_NE(assigned.data(), original.data());
    const auto& same = assigned;
    assigned = same;  // self-assignment leaves it as it was
    EXPECT_TRUE(assigned == original);
  }
}

TEST(InlineBytes, MovingTakesTheContentsAndLeavesTheSourceEmpty) {
  for (const std::size_t n : {std::size_t{5}, std::size_t{12}}) {
    Small source = counting(n);
    const std::uint8_t* const heap = source.is_inline() ? nullptr : source.data();
    Small moved = std::move(source);
    expect_same(moved, counting(n));
    if (heap != nullptr) {
      EXPECT_EQ(moved.data(), heap);  // the heap block changes hands, no copy
    }
    EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): the moved-from state
    EXPECT_TRUE(source.is_inline());
    Small target = counting(30);
    target = std::move(moved);
    expect_same(target, counting(n));
    EXPECT_TRUE(moved.empty());  // NOLINT(bugprone-use-after-move)
    source.push_back(7);         // a moved-from string is usable again
    expect_same(source, Bytes{7});
  }
  static_assert(std::is_nothrow_move_constructible_v<Small>);
  static_assert(std::is_nothrow_move_assignable_v<Small>);
}

TEST(InlineBytes, ComparesByContentsNotByWhereTheyLive) {
  Small on_heap = counting(12);
  on_heap.assign(counting(4));  // four octets in a heap block
  const Small inside = counting(4);
  ASSERT_FALSE(on_heap.is_inline());
  ASSERT_TRUE(inside.is_inline());
  EXPECT_TRUE(on_heap == inside);
  EXPECT_FALSE(on_heap == counting(5));
  EXPECT_FALSE(inside == (Small{1, 2, 3, 5}));
  EXPECT_TRUE(inside == (Small{1, 2, 3, 4}));
  EXPECT_EQ(inside.front(), 1);
  EXPECT_EQ(inside.back(), 4);
}

}  // namespace
}  // namespace bgpsecd::base
