// SPDX-License-Identifier: BSD-2-Clause
// PrefixTable: a hash table of values keyed by the prefix each one names, for tables of a
// million routes looked up or changed several times per UPDATE on the I/O thread. A node-based
// table (std::unordered_set) pays a malloc and a free per insert and erase, a pointer chase per
// probe, and a walk of every node when it grows.
//
// Open addressing with linear probing, deletion by backward shift (no tombstones). Each slot
// keeps the low 32 bits of the prefix's keyed hash (Prefix::hash) beside the value: probing
// compares those first, without touching the prefix, and growing rehashes from them alone. 0
// marks an empty slot (a hash whose low bits are 0 is stored as 1). At most 80 % full; a large
// table that drains to a sixteenth full shrinks to a quarter.
//
// `KeyOf` gives the prefix of a value (the value itself for a set, the entry's key for an index
// of pointers into a map). An empty slot holds a value-initialised Value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/prefix.hpp"

namespace bgpsecd::base {

template <class Value, class KeyOf>
class PrefixTable {
  // Erasing moves values along the run (backward shift) and must not fail half-way.
  static_assert(std::is_nothrow_move_assignable_v<Value>);

 public:
  PrefixTable() = default;
  // A moved-from table is empty.
  PrefixTable(PrefixTable&& other) noexcept
      : tags_(std::exchange(other.tags_, {})),
        values_(std::exchange(other.values_, {})),
        size_(std::exchange(other.size_, 0)),
        first_used_(std::exchange(other.first_used_, 0)) {}
  PrefixTable& operator=(PrefixTable&& other) noexcept {
    if (this != &other) {
      tags_ = std::exchange(other.tags_, {});
      values_ = std::exchange(other.values_, {});
      size_ = std::exchange(other.size_, 0);
      first_used_ = std::exchange(other.first_used_, 0);
    }
    return *this;
  }
  PrefixTable(const PrefixTable&) = default;
  PrefixTable& operator=(const PrefixTable&) = default;
  ~PrefixTable() = default;

  [[nodiscard]] Value* find(const Prefix& prefix) noexcept {
    const std::size_t i = slot_of(prefix);
    return i == kNone ? nullptr : &values_[i];
  }
  [[nodiscard]] const Value* find(const Prefix& prefix) const noexcept {
    const std::size_t i = slot_of(prefix);
    return i == kNone ? nullptr : &values_[i];
  }
  [[nodiscard]] bool contains(const Prefix& prefix) const noexcept {
    return slot_of(prefix) != kNone;
  }

  // Adds `value` unless a value for its prefix is there already. Returns the stored value and
  // whether it was added.
  std::pair<Value*, bool> insert(Value value) {
    if ((size_ + 1) * 5 > tags_.size() * 4) {
      grow();
    }
    const Prefix& prefix = KeyOf{}(value);
    const std::uint32_t tag = tag_of(prefix);
    std::size_t i = tag & mask();
    for (; tags_[i] != 0; i = (i + 1) & mask()) {
      if (tags_[i] == tag && KeyOf{}(values_[i]) == prefix) {
        return {&values_[i], false};
      }
    }
    tags_[i] = tag;
    values_[i] = std::move(value);
    ++size_;
    if (i < first_used_) {
      first_used_ = i;
    }
    return {&values_[i], true};
  }

  // True when there was a value for `prefix`.
  bool erase(const Prefix& prefix) noexcept {
    const std::size_t slot = slot_of(prefix);
    if (slot == kNone) {
      return false;
    }
    erase_at(slot);
    return true;
  }

  // Removes one value and returns it (which one is unspecified); nullopt when empty. Taking a
  // whole table one by one costs one pass over its slots, not one per value.
  std::optional<Value> take() {
    if (size_ == 0) {
      return std::nullopt;
    }
    while (tags_[first_used_] == 0) {
      ++first_used_;
    }
    std::optional<Value> taken(std::move(values_[first_used_]));
    erase_at(first_used_);
    return taken;
  }
  // Forgets every value and gives the memory back.
  void clear() noexcept {
    std::vector<std::uint32_t>().swap(tags_);
    std::vector<Value>().swap(values_);
    size_ = 0;
    first_used_ = 0;
  }

  // Calls fn(value) for every value, in no particular order; `fn` must not change the table.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (std::size_t i = 0; i < tags_.size(); ++i) {
      if (tags_[i] != 0) {
        fn(values_[i]);
      }
    }
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::size_t capacity() const noexcept { return tags_.size(); }

 private:
  static constexpr std::size_t kNone = ~std::size_t{0};
  // Tables this small are not worth shrinking.
  static constexpr std::size_t kMinShrink = 64;

  static std::uint32_t tag_of(const Prefix& prefix) noexcept {
    const auto tag = static_cast<std::uint32_t>(prefix.hash());
    return tag != 0 ? tag : 1;
  }
  [[nodiscard]] std::size_t mask() const noexcept { return tags_.size() - 1; }

  // Empties slot `hole` (in use).
  void erase_at(std::size_t hole) noexcept {
    // Backward shift: each later slot of the run moves into the hole unless its home slot lies
    // cyclically after the hole (it would then be found before reaching the hole's position).
    // Values only move into holes, so every slot below first_used_ stays empty.
    for (std::size_t next = (hole + 1) & mask(); tags_[next] != 0; next = (next + 1) & mask()) {
      const std::size_t home = tags_[next] & mask();
      const bool stays =
          hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
      if (!stays) {
        tags_[hole] = tags_[next];
        values_[hole] = std::move(values_[next]);
        hole = next;
      }
    }
    tags_[hole] = 0;
    values_[hole] = Value{};
    --size_;
    // A table that held a whole feed in flight gives the memory back as it drains, a quarter
    // at a time: at a sixteenth full it is rebuilt a quarter of its size (a quarter full then,
    // so growing again takes many inserts).
    if (size_ * 16 < tags_.size() && tags_.size() > kMinShrink) {
      try {
        rehash(tags_.size() / 4);
      } catch (const std::bad_alloc&) {
        // Best effort: the value is gone and the table as it was stays consistent, so an erase
        // never fails half-done (the RIBs erase from the index and their map together).
      }
    }
  }

  // The slot holding `prefix`, or kNone.
  [[nodiscard]] std::size_t slot_of(const Prefix& prefix) const noexcept {
    if (size_ == 0) {
      return kNone;
    }
    const std::uint32_t tag = tag_of(prefix);
    for (std::size_t i = tag & mask(); tags_[i] != 0; i = (i + 1) & mask()) {
      if (tags_[i] == tag && KeyOf{}(values_[i]) == prefix) {
        return i;
      }
    }
    return kNone;
  }

  void grow() { rehash(tags_.empty() ? 16 : 2 * tags_.size()); }

  // Moves every value into a table of `capacity` slots (a power of two above size_ * 5 / 4).
  void rehash(std::size_t capacity) {
    std::vector<std::uint32_t> tags(capacity, 0);
    std::vector<Value> values(capacity);
    first_used_ = capacity;
    for (std::size_t j = 0; j < tags_.size(); ++j) {
      if (tags_[j] != 0) {
        std::size_t i = tags_[j] & (capacity - 1);
        while (tags[i] != 0) {
          i = (i + 1) & (capacity - 1);
        }
        tags[i] = tags_[j];
        values[i] = std::move(values_[j]);
        if (i < first_used_) {
          first_used_ = i;
        }
      }
    }
    tags_.swap(tags);
    values_.swap(values);
    if (size_ == 0) {
      first_used_ = 0;
    }
  }

  std::vector<std::uint32_t> tags_;  // power-of-two size; 0: empty slot
  std::vector<Value> values_;        // beside tags_
  std::size_t size_ = 0;
  // No slot below it is used (take() starts there).
  std::size_t first_used_ = 0;
};

}  // namespace bgpsecd::base
