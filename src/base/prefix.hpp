// SPDX-License-Identifier: BSD-2-Clause
// IPv4 and IPv6 addresses and prefixes, and the AFI/SAFI numbers they travel under
// (RFC 4760). A Prefix always has its host bits zero, so equal prefixes compare equal.
#pragma once

#include <array>
#include <bit>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace bgpsecd::base {

enum class Afi : std::uint16_t { Ipv4 = 1, Ipv6 = 2 };
inline constexpr std::uint8_t kSafiUnicast = 1;

[[nodiscard]] constexpr std::size_t address_octets(Afi afi) noexcept {
  return afi == Afi::Ipv4 ? 4 : 16;
}
[[nodiscard]] constexpr std::uint8_t max_prefix_length(Afi afi) noexcept {
  return afi == Afi::Ipv4 ? 32 : 128;
}
[[nodiscard]] const char* afi_name(Afi afi) noexcept;  // "ipv4" / "ipv6"

class IpAddress {
 public:
  IpAddress() noexcept = default;
  // `bytes` must hold address_octets(afi) octets; extra octets are ignored, missing ones zero.
  IpAddress(Afi afi, std::span<const std::uint8_t> bytes) noexcept;
  [[nodiscard]] static IpAddress v4(std::uint32_t host_order) noexcept;
  [[nodiscard]] static Result<IpAddress> parse(std::string_view text);

  [[nodiscard]] Afi afi() const noexcept { return afi_; }
  // The address_octets(afi()) meaningful octets.
  [[nodiscard]] std::span<const std::uint8_t> octets() const noexcept {
    return std::span<const std::uint8_t>(bytes_).first(address_octets(afi_));
  }
  [[nodiscard]] std::string to_string() const;
  // Family, then the octets as one big-endian number: the order of a comparison member by
  // member, as two 64-bit compares instead of a memcmp call. Every step of every lookup in the
  // RIB's maps compares addresses, and a full table's maps are 20 levels deep.
  friend std::strong_ordering operator<=>(const IpAddress& a, const IpAddress& b) noexcept {
    if (a.afi_ != b.afi_) {
      return a.afi_ <=> b.afi_;
    }
    const std::uint64_t a_high = a.word(0);
    const std::uint64_t b_high = b.word(0);
    if (a_high != b_high) {
      return a_high <=> b_high;
    }
    return a.word(1) <=> b.word(1);
  }
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
  // A hash of the family and all 16 octets (unused octets are zero), for unordered containers.
  [[nodiscard]] std::size_t hash() const noexcept;

 private:
  // Octets 8·i … 8·i+7 as a big-endian number.
  [[nodiscard]] std::uint64_t word(std::size_t i) const noexcept {
    std::uint64_t w = 0;
    std::memcpy(&w, bytes_.data() + 8 * i, sizeof w);
    if constexpr (std::endian::native == std::endian::little) {
      w = __builtin_bswap64(w);
    }
    return w;
  }

  Afi afi_ = Afi::Ipv4;
  std::array<std::uint8_t, 16> bytes_{};
};

// A BGP Identifier written as an IPv4 address ("192.0.2.1"), as a host-order number: RFC 6286
// §2.1 makes it a non-zero 32-bit number, so "0.0.0.0" and anything but IPv4 are refused. The
// error text is a predicate ("must be ..."): callers put the name of the setting in front.
[[nodiscard]] Result<std::uint32_t> parse_bgp_identifier(std::string_view text);

class Prefix {
 public:
  Prefix() noexcept = default;
  // Host bits beyond `length` are cleared; `length` is clamped to the AFI's maximum.
  Prefix(const IpAddress& address, std::uint8_t length) noexcept;
  // "192.0.2.0/24", "2001:db8::/32". Host bits must be zero (a typo in a config or RPKI file
  // should not silently become a different prefix).
  [[nodiscard]] static Result<Prefix> parse(std::string_view text);

  [[nodiscard]] Afi afi() const noexcept { return address_.afi(); }
  [[nodiscard]] const IpAddress& address() const noexcept { return address_; }
  [[nodiscard]] std::uint8_t length() const noexcept { return length_; }
  // The ceil(length/8) prefix octets as they appear in NLRI (RFC 4271 §4.3).
  [[nodiscard]] std::span<const std::uint8_t> nlri_octets() const noexcept {
    return address_.octets().first((std::size_t{length_} + 7) / 8);
  }
  // True when `other` is this prefix or a more-specific of it (same AFI).
  [[nodiscard]] bool contains(const Prefix& other) const noexcept;
  [[nodiscard]] std::string to_string() const;
  friend auto operator<=>(const Prefix&, const Prefix&) = default;
  [[nodiscard]] std::size_t hash() const noexcept;

 private:
  IpAddress address_;
  std::uint8_t length_ = 0;
};

// For unordered containers keyed by Prefix. Keyed with a secret drawn at start, since the
// prefixes come from peers: nobody outside can aim them at one bucket.
struct PrefixHash {
  std::size_t operator()(const Prefix& prefix) const noexcept { return prefix.hash(); }
};

// Calls fn(entry) for the entries of `map` (an ordered map keyed by Prefix) whose prefix is
// `covering` or one of its more-specifics: the routes a VRP for `covering` can change (RFC 6811
// §2), without walking the rest. Prefixes order by address, then length, so these entries are
// the contiguous run that starts at `covering` (a less-specific with the same address sorts
// before it, and no other prefix's address falls inside the covered range).
template <class Map, class Fn>
void for_each_within(const Map& map, const Prefix& covering, Fn&& fn) {
  for (auto it = map.lower_bound(covering); it != map.end() && covering.contains(it->first); ++it) {
    fn(*it);
  }
}

}  // namespace bgpsecd::base
