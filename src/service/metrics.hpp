// SPDX-License-Identifier: BSD-2-Clause
// A small Prometheus registry and its HTTP endpoint: counters and gauges with
// labels, gauges computed at scrape time, the text exposition format 0.0.4, and GET /metrics
// served on a loopback address. Names start with bgpsecd_ (bgpsecd(8) lists them), labels name the
// peer by its address text: bgpsecd_updates_received_total{peer="127.0.0.2"}.
//
// Threads: Counter and Gauge values are atomics, so crypto workers may bump them; registering
// and scraping take the registry's mutex. Callbacks run under that mutex on the scraping thread
// (the io_context's) and must not call back into the registry.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <asio.hpp>

#include "base/latency_histogram.hpp"
#include "base/result.hpp"

namespace bgpsecd::service {

// Label name/value pairs. Order does not matter: the registry sorts them by name.
using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(std::uint64_t by = 1) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void inc(double by = 1) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
  void dec(double by = 1) noexcept { value_.fetch_sub(by, std::memory_order_relaxed); }
  [[nodiscard]] double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// One sample of a callback family. A histogram's samples say which of its series they are by
// `suffix`: "_bucket" (with an `le` label), "_sum" or "_count".
struct MetricSample {
  MetricSample() = default;
  MetricSample(Labels labels_in, double value_in, std::string suffix_in = {})
      : labels(std::move(labels_in)), value(value_in), suffix(std::move(suffix_in)) {}

  Labels labels;
  double value = 0;
  std::string suffix;
};

enum class MetricType : std::uint8_t { Counter, Gauge, Histogram };

// The samples of one histogram series with these labels: a bucket per bound and +Inf, the sum
// and the count (format 0.0.4), for a MetricType::Histogram family_callback.
[[nodiscard]] std::vector<MetricSample> histogram_samples(const base::LatencyHistogram& histogram,
                                                          const Labels& labels);

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;
  MetricsRegistry(MetricsRegistry&&) = delete;
  MetricsRegistry& operator=(MetricsRegistry&&) = delete;
  ~MetricsRegistry() = default;

  // The series `name{labels}`, created on first use with value 0; later calls with the same
  // name and labels return the same object, which lives as long as the registry (or until
  // remove()). `help` is taken from the first call. Names and label names must be valid
  // Prometheus names and a name keeps one type: both are programming errors otherwise
  // (BGPSEC_CHECK), never input.
  Counter& counter(std::string_view name, std::string_view help, Labels labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, Labels labels = {});

  // A gauge series whose value is computed at each scrape (e.g. Adj-RIB-In size).
  void gauge_callback(std::string_view name, std::string_view help, Labels labels,
                      std::function<double()> value);
  // A whole family computed at each scrape, for series that come and go (per cache, per
  // state). Replaces an earlier callback of the same name. The samples' label sets should
  // differ; they are printed in the order given.
  void family_callback(std::string_view name, std::string_view help, MetricType type,
                       std::function<std::vector<MetricSample>()> samples);

  // Drops one series (e.g. a peer removed by reload); the family stays, with its HELP/TYPE.
  void remove(std::string_view name, Labels labels);
  // Drops every series in every family whose labels contain label=value (e.g. peer=...).
  void remove_matching(std::string_view label, std::string_view value);

  // The text exposition format 0.0.4: families sorted by name, each with # HELP and # TYPE,
  // series sorted by their (sorted) labels.
  [[nodiscard]] std::string expose() const;

 private:
  struct Series {
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::function<double()> callback;
  };
  struct Family {
    std::string help;
    MetricType type = MetricType::Counter;
    std::map<Labels, Series> series;
    std::function<std::vector<MetricSample>()> samples;
  };
  Family& family(std::string_view name, std::string_view help, MetricType type);

  mutable std::mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;
};

// ===== exposition helpers (exposed for tests) =====

// Label values escape backslash, double quote and newline (format 0.0.4).
[[nodiscard]] std::string escape_label_value(std::string_view value);
// HELP text escapes backslash and newline.
[[nodiscard]] std::string escape_help(std::string_view help);
// Integers without a fraction ("5"), others shortest round-trip, "+Inf", "-Inf", "NaN".
[[nodiscard]] std::string format_metric_value(double value);
[[nodiscard]] bool valid_metric_name(std::string_view name) noexcept;
[[nodiscard]] bool valid_label_name(std::string_view name) noexcept;

// ===== HTTP endpoint =====

// GET /metrics over HTTP/1.1 (one request per connection, Connection: close). Anything else
// gets 404 (other paths), 405 (other methods), 400 (not HTTP) or 431 (request head over
// kMaxRequestBytes). A client that sends nothing for kRequestTimeout is dropped.
class MetricsServer : public std::enable_shared_from_this<MetricsServer> {
 public:
  static constexpr std::size_t kMaxRequestBytes = 8192;
  static constexpr std::chrono::seconds kRequestTimeout{10};

  // Create with std::make_shared; the registry must outlive the server's io activity.
  MetricsServer(asio::io_context& io, const MetricsRegistry& registry);
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;
  MetricsServer(MetricsServer&&) = delete;
  MetricsServer& operator=(MetricsServer&&) = delete;
  ~MetricsServer();

  // Binds a loopback address (anything else is refused); port 0 picks one (see port()).
  [[nodiscard]] base::Result<void> listen(const std::string& address, std::uint16_t port);
  [[nodiscard]] std::uint16_t port() const;
  void stop();

  // The full HTTP response for one request head (exposed for tests).
  [[nodiscard]] std::string respond(std::string_view request_head) const;

 private:
  class Connection;
  void accept();

  asio::io_context& io_;
  const MetricsRegistry& registry_;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor_;
  std::vector<std::weak_ptr<Connection>> connections_;
  bool stopped_ = false;
};

}  // namespace bgpsecd::service
