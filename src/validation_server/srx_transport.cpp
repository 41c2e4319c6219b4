// SPDX-License-Identifier: BSD-2-Clause
#include "validation_server/srx_transport.hpp"

#include <array>
#include <deque>
#include <utility>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "srx/framer.hpp"

namespace bgpsecd::validation_server {
namespace {

// SO_KEEPALIVE with the transport's timing (Linux: TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT).
// Best effort: a socket that refuses keeps the kernel's defaults.
void enable_keepalive(asio::ip::tcp::socket& socket, const SrxTransport::Options& options) {
  asio::error_code ignored;
  socket.set_option(asio::socket_base::keep_alive(true), ignored);
  const int fd = socket.native_handle();
  const int idle = static_cast<int>(options.keepalive_idle.count());
  const int interval = static_cast<int>(options.keepalive_interval.count());
  const int probes = options.keepalive_probes;
  static_cast<void>(::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle));
  static_cast<void>(::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval));
  static_cast<void>(::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes));
}

}  // namespace

class SrxTransport::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(SrxTransport& owner, asio::ip::tcp::socket socket, ConnectionId id)
      : owner_(owner), socket_(std::move(socket)), id_(id) {}

  void start() { read(); }

  void send(base::Bytes pdu) {
    if (closing_ || gone_) {
      return;
    }
    queued_bytes_ += pdu.size();
    if (queued_bytes_ > owner_.options_.max_queued_bytes) {
      drop("output queue full (the proxy does not read)");
      return;
    }
    queue_.push_back(std::move(pdu));
    write();
  }

  void close() {
    if (gone_) {
      return;
    }
    closing_ = true;
    if (!writing_) {
      drop("closed by the server");
    }
  }

  // Closes the socket without telling the owner (stop()).
  void abort() {
    gone_ = true;
    asio::error_code ignored;
    socket_.close(ignored);
  }

  [[nodiscard]] std::size_t queued_bytes() const noexcept { return queued_bytes_; }

 private:
  void read() {
    socket_.async_read_some(asio::buffer(buffer_),
                            [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
                              self->on_read(ec, n);
                            });
  }

  void on_read(const asio::error_code& ec, std::size_t n) {
    if (gone_) {
      return;
    }
    if (ec) {
      drop(ec == asio::error::eof ? "closed by the proxy" : "read failed: " + ec.message());
      return;
    }
    framer_.append(std::span<const std::uint8_t>(buffer_.data(), n));
    while (!gone_ && !closing_) {
      auto next = framer_.next();
      if (!next) {
        // §1.2 of the protocol: the stream's PDU boundaries are lost; nothing more is read.
        owner_.handlers_.malformed(id_, next.error());
        return;
      }
      if (!next->has_value()) {
        break;
      }
      auto pdu = srx::decode_srx_pdu(**next);
      if (!pdu) {
        owner_.handlers_.malformed(id_, pdu.error());
      } else {
        owner_.handlers_.received(id_, *pdu);
      }
    }
    if (!gone_ && !closing_) {
      read();
    }
  }

  void write() {
    if (writing_ || queue_.empty() || gone_) {
      return;
    }
    writing_ = true;
    asio::async_write(socket_, asio::buffer(queue_.front()),
                      [self = shared_from_this()](const asio::error_code& ec, std::size_t) {
                        self->on_written(ec);
                      });
  }

  void on_written(const asio::error_code& ec) {
    writing_ = false;
    if (gone_) {
      return;
    }
    if (ec) {
      drop("write failed: " + ec.message());
      return;
    }
    queued_bytes_ -= queue_.front().size();
    queue_.pop_front();
    if (!queue_.empty()) {
      write();
    } else if (closing_) {
      drop("closed by the server");
    }
  }

  void drop(const std::string& why) {
    if (gone_) {
      return;
    }
    abort();
    owner_.forget(id_, why);
  }

  SrxTransport& owner_;
  asio::ip::tcp::socket socket_;
  const ConnectionId id_;
  srx::SrxFramer framer_;
  std::array<std::uint8_t, 64 * 1024> buffer_{};
  std::deque<base::Bytes> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool closing_ = false;
  bool gone_ = false;
};

SrxTransport::SrxTransport(asio::io_context& io, Handlers handlers, Options options)
    : io_(io), handlers_(std::move(handlers)), options_(options) {}

SrxTransport::~SrxTransport() { stop(); }

base::Result<void> SrxTransport::listen(const asio::ip::tcp::endpoint& endpoint) {
  auto acceptor = std::make_shared<asio::ip::tcp::acceptor>(io_);
  asio::error_code ec;
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) {
    acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec && endpoint.address().is_v6()) {
    acceptor->set_option(asio::ip::v6_only(true), ec);
  }
  if (!ec) {
    acceptor->bind(endpoint, ec);
  }
  if (!ec) {
    acceptor->listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return base::fail("cannot listen on " + endpoint.address().to_string() + " port " +
                      std::to_string(endpoint.port()) + ": " + ec.message());
  }
  acceptors_.push_back(acceptor);
  accept(acceptor);
  return {};
}

std::vector<asio::ip::tcp::endpoint> SrxTransport::local_endpoints() const {
  std::vector<asio::ip::tcp::endpoint> out;
  for (const auto& acceptor : acceptors_) {
    asio::error_code ec;
    auto endpoint = acceptor->local_endpoint(ec);
    if (!ec) {
      out.push_back(endpoint);
    }
  }
  return out;
}

void SrxTransport::accept(const std::shared_ptr<asio::ip::tcp::acceptor>& acceptor) {
  acceptor->async_accept([this, alive = std::weak_ptr<bool>(alive_), acceptor](
                             const asio::error_code& ec, asio::ip::tcp::socket socket) {
    // The acceptor's last (aborted) handler may run after the transport is gone.
    if (alive.expired() || stopped_ || !acceptor->is_open()) {
      return;
    }
    if (!ec) {
      asio::error_code ignored;
      socket.set_option(asio::ip::tcp::no_delay(true), ignored);
      enable_keepalive(socket, options_);
      auto remote = socket.remote_endpoint(ignored);
      std::string peer = remote.address().to_string() + ":" + std::to_string(remote.port());
      ConnectionId id = handlers_.connected(peer);
      auto connection = std::make_shared<Connection>(*this, std::move(socket), id);
      connections_[id] = connection;
      connection->start();
    }
    accept(acceptor);
  });
}

void SrxTransport::send(ConnectionId id, base::Bytes pdu) {
  if (auto it = connections_.find(id); it != connections_.end()) {
    // Keep the connection alive across send(): a full queue drops and forgets it.
    auto connection = it->second;
    connection->send(std::move(pdu));
  }
}

void SrxTransport::close(ConnectionId id) {
  if (auto it = connections_.find(id); it != connections_.end()) {
    auto connection = it->second;
    connection->close();
  }
}

void SrxTransport::forget(ConnectionId id, const std::string& why) {
  if (connections_.erase(id) == 0 || stopped_) {
    return;
  }
  // Posted: forget() runs inside send() or close() when a queue overflows or a close finishes
  // at once, and the owner's disconnected handler must not run inside its own send hook.
  asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_), id, why] {
    if (!alive.expired() && !stopped_) {
      handlers_.disconnected(id, why);
    }
  });
}

std::size_t SrxTransport::queued_bytes(ConnectionId id) const {
  auto it = connections_.find(id);
  return it == connections_.end() ? 0 : it->second->queued_bytes();
}

void SrxTransport::stop_accepting() {
  for (auto& acceptor : acceptors_) {
    asio::error_code ignored;
    acceptor->close(ignored);
  }
}

void SrxTransport::stop() {
  if (stopped_) {
    return;
  }
  stopped_ = true;
  stop_accepting();
  acceptors_.clear();
  auto connections = std::move(connections_);
  connections_.clear();
  for (auto& [id, connection] : connections) {
    connection->abort();
  }
}

}  // namespace bgpsecd::validation_server
