// SPDX-License-Identifier: BSD-2-Clause
// SRx update identifier: the worked examples computed by NIST's own code (hex text and ID), a
// full captured VERIFY whose receipt carried the ID, the shifted IPv6 layout, and the
// collision rule.
#include "srx/update_id.hpp"

#include <map>

#include <gtest/gtest.h>

#include "srx/test_vectors.hpp"
#include "wire/update_test_util.hpp"

namespace bgpsecd::srx {
namespace {

using test::kQuaggaVerifyV4;
using test::kShiftedVerifyV6;
using wire::test::hex;

base::IpAddress ip(std::string_view text) { return base::IpAddress::parse(text).value(); }

base::Bytes as_path_bytes(std::initializer_list<std::uint32_t> path) {
  base::Bytes out;
  for (const auto asn : path) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.push_back(static_cast<std::uint8_t>(asn >> shift));
    }
  }
  return out;
}

struct Example {
  const char* name;
  std::uint32_t origin_as;
  const char* prefix;
  std::uint8_t length;
  base::Bytes blob;
  const char* text;
  std::uint32_t id;
};

TEST(SrxUpdateId, Crc32IsZlibs) {
  const std::string_view check = "123456789";
  EXPECT_EQ(crc32(std::span(reinterpret_cast<const std::uint8_t*>(check.data()), check.size())),
            0xCBF43926U);
}

TEST(SrxUpdateId, WorkedExamplesMatchNist) {
  const Example examples[] = {
      {"E1 origin only", 65100, "10.0.0.0", 24, {}, "0000FE4C0000000A18", 0xF0F4232E},
      {"E2 IPv4 AS path", 65020, "10.98.0.0", 24, as_path_bytes({65005, 65020}),
       "0000FDFC0000620A180000FFFF0000FFFF", 0xABC86756},
      {"E3 IPv6 AS path", 65000, "2001:db8:1::", 48, as_path_bytes({65001, 65000}),
       "0000FDE820010DB8000100000000000000000000300000FFFF0000FFFF", 0xEF54DB5E},
      {"E4 4-byte AS", 4200000001, "2001:db8:1::", 48, as_path_bytes({64496, 4200000001}),
       "FA56EA0120010DB8000100000000000000000000300000FFFFFF56FF01", 0xFADC7506},
      {"E5 BGPsec blob", 64496, "192.0.2.0", 24, hex("90 21 00 08 00 08 01 00 FB F0"),
       "0000FBF0000200C018FF21000800080100FFFF", 0xE5DBA44F},
  };
  for (const auto& e : examples) {
    const UpdateIdInput input{e.origin_as, ip(e.prefix), e.length, e.blob};
    EXPECT_EQ(update_id_text(input), e.text) << e.name;
    EXPECT_EQ(update_id(input), e.id) << e.name;
  }
}

TEST(SrxUpdateId, BytesFromHex80UpAllHashAlike) {
  // The signed-char quirk: 0x80 and 0xFF give the same text, 0x7F does not.
  const auto a = hex("80");
  const auto b = hex("FF");
  const auto c = hex("7F");
  const auto text = [](const base::Bytes& blob) {
    return update_id_text(UpdateIdInput{1, base::IpAddress::v4(0), 0, blob});
  };
  EXPECT_EQ(text(a), text(b));
  EXPECT_EQ(text(c), "0000000100000000007F");
}

TEST(SrxUpdateId, CapturedVerifyGivesTheIdOfItsReceipt) {
  const auto decoded = decode_srx_pdu(hex(kQuaggaVerifyV4));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  const auto& request = std::get<VerifyRequestPdu>(*decoded);
  // With an attribute, the AS path is not hashed.
  const auto blob = update_id_blob(request);
  EXPECT_EQ(blob, request.bgpsec_attribute);
  const UpdateIdInput input{request.origin_as, request.prefix_address, request.prefix_length, blob};
  const auto text = update_id_text(input);
  EXPECT_EQ(text.size(), 232U);
  const std::string_view start =
      "0000FDED0000050A14FF210067000801000000FFFF005F01FFFFFF6579FF274AFFFF7CFFFF1AFFFF3AFFFF"
      "6000463044022001";
  EXPECT_EQ(text.substr(0, start.size()), start);
  EXPECT_EQ(update_id(request), 0x2E427F2BU);
}

TEST(SrxUpdateId, AsPathIsHashedWhenThereIsNoAttribute) {
  VerifyRequestPdu request;
  request.prefix_address = ip("10.98.0.0");
  request.prefix_length = 24;
  request.origin_as = 65020;
  request.as_path = {65005, 65020};
  EXPECT_EQ(update_id_blob(request), as_path_bytes({65005, 65020}));
  EXPECT_EQ(update_id(request), 0xABC86756U);  // E2
}

TEST(SrxUpdateId, ShiftedIpv6HashesWhereNistLooks) {
  // libSRxProxy's IPv6 request (path data at 60): NIST hashes the bytes at offset 72, i.e. the
  // attribute minus its first 12 bytes, then 12 zero bytes.
  const auto decoded = decode_srx_pdu(hex(test::kShiftedVerifyV6));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  const auto& request = std::get<VerifyRequestPdu>(*decoded);
  ASSERT_EQ(request.layout, VerifyLayout::ShiftedIpv6);
  EXPECT_EQ(update_id_blob(request), base::Bytes(12, 0));
  // CRC-32 of "0000FDFC20010DB8000100000000000000000000" "30" + 24 zeros (Python zlib.crc32).
  EXPECT_EQ(update_id(request), 0x378B969FU);

  // Without an attribute: the AS path list as NIST reads it, from offset 72.
  VerifyRequestPdu path_only = request;
  path_only.bgpsec_attribute.clear();
  path_only.as_path = {65001, 65002, 65003, 65004};
  EXPECT_EQ(update_id_blob(path_only), hex("0000fdec 00000000 00000000 00000000"));
}

UpdateKey key_for(std::uint32_t origin, const char* prefix) {
  return UpdateKey{origin, ip(prefix), 24, {origin}, {}};
}

struct CollisionCase {
  const char* name;
  std::map<std::uint32_t, UpdateKey> held;
  std::uint32_t computed;
  UpdateKey key;
  std::uint32_t expected;
};

TEST(SrxUpdateId, CollisionRule) {
  const auto a = key_for(65001, "10.0.0.0");
  const auto b = key_for(65002, "10.0.0.0");
  const CollisionCase cases[] = {
      {"a free ID is kept", {}, 0x1234, a, 0x1234},
      {"the same update keeps its ID", {{0x1234, a}}, 0x1234, a, 0x1234},
      {"+1 while the ID holds another update",
       {{0x1234, a}, {0x1235, b}},
       0x1234,
       key_for(65003, "10.0.0.0"),
       0x1236},
      {"the same update found after a collision", {{0x1234, a}, {0x1235, b}}, 0x1234, b, 0x1235},
      // NIST's comparison ignores the prefix; ours does not, so these are two updates.
      {"the prefix is compared", {{0x1234, a}}, 0x1234, key_for(65001, "10.1.0.0"), 0x1235},
      // QuaggaSRx reads ID 0 as "no ID yet".
      {"wraps and skips 0", {{0xFFFFFFFF, a}}, 0xFFFFFFFF, b, 1},
      {"0 itself is skipped", {}, 0, b, 1},
  };
  for (const auto& c : cases) {
    const UpdateLookup lookup = [&c](std::uint32_t id) -> const UpdateKey* {
      const auto it = c.held.find(id);
      return it == c.held.end() ? nullptr : &it->second;
    };
    EXPECT_EQ(resolve_update_id(c.computed, c.key, lookup), c.expected) << c.name;
  }
}

}  // namespace
}  // namespace bgpsecd::srx
