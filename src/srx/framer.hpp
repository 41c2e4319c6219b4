// SPDX-License-Identifier: BSD-2-Clause
// Cuts the TCP byte stream of an SRx proxy connection into whole PDUs: wait for the 12-byte
// header, take the total length from bytes 8-11, wait for the rest. The transport appends
// whatever a read returned and takes PDUs out one at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/bytes.hpp"
#include "base/pdu_stream.hpp"
#include "base/result.hpp"
#include "srx/pdu.hpp"

namespace bgpsecd::srx {

class SrxFramer {
 public:
  void append(std::span<const std::uint8_t> bytes) { stream_.append(bytes); }
  // The next whole PDU (header included), std::nullopt while incomplete, or the framing error
  // (InvalidPacket: a length below 12 or above kSrxMaxPduSize). The stream has then lost its
  // PDU boundaries, so the error is sticky: the server sends ERROR 2 and GOODBYE and closes.
  [[nodiscard]] base::Result<std::optional<base::Bytes>, SrxError> next();
  // Bytes received but not yet handed out.
  [[nodiscard]] std::size_t buffered() const noexcept { return stream_.buffered(); }

 private:
  base::PduStream<SrxError> stream_;
};

}  // namespace bgpsecd::srx
