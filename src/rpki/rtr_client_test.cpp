// SPDX-License-Identifier: BSD-2-Clause
// RTR client state machine: full load, incremental updates, Serial Notify, Cache Reset,
// Session ID change, version fallback (2 -> 1 -> 0), ASPA records in both PDU layouts (docs/aspa.md
// §11), Error Reports both ways, expiry and timers. Cache PDUs
// are built with the codec (tested in rtr_pdu_test.cpp); time is an explicit steady_clock value.
#include "rpki/rtr_client.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "base/hex.hpp"

namespace bgpsecd::rpki {
namespace {

using std::chrono::seconds;

base::Bytes h(std::string_view hex) { return base::from_hex(hex).value(); }
base::Prefix pfx(std::string_view text) { return base::Prefix::parse(text).value(); }

crypto::PublicKey key_a() {
  // RFC 8608 Appendix A key of AS 64496.
  return crypto::PublicKey::from_spki_der(
             h("3059301306072A8648CE3D020106082A8648CE3D030107034200047391BABB92A0CB3BE10E59B1"
               "9EBFFB214E04A91E0CBA1B139A7D38D90F77E55AA05B8E695678E0FA16904B55D9D4F5C0DFC5889"
               "5EE50BC4F75D205A25BD36FF5"))
      .value();
}

const PrefixPdu kV4a{true, pfx("192.0.2.0/24"), 24, base::Asn(64496)};
const PrefixPdu kV4b{true, pfx("198.51.100.0/22"), 24, base::Asn(65002)};
const PrefixPdu kV6a{true, pfx("2001:db8::/32"), 48, base::Asn(4200000001U)};

PrefixPdu withdraw(PrefixPdu p) {
  p.announce = false;
  return p;
}
VrpEntry vrp(const PrefixPdu& p) { return VrpEntry{p.prefix, p.max_length, p.asn, std::nullopt}; }
RouterKeyPdu router_key(bool announce) {
  const auto k = key_a();
  return RouterKeyPdu{announce, k.ski(), base::Asn(64496), k};
}

template <class T>
std::vector<T> of(const RtrEvents& events) {
  std::vector<T> out;
  for (const auto& e : events) {
    if (const auto* t = std::get_if<T>(&e)) {
      out.push_back(*t);
    }
  }
  return out;
}

// The PDUs the client sent, decoded, and the versions they were sent in.
std::vector<RtrPdu> sent(const RtrEvents& events, std::vector<std::uint8_t>* versions = nullptr) {
  std::vector<RtrPdu> out;
  for (const auto& s : of<RtrSend>(events)) {
    auto pdu = decode_rtr_pdu(s.bytes);
    EXPECT_TRUE(pdu.has_value()) << base::to_hex(s.bytes);
    if (pdu) {
      out.push_back(*pdu);
      if (versions != nullptr) {
        versions->push_back(s.bytes.at(0));
      }
    }
  }
  return out;
}

template <class T>
bool has(const RtrEvents& events) {
  return !of<T>(events).empty();
}

class Harness {
 public:
  // Most tests are about version 1 behaviour; the version 2 tests ask for it.
  explicit Harness(RtrClientConfig config = RtrClientConfig{kRtrVersion1}) : client(config) {}

  // start() + on_connected(); returns the events of on_connected (the query).
  RtrEvents connect() {
    const auto started = client.start(now);
    EXPECT_TRUE(has<RtrConnect>(started));
    return client.on_connected(now);
  }
  RtrEvents feed_bytes(const base::Bytes& bytes) { return client.on_bytes(bytes, now); }
  RtrEvents feed(const std::vector<RtrPdu>& pdus, std::uint8_t version = kRtrVersion1) {
    return feed_bytes(encode(pdus, version));
  }
  static base::Bytes encode(const std::vector<RtrPdu>& pdus, std::uint8_t version) {
    base::Bytes all;
    for (const auto& p : pdus) {
      const auto b = encode_rtr_pdu(p, version).value();
      all.insert(all.end(), b.begin(), b.end());
    }
    return all;
  }
  RtrEvents advance(seconds s) {
    now += s;
    return client.on_timer(now);
  }
  // connect + full load of sid 7 / serial 1 with intervals 900/300/3600.
  RtrEvents full_load() {
    connect();
    return feed({CacheResponsePdu{7}, kV4a, kV6a, router_key(true),
                 EndOfDataPdu{7, 1, RtrIntervals{900, 300, 3600}}});
  }

  RtrClient client;
  RtrTime now{seconds(1000)};
};

void expect_error_sent(const RtrEvents& events, RtrErrorCode code) {
  const auto pdus = sent(events);
  ASSERT_EQ(pdus.size(), 1U);
  const auto* report = std::get_if<ErrorReportPdu>(&pdus[0]);
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(report->code, static_cast<std::uint16_t>(code)) << report->text;
  ASSERT_EQ(of<RtrErrorSent>(events).size(), 1U);
  EXPECT_EQ(of<RtrErrorSent>(events)[0].code, code);
  EXPECT_TRUE(has<RtrClose>(events));
}

TEST(RtrClient, Rfc8210Sec8_1_ResetQueryThenFullLoad) {
  Harness t;
  EXPECT_EQ(t.client.next_deadline(), std::nullopt);
  const auto query = t.connect();
  ASSERT_EQ(of<RtrSend>(query).size(), 1U);
  EXPECT_EQ(base::to_hex(of<RtrSend>(query)[0].bytes), "0102000000000008");
  EXPECT_EQ(t.client.state(), RtrClientState::AwaitingResponse);

  // Nothing is published before End of Data.
  const auto partial = t.feed({CacheResponsePdu{7}, kV4a, kV6a, router_key(true)});
  EXPECT_TRUE(partial.empty());
  EXPECT_EQ(t.client.state(), RtrClientState::Receiving);
  EXPECT_TRUE(t.client.data().vrps.empty());

  const auto done = t.feed({EndOfDataPdu{7, 1, RtrIntervals{900, 300, 3600}}});
  const auto updates = of<RtrDataUpdate>(done);
  ASSERT_EQ(updates.size(), 1U);
  const auto& u = updates[0];
  EXPECT_TRUE(u.reset);
  EXPECT_EQ(u.session_id, 7);
  EXPECT_EQ(u.serial, 1U);
  EXPECT_EQ(u.announced.vrps, (std::vector<VrpEntry>{vrp(kV4a), vrp(kV6a)}));
  ASSERT_EQ(u.announced.router_keys.size(), 1U);
  EXPECT_EQ(u.announced.router_keys[0].ski, key_a().ski());
  EXPECT_EQ(u.announced.router_keys[0].asn, base::Asn(64496));
  EXPECT_TRUE(u.withdrawn.vrps.empty());
  EXPECT_EQ(t.client.data(), u.announced);
  EXPECT_EQ(t.client.state(), RtrClientState::Ready);
  EXPECT_EQ(t.client.session_id(), 7);
  EXPECT_EQ(t.client.serial(), 1U);
  EXPECT_EQ(t.client.intervals(), (RtrIntervals{900, 300, 3600}));
  EXPECT_TRUE(t.client.version_negotiated());
  EXPECT_EQ(t.client.next_deadline(), t.now + seconds(900));
}

TEST(RtrClient, Rfc8210Sec6_RefreshTimerSendsSerialQueryAndAppliesDelta) {
  Harness t;
  t.full_load();
  EXPECT_TRUE(t.advance(seconds(899)).empty());
  const auto poll = t.advance(seconds(1));
  const auto q = sent(poll);
  ASSERT_EQ(q.size(), 1U);
  EXPECT_TRUE(q[0] == RtrPdu(SerialQueryPdu{7, 1}));

  const auto done = t.feed({CacheResponsePdu{7}, withdraw(kV4a), kV4b, router_key(false),
                            EndOfDataPdu{7, 2, RtrIntervals{900, 300, 3600}}});
  const auto updates = of<RtrDataUpdate>(done);
  ASSERT_EQ(updates.size(), 1U);
  EXPECT_FALSE(updates[0].reset);
  EXPECT_EQ(updates[0].serial, 2U);
  EXPECT_EQ(updates[0].announced.vrps, std::vector<VrpEntry>{vrp(kV4b)});
  EXPECT_EQ(updates[0].withdrawn.vrps, std::vector<VrpEntry>{vrp(kV4a)});
  EXPECT_EQ(updates[0].withdrawn.router_keys.size(), 1U);
  EXPECT_TRUE(updates[0].announced.router_keys.empty());
  EXPECT_EQ(t.client.data().vrps, (std::vector<VrpEntry>{vrp(kV4b), vrp(kV6a)}));
  EXPECT_TRUE(t.client.data().router_keys.empty());
  EXPECT_EQ(t.client.serial(), 2U);
}

TEST(RtrClient, Rfc8210Sec5_6_AnnounceThenWithdrawInOneDeltaCancels) {
  Harness t;
  t.full_load();
  t.advance(seconds(900));
  const auto done = t.feed({CacheResponsePdu{7}, kV4b, withdraw(kV4b), withdraw(kV4a), kV4a,
                            EndOfDataPdu{7, 2, RtrIntervals{}}});
  const auto updates = of<RtrDataUpdate>(done);
  ASSERT_EQ(updates.size(), 1U);
  EXPECT_TRUE(updates[0].announced.vrps.empty());
  EXPECT_TRUE(updates[0].withdrawn.vrps.empty());
  EXPECT_EQ(t.client.serial(), 2U);
}

TEST(RtrClient, Rfc8210Sec5_2_SerialNotifyTriggersSerialQuery) {
  Harness t;
  t.connect();
  // RFC 8210 §7: ignored during start-up.
  EXPECT_TRUE(t.feed({SerialNotifyPdu{7, 5}}).empty());
  t.feed({CacheResponsePdu{7}, kV4a, EndOfDataPdu{7, 1, RtrIntervals{}}});
  const auto notified = t.feed({SerialNotifyPdu{7, 2}});
  const auto q = sent(notified);
  ASSERT_EQ(q.size(), 1U);
  EXPECT_TRUE(q[0] == RtrPdu(SerialQueryPdu{7, 1}));
  // While the query is outstanding a second notify changes nothing.
  EXPECT_TRUE(t.feed({SerialNotifyPdu{7, 3}}).empty());
}

TEST(RtrClient, Rfc8210Sec5_9_CacheResetLeadsToResetQueryAndFullReplace) {
  Harness t;
  t.full_load();
  t.advance(seconds(900));  // Serial Query
  const auto reset = t.feed({CacheResetPdu{}});
  const auto q = sent(reset);
  ASSERT_EQ(q.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<ResetQueryPdu>(q[0]));
  EXPECT_FALSE(has<RtrDropAll>(reset));  // data kept until replaced
  EXPECT_EQ(t.client.data().vrps.size(), 2U);

  // The cache restarted with a new Session ID: adopted after a Reset Query.
  const auto done = t.feed({CacheResponsePdu{9}, kV4b, EndOfDataPdu{9, 1, RtrIntervals{}}});
  const auto updates = of<RtrDataUpdate>(done);
  ASSERT_EQ(updates.size(), 1U);
  EXPECT_TRUE(updates[0].reset);
  EXPECT_EQ(updates[0].announced.vrps, std::vector<VrpEntry>{vrp(kV4b)});
  EXPECT_TRUE(updates[0].announced.router_keys.empty());
  EXPECT_EQ(t.client.session_id(), 9);
  EXPECT_EQ(t.client.data().vrps, std::vector<VrpEntry>{vrp(kV4b)});
}

TEST(RtrClient, Rfc8210Sec5_1_SessionIdChangeIsCorruptDataAndFlushes) {
  Harness t;
  t.full_load();
  t.advance(seconds(900));  // Serial Query with session 7
  const auto mismatch = t.feed({CacheResponsePdu{8}});
  expect_error_sent(mismatch, RtrErrorCode::CorruptData);
  ASSERT_EQ(of<RtrDropAll>(mismatch).size(), 1U);
  EXPECT_EQ(of<RtrDropAll>(mismatch)[0].kind, RtrDropReason::ProtocolError);
  EXPECT_EQ(std::string(rtr_drop_reason_name(RtrDropReason::ProtocolError)), "protocol_error");
  EXPECT_TRUE(t.client.data().vrps.empty());
  EXPECT_EQ(t.client.session_id(), std::nullopt);
  EXPECT_EQ(t.client.state(), RtrClientState::Idle);
  // The Error Report carries the offending PDU.
  const auto report = std::get<ErrorReportPdu>(sent(mismatch)[0]);
  EXPECT_EQ(base::to_hex(report.encapsulated_pdu), "0103000800000008");

  // Reconnect after the first back-off step (the End of Data reset it), with a Reset Query.
  EXPECT_EQ(t.client.next_deadline(), t.now + seconds(1));
  EXPECT_TRUE(has<RtrConnect>(t.advance(seconds(1))));
  const auto q = sent(t.client.on_connected(t.now));
  ASSERT_EQ(q.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<ResetQueryPdu>(q[0]));
}

TEST(RtrClient, Rfc8210Sec5_1_SessionIdMismatchInEndOfData) {
  Harness t;
  t.connect();
  const auto events = t.feed({CacheResponsePdu{7}, kV4a, EndOfDataPdu{8, 1, RtrIntervals{}}});
  expect_error_sent(events, RtrErrorCode::CorruptData);
  EXPECT_FALSE(has<RtrDataUpdate>(events));
  EXPECT_FALSE(has<RtrDropAll>(events));  // nothing was held yet
}

TEST(RtrClient, Rfc8210Sec7_FallbackToVersion0OnErrorReportCode4) {
  Harness t;
  t.connect();
  // A v0-only cache answers a v1 query with a v0 Error Report "Unsupported Protocol Version".
  const auto refused =
      t.feed({ErrorReportPdu{4, h("0102000000000008"), "Bad protocol version"}}, kRtrVersion0);
  EXPECT_TRUE(of<RtrSend>(refused).empty());  // never answer an Error Report
  ASSERT_EQ(of<RtrErrorReceived>(refused).size(), 1U);
  EXPECT_EQ(of<RtrVersionChanged>(refused), (std::vector<RtrVersionChanged>{{1, 0}}));
  EXPECT_TRUE(has<RtrClose>(refused));
  EXPECT_FALSE(has<RtrDropAll>(refused));
  // RFC 8210 §6: a downgrade may retry at once.
  EXPECT_EQ(t.client.next_deadline(), t.now);
  EXPECT_TRUE(has<RtrConnect>(t.client.on_timer(t.now)));
  const auto query = t.client.on_connected(t.now);
  ASSERT_EQ(of<RtrSend>(query).size(), 1U);
  EXPECT_EQ(base::to_hex(of<RtrSend>(query)[0].bytes), "0002000000000008");

  const auto done =
      t.feed({CacheResponsePdu{3}, kV4a, EndOfDataPdu{3, 10, std::nullopt}}, kRtrVersion0);
  ASSERT_EQ(of<RtrDataUpdate>(done).size(), 1U);
  EXPECT_EQ(t.client.version(), kRtrVersion0);
  // RFC 6810: v0 End of Data has no timers; the defaults apply.
  EXPECT_EQ(t.client.intervals(), RtrIntervals{});
  EXPECT_EQ(t.client.next_deadline(), t.now + seconds(3600));
  const auto poll = t.advance(seconds(3600));
  ASSERT_EQ(of<RtrSend>(poll).size(), 1U);
  EXPECT_EQ(base::to_hex(of<RtrSend>(poll)[0].bytes), "000100030000000C0000000A");
}

TEST(RtrClient, Rfc8210Sec7_FallbackToVersion0OnVersion0Answer) {
  Harness t;
  t.connect();
  const auto answered =
      t.feed({CacheResponsePdu{3}, kV4a, EndOfDataPdu{3, 1, std::nullopt}}, kRtrVersion0);
  EXPECT_EQ(of<RtrVersionChanged>(answered), (std::vector<RtrVersionChanged>{{1, 0}}));
  ASSERT_EQ(of<RtrDataUpdate>(answered).size(), 1U);
  EXPECT_EQ(t.client.version(), kRtrVersion0);
  EXPECT_TRUE(t.client.version_negotiated());

  // RFC 8210 §7: after negotiation a PDU of another version is error 8, sent in our version.
  std::vector<std::uint8_t> versions;
  const auto wrong = t.feed({SerialNotifyPdu{3, 2}}, kRtrVersion1);
  expect_error_sent(wrong, RtrErrorCode::UnexpectedProtocolVersion);
  sent(wrong, &versions);
  EXPECT_EQ(versions, std::vector<std::uint8_t>{0});
  EXPECT_TRUE(has<RtrDropAll>(wrong));
}

TEST(RtrClient, Rfc8210Sec7_SilentCloseTriesTheLowerVersionOnce) {
  Harness t;
  t.connect();
  const auto closed = t.client.on_disconnected(t.now);
  EXPECT_EQ(of<RtrVersionChanged>(closed), (std::vector<RtrVersionChanged>{{1, 0}}));
  EXPECT_TRUE(has<RtrConnect>(t.client.on_timer(t.now)));
  std::vector<std::uint8_t> versions;
  sent(t.client.on_connected(t.now), &versions);
  EXPECT_EQ(versions, std::vector<std::uint8_t>{0});
  // Silent again at v0: back off, then start from v1 again.
  const auto again = t.client.on_disconnected(t.now);
  EXPECT_FALSE(has<RtrVersionChanged>(again));
  EXPECT_EQ(t.client.next_deadline(), t.now + seconds(1));
  EXPECT_TRUE(has<RtrConnect>(t.advance(seconds(1))));
  versions.clear();
  sent(t.client.on_connected(t.now), &versions);
  EXPECT_EQ(versions, std::vector<std::uint8_t>{1});
}

TEST(RtrClient, ConnectFailureRetriesWithoutDowngrade) {
  Harness t;
  EXPECT_TRUE(has<RtrConnect>(t.client.start(t.now)));
  const auto failed = t.client.on_disconnected(t.now);
  EXPECT_TRUE(failed.empty());
  EXPECT_EQ(t.client.next_deadline(), t.now + seconds(1));
  EXPECT_EQ(t.client.version(), kRtrVersion1);
}

// A cache that is down is retried at 1, 2, 4, ... s, never less often than every Retry
// interval; a committed End of Data starts the back-off over.
TEST(RtrClient, ReconnectBacksOffUpToRetryAndResetsWhenInSync) {
  Harness t;
  EXPECT_TRUE(has<RtrConnect>(t.client.start(t.now)));
  std::vector<std::int64_t> delays;
  for (int i = 0; i < 12; ++i) {
    static_cast<void>(t.client.on_disconnected(t.now));
    const auto next = t.client.next_deadline();
    ASSERT_TRUE(next.has_value());
    delays.push_back(std::chrono::duration_cast<seconds>(*next - t.now).count());
    EXPECT_TRUE(has<RtrConnect>(t.advance(seconds(delays.back()))));
  }
  EXPECT_EQ(delays, (std::vector<std::int64_t>{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600}));
  static_cast<void>(t.client.on_connected(t.now));
  t.feed({CacheResponsePdu{7}, kV4a, EndOfDataPdu{7, 1, RtrIntervals{900, 300, 3600}}});
  ASSERT_EQ(t.client.serial(), 1U);
  static_cast<void>(t.client.on_disconnected(t.now));
  EXPECT_EQ(t.client.next_deadline(), t.now + seconds(1));
}

TEST(RtrClient, Rfc8210Sec7_V0OnlyRouterNeverSendsV1) {
  Harness t(RtrClientConfig{kRtrVersion0});
  std::vector<std::uint8_t> versions;
  sent(t.connect(), &versions);
  EXPECT_EQ(versions, std::vector<std::uint8_t>{0});
}

TEST(RtrClient, Rfc8210Sec7_UnknownVersionIsAnsweredWithCode4) {
  Harness t;
  t.connect();
  auto bytes = Harness::encode({CacheResponsePdu{1}}, kRtrVersion1);
  bytes[0] = 3;
  expect_error_sent(t.feed_bytes(bytes), RtrErrorCode::UnsupportedProtocolVersion);
}

TEST(RtrClient, Rfc8210Sec5_10_RouterKeyInVersion0SessionIsUnsupportedPduType) {
  Harness t;
  t.connect();
  t.feed({CacheResponsePdu{3}}, kRtrVersion0);
  auto bytes = Harness::encode({router_key(true)}, kRtrVersion1);
  bytes[0] = 0;
  expect_error_sent(t.feed_bytes(bytes), RtrErrorCode::UnsupportedPduType);
}

TEST(RtrClient, Rfc8210Sec5_11_FatalErrorReportReceivedDropsData) {
  Harness t;
  t.full_load();
  t.advance(seconds(900));
  const auto events = t.feed({ErrorReportPdu{0, {}, "Session ID mismatch"}});
  EXPECT_TRUE(of<RtrSend>(events).empty());
  ASSERT_EQ(of<RtrErrorReceived>(events).size(), 1U);
  EXPECT_EQ(of<RtrErrorReceived>(events)[0].report.text, "Session ID mismatch");
  EXPECT_TRUE(has<RtrClose>(events));
  ASSERT_EQ(of<RtrDropAll>(events).size(), 1U);
  EXPECT_EQ(of<RtrDropAll>(events)[0].kind, RtrDropReason::ErrorReport);
  EXPECT_EQ(t.client.session_id(), std::nullopt);
  EXPECT_EQ(t.client.next_deadline(), t.now + seconds(1));
}

TEST(RtrClient, Rfc8210Sec5_11_NoDataAvailableRetriesAfterRetryInterval) {
  Harness t;
  t.connect();
  const auto events = t.feed({ErrorReportPdu{2, {}, "No data available"}});
  ASSERT_EQ(of<RtrErrorReceived>(events).size(), 1U);
  EXPECT_FALSE(has<RtrClose>(events));
  EXPECT_TRUE(of<RtrSend>(events).empty());
  EXPECT_EQ(t.client.state(), RtrClientState::Ready);
  EXPECT_EQ(t.client.next_deadline(), t.now + seconds(600));
  const auto q = sent(t.advance(seconds(600)));
  ASSERT_EQ(q.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<ResetQueryPdu>(q[0]));
}

TEST(RtrClient, Rfc8210Sec5_6_DuplicateAnnouncementSendsErrorReport7) {
  Harness t;
  t.full_load();
  t.advance(seconds(900));
  const auto events = t.feed({CacheResponsePdu{7}, kV4a});
  expect_error_sent(events, RtrErrorCode::DuplicateAnnouncement);
  const auto report = std::get<ErrorReportPdu>(sent(events)[0]);
  EXPECT_EQ(report.encapsulated_pdu, Harness::encode({kV4a}, kRtrVersion1));
  EXPECT_TRUE(has<RtrDropAll>(events));
  EXPECT_FALSE(has<RtrDataUpdate>(events));

  // Twice in one full load, and a router key twice.
  Harness u;
  u.connect();
  expect_error_sent(u.feed({CacheResponsePdu{7}, kV6a, kV6a}), RtrErrorCode::DuplicateAnnouncement);
  Harness w;
  w.connect();
  expect_error_sent(w.feed({CacheResponsePdu{7}, router_key(true), router_key(true)}),
                    RtrErrorCode::DuplicateAnnouncement);
}

TEST(RtrClient, Rfc8210Sec5_6_WithdrawalOfUnknownRecordSendsErrorReport6) {
  Harness t;
  t.full_load();
  t.advance(seconds(900));
  expect_error_sent(t.feed({CacheResponsePdu{7}, withdraw(kV4b)}),
                    RtrErrorCode::WithdrawalOfUnknownRecord);

  // In a full load nothing is known yet, even what the old data held.
  Harness u;
  u.full_load();
  u.advance(seconds(900));
  u.feed({CacheResetPdu{}});
  expect_error_sent(u.feed({CacheResponsePdu{7}, withdraw(kV4a)}),
                    RtrErrorCode::WithdrawalOfUnknownRecord);

  Harness w;
  w.connect();
  expect_error_sent(w.feed({CacheResponsePdu{7}, router_key(false)}),
                    RtrErrorCode::WithdrawalOfUnknownRecord);
}

TEST(RtrClient, Rfc8210Sec6_ExpiryDropsData) {
  Harness t;
  t.full_load();  // expire 3600, retry 300
  // The connection drops; reconnects keep failing.
  EXPECT_TRUE(t.client.on_disconnected(t.now).empty());
  EXPECT_EQ(t.client.data().vrps.size(), 2U);  // kept until Expire
  for (int i = 0; i < 11; ++i) {
    const auto events = t.advance(seconds(300));
    EXPECT_TRUE(has<RtrConnect>(events));
    EXPECT_FALSE(has<RtrDropAll>(events));
    EXPECT_TRUE(t.client.on_disconnected(t.now).empty());
  }
  const auto expired = t.advance(seconds(300));  // 3600 s after End of Data
  ASSERT_EQ(of<RtrDropAll>(expired).size(), 1U);
  EXPECT_EQ(of<RtrDropAll>(expired)[0].kind, RtrDropReason::Expired);
  EXPECT_TRUE(t.client.data().vrps.empty());
  EXPECT_EQ(t.client.session_id(), std::nullopt);
  // The next connection starts over with a Reset Query.
  ASSERT_TRUE(has<RtrConnect>(expired));
  const auto q = sent(t.client.on_connected(t.now));
  ASSERT_EQ(q.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<ResetQueryPdu>(q[0]));
}

TEST(RtrClient, Rfc8210Sec6_SuccessfulRefreshPushesExpiryBack) {
  Harness t;
  t.full_load();
  for (int i = 0; i < 5; ++i) {
    t.advance(seconds(900));
    t.feed({CacheResponsePdu{7}, EndOfDataPdu{7, 1, RtrIntervals{900, 300, 3600}}});
  }
  EXPECT_EQ(t.client.data().vrps.size(), 2U);
  EXPECT_EQ(t.client.next_deadline(), t.now + seconds(900));
}

TEST(RtrClient, HalfReceivedUpdateIsNeverPublished) {
  Harness t;
  t.full_load();
  t.advance(seconds(900));
  const auto partial = t.feed({CacheResponsePdu{7}, withdraw(kV4a), kV4b});
  EXPECT_TRUE(partial.empty());
  EXPECT_TRUE(t.client.on_disconnected(t.now).empty());
  EXPECT_EQ(t.client.data().vrps, (std::vector<VrpEntry>{vrp(kV4a), vrp(kV6a)}));
  // The reconnect asks again from the last committed serial.
  EXPECT_TRUE(has<RtrConnect>(t.advance(seconds(300))));
  const auto q = sent(t.client.on_connected(t.now));
  ASSERT_EQ(q.size(), 1U);
  EXPECT_TRUE(q[0] == RtrPdu(SerialQueryPdu{7, 1}));
}

TEST(RtrClient, PdusSplitAcrossReadsGiveTheSameResult) {
  Harness whole;
  const auto expected = of<RtrDataUpdate>(whole.full_load());
  Harness split;
  split.connect();
  const auto bytes = Harness::encode({CacheResponsePdu{7}, kV4a, kV6a, router_key(true),
                                      EndOfDataPdu{7, 1, RtrIntervals{900, 300, 3600}}},
                                     kRtrVersion1);
  RtrEvents all;
  for (const auto b : bytes) {
    for (auto& e : split.client.on_bytes(std::span(&b, 1), split.now)) {
      all.push_back(std::move(e));
    }
  }
  EXPECT_EQ(of<RtrDataUpdate>(all), expected);
}

TEST(RtrClient, Rfc8210Sec8_PdusOutOfSequenceAreCorruptData) {
  Harness t;
  t.connect();
  expect_error_sent(t.feed({kV4a}), RtrErrorCode::CorruptData);
  Harness u;
  u.connect();
  expect_error_sent(u.feed({EndOfDataPdu{1, 1, RtrIntervals{}}}), RtrErrorCode::CorruptData);
  Harness w;
  w.full_load();
  expect_error_sent(w.feed({CacheResponsePdu{7}}), RtrErrorCode::CorruptData);
  Harness x;
  x.connect();
  expect_error_sent(x.feed({ResetQueryPdu{}}), RtrErrorCode::UnsupportedPduType);
}

TEST(RtrClient, Rfc8210Sec5_MalformedPduIsAnsweredWithItsCode) {
  Harness t;
  t.connect();
  t.feed({CacheResponsePdu{7}});
  // Prefix length 24 above max length 16.
  expect_error_sent(t.feed_bytes(h("01 04 0000 00000014 01 18 10 00 C0000200 0000FBF0")),
                    RtrErrorCode::CorruptData);
  Harness u;
  u.connect();
  expect_error_sent(u.feed_bytes(h("01 05 0000 00000008")), RtrErrorCode::UnsupportedPduType);
  Harness w;
  w.connect();
  expect_error_sent(w.feed_bytes(h("01 0A 0000 00100000")), RtrErrorCode::CorruptData);
}

TEST(RtrClient, Rfc8210Sec6_OutOfRangeIntervalsAreClamped) {
  Harness t;
  t.connect();
  t.feed({CacheResponsePdu{7}, EndOfDataPdu{7, 1, RtrIntervals{0, 99999, 1}}});
  EXPECT_EQ(t.client.intervals(), (RtrIntervals{1, 7200, 600}));
}

// StayRTR closes without a word when a Serial Query names a session it does not know (it
// restarted). The cache answered in v1 before, so this is no sign of a version limit: ask for
// everything again with a v1 Reset Query, keep the router keys, do not downgrade.
TEST(RtrClient, SilentCloseOnSerialQueryOfAKnownV1CacheResetsInV1) {
  Harness t;
  t.full_load();
  static_cast<void>(t.client.on_disconnected(t.now));  // the cache went away
  EXPECT_TRUE(has<RtrConnect>(t.advance(seconds(1))));
  std::vector<std::uint8_t> versions;
  const auto serial = sent(t.client.on_connected(t.now), &versions);
  ASSERT_EQ(serial.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<SerialQueryPdu>(serial[0]));
  const auto closed = t.client.on_disconnected(t.now);  // silently, after our Serial Query
  EXPECT_FALSE(has<RtrVersionChanged>(closed));
  EXPECT_FALSE(has<RtrDropAll>(closed));  // the data stays until a new set replaces it
  const auto next = t.client.next_deadline();
  ASSERT_TRUE(next.has_value());
  EXPECT_TRUE(has<RtrConnect>(t.advance(std::chrono::duration_cast<seconds>(*next - t.now))));
  versions.clear();
  const auto reset = sent(t.client.on_connected(t.now), &versions);
  ASSERT_EQ(reset.size(), 1U);
  EXPECT_TRUE(std::holds_alternative<ResetQueryPdu>(reset[0]));
  EXPECT_EQ(versions, std::vector<std::uint8_t>{kRtrVersion1});
  EXPECT_FALSE(t.client.data().router_keys.empty());
}

}  // namespace
}  // namespace bgpsecd::rpki

namespace bgpsecd::rpki {
namespace {

// --- Version 2 and ASPA (docs/aspa.md §11) ---

std::vector<base::Asn> asns(const std::vector<std::uint32_t>& values) {
  return {values.begin(), values.end()};
}
AspaPdu aspa_pdu(bool announce, std::uint32_t customer, const std::vector<std::uint32_t>& providers,
                 AspaPduLayout layout = AspaPduLayout::Current, std::uint8_t afi = 0) {
  return AspaPdu{announce, base::Asn(customer), asns(providers), layout, afi};
}
aspa::AspaRecord record(std::uint32_t customer, const std::vector<std::uint32_t>& providers) {
  return aspa::AspaRecord{base::Asn(customer), asns(providers)};
}
RtrClientConfig v2() { return RtrClientConfig{kRtrVersion2}; }
constexpr auto kOld = AspaPduLayout::StayRtr05;
const EndOfDataPdu kEod1{7, 1, RtrIntervals{900, 300, 3600}};
const EndOfDataPdu kEod2{7, 2, RtrIntervals{900, 300, 3600}};

std::vector<std::uint8_t> sent_versions(const RtrEvents& events) {
  std::vector<std::uint8_t> versions;
  sent(events, &versions);
  return versions;
}

TEST(RtrClient, Rfc8210bisSec7_OffersVersion2ByDefault) {
  Harness t(RtrClientConfig{});
  const auto query = t.connect();
  ASSERT_EQ(of<RtrSend>(query).size(), 1U);
  EXPECT_EQ(base::to_hex(of<RtrSend>(query)[0].bytes), "0202000000000008");
}

TEST(RtrClient, Rfc8210bisSec7_Code4StepsDownFrom2To1To0) {
  Harness t(v2());
  t.connect();
  const auto refused2 = t.feed({ErrorReportPdu{4, {}, "Bad protocol version"}}, kRtrVersion1);
  EXPECT_EQ(of<RtrVersionChanged>(refused2), (std::vector<RtrVersionChanged>{{2, 1}}));
  EXPECT_TRUE(has<RtrClose>(refused2));
  EXPECT_TRUE(has<RtrConnect>(t.client.on_timer(t.now)));
  EXPECT_EQ(sent_versions(t.client.on_connected(t.now)), std::vector<std::uint8_t>{1});
  const auto refused1 = t.feed({ErrorReportPdu{4, {}, "Bad protocol version"}}, kRtrVersion0);
  EXPECT_EQ(of<RtrVersionChanged>(refused1), (std::vector<RtrVersionChanged>{{1, 0}}));
  EXPECT_TRUE(has<RtrConnect>(t.client.on_timer(t.now)));
  EXPECT_EQ(sent_versions(t.client.on_connected(t.now)), std::vector<std::uint8_t>{0});
  const auto done =
      t.feed({CacheResponsePdu{3}, kV4a, EndOfDataPdu{3, 1, std::nullopt}}, kRtrVersion0);
  ASSERT_EQ(of<RtrDataUpdate>(done).size(), 1U);
  EXPECT_EQ(t.client.version(), kRtrVersion0);
}

TEST(RtrClient, Rfc8210bisSec7_Code4SentInVersion0SkipsVersion1) {
  Harness t(v2());
  t.connect();
  const auto refused = t.feed({ErrorReportPdu{4, {}, "old"}}, kRtrVersion0);
  EXPECT_EQ(of<RtrVersionChanged>(refused), (std::vector<RtrVersionChanged>{{2, 0}}));
}

// StayRTR 0.5.1 with -protocol 1 answers a version 2 query in version 1, without an error.
TEST(RtrClient, Rfc8210bisSec7_ImplicitDowngradeToVersion1) {
  Harness t(v2());
  t.connect();
  const auto done = t.feed({CacheResponsePdu{7}, kV4a, router_key(true), kEod1}, kRtrVersion1);
  EXPECT_EQ(of<RtrVersionChanged>(done), (std::vector<RtrVersionChanged>{{2, 1}}));
  ASSERT_EQ(of<RtrDataUpdate>(done).size(), 1U);
  EXPECT_EQ(t.client.version(), kRtrVersion1);
  EXPECT_EQ(t.client.data().router_keys.size(), 1U);
  EXPECT_TRUE(t.client.data().aspas.empty());
  // The refresh stays in version 1.
  EXPECT_EQ(sent_versions(t.advance(seconds(900))), std::vector<std::uint8_t>{1});
}

TEST(RtrClient, Rfc8210bisSec7_SilentCloseAtVersion2TriesVersion1) {
  Harness t(v2());
  t.connect();
  const auto closed = t.client.on_disconnected(t.now);
  EXPECT_EQ(of<RtrVersionChanged>(closed), (std::vector<RtrVersionChanged>{{2, 1}}));
  EXPECT_TRUE(has<RtrConnect>(t.client.on_timer(t.now)));
  EXPECT_EQ(sent_versions(t.client.on_connected(t.now)), std::vector<std::uint8_t>{1});
}

TEST(RtrClient, Rfc8210bisSec5_12_AspaInVersion1SessionIsUnsupportedPduType) {
  Harness t;  // version 1
  t.connect();
  auto bytes = Harness::encode({CacheResponsePdu{7}}, kRtrVersion1);
  // An ASPA PDU with version 1 in its header.
  const auto aspa_bytes = h("010B01000000001000000001 00000002");
  bytes.insert(bytes.end(), aspa_bytes.begin(), aspa_bytes.end());
  expect_error_sent(t.feed_bytes(bytes), RtrErrorCode::UnsupportedPduType);
}

TEST(RtrClient, Rfc8210bisSec5_12_AspaAnnounceReplaceWithdraw) {
  Harness t(v2());
  t.connect();
  const auto loaded = t.feed({CacheResponsePdu{7}, kV4a, aspa_pdu(true, 64496, {64497, 64498}),
                              aspa_pdu(true, 64500, {0}), kEod1},
                             kRtrVersion2);
  ASSERT_EQ(of<RtrDataUpdate>(loaded).size(), 1U);
  EXPECT_EQ(of<RtrDataUpdate>(loaded)[0].announced.aspas,
            (std::vector<aspa::AspaRecord>{record(64496, {64497, 64498}), record(64500, {0})}));
  EXPECT_EQ(t.client.version(), kRtrVersion2);

  // A new announcement for a held customer replaces its record.
  t.advance(seconds(900));
  const auto changed =
      t.feed({CacheResponsePdu{7}, aspa_pdu(true, 64496, {64499}), kEod2}, kRtrVersion2);
  ASSERT_EQ(of<RtrDataUpdate>(changed).size(), 1U);
  const auto u = of<RtrDataUpdate>(changed)[0];
  EXPECT_FALSE(u.reset);
  EXPECT_EQ(u.withdrawn.aspas, (std::vector<aspa::AspaRecord>{record(64496, {64497, 64498})}));
  EXPECT_EQ(u.announced.aspas, (std::vector<aspa::AspaRecord>{record(64496, {64499})}));
  EXPECT_EQ(t.client.data().aspas,
            (std::vector<aspa::AspaRecord>{record(64496, {64499}), record(64500, {0})}));

  // A withdrawal (no providers) removes the customer.
  t.advance(seconds(900));
  const auto gone =
      t.feed({CacheResponsePdu{7}, aspa_pdu(false, 64500, {}), EndOfDataPdu{7, 3, kEod1.intervals}},
             kRtrVersion2);
  ASSERT_EQ(of<RtrDataUpdate>(gone).size(), 1U);
  EXPECT_EQ(of<RtrDataUpdate>(gone)[0].withdrawn.aspas,
            (std::vector<aspa::AspaRecord>{record(64500, {0})}));
  EXPECT_EQ(t.client.data().aspas, (std::vector<aspa::AspaRecord>{record(64496, {64499})}));

  // Announced and withdrawn in one transaction: no change.
  t.advance(seconds(900));
  const auto netted = t.feed({CacheResponsePdu{7}, aspa_pdu(true, 64510, {1}),
                              aspa_pdu(false, 64510, {}), EndOfDataPdu{7, 4, kEod1.intervals}},
                             kRtrVersion2);
  ASSERT_EQ(of<RtrDataUpdate>(netted).size(), 1U);
  EXPECT_TRUE(of<RtrDataUpdate>(netted)[0].announced.aspas.empty());
  EXPECT_TRUE(of<RtrDataUpdate>(netted)[0].withdrawn.aspas.empty());
}

TEST(RtrClient, Rfc8210bisSec5_12_WithdrawalOfUnknownAspaIsError6) {
  Harness t(v2());
  t.connect();
  const auto bad = t.feed({CacheResponsePdu{7}, aspa_pdu(false, 64496, {}), kEod1}, kRtrVersion2);
  expect_error_sent(bad, RtrErrorCode::WithdrawalOfUnknownRecord);
}

TEST(RtrClient, Rfc8210bisSec5_12_BadProviderListIsError9) {
  Harness t(v2());
  t.connect();
  const auto bad = t.feed_bytes(h("02031234 00000008 020B0100 0000000C 0000FBF0"));
  // The first PDU (Cache Response, session 0x1234) is fine; the empty announcement is not.
  expect_error_sent(bad, RtrErrorCode::AspaProviderListError);
}

// StayRTR 0.5.1: records per (customer, AFI); a change is announce(new) then withdraw(old).
TEST(RtrClient, StayRtr05_AnnounceNewThenWithdrawOldKeepsTheNewRecord) {
  Harness t(v2());
  t.connect();
  t.feed({CacheResponsePdu{7}, aspa_pdu(true, 64496, {64497}, kOld, 0),
          aspa_pdu(true, 64496, {64497}, kOld, 1), kEod1},
         kRtrVersion2);
  EXPECT_EQ(t.client.data().aspas,
            (std::vector<aspa::AspaRecord>{record(64496, {64497}), record(64496, {64497})}));

  t.advance(seconds(900));
  const auto changed = t.feed({CacheResponsePdu{7}, aspa_pdu(true, 64496, {64498, 64497}, kOld, 0),
                               aspa_pdu(false, 64496, {64497}, kOld, 0), kEod2},
                              kRtrVersion2);
  ASSERT_EQ(of<RtrDataUpdate>(changed).size(), 1U);
  const auto u = of<RtrDataUpdate>(changed)[0];
  EXPECT_EQ(u.withdrawn.aspas, (std::vector<aspa::AspaRecord>{record(64496, {64497})}));
  EXPECT_EQ(u.announced.aspas, (std::vector<aspa::AspaRecord>{record(64496, {64497, 64498})}));
  EXPECT_EQ(t.client.data().aspas,
            (std::vector<aspa::AspaRecord>{record(64496, {64497, 64498}), record(64496, {64497})}));

  // A withdrawal that names the set held removes that AFI's record only.
  t.advance(seconds(900));
  const auto gone = t.feed({CacheResponsePdu{7}, aspa_pdu(false, 64496, {64497}, kOld, 1),
                            EndOfDataPdu{7, 3, kEod1.intervals}},
                           kRtrVersion2);
  ASSERT_EQ(of<RtrDataUpdate>(gone).size(), 1U);
  EXPECT_EQ(of<RtrDataUpdate>(gone)[0].withdrawn.aspas,
            (std::vector<aspa::AspaRecord>{record(64496, {64497})}));
  EXPECT_EQ(t.client.data().aspas, (std::vector<aspa::AspaRecord>{record(64496, {64497, 64498})}));

  // Withdrawing an (customer, AFI) not held is error 6.
  t.advance(seconds(900));
  const auto bad =
      t.feed({CacheResponsePdu{7}, aspa_pdu(false, 64496, {64497}, kOld, 1)}, kRtrVersion2);
  expect_error_sent(bad, RtrErrorCode::WithdrawalOfUnknownRecord);
}

TEST(RtrClient, Rfc8210bisSec7_DowngradeReloadsWithoutAspas) {
  Harness t(v2());
  t.connect();
  t.feed({CacheResponsePdu{7}, aspa_pdu(true, 64496, {64497}), kEod1}, kRtrVersion2);
  ASSERT_EQ(t.client.data().aspas.size(), 1U);
  // The cache restarts as a version 1 cache and refuses our version 2 Serial Query.
  static_cast<void>(t.client.on_disconnected(t.now));
  EXPECT_TRUE(has<RtrConnect>(t.advance(seconds(1))));
  static_cast<void>(t.client.on_connected(t.now));
  const auto refused = t.feed({ErrorReportPdu{4, {}, "Bad protocol version"}}, kRtrVersion1);
  EXPECT_TRUE(has<RtrClose>(refused));
  EXPECT_TRUE(has<RtrConnect>(t.client.on_timer(t.now)));
  const auto query = t.client.on_connected(t.now);
  ASSERT_EQ(sent(query).size(), 1U);
  EXPECT_TRUE(std::holds_alternative<ResetQueryPdu>(sent(query)[0]));
  const auto reloaded =
      t.feed({CacheResponsePdu{8}, kV4a, EndOfDataPdu{8, 1, kEod1.intervals}}, kRtrVersion1);
  ASSERT_EQ(of<RtrDataUpdate>(reloaded).size(), 1U);
  EXPECT_TRUE(of<RtrDataUpdate>(reloaded)[0].reset);
  EXPECT_TRUE(t.client.data().aspas.empty());
}

}  // namespace
}  // namespace bgpsecd::rpki
