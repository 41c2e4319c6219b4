// SPDX-License-Identifier: BSD-2-Clause
// Autonomous System numbers (4-octet, RFC 6793) as a strong type, so an ASN is never mixed
// up with a length, a count or a hold time.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace bgpsecd::base {

class Asn {
 public:
  constexpr Asn() noexcept = default;
  constexpr explicit Asn(std::uint32_t value) noexcept : value_(value) {}
  [[nodiscard]] constexpr std::uint32_t value() const noexcept { return value_; }
  friend constexpr auto operator<=>(Asn, Asn) noexcept = default;

  // "65536" (asplain, RFC 5396), as used in JSON output and config.
  [[nodiscard]] std::string to_string() const { return std::to_string(value_); }

 private:
  std::uint32_t value_ = 0;
};

// AS_TRANS, carried in OPEN's My AS when the real AS needs 4 octets (RFC 6793 §9).
inline constexpr Asn kAsTrans{23456};

// Accepts "65536", "AS65536"/"as65536" and asdot "1.0" (RFC 5396).
[[nodiscard]] Result<Asn> parse_asn(std::string_view text);

// Private-use ASNs (RFC 6996): 64512-65534 and 4200000000-4294967294.
[[nodiscard]] constexpr bool is_private_asn(Asn asn) noexcept {
  const auto v = asn.value();
  return (v >= 64512 && v <= 65534) || (v >= 4200000000U && v <= 4294967294U);
}

}  // namespace bgpsecd::base
