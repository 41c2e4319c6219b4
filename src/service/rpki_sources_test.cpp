// SPDX-License-Identifier: BSD-2-Clause
// RpkiFiles: SLURM on the files' data (RFC 8416 §4), a bad SLURM or JSON file leaving the data
// in use unchanged, `expires` honoured after load (explicitly and by the timer), re-reads every
// reload_interval; a router key's expiry; and the RTR metric families.
#include "service/rpki_sources.hpp"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "base/hex.hpp"
#include "tests/vectors/rfc8608.hpp"

namespace bgpsecd::service {
namespace {
namespace fs = std::filesystem;

rpki::VrpEntry vrp(std::string_view prefix, std::uint32_t asn) {
  const auto p = base::Prefix::parse(prefix).value();
  return rpki::VrpEntry{p, p.length(), base::Asn(asn), std::nullopt};
}

// {"roas": [...]} with one ROA per (prefix, asn, expires or 0 for none).
std::string roas_json(
    const std::vector<std::tuple<std::string, std::uint32_t, std::int64_t>>& roas) {
  std::string out = R"({"roas": [)";
  for (std::size_t i = 0; i < roas.size(); ++i) {
    const auto& [prefix, asn, expires] = roas[i];
    const auto length = prefix.substr(prefix.find('/') + 1);
    out += (i == 0 ? "" : ", ") + std::string(R"({"prefix": ")") + prefix + R"(", "asn": )" +
           std::to_string(asn) + R"(, "maxLength": )" + length +
           (expires != 0 ? R"(, "expires": )" + std::to_string(expires) : "") + "}";
  }
  return out + "]}\n";
}

constexpr std::string_view kSlurm = R"({
  "slurmVersion": 1,
  "validationOutputFilters": {
    "prefixFilters": [{"prefix": "192.0.2.0/24", "comment": "not ours to judge"}],
    "bgpsecFilters": []
  },
  "locallyAddedAssertions": {
    "prefixAssertions": [{"asn": 64999, "prefix": "203.0.113.0/24"}],
    "bgpsecAssertions": []
  }
})";

class RpkiFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("bgpsecd-rpki-files-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    files_ = std::make_unique<RpkiFiles>(
        io_, store_,
        RpkiFiles::Handlers{
            .on_change =
                [this](const rpki::ChangeSet& change) {
                  ++changes_;
                  last_change_ = change;
                },
            .on_slurm = [this](const std::shared_ptr<const rpki::Slurm>&) { ++slurm_changes_; },
            .on_error = [this](const std::string& e) { errors_.push_back(e); },
        },
        [this] { return now_; });
  }
  void TearDown() override {
    files_.reset();
    fs::remove_all(dir_);
  }
  std::string write(const std::string& name, std::string_view text) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }
  [[nodiscard]] bool has(const rpki::VrpEntry& v) const {
    return store_.snapshot()->vrps.contains(v);
  }
  [[nodiscard]] std::size_t vrps() const { return store_.snapshot()->vrps.size(); }

  fs::path dir_;
  asio::io_context io_;
  rpki::RpkiStore store_;
  std::int64_t now_ = 1'800'000'000;
  int changes_ = 0;
  rpki::ChangeSet last_change_;
  int slurm_changes_ = 0;
  std::vector<std::string> errors_;
  std::unique_ptr<RpkiFiles> files_;
};

TEST_F(RpkiFilesTest, Rfc8416Sec4_SlurmFiltersTheFilesAndAddsItsAssertions) {
  RpkiConfig config;
  config.files = {write("rpki.json", roas_json({{"192.0.2.0/24", 65001, 0},
                                                {"192.0.2.0/25", 65001, 0},
                                                {"198.51.100.0/24", 65002, 0}}))};
  config.slurm_file = write("slurm.json", kSlurm);
  const auto loaded = files_->load(config);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(vrps(), 2U);
  EXPECT_TRUE(has(vrp("198.51.100.0/24", 65002)));
  EXPECT_TRUE(has(vrp("203.0.113.0/24", 64999)));  // asserted
  EXPECT_FALSE(has(vrp("192.0.2.0/25", 65001)));   // filtered (covered by the filter)
  EXPECT_EQ(slurm_changes_, 1);
  ASSERT_NE(files_->slurm(), nullptr);
  EXPECT_EQ(files_->slurm()->prefix_filters.size(), 1U);
  // The file's own counts are before SLURM.
  ASSERT_EQ(files_->files().size(), 1U);
  EXPECT_EQ(files_->files()[0].vrps, 3U);

  // The same SLURM again is no SLURM change; without it the filtered data comes back and the
  // assertion goes.
  ASSERT_TRUE(files_->load(config));
  EXPECT_EQ(slurm_changes_, 1);
  config.slurm_file.clear();
  ASSERT_TRUE(files_->load(config));
  EXPECT_EQ(slurm_changes_, 2);
  EXPECT_EQ(files_->slurm(), nullptr);
  EXPECT_EQ(vrps(), 3U);
  EXPECT_FALSE(has(vrp("203.0.113.0/24", 64999)));

  // A SLURM file alone (no JSON files) still asserts.
  config.files.clear();
  config.slurm_file = write("slurm.json", kSlurm);
  ASSERT_TRUE(files_->load(config));
  EXPECT_EQ(vrps(), 1U);
  EXPECT_TRUE(has(vrp("203.0.113.0/24", 64999)));
}

// docs/aspa.md §11.4: the files' ASPAs and the SLURM ASPA assertions reach the store, and a
// customer's provider set is the union over the files, the SLURM and any other source (here a
// delta standing for an RTR cache).
TEST_F(RpkiFilesTest, AspasOfFilesSlurmAndOtherSourcesUnite) {
  const auto file_with = [](const std::string& providers) {
    return R"({"roas": [], "provider_authorizations": {"ipv4": [{"customer_asid": 64496, )"
           R"("providers": [)" +
           providers + R"(]}], "ipv6": [{"customer_asid": 64510, "providers": [64511]}]}})";
  };
  constexpr std::string_view kAspaSlurm = R"({
    "slurmVersion": 2,
    "validationOutputFilters": {"prefixFilters": [], "bgpsecFilters": [],
                                "aspaFilters": [{"customer_asid": 64510}]},
    "locallyAddedAssertions": {"prefixAssertions": [], "bgpsecAssertions": [],
                               "aspaAssertions": [{"customer_asid": 64496, "provider_set": [64499]}]}
  })";
  rpki::Delta cache;
  cache.aspas.push_back({{base::Asn(64496), {base::Asn(64498)}}, true});
  ASSERT_TRUE(store_.apply(cache));

  RpkiConfig config;
  config.files = {write("rpki.json", file_with("64497"))};
  config.slurm_file = write("slurm.json", kAspaSlurm);
  const auto loaded = files_->load(config);
  ASSERT_TRUE(loaded) << loaded.error().message;
  const auto providers = [this] {
    std::vector<std::uint32_t> out;
    for (const auto p : store_.snapshot()->aspas.providers(base::Asn(64496))) {
      out.push_back(p);
    }
    return out;
  };
  EXPECT_EQ(providers(), (std::vector<std::uint32_t>{64497, 64498, 64499}));
  EXPECT_FALSE(store_.snapshot()->aspas.has_record(base::Asn(64510)));  // SLURM filter
  ASSERT_EQ(files_->files().size(), 1U);
  EXPECT_EQ(files_->files()[0].aspas, 2U);

  // The file changes its record: the other sources' sets stay.
  write("rpki.json", file_with("64500"));
  ASSERT_TRUE(files_->load(config));
  EXPECT_EQ(providers(), (std::vector<std::uint32_t>{64498, 64499, 64500}));
  // The cache withdraws its record: the file's and the SLURM's stay.
  rpki::Delta gone;
  gone.aspas.push_back({{base::Asn(64496), {base::Asn(64498)}}, false});
  ASSERT_TRUE(store_.apply(gone));
  EXPECT_EQ(providers(), (std::vector<std::uint32_t>{64499, 64500}));
  // Without the SLURM the filtered customer appears, and the assertion goes.
  config.slurm_file.clear();
  ASSERT_TRUE(files_->load(config));
  EXPECT_EQ(providers(), (std::vector<std::uint32_t>{64500}));
  EXPECT_TRUE(store_.snapshot()->aspas.has_record(base::Asn(64510)));
}

TEST_F(RpkiFilesTest, Rfc8416_BrokenSlurmIsAnErrorNamingTheEntryAndChangesNothing) {
  RpkiConfig config;
  config.files = {write("rpki.json", roas_json({{"192.0.2.0/24", 65001, 0}}))};
  config.slurm_file = write("slurm.json", kSlurm);
  ASSERT_TRUE(files_->load(config));
  const auto before = store_.snapshot();
  const int changes = changes_;

  std::string bad(kSlurm);
  const std::string_view asserted = R"("prefix": "203.0.113.0/24")";
  bad.replace(bad.find(asserted), asserted.size(),
              R"("prefix": "203.0.113.0/24", "maxPrefixLength": 33)");
  write("slurm.json", bad);
  const auto loaded = files_->load(config);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("slurm.json"), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("prefixAssertions[0]"), std::string::npos)
      << loaded.error().message;
  EXPECT_EQ(store_.snapshot(), before);  // not even a new generation
  EXPECT_EQ(changes_, changes);
  ASSERT_NE(files_->slurm(), nullptr);
  EXPECT_EQ(files_->slurm()->prefix_assertions.at(0).max_prefix_length, std::nullopt);

  // A missing JSON file: the same.
  config.files.push_back((dir_ / "missing.json").string());
  write("slurm.json", kSlurm);
  const auto missing = files_->load(config);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("missing.json"), std::string::npos);
  EXPECT_EQ(store_.snapshot(), before);
}

TEST_F(RpkiFilesTest, ExpiresIsHonouredAfterLoad) {
  RpkiConfig config;
  config.files = {write("rpki.json", roas_json({{"192.0.2.0/24", 65001, now_ + 10},
                                                {"198.51.100.0/24", 65002, now_ + 20},
                                                {"203.0.113.0/24", 65003, 0}}))};
  ASSERT_TRUE(files_->load(config));
  EXPECT_EQ(vrps(), 3U);
  EXPECT_EQ(files_->next_expiry(), now_ + 10);
  now_ += 10;  // still in use through its `expires` second
  files_->expire();
  EXPECT_EQ(vrps(), 3U);
  now_ += 1;
  const int changes = changes_;
  files_->expire();
  EXPECT_EQ(vrps(), 2U);
  EXPECT_FALSE(has(vrp("192.0.2.0/24", 65001)));
  EXPECT_EQ(changes_, changes + 1);
  EXPECT_EQ(files_->next_expiry(), now_ + 9);
  EXPECT_EQ(files_->files()[0].vrps, 2U);
  now_ += 100;
  files_->expire();
  EXPECT_EQ(vrps(), 1U);
  EXPECT_EQ(files_->next_expiry(), std::nullopt);
}

// The RFC 8608 example router key of AS64496 as a bgpsec_keys entry, with `expires` (0: none).
std::string router_key_json(std::int64_t expires) {
  const auto& key = test_vectors::router_key(0);
  const auto spki = test_vectors::field(key, "spki_der");
  return std::string(R"({"bgpsec_keys": [{"asn": )") + std::to_string(key.at("asn").get<int>()) +
         R"(, "ski": ")" + key.at("ski").get<std::string>() + R"(", "pubkey": ")" +
         base::to_base64(spki) + "\"" +
         (expires != 0 ? R"(, "expires": )" + std::to_string(expires) : "") + "}]}\n";
}

TEST_F(RpkiFilesTest, RouterKeyExpiryIsTheLatestOfTheFilesListingIt) {
  const auto& key = test_vectors::router_key(0);
  const base::Asn asn(key.at("asn").get<std::uint32_t>());
  const auto ski = base::Ski::from_hex(key.at("ski").get<std::string>()).value();
  RpkiConfig config;
  config.files = {write("a.json", router_key_json(now_ + 100)),
                  write("b.json", router_key_json(now_ + 500))};
  ASSERT_TRUE(files_->load(config));
  EXPECT_EQ(files_->router_key_expiry(asn, ski), now_ + 500);
  EXPECT_EQ(files_->router_key_expiry(base::Asn(64497), ski), std::nullopt);  // not listed
  now_ += 501;  // both ran out: no longer listed
  EXPECT_EQ(files_->router_key_expiry(asn, ski), std::nullopt);
  // A file that lists it without an end: it does not expire as far as the files know.
  config.files = {write("a.json", router_key_json(now_ + 100)),
                  write("b.json", router_key_json(0))};
  ASSERT_TRUE(files_->load(config));
  EXPECT_EQ(files_->router_key_expiry(asn, ski), std::nullopt);
}

TEST_F(RpkiFilesTest, ExpiryTimerTakesTheEntryOut) {
  RpkiConfig config;
  config.files = {
      write("rpki.json", roas_json({{"192.0.2.0/24", 65001, now_}, {"203.0.113.0/24", 65003, 0}}))};
  ASSERT_TRUE(files_->load(config));
  EXPECT_EQ(vrps(), 2U);
  now_ += 1;  // the timer (1 s) finds the entry expired
  io_.run_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(vrps(), 1U);
  EXPECT_TRUE(has(vrp("203.0.113.0/24", 65003)));
}

// A reload hands the store only the VRPs that differ, as references: a VRP listed twice in a
// file holds two, and a VRP that a cache also announced stays when the file drops it.
TEST_F(RpkiFilesTest, ReloadChangesOnlyTheVrpsThatDifferAndKeepsOtherSourcesReferences) {
  RpkiConfig config;
  config.files = {write("rpki.json", roas_json({{"192.0.2.0/24", 65001, 0},
                                                {"192.0.2.0/24", 65001, 0},
                                                {"198.51.100.0/24", 65002, 0},
                                                {"203.0.113.0/24", 65003, 0}}))};
  ASSERT_TRUE(files_->load(config));
  EXPECT_EQ(vrps(), 3U);
  EXPECT_EQ(store_.snapshot()->vrps.references(vrp("192.0.2.0/24", 65001)), 2U);
  EXPECT_EQ(last_change_.vrps_added.size(), 3U);
  // A cache in the same store announces one of the file's VRPs.
  rpki::Delta cache;
  cache.vrps.push_back({vrp("203.0.113.0/24", 65003), true});
  ASSERT_TRUE(store_.apply(cache));

  // Same content, in another order: nothing reaches the store.
  const int before = changes_;
  const auto generation = store_.snapshot()->generation;
  write("rpki.json", roas_json({{"203.0.113.0/24", 65003, 0},
                                {"192.0.2.0/24", 65001, 0},
                                {"198.51.100.0/24", 65002, 0},
                                {"192.0.2.0/24", 65001, 0}}));
  ASSERT_TRUE(files_->load(config));
  EXPECT_EQ(changes_, before);
  EXPECT_EQ(store_.snapshot()->generation, generation);

  // One duplicate gone, one VRP replaced, the cache's VRP dropped by the file.
  write("rpki.json", roas_json({{"192.0.2.0/24", 65001, 0}, {"198.51.100.0/24", 65004, 0}}));
  ASSERT_TRUE(files_->load(config));
  EXPECT_EQ(changes_, before + 1);
  EXPECT_EQ(store_.snapshot()->generation, generation + 1);
  EXPECT_EQ(store_.snapshot()->vrps.references(vrp("192.0.2.0/24", 65001)), 1U);
  EXPECT_EQ(store_.snapshot()->vrps.references(vrp("203.0.113.0/24", 65003)), 1U);
  EXPECT_TRUE(has(vrp("198.51.100.0/24", 65004)));
  EXPECT_FALSE(has(vrp("198.51.100.0/24", 65002)));
  EXPECT_EQ(vrps(), 3U);
  EXPECT_EQ(last_change_.vrps_added, std::vector{vrp("198.51.100.0/24", 65004)});
  EXPECT_EQ(last_change_.vrps_removed, std::vector{vrp("198.51.100.0/24", 65002)});

  // The cache withdraws its VRP: with the file no longer listing it, it is gone.
  rpki::Delta withdraw;
  withdraw.vrps.push_back({vrp("203.0.113.0/24", 65003), false});
  ASSERT_TRUE(store_.apply(withdraw));
  EXPECT_FALSE(has(vrp("203.0.113.0/24", 65003)));
}

TEST_F(RpkiFilesTest, ReloadIntervalRereadsTheFiles) {
  RpkiConfig config;
  config.reload_interval = std::chrono::seconds(1);
  config.files = {write("rpki.json", roas_json({{"192.0.2.0/24", 65001, 0}}))};
  ASSERT_TRUE(files_->load(config));
  write("rpki.json", roas_json({{"198.51.100.0/24", 65002, 0}}));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!has(vrp("198.51.100.0/24", 65002)) && std::chrono::steady_clock::now() < deadline) {
    io_.run_one_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(has(vrp("198.51.100.0/24", 65002)));
  EXPECT_EQ(vrps(), 1U);

  // A broken file on a timed re-read: an error, the data in use stays, and it is tried again.
  write("rpki.json", R"({"roas": [{"prefix": "192.0.2.0/33", "asn": 1, "maxLength": 33}]})");
  while (errors_.size() < 2 &&
         std::chrono::steady_clock::now() < deadline + std::chrono::seconds(5)) {
    io_.run_one_for(std::chrono::milliseconds(100));
  }
  ASSERT_GE(errors_.size(), 2U);
  EXPECT_NE(errors_[0].find("rpki.json"), std::string::npos) << errors_[0];
  EXPECT_NE(errors_[0].find("roas[0]"), std::string::npos) << errors_[0];
  EXPECT_TRUE(has(vrp("198.51.100.0/24", 65002)));
  EXPECT_GE(files_->reload_errors(), 2U);
}

TEST(RtrMetrics, DropsPerCacheAndReason) {
  MetricsRegistry registry;
  rpki::RtrCacheStatus a;
  a.name = "127.0.0.1:8282";
  a.connected = true;
  a.in_sync = true;
  a.drops[static_cast<std::size_t>(rpki::RtrDropReason::ErrorReport)] = 2;
  a.drops[static_cast<std::size_t>(rpki::RtrDropReason::Expired)] = 1;
  register_rtr_metrics(registry, [a] { return std::vector<rpki::RtrCacheStatus>{a}; });
  const auto text = registry.expose();
  EXPECT_NE(text.find("# TYPE bgpsecd_rtr_data_dropped_total counter\n"
                      "bgpsecd_rtr_data_dropped_total{cache=\"127.0.0.1:8282\",reason=\"expired\"} "
                      "1\n"
                      "bgpsecd_rtr_data_dropped_total{cache=\"127.0.0.1:8282\",reason=\"error_"
                      "report\"} 2\n"
                      "bgpsecd_rtr_data_dropped_total{cache=\"127.0.0.1:8282\",reason=\"protocol_"
                      "error\"} 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("bgpsecd_rtr_cache_in_sync{cache=\"127.0.0.1:8282\"} 1\n"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace bgpsecd::service
