// SPDX-License-Identifier: BSD-2-Clause
// Control API client (control_client.hpp): a private io_context per request, so a caller
// needs no event loop and a dead daemon cannot hang it past the timeout.
#include "service/control_client.hpp"

#include <optional>

#include <asio.hpp>
#include <sys/un.h>

namespace bgpsecd::service {

namespace {

template <class Socket, class Endpoint>
base::Result<ControlResponse> exchange(const std::string& where, const Endpoint& endpoint,
                                       std::string_view command, const nlohmann::json& args,
                                       std::chrono::milliseconds timeout) {
  asio::io_context io;
  Socket socket(io);
  const nlohmann::json request{{"command", std::string(command)},
                               {"args", args.is_null() ? nlohmann::json::object() : args}};
  const std::string out =
      request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::string in;
  std::optional<base::Result<ControlResponse>> outcome;

  socket.async_connect(endpoint, [&](const asio::error_code& ec) {
    if (ec) {
      outcome = base::fail("cannot connect to " + where + ": " + ec.message());
      return;
    }
    asio::async_write(socket, asio::buffer(out), [&](const asio::error_code& wec, std::size_t) {
      if (wec) {
        outcome = base::fail("cannot send to " + where + ": " + wec.message());
        return;
      }
      asio::async_read_until(
          socket, asio::dynamic_buffer(in, kMaxControlResponseBytes), '\n',
          [&](const asio::error_code& rec, std::size_t n) {
            if (rec == asio::error::not_found) {
              outcome = base::fail("response from " + where + " is too large");
            } else if (rec) {
              outcome = base::fail(where + " closed the connection without an answer" +
                                   (rec == asio::error::eof ? "" : ": " + rec.message()));
            } else {
              auto parsed = parse_control_response(std::string_view(in).substr(0, n - 1));
              if (!parsed) {
                outcome = base::fail(where + ": " + parsed.error().message);
              } else {
                outcome = std::move(parsed);
              }
            }
          });
    });
  });
  io.run_for(timeout);
  if (!outcome) {
    return base::fail("no answer from " + where + " within " +
                      std::to_string(timeout.count() / 1000) + " s");
  }
  return std::move(*outcome);
}

}  // namespace

base::Result<ControlResponse> parse_control_response(std::string_view line) {
  const auto response = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (response.is_discarded() || !response.is_object()) {
    return base::fail("malformed response: not a JSON object");
  }
  const auto ok = response.find("ok");
  if (ok == response.end() || !ok->is_boolean()) {
    return base::fail("malformed response: no boolean \"ok\"");
  }
  ControlResponse out;
  out.ok = ok->get<bool>();
  if (out.ok) {
    const auto result = response.find("result");
    out.result = result != response.end() ? *result : nlohmann::json();
  } else {
    const auto error = response.find("error");
    out.error = error != response.end() && error->is_string() ? error->get<std::string>()
                                                              : "unspecified error";
  }
  return out;
}

base::Result<ControlResponse> control_request_unix(const std::string& socket_path,
                                                   std::string_view command,
                                                   const nlohmann::json& args,
                                                   std::chrono::milliseconds timeout) {
  using Protocol = asio::local::stream_protocol;
  if (socket_path.empty() || socket_path.size() >= sizeof(sockaddr_un::sun_path)) {
    return base::fail("cannot connect to " + socket_path + ": bad socket path length");
  }
  return exchange<Protocol::socket>(socket_path, Protocol::endpoint(socket_path), command, args,
                                    timeout);
}

base::Result<ControlResponse> control_request_tcp(const std::string& address, std::uint16_t port,
                                                  std::string_view command,
                                                  const nlohmann::json& args,
                                                  std::chrono::milliseconds timeout) {
  asio::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  const auto where = address + " port " + std::to_string(port);
  if (ec) {
    return base::fail("cannot connect to " + where + ": not an IP address");
  }
  return exchange<asio::ip::tcp::socket>(where, asio::ip::tcp::endpoint(ip, port), command, args,
                                         timeout);
}

}  // namespace bgpsecd::service
