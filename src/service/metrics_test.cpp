// SPDX-License-Identifier: BSD-2-Clause
// The Prometheus registry's exposition text (format 0.0.4) byte for byte, and GET /metrics
// over a real loopback connection (port 17990 is this test's; 17991 for the port-0 check).
#include "service/metrics.hpp"

#include <cmath>
#include <limits>
#include <thread>

#include <gtest/gtest.h>

namespace bgpsecd::service {
namespace {

TEST(Metrics, ExpositionTextExactly) {
  MetricsRegistry registry;
  registry
      .counter("bgpsecd_updates_received_total", "UPDATE messages received.",
               {{"peer", "127.0.0.3"}})
      .inc(2);
  auto& updates = registry.counter("bgpsecd_updates_received_total", "ignored later help",
                                   {{"peer", "127.0.0.2"}});
  updates.inc();
  updates.inc(4);
  registry.gauge("bgpsecd_sessions_established", "Sessions in Established.").set(3);
  registry.gauge("bgpsecd_cpu_ratio", "A fractional gauge.").set(0.25);
  int prefixes = 7;
  registry.gauge_callback("bgpsecd_prefixes_received", "Prefixes in the Adj-RIB-In.",
                          {{"peer", "::1"}, {"afi", "ipv6"}}, [&prefixes] { return prefixes; });
  prefixes = 9;  // evaluated at scrape time, not at registration
  registry.family_callback("bgpsecd_rpki_cache_up", "1 when the RTR cache is connected.",
                           MetricType::Gauge, [] {
                             return std::vector<MetricSample>{{{{"cache", "127.0.0.1:8282"}}, 1},
                                                              {{{"cache", "[::1]:8282"}}, 0}};
                           });

  EXPECT_EQ(registry.expose(),
            "# HELP bgpsecd_cpu_ratio A fractional gauge.\n"
            "# TYPE bgpsecd_cpu_ratio gauge\n"
            "bgpsecd_cpu_ratio 0.25\n"
            "# HELP bgpsecd_prefixes_received Prefixes in the Adj-RIB-In.\n"
            "# TYPE bgpsecd_prefixes_received gauge\n"
            "bgpsecd_prefixes_received{afi=\"ipv6\",peer=\"::1\"} 9\n"
            "# HELP bgpsecd_rpki_cache_up 1 when the RTR cache is connected.\n"
            "# TYPE bgpsecd_rpki_cache_up gauge\n"
            "bgpsecd_rpki_cache_up{cache=\"127.0.0.1:8282\"} 1\n"
            "bgpsecd_rpki_cache_up{cache=\"[::1]:8282\"} 0\n"
            "# HELP bgpsecd_sessions_established Sessions in Established.\n"
            "# TYPE bgpsecd_sessions_established gauge\n"
            "bgpsecd_sessions_established 3\n"
            "# HELP bgpsecd_updates_received_total UPDATE messages received.\n"
            "# TYPE bgpsecd_updates_received_total counter\n"
            "bgpsecd_updates_received_total{peer=\"127.0.0.2\"} 5\n"
            "bgpsecd_updates_received_total{peer=\"127.0.0.3\"} 2\n");
}

TEST(Metrics, HistogramExpositionExactly) {
  MetricsRegistry registry;
  base::LatencyHistogram latency;
  latency.observe(std::chrono::microseconds(800));
  latency.observe(std::chrono::milliseconds(40));
  latency.observe(std::chrono::seconds(12));
  registry.family_callback("bgpsecd_answer_seconds", "Request to answer.", MetricType::Histogram,
                           [&latency] {
                             return histogram_samples(latency, {{"server", "a"}});
                           });
  EXPECT_EQ(registry.expose(),
            "# HELP bgpsecd_answer_seconds Request to answer.\n"
            "# TYPE bgpsecd_answer_seconds histogram\n"
            "bgpsecd_answer_seconds_bucket{le=\"0.001\",server=\"a\"} 1\n"
            "bgpsecd_answer_seconds_bucket{le=\"0.0025\",server=\"a\"} 1\n"
            "bgpsecd_answer_seconds_bucket{le=\"0.005\",server=\"a\"} 1\n"
            "bgpsecd_answer_seconds_bucket{le=\"0.01\",server=\"a\"} 1\n"
            "bgpsecd_answer_seconds_bucket{le=\"0.025\",server=\"a\"} 1\n"
            "bgpsecd_answer_seconds_bucket{le=\"0.05\",server=\"a\"} 2\n"
            "bgpsecd_answer_seconds_bucket{le=\"0.1\",server=\"a\"} 2\n"
            "bgpsecd_answer_seconds_bucket{le=\"0.25\",server=\"a\"} 2\n"
            "bgpsecd_answer_seconds_bucket{le=\"0.5\",server=\"a\"} 2\n"
            "bgpsecd_answer_seconds_bucket{le=\"1\",server=\"a\"} 2\n"
            "bgpsecd_answer_seconds_bucket{le=\"2.5\",server=\"a\"} 2\n"
            "bgpsecd_answer_seconds_bucket{le=\"10\",server=\"a\"} 2\n"
            "bgpsecd_answer_seconds_bucket{le=\"+Inf\",server=\"a\"} 3\n"
            "bgpsecd_answer_seconds_sum{server=\"a\"} 12.0408\n"
            "bgpsecd_answer_seconds_count{server=\"a\"} 3\n");
}

TEST(Metrics, LabelValuesAndHelpAreEscaped) {
  MetricsRegistry registry;
  registry
      .counter("bgpsecd_errors_total", "Errors \\ by \"reason\"\nsecond line",
               {{"reason", "a\"b\\c\nd"}})
      .inc();
  EXPECT_EQ(registry.expose(),
            "# HELP bgpsecd_errors_total Errors \\\\ by \"reason\"\\nsecond line\n"
            "# TYPE bgpsecd_errors_total counter\n"
            "bgpsecd_errors_total{reason=\"a\\\"b\\\\c\\nd\"} 1\n");
  EXPECT_EQ(escape_label_value("127.0.0.2"), "127.0.0.2");
}

TEST(Metrics, RemovingSeries) {
  MetricsRegistry registry;
  registry.counter("bgpsecd_updates_received_total", "h", {{"peer", "a"}}).inc();
  registry.counter("bgpsecd_updates_received_total", "h", {{"peer", "b"}}).inc();
  registry.gauge("bgpsecd_prefixes", "h", {{"peer", "a"}, {"afi", "ipv4"}}).set(1);
  registry.remove_matching("peer", "a");
  registry.remove("bgpsecd_updates_received_total", {{"peer", "b"}});
  EXPECT_EQ(registry.expose(),
            "# HELP bgpsecd_prefixes h\n# TYPE bgpsecd_prefixes gauge\n"
            "# HELP bgpsecd_updates_received_total h\n"
            "# TYPE bgpsecd_updates_received_total counter\n");
}

TEST(Metrics, ValueFormatting) {
  EXPECT_EQ(format_metric_value(0), "0");
  EXPECT_EQ(format_metric_value(-3), "-3");
  EXPECT_EQ(format_metric_value(1e15), "1000000000000000");
  EXPECT_EQ(format_metric_value(0.1), "0.1");
  EXPECT_EQ(format_metric_value(1e300), "1e+300");
  EXPECT_EQ(format_metric_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_metric_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_metric_value(std::nan("")), "NaN");
}

TEST(Metrics, NameRules) {
  EXPECT_TRUE(valid_metric_name("bgpsecd_updates_received_total"));
  EXPECT_TRUE(valid_metric_name("ns:sub_metric"));
  EXPECT_FALSE(valid_metric_name("1bad"));
  EXPECT_FALSE(valid_metric_name("bad-name"));
  EXPECT_FALSE(valid_metric_name(""));
  EXPECT_TRUE(valid_label_name("peer"));
  EXPECT_FALSE(valid_label_name("__name"));
  EXPECT_FALSE(valid_label_name("a:b"));
}

TEST(MetricsHttp, RespondsPerRequestLine) {
  asio::io_context io;
  MetricsRegistry registry;
  registry.gauge("bgpsecd_up", "1.").set(1);
  auto server = std::make_shared<MetricsServer>(io, registry);
  const std::string body = "# HELP bgpsecd_up 1.\n# TYPE bgpsecd_up gauge\nbgpsecd_up 1\n";
  EXPECT_EQ(server->respond("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
            "Content-Length: " +
                std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  EXPECT_TRUE(server->respond("GET /metrics?x=1 HTTP/1.0\r\n\r\n").starts_with("HTTP/1.1 200 OK"));
  EXPECT_TRUE(server->respond("GET / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 Not Found"));
  EXPECT_TRUE(server->respond("POST /metrics HTTP/1.1\r\n\r\n")
                  .starts_with("HTTP/1.1 405 Method Not Allowed"));
  EXPECT_TRUE(server->respond("hello\r\n\r\n").starts_with("HTTP/1.1 400 Bad Request"));
  const auto head = server->respond("HEAD /metrics HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(head.ends_with("\r\n\r\n")) << head;
}

// GET over TCP; returns everything the server sent until it closed the connection.
std::string http_get(std::uint16_t port, const std::string& request) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  asio::write(socket, asio::buffer(request));
  std::string response;
  asio::error_code ec;
  asio::read(socket, asio::dynamic_buffer(response), ec);
  EXPECT_EQ(ec, asio::error::eof);  // Connection: close
  return response;
}

class MetricsHttpServer : public ::testing::Test {
 protected:
  void start(std::uint16_t port) {
    registry_
        .counter("bgpsecd_updates_received_total", "UPDATE messages received.",
                 {{"peer", "127.0.0.2"}})
        .inc(3);
    server_ = std::make_shared<MetricsServer>(io_, registry_);
    const auto listening = server_->listen("127.0.0.1", port);
    ASSERT_TRUE(listening) << listening.error().message;
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    work_.reset();
    io_.stop();
    if (thread_.joinable()) {
      thread_.join();
    }
    if (server_) {
      server_->stop();
    }
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  MetricsRegistry registry_;
  std::shared_ptr<MetricsServer> server_;
  std::thread thread_;
};

TEST_F(MetricsHttpServer, ServesMetricsOnLoopback) {
  start(17990);
  ASSERT_EQ(server_->port(), 17990);
  const auto response = http_get(17990, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK\r\n")) << response;
  EXPECT_NE(response.find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_TRUE(
      response.ends_with("\r\n\r\n"
                         "# HELP bgpsecd_updates_received_total UPDATE messages received.\n"
                         "# TYPE bgpsecd_updates_received_total counter\n"
                         "bgpsecd_updates_received_total{peer=\"127.0.0.2\"} 3\n"))
      << response;

  EXPECT_TRUE(http_get(17990, "GET /other HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 "));
  // A request head over the bound gets 431, not an unbounded buffer.
  const std::string huge = "GET /metrics HTTP/1.1\r\nX: " + std::string(20000, 'a') + "\r\n\r\n";
  EXPECT_TRUE(http_get(17990, huge).starts_with("HTTP/1.1 431 ")) << "request too large";
}

TEST_F(MetricsHttpServer, PortZeroPicksAPort) {
  start(0);
  EXPECT_NE(server_->port(), 0);
  EXPECT_TRUE(
      http_get(server_->port(), "GET /metrics HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 200"));
}

TEST(MetricsHttp, RefusesNonLoopbackAddresses) {
  asio::io_context io;
  MetricsRegistry registry;
  auto server = std::make_shared<MetricsServer>(io, registry);
  const auto result = server->listen("0.0.0.0", 17991);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "metrics listener: 0.0.0.0 is not a loopback address");
}

}  // namespace
}  // namespace bgpsecd::service
