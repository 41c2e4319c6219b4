// SPDX-License-Identifier: BSD-2-Clause
// Framer: messages split across reads, several in one read, and the RFC 4271 §6.1 header
// errors (bad marker, bad length, too long for the negotiated size).
#include "session/framer.hpp"

#include <string>

#include <gtest/gtest.h>

#include "base/hex.hpp"
#include "wire/keepalive.hpp"
#include "wire/notification.hpp"

namespace bgpsecd::session {
namespace {

base::Bytes h(std::string_view hex) { return base::from_hex(hex).value(); }

const std::string kMarker = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";
// NOTIFICATION 6/2 (Cease, Administrative Shutdown), 21 octets.
const base::Bytes kNotification = h(kMarker +
                                    "0015"
                                    "03"
                                    "0602");

std::string next_hex(Framer& f, const wire::DecodeContext& ctx = {}) {
  auto r = f.next(ctx);
  if (!r) {
    return "error " + std::to_string(r.error().code) + "/" + std::to_string(r.error().subcode);
  }
  return r->has_value() ? base::to_hex(**r) : "none";
}

TEST(Framer, Rfc4271Sec4_1_MessageSplitAcrossReads) {
  Framer f;
  const auto ka = wire::encode_keepalive();
  for (std::size_t i = 0; i + 1 < ka.size(); ++i) {
    f.append(std::span<const std::uint8_t>(ka).subspan(i, 1));
    EXPECT_EQ(next_hex(f), "none") << "after " << i + 1 << " octets";
  }
  f.append(std::span<const std::uint8_t>(ka).last(1));
  EXPECT_EQ(next_hex(f), base::to_hex(ka));
  EXPECT_EQ(next_hex(f), "none");
  EXPECT_EQ(f.buffered(), 0U);
}

TEST(Framer, TwoMessagesInOneReadAndARemainder) {
  Framer f;
  base::Bytes read = wire::encode_keepalive();
  read.insert(read.end(), kNotification.begin(), kNotification.end());
  // ... and the first 10 octets of a third message.
  read.insert(read.end(), kNotification.begin(), kNotification.begin() + 10);
  f.append(read);
  EXPECT_EQ(next_hex(f), base::to_hex(wire::encode_keepalive()));
  EXPECT_EQ(next_hex(f), base::to_hex(kNotification));
  EXPECT_EQ(next_hex(f), "none");
  EXPECT_EQ(f.buffered(), 10U);
  f.append(std::span<const std::uint8_t>(kNotification).subspan(10));
  EXPECT_EQ(next_hex(f), base::to_hex(kNotification));
  EXPECT_EQ(next_hex(f), "none");
}

TEST(Framer, SpansStayValidUntilTheNextAppend) {
  Framer f;
  base::Bytes read = kNotification;
  read.insert(read.end(), kNotification.begin(), kNotification.end());
  f.append(read);
  auto first = f.next({});
  auto second = f.next({});
  ASSERT_TRUE(first && first->has_value() && second && second->has_value());
  EXPECT_EQ(base::to_hex(**first), base::to_hex(kNotification));
  EXPECT_EQ(base::to_hex(**second), base::to_hex(kNotification));
}

TEST(Framer, Rfc4271Sec6_1_BadMarkerIsConnectionNotSynchronized) {
  Framer f;
  auto bad = wire::encode_keepalive();
  bad[3] = 0xFE;
  f.append(bad);
  auto r = f.next({});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, 1);
  EXPECT_EQ(r.error().subcode, 1);
  // The stream has lost its boundaries: the error stays, and pending() has the header.
  EXPECT_EQ(next_hex(f), "error 1/1");
  EXPECT_EQ(base::to_hex(f.pending()), base::to_hex(bad));
  EXPECT_EQ(wire::notification_from_error(r.error(), f.pending()),
            (wire::NotificationMessage{1, 1, {}}));
}

TEST(Framer, Rfc4271Sec6_1_LengthBelowHeaderIsBadMessageLength) {
  Framer f;
  f.append(h(kMarker + "0012"
                       "04"));  // length 18
  auto r = f.next({});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, 1);
  EXPECT_EQ(r.error().subcode, 2);
  EXPECT_EQ(wire::notification_from_error(r.error(), f.pending()),
            (wire::NotificationMessage{1, 2, {0x00, 0x12}}));
}

TEST(Framer, Rfc8654_TooLongForTheNegotiatedSize) {
  // An UPDATE header announcing 5000 octets: fails at once without extended messages (no
  // waiting for 5000 octets that must be refused anyway) ...
  const auto header = h(kMarker +
                        "1388"
                        "02");
  Framer f;
  f.append(header);
  auto r = f.next({});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, 1);
  EXPECT_EQ(r.error().subcode, 2);
  EXPECT_EQ(r.error().offset, 16U);
  EXPECT_EQ(wire::notification_from_error(r.error(), f.pending()),
            (wire::NotificationMessage{1, 2, {0x13, 0x88}}));

  // ... and is merely incomplete when we advertised extended messages.
  wire::DecodeContext ext;
  ext.extended_messages = true;
  Framer g;
  g.append(header);
  EXPECT_EQ(next_hex(g, ext), "none");
  EXPECT_EQ(g.buffered(), 19U);
}

TEST(Framer, ClearDropsEverything) {
  Framer f;
  f.append(kNotification);
  f.clear();
  EXPECT_EQ(f.buffered(), 0U);
  EXPECT_EQ(next_hex(f), "none");
}

}  // namespace
}  // namespace bgpsecd::session
