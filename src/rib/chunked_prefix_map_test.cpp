// SPDX-License-Identifier: BSD-2-Clause
// ChunkedPrefixMap against std::map: random inserts, erases and bounds over enough prefixes to
// split many chunks and empty some again, the order and every entry compared after each phase;
// entries never move; the walks the RIBs make (erase while walking, covering-prefix runs).
#include "rib/chunked_prefix_map.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace bgpsecd::rib {
namespace {

base::Prefix prefix(const char* text) { return base::Prefix::parse(text).value(); }

// Prefixes spread over both families, from a space of `span` addresses per family so that some
// come back (a re-insert of a present prefix, an erase of an absent one).
base::Prefix drawn(std::mt19937_64& rng, std::uint32_t span) {
  const bool v6 = rng() % 5 == 0;
  const auto n = static_cast<std::uint32_t>(rng() % span);
  std::array<std::uint8_t, 16> octets{};
  octets[0] = v6 ? 0x2a : static_cast<std::uint8_t>(1 + n % 223);
  octets[1] = static_cast<std::uint8_t>(n >> 8);
  octets[2] = static_cast<std::uint8_t>(n);
  const auto length = static_cast<std::uint8_t>(v6 ? 24 + n % 25 : 8 + n % 17);
  const base::Afi afi = v6 ? base::Afi::Ipv6 : base::Afi::Ipv4;
  return base::Prefix(base::IpAddress(afi, std::span(octets).first(base::address_octets(afi))),
                      length);
}

using Map = ChunkedPrefixMap<int>;

void expect_same(const Map& map, const std::map<base::Prefix, int>& want, const std::string& when) {
  ASSERT_EQ(map.size(), want.size()) << when;
  auto it = map.begin();
  for (const auto& [p, v] : want) {
    ASSERT_NE(it, map.end()) << when;
    ASSERT_EQ(it->first, p) << when;
    ASSERT_EQ(it->second, v) << when << " " << p.to_string();
    ++it;
  }
  EXPECT_EQ(it, map.end()) << when;
}

TEST(ChunkedPrefixMap, AgreesWithStdMapThroughGrowthAndShrinking) {
  std::mt19937_64 rng(7);
  Map map;
  std::map<base::Prefix, int> want;
  std::map<base::Prefix, const Map::Entry*> where;  // entries never move
  const auto insert = [&](const base::Prefix& p, int v) {
    const auto [it, added] = map.try_emplace(p, v);
    const auto [wit, wadded] = want.try_emplace(p, v);
    ASSERT_EQ(added, wadded) << p.to_string();
    ASSERT_EQ(it->first, p);
    ASSERT_EQ(it->second, wit->second);
    if (added) {
      where[p] = &*it;
    } else {
      ASSERT_EQ(&*it, where[p]) << "moved: " << p.to_string();
    }
  };
  const auto erase = [&](base::Prefix p) {  // a copy: `p` may be a key of `want`
    ASSERT_EQ(map.erase(p), want.erase(p)) << p.to_string();
    where.erase(p);
  };
  const auto check_bounds = [&](const base::Prefix& p) {
    const auto lo = map.lower_bound(p);
    const auto wlo = want.lower_bound(p);
    ASSERT_EQ(lo == map.end(), wlo == want.end()) << p.to_string();
    if (wlo != want.end()) {
      ASSERT_EQ(lo->first, wlo->first) << p.to_string();
      ASSERT_EQ(&*lo, where[wlo->first]);
    }
    const auto hi = map.upper_bound(p);
    const auto whi = want.upper_bound(p);
    ASSERT_EQ(hi == map.end(), whi == want.end()) << p.to_string();
    if (whi != want.end()) {
      ASSERT_EQ(hi->first, whi->first) << p.to_string();
    }
    const auto found = map.find(p);
    ASSERT_EQ(found == map.end(), !want.contains(p)) << p.to_string();
  };

  for (int i = 0; i < 40000; ++i) {  // mostly inserts: ~30 000 entries, hundreds of chunks
    const auto p = drawn(rng, 60000);
    if (rng() % 8 == 0) {
      erase(p);
    } else {
      insert(p, i);
    }
    if (i % 97 == 0) {
      check_bounds(drawn(rng, 60000));
    }
  }
  expect_same(map, want, "after growth");
  for (const auto& [p, entry] : where) {
    ASSERT_EQ(&*map.find(p), entry);
  }
  for (int i = 0; i < 60000; ++i) {  // mostly erases, down to a few hundred entries
    const auto p = drawn(rng, 60000);
    if (rng() % 8 == 0) {
      insert(p, -i);
    } else {
      erase(p);
    }
    if (i % 97 == 0) {
      check_bounds(drawn(rng, 60000));
    }
  }
  expect_same(map, want, "after shrinking");
  // Inserts below every key (the first chunk's key goes down) and above every key.
  insert(prefix("0.0.0.0/0"), 1);
  insert(prefix("0.0.0.0/8"), 2);
  insert(prefix("ffff::/16"), 3);
  expect_same(map, want, "after the extremes");
  while (!want.empty()) {
    erase(want.begin()->first);
  }
  expect_same(map, want, "emptied");
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.begin(), map.end());
  EXPECT_EQ(map.lower_bound(prefix("10.0.0.0/8")), map.end());
}

// Prefixes that arrive in order (a table dumped from a sorted RIB) or in reverse split chunks
// at one end only; the order stays right.
TEST(ChunkedPrefixMap, SortedAndReverseArrivals) {
  for (const bool reverse : {false, true}) {
    Map map;
    std::map<base::Prefix, int> want;
    for (int i = 0; i < 5000; ++i) {
      const int n = reverse ? 4999 - i : i;
      const auto p =
          base::Prefix(base::IpAddress::v4(0x0a000000U + static_cast<std::uint32_t>(n) * 256), 24);
      ASSERT_TRUE(map.try_emplace(p, n).second);
      want.emplace(p, n);
    }
    expect_same(map, want, reverse ? "reverse" : "sorted");
    // A feed in prefix order fills each chunk before it starts the next; in reverse, chunks
    // split in halves. No chunk ever reserves more than kMaxChunk slots.
    EXPECT_LE(map.reserved_slots(), (reverse ? 2 : 1) * map.size() + Map::kMaxChunk)
        << (reverse ? "reverse" : "sorted");
    // Then the /25s between them: into full chunks (at their first, middle and last slots,
    // the last chunk's last included), each found again by lookup.
    for (int n = 0; n < 5000; n += 7) {
      const auto p = base::Prefix(
          base::IpAddress::v4(0x0a000000U + static_cast<std::uint32_t>(n) * 256 + 128), 25);
      ASSERT_TRUE(map.try_emplace(p, -n).second);
      want.emplace(p, -n);
    }
    expect_same(map, want, reverse ? "reverse, then between" : "sorted, then between");
    for (const auto& [p, v] : want) {
      const auto it = map.find(p);
      ASSERT_NE(it, map.end()) << p.to_string();
      EXPECT_EQ(it->second, v) << p.to_string();
      EXPECT_EQ(map.lower_bound(p), it) << p.to_string();
    }
  }
}

// Shuffled arrivals (a peer's table in its own order): chunks split in halves before they
// would grow past kMaxChunk, so the slots reserved stay within twice the entries.
TEST(ChunkedPrefixMap, ShuffledArrivalsReserveAtMostTwiceTheEntries) {
  std::vector<base::Prefix> prefixes;
  for (std::uint32_t n = 0; n < 20000; ++n) {
    prefixes.emplace_back(base::IpAddress::v4(0x01000000U + n * 256), 24);
  }
  std::shuffle(prefixes.begin(), prefixes.end(), std::mt19937_64(3));
  Map map;
  std::map<base::Prefix, int> want;
  int value = 0;
  for (const auto& p : prefixes) {
    ASSERT_TRUE(map.try_emplace(p, value).second);
    want.emplace(p, value++);
  }
  expect_same(map, want, "shuffled");
  EXPECT_LE(map.reserved_slots(), 2 * map.size());
  EXPECT_GE(map.reserved_slots(), map.size());
}

// Erase while walking, as a stale sweep does: the returned iterator is the next entry.
TEST(ChunkedPrefixMap, EraseWhileWalkingVisitsEveryOtherEntryOnce) {
  Map map;
  std::map<base::Prefix, int> want;
  for (int n = 0; n < 1000; ++n) {
    const auto p =
        base::Prefix(base::IpAddress::v4(0xc0000000U + static_cast<std::uint32_t>(n) * 256), 24);
    map.try_emplace(p, n);
    if (n % 2 == 1) {
      want.emplace(p, n);
    }
  }
  int seen = 0;
  for (auto it = map.begin(); it != map.end();) {
    ++seen;
    it = it->second % 2 == 0 ? map.erase(it) : std::next(it);
  }
  EXPECT_EQ(seen, 1000);
  expect_same(map, want, "after the sweep");
}

// The covering-prefix walk (base::for_each_within) runs on it as on a std::map.
TEST(ChunkedPrefixMap, CoveringPrefixRun) {
  Map map;
  for (const char* p : {"10.0.0.0/8", "10.0.0.0/16", "10.1.0.0/16", "10.1.2.0/24", "11.0.0.0/8",
                        "9.255.0.0/16", "2001:db8::/32"}) {
    map.try_emplace(prefix(p), 0);
  }
  std::vector<std::string> within;
  base::for_each_within(map, prefix("10.1.0.0/16"),
                        [&](const Map::Entry& e) { within.push_back(e.first.to_string()); });
  EXPECT_EQ(within, (std::vector<std::string>{"10.1.0.0/16", "10.1.2.0/24"}));
  within.clear();
  base::for_each_within(map, prefix("10.0.0.0/8"),
                        [&](const Map::Entry& e) { within.push_back(e.first.to_string()); });
  EXPECT_EQ(within.size(), 4U);
}

// Moving the map moves its entries along without copying them (a hash index stays right).
TEST(ChunkedPrefixMap, MoveKeepsTheEntries) {
  Map map;
  const auto* entry = &*map.try_emplace(prefix("192.0.2.0/24"), 5).first;
  Map moved = std::move(map);
  EXPECT_EQ(&*moved.find(prefix("192.0.2.0/24")), entry);
  EXPECT_EQ(moved.size(), 1U);
  EXPECT_TRUE(map.empty());  // NOLINT(bugprone-use-after-move): a moved-from map is empty
}

}  // namespace
}  // namespace bgpsecd::rib
