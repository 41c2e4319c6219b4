// SPDX-License-Identifier: BSD-2-Clause
// Test-only: the small BGP PDUs and the IPv4 peer the BMP tests wrap.
#pragma once

#include <string>

#include "base/bytes.hpp"
#include "base/hex.hpp"
#include "bmp/message.hpp"
#include "wire/update_test_util.hpp"

namespace bgpsecd::bmp::test {

using wire::test::hex;

// Upper-case hex without spaces of a spaced hex text, to compare with base::to_hex.
inline std::string canon(const std::string& text) { return base::to_hex(hex(text)); }

// 192.0.2.1, AS 65001, BGP ID 192.0.2.1, 2020-09-13T12:26:40Z and 123456 µs.
inline PeerHeader ipv4_peer() {
  PeerHeader p;
  p.address = base::IpAddress::parse("192.0.2.1").value();
  p.asn = 65001;
  p.bgp_id = 0xC0000201;
  p.seconds = 0x5F5E1000;
  p.micros = 123456;
  return p;
}

// ipv4_peer() as written on the wire with the given flags octet (two hex digits): peer type
// 0, distinguisher 0, the address in the last four of 16 octets, AS, ID, seconds, µs.
inline std::string ipv4_peer_header_hex(const std::string& flags) {
  return "00" + flags +
         "0000000000000000 000000000000000000000000 c0000201"
         "0000fde9 c0000201 5f5e1000 0001e240";
}

// An IPv4 unicast End-of-RIB: the empty UPDATE (RFC 4724 §2).
inline const std::string kEndOfRibHex = "ffffffffffffffffffffffffffffffff 0017 02 0000 0000";
inline base::Bytes end_of_rib() { return hex(kEndOfRibHex); }

// OPEN: version 4, AS 65001, hold time 180, BGP ID 192.0.2.1, no optional parameters.
inline const std::string kOpenHex =
    "ffffffffffffffffffffffffffffffff 001d 01 04 fde9 00b4 c0000201 00";
inline base::Bytes open() { return hex(kOpenHex); }

}  // namespace bgpsecd::bmp::test
