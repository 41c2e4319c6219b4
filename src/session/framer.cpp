// SPDX-License-Identifier: BSD-2-Clause
// Message framing over the receive buffer; see framer.hpp.
#include "session/framer.hpp"

#include "wire/header.hpp"

namespace bgpsecd::session {

void Framer::append(std::span<const std::uint8_t> bytes) {
  // Compact only here, so that every span next() returned since the last append() stays
  // valid while the caller works through one read's worth of messages.
  if (start_ > 0) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

base::Result<std::optional<std::span<const std::uint8_t>>, base::WireError> Framer::next(
    const wire::DecodeContext& ctx) noexcept {
  const auto rest = pending();
  BGPSEC_ASSIGN_OR_RETURN(const std::size_t length, wire::frame_length(rest, ctx));
  if (length == 0) {
    return std::optional<std::span<const std::uint8_t>>{};
  }
  start_ += length;
  return std::optional<std::span<const std::uint8_t>>{rest.first(length)};
}

std::span<const std::uint8_t> Framer::pending() const noexcept {
  return std::span<const std::uint8_t>(buffer_).subspan(start_);
}

void Framer::clear() noexcept {
  buffer_.clear();
  start_ = 0;
}

}  // namespace bgpsecd::session
