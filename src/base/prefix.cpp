// SPDX-License-Identifier: BSD-2-Clause
#include "base/prefix.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include <arpa/inet.h>

#include "base/mix64.hpp"
#include "base/random_secret.hpp"

namespace bgpsecd::base {

const char* afi_name(Afi afi) noexcept { return afi == Afi::Ipv4 ? "ipv4" : "ipv6"; }

IpAddress::IpAddress(Afi afi, std::span<const std::uint8_t> bytes) noexcept : afi_(afi) {
  const auto n = std::min(bytes.size(), address_octets(afi));
  std::copy_n(bytes.begin(), n, bytes_.begin());
}

IpAddress IpAddress::v4(std::uint32_t host_order) noexcept {
  const std::array<std::uint8_t, 4> b{
      static_cast<std::uint8_t>(host_order >> 24), static_cast<std::uint8_t>(host_order >> 16),
      static_cast<std::uint8_t>(host_order >> 8), static_cast<std::uint8_t>(host_order)};
  return IpAddress(Afi::Ipv4, b);
}

Result<IpAddress> IpAddress::parse(std::string_view text) {
  const std::string s(text);
  std::array<std::uint8_t, 16> buf{};
  if (s.find(':') != std::string::npos) {
    if (inet_pton(AF_INET6, s.c_str(), buf.data()) == 1) {
      return IpAddress(Afi::Ipv6, buf);
    }
  } else if (inet_pton(AF_INET, s.c_str(), buf.data()) == 1) {
    return IpAddress(Afi::Ipv4, std::span<const std::uint8_t>(buf).first(4));
  }
  return fail("invalid IP address '" + s + "'");
}

Result<std::uint32_t> parse_bgp_identifier(std::string_view text) {
  auto address = IpAddress::parse(text);
  if (!address || address->afi() != Afi::Ipv4) {
    return fail("must be an IPv4 address (RFC 6286)");
  }
  const auto o = address->octets();
  const std::uint32_t id = (std::uint32_t{o[0]} << 24) | (std::uint32_t{o[1]} << 16) |
                           (std::uint32_t{o[2]} << 8) | std::uint32_t{o[3]};
  if (id == 0) {
    return fail("must not be 0.0.0.0 (RFC 6286 §2.1)");
  }
  return id;
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(afi_ == Afi::Ipv4 ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf);
  return buf;
}

namespace {

std::array<std::uint8_t, 16> masked(std::span<const std::uint8_t> octets, std::uint8_t length) {
  std::array<std::uint8_t, 16> out{};
  for (std::size_t i = 0; i < octets.size(); ++i) {
    const std::size_t bit = i * 8;
    if (bit + 8 <= length) {
      out[i] = octets[i];
    } else if (bit < length) {
      out[i] = static_cast<std::uint8_t>(octets[i] & (0xFF << (8 - (length - bit))));
    }
  }
  return out;
}

}  // namespace

Prefix::Prefix(const IpAddress& address, std::uint8_t length) noexcept
    : length_(std::min(length, max_prefix_length(address.afi()))) {
  const auto bytes = masked(address.octets(), length_);
  address_ = IpAddress(address.afi(), bytes);
}

Result<Prefix> Prefix::parse(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return fail("invalid prefix '" + std::string(text) + "': missing /length");
  }
  auto addr = IpAddress::parse(text.substr(0, slash));
  if (!addr) {
    return fail("invalid prefix '" + std::string(text) + "': " + addr.error().message);
  }
  const auto len_text = text.substr(slash + 1);
  unsigned len = 0;
  auto [ptr, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (ec != std::errc() || ptr != len_text.data() + len_text.size() || len_text.empty() ||
      len > max_prefix_length(addr->afi())) {
    return fail("invalid prefix '" + std::string(text) + "': bad length");
  }
  Prefix p(*addr, static_cast<std::uint8_t>(len));
  if (p.address() != *addr) {
    return fail("invalid prefix '" + std::string(text) + "': host bits set");
  }
  return p;
}

bool Prefix::contains(const Prefix& other) const noexcept {
  if (other.afi() != afi() || other.length_ < length_) {
    return false;
  }
  return Prefix(other.address_, length_).address_ == address_;
}

std::string Prefix::to_string() const {
  return address_.to_string() + "/" + std::to_string(length_);
}

namespace {

// Drawn once per process; every table keyed by prefixes shares it.
const std::array<std::uint64_t, 2>& hash_secret() noexcept {
  static const std::array<std::uint64_t, 2> secret = [] {
    std::array<std::uint8_t, 16> octets{};
    fill_random_secret(octets);
    std::array<std::uint64_t, 2> out{};
    std::memcpy(out.data(), octets.data(), sizeof out);
    return out;
  }();
  return secret;
}

}  // namespace

std::size_t IpAddress::hash() const noexcept {
  const auto& secret = hash_secret();
  // Each step is a bijection of the running value, so two addresses collide only through the
  // secret (the second word's effect depends on mix64 of the first word and secret[0]).
  std::uint64_t h = mix64(word(0) ^ secret[0]);
  h = mix64(h ^ word(1) ^ secret[1]);
  return static_cast<std::size_t>(mix64(h ^ static_cast<std::uint64_t>(afi_)));
}

std::size_t Prefix::hash() const noexcept {
  return static_cast<std::size_t>(
      mix64(static_cast<std::uint64_t>(address_.hash()) ^ (std::uint64_t{length_} << 56)));
}

}  // namespace bgpsecd::base
