// SPDX-License-Identifier: BSD-2-Clause
// Path attribute list codec: one test per attribute rule of RFC 7606 §7 (malformed input →
// action, code/subcode, offset/length of the attribute), duplicates, flags, unknown
// attributes, and the canonical encoding.
#include "wire/attributes.hpp"

#include <gtest/gtest.h>

#include "wire/update_test_util.hpp"

namespace bgpsecd::wire {
namespace {

using base::Action;
using test::attr;
using test::cat;
using test::hex;
using test::ip;
using test::is_error;
using test::pfx;
using test::same_bytes;

struct Collected {
  PathAttributes attrs;
  std::vector<base::WireError> errors;
};

DecodeContext context(bool ibgp = false, bool four_octet = true) {
  DecodeContext ctx;
  ctx.ibgp = ibgp;
  ctx.four_octet_as = four_octet;
  return ctx;
}

Collected collect(const base::Bytes& list, const DecodeContext& ctx = context()) {
  Collected c;
  decode_attribute_list(list, ctx, 0, c.attrs, c.errors, false);
  return c;
}

base::Bytes encode(const PathAttributes& a, const EncodeContext& ctx = {}) {
  base::ByteWriter w;
  encode_path_attributes(a, ctx, w);
  return w.take();
}

struct Row {
  const char* name;
  base::Bytes attribute;
  Action action;
  std::uint8_t subcode;
  bool ibgp = false;
  bool four_octet = true;
};

// RFC 7606, one malformed attribute each. The bad attribute is left out of the value.
TEST(PathAttributes, Rfc7606_7_EveryTableRow) {
  const Row rows[] = {
      // RFC 7606 §7.1
      {"ORIGIN length", attr(0x40, 1, hex("0000")), Action::TreatAsWithdraw, 5},
      {"ORIGIN value", attr(0x40, 1, hex("03")), Action::TreatAsWithdraw, 6},
      // RFC 7606 §7.2
      {"AS_PATH zero-length segment", attr(0x40, 2, hex("0200")), Action::TreatAsWithdraw, 11},
      {"AS_PATH overrun", attr(0x40, 2, hex("020200000001")), Action::TreatAsWithdraw, 11},
      // RFC 7606 §7.3
      {"NEXT_HOP length", attr(0x40, 3, hex("C000020100")), Action::TreatAsWithdraw, 5},
      // RFC 7606 §7.4
      {"MED length", attr(0x80, 4, hex("000000")), Action::TreatAsWithdraw, 5},
      // RFC 7606 §7.5
      {"LOCAL_PREF from eBGP", attr(0x40, 5, hex("00000064")), Action::AttributeDiscard, 1},
      {"LOCAL_PREF length (iBGP)", attr(0x40, 5, hex("0064")), Action::TreatAsWithdraw, 5, true},
      // RFC 7606 §7.6, §7.7
      {"ATOMIC_AGGREGATE length", attr(0x40, 6, hex("00")), Action::AttributeDiscard, 5},
      {"AGGREGATOR length", attr(0xC0, 7, hex("0000FDE9C00002")), Action::AttributeDiscard, 5},
      {"AGGREGATOR 4-octet on a 2-octet session", attr(0xC0, 7, hex("0000FDE9C0000201")),
       Action::AttributeDiscard, 5, false, false},
      // RFC 7606 §7.8
      {"COMMUNITIES empty", attr(0xC0, 8, {}), Action::TreatAsWithdraw, 5},
      {"COMMUNITIES length 6", attr(0xC0, 8, hex("FDE900640000")), Action::TreatAsWithdraw, 5},
      // RFC 7606 §7.9, §7.10
      {"ORIGINATOR_ID from eBGP", attr(0x80, 9, hex("C0000201")), Action::AttributeDiscard, 1},
      {"ORIGINATOR_ID length (iBGP)", attr(0x80, 9, hex("C000020100")), Action::TreatAsWithdraw, 5,
       true},
      {"CLUSTER_LIST from eBGP", attr(0x80, 10, hex("C0000201")), Action::AttributeDiscard, 1},
      {"CLUSTER_LIST empty (iBGP)", attr(0x80, 10, {}), Action::TreatAsWithdraw, 5, true},
      {"CLUSTER_LIST length 6 (iBGP)", attr(0x80, 10, hex("C00002010000")), Action::TreatAsWithdraw,
       5, true},
      // RFC 7606 §7.11, §7.12
      {"MP_REACH_NLRI next hop", attr(0x80, 14, hex("00010108C6336464C633646500")),
       Action::SessionReset, 9},
      {"MP_REACH_NLRI prefix", attr(0x80, 14, hex("00010104C6336464 00 21C0000200")),
       Action::SessionReset, 9},
      {"MP_UNREACH_NLRI prefix", attr(0x80, 15, hex("000201 81 20010DB8")), Action::SessionReset,
       9},
      // RFC 7606 §7.14, RFC 8092 §6
      {"EXTENDED COMMUNITIES length", attr(0xC0, 16, hex("43000000")), Action::TreatAsWithdraw, 5},
      {"LARGE_COMMUNITY length", attr(0xC0, 32, hex("0000FDE900000001")), Action::TreatAsWithdraw,
       5},
      // RFC 9234 §5: an OTC whose length is not 4 makes the UPDATE treat-as-withdraw.
      {"OTC length 2", attr(0xC0, 35, hex("FDE9")), Action::TreatAsWithdraw, 5},
      {"OTC length 8", attr(0xC0, 35, hex("0000FDE90000FDEA")), Action::TreatAsWithdraw, 5},
      {"OTC empty", attr(0xC0, 35, {}), Action::TreatAsWithdraw, 5},
      {"OTC non-transitive", attr(0x80, 35, hex("0000FDE9")), Action::TreatAsWithdraw, 4},
      // RFC 6793 §6: AS4_PATH / AS4_AGGREGATOR malformed are discarded.
      {"AS4_PATH", attr(0xC0, 17, hex("0201")), Action::AttributeDiscard, 9},
      {"AS4_AGGREGATOR length", attr(0xC0, 18, hex("FDE9C0000201")), Action::AttributeDiscard, 5},
      // RFC 7606 §3(c): Optional/Transitive conflicting with the type.
      {"ORIGIN marked optional", attr(0xC0, 1, hex("00")), Action::TreatAsWithdraw, 4},
      {"AS_PATH marked non-transitive", attr(0x00, 2, {}), Action::TreatAsWithdraw, 4},
      {"MED marked well-known", attr(0x40, 4, hex("00000000")), Action::TreatAsWithdraw, 4},
      {"COMMUNITIES non-transitive", attr(0x80, 8, hex("FDE90064")), Action::TreatAsWithdraw, 4},
      {"AGGREGATOR non-transitive", attr(0x80, 7, hex("0000FDE9C0000201")), Action::TreatAsWithdraw,
       4},
      {"BGPsec_PATH transitive", attr(0xD0, 33, hex("0008 01000000FBF0")), Action::TreatAsWithdraw,
       4},
      // RFC 4271 §6.3 / RFC 7606: unknown type claiming to be well-known.
      {"unknown well-known", attr(0x40, 99, hex("01")), Action::TreatAsWithdraw, 2},
  };
  for (const auto& row : rows) {
    const auto c = collect(row.attribute, context(row.ibgp, row.four_octet));
    ASSERT_EQ(c.errors.size(), 1U) << row.name;
    EXPECT_TRUE(is_error(c.errors[0], row.action, 3, row.subcode, 0,
                         static_cast<std::uint32_t>(row.attribute.size())))
        << row.name;
    EXPECT_EQ(c.attrs, PathAttributes{}) << row.name;
  }
}

// The same rows decode cleanly when well-formed, so the table above tests the checks and not
// the builders.
TEST(PathAttributes, WellFormedCounterparts) {
  const auto ibgp = context(true);
  EXPECT_TRUE(collect(attr(0x40, 5, hex("00000064")), ibgp).errors.empty());
  EXPECT_TRUE(collect(attr(0x80, 9, hex("C0000201")), ibgp).errors.empty());
  EXPECT_TRUE(collect(attr(0x80, 10, hex("C0000201")), ibgp).errors.empty());
  EXPECT_TRUE(collect(attr(0xC0, 7, hex("FDE9C0000201")), context(false, false)).errors.empty());
  EXPECT_TRUE(collect(attr(0xC0, 18, hex("0000FDE9C0000201"))).errors.empty());
}

// RFC 8205 §5.2: BGPsec_PATH errors come from its codec, treat-as-withdraw, with the check in
// `detail` and the bad bytes located inside the value.
TEST(PathAttributes, Rfc8205_5_2_BgpsecPathErrorsPassThrough) {
  // Secure_Path length 7 is not 2 + 6N.
  const auto list = cat({attr(0x40, 1, hex("00")), attr(0x90, 33, hex("0007 01000000FBF0"))});
  const auto c = collect(list);
  ASSERT_EQ(c.errors.size(), 1U);
  EXPECT_EQ(c.errors[0].action, Action::TreatAsWithdraw);
  EXPECT_EQ(c.errors[0].detail, static_cast<std::uint16_t>(BgpsecPathCheck::SecurePathLength));
  EXPECT_EQ(c.errors[0].offset, 4U + 4U);  // the value starts after ORIGIN and the 4-octet header
  EXPECT_FALSE(c.attrs.bgpsec_path.has_value());
  EXPECT_EQ(c.attrs.origin, Origin::Igp);
}

// RFC 7606 §3(g): keep the first, discard the rest.
TEST(PathAttributes, Rfc7606_3g_DuplicateIsDiscarded) {
  const auto second = attr(0x40, 1, hex("02"));
  const auto list = cat({attr(0x40, 1, hex("00")), attr(0x80, 4, hex("00000005")), second});
  const auto c = collect(list);
  ASSERT_EQ(c.errors.size(), 1U);
  EXPECT_TRUE(is_error(c.errors[0], Action::AttributeDiscard, 3, 1, 11, 4));
  EXPECT_EQ(c.attrs.origin, Origin::Igp);
  EXPECT_EQ(c.attrs.med, 5U);
}

// RFC 7606 §3(g): a second MP_REACH_NLRI or MP_UNREACH_NLRI resets the session.
TEST(PathAttributes, Rfc7606_3g_DuplicateMpAttributeIsSessionReset) {
  const auto reach = attr(0x80, 14, hex("00010104C6336464 00 18C00002"));
  const auto unreach = attr(0x80, 15, hex("000101 18C00003"));
  for (const auto& mp : {reach, unreach}) {
    const auto list = cat({mp, mp, attr(0x40, 1, hex("00"))});
    const auto c = collect(list);
    ASSERT_EQ(c.errors.size(), 1U);
    EXPECT_TRUE(is_error(c.errors[0], Action::SessionReset, 3, 1,
                         static_cast<std::uint32_t>(mp.size()),
                         static_cast<std::uint32_t>(mp.size())));
    EXPECT_FALSE(c.attrs.origin.has_value()) << "decoding stops at a reset";
  }
}

// RFC 7606 §3(c) + §5: an MP attribute with conflicting flags still tells which prefixes to
// withdraw.
TEST(PathAttributes, Rfc7606_3c_MpReachWithBadFlagsStillLocatesPrefixes) {
  const auto c = collect(attr(0xC0, 14, hex("00010104C6336464 00 18C00002")));
  ASSERT_EQ(c.errors.size(), 1U);
  EXPECT_TRUE(is_error(c.errors[0], Action::TreatAsWithdraw, 3, 4, 0, 16));
  ASSERT_TRUE(c.attrs.mp_reach.has_value());
  EXPECT_EQ(c.attrs.mp_reach->nlri, std::vector<base::Prefix>{pfx("192.0.2.0/24")});
}

// RFC 7606 §3(c)... and RFC 4271 §4.3: Extended Length may be used for any attribute.
TEST(PathAttributes, ExtendedLengthAcceptedAnywhere) {
  const auto list = cat({attr(0x50, 1, hex("02")), attr(0x50, 3, hex("C0000201"))});
  const auto c = collect(list);
  EXPECT_TRUE(c.errors.empty());
  EXPECT_EQ(c.attrs.origin, Origin::Incomplete);
  EXPECT_EQ(c.attrs.next_hop, ip("192.0.2.1"));
  // Re-encoded with the short form.
  EXPECT_TRUE(same_bytes(hex("40010102 400304C0000201"), encode(c.attrs)));
}

// RFC 4271 §5: unknown optional attributes are kept with their flags; type 30 is one of them.
TEST(PathAttributes, UnknownOptionalAttributesArePreserved) {
  const auto list = cat({attr(0xC0, 99, hex("0102")), attr(0xE0, 200, hex("03")),
                         attr(0x80, 100, {}), attr(0x90, 30, hex("000E"))});
  const auto c = collect(list);
  EXPECT_TRUE(c.errors.empty());
  const std::vector<UnknownAttribute> expected{
      {0xC0, 99, hex("0102")}, {0xE0, 200, hex("03")}, {0x80, 100, {}}, {0x80, 30, hex("000E")}};
  EXPECT_EQ(c.attrs.unknown, expected);
  // Encoded in type order, flags kept, Extended Length recomputed.
  EXPECT_TRUE(
      same_bytes(hex("80 1E 02 000E  C0 63 02 0102  80 64 00  E0 C8 01 03"), encode(c.attrs)));
}

// RFC 7606 §4: an attribute overrunning the field, or too few octets for a header, is
// treat-as-withdraw and ends the walk.
TEST(PathAttributes, Rfc7606_4_FramingErrors) {
  const char* cases[] = {
      "40010100 4002",         // 2 octets left
      "40010100 500100",       // Extended Length needs 4 header octets
      "40010100 40030A C0",    // length 10 overruns
      "40010100 500300FF C0",  // extended length 255 overruns
  };
  for (const char* text : cases) {
    const auto list = hex(text);
    const auto c = collect(list);
    ASSERT_EQ(c.errors.size(), 1U) << text;
    EXPECT_TRUE(is_error(c.errors[0], Action::TreatAsWithdraw, 3, 1, 4,
                         static_cast<std::uint32_t>(list.size() - 4)))
        << text;
    EXPECT_EQ(c.attrs.origin, Origin::Igp) << text;
  }
}

TEST(PathAttributes, StrictDecodeReturnsTheFirstError) {
  const auto list =
      cat({attr(0x40, 1, hex("00")), attr(0x80, 4, hex("00")), attr(0x40, 3, hex("00"))});
  auto r = decode_path_attributes(list, context(), 100);
  ASSERT_FALSE(r);
  EXPECT_TRUE(is_error(r.error(), Action::TreatAsWithdraw, 3, 5, 104, 4));

  auto ok = decode_path_attributes(attr(0x40, 1, hex("01")), context());
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->origin, Origin::Egp);
}

// RFC 6793 §4.2.3 inside the list decoder: merged unless AGGREGATOR holds a real 2-octet AS.
TEST(PathAttributes, Rfc6793_4_2_3_MergeOnTwoOctetSession) {
  const auto as_path = attr(0x40, 2, hex("0203 FDE9 5BA0 5BA0"));
  const auto as4_path = attr(0xC0, 17, hex("0202 FA56EA01 FA56EA02"));
  const AsPath merged{{{AsPathSegmentType::AsSequence,
                        {base::Asn(65001), base::Asn(4200000001U), base::Asn(4200000002U)}}}};
  auto c = collect(cat({as_path, as4_path}), context(false, false));
  EXPECT_TRUE(c.errors.empty());
  EXPECT_EQ(c.attrs.as_path, merged);

  // AGGREGATOR with AS_TRANS: AS4_AGGREGATOR holds the real one, the merge happens.
  c = collect(cat({as_path, attr(0xC0, 7, hex("5BA0C0000201")), as4_path,
                   attr(0xC0, 18, hex("FA56EA03C0000201"))}),
              context(false, false));
  EXPECT_TRUE(c.errors.empty());
  EXPECT_EQ(c.attrs.as_path, merged);
  EXPECT_EQ(c.attrs.aggregator, (Aggregator{base::kAsTrans, ip("192.0.2.1")}));
  EXPECT_EQ(c.attrs.as4_aggregator, (Aggregator{base::Asn(4200000003U), ip("192.0.2.1")}));

  // AGGREGATOR with a real 2-octet AS: AS4_PATH is ignored.
  c = collect(cat({as_path, attr(0xC0, 7, hex("FDEAC0000201")), as4_path}), context(false, false));
  EXPECT_TRUE(c.errors.empty());
  EXPECT_EQ(c.attrs.as_path->segments[0].asns[1], base::kAsTrans);

  // A 4-octet session keeps both as received.
  c = collect(cat({attr(0x40, 2, hex("0201 0000FDE9")), as4_path}));
  EXPECT_EQ(c.attrs.as_path->length_for_decision(), 1U);
  EXPECT_EQ(c.attrs.as4_path->length_for_decision(), 2U);
}

// Decodes `list` with no error at all, compares with `expected`, and re-encodes `expected` to
// the same octets (docs/style.md §4.1).
void expect_both_ways(const base::Bytes& list, const PathAttributes& expected,
                      const DecodeContext& dctx = context(), const EncodeContext& ectx = {}) {
  const auto c = collect(list, dctx);
  ASSERT_TRUE(c.errors.empty()) << c.errors[0].what;
  EXPECT_EQ(c.attrs, expected);
  EXPECT_TRUE(same_bytes(list, encode(expected, ectx)));
}

// RFC 4271 §5.1.6: ATOMIC_AGGREGATE is well-known discretionary with an empty value.
TEST(PathAttributes, Rfc4271_5_1_6_AtomicAggregateBothWays) {
  PathAttributes a;
  a.atomic_aggregate = true;
  expect_both_ways(hex("40 06 00"), a);
}

// RFC 4271 §5.1.7 with RFC 6793 §3: on a 4-octet session AGGREGATOR is optional transitive,
// a 4-octet AS and the aggregating speaker's BGP Identifier.
TEST(PathAttributes, Rfc6793_3_FourOctetAggregatorBothWays) {
  PathAttributes a;
  a.aggregator = Aggregator{base::Asn(4200000001U), ip("192.0.2.1")};
  expect_both_ways(hex("C0 07 08 FA56EA01 C0000201"), a);
  // A 2-octet-sized AS still takes four octets.
  a.aggregator = Aggregator{base::Asn(65001), ip("198.51.100.100")};
  expect_both_ways(hex("C0 07 08 0000FDE9 C6336464"), a);
}

// RFC 9234 §5: OTC is optional transitive with a 4-octet AS, on a 2-octet session too.
TEST(PathAttributes, Rfc9234_5_OtcBothWays) {
  PathAttributes a;
  a.otc = base::Asn(65001);
  expect_both_ways(hex("C0 23 04 0000FDE9"), a);
  a.otc = base::Asn(4200000001U);
  expect_both_ways(hex("C0 23 04 FA56EA01"), a);
  EncodeContext two_octet;
  two_octet.four_octet_as = false;
  expect_both_ways(hex("C0 23 04 FA56EA01"), a, context(false, false), two_octet);
  // Between COMMUNITIES-like lower codes and the unknown ones above it, by type code.
  a.local_pref.reset();
  a.communities = {0xFDE90064};
  a.unknown = {UnknownAttribute{0xC0, 40, hex("01")}};
  expect_both_ways(hex("C0 08 04 FDE90064  C0 23 04 FA56EA01  C0 28 01 01"), a);
}

TEST(PathAttributes, AtomicAggregateAndAggregatorTogetherBothWays) {
  PathAttributes a;
  a.origin = Origin::Igp;
  a.atomic_aggregate = true;
  a.aggregator = Aggregator{base::Asn(4200000001U), ip("192.0.2.1")};
  expect_both_ways(hex("40 01 01 00"
                       "40 06 00"
                       "C0 07 08 FA56EA01 C0000201"),
                   a);
}

// RFC 4271 §5.1.7: the 2-octet form on a session without the 4-octet AS capability.
TEST(PathAttributes, Rfc4271_5_1_7_TwoOctetAggregatorBothWays) {
  PathAttributes a;
  a.aggregator = Aggregator{base::Asn(65001), ip("192.0.2.1")};
  EncodeContext old;
  old.four_octet_as = false;
  expect_both_ways(hex("C0 07 06 FDE9 C0000201"), a, context(false, false), old);
}

// Canonical encoding: ascending type code, table flags, Extended Length only above 255.
TEST(PathAttributes, CanonicalEncoding) {
  PathAttributes a;
  a.origin = Origin::Igp;
  a.med = 7;
  a.cluster_list = {0xC0000201};
  a.unknown = {{0xF0, 250, hex("AA")}, {0xC0, 12, hex("BB")}};
  a.local_pref = 100;
  a.atomic_aggregate = true;
  a.originator_id = 0xC0000202;
  a.mp_unreach = MpUnreach{base::Afi::Ipv6, 1, {}};
  EXPECT_TRUE(same_bytes(hex("40 01 01 00"
                             "80 04 04 00000007"
                             "40 05 04 00000064"
                             "40 06 00"
                             "80 09 04 C0000202"
                             "80 0A 04 C0000201"
                             "C0 0C 01 BB"
                             "80 0F 03 000201"
                             "E0 FA 01 AA"),
                         encode(a)));
}

TEST(PathAttributes, ExtendedLengthOnlyAbove255) {
  PathAttributes a;
  a.communities.assign(63, 0xFDE90001);  // 252 octets
  auto bytes = encode(a);
  EXPECT_TRUE(same_bytes(hex("C0 08 FC"), base::Bytes(bytes.begin(), bytes.begin() + 3)));
  a.communities.assign(64, 0xFDE90001);  // 256 octets
  bytes = encode(a);
  EXPECT_TRUE(same_bytes(hex("D0 08 0100"), base::Bytes(bytes.begin(), bytes.begin() + 4)));
  auto back = decode_path_attributes(bytes, context());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, a);
}

TEST(PathAttributes, TwoOctetSessionEncoding) {
  PathAttributes a;
  a.as_path = AsPath{{{AsPathSegmentType::AsSequence, {base::Asn(65001), base::Asn(4200000001U)}}}};
  a.aggregator = Aggregator{base::Asn(4200000001U), ip("192.0.2.1")};
  EncodeContext old;
  old.four_octet_as = false;
  // RFC 6793 §4.2.2: AS_TRANS for the large ASNs.
  EXPECT_TRUE(same_bytes(hex("40 02 06 0202 FDE9 5BA0  C0 07 06 5BA0 C0000201"), encode(a, old)));
}

TEST(PathAttributes, DescriptorTable) {
  EXPECT_STREQ(attribute_descriptor(kAttrOrigin).name, "ORIGIN");
  EXPECT_EQ(attribute_descriptor(kAttrBgpsecPath).flags, kAttrFlagOptional);
  EXPECT_EQ(attribute_descriptor(kAttrMpReachNlri).on_duplicate, Action::SessionReset);
  EXPECT_TRUE(attribute_descriptor(kAttrLocalPref).ibgp_only);
  EXPECT_STREQ(attribute_descriptor(kAttrOtc).name, "OTC");
  EXPECT_EQ(attribute_descriptor(kAttrOtc).flags, kAttrFlagOptional | kAttrFlagTransitive);
  EXPECT_FALSE(attribute_descriptor(kAttrOtc).ibgp_only);
  // Type 30 is the deprecated code of the old examples, not BGPsec_PATH.
  EXPECT_FALSE(attribute_descriptor(30).known());
}

}  // namespace
}  // namespace bgpsecd::wire
