// SPDX-License-Identifier: BSD-2-Clause
// The buffer behind a length-prefixed PDU framer (RTR, SRx proxy): bytes go in as TCP reads
// return them, whole PDUs come out once their header has named their length. The protocol
// supplies the header check; a header it refuses leaves the stream without PDU boundaries, so
// that error is sticky until reset().
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "base/byte_reader.hpp"
#include "base/bytes.hpp"
#include "base/result.hpp"

namespace bgpsecd::base {

template <class E>
class PduStream {
 public:
  void append(std::span<const std::uint8_t> bytes) {
    if (consumed_ > 0) {
      // Drop what was handed out before growing the buffer.
      buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(consumed_));
      consumed_ = 0;
    }
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  }

  // The next whole PDU (header included), std::nullopt while incomplete, or the error of
  // `pdu_length`. It is called with the first `header_size` buffered bytes of the next PDU and
  // returns Result<std::size_t, E>: the PDU's total length, at least `header_size`.
  template <class F>
  [[nodiscard]] Result<std::optional<Bytes>, E> next(std::size_t header_size, F&& pdu_length) {
    if (error_) {
      return fail(*error_);
    }
    ByteReader r(std::span<const std::uint8_t>(buffer_).subspan(consumed_));
    if (r.remaining() < header_size) {
      return std::optional<Bytes>();
    }
    Result<std::size_t, E> length = std::forward<F>(pdu_length)(r.rest().first(header_size));
    if (!length) {
      error_ = std::move(length).error();
      return fail(*error_);
    }
    std::span<const std::uint8_t> pdu;
    if (!r.read_bytes(*length, pdu)) {
      return std::optional<Bytes>();  // not all there yet
    }
    std::optional<Bytes> out(Bytes(pdu.begin(), pdu.end()));  // copied before the buffer moves
    consumed_ += pdu.size();
    return out;
  }

  // Bytes received but not yet handed out.
  [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size() - consumed_; }

  void reset() noexcept {
    buffer_.clear();
    consumed_ = 0;
    error_.reset();
  }

 private:
  Bytes buffer_;
  std::size_t consumed_ = 0;
  std::optional<E> error_;
};

}  // namespace bgpsecd::base
