// SPDX-License-Identifier: BSD-2-Clause
// Prometheus registry, text exposition 0.0.4 and the GET /metrics endpoint (metrics.hpp).
#include "service/metrics.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "base/check.hpp"

namespace bgpsecd::service {

// ===== names and escaping =====

namespace {

bool name_char(char c, bool first, bool colon_ok) noexcept {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  const bool digit = c >= '0' && c <= '9';
  return alpha || (!first && digit) || (colon_ok && c == ':');
}

Labels sorted(Labels labels) {
  std::sort(labels.begin(), labels.end());
  for (const auto& [name, value] : labels) {
    // Label names come from our own code, never from input (docs/style.md §2.7).
    BGPSEC_CHECK(valid_label_name(name), "invalid Prometheus label name");
  }
  return labels;
}

const char* type_name(MetricType type) noexcept {
  switch (type) {
    case MetricType::Counter:
      return "counter";
    case MetricType::Gauge:
      return "gauge";
    case MetricType::Histogram:
      return "histogram";
  }
  return "untyped";
}

void append_series(std::string& out, std::string_view name, const Labels& labels, double value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    bool first = true;
    for (const auto& [label, label_value] : labels) {
      if (!first) {
        out += ',';
      }
      first = false;
      out += label;
      out += "=\"";
      out += escape_label_value(label_value);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  out += format_metric_value(value);
  out += '\n';
}

}  // namespace

bool valid_metric_name(std::string_view name) noexcept {
  if (name.empty()) {
    return false;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!name_char(name[i], i == 0, true)) {
      return false;
    }
  }
  return true;
}

bool valid_label_name(std::string_view name) noexcept {
  if (name.empty() || name.starts_with("__")) {  // reserved for Prometheus itself
    return false;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!name_char(name[i], i == 0, false)) {
      return false;
    }
  }
  return true;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_metric_value(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  // Whole numbers below 2^53 print as integers ("5", not "5e+00").
  if (std::fabs(value) < 9007199254740992.0 && value == std::trunc(value)) {
    return std::to_string(static_cast<std::int64_t>(value));
  }
  std::array<char, 32> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  // 32 characters hold any shortest double representation.
  BGPSEC_CHECK(ec == std::errc(), "to_chars(double) overflow");
  return std::string(buffer.data(), end);
}

// ===== registry =====

MetricsRegistry::Family& MetricsRegistry::family(std::string_view name, std::string_view help,
                                                 MetricType type) {
  // Metric names are constants in our code (docs/style.md §2.7), so a bad one is a bug.
  BGPSEC_CHECK(valid_metric_name(name), "invalid Prometheus metric name");
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{}).first;
    it->second.help = std::string(help);
    it->second.type = type;
  }
  BGPSEC_CHECK(it->second.type == type, "metric registered twice with different types");
  return it->second;
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help, Labels labels) {
  const std::lock_guard lock(mutex_);
  auto& series = family(name, help, MetricType::Counter).series[sorted(std::move(labels))];
  if (!series.counter) {
    series.counter = std::make_unique<Counter>();
  }
  return *series.counter;
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help, Labels labels) {
  const std::lock_guard lock(mutex_);
  auto& series = family(name, help, MetricType::Gauge).series[sorted(std::move(labels))];
  if (!series.gauge) {
    series.gauge = std::make_unique<Gauge>();
  }
  return *series.gauge;
}

void MetricsRegistry::gauge_callback(std::string_view name, std::string_view help, Labels labels,
                                     std::function<double()> value) {
  const std::lock_guard lock(mutex_);
  auto& series = family(name, help, MetricType::Gauge).series[sorted(std::move(labels))];
  series.gauge.reset();
  series.callback = std::move(value);
}

void MetricsRegistry::family_callback(std::string_view name, std::string_view help, MetricType type,
                                      std::function<std::vector<MetricSample>()> samples) {
  const std::lock_guard lock(mutex_);
  family(name, help, type).samples = std::move(samples);
}

void MetricsRegistry::remove(std::string_view name, Labels labels) {
  const std::lock_guard lock(mutex_);
  if (const auto it = families_.find(name); it != families_.end()) {
    it->second.series.erase(sorted(std::move(labels)));
  }
}

void MetricsRegistry::remove_matching(std::string_view label, std::string_view value) {
  const std::lock_guard lock(mutex_);
  for (auto& [name, fam] : families_) {
    std::erase_if(fam.series, [&](const auto& entry) {
      return std::any_of(entry.first.begin(), entry.first.end(),
                         [&](const auto& l) { return l.first == label && l.second == value; });
    });
  }
}

std::string MetricsRegistry::expose() const {
  const std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, fam] : families_) {
    out += "# HELP " + name + " " + escape_help(fam.help) + "\n";
    out += "# TYPE " + name + " " + type_name(fam.type) + "\n";
    for (const auto& [labels, series] : fam.series) {
      double value = 0;
      if (series.counter) {
        value = static_cast<double>(series.counter->value());
      } else if (series.gauge) {
        value = series.gauge->value();
      } else if (series.callback) {
        value = series.callback();
      }
      append_series(out, name, labels, value);
    }
    if (fam.samples) {
      for (const auto& sample : fam.samples()) {
        append_series(out, name + sample.suffix, sorted(sample.labels), sample.value);
      }
    }
  }
  return out;
}

std::vector<MetricSample> histogram_samples(const base::LatencyHistogram& histogram,
                                            const Labels& labels) {
  std::vector<MetricSample> out;
  const auto bucket = [&](std::string le, std::uint64_t count) {
    auto with_le = labels;
    with_le.emplace_back("le", std::move(le));
    out.push_back(MetricSample{std::move(with_le), static_cast<double>(count), "_bucket"});
  };
  for (std::size_t i = 0; i < base::LatencyHistogram::kBounds.size(); ++i) {
    bucket(format_metric_value(base::LatencyHistogram::kBounds.at(i)), histogram.at_or_below(i));
  }
  bucket("+Inf", histogram.count());
  out.push_back(MetricSample{labels, histogram.sum_seconds(), "_sum"});
  out.push_back(MetricSample{labels, static_cast<double>(histogram.count()), "_count"});
  return out;
}

// ===== HTTP endpoint =====

namespace {

std::string http_response(std::string_view status, std::string_view content_type,
                          std::string_view body, bool head_only,
                          std::string_view extra_headers = {}) {
  std::string out = "HTTP/1.1 ";
  out += status;
  out += "\r\nContent-Type: ";
  out += content_type;
  out += "\r\nContent-Length: " + std::to_string(body.size());
  out += "\r\n";
  out += extra_headers;
  out += "Connection: close\r\n\r\n";
  if (!head_only) {
    out += body;
  }
  return out;
}

constexpr std::string_view kTextPlain = "text/plain; charset=utf-8";

}  // namespace

class MetricsServer::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::ip::tcp::socket socket, std::weak_ptr<MetricsServer> server)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), server_(std::move(server)) {}

  void start() {
    timer_.expires_after(kRequestTimeout);
    timer_.async_wait([self = weak_from_this()](const asio::error_code& ec) {
      if (auto s = self.lock(); s && !ec) {
        s->close();  // a client that never finishes its request
      }
    });
    asio::async_read_until(socket_, asio::dynamic_buffer(in_, kMaxRequestBytes), "\r\n\r\n",
                           [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
                             self->on_head(ec, n);
                           });
  }

  void close() {
    asio::error_code ignored;
    timer_.cancel();
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

 private:
  void on_head(const asio::error_code& ec, std::size_t n) {
    auto server = server_.lock();
    if (!server || server->stopped_) {
      return;
    }
    if (ec == asio::error::not_found) {
      out_ = http_response("431 Request Header Fields Too Large", kTextPlain, "request too large\n",
                           false);
    } else if (ec) {
      close();
      return;
    } else {
      out_ = server->respond(std::string_view(in_).substr(0, n));
    }
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this()](const asio::error_code& wec, std::size_t) {
                        if (wec) {
                          self->close();
                          return;
                        }
                        // Connection: close. Closing with unread request bytes would send a
                        // TCP RST that can destroy the response in flight (e.g. after a 431),
                        // so end our side and drain until the client closes (or the timer).
                        asio::error_code ignored;
                        self->socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
                        self->drain();
                      });
  }

  void drain() {
    socket_.async_read_some(asio::buffer(drain_buffer_),
                            [self = shared_from_this()](const asio::error_code& ec, std::size_t) {
                              if (ec) {
                                self->close();
                              } else {
                                self->drain();
                              }
                            });
  }

  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  std::weak_ptr<MetricsServer> server_;
  std::string in_;
  std::string out_;
  std::array<char, 4096> drain_buffer_{};
};

MetricsServer::MetricsServer(asio::io_context& io, const MetricsRegistry& registry)
    : io_(io), registry_(registry) {}

MetricsServer::~MetricsServer() { stop(); }

std::string MetricsServer::respond(std::string_view request_head) const {
  const auto line_end = request_head.find("\r\n");
  const std::string_view line = request_head.substr(0, line_end);
  // Request-Line = Method SP Request-URI SP HTTP-Version (RFC 9112 §3).
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos ||
      !line.substr(sp2 + 1).starts_with("HTTP/1.")) {
    return http_response("400 Bad Request", kTextPlain, "bad request\n", false);
  }
  const auto method = line.substr(0, sp1);
  auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  target = target.substr(0, target.find('?'));  // Prometheus may add query parameters
  const bool head = method == "HEAD";
  if (method != "GET" && !head) {
    return http_response("405 Method Not Allowed", kTextPlain, "method not allowed\n", false,
                         "Allow: GET, HEAD\r\n");
  }
  if (target != "/metrics") {
    return http_response("404 Not Found", kTextPlain, "not found; try /metrics\n", head);
  }
  return http_response("200 OK", "text/plain; version=0.0.4; charset=utf-8", registry_.expose(),
                       head);
}

base::Result<void> MetricsServer::listen(const std::string& address, std::uint16_t port) {
  if (acceptor_) {
    return base::fail("metrics listener: already listening");
  }
  asio::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) {
    return base::fail("metrics listener: '" + address + "' is not an IP address");
  }
  if (!ip.is_loopback()) {
    return base::fail("metrics listener: " + address + " is not a loopback address");
  }
  const asio::ip::tcp::endpoint endpoint(ip, port);
  auto acceptor = std::make_unique<asio::ip::tcp::acceptor>(io_);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) {
    acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor->bind(endpoint, ec);
  }
  if (!ec) {
    acceptor->listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return base::fail("metrics listener " + address + " port " + std::to_string(port) + ": " +
                      ec.message());
  }
  stopped_ = false;
  acceptor_ = std::move(acceptor);
  accept();
  return {};
}

std::uint16_t MetricsServer::port() const {
  if (!acceptor_) {
    return 0;
  }
  asio::error_code ec;
  const auto endpoint = acceptor_->local_endpoint(ec);
  return ec ? std::uint16_t{0} : endpoint.port();
}

void MetricsServer::accept() {
  acceptor_->async_accept(
      [self = weak_from_this()](const asio::error_code& ec, asio::ip::tcp::socket socket) {
        auto s = self.lock();
        if (!s || s->stopped_ || !s->acceptor_ || ec == asio::error::operation_aborted) {
          return;
        }
        if (!ec) {
          auto connection = std::make_shared<Connection>(std::move(socket), s);
          std::erase_if(s->connections_, [](const auto& c) { return c.expired(); });
          s->connections_.push_back(connection);
          connection->start();
        }
        s->accept();
      });
}

void MetricsServer::stop() {
  stopped_ = true;
  if (acceptor_) {
    asio::error_code ignored;
    acceptor_->close(ignored);
    acceptor_.reset();
  }
  for (const auto& weak : connections_) {
    if (auto connection = weak.lock()) {
      connection->close();
    }
  }
  connections_.clear();
}

}  // namespace bgpsecd::service
