// SPDX-License-Identifier: BSD-2-Clause
// RTR over SSH (RFC 8210 §9) in RtrTcpSession: libssh runs non-blocking on the TCP socket asio
// opened, and every step resumes when asio reports the socket ready for what libssh waits for,
// so the io_context's thread never blocks in SSH.
#include <utility>

#include "rpki/rtr_transport.hpp"

namespace bgpsecd::rpki {

void RtrTcpSession::ssh_start() {
  auto channel =
      RtrSshChannel::open(socket_.native_handle(), config_.host, config_.port, *config_.ssh);
  if (!channel) {
    fail_open(channel.error().message);
    return;
  }
  ssh_ = std::move(*channel);
  ssh_handshake();
}

void RtrTcpSession::ssh_handshake() {
  auto done = ssh_->advance();
  if (!done) {
    fail_open(done.error().message);
  } else if (*done) {
    on_open();
  } else {
    ssh_wait(ssh_->wants(), &RtrTcpSession::ssh_handshake);
  }
}

void RtrTcpSession::ssh_read() {
  const auto generation = generation_;
  for (;;) {
    auto n = ssh_->read(read_buffer_);
    if (!n) {
      log(RtrLogLevel::Warning, n.error().message);
      close();
      process(client_.on_disconnected(std::chrono::steady_clock::now()));
      return;
    }
    if (*n == 0) {
      break;
    }
    bytes_received_ += *n;
    process(client_.on_bytes(std::span(read_buffer_).first(*n), std::chrono::steady_clock::now()));
    if (stopped_ || generation != generation_ || !ssh_) {
      return;  // closed while handling the bytes
    }
  }
  // A read may have opened the peer's window again: send what waited for it.
  write();
  if (stopped_ || generation != generation_ || !ssh_) {
    return;
  }
  ssh_wait(ssh_->wants(), &RtrTcpSession::ssh_read);
}

void RtrTcpSession::ssh_write() {
  while (!write_queue_.empty()) {
    auto& front = write_queue_.front();
    auto n = ssh_->write(front);
    if (!n) {
      log(RtrLogLevel::Warning, n.error().message);
      close();
      process(client_.on_disconnected(std::chrono::steady_clock::now()));
      return;
    }
    if (*n < front.size()) {
      // The window is full; the rest goes when ssh_read sees the window adjust.
      front.erase(front.begin(), front.begin() + static_cast<std::ptrdiff_t>(*n));
      return;
    }
    write_queue_.pop_front();
  }
  if (close_after_write_) {
    close();
  }
}

void RtrTcpSession::ssh_wait(SshWait what, void (RtrTcpSession::*then)()) {
  socket_.async_wait(
      what == SshWait::Writable ? asio::ip::tcp::socket::wait_write
                                : asio::ip::tcp::socket::wait_read,
      [self = weak_from_this(), generation = generation_, then](const asio::error_code& ec) {
        auto s = self.lock();
        if (!s || s->stopped_ || generation != s->generation_ || !s->ssh_) {
          return;
        }
        if (ec) {
          s->fail_open("SSH connection lost: " + ec.message());
          return;
        }
        ((*s).*then)();
      });
}

}  // namespace bgpsecd::rpki
