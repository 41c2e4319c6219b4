// SPDX-License-Identifier: BSD-2-Clause
// The OPEN message (RFC 4271 §4.2) with its optional parameters (RFC 5492 capabilities, RFC
// 9072 extended optional parameter length) and the AS_TRANS rule of RFC 6793.
#pragma once

#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/asn.hpp"
#include "base/bytes.hpp"
#include "base/result.hpp"
#include "base/wire_error.hpp"
#include "wire/capability.hpp"
#include "wire/context.hpp"

namespace bgpsecd::wire {

inline constexpr std::uint8_t kBgpVersion = 4;
inline constexpr std::uint8_t kOptParamCapabilities = 2;  // RFC 5492 §4
inline constexpr std::uint8_t kOptParamExtended = 255;    // RFC 9072 §2 (Non-Ext OP Type)

// An optional parameter of another type than 2 (e.g. the deprecated Authentication, 1).
// decode_open never produces one: RFC 4271 §6.2 makes it an error. It exists so tests and
// tools can build such OPENs; do not use type 2 or 255 here.
struct UnknownOptionalParameter {
  std::uint8_t type = 0;
  base::Bytes value;
  friend bool operator==(const UnknownOptionalParameter&,
                         const UnknownOptionalParameter&) = default;
};

struct OpenMessage {
  std::uint8_t version = kBgpVersion;
  std::uint16_t my_as = 0;  // AS_TRANS (23456) when the real AS needs 4 octets
  std::uint16_t hold_time = 0;
  std::uint32_t bgp_id = 0;              // host order; "192.0.2.1" is 0xC0000201
  std::vector<Capability> capabilities;  // in wire order, across all parameters
  std::vector<UnknownOptionalParameter> other_params;
  friend bool operator==(const OpenMessage&, const OpenMessage&) = default;
};

// Decodes an OPEN body (the octets after the 19-octet header); error offsets count from the
// start of the message. All errors are SessionReset, checked in RFC 4271 §6.2 order:
//   body shorter than its 10 fixed octets  -> 1/2 at the header Length field (the session's
//                                             header check normally catches this first)
//   Version != 4                           -> 2/1 at the Version octet; the NOTIFICATION data
//                                             is the 2-octet version we support (4), see
//                                             notification_from_error
//   Hold Time 1 or 2                       -> 2/6 at the Hold Time
//   BGP Identifier 0                       -> 2/3 at the BGP Identifier (RFC 6286 §2.1)
//   Opt Parm Len (or the RFC 9072 extended length) != octets that follow, a parameter or
//   capability length overrunning its container, a known capability of a wrong length
//                                          -> 2/0 (RFC 4271/5492 have no subcode for an
//                                             inconsistent length inside OPEN; OpenBGPD also
//                                             sends OPEN error subcode 0)
//   parameter type other than 2            -> 2/4 at the Parameter Type octet
// Capabilities may share a parameter or come one per parameter; both decode alike.
[[nodiscard]] base::Result<OpenMessage, base::WireError> decode_open(
    std::span<const std::uint8_t> body) noexcept;

// The whole message, header included. Capabilities go into as few type-2 parameters as fit
// 255 octets each, followed by other_params; when the parameters do not fit the one-octet
// Opt Parm Len (or a capability is longer than 253 octets), the RFC 9072 extended format
// carries them. Fails when a capability value exceeds 255 octets or the OPEN exceeds 4096
// octets (RFC 8654 §3 keeps OPEN at 4096).
[[nodiscard]] base::Result<base::Bytes> encode_open(const OpenMessage& open,
                                                    const EncodeContext& ctx);

// The speaker's AS: the 4-octet AS capability (RFC 6793 §3) if present, else My AS.
[[nodiscard]] base::Asn speaker_as(const OpenMessage& open) noexcept;

// An OPEN for `local_as`: My AS is AS_TRANS when the AS needs 4 octets (RFC 6793 §9), and a
// 4-octet AS capability carrying `local_as` is added first unless `capabilities` has one.
[[nodiscard]] OpenMessage make_open(base::Asn local_as, std::uint16_t hold_time,
                                    std::uint32_t bgp_id, std::vector<Capability> capabilities);

// The first capability of type Cap, or nullptr.
template <class Cap>
[[nodiscard]] const Cap* find_capability(const OpenMessage& open) noexcept {
  for (const auto& cap : open.capabilities) {
    if (const auto* c = std::get_if<Cap>(&cap.value)) {
      return c;
    }
  }
  return nullptr;
}

// {"type":"OPEN","version":4,"my_as":..,"hold_time":..,"bgp_id":"192.0.2.1",
//  "speaker_as":..,"capabilities":[...]} (+ "other_params" when there are any).
[[nodiscard]] nlohmann::json to_json(const OpenMessage& open);

}  // namespace bgpsecd::wire
