// SPDX-License-Identifier: BSD-2-Clause
#include "srx_client/srx_client_connection.hpp"

#include <algorithm>
#include <span>
#include <utility>

namespace bgpsecd::srx_client {
namespace {

TimePoint now() { return std::chrono::steady_clock::now(); }

}  // namespace

SrxClientConnection::SrxClientConnection(asio::io_context& io, SrxClientOptions options,
                                         ProxyCore::Options core_options, Handlers handlers)
    : io_(io),
      options_(std::move(options)),
      handlers_(std::move(handlers)),
      core_(std::move(core_options), core_hooks(handlers_.core)),
      socket_(io),
      timer_(io),
      backoff_(options_.first_backoff) {}

ProxyCore::Hooks SrxClientConnection::core_hooks(ProxyCore::Hooks owner) {
  owner.send = [this](base::Bytes pdu) { send(std::move(pdu)); };
  owner.close = [this](const std::string& why) { close_after_write(why); };
  return owner;
}

void SrxClientConnection::start() { connect(); }

void SrxClientConnection::stop() {
  if (stopped_) {
    return;
  }
  // From here on send() writes at once (best effort), so the GOODBYE of shutdown() goes out
  // before the socket closes.
  stopped_ = true;
  core_.shutdown();
  ++generation_;
  asio::error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
  queue_.clear();
}

void SrxClientConnection::connect() {
  ++generation_;
  ++connects_;
  socket_ = asio::ip::tcp::socket(io_);
  framer_ = srx::SrxFramer{};
  queue_.clear();
  queued_bytes_ = 0;
  writing_ = false;
  closing_ = false;
  connecting_ = true;
  const auto generation = generation_;
  socket_.async_connect(service::to_asio(options_.server),
                        [self = weak_from_this(), generation](const asio::error_code& ec) {
                          if (auto s = self.lock()) {
                            s->on_connected(ec, generation);
                          }
                        });
  timer_.expires_after(options_.connect_timeout);
  timer_.async_wait([self = weak_from_this(), generation](const asio::error_code& ec) {
    auto s = self.lock();
    if (ec || !s || s->stopped_ || generation != s->generation_ || !s->connecting_) {
      return;
    }
    s->lost("cannot connect: no answer within " +
            std::to_string(s->options_.connect_timeout.count()) + " ms");
  });
}

void SrxClientConnection::on_connected(const asio::error_code& ec, std::uint64_t generation) {
  if (stopped_ || generation != generation_) {
    return;
  }
  connecting_ = false;
  timer_.cancel();
  if (ec) {
    lost("cannot connect: " + ec.message());
    return;
  }
  asio::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  socket_.set_option(asio::socket_base::keep_alive(true), ignored);
  read();
  core_.connected(now());
  report("connected to " + options_.server.to_string());
  arm_tick();
}

void SrxClientConnection::read() {
  socket_.async_read_some(asio::buffer(buffer_),
                          [self = weak_from_this(), generation = generation_](
                              const asio::error_code& ec, std::size_t n) {
                            auto s = self.lock();
                            if (!s || s->stopped_ || generation != s->generation_) {
                              return;
                            }
                            s->on_read(ec, n);
                          });
}

void SrxClientConnection::on_read(const asio::error_code& ec, std::size_t n) {
  if (ec) {
    lost(ec == asio::error::eof ? "closed by the server" : "read failed: " + ec.message());
    return;
  }
  const auto generation = generation_;
  framer_.append(std::span<const std::uint8_t>(buffer_.data(), n));
  while (generation == generation_ && !closing_) {
    auto next = framer_.next();
    if (!next) {
      // docs/srx-proxy.md §1: the stream has lost its PDU boundaries; nothing more is read.
      core_.malformed(next.error(), now());
      break;
    }
    if (!next->has_value()) {
      break;
    }
    auto pdu = srx::decode_srx_pdu(**next);
    if (pdu) {
      core_.received(*pdu, now());
    } else {
      core_.malformed(pdu.error(), now());
    }
  }
  if (generation != generation_ || stopped_) {
    return;
  }
  report("");
  if (!closing_) {
    read();
  }
}

void SrxClientConnection::send(base::Bytes pdu) {
  if (connecting_ || closing_ || !socket_.is_open()) {
    return;
  }
  if (stopped_) {
    if (!writing_) {
      asio::error_code ignored;
      asio::write(socket_, asio::buffer(pdu), ignored);
    }
    return;
  }
  queued_bytes_ += pdu.size();
  if (queued_bytes_ > options_.max_queued_bytes) {
    close_after_write("output queue full (the server does not read)");
    queue_.clear();
    return;
  }
  queue_.push_back(std::move(pdu));
  write();
}

void SrxClientConnection::write() {
  if (writing_ || queue_.empty()) {
    return;
  }
  writing_ = true;
  asio::async_write(
      socket_, asio::buffer(queue_.front()),
      [self = weak_from_this(), generation = generation_](const asio::error_code& ec, std::size_t) {
        auto s = self.lock();
        if (!s || s->stopped_ || generation != s->generation_) {
          return;
        }
        s->writing_ = false;
        if (ec) {
          s->lost("write failed: " + ec.message());
          return;
        }
        s->queued_bytes_ -= s->queue_.front().size();
        s->queue_.pop_front();
        if (!s->queue_.empty()) {
          s->write();
        } else if (s->closing_) {
          s->lost(s->close_reason_);
        }
      });
}

// The core ended the session: close once its last PDU (GOODBYE) is written. Called from inside
// the core, so the loss is reported from the io_context, not from within the core's call.
void SrxClientConnection::close_after_write(const std::string& why) {
  if (closing_) {
    return;
  }
  closing_ = true;
  close_reason_ = why;
  if (!writing_ && queue_.empty()) {
    asio::post(io_, [self = weak_from_this(), generation = generation_] {
      auto s = self.lock();
      if (s && !s->stopped_ && generation == s->generation_) {
        s->lost(s->close_reason_);
      }
    });
  }
}

void SrxClientConnection::lost(const std::string& why) {
  if (stopped_) {
    return;
  }
  ++generation_;
  asio::error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
  queue_.clear();
  queued_bytes_ = 0;
  writing_ = false;
  closing_ = false;
  connecting_ = false;
  core_.disconnected(now());
  report(why);
  schedule_reconnect();
}

void SrxClientConnection::schedule_reconnect() {
  const auto generation = generation_;
  timer_.expires_after(backoff_);
  timer_.async_wait([self = weak_from_this(), generation](const asio::error_code& ec) {
    auto s = self.lock();
    if (ec || !s || s->stopped_ || generation != s->generation_) {
      return;
    }
    s->connect();
  });
  backoff_ = std::min(backoff_ * 2, options_.max_backoff);
}

void SrxClientConnection::arm_tick() {
  timer_.expires_after(options_.tick_interval);
  timer_.async_wait(
      [self = weak_from_this(), generation = generation_](const asio::error_code& ec) {
        auto s = self.lock();
        if (ec || !s || s->stopped_ || generation != s->generation_) {
          return;
        }
        s->core_.tick(now());
        if (generation == s->generation_ && !s->stopped_) {
          s->report("");
          s->arm_tick();
        }
      });
}

// Tells the owner when the core's state moved; a session that got as far as active starts the
// backoff over.
void SrxClientConnection::report(const std::string& why) {
  const auto state = core_.state();
  if (state == reported_) {
    return;
  }
  reported_ = state;
  if (state == ProxyState::Active) {
    backoff_ = options_.first_backoff;
  }
  if (handlers_.state_changed) {
    handlers_.state_changed(state, why.empty() && closing_ ? close_reason_ : why);
  }
}

}  // namespace bgpsecd::srx_client
