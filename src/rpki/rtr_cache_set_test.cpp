// SPDX-License-Identifier: BSD-2-Clause
// RtrCacheSet against an in-process cache on 127.0.0.1 (port 0): SLURM filters between the
// caches and the store (RFC 8416 §4), drops counted by reason, and records that stay as they
// were when the store refuses a change.
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

// A cache that answers each query with the next scripted response, and sends other PDUs when
// the test says so. Version 1 only.
class FakeCache {
 public:
  explicit FakeCache(asio::io_context& io)
      : acceptor_(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        socket_(io) {
    acceptor_.async_accept(socket_, [this](const asio::error_code& ec) {
      if (!ec) {
        read();
      }
    });
  }
  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  void script(std::vector<RtrPdu> response) { responses_.push_back(std::move(response)); }
  void send(const std::vector<RtrPdu>& pdus) {
    auto out = std::make_shared<base::Bytes>();
    for (const auto& pdu : pdus) {
      const auto bytes = encode_rtr_pdu(pdu, kRtrVersion1).value();
      out->insert(out->end(), bytes.begin(), bytes.end());
    }
    asio::async_write(socket_, asio::buffer(*out), [out](const asio::error_code&, std::size_t) {});
  }
  int queries = 0;

 private:
  void read() {
    socket_.async_read_some(asio::buffer(buffer_),
                            [this](const asio::error_code& ec, std::size_t n) {
                              if (ec) {
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
                              read();
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

}  // namespace
}  // namespace bgpsecd::rpki
