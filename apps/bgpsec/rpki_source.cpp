// SPDX-License-Identifier: BSD-2-Clause
// Where `bgpsec` commands get RPKI data from: a JSON file or one cache over RTR.
#include "rpki_source.hpp"

#include <iostream>
#include <memory>
#include <optional>

#include "rpki/rtr_transport.hpp"

namespace bgpsecd::tool {

base::Result<rpki::RpkiData> fetch_from_cache(const std::string& address, int version,
                                              std::chrono::seconds timeout, bool verbose) {
  auto config = rpki::parse_cache_address(address);
  if (!config) {
    return base::fail(config.error().message);
  }
  config->max_version = static_cast<std::uint8_t>(version);
  asio::io_context io;
  std::optional<rpki::RpkiData> data;
  std::string last_problem = "no answer";
  bool no_data = false;
  std::shared_ptr<rpki::RtrTcpSession> session;
  session = std::make_shared<rpki::RtrTcpSession>(
      io, *config,
      rpki::RtrTcpSession::Handlers{
          .on_update =
              [&](const rpki::RtrDataUpdate& update) {
                if (update.reset) {
                  data = update.announced;
                  session->stop();
                  io.stop();
                }
              },
          .on_drop_all = [&](const rpki::RtrDropAll& drop) { last_problem = drop.reason; },
          .on_error_report =
              [&](const rpki::ErrorReportPdu& report) {
                // RFC 8210 §12: No Data Available is transient for a router, which asks again
                // after Retry (600 s by default); a one-shot command says so at once instead.
                if (report.code ==
                    static_cast<std::uint16_t>(rpki::RtrErrorCode::NoDataAvailable)) {
                  last_problem = "the cache has no data to serve (Error Report No Data Available)";
                  no_data = true;
                  session->stop();
                  io.stop();
                }
              },
          .on_log =
              [&](rpki::RtrLogLevel level, const std::string& line) {
                if (level != rpki::RtrLogLevel::Debug) {
                  last_problem = line;
                }
                if (verbose) {
                  std::cerr << line << '\n';
                }
              },
      });
  session->start();
  asio::steady_timer deadline(io, timeout);
  deadline.async_wait([&](const asio::error_code& ec) {
    if (!ec) {
      session->stop();
      io.stop();
    }
  });
  io.run();
  if (!data && no_data) {
    return base::fail("cache " + config->name() + ": " + last_problem);
  }
  if (!data) {
    return base::fail("cache " + config->name() + ": no complete data within " +
                      std::to_string(timeout.count()) + " s (last: " + last_problem + ")");
  }
  return *data;
}

base::Result<rpki::RpkiData> load_rpki_source(const std::string& file, const std::string& cache) {
  if (file.empty() == cache.empty()) {
    return base::fail("give one of --rpki FILE and --cache HOST:PORT");
  }
  if (!file.empty()) {
    return rpki::load_rpki_json_file(file, rpki::unix_now());
  }
  return fetch_from_cache(cache, rpki::kRtrMaxVersion, std::chrono::seconds(30), false);
}

}  // namespace bgpsecd::tool
