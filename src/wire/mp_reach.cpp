// SPDX-License-Identifier: BSD-2-Clause
// MP_REACH_NLRI / MP_UNREACH_NLRI value codecs (RFC 4760) for IPv4 and IPv6 unicast.
#include "wire/mp_reach.hpp"

#include "base/byte_reader.hpp"
#include "wire/nlri.hpp"

namespace bgpsecd::wire {

namespace {

constexpr std::uint8_t kSubcodeOptionalAttributeError = 9;  // RFC 4271 §6.3

base::WireError mp_error(base::Action action, const base::ByteReader& at,
                         const char* what) noexcept {
  base::WireError e;
  e.action = action;
  e.code = base::notify::kUpdateMessageError;
  e.subcode = kSubcodeOptionalAttributeError;
  e.offset = static_cast<std::uint32_t>(at.offset());
  e.length = static_cast<std::uint32_t>(at.remaining());
  e.what = what;
  return e;
}

// Reads AFI and SAFI; false with `error` set when truncated or not one we handle.
bool read_afi_safi(base::ByteReader& r, base::Afi& afi, std::uint8_t& safi,
                   base::WireError& error) noexcept {
  const base::ByteReader at = r;
  std::uint16_t afi_raw = 0;
  if (!r.read_u16(afi_raw) || !r.read_u8(safi)) {
    error = mp_error(base::Action::SessionReset, at, "MP attribute truncated");
    return false;
  }
  if ((afi_raw != static_cast<std::uint16_t>(base::Afi::Ipv4) &&
       afi_raw != static_cast<std::uint16_t>(base::Afi::Ipv6)) ||
      safi != base::kSafiUnicast) {
    error =
        mp_error(base::Action::AttributeDiscard, at, "MP attribute for an unsupported AFI/SAFI");
    return false;
  }
  afi = static_cast<base::Afi>(afi_raw);
  return true;
}

// RFC 4760 §3, RFC 2545 §3, RFC 8950 §3: 4 (IPv4 only), 16 or 32 (global + link-local).
bool read_next_hops(base::ByteReader& nh, base::Afi afi, std::vector<base::IpAddress>& out) {
  switch (nh.remaining()) {
    case 4: {
      if (afi != base::Afi::Ipv4) {
        return false;
      }
      std::span<const std::uint8_t> b;
      static_cast<void>(nh.read_bytes(4, b));
      out.emplace_back(base::Afi::Ipv4, b);
      return true;
    }
    case 16:
    case 32:
      while (!nh.empty()) {
        std::span<const std::uint8_t> b;
        static_cast<void>(nh.read_bytes(16, b));
        out.emplace_back(base::Afi::Ipv6, b);
      }
      return true;
    default:
      return false;
  }
}

}  // namespace

base::Result<MpReach, base::WireError> decode_mp_reach(std::span<const std::uint8_t> value,
                                                       std::size_t base_offset) noexcept {
  base::ByteReader r(value, base_offset);
  MpReach reach;
  base::WireError error;
  if (!read_afi_safi(r, reach.afi, reach.safi, error)) {
    return base::fail(error);
  }
  const base::ByteReader at_nh = r;
  std::uint8_t nh_len = 0;
  base::ByteReader nh;
  if (!r.read_u8(nh_len) || !r.sub(nh_len, nh)) {
    return base::fail(
        mp_error(base::Action::SessionReset, at_nh, "MP_REACH_NLRI next hop truncated"));
  }
  // RFC 7606 §7.11: a next-hop length inconsistent with the AFI makes the attribute malformed.
  if (!read_next_hops(nh, reach.afi, reach.next_hops)) {
    return base::fail(mp_error(base::Action::SessionReset, at_nh,
                               "MP_REACH_NLRI next-hop length does not fit the AFI"));
  }
  // RFC 4760 §3: one reserved octet (formerly the SNPA count), ignored on receipt.
  const base::ByteReader at_reserved = r;
  if (!r.skip(1)) {
    return base::fail(
        mp_error(base::Action::SessionReset, at_reserved, "MP_REACH_NLRI reserved octet missing"));
  }
  auto nlri = decode_prefixes(r.rest(), reach.afi, r.offset());
  if (!nlri) {
    auto e = nlri.error();
    e.subcode = kSubcodeOptionalAttributeError;
    return base::fail(e);
  }
  reach.nlri = std::move(*nlri);
  return reach;
}

base::Result<MpReach, base::WireError> decode_mp_reach_next_hop(std::span<const std::uint8_t> value,
                                                                base::Afi afi,
                                                                std::size_t base_offset) noexcept {
  base::ByteReader r(value, base_offset);
  MpReach reach;
  reach.afi = afi;
  std::uint8_t nh_len = 0;
  base::ByteReader nh;
  if (!r.read_u8(nh_len) || !r.sub(nh_len, nh) || !r.empty()) {
    return base::fail(mp_error(base::Action::SessionReset, base::ByteReader(value, base_offset),
                               "MRT MP_REACH_NLRI next hop length does not match the attribute"));
  }
  if (!read_next_hops(nh, afi, reach.next_hops)) {
    return base::fail(mp_error(base::Action::SessionReset, base::ByteReader(value, base_offset),
                               "MP_REACH_NLRI next-hop length does not fit the AFI"));
  }
  return reach;
}

base::Result<MpUnreach, base::WireError> decode_mp_unreach(std::span<const std::uint8_t> value,
                                                           std::size_t base_offset) noexcept {
  base::ByteReader r(value, base_offset);
  MpUnreach unreach;
  base::WireError error;
  if (!read_afi_safi(r, unreach.afi, unreach.safi, error)) {
    return base::fail(error);
  }
  auto withdrawn = decode_prefixes(r.rest(), unreach.afi, r.offset());
  if (!withdrawn) {
    auto e = withdrawn.error();
    e.subcode = kSubcodeOptionalAttributeError;
    return base::fail(e);
  }
  unreach.withdrawn = std::move(*withdrawn);
  return unreach;
}

void encode_mp_reach_next_hop(const MpReach& reach, base::ByteWriter& out) {
  const auto nh_len = out.reserve_u8();
  for (const auto& nh : reach.next_hops) {
    out.put_bytes(nh.octets());
  }
  out.fill_u8(nh_len, static_cast<std::uint8_t>(out.since(nh_len, 1)));
}

void encode_mp_reach_value(const MpReach& reach, base::ByteWriter& out) {
  out.put_u16(static_cast<std::uint16_t>(reach.afi));
  out.put_u8(reach.safi);
  encode_mp_reach_next_hop(reach, out);
  out.put_u8(0);  // RFC 4760 §3: reserved
  encode_prefixes(reach.nlri, out);
}

void encode_mp_unreach_value(const MpUnreach& unreach, base::ByteWriter& out) {
  out.put_u16(static_cast<std::uint16_t>(unreach.afi));
  out.put_u8(unreach.safi);
  encode_prefixes(unreach.withdrawn, out);
}

}  // namespace bgpsecd::wire
