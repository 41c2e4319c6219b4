// SPDX-License-Identifier: BSD-2-Clause
// A byte string that keeps up to N octets inside itself and goes to the heap only beyond that.
// Meant for short strings decoded by the thousand, such as a suite-1 signature (DER, at most
// 72 octets): a std::vector would cost one allocation each.
#pragma once

#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <span>
#include <utility>

#include "base/bytes.hpp"

namespace bgpsecd::base {

template <std::size_t N>
class InlineBytes {
  static_assert(N > 0 && N <= std::numeric_limits<std::uint32_t>::max());

 public:
  using value_type = std::uint8_t;
  using size_type = std::size_t;
  using iterator = std::uint8_t*;
  using const_iterator = const std::uint8_t*;
  static constexpr std::size_t kInlineCapacity = N;

  InlineBytes() noexcept = default;
  // Implicit, as a std::vector's contents convert to a span: whatever holds octets becomes one.
  InlineBytes(std::span<const std::uint8_t> octets) { assign(octets); }  // NOLINT
  InlineBytes(const Bytes& octets)
      : InlineBytes(std::span<const std::uint8_t>(octets)) {}  // NOLINT
  InlineBytes(std::initializer_list<std::uint8_t> octets)
      : InlineBytes(std::span<const std::uint8_t>(octets.begin(), octets.size())) {}

  InlineBytes(const InlineBytes& other) : InlineBytes(other.span()) {}
  InlineBytes(InlineBytes&& other) noexcept { take(other); }
  InlineBytes& operator=(const InlineBytes& other) {
    if (this != &other) {
      assign(other.span());
    }
    return *this;
  }
  InlineBytes& operator=(InlineBytes&& other) noexcept {
    if (this != &other) {
      release();
      take(other);
    }
    return *this;
  }
  ~InlineBytes() { release(); }

  // Replaces the contents. `octets` may not point into this string.
  void assign(std::span<const std::uint8_t> octets) {
    reserve_discarding(octets.size());
    if (!octets.empty()) {
      std::memcpy(data(), octets.data(), octets.size());
    }
    size_ = static_cast<std::uint32_t>(octets.size());
  }
  template <typename ContiguousIterator>
  void assign(ContiguousIterator first, ContiguousIterator last) {
    assign(std::span<const std::uint8_t>(first, last));
  }

  void push_back(std::uint8_t octet) {
    if (size_ == capacity()) {
      grow(static_cast<std::size_t>(size_) * 2);
    }
    data()[size_++] = octet;
  }
  void clear() noexcept { size_ = 0; }

  [[nodiscard]] std::uint8_t* data() noexcept { return heap_ != nullptr ? heap_ : inline_.data(); }
  [[nodiscard]] const std::uint8_t* data() const noexcept {
    return heap_ != nullptr ? heap_ : inline_.data();
  }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::size_t capacity() const noexcept {
    return heap_ != nullptr ? heap_capacity_ : N;
  }
  // Whether the octets live inside the object (no allocation behind it).
  [[nodiscard]] bool is_inline() const noexcept { return heap_ == nullptr; }

  [[nodiscard]] iterator begin() noexcept { return data(); }
  [[nodiscard]] iterator end() noexcept { return data() + size_; }
  [[nodiscard]] const_iterator begin() const noexcept { return data(); }
  [[nodiscard]] const_iterator end() const noexcept { return data() + size_; }

  [[nodiscard]] std::uint8_t& operator[](std::size_t i) noexcept {
    assert(i < size_);
    return data()[i];
  }
  [[nodiscard]] const std::uint8_t& operator[](std::size_t i) const noexcept {
    assert(i < size_);
    return data()[i];
  }
  [[nodiscard]] std::uint8_t& front() noexcept { return (*this)[0]; }
  [[nodiscard]] std::uint8_t& back() noexcept { return (*this)[size_ - 1]; }
  [[nodiscard]] const std::uint8_t& front() const noexcept { return (*this)[0]; }
  [[nodiscard]] const std::uint8_t& back() const noexcept { return (*this)[size_ - 1]; }

  // A contiguous range: it converts to std::span<const std::uint8_t> as a vector does.
  [[nodiscard]] std::span<const std::uint8_t> span() const noexcept { return {data(), size_}; }

  friend bool operator==(const InlineBytes& a, const InlineBytes& b) noexcept {
    return std::ranges::equal(a.span(), b.span());
  }
  friend bool operator==(const InlineBytes& a, const Bytes& b) noexcept {
    return std::ranges::equal(a.span(), std::span<const std::uint8_t>(b));
  }

 private:
  // Room for `wanted` octets; the old contents may be lost (assign overwrites them).
  void reserve_discarding(std::size_t wanted) {
    if (wanted > capacity()) {
      release();
      allocate(wanted);
    }
  }
  // Room for `wanted` octets, keeping the contents.
  void grow(std::size_t wanted) {
    auto* const fresh = new std::uint8_t[wanted];
    std::memcpy(fresh, data(), size_);
    delete[] heap_;
    heap_ = fresh;
    heap_capacity_ = static_cast<std::uint32_t>(wanted);
  }
  void allocate(std::size_t wanted) {
    assert(wanted <= std::numeric_limits<std::uint32_t>::max());
    heap_ = new std::uint8_t[wanted];
    heap_capacity_ = static_cast<std::uint32_t>(wanted);
  }
  void release() noexcept {
    delete[] heap_;
    heap_ = nullptr;
    heap_capacity_ = 0;
    size_ = 0;
  }
  // Moves `other`'s contents here (this holds nothing) and leaves `other` empty.
  void take(InlineBytes& other) noexcept {
    if (other.heap_ != nullptr) {
      heap_ = std::exchange(other.heap_, nullptr);
      heap_capacity_ = std::exchange(other.heap_capacity_, 0);
    } else {
      std::memcpy(inline_.data(), other.inline_.data(), other.size_);
    }
    size_ = std::exchange(other.size_, 0);
  }

  std::uint8_t* heap_ = nullptr;  // owned; null while the contents fit inline
  std::uint32_t size_ = 0;
  std::uint32_t heap_capacity_ = 0;
  std::array<std::uint8_t, N> inline_;  // uninitialised beyond size_ on purpose
};

}  // namespace bgpsecd::base
