// SPDX-License-Identifier: BSD-2-Clause
// BGPsec_PATH codec tests: the RFC 8608 example values both ways, and one malformed input per
// RFC 8205 §5.2 structural check (RFC 8205 §3), each with its detail code and offsets.
#include "wire/bgpsec_path.hpp"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "tests/vectors/rfc8608.hpp"
#include "wire/bgpsec_path_json.hpp"

namespace bgpsecd::wire {
namespace {

using test_vectors::example;
using test_vectors::field;
using test_vectors::hex_bytes;

base::Bytes encode_value(const BgpsecPath& path) {
  base::ByteWriter w;
  encode_bgpsec_path_value(path, w);
  return w.take();
}

base::Ski ski_of(const std::string& hex) { return base::Ski::from_hex(hex).value(); }

// Decodes `bytes`, expects success, and checks that encoding gives the same bytes back.
BgpsecPath decode_round_trip(const base::Bytes& bytes) {
  auto decoded = decode_bgpsec_path(bytes);
  EXPECT_TRUE(decoded.has_value()) << (decoded ? "" : decoded.error().what);
  if (!decoded) {
    return {};
  }
  EXPECT_EQ(base::to_hex(encode_value(*decoded)), base::to_hex(bytes));
  EXPECT_EQ(bgpsec_path_value_size(*decoded), bytes.size());
  return *decoded;
}

// The expected value of both RFC 8608 examples, built field by field from the JSON.
BgpsecPath expected_example(const nlohmann::json& ex) {
  BgpsecPath path;
  for (const auto& seg : ex.at("secure_path_segments")) {
    path.secure_path.push_back({seg.at("pcount").get<std::uint8_t>(),
                                seg.at("flags").get<std::uint8_t>(),
                                base::Asn(seg.at("asn").get<std::uint32_t>())});
  }
  SignatureBlock block;
  block.suite = ex.at("algorithm_suite_id").get<std::uint8_t>();
  for (const auto& sig : ex.at("signatures")) {
    block.segments.push_back(
        {ski_of(sig.at("ski").get<std::string>()), field(sig, "signature_der")});
  }
  path.blocks.push_back(std::move(block));
  return path;
}

class Rfc8608Example : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Rfc8608Example, DecodesAndReencodesValueByteForByte) {
  const auto& ex = example(GetParam());
  const auto value = field(ex, "bgpsec_path_value");
  const auto path = decode_round_trip(value);
  EXPECT_EQ(path, expected_example(ex));
  ASSERT_EQ(path.secure_path.size(), 2U);
  EXPECT_EQ(path.secure_path[0].asn, base::Asn(65536));
  EXPECT_EQ(path.secure_path[1].asn, base::Asn(64496));
  ASSERT_EQ(path.blocks.size(), 1U);
  EXPECT_EQ(path.blocks[0].segments[0].signature.size(), 72U);
}

TEST_P(Rfc8608Example, EncodesWholeAttributeWithIanaTypeCode33) {
  // RFC 8205 §3: type 33, flags 0x90 (the example as published carries the pre-IANA code 30).
  const auto& ex = example(GetParam());
  base::ByteWriter w;
  encode_bgpsec_path_attribute(expected_example(ex), w);
  EXPECT_EQ(base::to_hex(w.bytes()),
            ex.at("bgpsec_path_attribute_with_iana_type_33").get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Ipv4AndIpv6, Rfc8608Example, ::testing::Values(0U, 1U));

TEST(BgpsecPath, TwoBlocksWithDifferentSuitesRoundTrip) {
  // RFC 8205 §3: up to two Signature_Blocks (algorithm transition).
  const auto bytes = hex_bytes(
      "0008 01 00 0000FBF0"
      "001A 01 AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154 0001 AA"
      "001B 02 47F23BF1AB2F8A9D26864EBBD8DF2711C74406EC 0002 BBCC");
  const auto path = decode_round_trip(bytes);
  ASSERT_EQ(path.blocks.size(), 2U);
  EXPECT_EQ(path.blocks[0].suite, 1);
  EXPECT_EQ(path.blocks[1].suite, 2);
  EXPECT_EQ(path.blocks[1].segments[0].signature, hex_bytes("BBCC"));
}

TEST(BgpsecPath, ConfedFlagAndPcountsAreKept) {
  const auto bytes = hex_bytes(
      "000E 00 80 0000FDE8 03 00 0000FBF0"
      "0031 01 AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154 0001 01"
      "       47F23BF1AB2F8A9D26864EBBD8DF2711C74406EC 0001 02");
  const auto path = decode_round_trip(bytes);
  ASSERT_EQ(path.secure_path.size(), 2U);
  EXPECT_TRUE(path.secure_path[0].confed());
  EXPECT_EQ(path.secure_path[0].pcount, 0);
  EXPECT_FALSE(path.secure_path[1].confed());
  EXPECT_EQ(path.secure_path[1].pcount, 3);
}

// One hop with a signature of `length` octets (ff..., so no length is special by content).
base::Bytes one_hop_value(std::size_t length) {
  base::ByteWriter w;
  w.put_u16(8);
  w.put_u8(1);
  w.put_u8(0);
  w.put_u32(65001);
  w.put_u16(static_cast<std::uint16_t>(3 + base::Ski::kSize + 2 + length));
  w.put_u8(kAlgorithmSuite1);
  w.put_bytes(ski_of("AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154").bytes());
  w.put_u16(static_cast<std::uint16_t>(length));
  w.put_bytes(base::Bytes(length, 0xFF));
  return w.take();
}

// Signatures of any length come back as received: the shortest, around a suite-1 DER
// signature's longest (72 octets), and 65502 octets, the longest a one-hop value (at most 65535
// octets) can carry.
TEST(BgpsecPath, SignaturesOfAnyLengthRoundTrip) {
  for (const std::size_t length : {1U, 71U, 72U, 73U, 200U, 65502U}) {
    SCOPED_TRACE(length);
    const auto value = one_hop_value(length);
    ASSERT_LE(value.size(), kMaxBgpsecPathValueSize);
    const auto path = decode_round_trip(value);
    ASSERT_EQ(path.blocks.size(), 1U);
    const auto& signature = path.blocks[0].segments.at(0).signature;
    EXPECT_EQ(signature, base::Bytes(length, 0xFF));
  }
}

TEST(BgpsecPath, JsonViewNamesEveryField) {
  const auto path = expected_example(example(0));
  const auto j = bgpsec_path_to_json(path);
  EXPECT_EQ(j.at("secure_path").at(0).at("asn"), 65536);
  EXPECT_EQ(j.at("secure_path").at(1).at("pcount"), 1);
  EXPECT_EQ(j.at("secure_path").at(1).at("confed"), false);
  EXPECT_EQ(j.at("signature_blocks").at(0).at("suite"), 1);
  const auto& seg = j.at("signature_blocks").at(0).at("segments").at(1);
  EXPECT_EQ(seg.at("ski"), "AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154");
  EXPECT_EQ(seg.at("signature_length"), 72);
  EXPECT_EQ(seg.at("signature").get<std::string>().substr(0, 8), "30460221");
}

// ===== RFC 8205 §5.2 structural checks: one malformed input each =====

struct Malformed {
  const char* name;
  const char* hex;
  BgpsecPathCheck check;
  std::uint32_t offset;  // relative to value[0]; the test adds a base offset of 100
  std::uint32_t length;
};

// SKI used in hand-built blocks.
#define SKI_A "AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154"
#define SKI_B "47F23BF1AB2F8A9D26864EBBD8DF2711C74406EC"

const Malformed kMalformed[] = {
    {"Rfc8205Sec5_2_EmptyValue", "", BgpsecPathCheck::SecurePathTruncated, 0, 0},
    {"Rfc8205Sec5_2_OneOctet", "00", BgpsecPathCheck::SecurePathTruncated, 0, 1},
    {"Rfc8205Sec5_2_SecurePathOverrunsAttribute", "000E 01 00 0000FBF0",
     BgpsecPathCheck::SecurePathTruncated, 0, 8},
    {"Rfc8205Sec5_2_SecurePathLength0x000F", "000F 01 00 00010000 01 00 0000FBF0 00",
     BgpsecPathCheck::SecurePathLength, 0, 2},
    {"Rfc8205Sec5_2_SecurePathWithoutSegments", "0002 001A 01" SKI_A "0001 AA",
     BgpsecPathCheck::SecurePathLength, 0, 2},
    {"Rfc8205Sec5_2_NoSignatureBlock", "0008 01 00 0000FBF0", BgpsecPathCheck::NoSignatureBlock, 8,
     0},
    {"Rfc8205Sec5_2_ThreeSignatureBlocks",
     "0008 01 00 0000FBF0"
     "001A 01" SKI_A "0001 AA"
     "001A 02" SKI_A "0001 AA"
     "001A 03" SKI_A "0001 AA",
     BgpsecPathCheck::TooManySignatureBlocks, 60, 26},
    {"Rfc8205Sec5_2_BlockHeaderShort", "0008 01 00 0000FBF0 001A",
     BgpsecPathCheck::SignatureBlockTruncated, 8, 2},
    {"Rfc8205Sec5_2_BlockLengthBelow3", "0008 01 00 0000FBF0 0002 01",
     BgpsecPathCheck::SignatureBlockTruncated, 8, 3},
    {"Rfc8205Sec5_2_BlockLengthOverruns", "0008 01 00 0000FBF0 001B 01" SKI_A "0001 AA",
     BgpsecPathCheck::SignatureBlockTruncated, 8, 26},
    {"Rfc8205Sec5_2_SignatureSegmentShort", "0008 01 00 0000FBF0 000D 01 AB4D910F55CAE71A215E",
     BgpsecPathCheck::SignatureSegmentTruncated, 11, 10},
    {"Rfc8205Sec5_2_SignatureLengthZero", "0008 01 00 0000FBF0 0019 01" SKI_A "0000",
     BgpsecPathCheck::SignatureLength, 31, 2},
    {"Rfc8205Sec5_2_SignatureLengthOverrunsBlock", "0008 01 00 0000FBF0 001A 01" SKI_A "0002 AA",
     BgpsecPathCheck::SignatureLength, 31, 3},
    {"Rfc8205Sec5_2_SignatureLengthOverrunsBlockNotAttribute",
     "0008 01 00 0000FBF0 001A 01" SKI_A "0002 AA 001A 02" SKI_A "0001 AA",
     BgpsecPathCheck::SignatureLength, 31, 3},
    {"Rfc8205Sec5_2_TooFewSignatureSegments",
     "000E 01 00 00010000 01 00 0000FBF0 001A 01" SKI_A "0001 AA",
     BgpsecPathCheck::SegmentCountMismatch, 14, 26},
    {"Rfc8205Sec5_2_TooManySignatureSegments",
     "0008 01 00 0000FBF0 0031 01" SKI_A "0001 AA" SKI_B "0001 BB",
     BgpsecPathCheck::SegmentCountMismatch, 8, 49},
    {"Rfc8205Sec5_2_SecondBlockCountMismatch",
     "0008 01 00 0000FBF0 001A 01" SKI_A "0001 AA 0003 02", BgpsecPathCheck::SegmentCountMismatch,
     34, 3},
    {"Rfc8205Sec5_2_TwoBlocksSameSuite",
     "0008 01 00 0000FBF0 001A 01" SKI_A "0001 AA 001A 01" SKI_B "0001 BB",
     BgpsecPathCheck::DuplicateSuite, 36, 1},
};

class MalformedBgpsecPath : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedBgpsecPath, IsTreatAsWithdrawWithItsCheck) {
  const auto& m = GetParam();
  const auto bytes = hex_bytes(m.hex);
  const auto result = decode_bgpsec_path(bytes, 100);
  ASSERT_FALSE(result.has_value());
  const auto& e = result.error();
  // RFC 8205 §5.2 / RFC 7606: every BGPsec_PATH error is treat-as-withdraw.
  EXPECT_EQ(e.action, base::Action::TreatAsWithdraw);
  EXPECT_EQ(e.code, base::notify::kUpdateMessageError);
  EXPECT_EQ(e.subcode, 1);
  EXPECT_EQ(e.detail, static_cast<std::uint16_t>(m.check))
      << "got " << e.what << ", want " << bgpsec_path_check_name(m.check);
  EXPECT_STREQ(e.what, bgpsec_path_check_name(m.check));
  EXPECT_EQ(e.offset, 100 + m.offset);
  EXPECT_EQ(e.length, m.length);
}

INSTANTIATE_TEST_SUITE_P(Rfc8205, MalformedBgpsecPath, ::testing::ValuesIn(kMalformed),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// RFC 8374 §8.5: the Secure_Path of a value rejected for its Signature_Blocks is still read;
// one whose Secure_Path itself is bad is not.
TEST_P(MalformedBgpsecPath, Rfc8374Sec8_5_SecurePathReadWhenItParses) {
  const auto& m = GetParam();
  const auto bytes = hex_bytes(m.hex);
  const auto secure_path = decode_secure_path(bytes, 100);
  const bool secure_path_bad = m.check == BgpsecPathCheck::SecurePathTruncated ||
                               m.check == BgpsecPathCheck::SecurePathLength;
  ASSERT_EQ(secure_path.has_value(), !secure_path_bad);
  if (secure_path_bad) {
    EXPECT_EQ(secure_path.error(), decode_bgpsec_path(bytes, 100).error());
  } else {
    EXPECT_FALSE(secure_path->empty());
    EXPECT_EQ(secure_path->back().asn, base::Asn(0xFBF0));  // every case's origin
  }
}

TEST(BgpsecPath, Rfc8374Sec8_5_SecurePathOfAGoodValueIsItsPath) {
  const auto value = field(example(1), "bgpsec_path_value");
  const auto path = decode_bgpsec_path(value);
  ASSERT_TRUE(path.has_value());
  const auto secure_path = decode_secure_path(value);
  ASSERT_TRUE(secure_path.has_value());
  EXPECT_EQ(*secure_path, path->secure_path);
}

TEST(BgpsecPath, Rfc8205Sec5_2_ExampleWithOneSignatureSegmentRemoved) {
  // RFC 8205 §5.2: remove the origin's Signature_Segment and fix the block length.
  auto value = field(example(0), "bgpsec_path_value");
  value.resize(value.size() - 94);
  value[14] = 0x00;
  value[15] = 0x61;  // 191 - 94
  const auto result = decode_bgpsec_path(value);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().detail,
            static_cast<std::uint16_t>(BgpsecPathCheck::SegmentCountMismatch));
}

TEST(BgpsecPath, Rfc8205Sec5_2_EveryTruncationOfTheExampleFails) {
  const auto value = field(example(1), "bgpsec_path_value");
  for (std::size_t n = 0; n < value.size(); ++n) {
    const auto result = decode_bgpsec_path(std::span<const std::uint8_t>(value).first(n));
    ASSERT_FALSE(result.has_value()) << "prefix of " << n << " octets decoded";
    EXPECT_EQ(result.error().action, base::Action::TreatAsWithdraw);
  }
}

TEST(BgpsecPath, CheckNamesAreDistinct) {
  std::set<std::string> names;
  for (std::uint16_t v = 0; v <= static_cast<std::uint16_t>(BgpsecPathCheck::AttributeFlags); ++v) {
    names.insert(bgpsec_path_check_name(static_cast<BgpsecPathCheck>(v)));
  }
  EXPECT_EQ(names.size(), 11U);
  EXPECT_EQ(names.count("unknown"), 0U);
}

}  // namespace
}  // namespace bgpsecd::wire
