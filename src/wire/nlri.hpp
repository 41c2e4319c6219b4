// SPDX-License-Identifier: BSD-2-Clause
// Prefix lists as they travel in UPDATE (Withdrawn Routes, NLRI: RFC 4271 §4.3) and inside
// MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760 §5): each prefix is a length in bits followed by
// the fewest octets that hold it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/byte_writer.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"

namespace bgpsecd::wire {

// Decodes every prefix in `bytes` (`base_offset` = offset of bytes[0] in the message).
// A length above 32 / 128 or a prefix cut short is an error: SessionReset, UPDATE Message
// Error / Invalid Network Field (RFC 4271 §6.3, RFC 7606 §5.3), pointing at the bad prefix
// up to the end of `bytes`. Bits beyond the prefix length are cleared, not rejected.
[[nodiscard]] base::Result<std::vector<base::Prefix>, base::WireError> decode_prefixes(
    std::span<const std::uint8_t> bytes, base::Afi afi, std::size_t base_offset = 0) noexcept;

// Appends length-in-bits and the ceil(length/8) prefix octets.
void encode_prefix(const base::Prefix& prefix, base::ByteWriter& out);
void encode_prefixes(std::span<const base::Prefix> prefixes, base::ByteWriter& out);

}  // namespace bgpsecd::wire
