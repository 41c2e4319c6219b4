// SPDX-License-Identifier: BSD-2-Clause
// PrefixIndex: a hash index over the entries of an ordered map keyed by prefix (std::map, or
// ChunkedPrefixMap), so that looking a prefix up costs a probe or two instead of a walk down a
// tree of a million nodes (about twenty cache misses at a full table). The map stays what owns
// the entries and gives the order that paging, dumps and covering-prefix walks need; neither
// map moves its entries, so the index holds plain pointers to them.
//
// Open addressing with linear probing, deletion by backward shift (no tombstones). Each slot
// keeps the low 32 bits of the prefix's keyed hash (Prefix::hash) beside the pointer: probing
// compares those first, without touching the entry, and growing rehashes from them alone, so a
// doubling never walks the map's nodes. 0 marks an empty slot (a hash whose low bits are 0 is
// stored as 1). At most 80 % full: 12 octets per slot, about 20 per entry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "base/prefix.hpp"

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
  PrefixIndex(PrefixIndex&& other) noexcept
      : tags_(std::move(other.tags_)),
        entries_(std::move(other.entries_)),
        size_(std::exchange(other.size_, 0)) {}
  PrefixIndex& operator=(PrefixIndex&& other) noexcept {
    if (this == &other) {
      return *this;
    }
    tags_ = std::move(other.tags_);
    entries_ = std::move(other.entries_);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }
  ~PrefixIndex() = default;

  [[nodiscard]] Entry* find(const base::Prefix& prefix) const noexcept {
    if (size_ == 0) {
      return nullptr;
    }
    const std::uint32_t tag = tag_of(prefix);
    for (std::size_t i = tag & mask(); tags_[i] != 0; i = (i + 1) & mask()) {
      if (tags_[i] == tag && entries_[i]->first == prefix) {
        return entries_[i];
      }
    }
    return nullptr;
  }

  // `entry`'s prefix must not be in the index yet.
  void insert(Entry& entry) {
    if ((size_ + 1) * 5 > tags_.size() * 4) {
      grow();
    }
    const std::uint32_t tag = tag_of(entry.first);
    std::size_t i = tag & mask();
    while (tags_[i] != 0) {
      i = (i + 1) & mask();
    }
    tags_[i] = tag;
    entries_[i] = &entry;
    ++size_;
  }

  // Does nothing when `prefix` is not in the index.
  void erase(const base::Prefix& prefix) noexcept {
    if (size_ == 0) {
      return;
    }
    const std::uint32_t tag = tag_of(prefix);
    std::size_t hole = tag & mask();
    while (tags_[hole] != 0 && (tags_[hole] != tag || entries_[hole]->first != prefix)) {
      hole = (hole + 1) & mask();
    }
    if (tags_[hole] == 0) {
      return;
    }
    // Backward shift: each later slot of the run moves into the hole unless its home slot lies
    // cyclically after the hole (it would then be found before reaching the hole's position).
    for (std::size_t next = (hole + 1) & mask(); tags_[next] != 0; next = (next + 1) & mask()) {
      const std::size_t home = tags_[next] & mask();
      const bool stays =
          hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
      if (!stays) {
        tags_[hole] = tags_[next];
        entries_[hole] = entries_[next];
        hole = next;
      }
    }
    tags_[hole] = 0;
    entries_[hole] = nullptr;
    --size_;
  }

  // Forgets every entry and gives the memory back.
  void clear() noexcept {
    std::vector<std::uint32_t>().swap(tags_);
    std::vector<Entry*>().swap(entries_);
    size_ = 0;
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return tags_.size(); }

 private:
  static std::uint32_t tag_of(const base::Prefix& prefix) noexcept {
    const auto tag = static_cast<std::uint32_t>(prefix.hash());
    return tag != 0 ? tag : 1;
  }
  [[nodiscard]] std::size_t mask() const noexcept { return tags_.size() - 1; }

  void grow() {
    const std::size_t capacity = tags_.empty() ? 16 : 2 * tags_.size();
    std::vector<std::uint32_t> tags(capacity, 0);
    std::vector<Entry*> entries(capacity, nullptr);
    for (std::size_t j = 0; j < tags_.size(); ++j) {
      if (tags_[j] != 0) {
        std::size_t i = tags_[j] & (capacity - 1);
        while (tags[i] != 0) {
          i = (i + 1) & (capacity - 1);
        }
        tags[i] = tags_[j];
        entries[i] = entries_[j];
      }
    }
    tags_.swap(tags);
    entries_.swap(entries);
  }

  std::vector<std::uint32_t> tags_;  // power-of-two size; 0: empty slot
  std::vector<Entry*> entries_;      // beside tags_
  std::size_t size_ = 0;
};

}  // namespace bgpsecd::rib
