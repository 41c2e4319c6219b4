// SPDX-License-Identifier: BSD-2-Clause
// The Subject Key Identifiers of the stored BGPsec paths, each kept once for the whole process
// and named by a 4-octet index. A full table carries about five million Signature_Segments but
// only as many SKIs as there are router keys (one or a few per signing AS: RFC 8209 §3.1), so a
// stored hop names its SKI by index instead of holding its 20 octets.
//
// Counted: an SKI stays while a stored hop names it and its slot is reused once none does, so
// SKIs that no router key has (random ones from a peer) cost nothing after their routes go.
// Any thread may acquire and release (validation workers drop the last copy of a path); the
// table is locked for that. Reading an SKI by index takes no lock: slots live in blocks that
// are never moved or freed, and a slot does not change while someone holds it.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "base/ski.hpp"

namespace bgpsecd::rib {

class SkiPool {
 public:
  using Index = std::uint32_t;

  // The process's pool (stored paths of every RIB share it).
  [[nodiscard]] static SkiPool& instance();

  SkiPool() = default;
  SkiPool(const SkiPool&) = delete;
  SkiPool& operator=(const SkiPool&) = delete;
  SkiPool(SkiPool&&) = delete;
  SkiPool& operator=(SkiPool&&) = delete;
  ~SkiPool();

  // The index of `ski`, held once more by the caller (throws std::bad_alloc, or
  // std::length_error past kMaxSkis distinct SKIs held at once).
  [[nodiscard]] Index acquire(const base::Ski& ski);
  // Gives up one hold; the slot is free for another SKI once no hold remains.
  void release(Index index) noexcept;
  // The SKI of an index the caller holds; valid while it does.
  [[nodiscard]] const base::Ski& at(Index index) const noexcept;

  struct Usage {
    std::size_t skis = 0;   // distinct SKIs held now
    std::size_t slots = 0;  // slots allocated (held and free)
  };
  [[nodiscard]] Usage usage() const;

 private:
  static constexpr std::size_t kBlockBits = 12;  // 4096 slots per block
  static constexpr std::size_t kBlockSize = std::size_t{1} << kBlockBits;
  static constexpr std::size_t kMaxBlocks = std::size_t{1} << 14;

 public:
  // 67 M: a thousand times the router keys a full table is signed with today.
  static constexpr std::size_t kMaxSkis = kBlockSize * kMaxBlocks;

 private:
  struct Slot {
    base::Ski ski;
    std::uint32_t holds = 0;  // under mutex_
  };

  [[nodiscard]] Slot& slot(Index index) const noexcept;

  mutable std::mutex mutex_;
  std::unordered_map<base::Ski, Index, base::SkiHash> index_of_;
  std::vector<Index> free_;
  std::size_t used_slots_ = 0;  // slots handed out so far (held or on free_)
  // Blocks of slots, allocated as needed and kept until the pool goes; a pointer is published
  // before any index into its block is handed out.
  std::array<std::atomic<Slot*>, kMaxBlocks> blocks_{};
};

}  // namespace bgpsecd::rib
