// SPDX-License-Identifier: BSD-2-Clause
// The control API server against real sockets: a unix socket in a temporary directory (and
// loopback TCP), driven by control_request_*() and by a raw socket for malformed input.
#include "service/control_server.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "service/control_client.hpp"

namespace bgpsecd::service {
namespace {

using nlohmann::json;
using Protocol = asio::local::stream_protocol;

// A short path under /tmp (sun_path holds 107 bytes; build trees can be deeper than that).
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/bgpsecd-ctl-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&&) = delete;
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A server whose io_context runs on its own thread; the test thread plays the clients.
class ControlServerTest : public ::testing::Test {
 protected:
  void start(ControlServer::Options options = {}) {
    server_ = std::make_shared<ControlServer>(io_, options);
    server_->register_command("echo", [](const json& args) -> base::Result<json> {
      return json{{"args", args}};
    });
    server_->register_command("show neighbors", [](const json& args) -> base::Result<json> {
      if (args.contains("peer") && args["peer"] != "127.0.0.2") {
        return base::fail("no neighbor " + args["peer"].get<std::string>());
      }
      return json{{"neighbors", json::array({json{{"peer", "127.0.0.2"}}})}};
    });
    server_->register_command(
        "throw", [](const json&) -> base::Result<json> { throw std::runtime_error("boom"); });
    const auto listening = server_->listen_unix(socket_path_);
    ASSERT_TRUE(listening) << listening.error().message;
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    work_.reset();
    io_.stop();
    if (thread_.joinable()) {
      thread_.join();
    }
    if (server_) {
      server_->stop();  // the io thread is gone, so this thread may touch the server
    }
  }

  // A raw client: send bytes, read one line.
  struct RawClient {
    asio::io_context io;
    Protocol::socket socket{io};
    std::string buffer;

    explicit RawClient(const std::string& path) { socket.connect(Protocol::endpoint(path)); }
    void send(const std::string& bytes) { asio::write(socket, asio::buffer(bytes)); }
    std::string read_line() {
      asio::error_code ec;
      const std::size_t n = asio::read_until(socket, asio::dynamic_buffer(buffer), '\n', ec);
      if (ec) {
        return "<" + ec.message() + ">";
      }
      std::string line = buffer.substr(0, n - 1);
      buffer.erase(0, n);
      return line;
    }
    json request(const std::string& line) {
      send(line + "\n");
      return json::parse(read_line());
    }
  };

  TempDir dir_;
  std::string socket_path_ = dir_.file("bgpsecd.sock");
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::shared_ptr<ControlServer> server_;
  std::thread thread_;
};

TEST_F(ControlServerTest, AnswersSeveralCommands) {
  start();
  auto neighbors = control_request_unix(socket_path_, "show neighbors", json::object());
  ASSERT_TRUE(neighbors) << neighbors.error().message;
  EXPECT_TRUE(neighbors->ok);
  EXPECT_EQ(neighbors->result["neighbors"][0]["peer"], "127.0.0.2");

  auto echo = control_request_unix(socket_path_, "echo", json{{"peer", "::1"}, {"soft", true}});
  ASSERT_TRUE(echo) << echo.error().message;
  EXPECT_EQ(echo->result, (json{{"args", {{"peer", "::1"}, {"soft", true}}}}));

  // A handler's error is an ok:false response, not a transport failure.
  auto missing = control_request_unix(socket_path_, "show neighbors", json{{"peer", "10.9.9.9"}});
  ASSERT_TRUE(missing) << missing.error().message;
  EXPECT_FALSE(missing->ok);
  EXPECT_EQ(missing->error, "no neighbor 10.9.9.9");
}

TEST_F(ControlServerTest, SocketFileHasMode0660) {
  start();
  struct stat st {};
  ASSERT_EQ(::stat(socket_path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0660u);
}

TEST_F(ControlServerTest, UnknownCommandIsAnError) {
  start();
  auto response = control_request_unix(socket_path_, "show bogus", json::object());
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_FALSE(response->ok);
  EXPECT_EQ(response->error, "unknown command 'show bogus'");
}

TEST_F(ControlServerTest, MalformedRequestsGetErrorsAndTheConnectionStaysUsable) {
  start();
  RawClient client(socket_path_);
  const auto expect_error = [&](const std::string& line, const std::string& error) {
    const json response = client.request(line);
    EXPECT_EQ(response, (json{{"ok", false}, {"error", error}})) << line;
  };
  expect_error("{\"command\": ", "malformed request: not valid JSON");
  expect_error("[\"show neighbors\"]", "malformed request: expected a JSON object");
  expect_error("{\"command\": 5}", "malformed request: \"command\" must be a string");
  expect_error("{\"args\": {}}", "malformed request: \"command\" must be a string");
  expect_error("{\"command\": \"echo\", \"args\": [1]}",
               "malformed request: \"args\" must be an object");
  expect_error("{\"command\": \"throw\"}", "internal error in 'throw': boom");
  // Still the same connection: a good request works, CRLF and blank lines are tolerated.
  client.send("\n");
  EXPECT_EQ(client.request("{\"command\": \"echo\", \"args\": null}\r"),
            (json{{"ok", true}, {"result", {{"args", json::object()}}}}));
}

TEST_F(ControlServerTest, OversizedRequestIsRefusedAndClosed) {
  start(ControlServer::Options{.max_request_bytes = 1024});
  {
    // Exactly at the limit is fine.
    RawClient client(socket_path_);
    std::string line = "{\"command\": \"echo\"}";
    line.resize(1024, ' ');
    EXPECT_TRUE(client.request(line)["ok"]);
  }
  RawClient client(socket_path_);
  client.send(std::string(4096, 'x'));
  EXPECT_EQ(json::parse(client.read_line()),
            (json{{"ok", false}, {"error", "request exceeds 1024 bytes"}}));
  EXPECT_EQ(client.read_line(), "<" + asio::error_code(asio::error::eof).message() + ">");
}

TEST_F(ControlServerTest, ServesTwoClientsAtOnce) {
  start();
  RawClient first(socket_path_);
  RawClient second(socket_path_);
  // The first client sends half a request; the second is served meanwhile.
  first.send("{\"command\": \"ec");
  EXPECT_TRUE(second.request("{\"command\": \"echo\", \"args\": {\"n\": 2}}")["ok"]);
  first.send("ho\", \"args\": {\"n\": 1}}\n");
  EXPECT_EQ(json::parse(first.read_line())["result"]["args"]["n"], 1);
  // Two requests in one write are answered in order.
  second.send("{\"command\": \"echo\", \"args\": {\"n\": 3}}\n{\"command\": \"nope\"}\n");
  EXPECT_EQ(json::parse(second.read_line())["result"]["args"]["n"], 3);
  EXPECT_EQ(json::parse(second.read_line())["error"], "unknown command 'nope'");
}

TEST_F(ControlServerTest, ReplacesAStaleSocketFile) {
  {
    // A daemon that died leaves its socket file behind: bound once, nobody listening.
    asio::io_context io;
    Protocol::acceptor dead(io, Protocol::endpoint(socket_path_));
  }
  ASSERT_TRUE(std::filesystem::is_socket(socket_path_));
  start();
  auto response = control_request_unix(socket_path_, "echo", json::object());
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_TRUE(response->ok);
}

TEST_F(ControlServerTest, RefusesASocketInUse) {
  start();
  asio::io_context io;
  auto second = std::make_shared<ControlServer>(io);
  const auto result = second->listen_unix(socket_path_);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "control socket " + socket_path_ +
                                        ": is in use by a running process (another bgpsecd?)");
  second.reset();  // must not remove the running server's socket
  EXPECT_TRUE(control_request_unix(socket_path_, "echo", json::object()));
}

TEST_F(ControlServerTest, RefusesAPathThatIsNotASocket) {
  asio::io_context io;
  auto server = std::make_shared<ControlServer>(io);
  { std::ofstream(socket_path_) << "x"; }
  const auto result = server->listen_unix(socket_path_);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "control socket " + socket_path_ + ": exists and is not a socket");
  EXPECT_TRUE(std::filesystem::is_regular_file(socket_path_));
}

TEST_F(ControlServerTest, AMissingDirectoryIsNamedWithWhatToDo) {
  asio::io_context io;
  auto server = std::make_shared<ControlServer>(io);
  const std::string missing = dir_.file("run/bgpsecd");
  const auto result = server->listen_unix(missing + "/bgpsecd.sock");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "control socket " + missing + "/bgpsecd.sock: the directory " + missing +
                " does not exist; create it (install -d -m 0750 " + missing +
                ") or set [control] socket to a path in an existing "
                "directory");
}

TEST_F(ControlServerTest, StopRemovesTheSocketFile) {
  start();
  work_.reset();
  io_.stop();
  thread_.join();
  server_->stop();
  EXPECT_FALSE(std::filesystem::exists(socket_path_));
}

TEST_F(ControlServerTest, CannotConnectNamesTheSocket) {
  const auto result = control_request_unix(dir_.file("nothing.sock"), "echo", json::object());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("cannot connect to " + dir_.file("nothing.sock")),
            std::string::npos)
      << result.error().message;
}

TEST_F(ControlServerTest, LoopbackTcpListenerSpeaksTheSameProtocol) {
  start();
  // The server belongs to the io thread now, so the listener is added from there.
  std::promise<base::Result<void>> listened;
  asio::post(io_, [&] { listened.set_value(server_->listen_tcp("127.0.0.1", 0)); });
  const auto result = listened.get_future().get();
  ASSERT_TRUE(result) << result.error().message;
  const auto port = server_->tcp_port();
  ASSERT_NE(port, 0);
  auto response = control_request_tcp("127.0.0.1", port, "echo", json{{"x", 1}});
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->result["args"]["x"], 1);
}

TEST(ControlServerTcp, RefusesNonLoopbackAddresses) {
  asio::io_context io;
  auto server = std::make_shared<ControlServer>(io);
  const auto result = server->listen_tcp("192.0.2.1", 0);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("not a loopback address"), std::string::npos);
  EXPECT_FALSE(server->listen_tcp("localhost", 0));  // addresses only, no names
}

TEST(ControlResponse, ParsesTheProtocolShape) {
  auto ok = parse_control_response(R"({"ok":true,"result":{"a":1}})");
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->ok);
  EXPECT_EQ(ok->result, (json{{"a", 1}}));
  auto error = parse_control_response(R"({"ok":false,"error":"nope"})");
  ASSERT_TRUE(error);
  EXPECT_FALSE(error->ok);
  EXPECT_EQ(error->error, "nope");
  EXPECT_FALSE(parse_control_response("garbage"));
  EXPECT_FALSE(parse_control_response(R"({"result":1})"));
}

}  // namespace
}  // namespace bgpsecd::service
