// SPDX-License-Identifier: BSD-2-Clause
// The only place that indexes into packet memory.
#include "base/byte_reader.hpp"

#include <algorithm>

namespace bgpsecd::base {

bool ByteReader::read_u8(std::uint8_t& out) noexcept {
  if (remaining() < 1) {
    return false;
  }
  out = bytes_[pos_++];
  return true;
}

bool ByteReader::peek_u8(std::uint8_t& out) const noexcept {
  if (remaining() < 1) {
    return false;
  }
  out = bytes_[pos_];
  return true;
}

bool ByteReader::read_u16(std::uint16_t& out) noexcept {
  if (remaining() < 2) {
    return false;
  }
  out = static_cast<std::uint16_t>((bytes_[pos_] << 8) | bytes_[pos_ + 1]);
  pos_ += 2;
  return true;
}

bool ByteReader::read_u32(std::uint32_t& out) noexcept {
  if (remaining() < 4) {
    return false;
  }
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    v = (v << 8) | bytes_[pos_ + i];
  }
  out = v;
  pos_ += 4;
  return true;
}

bool ByteReader::read_u64(std::uint64_t& out) noexcept {
  if (remaining() < 8) {
    return false;
  }
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    v = (v << 8) | bytes_[pos_ + i];
  }
  out = v;
  pos_ += 8;
  return true;
}

bool ByteReader::read_bytes(std::size_t n, std::span<const std::uint8_t>& out) noexcept {
  if (remaining() < n) {
    return false;
  }
  out = bytes_.subspan(pos_, n);
  pos_ += n;
  return true;
}

bool ByteReader::read_into(std::span<std::uint8_t> out) noexcept {
  if (remaining() < out.size()) {
    return false;
  }
  const auto src = bytes_.subspan(pos_, out.size());
  std::copy(src.begin(), src.end(), out.begin());
  pos_ += out.size();
  return true;
}

bool ByteReader::sub(std::size_t n, ByteReader& out) noexcept {
  if (remaining() < n) {
    return false;
  }
  out = ByteReader(bytes_.subspan(pos_, n), offset());
  pos_ += n;
  return true;
}

bool ByteReader::skip(std::size_t n) noexcept {
  if (remaining() < n) {
    return false;
  }
  pos_ += n;
  return true;
}

}  // namespace bgpsecd::base
