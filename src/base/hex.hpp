// SPDX-License-Identifier: BSD-2-Clause
// Hex and base64 text forms of byte strings (keys, SKIs, attributes on command lines and in
// RPKI JSON). Decoders return errors, never throw.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "base/result.hpp"

namespace bgpsecd::base {

// Upper-case hex without separators ("AB4D91...").
[[nodiscard]] std::string to_hex(std::span<const std::uint8_t> bytes);
[[nodiscard]] std::string to_hex_lower(std::span<const std::uint8_t> bytes);
// Either case; white space (and a leading "0x") ignored; an odd digit count is an error.
[[nodiscard]] Result<Bytes> from_hex(std::string_view text);

enum class Base64Alphabet : std::uint8_t {
  Standard,  // RFC 4648 §4 ('+', '/'), padded: rpki-client / StayRTR `pubkey`
  UrlSafe,   // RFC 4648 §5 ('-', '_'), unpadded: RFC 8416 SLURM, Routinator
};

[[nodiscard]] std::string to_base64(std::span<const std::uint8_t> bytes,
                                    Base64Alphabet alphabet = Base64Alphabet::Standard);
// Accepts both alphabets, with or without '=' padding; rejects anything else.
[[nodiscard]] Result<Bytes> from_base64(std::string_view text);

}  // namespace bgpsecd::base
