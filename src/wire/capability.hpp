// SPDX-License-Identifier: BSD-2-Clause
// BGP capabilities (RFC 5492) as carried in OPEN optional parameter 2: a value type per
// capability this speaker understands, and UnknownCap keeping every other one byte for byte
// so that `bgpsec decode` can show it and nothing is lost on re-encoding.
#pragma once

#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/asn.hpp"
#include "base/byte_reader.hpp"
#include "base/byte_writer.hpp"
#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"

namespace bgpsecd::wire {

// RFC 4760: one instance per AFI/SAFI. Value: AFI (2), Reserved (1, sent as 0), SAFI (1).
struct MultiprotocolCap {
  static constexpr std::uint8_t kCode = 1;
  std::uint16_t afi = 1;
  std::uint8_t safi = 1;
  friend bool operator==(const MultiprotocolCap&, const MultiprotocolCap&) = default;
};

// RFC 2918: empty value.
struct RouteRefreshCap {
  static constexpr std::uint8_t kCode = 2;
  friend bool operator==(const RouteRefreshCap&, const RouteRefreshCap&) = default;
};

// RFC 8654: empty value.
struct ExtendedMessageCap {
  static constexpr std::uint8_t kCode = 6;
  friend bool operator==(const ExtendedMessageCap&, const ExtendedMessageCap&) = default;
};

// RFC 8205 §2.1: one (direction, AFI) pair per instance. Value: one octet
// Version (high 4 bits) | Dir (0x08) | 3 unassigned bits (sent as zero, ignored on receipt),
// then AFI (2). A version other than 0 is kept so the session can ignore that instance.
struct BgpsecCap {
  static constexpr std::uint8_t kCode = 7;
  static constexpr std::uint8_t kDirSendBit = 0x08;
  std::uint8_t version = 0;  // 4 bits
  bool send = false;         // Dir=1: "I can send BGPsec UPDATEs"; Dir=0: "I can receive"
  std::uint16_t afi = 1;
  friend bool operator==(const BgpsecCap&, const BgpsecCap&) = default;
};

// RFC 9234 §3.1: one octet, the sender's role. Kept as the number received, so that a
// reserved value reaches the negotiation, which answers it with Role Mismatch (RFC 9234 §4.2).
struct RoleCap {
  static constexpr std::uint8_t kCode = 9;
  std::uint8_t role = 0;  // wire::Role for the defined values
  friend bool operator==(const RoleCap&, const RoleCap&) = default;
};

// RFC 4724 §3. Value: Restart Flags (4 bits) | Restart Time (12 bits),
// then {AFI (2), SAFI (1), Flags (1)} per address family (none is legal: End-of-RIB only).
struct GracefulRestartFamily {
  static constexpr std::uint8_t kForwardingPreserved = 0x80;  // F bit
  std::uint16_t afi = 1;
  std::uint8_t safi = 1;
  std::uint8_t flags = 0;
  friend bool operator==(const GracefulRestartFamily&, const GracefulRestartFamily&) = default;
};
struct GracefulRestartCap {
  static constexpr std::uint8_t kCode = 64;
  static constexpr std::uint8_t kRestartState = 0x8;  // R bit: "I have restarted"
  static constexpr std::uint8_t kNotification = 0x4;  // N bit (RFC 8538)
  std::uint8_t restart_flags = 0;                     // 4 bits
  std::uint16_t restart_time = 0;                     // 12 bits, seconds
  std::vector<GracefulRestartFamily> families;
  friend bool operator==(const GracefulRestartCap&, const GracefulRestartCap&) = default;
};

// RFC 6793: the speaker's 4-octet AS.
struct FourOctetAsCap {
  static constexpr std::uint8_t kCode = 65;
  base::Asn asn;
  friend bool operator==(const FourOctetAsCap&, const FourOctetAsCap&) = default;
};

// RFC 7911 §4: {AFI (2), SAFI (1), Send/Receive (1)} repeated.
struct AddPathFamily {
  static constexpr std::uint8_t kReceive = 1;
  static constexpr std::uint8_t kSend = 2;
  static constexpr std::uint8_t kBoth = 3;
  std::uint16_t afi = 1;
  std::uint8_t safi = 1;
  std::uint8_t send_receive = kReceive;
  friend bool operator==(const AddPathFamily&, const AddPathFamily&) = default;
};
struct AddPathCap {
  static constexpr std::uint8_t kCode = 69;
  std::vector<AddPathFamily> families;
  friend bool operator==(const AddPathCap&, const AddPathCap&) = default;
};

// RFC 7313: empty value.
struct EnhancedRouteRefreshCap {
  static constexpr std::uint8_t kCode = 70;
  friend bool operator==(const EnhancedRouteRefreshCap&, const EnhancedRouteRefreshCap&) = default;
};

// Any other code, value kept as received. Do not build one with a code listed above: it
// would decode back as the known type.
struct UnknownCap {
  std::uint8_t code = 0;
  base::Bytes value;
  friend bool operator==(const UnknownCap&, const UnknownCap&) = default;
};

struct Capability {
  std::variant<MultiprotocolCap, RouteRefreshCap, ExtendedMessageCap, BgpsecCap, RoleCap,
               GracefulRestartCap, FourOctetAsCap, AddPathCap, EnhancedRouteRefreshCap, UnknownCap>
      value;
  [[nodiscard]] std::uint8_t code() const noexcept;
  friend bool operator==(const Capability&, const Capability&) = default;
};

// "multiprotocol", "route-refresh", "extended-message", "bgpsec", "role", "graceful-restart",
// "four-octet-as", "add-path", "enhanced-route-refresh", "route-refresh-old" (128);
// "unknown" for the rest.
[[nodiscard]] const char* capability_name(std::uint8_t code) noexcept;

// Decodes the capabilities filling one optional parameter (RFC 5492 §4) and appends them to
// `out`; `param` is the parameter value, offsets message-relative. Errors are SessionReset
// OPEN Message Error subcode 0 ("unspecific"): RFC 5492 defines no subcode for a malformed
// capability, and OpenBGPD answers a bad capability the same way. The offset/length of the
// error point at the capability (code, length, value), or at its Length octet when that
// overruns the parameter. On error `out` may hold the capabilities decoded before it.
[[nodiscard]] base::Result<void, base::WireError> decode_capabilities(
    base::ByteReader param, std::vector<Capability>& out) noexcept;

// One capability from its code and value; `offset` is where its Code octet sits in the
// message. A known code with a value length that its RFC does not allow fails as above.
[[nodiscard]] base::Result<Capability, base::WireError> decode_capability(
    std::uint8_t code, std::span<const std::uint8_t> value, std::size_t offset) noexcept;

// Length of the value encode_capability writes (may exceed 255 for hand-built values).
[[nodiscard]] std::size_t capability_value_size(const Capability& cap) noexcept;
// Appends Code, Length, Value. Fails when the value does not fit the one-octet Length.
[[nodiscard]] base::Result<void> encode_capability(const Capability& cap, base::ByteWriter& out);

// {"code":7,"name":"bgpsec","version":0,"direction":"send","afi":"ipv4"} and the like.
[[nodiscard]] nlohmann::json to_json(const Capability& cap);
// "ipv4"/"ipv6" or the number; "unicast"/"multicast" or the number (for JSON output).
[[nodiscard]] nlohmann::json afi_json_name(std::uint16_t afi);
[[nodiscard]] nlohmann::json safi_json_name(std::uint8_t safi);

}  // namespace bgpsecd::wire
