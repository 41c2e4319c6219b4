// SPDX-License-Identifier: BSD-2-Clause
// PrefixIndex: a hash index over the entries of an ordered map keyed by prefix (std::map, or
// ChunkedPrefixMap), so that looking a prefix up costs a probe or two instead of a walk down a
// tree of a million nodes (about twenty cache misses at a full table). The map stays what owns
// the entries and gives the order that paging, dumps and covering-prefix walks need; neither
// map moves its entries, so the index holds plain pointers to them.
//
// The table is base::PrefixTable (open addressing, a 32-bit hash tag beside each pointer, so a
// probe compares tags before it touches an entry and growing never walks the map's nodes):
// 12 octets per slot, about 20 per entry.
#pragma once

#include <cstddef>
#include <utility>

#include "base/prefix.hpp"
#include "base/prefix_table.hpp"

namespace bgpsecd::rib {

template <typename T>
class PrefixIndex {
 public:
  using Entry = std::pair<const base::Prefix, T>;

  // The pointers lead into one map: a copy would lead into its original's, so the owner may be
  // moved (the maps move their entries along) but not copied.
  PrefixIndex() = default;
  PrefixIndex(const PrefixIndex&) = delete;
  PrefixIndex& operator=(const PrefixIndex&) = delete;
  PrefixIndex(PrefixIndex&&) noexcept = default;
  PrefixIndex& operator=(PrefixIndex&&) noexcept = default;
  ~PrefixIndex() = default;

  [[nodiscard]] Entry* find(const base::Prefix& prefix) const noexcept {
    Entry* const* slot = table_.find(prefix);
    return slot == nullptr ? nullptr : *slot;
  }
  // `entry`'s prefix must not be in the index yet.
  void insert(Entry& entry) { table_.insert(&entry); }
  // Does nothing when `prefix` is not in the index.
  void erase(const base::Prefix& prefix) noexcept { table_.erase(prefix); }
  // Forgets every entry and gives the memory back.
  void clear() noexcept { table_.clear(); }

  [[nodiscard]] std::size_t size() const noexcept { return table_.size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return table_.capacity(); }

 private:
  struct PrefixOfEntry {
    const base::Prefix& operator()(const Entry* entry) const noexcept { return entry->first; }
  };
  base::PrefixTable<Entry*, PrefixOfEntry> table_;
};

}  // namespace bgpsecd::rib
