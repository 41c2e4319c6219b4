// SPDX-License-Identifier: BSD-2-Clause
// The TCP side of the validation server: listens for SRx proxies (default port 17900), cuts
// each connection's byte stream into PDUs (srx::SrxFramer), decodes them and hands them to the
// owner; writes the owner's PDUs in order, one whole PDU per buffer, with TCP_NODELAY, so that a
// receipt always reaches the proxy before the notifications for its update and a proxy that
// reads without blocking (QuaggaSRx) never sees half a PDU at the end of a write. Knows nothing
// of the conversation. Runs on the io_context's thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <asio.hpp>

#include "base/bytes.hpp"
#include "base/result.hpp"
#include "srx/pdu.hpp"

namespace bgpsecd::validation_server {

inline constexpr std::uint16_t kDefaultSrxPort = 17900;

class SrxTransport {
 public:
  using ConnectionId = std::uint64_t;
  struct Handlers {
    // A connection was accepted from `peer` ("192.0.2.1:40000"); returns its id.
    std::function<ConnectionId(const std::string& peer)> connected;
    std::function<void(ConnectionId, const srx::SrxPdu&)> received;
    // The stream broke (a length below 12 or beyond the maximum) or a PDU did not decode. After
    // a framing error nothing more is read from the connection (its PDU boundaries are lost).
    std::function<void(ConnectionId, const srx::SrxError&)> malformed;
    // The connection is gone: the peer closed it, a read or write failed, its output queue
    // overflowed, or close() finished. Always called from its own io_context handler, never
    // from inside send() or close(), so the owner may call those from any handler (its
    // conversation sends while it handles a PDU, and a full queue must not re-enter it).
    std::function<void(ConnectionId, const std::string& why)> disconnected;
  };
  struct Options {
    // Output waiting for a proxy that does not read; beyond this the connection is dropped
    // (disconnected with "output queue full") rather than growing without bound.
    std::size_t max_queued_bytes = std::size_t{64} << 20;
    // TCP keepalive on every router connection: a router that dies without a FIN or RST (power
    // loss, a cut link) is noticed after idle + interval * probes rather than never, so its
    // updates are released (their keep window starts) and its proxy ID can reconnect.
    std::chrono::seconds keepalive_idle{60};
    std::chrono::seconds keepalive_interval{10};
    int keepalive_probes = 6;
  };

  SrxTransport(asio::io_context& io, Handlers handlers, Options options);
  SrxTransport(const SrxTransport&) = delete;
  SrxTransport& operator=(const SrxTransport&) = delete;
  SrxTransport(SrxTransport&&) = delete;
  SrxTransport& operator=(SrxTransport&&) = delete;
  ~SrxTransport();

  // Binds `endpoint` (SO_REUSEADDR; IPv6 sockets IPv6-only) and accepts. Port 0 picks one.
  [[nodiscard]] base::Result<void> listen(const asio::ip::tcp::endpoint& endpoint);
  [[nodiscard]] std::vector<asio::ip::tcp::endpoint> local_endpoints() const;

  // Queues one encoded PDU; ignored for a connection that is gone or closing.
  void send(ConnectionId id, base::Bytes pdu);
  // Closes after what was queued is written (or at once if nothing is); then `disconnected`.
  void close(ConnectionId id);
  // Stops accepting new connections; those open stay (shutdown says GOODBYE on them first).
  void stop_accepting();
  // Stops accepting and drops every connection at once, without calling `disconnected`.
  void stop();

  [[nodiscard]] std::size_t connection_count() const noexcept { return connections_.size(); }
  [[nodiscard]] std::size_t queued_bytes(ConnectionId id) const;

 private:
  class Connection;
  void accept(const std::shared_ptr<asio::ip::tcp::acceptor>& acceptor);
  void forget(ConnectionId id, const std::string& why);

  asio::io_context& io_;
  Handlers handlers_;
  Options options_;
  std::vector<std::shared_ptr<asio::ip::tcp::acceptor>> acceptors_;
  std::map<ConnectionId, std::shared_ptr<Connection>> connections_;
  bool stopped_ = false;
  // Handlers that may run after the transport is gone (the posted disconnected, the aborted
  // accept) check this before touching it.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace bgpsecd::validation_server
