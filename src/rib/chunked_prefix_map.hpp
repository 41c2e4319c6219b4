// SPDX-License-Identifier: BSD-2-Clause
// ChunkedPrefixMap: an ordered map from prefix to T for tables of a million routes that arrive
// in no particular order (a peer sends its table in its own hash or trie order). std::map pays
// a walk down about twenty levels of nodes per insert there, scattered over the heap, a cache
// (and often TLB) miss each. Here the entries' prefixes sit in sorted chunks of at most
// kMaxChunk slots, and the chunks' keys in one sorted array (a few thousand prefixes: it stays
// in cache). An insert is a binary search of that array, a binary search of one contiguous
// chunk and a shift of part of it; a full chunk splits in two before the insert (in halves, or,
// for a prefix above the whole table, by starting a chunk of its own), which shifts the
// directory arrays at most once per kMaxChunk / 2 inserts.
//
// Entries never move (each is allocated on its own, the chunks hold pointers), so a hash index
// over them (PrefixIndex) can hold plain pointers, as it does into a std::map. Iteration is in
// prefix order; iterators stay valid until the next insert, erase or move of the map.
//
// Invariant: every chunk is non-empty and sorted, keys_[i] is at most chunk i's first prefix,
// and every prefix of chunk i is below keys_[i + 1]. So the chunk for a prefix is the last one
// whose key is not above it (or chunk 0, when the prefix is below every key: keys_[0] is then
// lowered to it).
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/prefix.hpp"

namespace bgpsecd::rib {

template <typename T>
class ChunkedPrefixMap {
  struct Slot {
    base::Prefix prefix;  // a copy of entry->first, so a search stays inside the chunk
    std::unique_ptr<std::pair<const base::Prefix, T>> entry;
  };
  using Chunk = std::vector<Slot>;

 public:
  using Entry = std::pair<const base::Prefix, T>;
  using value_type = Entry;
  // No chunk holds or reserves more. 128 slots of 32 octets: 4 KiB to search and shift, and
  // about 13 000 chunks for a full table (260 KiB of keys to search). Shuffled inserts of 1.27 M
  // routes (bench/rib_bench.cpp) ran fastest with 128 of 64, 128 and 256.
  static constexpr std::size_t kMaxChunk = 128;

  template <bool Const>
  class Iter {
    using Chunks = std::conditional_t<Const, const std::vector<Chunk>, std::vector<Chunk>>;

   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Entry;
    using difference_type = std::ptrdiff_t;
    using pointer = std::conditional_t<Const, const Entry*, Entry*>;
    using reference = std::conditional_t<Const, const Entry&, Entry&>;

    Iter() = default;
    Iter(Chunks* chunks, std::size_t chunk, std::size_t slot)
        : chunks_(chunks), chunk_(chunk), slot_(slot) {}
    // iterator -> const_iterator
    template <bool C = Const, typename = std::enable_if_t<C>>
    Iter(const Iter<false>& other)
        : chunks_(other.chunks_), chunk_(other.chunk_), slot_(other.slot_) {}

    reference operator*() const { return *(*chunks_)[chunk_][slot_].entry; }
    pointer operator->() const { return (*chunks_)[chunk_][slot_].entry.get(); }
    Iter& operator++() {
      if (++slot_ == (*chunks_)[chunk_].size()) {
        ++chunk_;
        slot_ = 0;
      }
      return *this;
    }
    Iter operator++(int) {
      Iter before = *this;
      ++*this;
      return before;
    }
    friend bool operator==(const Iter& a, const Iter& b) {
      return a.chunk_ == b.chunk_ && a.slot_ == b.slot_;
    }

   private:
    friend class ChunkedPrefixMap;
    template <bool>
    friend class Iter;
    Chunks* chunks_ = nullptr;
    std::size_t chunk_ = 0;
    std::size_t slot_ = 0;
  };
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;

  ChunkedPrefixMap() = default;
  // A moved-from map is empty. The entries stay where they are.
  ChunkedPrefixMap(ChunkedPrefixMap&& other) noexcept
      : keys_(std::exchange(other.keys_, {})),
        chunks_(std::exchange(other.chunks_, {})),
        size_(std::exchange(other.size_, 0)) {}
  ChunkedPrefixMap& operator=(ChunkedPrefixMap&& other) noexcept {
    if (this != &other) {
      keys_ = std::exchange(other.keys_, {});
      chunks_ = std::exchange(other.chunks_, {});
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  ChunkedPrefixMap(const ChunkedPrefixMap&) = delete;
  ChunkedPrefixMap& operator=(const ChunkedPrefixMap&) = delete;
  ~ChunkedPrefixMap() = default;

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  // Slots the chunks have room for (entries plus spare), for memory accounting: at most
  // kMaxChunk per chunk, and chunks split in halves stay at least half full until erases.
  [[nodiscard]] std::size_t reserved_slots() const noexcept {
    std::size_t slots = 0;
    for (const auto& chunk : chunks_) {
      slots += chunk.capacity();
    }
    return slots;
  }

  iterator begin() { return iterator(&chunks_, 0, 0); }
  iterator end() { return iterator(&chunks_, chunks_.size(), 0); }
  const_iterator begin() const { return const_iterator(&chunks_, 0, 0); }
  const_iterator end() const { return const_iterator(&chunks_, chunks_.size(), 0); }

  // As std::map::try_emplace: the entry for `prefix`, and whether it was added (`args` build T
  // only then).
  template <typename... Args>
  std::pair<iterator, bool> try_emplace(const base::Prefix& prefix, Args&&... args) {
    if (chunks_.empty()) {
      keys_.push_back(prefix);
      chunks_.emplace_back().reserve(kMaxChunk / 2);
    }
    std::size_t chunk = chunk_for(prefix);
    if (prefix < keys_[chunk]) {
      keys_[chunk] = prefix;  // below every key: chunk 0 takes it (see the invariant)
    }
    auto slot = static_cast<std::size_t>(slot_bound<false>(chunks_[chunk], prefix) -
                                         chunks_[chunk].begin());
    if (slot != chunks_[chunk].size() && chunks_[chunk][slot].prefix == prefix) {
      return {iterator(&chunks_, chunk, slot), false};
    }
    auto entry = std::make_unique<Entry>(std::piecewise_construct, std::forward_as_tuple(prefix),
                                         std::forward_as_tuple(std::forward<Args>(args)...));
    if (chunks_[chunk].size() == kMaxChunk) {
      // A full chunk splits before the insert, so that no chunk ever holds (or reserves) more
      // than kMaxChunk slots. A prefix above the whole table (a feed in prefix order) starts a
      // chunk of its own and leaves the full one full; any other splits it in halves.
      if (chunk + 1 == chunks_.size() && slot == kMaxChunk) {
        split(chunk, kMaxChunk, prefix);
        ++chunk;
        slot = 0;
      } else {
        constexpr std::size_t kHalf = kMaxChunk / 2;
        split(chunk, kHalf, chunks_[chunk][kHalf].prefix);
        if (slot > kHalf) {  // at kHalf it ends the lower half, below the upper's key
          ++chunk;
          slot -= kHalf;
        }
      }
    }
    Chunk& slots = chunks_[chunk];
    slots.insert(slots.begin() + static_cast<std::ptrdiff_t>(slot), Slot{prefix, std::move(entry)});
    ++size_;
    return {iterator(&chunks_, chunk, slot), true};
  }

  iterator find(const base::Prefix& prefix) {
    const auto it = lower_bound(prefix);
    return it != end() && it->first == prefix ? it : end();
  }
  const_iterator find(const base::Prefix& prefix) const {
    const auto it = lower_bound(prefix);
    return it != end() && it->first == prefix ? it : end();
  }

  // The first entry whose prefix is not below / is above `prefix`.
  iterator lower_bound(const base::Prefix& prefix) { return bound<false>(*this, prefix); }
  const_iterator lower_bound(const base::Prefix& prefix) const {
    return bound<false>(*this, prefix);
  }
  iterator upper_bound(const base::Prefix& prefix) { return bound<true>(*this, prefix); }
  const_iterator upper_bound(const base::Prefix& prefix) const {
    return bound<true>(*this, prefix);
  }

  // Removes the entry at `it`; returns the iterator to the entry after it.
  iterator erase(const_iterator it) {
    const std::size_t chunk = it.chunk_;
    Chunk& slots = chunks_[chunk];
    slots.erase(slots.begin() + static_cast<std::ptrdiff_t>(it.slot_));
    --size_;
    // A chunk's key may stay below its first prefix (the invariant allows it); an empty chunk
    // goes.
    if (slots.empty()) {
      keys_.erase(keys_.begin() + static_cast<std::ptrdiff_t>(chunk));
      chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(chunk));
      return iterator(&chunks_, chunk, 0);
    }
    if (it.slot_ == slots.size()) {
      return iterator(&chunks_, chunk + 1, 0);
    }
    return iterator(&chunks_, chunk, it.slot_);
  }
  // Removes the entry for `prefix`; returns how many were removed (0 or 1).
  std::size_t erase(const base::Prefix& prefix) {
    const auto it = find(prefix);
    if (it == end()) {
      return 0;
    }
    erase(it);
    return 1;
  }

  void clear() noexcept {
    keys_.clear();
    chunks_.clear();
    size_ = 0;
  }

 private:
  // Moves the slots of `chunk` from `keep` on into a new chunk after it, keyed by `key`: its
  // first prefix, or the one about to be inserted when it takes none.
  void split(std::size_t chunk, std::size_t keep, base::Prefix key) {
    Chunk& slots = chunks_[chunk];
    const auto middle = slots.begin() + static_cast<std::ptrdiff_t>(keep);
    Chunk upper;
    upper.reserve(kMaxChunk);
    upper.insert(upper.end(), std::make_move_iterator(middle),
                 std::make_move_iterator(slots.end()));
    slots.erase(middle, slots.end());
    const auto next = static_cast<std::ptrdiff_t>(chunk + 1);
    keys_.insert(keys_.begin() + next, key);
    chunks_.insert(chunks_.begin() + next, std::move(upper));
  }

  // The chunk that holds or would hold `prefix` (see the invariant); chunks_ must not be empty.
  [[nodiscard]] std::size_t chunk_for(const base::Prefix& prefix) const {
    const auto above = std::upper_bound(keys_.begin(), keys_.end(), prefix);
    return above == keys_.begin() ? 0 : static_cast<std::size_t>(above - keys_.begin()) - 1;
  }

  template <bool Upper, typename Slots>
  static auto slot_bound(Slots& slots, const base::Prefix& prefix) {
    if constexpr (Upper) {
      return std::upper_bound(slots.begin(), slots.end(), prefix,
                              [](const base::Prefix& p, const Slot& s) { return p < s.prefix; });
    } else {
      return std::lower_bound(slots.begin(), slots.end(), prefix,
                              [](const Slot& s, const base::Prefix& p) { return s.prefix < p; });
    }
  }

  template <bool Upper, typename Self>
  static auto bound(Self& self, const base::Prefix& prefix) {
    using It = std::conditional_t<std::is_const_v<Self>, const_iterator, iterator>;
    if (self.chunks_.empty()) {
      return It(&self.chunks_, 0, 0);
    }
    const std::size_t chunk = self.chunk_for(prefix);
    const auto& slots = self.chunks_[chunk];
    const auto at = slot_bound<Upper>(slots, prefix);
    if (at == slots.end()) {
      return It(&self.chunks_, chunk + 1, 0);
    }
    return It(&self.chunks_, chunk, static_cast<std::size_t>(at - slots.begin()));
  }

  std::vector<base::Prefix> keys_;  // keys_[i]: chunk i's key (see the invariant)
  std::vector<Chunk> chunks_;
  std::size_t size_ = 0;
};

}  // namespace bgpsecd::rib
