// SPDX-License-Identifier: BSD-2-Clause
// asio transport for one RTR cache; the protocol itself is RtrClient's (see rtr_client.hpp for
// the contract this file follows).
#include "rpki/rtr_transport.hpp"

#include <charconv>
#include <type_traits>
#include <utility>
#include <variant>

namespace bgpsecd::rpki {
namespace {

// An Error Report's text as a log line can carry it: StayRTR ends its texts with a NUL, and a
// cache may send anything; trailing NULs go, other control characters become '?'.
std::string printable(std::string text) {
  while (!text.empty() && text.back() == '\0') {
    text.pop_back();
  }
  for (auto& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      c = '?';
    }
  }
  return text;
}

}  // namespace

std::string RtrCacheConfig::name() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

base::Result<RtrCacheConfig> parse_cache_address(const std::string& text) {
  RtrCacheConfig config;
  std::string host = text;
  std::string port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos) {
      return base::fail("cache '" + text + "': missing ']'");
    }
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') {
        return base::fail("cache '" + text + "': expected ':' after ']'");
      }
      port = text.substr(close + 2);
    }
  } else if (const auto colon = text.rfind(':'); colon != std::string::npos) {
    if (text.find(':') != colon) {
      return base::fail("cache '" + text + "': write an IPv6 address as [ADDR]:PORT");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty()) {
    return base::fail("cache '" + text + "': no host");
  }
  config.host = host;
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return base::fail("cache '" + text + "': bad port '" + port + "'");
    }
    config.port = static_cast<std::uint16_t>(value);
  }
  return config;
}

RtrTcpSession::RtrTcpSession(asio::io_context& io, RtrCacheConfig config, Handlers handlers)
    : io_(io),
      config_(std::move(config)),
      handlers_(std::move(handlers)),
      client_(RtrClientConfig{.max_version = config_.max_version}),
      resolver_(io),
      socket_(io),
      timer_(io),
      connect_timer_(io) {}

void RtrTcpSession::start() { process(client_.start(std::chrono::steady_clock::now())); }

void RtrTcpSession::stop() {
  stopped_ = true;
  ++generation_;
  resolver_.cancel();
  timer_.cancel();
  connect_timer_.cancel();
  ssh_.reset();
  asio::error_code ignored;
  socket_.close(ignored);
}

void RtrTcpSession::log(RtrLogLevel level, const std::string& message) const {
  if (handlers_.on_log) {
    handlers_.on_log(level, "rtr " + config_.name() + ": " + message);
  }
}

void RtrTcpSession::process(RtrEvents events) {
  if (stopped_) {
    return;
  }
  for (auto& event : events) {
    std::visit(
        [this](auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, RtrSend>) {
            write_queue_.push_back(std::move(e.bytes));
            write();
          } else if constexpr (std::is_same_v<T, RtrConnect>) {
            connect();
          } else if constexpr (std::is_same_v<T, RtrClose>) {
            if (writing_ || !write_queue_.empty()) {
              close_after_write_ = true;
            } else {
              close();
            }
          } else if constexpr (std::is_same_v<T, RtrDataUpdate>) {
            log(RtrLogLevel::Info, std::string(e.reset ? "full load" : "update") + " serial " +
                                       std::to_string(e.serial) + ": +" +
                                       std::to_string(e.announced.vrps.size()) + " VRPs +" +
                                       std::to_string(e.announced.router_keys.size()) + " keys, -" +
                                       std::to_string(e.withdrawn.vrps.size()) + " VRPs -" +
                                       std::to_string(e.withdrawn.router_keys.size()) + " keys");
            if (handlers_.on_update) {
              handlers_.on_update(e);
            }
          } else if constexpr (std::is_same_v<T, RtrDropAll>) {
            log(RtrLogLevel::Warning, "dropping this cache's data: " + e.reason);
            if (handlers_.on_drop_all) {
              handlers_.on_drop_all(e);
            }
          } else if constexpr (std::is_same_v<T, RtrErrorSent>) {
            log(RtrLogLevel::Warning, std::string("sent Error Report ") +
                                          rtr_error_code_name(static_cast<std::uint16_t>(e.code)) +
                                          ": " + e.text);
          } else if constexpr (std::is_same_v<T, RtrErrorReceived>) {
            const auto text = printable(e.report.text);
            log(RtrLogLevel::Warning,
                std::string("cache sent Error Report ") +
                    rtr_error_code_name(static_cast<std::uint16_t>(e.report.code)) +
                    (text.empty() ? "" : ": " + text));
            if (handlers_.on_error_report) {
              handlers_.on_error_report(e.report);
            }
          } else if constexpr (std::is_same_v<T, RtrVersionChanged>) {
            log(RtrLogLevel::Info,
                "protocol version " + std::to_string(e.from) + " -> " + std::to_string(e.to));
          }
        },
        event);
    if (stopped_) {
      return;  // a handler stopped us
    }
  }
  arm_timer();
}

void RtrTcpSession::connect() {
  close();
  connecting_ = true;
  const auto generation = ++generation_;
  ++connects_;
  log(RtrLogLevel::Debug, config_.ssh ? "connecting (SSH)" : "connecting");
  connect_timer_.expires_after(kRtrConnectTimeout);
  connect_timer_.async_wait([self = weak_from_this(), generation](const asio::error_code& ec) {
    auto s = self.lock();
    if (ec || !s || s->stopped_ || generation != s->generation_ || !s->connecting_) {
      return;
    }
    s->fail_open("no connection within " + std::to_string(kRtrConnectTimeout.count()) + " s");
  });
  resolver_.async_resolve(
      config_.host, std::to_string(config_.port),
      [self = weak_from_this(), generation](const asio::error_code& ec,
                                            const asio::ip::tcp::resolver::results_type& results) {
        auto s = self.lock();
        if (!s || s->stopped_ || generation != s->generation_) {
          return;
        }
        if (ec) {
          s->fail_open("cannot resolve: " + ec.message());
          return;
        }
        asio::async_connect(
            s->socket_, results,
            [self, generation](const asio::error_code& ec2, const asio::ip::tcp::endpoint&) {
              auto s2 = self.lock();
              if (!s2 || s2->stopped_ || generation != s2->generation_) {
                return;
              }
              if (ec2) {
                s2->fail_open("cannot connect: " + ec2.message());
              } else if (s2->config_.ssh) {
                s2->ssh_start();
              } else {
                s2->on_open();
              }
            });
      });
}

void RtrTcpSession::on_open() {
  connecting_ = false;
  connect_timer_.cancel();
  log(RtrLogLevel::Info, ssh_ ? "connected (SSH)" : "connected");
  if (ssh_) {
    ssh_read();
  } else {
    read();
  }
  process(client_.on_connected(std::chrono::steady_clock::now()));
}

void RtrTcpSession::fail_open(const std::string& why) {
  log(RtrLogLevel::Warning, why);
  close();
  process(client_.on_disconnected(std::chrono::steady_clock::now()));
}

void RtrTcpSession::read() {
  socket_.async_read_some(
      asio::buffer(read_buffer_), [self = weak_from_this(), generation = generation_](
                                      const asio::error_code& ec, std::size_t n) {
        auto s = self.lock();
        if (!s || s->stopped_ || generation != s->generation_) {
          return;
        }
        const auto now = std::chrono::steady_clock::now();
        if (ec) {
          s->log(RtrLogLevel::Warning, ec == asio::error::eof ? "cache closed the connection"
                                                              : "connection lost: " + ec.message());
          s->close();
          s->process(s->client_.on_disconnected(now));
          return;
        }
        s->bytes_received_ += n;
        s->process(s->client_.on_bytes(std::span(s->read_buffer_).first(n), now));
        if (!s->stopped_ && generation == s->generation_ && s->socket_.is_open()) {
          s->read();
        }
      });
}

void RtrTcpSession::write() {
  if (writing_ || write_queue_.empty() || !socket_.is_open() || connecting_) {
    return;
  }
  if (ssh_) {
    ssh_write();
    return;
  }
  writing_ = true;
  asio::async_write(
      socket_, asio::buffer(write_queue_.front()),
      [self = weak_from_this(), generation = generation_](const asio::error_code& ec, std::size_t) {
        auto s = self.lock();
        if (!s || s->stopped_ || generation != s->generation_) {
          return;
        }
        s->writing_ = false;
        if (ec) {
          s->log(RtrLogLevel::Warning, "write failed: " + ec.message());
          s->close();
          s->process(s->client_.on_disconnected(std::chrono::steady_clock::now()));
          return;
        }
        s->write_queue_.pop_front();
        if (s->write_queue_.empty() && s->close_after_write_) {
          s->close();
          return;
        }
        s->write();
      });
}

void RtrTcpSession::close() {
  ++generation_;
  resolver_.cancel();
  connect_timer_.cancel();
  ssh_.reset();  // before the socket it runs on
  asio::error_code ignored;
  socket_.close(ignored);
  socket_ = asio::ip::tcp::socket(io_);
  write_queue_.clear();
  writing_ = false;
  connecting_ = false;
  close_after_write_ = false;
}

void RtrTcpSession::arm_timer() {
  const auto deadline = client_.next_deadline();
  timer_.cancel();
  if (!deadline) {
    return;
  }
  timer_.expires_at(*deadline);
  timer_.async_wait([self = weak_from_this()](const asio::error_code& ec) {
    auto s = self.lock();
    if (ec || !s || s->stopped_) {
      return;  // cancelled: re-armed or stopped
    }
    s->process(s->client_.on_timer(std::chrono::steady_clock::now()));
  });
}

}  // namespace bgpsecd::rpki
