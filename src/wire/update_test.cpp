// SPDX-License-Identifier: BSD-2-Clause
// UPDATE message codec: byte vectors both ways, End-of-RIB, and the message-level RFC 7606
// rules (framing, missing mandatory attributes, NLRI that cannot be located).
#include "wire/update.hpp"

#include <gtest/gtest.h>

#include "wire/update_test_util.hpp"

namespace bgpsecd::wire {
namespace {

using base::Action;
using test::attr;
using test::body;
using test::cat;
using test::hex;
using test::ip;
using test::is_error;
using test::message;
using test::pfx;
using test::same_bytes;

DecodeContext context(bool ibgp = false, bool four_octet = true) {
  DecodeContext ctx;
  ctx.ibgp = ibgp;
  ctx.four_octet_as = four_octet;
  return ctx;
}

// Decodes `update_body`, expects no error at all, compares with `expected` and re-encodes to
// the same message.
void expect_both_ways(const base::Bytes& update_body, const UpdateMessage& expected,
                      const DecodeContext& dctx = context(), const EncodeContext& ectx = {}) {
  auto decoded = decode_update(update_body, dctx);
  ASSERT_TRUE(decoded) << decoded.error().what;
  EXPECT_FALSE(decoded->has_errors()) << decoded->errors[0].what;
  EXPECT_EQ(decoded->update, expected);
  auto encoded = encode_update(expected, ectx);
  ASSERT_TRUE(encoded) << encoded.error().message;
  EXPECT_TRUE(same_bytes(message(update_body), *encoded));
}

TEST(Update, OrdinaryIpv4BothWays) {
  expect_both_ways(test::ordinary_update_body(), test::ordinary_update_value());
}

TEST(Update, Ipv6MpReachAndMpUnreachBothWays) {
  const auto update_body = body(
      {},
      cat({attr(0x40, 1, hex("00")), attr(0x40, 2, {}), attr(0x40, 5, hex("00000064")),
           attr(0x80, 14, hex("0002 01 10 20010DB8000000000000000000000001 00 30 20010DB80001")),
           attr(0x80, 15, hex("0002 01 20 20010DB9"))}),
      {});
  UpdateMessage u;
  u.attrs.origin = Origin::Igp;
  u.attrs.as_path = AsPath{};
  u.attrs.local_pref = 100;
  u.attrs.mp_reach = MpReach{base::Afi::Ipv6, 1, {ip("2001:db8::1")}, {pfx("2001:db8:1::/48")}};
  u.attrs.mp_unreach = MpUnreach{base::Afi::Ipv6, 1, {pfx("2001:db9::/32")}};
  expect_both_ways(update_body, u, context(true));
}

// RFC 4724 §2: the IPv4 unicast marker is an empty UPDATE (23 octets).
TEST(EndOfRib, Rfc4724_2_Ipv4) {
  const auto update_body = hex("0000 0000");
  expect_both_ways(update_body, UpdateMessage{});
  EXPECT_EQ(end_of_rib(UpdateMessage{}), std::make_pair(base::Afi::Ipv4, std::uint8_t{1}));
  EXPECT_EQ(make_end_of_rib(base::Afi::Ipv4), UpdateMessage{});
  EXPECT_EQ(encode_update(UpdateMessage{}, {})->size(), 23U);
}

// RFC 4724 §2: other AFI/SAFI: only an empty MP_UNREACH_NLRI.
TEST(EndOfRib, Rfc4724_2_MpUnreach) {
  const auto update_body = body({}, attr(0x80, 15, hex("000201")), {});
  const UpdateMessage eor = make_end_of_rib(base::Afi::Ipv6);
  expect_both_ways(update_body, eor);
  EXPECT_EQ(end_of_rib(eor), std::make_pair(base::Afi::Ipv6, std::uint8_t{1}));
  // IPv4 sent only through MP (as BGPsec speakers do) has the same form.
  auto v4 = decode_update(body({}, attr(0x80, 15, hex("000101")), {}), context());
  ASSERT_TRUE(v4);
  EXPECT_EQ(end_of_rib(v4->update), std::make_pair(base::Afi::Ipv4, std::uint8_t{1}));
}

TEST(EndOfRib, OtherUpdatesAreNot) {
  EXPECT_EQ(end_of_rib(test::ordinary_update_value()), std::nullopt);
  UpdateMessage withdraw;
  withdraw.withdrawn = {pfx("192.0.2.0/24")};
  EXPECT_EQ(end_of_rib(withdraw), std::nullopt);
  UpdateMessage unreach_with_prefix = make_end_of_rib(base::Afi::Ipv6);
  unreach_with_prefix.attrs.mp_unreach->withdrawn = {pfx("2001:db8::/32")};
  EXPECT_EQ(end_of_rib(unreach_with_prefix), std::nullopt);
  UpdateMessage unreach_and_origin = make_end_of_rib(base::Afi::Ipv6);
  unreach_and_origin.attrs.origin = Origin::Igp;
  EXPECT_EQ(end_of_rib(unreach_and_origin), std::nullopt);
}

// RFC 4271 §6.3, RFC 7606 §4/§5.3: fields that overrun the message or prefixes that cannot be
// parsed reset the session; offsets are message-relative (body starts at 19).
TEST(Update, Rfc7606_5_3_FramingErrorsAreSessionReset) {
  struct Case {
    const char* name;
    base::Bytes body;
    std::uint8_t subcode;
    std::uint32_t offset;
    std::uint32_t length;
  };
  const Case cases[] = {
      {"no withdrawn length", hex("00"), 1, 19, 1},
      {"withdrawn overruns", hex("0005 18C000"), 1, 19, 5},
      {"withdrawn prefix /33", hex("0005 21C0000200 0000"), 10, 21, 5},
      {"no attribute length", hex("0000 00"), 1, 21, 1},
      {"attributes overrun", hex("0000 0010 40010100"), 1, 21, 6},
      {"NLRI prefix cut", cat({body({}, attr(0x40, 1, hex("00")), hex("18 C000"))}), 10, 27, 3},
  };
  for (const auto& c : cases) {
    auto r = decode_update(c.body, context());
    ASSERT_FALSE(r) << c.name;
    EXPECT_TRUE(is_error(r.error(), Action::SessionReset, 3, c.subcode, c.offset, c.length))
        << c.name;
  }
}

// RFC 7606 §4: an attribute overrunning Total Path Attribute Length is treat-as-withdraw and
// the NLRI is still found.
TEST(Update, Rfc7606_4_AttributeOverrunIsTreatAsWithdraw) {
  const auto attrs = hex("40010100 40020A00");
  auto r = decode_update(body({}, attrs, hex("18C00002")), context());
  ASSERT_TRUE(r) << r.error().what;
  ASSERT_FALSE(r->errors.empty());
  EXPECT_TRUE(is_error(r->errors[0], Action::TreatAsWithdraw, 3, 1, 27, 4));
  EXPECT_EQ(r->strongest(), Action::TreatAsWithdraw);
  EXPECT_EQ(r->update.nlri, std::vector<base::Prefix>{pfx("192.0.2.0/24")});
}

// RFC 7606 §3(d): a missing well-known mandatory attribute is treat-as-withdraw; `detail` names
// it and the error spans the Path Attributes field.
TEST(Update, Rfc7606_3d_MissingMandatoryAttribute) {
  const auto origin = attr(0x40, 1, hex("00"));
  const auto as_path = attr(0x40, 2, hex("0201 0000FDE9"));
  const auto next_hop = attr(0x40, 3, hex("C0000201"));
  const auto nlri = hex("18C00002");
  struct Case {
    base::Bytes attrs;
    std::uint8_t missing;
  };
  const Case cases[] = {
      {cat({as_path, next_hop}), kAttrOrigin},
      {cat({origin, next_hop}), kAttrAsPath},
      {cat({origin, as_path}), kAttrNextHop},
  };
  for (const auto& c : cases) {
    auto r = decode_update(body({}, c.attrs, nlri), context());
    ASSERT_TRUE(r);
    ASSERT_EQ(r->errors.size(), 1U) << int{c.missing};
    EXPECT_TRUE(is_error(r->errors[0], Action::TreatAsWithdraw, 3, 3, 23,
                         static_cast<std::uint32_t>(c.attrs.size())));
    EXPECT_EQ(r->errors[0].detail, c.missing);
  }
}

TEST(Update, Rfc7606_3d_MandatoryOnlyWhenAnnouncing) {
  // A pure withdrawal needs no attributes.
  auto r = decode_update(body(hex("18C00002"), {}, {}), context());
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_errors());
  EXPECT_EQ(r->strongest(), Action::AttributeDiscard);
  // MP_UNREACH_NLRI alone neither.
  r = decode_update(body({}, attr(0x80, 15, hex("000101 18C00002")), {}), context());
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_errors());
  // MP_REACH_NLRI announces: ORIGIN and AS_PATH are needed, NEXT_HOP is not (RFC 4760 §3).
  const auto reach = attr(0x80, 14, hex("00010104C6336464 00 18C00002"));
  r = decode_update(body({}, cat({attr(0x40, 1, hex("00")), attr(0x40, 2, {}), reach}), {}),
                    context());
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_errors());
  r = decode_update(body({}, reach, {}), context());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->errors.size(), 2U);
  EXPECT_EQ(r->errors[0].detail, kAttrOrigin);
  EXPECT_EQ(r->errors[1].detail, kAttrAsPath);
}

// RFC 7606 §5.2: treat-as-withdraw with nothing to withdraw resets the session, keeping the
// code/subcode of the error that asked for it.
TEST(Update, Rfc7606_5_2_TreatAsWithdrawWithoutNlriIsSessionReset) {
  const auto bad_origin = attr(0x40, 1, hex("0000"));
  auto r = decode_update(body({}, bad_origin, {}), context());
  ASSERT_FALSE(r);
  EXPECT_TRUE(is_error(r.error(), Action::SessionReset, 3, 5, 23, 5));
  // The Withdrawn Routes field does not count as NLRI to withdraw (RFC 7606).
  r = decode_update(body(hex("18C00002"), bad_origin, {}), context());
  ASSERT_FALSE(r);
  // With an MP_UNREACH_NLRI the prefixes are located: treat-as-withdraw stands.
  auto ok = decode_update(body({}, cat({bad_origin, attr(0x80, 15, hex("000101 18C00002"))}), {}),
                          context());
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->strongest(), Action::TreatAsWithdraw);
  // Attribute discard alone needs no NLRI.
  ok = decode_update(body({}, attr(0x40, 6, hex("00")), {}), context());
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->strongest(), Action::AttributeDiscard);
}

// RFC 7606 §3(g), §7.11: attribute-level resets surface as the decode error.
TEST(Update, Rfc7606_3g_RepeatedMpReachIsSessionReset) {
  const auto reach = attr(0x80, 14, hex("00010104C6336464 00 18C00002"));
  auto r = decode_update(body({}, cat({reach, reach}), {}), context());
  ASSERT_FALSE(r);
  EXPECT_TRUE(is_error(r.error(), Action::SessionReset, 3, 1, 23 + 16, 16));
  r = decode_update(body({}, attr(0x80, 14, hex("0001")), {}), context());
  ASSERT_FALSE(r);
  EXPECT_TRUE(is_error(r.error(), Action::SessionReset, 3, 9, 23, 5));
}

// RFC 7606 §3(h): the strongest action wins; every error is reported.
TEST(Update, Rfc7606_3h_StrongestWins) {
  const auto attrs = cat({attr(0x40, 1, hex("00")), attr(0x40, 2, {}),
                          attr(0x40, 3, hex("C0000201")), attr(0x40, 6, hex("00")),  // discard
                          attr(0xC0, 8, hex("FDE900"))});  // treat-as-withdraw
  auto r = decode_update(body({}, attrs, hex("18C00002")), context());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->errors.size(), 2U);
  EXPECT_EQ(r->errors[0].action, Action::AttributeDiscard);
  EXPECT_EQ(r->errors[1].action, Action::TreatAsWithdraw);
  EXPECT_EQ(r->strongest(), Action::TreatAsWithdraw);
}

// RFC 8205 §5.2 with RFC 8374 §8.5: a malformed BGPsec_PATH is reported apart, with the
// Secure_Path when it parsed, so that a receiver may keep the route unsigned; the error stays
// among the UPDATE's errors (treat-as-withdraw).
TEST(Update, Rfc8374_8_5_MalformedBgpsecPathReportedWithItsSecurePath) {
  const auto origin = attr(0x40, 1, hex("00"));
  const auto reach = attr(0x80, 14, hex("00010104C6336464 00 18C00002"));
  const std::vector<SecurePathSegment> two_hops = {{1, 0, base::Asn(65002)},
                                                   {1, 0, base::Asn(65001)}};
  // Secure_Path 65002 65001, then one Signature_Block holding `segments` signature segments.
  const auto value = [](int segments) {
    base::Bytes block = hex("01");
    for (int i = 0; i < segments; ++i) {
      block = cat({block, hex("AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154 0001 AA")});
    }
    return cat({hex("000E 01 00 0000FDEA 01 00 0000FDE9"), test::u16(block.size() + 2), block});
  };
  struct Case {
    const char* name;
    base::Bytes bgpsec_path;  // the whole attribute
    BgpsecPathCheck check;
    bool secure_path_parsed;
  };
  const Case cases[] = {
      {"Signature_Segment count", attr(0x90, 33, value(1)), BgpsecPathCheck::SegmentCountMismatch,
       true},
      {"Signature_Block length",
       attr(0x90, 33, cat({hex("000E 01 00 0000FDEA 01 00 0000FDE9"), hex("0002 01")})),
       BgpsecPathCheck::SignatureBlockTruncated, true},
      {"attribute flags (transitive)", attr(0xD0, 33, value(2)), BgpsecPathCheck::AttributeFlags,
       true},
      {"Secure_Path length", attr(0x90, 33, hex("000F 01 00 0000FDEA 01 00 0000FDE9 00")),
       BgpsecPathCheck::SecurePathLength, false},
      {"Secure_Path truncated", attr(0x90, 33, hex("000E 01 00 0000FDEA")),
       BgpsecPathCheck::SecurePathTruncated, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = decode_update(body({}, cat({origin, reach, c.bgpsec_path}), {}), context());
    ASSERT_TRUE(r);
    ASSERT_EQ(r->errors.size(), 1U);
    ASSERT_TRUE(r->malformed_bgpsec_path.has_value());
    const auto& m = *r->malformed_bgpsec_path;
    EXPECT_EQ(m.error, r->errors[0]);
    EXPECT_EQ(m.error.action, Action::TreatAsWithdraw);
    EXPECT_EQ(m.error.detail, static_cast<std::uint16_t>(c.check)) << m.error.what;
    EXPECT_EQ(m.secure_path.has_value(), c.secure_path_parsed);
    if (c.secure_path_parsed) {
      EXPECT_EQ(*m.secure_path, two_hops);
    }
    EXPECT_FALSE(r->update.attrs.bgpsec_path.has_value());
    EXPECT_EQ(r->strongest(), Action::TreatAsWithdraw);
    EXPECT_FALSE(r->strongest_elsewhere().has_value());  // the rest of the UPDATE is fine
  }
  // Errors elsewhere keep their own action: a discarded attribute, a malformed one.
  const auto bad_path = attr(0x90, 33, value(1));
  auto r = decode_update(body({}, cat({origin, reach, attr(0x40, 6, hex("00")), bad_path}), {}),
                         context());
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->malformed_bgpsec_path.has_value());
  EXPECT_EQ(r->strongest_elsewhere(), Action::AttributeDiscard);
  r = decode_update(body({}, cat({reach, bad_path}), {}), context());  // no ORIGIN
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->malformed_bgpsec_path.has_value());
  EXPECT_EQ(r->strongest_elsewhere(), Action::TreatAsWithdraw);
  // A well-formed path, and none at all: nothing reported.
  r = decode_update(body({}, cat({origin, reach, attr(0x90, 33, value(2))}), {}), context());
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_errors());
  EXPECT_FALSE(r->malformed_bgpsec_path.has_value());
  EXPECT_FALSE(r->strongest_elsewhere().has_value());
}

// RFC 6793 §4.2.3: on a 2-octet session AS_PATH and AS4_PATH are merged, and the UPDATE
// re-encodes to the same bytes for a 2-octet peer.
TEST(Update, Rfc6793_4_2_3_TwoOctetSessionWithAs4Path) {
  const auto update_body =
      body({},
           cat({attr(0x40, 1, hex("00")), attr(0x40, 2, hex("0203 FDE9 5BA0 5BA0")),
                attr(0x40, 3, hex("C0000201")), attr(0xC0, 17, hex("0202 FA56EA01 FA56EA02"))}),
           hex("18C00002"));
  UpdateMessage u;
  u.attrs.origin = Origin::Igp;
  u.attrs.as_path = AsPath{{{AsPathSegmentType::AsSequence,
                             {base::Asn(65001), base::Asn(4200000001U), base::Asn(4200000002U)}}}};
  u.attrs.next_hop = ip("192.0.2.1");
  u.attrs.as4_path =
      AsPath{{{AsPathSegmentType::AsSequence, {base::Asn(4200000001U), base::Asn(4200000002U)}}}};
  u.nlri = {pfx("192.0.2.0/24")};
  EncodeContext old;
  old.four_octet_as = false;
  expect_both_ways(update_body, u, context(false, false), old);
}

// RFC 4271 §5: unknown optional attributes travel on with their flags.
TEST(Update, UnknownAttributesPreserved) {
  const auto update_body = body(
      {},
      cat({attr(0x40, 1, hex("00")), attr(0x40, 2, {}), attr(0x40, 3, hex("C0000201")),
           attr(0xC0, 99, hex("CAFE")), attr(0xE0, 120, hex("01")), attr(0x80, 200, hex("BEEF"))}),
      hex("18C00002"));
  UpdateMessage u;
  u.attrs.origin = Origin::Igp;
  u.attrs.as_path = AsPath{};
  u.attrs.next_hop = ip("192.0.2.1");
  u.attrs.unknown = {{0xC0, 99, hex("CAFE")}, {0xE0, 120, hex("01")}, {0x80, 200, hex("BEEF")}};
  u.nlri = {pfx("192.0.2.0/24")};
  expect_both_ways(update_body, u);
}

TEST(Update, EncodeRejectsNonIpv4ClassicFields) {
  UpdateMessage u;
  u.nlri = {pfx("2001:db8::/32")};
  EXPECT_FALSE(encode_update(u, {}));
  u.nlri.clear();
  u.withdrawn = {pfx("2001:db8::/32")};
  EXPECT_FALSE(encode_update(u, {}));
}

// RFC 8654 §4: over 4096 octets only to a peer that advertised extended messages.
TEST(Update, EncodeHonoursMaximumMessageSize) {
  UpdateMessage u = test::ordinary_update_value();
  u.attrs.communities.assign(1100, 0xFDE90001);
  EXPECT_FALSE(encode_update(u, {}));
  EncodeContext extended;
  extended.extended_messages = true;
  auto bytes = encode_update(u, extended);
  ASSERT_TRUE(bytes);
  EXPECT_GT(bytes->size(), kMaxMessageSize);
  DecodeContext ctx;
  ctx.extended_messages = true;
  auto back = decode_update(std::span<const std::uint8_t>(*bytes).subspan(kHeaderSize), ctx);
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->has_errors());
  EXPECT_EQ(back->update, u);
}

TEST(Update, BaseOffsetIsConfigurable) {
  auto r = decode_update(hex("0005 18C000"), context(), 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().offset, 0U);
}

}  // namespace
}  // namespace bgpsecd::wire
