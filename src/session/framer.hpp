// SPDX-License-Identifier: BSD-2-Clause
// Cuts the TCP byte stream from a peer into whole BGP messages (RFC 4271 §4.1): the transport
// appends whatever a read returned, the FSM takes messages out one at a time. The header of
// each message is checked (wire::frame_length) as soon as its 19 octets are in, against the
// size limit of the session's current DecodeContext (4096, or 65535 after RFC 8654).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"
#include "wire/context.hpp"

namespace bgpsecd::session {

class Framer {
 public:
  // Adds received octets. Invalidates the spans handed out by next().
  void append(std::span<const std::uint8_t> bytes);

  // The next whole message (header included), or nullopt while it is incomplete. The span
  // points into the framer and stays valid until the next append() or clear(). A bad header
  // (marker, length, type: RFC 4271 §6.1) is an error with message-relative offsets; the
  // framer then keeps returning it, since the stream has lost its message boundaries, and
  // pending() holds the offending header for wire::notification_from_error.
  [[nodiscard]] base::Result<std::optional<std::span<const std::uint8_t>>, base::WireError> next(
      const wire::DecodeContext& ctx) noexcept;

  // Octets received and not yet returned by next().
  [[nodiscard]] std::span<const std::uint8_t> pending() const noexcept;
  [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size() - start_; }
  // Drops everything (a new connection starts a new stream).
  void clear() noexcept;

 private:
  base::Bytes buffer_;
  std::size_t start_ = 0;  // first octet not yet returned
};

}  // namespace bgpsecd::session
