// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/bmp_station.hpp"

#include <algorithm>
#include <system_error>
#include <utility>

#include <spdlog/spdlog.h>

namespace bgpsecd::daemon {

namespace {

// A station that neither accepts nor refuses within this time counts as failed.
constexpr std::chrono::seconds kConnectTimeout{10};

asio::ip::tcp::endpoint to_asio(const Endpoint& ep) {
  std::error_code ignored;  // our own address text: it parses
  return {asio::ip::make_address(ep.address.to_string(), ignored), ep.port};
}

}  // namespace

const char* bmp_state_name(BmpState state) noexcept {
  switch (state) {
    case BmpState::Connecting:
      return "connecting";
    case BmpState::Up:
      return "up";
    case BmpState::Waiting:
      return "waiting";
    case BmpState::Closing:
      return "closing";
    case BmpState::Stopped:
      return "stopped";
  }
  return "unknown";
}

BmpStation::BmpStation(asio::io_context& io, BmpStationConfig config, Callback on_up,
                       Callback on_stats)
    : config_(std::move(config)),
      on_up_(std::move(on_up)),
      on_stats_(std::move(on_stats)),
      socket_(io),
      timer_(io),
      stats_timer_(io),
      backoff_(config_.reconnect_min) {}

void BmpStation::start() { connect(); }

void BmpStation::connect() {
  state_ = BmpState::Connecting;
  const auto gen = ++generation_;
  std::error_code ec;
  socket_.open(
      config_.address.address.afi() == base::Afi::Ipv4 ? asio::ip::tcp::v4() : asio::ip::tcp::v6(),
      ec);
  if (ec) {
    fail("cannot open a socket: " + ec.message());
    return;
  }
  timer_.expires_after(kConnectTimeout);
  timer_.async_wait([self = shared_from_this(), gen](const std::error_code& e) {
    if (!e && gen == self->generation_ && self->state_ == BmpState::Connecting) {
      self->fail("connect timed out");
    }
  });
  socket_.async_connect(to_asio(config_.address),
                        [self = shared_from_this(), gen](const std::error_code& e) {
                          if (gen != self->generation_ || self->state_ != BmpState::Connecting) {
                            return;
                          }
                          if (e) {
                            self->fail("connect: " + e.message());
                            return;
                          }
                          self->on_connected();
                        });
}

void BmpStation::on_connected() {
  timer_.cancel();
  state_ = BmpState::Up;
  backoff_ = config_.reconnect_min;
  ++counters_.connects;
  last_error_.clear();
  spdlog::info("bmp station {}: connected", name());
  read_next();
  arm_stats();
  on_up_(*this);
}

void BmpStation::send(base::Bytes message, bool resync) {
  if (state_ != BmpState::Up) {
    return;
  }
  const std::size_t size = message.size();
  if (!resync && queued_bytes_ - resync_bytes_ + size > config_.max_queue) {
    ++counters_.drops;
    fail("output queue over " + std::to_string(config_.max_queue) +
         " octets (station too slow): connection dropped, the tables are sent again after "
         "the next connect");
    return;
  }
  queued_bytes_ += size;
  resync_bytes_ += resync ? size : 0;
  queue_.push_back(Item{std::move(message), resync});
  write_next();
}

void BmpStation::write_next() {
  if (writing_ || queue_.empty()) {
    return;
  }
  writing_ = true;
  const auto gen = generation_;
  asio::async_write(socket_, asio::buffer(queue_.front().bytes),
                    [self = shared_from_this(), gen](const std::error_code& e, std::size_t) {
                      if (gen != self->generation_) {
                        return;
                      }
                      self->writing_ = false;
                      if (e) {
                        self->fail("write: " + e.message());
                        return;
                      }
                      const Item& done = self->queue_.front();
                      ++self->counters_.messages;
                      self->counters_.bytes += done.bytes.size();
                      self->queued_bytes_ -= done.bytes.size();
                      self->resync_bytes_ -= done.resync ? done.bytes.size() : 0;
                      self->queue_.pop_front();
                      if (self->queue_.empty() && self->state_ == BmpState::Closing) {
                        self->close_socket();
                        self->state_ = BmpState::Stopped;
                        return;
                      }
                      self->write_next();
                    });
}

void BmpStation::read_next() {
  const auto gen = generation_;
  // RFC 7854 §3.3: the station sends nothing; whatever it does send is read and discarded so
  // that its bytes never fill our receive buffer.
  socket_.async_read_some(asio::buffer(read_buffer_), [self = shared_from_this(), gen](
                                                          const std::error_code& e, std::size_t n) {
    if (gen != self->generation_ || self->state_ != BmpState::Up) {
      return;
    }
    if (e) {
      self->fail(e == asio::error::eof ? std::string("the station closed the connection")
                                       : "read: " + e.message());
      return;
    }
    self->counters_.discarded += n;
    self->read_next();
  });
}

void BmpStation::arm_stats() {
  if (config_.stats_interval.count() == 0) {
    return;
  }
  const auto gen = generation_;
  stats_timer_.expires_after(config_.stats_interval);
  stats_timer_.async_wait([self = shared_from_this(), gen](const std::error_code& e) {
    if (e || gen != self->generation_ || self->state_ != BmpState::Up) {
      return;
    }
    self->on_stats_(*self);
    self->arm_stats();
  });
}

void BmpStation::close_socket() {
  std::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  timer_.cancel();
  stats_timer_.cancel();
}

void BmpStation::fail(const std::string& why) {
  ++generation_;
  close_socket();
  queue_.clear();
  queued_bytes_ = 0;
  resync_bytes_ = 0;
  writing_ = false;
  ++counters_.failures;
  last_error_ = why;
  state_ = BmpState::Waiting;
  spdlog::warn("bmp station {}: {}; connecting again in {} s", name(), why, backoff_.count());
  const auto gen = generation_;
  timer_.expires_after(backoff_);
  timer_.async_wait([self = shared_from_this(), gen](const std::error_code& e) {
    if (!e && gen == self->generation_ && self->state_ == BmpState::Waiting) {
      self->connect();
    }
  });
  backoff_ = std::min(backoff_ * 2, config_.reconnect_max);
}

void BmpStation::stop(base::Bytes last) {
  if (state_ == BmpState::Up && !last.empty()) {
    send(std::move(last), true);
    state_ = BmpState::Closing;
    if (!writing_ && queue_.empty()) {
      close_socket();
      state_ = BmpState::Stopped;
    }
    // Whatever still waits after a moment is given up: stopping never waits on a station.
    const auto gen = generation_;
    timer_.expires_after(std::chrono::seconds(2));
    timer_.async_wait([self = shared_from_this(), gen](const std::error_code& e) {
      if (!e && gen == self->generation_ && self->state_ == BmpState::Closing) {
        self->close_socket();
        self->state_ = BmpState::Stopped;
      }
    });
    return;
  }
  ++generation_;
  close_socket();
  state_ = BmpState::Stopped;
}

}  // namespace bgpsecd::daemon
