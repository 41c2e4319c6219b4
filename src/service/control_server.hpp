// SPDX-License-Identifier: BSD-2-Clause
// The daemon's control API: newline-delimited JSON over a unix-domain stream
// socket, optionally also over a loopback TCP listener. The daemon registers one handler per
// command; this file owns the sockets, framing, request validation and error responses.
//
// Protocol (man/bgpsecctl.8.md): one request per line, one response line per request, in order:
//   request   {"command":"show neighbors","args":{"peer":"127.0.0.2"}}   ("args" optional)
//   response  {"ok":true,"result":<handler's JSON>}  or  {"ok":false,"error":"text"}
// A malformed request or an unknown command gets an error response and the connection stays
// open; a request line longer than Options::max_request_bytes gets an error response and the
// connection is closed (the rest of that line cannot be told apart from the next request).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <asio.hpp>
#include <nlohmann/json.hpp>

#include "base/result.hpp"

namespace bgpsecd::service {

// The default socket path (config key control.socket).
inline constexpr std::string_view kDefaultControlSocket = "/run/bgpsecd/bgpsecd.sock";

class ControlServer : public std::enable_shared_from_this<ControlServer> {
 public:
  // A command handler: gets the request's "args" (an object; {} when the request had none) and
  // returns the result or an error an operator can act on ("no neighbor 127.0.0.9").
  using Handler = std::function<base::Result<nlohmann::json>(const nlohmann::json& args)>;

  struct Options {
    std::size_t max_request_bytes = std::size_t{1} << 20;  // one request line, newline excluded
    std::size_t max_connections = 64;                      // over all listeners
  };

  // Create with std::make_shared (handlers hold weak_from_this()). Everything runs on the
  // io_context's thread, handlers included.
  explicit ControlServer(asio::io_context& io);
  ControlServer(asio::io_context& io, Options options);
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;
  ControlServer(ControlServer&&) = delete;
  ControlServer& operator=(ControlServer&&) = delete;
  ~ControlServer();

  // Adds or replaces the handler for `name` (e.g. "show neighbors"). May be called at any time.
  void register_command(std::string name, Handler handler);
  [[nodiscard]] std::vector<std::string> commands() const;

  // Listens on a unix-domain socket at `path`, created with mode 0660. An existing socket file
  // nobody accepts on (a daemon that died) is replaced; one a live process listens on is
  // refused ("... is in use by a running process"), as is a path that is not a socket. On
  // failure nothing was created.
  [[nodiscard]] base::Result<void> listen_unix(const std::string& path);
  // Listens on TCP at a loopback address (anything else is refused: the API has no
  // authentication). Port 0 picks a free port; see tcp_port().
  [[nodiscard]] base::Result<void> listen_tcp(const std::string& address, std::uint16_t port);
  [[nodiscard]] std::uint16_t tcp_port() const;

  // Closes the listeners and all connections and removes the socket file this server created
  // (only if it is still the same file). No handler runs afterwards. Idempotent.
  void stop();

  // One request line in, one response (JSON text without the newline) out; what every
  // connection does with each line. Never throws: handler exceptions become error responses.
  [[nodiscard]] std::string handle_request(std::string_view line) const;

  [[nodiscard]] std::size_t connection_count() const noexcept { return connections_.size(); }

 private:
  class Connection;
  template <class Socket>
  class StreamConnection;
  template <class Acceptor>
  void accept(Acceptor& acceptor);
  void forget(const Connection* connection);

  asio::io_context& io_;
  Options options_;
  std::map<std::string, Handler, std::less<>> commands_;
  std::unique_ptr<asio::local::stream_protocol::acceptor> unix_acceptor_;
  std::unique_ptr<asio::ip::tcp::acceptor> tcp_acceptor_;
  std::vector<std::shared_ptr<Connection>> connections_;
  std::string socket_path_;  // the file we created, removed by stop()
  std::uint64_t socket_inode_ = 0;
  std::uint64_t socket_device_ = 0;
  bool stopped_ = false;
};

// A response line's JSON, for handlers and tests: {"ok":true,"result":r} / {"ok":false,...}.
[[nodiscard]] nlohmann::json control_ok(nlohmann::json result);
[[nodiscard]] nlohmann::json control_error(std::string_view message);

}  // namespace bgpsecd::service
