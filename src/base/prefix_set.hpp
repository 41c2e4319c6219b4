// SPDX-License-Identifier: BSD-2-Clause
// Hash tables keyed by Prefix that hold up to a whole table (a million and more entries) on the
// I/O thread: PrefixShards splits one into 64 by the top bits of the prefix's keyed hash, so a
// rehash moves a 64th of the entries instead of holding the thread while all of them move (a
// table of a million entries grown in one go took 235 ms); PrefixSet is a set of prefixes
// built on it (open addressing, no node per prefix: prefix_table.hpp), for the per-neighbor
// lists of routes left unchecked.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "base/prefix.hpp"
#include "base/prefix_table.hpp"

namespace bgpsecd::base {

template <class Table>
class PrefixShards {
 public:
  static constexpr unsigned kBits = 6;
  static constexpr std::size_t kCount = std::size_t{1} << kBits;

  [[nodiscard]] Table& of(const Prefix& prefix) noexcept { return shards_[index_of(prefix)]; }
  [[nodiscard]] const Table& of(const Prefix& prefix) const noexcept {
    return shards_[index_of(prefix)];
  }
  [[nodiscard]] std::array<Table, kCount>& all() noexcept { return shards_; }
  [[nodiscard]] const std::array<Table, kCount>& all() const noexcept { return shards_; }

 private:
  [[nodiscard]] static std::size_t index_of(const Prefix& prefix) noexcept {
    return static_cast<std::size_t>(std::uint64_t{prefix.hash()} >> (64 - kBits));
  }
  std::array<Table, kCount> shards_;
};

// Membership in O(1) without order: looked up or changed a few times for every route that
// arrives, where a std::set of a whole table costs a walk down twenty levels of cache misses.
class PrefixSet {
 public:
  // True when `prefix` was not in the set.
  bool insert(const Prefix& prefix) { return shards_.of(prefix).insert(prefix).second; }
  // True when `prefix` was in the set.
  bool erase(const Prefix& prefix) noexcept { return shards_.of(prefix).erase(prefix); }
  [[nodiscard]] bool contains(const Prefix& prefix) const {
    return shards_.of(prefix).contains(prefix);
  }
  [[nodiscard]] std::size_t size() const noexcept {
    std::size_t count = 0;
    for (const auto& shard : shards_.all()) {
      count += shard.size();
    }
    return count;
  }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  // Gives the memory back too.
  void clear() noexcept {
    for (auto& shard : shards_.all()) {
      shard.clear();
    }
  }
  // Removes one prefix and returns it (which one is unspecified); nullopt when empty.
  std::optional<Prefix> take() {
    for (auto& shard : shards_.all()) {
      if (!shard.empty()) {
        return shard.take();
      }
    }
    return std::nullopt;
  }
  // Calls fn(prefix) for every prefix, in no particular order; `fn` must not change the set.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const auto& shard : shards_.all()) {
      shard.for_each(fn);
    }
  }

 private:
  struct Identity {
    const Prefix& operator()(const Prefix& prefix) const noexcept { return prefix; }
  };
  PrefixShards<PrefixTable<Prefix, Identity>> shards_;
};

}  // namespace bgpsecd::base
