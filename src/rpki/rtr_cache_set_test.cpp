// SPDX-License-Identifier: BSD-2-Clause
// RtrCacheSet against in-process caches on 127.0.0.1 and 127.0.3.1-3 (port 0): SLURM filters
// between the caches and the store (RFC 8416 §4), drops counted by reason, records that stay
// as they were when the store refuses a change, and caches added, removed and changed while
// running (reconfigure).
#include "rpki/rtr_cache_set.hpp"

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "base/hex.hpp"

namespace bgpsecd::rpki {
namespace {

base::Prefix pfx(std::string_view text) { return base::Prefix::parse(text).value(); }

crypto::PublicKey key_a() {
  // RFC 8608 Appendix A key of AS 64496.
  return crypto::PublicKey::from_spki_der(
             base::from_hex(
                 "3059301306072A8648CE3D020106082A8648CE3D030107034200047391BABB92A0CB3BE10E59B1"
                 "9EBFFB214E04A91E0CBA1B139A7D38D90F77E55AA05B8E695678E0FA16904B55D9D4F5C0DFC5889"
                 "5EE50BC4F75D205A25BD36FF5")
                 .value())
      .value();
}

const PrefixPdu kA{true, pfx("192.0.2.0/24"), 24, base::Asn(64496)};
const PrefixPdu kB{true, pfx("192.0.2.128/25"), 25, base::Asn(64497)};
const PrefixPdu kC{true, pfx("198.51.100.0/24"), 24, base::Asn(64498)};

// A cache on ADDRESS that answers each query with the next scripted response, and sends other
// PDUs when the test says so, in `version` (1 unless a test sets it). A new connection
// replaces the current one.
class FakeCache {
 public:
  explicit FakeCache(asio::io_context& io, const char* address = "127.0.0.1")
      : acceptor_(io, asio::ip::tcp::endpoint(asio::ip::make_address(address), 0)), socket_(io) {
    accept();
  }
  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  void script(std::vector<RtrPdu> response) { responses_.push_back(std::move(response)); }
  void send(const std::vector<RtrPdu>& pdus) {
    auto out = std::make_shared<base::Bytes>();
    for (const auto& pdu : pdus) {
      const auto bytes = encode_rtr_pdu(pdu, version).value();
      out->insert(out->end(), bytes.begin(), bytes.end());
    }
    asio::async_write(socket_, asio::buffer(*out), [out](const asio::error_code&, std::size_t) {});
  }
  std::uint8_t version = kRtrVersion1;
  int queries = 0;
  int connections = 0;
  bool closed = false;  // the router closed the current connection

 private:
  void accept() {
    acceptor_.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket socket) {
      if (ec) {
        return;
      }
      socket_ = std::move(socket);
      framer_ = RtrFramer{};
      closed = false;
      read(++connections);
      accept();
    });
  }
  void read(int connection) {
    socket_.async_read_some(asio::buffer(buffer_),
                            [this, connection](const asio::error_code& ec, std::size_t n) {
                              if (connection != connections) {
                                return;  // an older connection
                              }
                              if (ec) {
                                closed = true;
                                return;
                              }
                              framer_.append(std::span<const std::uint8_t>(buffer_.data(), n));
                              for (;;) {
                                auto frame = framer_.next();
                                if (!frame || !frame->has_value()) {
                                  break;
                                }
                                ++queries;
                                if (!responses_.empty()) {
                                  send(responses_.front());
                                  responses_.pop_front();
                                }
                              }
                              read(connection);
                            });
  }
  asio::ip::tcp::acceptor acceptor_;
  asio::ip::tcp::socket socket_;
  std::array<std::uint8_t, 4096> buffer_{};
  RtrFramer framer_;
  std::deque<std::vector<RtrPdu>> responses_;
};

// Runs `io` until `done` holds (true) or 10 s have passed (false).
bool run_until(asio::io_context& io, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    io.run_one_for(std::chrono::milliseconds(20));
  }
  return true;
}

EndOfDataPdu end_of_data(std::uint32_t serial) { return EndOfDataPdu{7, serial, RtrIntervals{}}; }

struct Fixture {
  asio::io_context io;
  FakeCache cache{io};
  RpkiStore store;
  int changes = 0;
  std::vector<std::string> warnings;
  std::unique_ptr<RtrCacheSet> set;

  Fixture() {
    RtrCacheConfig config;
    config.host = "127.0.0.1";
    config.port = cache.port();
    set = std::make_unique<RtrCacheSet>(
        io, store, std::vector<RtrCacheConfig>{config},
        RtrCacheSet::Handlers{.on_change = [this](const ChangeSet&) { ++changes; },
                              .on_log =
                                  [this](RtrLogLevel level, const std::string& line) {
                                    if (level == RtrLogLevel::Warning) {
                                      warnings.push_back(line);
                                    }
                                  }});
  }
  [[nodiscard]] std::size_t vrps() const { return store.snapshot()->vrps.size(); }
  [[nodiscard]] std::size_t keys() const { return store.snapshot()->router_keys.size(); }
  [[nodiscard]] RtrCacheStatus status() const { return set->status().at(0); }
  // Starts the set and waits for the full load of kA, kB, kC and one router key.
  void full_load() {
    const auto k = key_a();
    cache.script({CacheResponsePdu{7}, kA, kB, kC, RouterKeyPdu{true, k.ski(), base::Asn(64496), k},
                  end_of_data(1)});
    set->start();
    ASSERT_TRUE(run_until(io, [this] { return status().in_sync; }));
  }
};

TEST(RtrCacheSet, Rfc8416Sec4_SlurmFiltersCacheDataBeforeTheStore) {
  Fixture f;
  auto slurm = std::make_shared<Slurm>();
  // Covers kA and kB (a more-specific); kC passes.
  slurm->prefix_filters.push_back(PrefixFilter{pfx("192.0.2.0/24"), std::nullopt, std::nullopt});
  slurm->bgpsec_filters.push_back(BgpsecFilter{base::Asn(64496), std::nullopt, std::nullopt});
  ASSERT_TRUE(f.set->set_slurm(slurm).has_value());
  f.full_load();
  EXPECT_EQ(f.vrps(), 1U);
  EXPECT_TRUE(f.store.snapshot()->vrps.contains(VrpEntry{kC.prefix, 24, kC.asn, {}}));
  EXPECT_EQ(f.keys(), 0U);
  EXPECT_EQ(f.status().vrps, 3U);  // what the cache sent
  EXPECT_EQ(f.status().router_keys, 1U);

  // Without filters everything the cache holds reaches the store, in one change.
  const int before = f.changes;
  ASSERT_TRUE(f.set->set_slurm(nullptr).has_value());
  EXPECT_EQ(f.vrps(), 3U);
  EXPECT_EQ(f.keys(), 1U);
  EXPECT_EQ(f.changes, before + 1);

  // Another filter: by ASN only.
  auto by_asn = std::make_shared<Slurm>();
  by_asn->prefix_filters.push_back(PrefixFilter{std::nullopt, base::Asn(64498), std::nullopt});
  ASSERT_TRUE(f.set->set_slurm(by_asn).has_value());
  EXPECT_EQ(f.vrps(), 2U);
  EXPECT_FALSE(f.store.snapshot()->vrps.contains(VrpEntry{kC.prefix, 24, kC.asn, {}}));

  // A delta from the cache: a filtered VRP withdrawn and announced again never reaches the
  // store; the records still follow the cache.
  f.cache.script({CacheResponsePdu{7}, PrefixPdu{false, kC.prefix, 24, kC.asn}, end_of_data(2)});
  f.cache.send({SerialNotifyPdu{7, 2}});
  ASSERT_TRUE(run_until(f.io, [&] { return f.status().updates == 2; }));
  EXPECT_EQ(f.status().vrps, 2U);
  EXPECT_EQ(f.vrps(), 2U);
  ASSERT_TRUE(f.set->set_slurm(nullptr).has_value());
  EXPECT_EQ(f.vrps(), 2U);  // kC is gone from the cache, so lifting the filter brings nothing
}

AspaPdu stayrtr_aspa(bool announce, std::uint32_t customer, std::uint8_t afi,
                     std::vector<base::Asn> providers) {
  return AspaPdu{announce, base::Asn(customer), std::move(providers), AspaPduLayout::StayRtr05,
                 afi};
}
std::vector<aspa::AspaRecord> aspa_table(const RpkiStore& store) {
  return store.snapshot()->aspas.records();
}

// docs/aspa.md §11: a version 2 cache's ASPA records reach the store (per-AFI records united),
// follow StayRTR's announce-new-then-withdraw-old, obey SLURM filters and leave with the cache.
TEST(RtrCacheSet, Rfc8210bis_AspaRecordsReachTheStore) {
  Fixture f;
  f.cache.version = kRtrVersion2;
  const base::Asn p1(64497);
  const base::Asn p2(64498);
  const base::Asn p3(64499);
  f.cache.script({CacheResponsePdu{7}, kA, stayrtr_aspa(true, 64496, 0, {p1}),
                  stayrtr_aspa(true, 64496, 1, {p2}), end_of_data(1)});
  f.set->start();
  ASSERT_TRUE(run_until(f.io, [&] { return f.status().in_sync; }));
  EXPECT_EQ(f.status().version, kRtrVersion2);
  EXPECT_EQ(f.status().aspas, 2U);
  EXPECT_EQ(aspa_table(f.store), (std::vector<aspa::AspaRecord>{{base::Asn(64496), {p1, p2}}}));

  f.cache.script({CacheResponsePdu{7}, stayrtr_aspa(true, 64496, 0, {p3}),
                  stayrtr_aspa(false, 64496, 0, {p1}), end_of_data(2)});
  f.cache.send({SerialNotifyPdu{7, 2}});
  ASSERT_TRUE(run_until(f.io, [&] { return f.status().updates == 2; }));
  EXPECT_EQ(aspa_table(f.store), (std::vector<aspa::AspaRecord>{{base::Asn(64496), {p2, p3}}}));

  auto slurm = std::make_shared<Slurm>();
  slurm->aspa_filters.push_back(AspaFilter{base::Asn(64496), std::nullopt, std::nullopt});
  ASSERT_TRUE(f.set->set_slurm(slurm).has_value());
  EXPECT_TRUE(aspa_table(f.store).empty());
  ASSERT_TRUE(f.set->set_slurm(nullptr).has_value());
  EXPECT_EQ(aspa_table(f.store), (std::vector<aspa::AspaRecord>{{base::Asn(64496), {p2, p3}}}));

  f.cache.send({ErrorReportPdu{1, {}, "Internal Error"}});
  ASSERT_TRUE(run_until(f.io, [&] { return !f.status().in_sync; }));
  EXPECT_TRUE(aspa_table(f.store).empty());
  EXPECT_EQ(f.status().aspas, 0U);
}

TEST(RtrCacheSet, Rfc8210Sec5_11_FatalErrorReportDropIsCounted) {
  Fixture f;
  f.full_load();
  EXPECT_EQ(f.vrps(), 3U);
  EXPECT_EQ(f.status().drops, (std::array<std::uint64_t, 3>{0, 0, 0}));
  f.cache.send({ErrorReportPdu{1, {}, "Internal Error"}});
  ASSERT_TRUE(run_until(f.io, [&] { return f.vrps() == 0; }));
  const auto s = f.status();
  EXPECT_FALSE(s.in_sync);
  EXPECT_EQ(s.vrps, 0U);
  EXPECT_EQ(s.drops[static_cast<std::size_t>(RtrDropReason::ErrorReport)], 1U);
  EXPECT_EQ(s.drops[static_cast<std::size_t>(RtrDropReason::Expired)], 0U);
  EXPECT_EQ(s.drops[static_cast<std::size_t>(RtrDropReason::ProtocolError)], 0U);
}

TEST(RtrCacheSet, StoreRefusalLeavesTheRecordsAsTheyWere) {
  Fixture f;
  f.full_load();
  // Someone else takes kA out of the store behind the set's back, so the cache's withdrawal
  // of kA cannot be applied.
  Delta behind;
  behind.vrps.push_back({VrpEntry{kA.prefix, 24, kA.asn, {}}, false});
  ASSERT_TRUE(f.store.apply(behind).has_value());
  f.cache.script({CacheResponsePdu{7}, PrefixPdu{false, kA.prefix, 24, kA.asn},
                  PrefixPdu{false, kC.prefix, 24, kC.asn}, end_of_data(2)});
  f.cache.send({SerialNotifyPdu{7, 2}});
  ASSERT_TRUE(run_until(f.io, [&] { return !f.warnings.empty(); }));
  EXPECT_NE(f.warnings.back().find("internal error"), std::string::npos) << f.warnings.back();
  // Nothing of the refused delta was taken: kC is still in the store and in the records.
  const auto s = f.status();
  EXPECT_EQ(s.vrps, 3U);
  EXPECT_EQ(s.updates, 1U);
  EXPECT_EQ(f.vrps(), 2U);
  EXPECT_TRUE(f.store.snapshot()->vrps.contains(VrpEntry{kC.prefix, 24, kC.asn, {}}));
}

// ===== reconfigure (a reload of [[rpki.cache]]) =====

RtrCacheConfig cache_config(const FakeCache& cache, const char* address,
                            std::uint8_t preference = 1) {
  RtrCacheConfig config;
  config.host = address;
  config.port = cache.port();
  config.preference = preference;
  return config;
}

struct ReconfigureFixture {
  asio::io_context io;
  FakeCache a{io, "127.0.3.1"};
  FakeCache b{io, "127.0.3.2"};
  FakeCache c{io, "127.0.3.3"};
  RpkiStore store;
  int changes = 0;
  RtrCacheSet set{io,
                  store,
                  {},
                  RtrCacheSet::Handlers{.on_change = [this](const ChangeSet&) { ++changes; },
                                        .on_log = nullptr}};
  [[nodiscard]] bool has(const PrefixPdu& p) const {
    return store.snapshot()->vrps.contains(VrpEntry{p.prefix, p.max_length, p.asn, {}});
  }
  [[nodiscard]] std::optional<RtrCacheStatus> status(const std::string& name) const {
    for (auto& s : set.status()) {
      if (s.name == name) {
        return s;
      }
    }
    return std::nullopt;
  }
  [[nodiscard]] bool in_sync(const std::string& name) const {
    const auto s = status(name);
    return s && s->connected && s->in_sync;
  }
};

TEST(RtrCacheSet, ReconfigureAddsAndRemovesCachesAndKeepsTheUnchangedSession) {
  ReconfigureFixture f;
  const auto a = cache_config(f.a, "127.0.3.1");
  const auto b = cache_config(f.b, "127.0.3.2");
  const auto c = cache_config(f.c, "127.0.3.3", 2);  // a worse preference group
  f.set.start();  // nothing configured yet (a daemon without caches before a reload)
  EXPECT_TRUE(f.set.status().empty());

  f.a.script({CacheResponsePdu{7}, kA, end_of_data(1)});
  auto changes = f.set.reconfigure({a}, std::chrono::seconds(10));
  EXPECT_EQ(changes.added, std::vector<std::string>{a.name()});
  EXPECT_TRUE(changes.removed.empty() && changes.changed.empty() && !changes.failover_changed);
  ASSERT_TRUE(run_until(f.io, [&] { return f.in_sync(a.name()) && f.has(kA); }));

  // b beside a (same preference: both in use, data merged); c in a worse group is configured
  // but not connected while a preferred cache is in sync (RFC 8210 §10).
  f.b.script({CacheResponsePdu{7}, kA, kC, end_of_data(1)});
  changes = f.set.reconfigure({a, b, c}, std::chrono::seconds(20));
  EXPECT_EQ(changes.added, (std::vector<std::string>{b.name(), c.name()}));
  EXPECT_TRUE(changes.removed.empty() && changes.changed.empty());
  EXPECT_TRUE(changes.failover_changed);
  ASSERT_TRUE(run_until(f.io, [&] { return f.in_sync(b.name()) && f.has(kC); }));
  EXPECT_EQ(f.a.connections, 1);  // a's session stayed up ...
  EXPECT_EQ(f.a.queries, 1);      // ... without a new Reset Query
  EXPECT_EQ(f.status(a.name())->connects, 1U);
  EXPECT_FALSE(f.status(c.name())->active);
  EXPECT_EQ(f.c.connections, 0);

  // The same again: nothing changes.
  EXPECT_TRUE(f.set.reconfigure({c, b, a}, std::chrono::seconds(20)).empty());

  // a removed: its session closes, and what only a had (nothing: b has kA too) stays; then b
  // removed: kA and kC leave the store at once, and c's group is the one in use now.
  const int before = f.changes;
  changes = f.set.reconfigure({b, c}, std::chrono::seconds(20));
  EXPECT_EQ(changes.removed, std::vector<std::string>{a.name()});
  EXPECT_TRUE(changes.added.empty() && changes.changed.empty() && !changes.failover_changed);
  EXPECT_FALSE(f.status(a.name()));
  EXPECT_TRUE(f.has(kA));
  EXPECT_EQ(f.changes, before);  // kA is still announced by b
  ASSERT_TRUE(run_until(f.io, [&] { return f.a.closed; }));
  changes = f.set.reconfigure({c}, std::chrono::seconds(20));
  EXPECT_EQ(changes.removed, std::vector<std::string>{b.name()});
  EXPECT_FALSE(f.has(kA));
  EXPECT_FALSE(f.has(kC));
  EXPECT_EQ(f.changes, before + 1);
  EXPECT_TRUE(f.status(c.name())->active);
  ASSERT_TRUE(run_until(f.io, [&] { return f.b.closed && f.c.connections == 1; }));
  EXPECT_EQ(f.a.connections, 1);  // never connected again
}

TEST(RtrCacheSet, ReconfigureReconnectsAChangedCache) {
  ReconfigureFixture f;
  const auto a = cache_config(f.a, "127.0.3.1");
  f.a.script({CacheResponsePdu{7}, kA, kB, end_of_data(1)});
  static_cast<void>(f.set.reconfigure({a}, std::chrono::seconds(10)));
  f.set.start();
  ASSERT_TRUE(run_until(f.io, [&] { return f.in_sync(a.name()) && f.has(kB); }));

  // Another preference: the session is replaced, and the data leaves until the new session
  // has sent it again.
  auto changed = a;
  changed.preference = 3;
  f.a.script({CacheResponsePdu{7}, kA, end_of_data(1)});
  const auto changes = f.set.reconfigure({changed}, std::chrono::seconds(10));
  EXPECT_EQ(changes.changed, std::vector<std::string>{a.name()});
  EXPECT_TRUE(changes.added.empty() && changes.removed.empty());
  EXPECT_FALSE(f.has(kA));
  EXPECT_FALSE(f.has(kB));
  ASSERT_TRUE(run_until(f.io, [&] { return f.a.connections == 2 && f.in_sync(a.name()); }));
  EXPECT_TRUE(f.has(kA));
  EXPECT_FALSE(f.has(kB));
  EXPECT_EQ(f.status(a.name())->preference, 3);
}

}  // namespace
}  // namespace bgpsecd::rpki
