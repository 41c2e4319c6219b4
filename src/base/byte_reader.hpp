// SPDX-License-Identifier: BSD-2-Clause
// The one bounds-checked reader every wire byte goes through (docs/style.md §2.2).
// Each read either succeeds and advances, or fails and changes nothing. The reader knows the
// offset of its next byte from the start of the message, so errors can point at bad bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace bgpsecd::base {

class ByteReader {
 public:
  ByteReader() noexcept = default;
  // `base_offset` is the offset of bytes[0] within the enclosing message.
  explicit ByteReader(std::span<const std::uint8_t> bytes, std::size_t base_offset = 0) noexcept
      : bytes_(bytes), base_offset_(base_offset) {}

  [[nodiscard]] bool read_u8(std::uint8_t& out) noexcept;
  [[nodiscard]] bool read_u16(std::uint16_t& out) noexcept;  // network order
  [[nodiscard]] bool read_u32(std::uint32_t& out) noexcept;  // network order
  [[nodiscard]] bool read_u64(std::uint64_t& out) noexcept;  // network order
  // A view of the next n bytes; valid as long as the underlying buffer.
  [[nodiscard]] bool read_bytes(std::size_t n, std::span<const std::uint8_t>& out) noexcept;
  // Copies exactly out.size() bytes.
  [[nodiscard]] bool read_into(std::span<std::uint8_t> out) noexcept;
  // The next n bytes as a reader of their own (offsets stay message-relative).
  [[nodiscard]] bool sub(std::size_t n, ByteReader& out) noexcept;
  [[nodiscard]] bool skip(std::size_t n) noexcept;
  // Looks at the next byte without consuming it.
  [[nodiscard]] bool peek_u8(std::uint8_t& out) const noexcept;

  // Everything not yet read, without consuming it.
  [[nodiscard]] std::span<const std::uint8_t> rest() const noexcept { return bytes_.subspan(pos_); }
  [[nodiscard]] std::size_t remaining() const noexcept { return bytes_.size() - pos_; }
  [[nodiscard]] bool empty() const noexcept { return pos_ == bytes_.size(); }
  // Offset of the next byte from the start of the message.
  [[nodiscard]] std::size_t offset() const noexcept { return base_offset_ + pos_; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  std::size_t base_offset_ = 0;
};

}  // namespace bgpsecd::base
