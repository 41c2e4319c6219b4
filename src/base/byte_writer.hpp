// SPDX-License-Identifier: BSD-2-Clause
// The one writer every encoded wire byte goes through (docs/style.md §2.4): big-endian appends,
// and length slots reserved up front and filled in once the body is known.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/bytes.hpp"

namespace bgpsecd::base {

class ByteWriter {
 public:
  // A reserved length field; fill it with fill_u8/fill_u16 once the body is written.
  struct Slot {
    std::size_t pos;
  };

  void put_u8(std::uint8_t v);
  void put_u16(std::uint16_t v);
  void put_u32(std::uint32_t v);
  void put_u64(std::uint64_t v);
  void put_bytes(std::span<const std::uint8_t> bytes);

  [[nodiscard]] Slot reserve_u8();
  [[nodiscard]] Slot reserve_u16();
  // Number of bytes written after the slot (what a length field that excludes itself holds).
  [[nodiscard]] std::size_t since(Slot slot, std::size_t slot_width) const noexcept;
  void fill_u8(Slot slot, std::uint8_t v) noexcept;
  void fill_u16(Slot slot, std::uint16_t v) noexcept;

  [[nodiscard]] std::size_t size() const noexcept { return out_.size(); }
  [[nodiscard]] const Bytes& bytes() const noexcept { return out_; }
  [[nodiscard]] Bytes take() noexcept { return std::move(out_); }

 private:
  Bytes out_;
};

}  // namespace bgpsecd::base
