// SPDX-License-Identifier: BSD-2-Clause
// SlotPool: memory for objects made by the million with one size, carved from pages of many
// slots. glibc's malloc puts an 8-octet header before every block and rounds the sum up to 16
// octets, so an 80-octet object takes 96; here it takes 80. Freed slots go on a free list and
// are handed out again first; pages stay until the pool goes (a pool serves one kind of object
// for the process's lifetime, whose count rises and falls with the tables it holds).
//
// Any thread may allocate and deallocate (a stored path's last copy may go on a validation
// worker); a mutex is held for a pointer swap. Under AddressSanitizer a slot is poisoned while
// it is free, so a use after deallocate() is reported until the slot is handed out again (the
// most recently freed goes first: sooner than malloc's quarantine would reuse it), and slots
// have no redzones between them, so an overflow into the next slot goes unseen.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace bgpsecd::base {

class SlotPool {
 public:
  // Slots of `slot_size` octets (a multiple of 8, at least 8), `slots_per_page` to a page.
  SlotPool(std::size_t slot_size, std::size_t slots_per_page);

  SlotPool(const SlotPool&) = delete;
  SlotPool& operator=(const SlotPool&) = delete;
  SlotPool(SlotPool&&) = delete;
  SlotPool& operator=(SlotPool&&) = delete;
  ~SlotPool();

  // `slot_size` octets, aligned to 8; throws std::bad_alloc when a new page cannot be had.
  [[nodiscard]] void* allocate();
  // Gives back a slot that allocate() of this pool returned.
  void deallocate(void* slot) noexcept;

  struct Usage {
    std::size_t slots_in_use = 0;
    std::size_t pages = 0;
    std::size_t bytes = 0;  // of all pages
  };
  // Without the lock (a metrics scrape never waits): each count is exact, the two may be an
  // allocation apart.
  [[nodiscard]] Usage usage() const noexcept;

 private:
  // A free slot's first octets link it to the next free one.
  struct FreeSlot {
    FreeSlot* next;
  };

  std::size_t slot_size_;
  std::size_t page_size_;
  mutable std::mutex mutex_;
  FreeSlot* free_ = nullptr;
  std::byte* fresh_ = nullptr;      // the newest page's first never-used slot
  std::byte* fresh_end_ = nullptr;  // end of the newest page
  std::vector<std::unique_ptr<std::byte[]>> pages_;
  // Changed under the mutex, read by usage() without it.
  std::atomic<std::size_t> in_use_{0};
  std::atomic<std::size_t> page_count_{0};
};

}  // namespace bgpsecd::base
