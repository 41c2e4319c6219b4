// SPDX-License-Identifier: BSD-2-Clause
// Test-only helpers for the UPDATE codec tests: hex literals, attribute and body builders that
// fill in the length fields, and a byte comparison that prints hex on mismatch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "base/bytes.hpp"
#include "base/hex.hpp"
#include "base/prefix.hpp"
#include "base/wire_error.hpp"
#include "wire/update.hpp"

namespace bgpsecd::wire::test {

inline base::Bytes hex(std::string_view text) {
  auto bytes = base::from_hex(text);
  EXPECT_TRUE(bytes.has_value()) << "bad hex in test: " << text;
  return bytes.value_or(base::Bytes{});
}

inline base::Bytes cat(std::initializer_list<base::Bytes> parts) {
  base::Bytes out;
  for (const auto& p : parts) {
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

// flags, type, 1- or 2-octet length (by the Extended Length bit in `flags`), value.
inline base::Bytes attr(std::uint8_t flags, std::uint8_t type, const base::Bytes& value) {
  base::Bytes out{flags, type};
  if ((flags & 0x10) != 0) {
    out.push_back(static_cast<std::uint8_t>(value.size() >> 8));
  }
  out.push_back(static_cast<std::uint8_t>(value.size()));
  out.insert(out.end(), value.begin(), value.end());
  return out;
}

inline base::Bytes u16(std::size_t v) {
  return {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

// An UPDATE body: the three fields with their length octets.
inline base::Bytes body(const base::Bytes& withdrawn, const base::Bytes& attrs,
                        const base::Bytes& nlri) {
  return cat({u16(withdrawn.size()), withdrawn, u16(attrs.size()), attrs, nlri});
}

// The whole message: marker, length, type 2, body.
inline base::Bytes message(const base::Bytes& update_body) {
  return cat({base::Bytes(16, 0xFF), u16(update_body.size() + 19), base::Bytes{2}, update_body});
}

inline base::Prefix pfx(const char* text) { return base::Prefix::parse(text).value(); }
inline base::IpAddress ip(const char* text) { return base::IpAddress::parse(text).value(); }
// An AS_PATH of one AS_SEQUENCE.
inline AsPath as_sequence(std::initializer_list<std::uint32_t> asns) {
  AsPathSegment segment{AsPathSegmentType::AsSequence, {}};
  for (auto a : asns) {
    segment.asns.emplace_back(a);
  }
  return AsPath{{segment}};
}

inline ::testing::AssertionResult same_bytes(const base::Bytes& expected,
                                             const base::Bytes& actual) {
  if (expected == actual) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "\n  expected " << base::to_hex(expected) << "\n  actual   " << base::to_hex(actual);
}

// Action, code/subcode, offset and length of an error, for readable expectations.
inline ::testing::AssertionResult is_error(const base::WireError& e, base::Action action,
                                           std::uint8_t code, std::uint8_t subcode,
                                           std::uint32_t offset, std::uint32_t length) {
  if (e.action == action && e.code == code && e.subcode == subcode && e.offset == offset &&
      e.length == length) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "got " << base::action_name(e.action) << " " << int{e.code} << "/" << int{e.subcode}
         << " at " << e.offset << "+" << e.length << " (" << e.what << "), expected "
         << base::action_name(action) << " " << int{code} << "/" << int{subcode} << " at " << offset
         << "+" << length;
}

// An ordinary eBGP IPv4 UPDATE: one withdrawn route, ORIGIN, AS_PATH, NEXT_HOP, MED,
// COMMUNITIES, EXTENDED COMMUNITIES (a route target and RFC 8097 "valid"), LARGE_COMMUNITY
// and two prefixes.
inline base::Bytes ordinary_update_body() {
  return body(hex("18 C63364"),
              cat({attr(0x40, 1, hex("00")),                                  // IGP
                   attr(0x40, 2, hex("0202 0000FDE9 0000FDEA")),              // 65001 65002
                   attr(0x40, 3, hex("C0000201")),                            // 192.0.2.1
                   attr(0x80, 4, hex("00000032")),                            // MED 50
                   attr(0xC0, 8, hex("FDE90064 FFFFFF01")),                   // 65001:100 NO_EXPORT
                   attr(0xC0, 16, hex("0002FDE900000064 4300000000000000")),  // RT, RFC 8097
                   attr(0xC0, 32, hex("0000FDE9 00000001 00000002"))}),       // 65001:1:2
              hex("18 C00002 19 C0000280"));
}

inline UpdateMessage ordinary_update_value() {
  UpdateMessage u;
  u.withdrawn = {pfx("198.51.100.0/24")};
  u.attrs.origin = Origin::Igp;
  u.attrs.as_path = AsPath{{{AsPathSegmentType::AsSequence, {base::Asn(65001), base::Asn(65002)}}}};
  u.attrs.next_hop = ip("192.0.2.1");
  u.attrs.med = 50;
  u.attrs.communities = {0xFDE90064, 0xFFFFFF01};
  u.attrs.ext_communities = {ExtendedCommunity{{0x00, 0x02, 0xFD, 0xE9, 0, 0, 0, 0x64}},
                             make_origin_validation_community(OriginValidationState::Valid)};
  u.attrs.large_communities = {{65001, 1, 2}};
  u.nlri = {pfx("192.0.2.0/24"), pfx("192.0.2.128/25")};
  return u;
}

}  // namespace bgpsecd::wire::test
