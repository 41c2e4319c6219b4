// SPDX-License-Identifier: BSD-2-Clause
// Capability codecs (RFC 5492 and the RFCs of each code). Per-code names and legal value
// lengths live in one table; the value layouts are one small function per type.
#include "wire/capability.hpp"

#include <array>
#include <string>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/hex.hpp"
#include "wire/role.hpp"

namespace bgpsecd::wire {
namespace {

// Legal value lengths are min_length + k * step (k >= 0), or exactly min_length when step
// is 0. `decoded` is false for codes we only name.
struct CapabilityDescriptor {
  std::uint8_t code;
  const char* name;
  std::uint8_t min_length;
  std::uint8_t step;
  bool decoded;
};

constexpr std::array<CapabilityDescriptor, 10> kCapabilityTable{{
    {MultiprotocolCap::kCode, "multiprotocol", 4, 0, true},                  // RFC 4760 §8
    {RouteRefreshCap::kCode, "route-refresh", 0, 0, true},                   // RFC 2918 §2
    {ExtendedMessageCap::kCode, "extended-message", 0, 0, true},             // RFC 8654 §3
    {BgpsecCap::kCode, "bgpsec", 3, 0, true},                                // RFC 8205 §2
    {RoleCap::kCode, "role", 1, 0, true},                                    // RFC 9234 §3.1
    {GracefulRestartCap::kCode, "graceful-restart", 2, 4, true},             // RFC 4724 §3
    {FourOctetAsCap::kCode, "four-octet-as", 4, 0, true},                    // RFC 6793 §3
    {AddPathCap::kCode, "add-path", 4, 4, true},                             // RFC 7911 §4
    {EnhancedRouteRefreshCap::kCode, "enhanced-route-refresh", 0, 0, true},  // RFC 7313 §3
    {128, "route-refresh-old", 0, 0, false},  // pre-standard RFC 2918 code, kept as unknown
}};

const CapabilityDescriptor* find_descriptor(std::uint8_t code) noexcept {
  for (const auto& d : kCapabilityTable) {
    if (d.code == code) {
      return &d;
    }
  }
  return nullptr;
}

bool length_ok(const CapabilityDescriptor& d, std::size_t length) noexcept {
  if (length < d.min_length) {
    return false;
  }
  return d.step == 0 ? length == d.min_length : (length - d.min_length) % d.step == 0;
}

base::WireError malformed(std::size_t offset, std::size_t length, const char* what) noexcept {
  // RFC 5492 has no subcode for a malformed capability: OPEN Message Error, subcode 0
  // ("unspecific"), as OpenBGPD sends for "Bad capabilities".
  return base::WireError{base::Action::SessionReset,
                         base::notify::kOpenMessageError,
                         0,
                         static_cast<std::uint32_t>(offset),
                         static_cast<std::uint32_t>(length),
                         what,
                         0};
}

// ===== value decoders (the length is already checked against the table) =====

bool read_value(base::ByteReader& r, MultiprotocolCap& c) noexcept {
  std::uint8_t reserved = 0;  // RFC 4760 §8: sent as 0, ignored on receipt
  return r.read_u16(c.afi) && r.read_u8(reserved) && r.read_u8(c.safi);
}

bool read_value(base::ByteReader& r, BgpsecCap& c) noexcept {
  std::uint8_t octet = 0;
  if (!r.read_u8(octet) || !r.read_u16(c.afi)) {
    return false;
  }
  // RFC 8205 §2: version in the high nibble, Dir bit 0x08; the 3 low bits are ignored.
  c.version = static_cast<std::uint8_t>(octet >> 4);
  c.send = (octet & BgpsecCap::kDirSendBit) != 0;
  return true;
}

bool read_value(base::ByteReader& r, RoleCap& c) noexcept { return r.read_u8(c.role); }

bool read_value(base::ByteReader& r, GracefulRestartCap& c) noexcept {
  std::uint16_t word = 0;
  if (!r.read_u16(word)) {
    return false;
  }
  // RFC 4724 §3: Restart Flags (4 bits) | Restart Time (12 bits).
  c.restart_flags = static_cast<std::uint8_t>(word >> 12);
  c.restart_time = static_cast<std::uint16_t>(word & 0x0FFF);
  while (!r.empty()) {
    GracefulRestartFamily f;
    if (!r.read_u16(f.afi) || !r.read_u8(f.safi) || !r.read_u8(f.flags)) {
      return false;
    }
    c.families.push_back(f);
  }
  return true;
}

bool read_value(base::ByteReader& r, FourOctetAsCap& c) noexcept {
  std::uint32_t asn = 0;
  if (!r.read_u32(asn)) {
    return false;
  }
  c.asn = base::Asn(asn);
  return true;
}

bool read_value(base::ByteReader& r, AddPathCap& c) noexcept {
  while (!r.empty()) {
    AddPathFamily f;
    if (!r.read_u16(f.afi) || !r.read_u8(f.safi) || !r.read_u8(f.send_receive)) {
      return false;
    }
    c.families.push_back(f);
  }
  return true;
}

template <class Cap>
base::Result<Capability, base::WireError> decode_as(base::ByteReader r, std::size_t offset,
                                                    std::size_t total) noexcept {
  Cap cap;
  if constexpr (requires { read_value(r, cap); }) {
    if (!read_value(r, cap) || !r.empty()) {
      return base::fail(malformed(offset, total, "capability value malformed"));
    }
  }
  return Capability{cap};
}

// ===== value encoders =====

void put_value(const MultiprotocolCap& c, base::ByteWriter& out) {
  out.put_u16(c.afi);
  out.put_u8(0);  // Reserved
  out.put_u8(c.safi);
}
void put_value(const RouteRefreshCap&, base::ByteWriter&) {}
void put_value(const ExtendedMessageCap&, base::ByteWriter&) {}
void put_value(const EnhancedRouteRefreshCap&, base::ByteWriter&) {}
void put_value(const BgpsecCap& c, base::ByteWriter& out) {
  // RFC 8205 §2: the 3 unassigned low bits are sent as zero.
  out.put_u8(
      static_cast<std::uint8_t>(((c.version & 0x0F) << 4) | (c.send ? BgpsecCap::kDirSendBit : 0)));
  out.put_u16(c.afi);
}
void put_value(const RoleCap& c, base::ByteWriter& out) { out.put_u8(c.role); }
void put_value(const GracefulRestartCap& c, base::ByteWriter& out) {
  out.put_u16(
      static_cast<std::uint16_t>(((c.restart_flags & 0x0F) << 12) | (c.restart_time & 0x0FFF)));
  for (const auto& f : c.families) {
    out.put_u16(f.afi);
    out.put_u8(f.safi);
    out.put_u8(f.flags);
  }
}
void put_value(const FourOctetAsCap& c, base::ByteWriter& out) { out.put_u32(c.asn.value()); }
void put_value(const AddPathCap& c, base::ByteWriter& out) {
  for (const auto& f : c.families) {
    out.put_u16(f.afi);
    out.put_u8(f.safi);
    out.put_u8(f.send_receive);
  }
}
void put_value(const UnknownCap& c, base::ByteWriter& out) { out.put_bytes(c.value); }

// ===== JSON =====

void add_json(const MultiprotocolCap& c, nlohmann::json& j) {
  j["afi"] = afi_json_name(c.afi);
  j["safi"] = safi_json_name(c.safi);
}
void add_json(const RouteRefreshCap&, nlohmann::json&) {}
void add_json(const ExtendedMessageCap&, nlohmann::json&) {}
void add_json(const EnhancedRouteRefreshCap&, nlohmann::json&) {}
void add_json(const BgpsecCap& c, nlohmann::json& j) {
  j["version"] = c.version;
  j["direction"] = c.send ? "send" : "receive";
  j["afi"] = afi_json_name(c.afi);
}
void add_json(const RoleCap& c, nlohmann::json& j) {
  const auto role = role_from_code(c.role);
  j["role"] = role ? nlohmann::json(role_name(*role)) : nlohmann::json(c.role);
}
void add_json(const GracefulRestartCap& c, nlohmann::json& j) {
  j["restart_flags"] = c.restart_flags;
  j["restarted"] = (c.restart_flags & GracefulRestartCap::kRestartState) != 0;
  j["notification"] = (c.restart_flags & GracefulRestartCap::kNotification) != 0;
  j["restart_time"] = c.restart_time;
  auto families = nlohmann::json::array();
  for (const auto& f : c.families) {
    families.push_back(
        {{"afi", afi_json_name(f.afi)},
         {"safi", safi_json_name(f.safi)},
         {"forwarding_preserved", (f.flags & GracefulRestartFamily::kForwardingPreserved) != 0}});
  }
  j["families"] = std::move(families);
}
void add_json(const FourOctetAsCap& c, nlohmann::json& j) { j["asn"] = c.asn.value(); }
void add_json(const AddPathCap& c, nlohmann::json& j) {
  auto families = nlohmann::json::array();
  for (const auto& f : c.families) {
    nlohmann::json mode = f.send_receive;
    switch (f.send_receive) {
      case AddPathFamily::kReceive:
        mode = "receive";
        break;
      case AddPathFamily::kSend:
        mode = "send";
        break;
      case AddPathFamily::kBoth:
        mode = "both";
        break;
      default:
        break;
    }
    families.push_back({{"afi", afi_json_name(f.afi)},
                        {"safi", safi_json_name(f.safi)},
                        {"send_receive", std::move(mode)}});
  }
  j["families"] = std::move(families);
}
void add_json(const UnknownCap& c, nlohmann::json& j) { j["value"] = base::to_hex(c.value); }

}  // namespace

std::uint8_t Capability::code() const noexcept {
  return std::visit(
      [](const auto& c) -> std::uint8_t {
        if constexpr (requires { c.kCode; }) {
          return c.kCode;
        } else {
          return c.code;
        }
      },
      value);
}

const char* capability_name(std::uint8_t code) noexcept {
  const CapabilityDescriptor* d = find_descriptor(code);
  return d != nullptr ? d->name : "unknown";
}

base::Result<Capability, base::WireError> decode_capability(std::uint8_t code,
                                                            std::span<const std::uint8_t> value,
                                                            std::size_t offset) noexcept {
  const CapabilityDescriptor* d = find_descriptor(code);
  if (d == nullptr || !d->decoded) {
    return Capability{UnknownCap{code, base::Bytes(value.begin(), value.end())}};
  }
  const std::size_t total = 2 + value.size();  // code, length, value
  // RFC 5492 §4 leaves the value to each capability's RFC; a length that RFC does not allow
  // (MP != 4, BGPsec != 3, 4-octet AS != 4, GR != 2 + 4k, ...) is a malformed OPEN.
  if (!length_ok(*d, value.size())) {
    return base::fail(malformed(offset, total, "capability length wrong for its code"));
  }
  const base::ByteReader r(value, offset + 2);
  switch (code) {
    case MultiprotocolCap::kCode:
      return decode_as<MultiprotocolCap>(r, offset, total);
    case RouteRefreshCap::kCode:
      return decode_as<RouteRefreshCap>(r, offset, total);
    case ExtendedMessageCap::kCode:
      return decode_as<ExtendedMessageCap>(r, offset, total);
    case BgpsecCap::kCode:
      return decode_as<BgpsecCap>(r, offset, total);
    case RoleCap::kCode:
      return decode_as<RoleCap>(r, offset, total);
    case GracefulRestartCap::kCode:
      return decode_as<GracefulRestartCap>(r, offset, total);
    case FourOctetAsCap::kCode:
      return decode_as<FourOctetAsCap>(r, offset, total);
    case AddPathCap::kCode:
      return decode_as<AddPathCap>(r, offset, total);
    case EnhancedRouteRefreshCap::kCode:
      return decode_as<EnhancedRouteRefreshCap>(r, offset, total);
    default:
      break;
  }
  // Every `decoded` table entry has a case above.
  return Capability{UnknownCap{code, base::Bytes(value.begin(), value.end())}};
}

base::Result<void, base::WireError> decode_capabilities(base::ByteReader param,
                                                        std::vector<Capability>& out) noexcept {
  while (!param.empty()) {
    const std::size_t offset = param.offset();
    const std::size_t left = param.remaining();
    std::uint8_t code = 0;
    std::uint8_t length = 0;
    if (!param.read_u8(code) || !param.read_u8(length)) {
      return base::fail(malformed(offset, left, "capability header truncated"));
    }
    std::span<const std::uint8_t> value;
    // RFC 5492 §4: the capability must fit inside its optional parameter.
    if (!param.read_bytes(length, value)) {
      return base::fail(malformed(offset + 1, 1, "capability length overruns its parameter"));
    }
    BGPSEC_ASSIGN_OR_RETURN(Capability cap, decode_capability(code, value, offset));
    // g++ 12 at -O2 reports -Wmaybe-uninitialized inside std::variant's move constructor for
    // this move: it follows every alternative's move although the variant's index selects the
    // one that was constructed. A false positive (clang 14 and g++ at -O0 see nothing); the
    // suppression covers this statement only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
    out.push_back(std::move(cap));
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  }
  return {};
}

std::size_t capability_value_size(const Capability& cap) noexcept {
  return std::visit(
      [](const auto& c) -> std::size_t {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, MultiprotocolCap> || std::is_same_v<T, FourOctetAsCap>) {
          return 4;
        } else if constexpr (std::is_same_v<T, BgpsecCap>) {
          return 3;
        } else if constexpr (std::is_same_v<T, RoleCap>) {
          return 1;
        } else if constexpr (std::is_same_v<T, GracefulRestartCap>) {
          return 2 + 4 * c.families.size();
        } else if constexpr (std::is_same_v<T, AddPathCap>) {
          return 4 * c.families.size();
        } else if constexpr (std::is_same_v<T, UnknownCap>) {
          return c.value.size();
        } else {
          return 0;
        }
      },
      cap.value);
}

base::Result<void> encode_capability(const Capability& cap, base::ByteWriter& out) {
  const std::size_t size = capability_value_size(cap);
  if (size > 255) {
    return base::fail(std::string("capability ") + std::to_string(cap.code()) + " (" +
                      capability_name(cap.code()) + ") value of " + std::to_string(size) +
                      " octets does not fit its one-octet length");
  }
  out.put_u8(cap.code());
  out.put_u8(static_cast<std::uint8_t>(size));
  std::visit([&out](const auto& c) { put_value(c, out); }, cap.value);
  return {};
}

nlohmann::json to_json(const Capability& cap) {
  nlohmann::json j{{"code", cap.code()}, {"name", capability_name(cap.code())}};
  std::visit([&j](const auto& c) { add_json(c, j); }, cap.value);
  return j;
}

nlohmann::json afi_json_name(std::uint16_t afi) {
  switch (afi) {
    case 1:
      return "ipv4";
    case 2:
      return "ipv6";
    default:
      return afi;
  }
}

nlohmann::json safi_json_name(std::uint8_t safi) {
  switch (safi) {
    case 1:
      return "unicast";
    case 2:
      return "multicast";
    default:
      return safi;
  }
}

}  // namespace bgpsecd::wire
