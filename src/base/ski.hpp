// SPDX-License-Identifier: BSD-2-Clause
// Subject Key Identifier of a router key: 20 octets, SHA-1 over the public point
// (RFC 8209, RFC 6487 §4.8.2). Carried in every BGPsec Signature_Segment and in RTR Router
// Key PDUs.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace bgpsecd::base {

class Ski {
 public:
  static constexpr std::size_t kSize = 20;
  constexpr Ski() noexcept = default;
  constexpr explicit Ski(const std::array<std::uint8_t, kSize>& bytes) noexcept : bytes_(bytes) {}

  [[nodiscard]] constexpr const std::array<std::uint8_t, kSize>& bytes() const noexcept {
    return bytes_;
  }
  [[nodiscard]] std::span<const std::uint8_t> span() const noexcept { return bytes_; }
  friend constexpr auto operator<=>(const Ski&, const Ski&) noexcept = default;

  // 40 upper-case hex digits, as rpki-client writes `ski`.
  [[nodiscard]] std::string to_hex() const;
  // 40 hex digits, either case; colons between octets are accepted too.
  [[nodiscard]] static Result<Ski> from_hex(std::string_view hex);
  [[nodiscard]] static Result<Ski> from_bytes(std::span<const std::uint8_t> bytes);

 private:
  std::array<std::uint8_t, kSize> bytes_{};
};

struct SkiHash {
  std::size_t operator()(const Ski& ski) const noexcept;
};

}  // namespace bgpsecd::base
