// SPDX-License-Identifier: BSD-2-Clause
// Control API sockets and framing (control_server.hpp). Each connection reads one line at a
// time, answers it, then reads the next, so responses come back in request order.
#include "service/control_server.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <exception>
#include <filesystem>
#include <utility>

#include <sys/stat.h>
#include <sys/un.h>

namespace bgpsecd::service {

nlohmann::json control_ok(nlohmann::json result) {
  return nlohmann::json{{"ok", true}, {"result", std::move(result)}};
}

nlohmann::json control_error(std::string_view message) {
  return nlohmann::json{{"ok", false}, {"error", std::string(message)}};
}

// ===== connections =====

class ControlServer::Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  Connection(Connection&&) = delete;
  Connection& operator=(Connection&&) = delete;
  virtual ~Connection() = default;
  virtual void close() = 0;
};

template <class Socket>
class ControlServer::StreamConnection
    : public Connection,
      public std::enable_shared_from_this<StreamConnection<Socket>> {
 public:
  StreamConnection(Socket socket, std::weak_ptr<ControlServer> server, std::size_t max_bytes)
      : socket_(std::move(socket)), server_(std::move(server)), max_bytes_(max_bytes) {}

  void start() { read(); }

  // Refuses the connection with one error line (too many clients), then closes it.
  void refuse(std::string_view message) {
    out_ = control_error(message).dump() + "\n";
    closing_ = true;
    write();
  }

  void close() override {
    asio::error_code ignored;
    socket_.shutdown(Socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

 private:
  void read() {
    // One byte beyond the limit for the newline itself.
    asio::async_read_until(
        socket_, asio::dynamic_buffer(in_, max_bytes_ + 1), '\n',
        [self = this->shared_from_this()](const asio::error_code& ec, std::size_t n) {
          self->on_line(ec, n);
        });
  }

  void on_line(const asio::error_code& ec, std::size_t n) {
    auto server = server_.lock();
    if (!server || server->stopped_) {
      return;
    }
    if (ec == asio::error::not_found) {
      // The buffer filled up without a newline: the request is over the size limit.
      in_.clear();
      out_ =
          control_error("request exceeds " + std::to_string(max_bytes_) + " bytes").dump() + "\n";
      closing_ = true;
      write();
      return;
    }
    if (ec) {
      finish(*server);  // EOF or error: the client is gone
      return;
    }
    std::string_view line(in_.data(), n - 1);  // without the '\n'
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      in_.erase(0, n);  // blank lines are ignored, which makes interactive use (socat) easier
      read();
      return;
    }
    out_ = server->handle_request(line) + "\n";
    in_.erase(0, n);
    write();
  }

  void write() {
    asio::async_write(socket_, asio::buffer(out_),
                      [self = this->shared_from_this()](const asio::error_code& ec, std::size_t) {
                        auto server = self->server_.lock();
                        if (!server || server->stopped_) {
                          return;
                        }
                        if (ec) {
                          self->finish(*server);
                          return;
                        }
                        if (self->closing_) {
                          // Closing with unread bytes would reset the connection and could
                          // destroy the error line in flight: end our side, then discard what
                          // the client still sends (bounded) until it closes.
                          asio::error_code ignored;
                          self->socket_.shutdown(Socket::shutdown_send, ignored);
                          self->drain(self->max_bytes_ * 4);
                          return;
                        }
                        self->read();
                      });
  }

  void drain(std::size_t budget) {
    socket_.async_read_some(
        asio::buffer(drain_buffer_),
        [self = this->shared_from_this(), budget](const asio::error_code& ec, std::size_t n) {
          auto server = self->server_.lock();
          if (!server || server->stopped_) {
            return;
          }
          if (ec || n >= budget) {
            self->finish(*server);
            return;
          }
          self->drain(budget - n);
        });
  }

  void finish(ControlServer& server) {
    close();
    server.forget(this);
  }

  Socket socket_;
  std::weak_ptr<ControlServer> server_;
  std::size_t max_bytes_;
  std::string in_;
  std::string out_;
  std::array<char, 4096> drain_buffer_{};
  bool closing_ = false;
};

// ===== server =====

ControlServer::ControlServer(asio::io_context& io) : ControlServer(io, Options{}) {}

ControlServer::ControlServer(asio::io_context& io, Options options) : io_(io), options_(options) {}

ControlServer::~ControlServer() { stop(); }

void ControlServer::register_command(std::string name, Handler handler) {
  commands_.insert_or_assign(std::move(name), std::move(handler));
}

std::vector<std::string> ControlServer::commands() const {
  std::vector<std::string> names;
  names.reserve(commands_.size());
  for (const auto& [name, handler] : commands_) {
    names.push_back(name);
  }
  return names;
}

std::string ControlServer::handle_request(std::string_view line) const {
  // nlohmann::json throws on bad input; this is the boundary where that becomes a value.
  nlohmann::json request = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded()) {
    return control_error("malformed request: not valid JSON").dump();
  }
  if (!request.is_object()) {
    return control_error("malformed request: expected a JSON object").dump();
  }
  const auto command_it = request.find("command");
  if (command_it == request.end() || !command_it->is_string()) {
    return control_error("malformed request: \"command\" must be a string").dump();
  }
  nlohmann::json args = nlohmann::json::object();
  if (const auto args_it = request.find("args"); args_it != request.end() && !args_it->is_null()) {
    if (!args_it->is_object()) {
      return control_error("malformed request: \"args\" must be an object").dump();
    }
    args = *args_it;
  }
  const auto& name = command_it->get_ref<const std::string&>();
  const auto handler = commands_.find(name);
  if (handler == commands_.end()) {
    return control_error("unknown command '" + name + "'").dump();
  }
  try {
    auto result = handler->second(args);
    if (!result) {
      return control_error(result.error().message).dump();
    }
    // Strings from handlers may hold invalid UTF-8 (e.g. a peer's shutdown message): replace
    // rather than throw.
    return control_ok(std::move(*result))
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const std::exception& e) {
    return control_error(std::string("internal error in '") + name + "': " + e.what()).dump();
  }
}

template <class Acceptor>
void ControlServer::accept(Acceptor& acceptor) {
  acceptor.async_accept([self = weak_from_this(), &acceptor](
                            const asio::error_code& ec,
                            typename Acceptor::protocol_type::socket socket) {
    auto s = self.lock();
    if (!s || s->stopped_) {
      return;
    }
    if (!ec) {
      using Conn = StreamConnection<typename Acceptor::protocol_type::socket>;
      auto connection = std::make_shared<Conn>(std::move(socket), s, s->options_.max_request_bytes);
      if (s->connections_.size() >= s->options_.max_connections) {
        connection->refuse("too many control connections (limit " +
                           std::to_string(s->options_.max_connections) + ")");
      } else {
        s->connections_.push_back(connection);
        connection->start();
      }
    } else if (ec == asio::error::operation_aborted) {
      return;
    }
    // Other accept errors (EMFILE, ECONNABORTED) are transient: keep accepting.
    s->accept(acceptor);
  });
}

void ControlServer::forget(const Connection* connection) {
  std::erase_if(connections_, [connection](const auto& c) { return c.get() == connection; });
}

base::Result<void> ControlServer::listen_unix(const std::string& path) {
  using Endpoint = asio::local::stream_protocol::endpoint;
  if (unix_acceptor_) {
    return base::fail("control socket: already listening on " + socket_path_);
  }
  if (path.empty() || path.size() >= sizeof(sockaddr_un::sun_path)) {
    return base::fail("control socket " + path + ": path must be 1 to " +
                      std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " bytes long");
  }
  namespace fs = std::filesystem;
  std::error_code fs_ec;
  const auto status = fs::symlink_status(path, fs_ec);
  if (fs::exists(status)) {
    if (!fs::is_socket(status)) {
      return base::fail("control socket " + path + ": exists and is not a socket");
    }
    // A live daemon accepts the connection; a dead one leaves a file that refuses it.
    asio::local::stream_protocol::socket probe(io_);
    asio::error_code ec;
    probe.connect(Endpoint(path), ec);
    if (!ec) {
      return base::fail("control socket " + path +
                        ": is in use by a running process (another bgpsecd?)");
    }
    if (ec != asio::error::connection_refused) {
      return base::fail("control socket " + path +
                        ": cannot check the existing socket: " + ec.message());
    }
    if (!fs::remove(path, fs_ec)) {
      return base::fail("control socket " + path +
                        ": cannot remove the stale socket: " + fs_ec.message());
    }
  }

  auto acceptor = std::make_unique<asio::local::stream_protocol::acceptor>(io_);
  asio::error_code ec;
  acceptor->open(asio::local::stream_protocol(), ec);
  if (!ec) {
    // Created 0660 from the start (umask), so no other user can connect in between.
    const mode_t old_mask = ::umask(0117);
    acceptor->bind(Endpoint(path), ec);
    ::umask(old_mask);
  }
  if (ec) {
    const auto dir = fs::path(path).parent_path();
    if (ec.value() == ENOENT && !dir.empty() && !fs::exists(dir, fs_ec)) {
      // The default lives in /run/bgpsecd, which only a service manager (RuntimeDirectory=)
      // or the operator creates: say what to do rather than repeat the errno.
      return base::fail("control socket " + path + ": the directory " + dir.string() +
                        " does not exist; create it (install -d -m 0750 " + dir.string() +
                        ") or set [control] socket to a path in an existing directory");
    }
    return base::fail("control socket " + path + ": cannot bind: " + ec.message());
  }
  fs::permissions(path,
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                      fs::perms::group_write,
                  fs_ec);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    socket_inode_ = st.st_ino;
    socket_device_ = st.st_dev;
  }
  acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    fs::remove(path, fs_ec);
    return base::fail("control socket " + path + ": cannot listen: " + ec.message());
  }
  socket_path_ = path;
  stopped_ = false;
  unix_acceptor_ = std::move(acceptor);
  accept(*unix_acceptor_);
  return {};
}

base::Result<void> ControlServer::listen_tcp(const std::string& address, std::uint16_t port) {
  if (tcp_acceptor_) {
    return base::fail("control TCP listener: already listening");
  }
  asio::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) {
    return base::fail("control TCP listener: '" + address + "' is not an IP address");
  }
  if (!ip.is_loopback()) {
    return base::fail("control TCP listener: " + address +
                      " is not a loopback address (the control API has no authentication)");
  }
  const asio::ip::tcp::endpoint endpoint(ip, port);
  auto acceptor = std::make_unique<asio::ip::tcp::acceptor>(io_);
  const auto where = "control TCP listener " + address + " port " + std::to_string(port);
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
    return base::fail(where + ": " + ec.message());
  }
  stopped_ = false;
  tcp_acceptor_ = std::move(acceptor);
  accept(*tcp_acceptor_);
  return {};
}

std::uint16_t ControlServer::tcp_port() const {
  if (!tcp_acceptor_) {
    return 0;
  }
  asio::error_code ec;
  const auto endpoint = tcp_acceptor_->local_endpoint(ec);
  return ec ? std::uint16_t{0} : endpoint.port();
}

void ControlServer::stop() {
  stopped_ = true;
  asio::error_code ignored;
  if (unix_acceptor_) {
    unix_acceptor_->close(ignored);
    unix_acceptor_.reset();
  }
  if (tcp_acceptor_) {
    tcp_acceptor_->close(ignored);
    tcp_acceptor_.reset();
  }
  for (const auto& connection : connections_) {
    connection->close();
  }
  connections_.clear();
  if (!socket_path_.empty()) {
    // Remove the file only if it is still ours: a second daemon may have replaced it.
    struct stat st {};
    if (::stat(socket_path_.c_str(), &st) == 0 && st.st_ino == socket_inode_ &&
        st.st_dev == socket_device_) {
      std::error_code fs_ec;
      std::filesystem::remove(socket_path_, fs_ec);
    }
    socket_path_.clear();
  }
}

}  // namespace bgpsecd::service
