// SPDX-License-Identifier: BSD-2-Clause
// The two example UPDATEs of RFC 8608 Appendix A (= RFC 8208), with the BGPsec_PATH type
// octet rewritten from the deprecated 30 to 33 (RFC 8205 §3): decoded to the expected
// values and re-encoded to the identical bytes.
#include <string>

#include <gtest/gtest.h>

#include "tests/vectors/rfc8608.hpp"
#include "wire/update.hpp"
#include "wire/update_test_util.hpp"

namespace bgpsecd::wire {
namespace {

using test::ip;
using test::pfx;
using test::same_bytes;
namespace tv = bgpsecd::test_vectors;

struct Example {
  base::Bytes message;      // with type 33
  std::size_t type_offset;  // of the BGPsec_PATH type octet
};

// The example message with its fourth attribute's type octet changed from 0x1E to 0x21.
Example rewritten(std::size_t index) {
  const auto& ex = tv::example(index);
  Example out{tv::field(ex, "bgp_update_message"), 0};
  // Header, Withdrawn Routes Length (0), Total Path Attribute Length, then the attributes.
  std::size_t offset = kHeaderSize + 2 + 2;
  const auto& attrs = ex.at("path_attributes");
  for (std::size_t i = 0; i < 3; ++i) {
    offset += tv::hex_bytes(attrs.at(i).at("raw").get<std::string>()).size();
  }
  out.type_offset = offset + 1;
  EXPECT_EQ(out.message.at(out.type_offset), 0x1E);
  out.message.at(out.type_offset) = kAttrBgpsecPath;
  return out;
}

BgpsecPath expected_bgpsec_path(const nlohmann::json& ex) {
  BgpsecPath path;
  for (const auto& seg : ex.at("secure_path_segments")) {
    SecurePathSegment s;
    s.pcount = seg.at("pcount").get<std::uint8_t>();
    s.flags = seg.at("flags").get<std::uint8_t>();
    s.asn = base::Asn(seg.at("asn").get<std::uint32_t>());
    path.secure_path.push_back(s);
  }
  SignatureBlock block;
  block.suite = ex.at("algorithm_suite_id").get<std::uint8_t>();
  for (const auto& seg : ex.at("signature_segments")) {
    SignatureSegment s;
    s.ski = base::Ski::from_hex(seg.at("ski").get<std::string>()).value();
    const auto raw = tv::hex_bytes(seg.at("raw").get<std::string>());
    s.signature.assign(raw.begin() + 22, raw.end());  // after SKI and Signature Length
    EXPECT_EQ(s.signature.size(), seg.at("signature_length").get<std::size_t>());
    block.segments.push_back(std::move(s));
  }
  path.blocks.push_back(std::move(block));
  return path;
}

UpdateMessage expected_update(std::size_t index) {
  const auto& ex = tv::example(index);
  UpdateMessage u;
  u.attrs.origin = Origin::Incomplete;
  u.attrs.med = 0;
  MpReach reach;
  reach.afi = static_cast<base::Afi>(ex.at("afi").get<std::uint16_t>());
  reach.safi = ex.at("safi").get<std::uint8_t>();
  reach.next_hops = {ip(ex.at("mp_reach_next_hop").get<std::string>().c_str())};
  reach.nlri = {pfx(ex.at("prefix").get<std::string>().c_str())};
  u.attrs.mp_reach = reach;
  u.attrs.bgpsec_path = expected_bgpsec_path(ex);
  return u;
}

void check_example(std::size_t index) {
  const Example ex = rewritten(index);
  const auto body = std::span<const std::uint8_t>(ex.message).subspan(kHeaderSize);
  auto decoded = decode_update(body, DecodeContext{});
  ASSERT_TRUE(decoded) << decoded.error().what;
  EXPECT_FALSE(decoded->has_errors()) << decoded->errors.at(0).what;
  const UpdateMessage expected = expected_update(index);
  EXPECT_EQ(decoded->update, expected);
  EXPECT_EQ(decoded->update.attrs.bgpsec_path->secure_path.size(), 2U);
  EXPECT_EQ(decoded->update.attrs.bgpsec_path->secure_path[0].asn, base::Asn(65536));
  EXPECT_EQ(decoded->update.attrs.bgpsec_path->secure_path[1].asn, base::Asn(64496));

  auto encoded = encode_update(expected, EncodeContext{});
  ASSERT_TRUE(encoded) << encoded.error().message;
  EXPECT_TRUE(same_bytes(ex.message, *encoded));
  // The rewritten attribute is the vector's own type-33 form.
  const auto attr33 = tv::field(tv::example(index), "bgpsec_path_attribute_with_iana_type_33");
  EXPECT_TRUE(same_bytes(
      attr33, base::Bytes(ex.message.begin() + static_cast<std::ptrdiff_t>(ex.type_offset - 1),
                          ex.message.end())));
}

TEST(UpdateRfc8608, Ipv4ExampleBothWays) { check_example(0); }

TEST(UpdateRfc8608, Ipv6ExampleBothWays) { check_example(1); }

// As carried (type 30), the attribute is an unknown optional one, and without AS_PATH or
// BGPsec_PATH the announcement lacks a mandatory attribute: treat-as-withdraw.
TEST(UpdateRfc8608, Type30IsNotBgpsecPath) {
  const auto message = tv::field(tv::example(0), "bgp_update_message");
  auto decoded =
      decode_update(std::span<const std::uint8_t>(message).subspan(kHeaderSize), DecodeContext{});
  ASSERT_TRUE(decoded);
  EXPECT_FALSE(decoded->update.attrs.bgpsec_path.has_value());
  ASSERT_EQ(decoded->update.attrs.unknown.size(), 1U);
  EXPECT_EQ(decoded->update.attrs.unknown[0].type, 30);
  EXPECT_EQ(decoded->update.attrs.unknown[0].flags, 0x80);
  ASSERT_EQ(decoded->errors.size(), 1U);
  EXPECT_EQ(decoded->errors[0].subcode, 3);
  EXPECT_EQ(decoded->errors[0].detail, kAttrAsPath);
  EXPECT_EQ(decoded->strongest(), base::Action::TreatAsWithdraw);
}

}  // namespace
}  // namespace bgpsecd::wire
