// SPDX-License-Identifier: BSD-2-Clause
// What a codec needs to know about the session it decodes for (docs/style.md §2.1): negotiated
// capabilities that change the wire format or the checks. Codecs never look at peers,
// sockets, loggers or clocks; the session fills these in after OPEN.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/asn.hpp"
#include "base/prefix.hpp"

namespace bgpsecd::wire {

inline constexpr std::size_t kMaxMessageSize = 4096;           // RFC 4271 §4.1
inline constexpr std::size_t kMaxExtendedMessageSize = 65535;  // RFC 8654
inline constexpr std::size_t kHeaderSize = 19;

// BGPsec negotiated per AFI and direction (RFC 8205 §2.2).
struct BgpsecDirections {
  bool receive_ipv4 = false;  // we may receive BGPsec UPDATEs for IPv4 from this peer
  bool receive_ipv6 = false;
  bool send_ipv4 = false;  // we may send BGPsec UPDATEs for IPv4 to this peer
  bool send_ipv6 = false;
  [[nodiscard]] bool receive(base::Afi afi) const noexcept {
    return afi == base::Afi::Ipv4 ? receive_ipv4 : receive_ipv6;
  }
  [[nodiscard]] bool send(base::Afi afi) const noexcept {
    return afi == base::Afi::Ipv4 ? send_ipv4 : send_ipv6;
  }
  friend bool operator==(const BgpsecDirections&, const BgpsecDirections&) = default;
};

struct DecodeContext {
  bool four_octet_as = true;       // RFC 6793 negotiated: AS_PATH/AGGREGATOR carry 4-octet ASNs
  bool extended_messages = false;  // RFC 8654: we advertised it, so accept up to 65535
  bool ibgp = false;               // RFC 7606: LOCAL_PREF etc. from eBGP are discarded
  BgpsecDirections bgpsec;
  // RFC 6396 §4.3.4: the attributes of an MRT TABLE_DUMP_V2 RIB entry for this AFI, where
  // MP_REACH_NLRI may hold only the next hop's length and address.
  std::optional<base::Afi> mrt_rib_afi;
  [[nodiscard]] std::size_t max_message_size() const noexcept {
    return extended_messages ? kMaxExtendedMessageSize : kMaxMessageSize;
  }
};

struct EncodeContext {
  bool four_octet_as = true;
  bool extended_messages = false;  // RFC 8654: the peer advertised it, so we may send > 4096
  // RFC 6396 §4.3.4: the attributes of an MRT TABLE_DUMP_V2 RIB entry, where MP_REACH_NLRI
  // holds only the next hop's length and address (the record has AFI, SAFI and prefix).
  bool mrt_rib_entry = false;
  [[nodiscard]] std::size_t max_message_size() const noexcept {
    return extended_messages ? kMaxExtendedMessageSize : kMaxMessageSize;
  }
};

}  // namespace bgpsecd::wire
