// SPDX-License-Identifier: BSD-2-Clause
#include "base/slot_pool.hpp"

#include "base/address_sanitizer.hpp"
#include "base/check.hpp"

namespace bgpsecd::base {
namespace {

// Slots that are not handed out are unaddressable under AddressSanitizer.
void poison(void* p, std::size_t size) noexcept {
#ifdef BGPSECD_ADDRESS_SANITIZER
  __asan_poison_memory_region(p, size);
#else
  (void)p;
  (void)size;
#endif
}

void unpoison(void* p, std::size_t size) noexcept {
#ifdef BGPSECD_ADDRESS_SANITIZER
  __asan_unpoison_memory_region(p, size);
#else
  (void)p;
  (void)size;
#endif
}

}  // namespace

SlotPool::SlotPool(std::size_t slot_size, std::size_t slots_per_page)
    : slot_size_(slot_size), page_size_(slot_size * slots_per_page) {
  // Fixed by the caller's code, not by input: a free slot holds a link, and slots stay aligned.
  BGPSEC_CHECK(slot_size >= sizeof(FreeSlot) && slot_size % 8 == 0 && slots_per_page > 0,
               "slot size must be a multiple of 8, pages not empty");
}

SlotPool::~SlotPool() {
  for (auto& page : pages_) {
    unpoison(page.get(), page_size_);
  }
}

void* SlotPool::allocate() {
  const std::lock_guard lock(mutex_);
  void* slot = nullptr;
  if (free_ != nullptr) {
    unpoison(free_, slot_size_);
    slot = free_;
    free_ = free_->next;
  } else {
    if (fresh_ == fresh_end_) {
      // operator new[] aligns to 16 at least: every slot, a multiple of 8 from it, to 8.
      pages_.push_back(std::make_unique_for_overwrite<std::byte[]>(page_size_));
      fresh_ = pages_.back().get();
      fresh_end_ = fresh_ + page_size_;
      poison(fresh_, page_size_);
      page_count_.store(pages_.size(), std::memory_order_relaxed);
    }
    slot = fresh_;
    fresh_ += slot_size_;
    unpoison(slot, slot_size_);
  }
  in_use_.store(in_use_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  return slot;
}

void SlotPool::deallocate(void* slot) noexcept {
  const std::lock_guard lock(mutex_);
  auto* freed = static_cast<FreeSlot*>(slot);
  freed->next = free_;
  free_ = freed;
  poison(slot, slot_size_);
  in_use_.store(in_use_.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
}

SlotPool::Usage SlotPool::usage() const noexcept {
  const std::size_t pages = page_count_.load(std::memory_order_relaxed);
  return Usage{in_use_.load(std::memory_order_relaxed), pages, pages * page_size_};
}

}  // namespace bgpsecd::base
