// SPDX-License-Identifier: BSD-2-Clause
// SHA-256 (BGPsec algorithm suite 1, RFC 8608 §2) and SHA-1 (SKI, RFC 8209) over byte strings.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace bgpsecd::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;
using Sha1Digest = std::array<std::uint8_t, 20>;

[[nodiscard]] Sha256Digest sha256(std::span<const std::uint8_t> data) noexcept;
[[nodiscard]] Sha1Digest sha1(std::span<const std::uint8_t> data) noexcept;

}  // namespace bgpsecd::crypto
