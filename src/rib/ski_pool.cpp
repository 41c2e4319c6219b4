// SPDX-License-Identifier: BSD-2-Clause
#include "rib/ski_pool.hpp"

#include <algorithm>
#include <stdexcept>

namespace bgpsecd::rib {

SkiPool& SkiPool::instance() {
  // Never destroyed: stored paths in static objects may release their SKIs during exit.
  static auto* pool = new SkiPool;
  return *pool;
}

SkiPool::~SkiPool() {
  for (auto& block : blocks_) {
    delete[] block.load(std::memory_order_relaxed);
  }
}

SkiPool::Slot& SkiPool::slot(Index index) const noexcept {
  // The block was published (release) before the index was handed out, and the holder got
  // the index through the mutex or from a node built after it: acquire pairs with that.
  Slot* block = blocks_[index >> kBlockBits].load(std::memory_order_acquire);
  return block[index & (kBlockSize - 1)];
}

SkiPool::Index SkiPool::acquire(const base::Ski& ski) {
  const std::lock_guard lock(mutex_);
  if (const auto it = index_of_.find(ski); it != index_of_.end()) {
    ++slot(it->second).holds;
    return it->second;
  }
  Index index = 0;
  if (!free_.empty()) {
    index = free_.back();
  } else {
    if (used_slots_ == kMaxSkis) {
      throw std::length_error("SkiPool: too many distinct SKIs");
    }
    index = static_cast<Index>(used_slots_);
    // Room on free_ for every slot, so that release() never allocates.
    if (free_.capacity() <= used_slots_) {
      free_.reserve(std::max<std::size_t>(64, 2 * free_.capacity()));
    }
    auto& block = blocks_[index >> kBlockBits];
    if (block.load(std::memory_order_relaxed) == nullptr) {
      block.store(new Slot[kBlockSize], std::memory_order_release);
    }
  }
  index_of_.emplace(ski, index);  // may throw: nothing changed yet
  if (!free_.empty()) {
    free_.pop_back();
  } else {
    ++used_slots_;
  }
  Slot& s = slot(index);
  s.ski = ski;
  s.holds = 1;
  return index;
}

void SkiPool::release(Index index) noexcept {
  const std::lock_guard lock(mutex_);
  Slot& s = slot(index);
  if (--s.holds != 0) {
    return;
  }
  index_of_.erase(s.ski);
  free_.push_back(index);  // acquire() reserved room for every slot: no allocation
}

const base::Ski& SkiPool::at(Index index) const noexcept { return slot(index).ski; }

SkiPool::Usage SkiPool::usage() const {
  const std::lock_guard lock(mutex_);
  Usage u;
  u.skis = index_of_.size();
  u.slots = (used_slots_ + kBlockSize - 1) / kBlockSize * kBlockSize;
  return u;
}

}  // namespace bgpsecd::rib
