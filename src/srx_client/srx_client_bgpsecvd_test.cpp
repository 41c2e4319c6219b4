// SPDX-License-Identifier: BSD-2-Clause
// SrxClientConnection against a real bgpsecvd (BGPSECVD and BGPSEC come from ctest, see
// CMakeLists.txt): a signed route gets its receipt and Valid results, the server signs it on
// (SIGN_REQUEST); then bgpsecvd is killed, the connection goes down and keeps trying, and when
// bgpsecvd is back the route is sent again and Valid again. Address 127.0.37.1, port 17995.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/hex.hpp"
#include "srx_client/srx_client_connection.hpp"

namespace bgpsecd::srx_client {
namespace {

constexpr const char* kAddress = "127.0.37.1";
constexpr std::uint16_t kPort = 17995;
constexpr std::uint32_t kRouterAs = 65000;
constexpr std::uint32_t kOriginAs = 65001;
constexpr std::uint32_t kNeighbourAs = 65002;
constexpr std::uint32_t kPeerAs = 65003;
constexpr const char* kPrefix = "10.40.1.0/24";

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// Runs a shell command; its standard output, or nullopt when it failed.
std::optional<std::string> run(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) {
    return std::nullopt;
  }
  std::string out;
  std::array<char, 4096> chunk{};
  while (auto n = std::fread(chunk.data(), 1, chunk.size(), pipe.get())) {
    out.append(chunk.data(), n);
  }
  if (pclose(pipe.release()) != 0) {
    return std::nullopt;
  }
  return out;
}

class BgpsecvdProcess {
 public:
  BgpsecvdProcess(std::string binary, std::vector<std::string> args, std::string log)
      : binary_(std::move(binary)), args_(std::move(args)), log_(std::move(log)) {}
  BgpsecvdProcess(const BgpsecvdProcess&) = delete;
  BgpsecvdProcess& operator=(const BgpsecvdProcess&) = delete;
  ~BgpsecvdProcess() { kill(); }

  bool start() {
    pid_ = fork();
    if (pid_ == 0) {
      std::freopen(log_.c_str(), "a", stdout);
      std::freopen(log_.c_str(), "a", stderr);
      std::vector<char*> argv;
      argv.push_back(binary_.data());
      for (auto& arg : args_) {
        argv.push_back(arg.data());
      }
      // bgpsecvd refuses to run as root unless told to; CI runs the tests as root.
      std::string allow_root = "--allow-root";
      if (geteuid() == 0) {
        argv.push_back(allow_root.data());
      }
      argv.push_back(nullptr);
      execv(binary_.c_str(), argv.data());
      _exit(127);
    }
    return pid_ > 0;
  }
  void kill() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }

 private:
  std::string binary_;
  std::vector<std::string> args_;
  std::string log_;
  pid_t pid_ = -1;
};

class SrxClientBgpsecvd : public ::testing::Test {
 protected:
  void SetUp() override {
    vd_ = env("BGPSECVD");
    tool_ = env("BGPSEC");
    if (vd_.empty() || tool_.empty()) {
      GTEST_SKIP() << "BGPSECVD and BGPSEC are not set (run by ctest)";
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "srx-client.XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    work_ = pattern;
  }
  void TearDown() override {
    if (!work_.empty() && env("KEEP").empty()) {
      std::filesystem::remove_all(work_);
    }
  }

  // Runs the io_context until `done` holds or `seconds` pass.
  bool run_until(const std::function<bool()>& done, int seconds) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (!done()) {
      if (std::chrono::steady_clock::now() >= end) {
        return false;
      }
      io_.run_for(std::chrono::milliseconds(50));
      if (io_.stopped()) {
        io_.restart();
      }
    }
    return true;
  }

  std::string log_tail() {
    std::ifstream in(work_ + "/bgpsecvd.log");
    std::stringstream text;
    text << in.rdbuf();
    const auto all = text.str();
    return all.size() > 3000 ? all.substr(all.size() - 3000) : all;
  }

  std::string vd_;
  std::string tool_;
  std::string work_;
  asio::io_context io_;
};

TEST_F(SrxClientBgpsecvd, SignedRouteIsValidAndSurvivesAServerRestart) {
  const std::string keys = work_ + "/keys";
  for (const auto asn : {kRouterAs, kOriginAs, kNeighbourAs}) {
    ASSERT_TRUE(run(tool_ + " keygen --asn " + std::to_string(asn) + " --out " + keys));
  }
  const std::string rpki = work_ + "/rpki.json";
  auto rpki_text = run(tool_ + " rpki-json --key-dir " + keys +
                       " --roa 10.40.0.0/16-24=" + std::to_string(kOriginAs));
  ASSERT_TRUE(rpki_text);
  std::ofstream(rpki) << *rpki_text;
  auto signed_json = run(tool_ + " sign --prefix " + kPrefix + " --as-path '" +
                         std::to_string(kNeighbourAs) + " " + std::to_string(kOriginAs) +
                         "' --target-as " + std::to_string(kRouterAs) + " --key-dir " + keys);
  ASSERT_TRUE(signed_json);
  auto attribute =
      base::from_hex(nlohmann::json::parse(*signed_json)["attribute"].get<std::string>());
  ASSERT_TRUE(attribute);

  BgpsecvdProcess server(
      vd_,
      {"--listen", std::string(kAddress) + ":" + std::to_string(kPort), "--rpki", rpki, "--key-dir",
       keys, "--control-socket", "none", "--log-level", "debug"},
      work_ + "/bgpsecvd.log");
  ASSERT_TRUE(server.start());

  std::vector<ResultEvent> events;
  std::vector<std::pair<ProxyState, std::string>> states;
  std::vector<base::Result<base::Bytes, srx::SrxError>> signs;
  SrxClientConnection::Handlers handlers;
  handlers.core.results = [&](const ResultEvent& event) { events.push_back(event); };
  handlers.core.signed_path = [&](RouteKey, const SignParameters&,
                                  base::Result<base::Bytes, srx::SrxError> answer) {
    signs.push_back(std::move(answer));
  };
  handlers.state_changed = [&](ProxyState state, const std::string& why) {
    states.emplace_back(state, why);
  };
  SrxClientOptions options;
  options.server = service::parse_endpoint(kAddress, kPort).value();
  options.connect_timeout = std::chrono::milliseconds(1000);
  options.first_backoff = std::chrono::milliseconds(100);
  options.max_backoff = std::chrono::milliseconds(400);
  options.tick_interval = std::chrono::milliseconds(200);
  ProxyCore::Options core_options;
  core_options.proxy_id = 7;
  core_options.asn = kRouterAs;
  auto connection = std::make_shared<SrxClientConnection>(io_, options, core_options, handlers);
  auto& core = connection->core();

  RouteRequest route;
  route.prefix = base::Prefix::parse(kPrefix).value();
  route.origin_as = kOriginAs;
  route.as_path = {kNeighbourAs, kOriginAs};
  route.bgpsec_attribute = *attribute;
  route.local_as = kRouterAs;
  ASSERT_TRUE(core.submit(1, route, std::chrono::steady_clock::now()));
  connection->start();

  const auto valid = [&] {
    auto results = core.results(1);
    return core.route(1)->pending == 0 && results && results->origin == srx::SrxResult::Valid &&
           results->path == srx::SrxResult::Valid;
  };
  ASSERT_TRUE(run_until(valid, 20)) << log_tail();
  EXPECT_EQ(core.state(), ProxyState::Active);
  EXPECT_GE(core.counters().receipts, 1U);
  ASSERT_TRUE(core.route(1)->update_id);
  ASSERT_FALSE(events.empty());

  // docs/srx-proxy.md §9: block type 0, the whole new attribute (flags 0x90, type 33).
  ASSERT_TRUE(core.sign(1, SignParameters{1, 0, 1, kPeerAs}, std::chrono::steady_clock::now()));
  ASSERT_TRUE(run_until([&] { return !signs.empty(); }, 10)) << log_tail();
  ASSERT_TRUE(signs[0]) << signs[0].error().message;
  ASSERT_GE(signs[0]->size(), 4U);
  EXPECT_EQ((*signs[0])[0] & 0x10, 0x10);
  EXPECT_EQ((*signs[0])[1], 33);

  // The server goes away without GOODBYE: the connection is lost and keeps being retried.
  server.kill();
  ASSERT_TRUE(run_until([&] { return core.state() == ProxyState::Disconnected; }, 10));
  EXPECT_EQ(core.route(1)->pending, srx::kFlagOrigin | srx::kFlagPath);
  EXPECT_EQ(core.results(1)->path, srx::SrxResult::Valid);  // the last known result stays
  const auto connects = connection->connects();
  ASSERT_TRUE(run_until([&] { return connection->connects() >= connects + 2; }, 10));
  EXPECT_NE(core.state(), ProxyState::Active);

  // Back again: the route is sent again and answered again.
  const auto events_before = events.size();
  ASSERT_TRUE(server.start());
  ASSERT_TRUE(run_until(valid, 20)) << log_tail();
  EXPECT_EQ(core.state(), ProxyState::Active);
  EXPECT_GT(events.size(), events_before);
  bool saw_active = false;
  bool saw_lost = false;
  for (const auto& [state, why] : states) {
    saw_active = saw_active || state == ProxyState::Active;
    saw_lost = saw_lost || (state == ProxyState::Disconnected && why == "closed by the server");
  }
  EXPECT_TRUE(saw_active);
  EXPECT_TRUE(saw_lost);

  connection->stop();
  server.kill();
}

}  // namespace
}  // namespace bgpsecd::srx_client
