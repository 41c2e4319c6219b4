// SPDX-License-Identifier: BSD-2-Clause
#include "base/byte_writer.hpp"

namespace bgpsecd::base {

void ByteWriter::put_u8(std::uint8_t v) { out_.push_back(v); }

void ByteWriter::put_u16(std::uint16_t v) {
  out_.push_back(static_cast<std::uint8_t>(v >> 8));
  out_.push_back(static_cast<std::uint8_t>(v));
}

void ByteWriter::put_u32(std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out_.push_back(static_cast<std::uint8_t>(v >> shift));
  }
}

void ByteWriter::put_u64(std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out_.push_back(static_cast<std::uint8_t>(v >> shift));
  }
}

void ByteWriter::put_bytes(std::span<const std::uint8_t> bytes) {
  out_.insert(out_.end(), bytes.begin(), bytes.end());
}

ByteWriter::Slot ByteWriter::reserve_u8() {
  Slot slot{out_.size()};
  out_.push_back(0);
  return slot;
}

ByteWriter::Slot ByteWriter::reserve_u16() {
  Slot slot{out_.size()};
  out_.push_back(0);
  out_.push_back(0);
  return slot;
}

std::size_t ByteWriter::since(Slot slot, std::size_t slot_width) const noexcept {
  return out_.size() - slot.pos - slot_width;
}

void ByteWriter::fill_u8(Slot slot, std::uint8_t v) noexcept { out_[slot.pos] = v; }

void ByteWriter::fill_u16(Slot slot, std::uint16_t v) noexcept {
  out_[slot.pos] = static_cast<std::uint8_t>(v >> 8);
  out_[slot.pos + 1] = static_cast<std::uint8_t>(v);
}

}  // namespace bgpsecd::base
