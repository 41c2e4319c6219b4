// SPDX-License-Identifier: BSD-2-Clause
// A stand-in for bgpsecd's control API in bgpsecctl's end-to-end test: serves canned results
// from a JSON fixture on a unix socket until SIGTERM/SIGINT.
//   bgpsecctl_fake_daemon SOCKET FIXTURE.json
// FIXTURE maps command names to {"result": ...} or {"error": "text"}; the result "$args" echoes
// the request's args, so the test can check what bgpsecctl sent.
#include <fstream>
#include <iostream>
#include <memory>

#include <asio.hpp>
#include <nlohmann/json.hpp>

#include "service/control_server.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: bgpsecctl_fake_daemon SOCKET FIXTURE.json\n";
    return 2;
  }
  std::ifstream in(argv[2]);
  const auto fixture = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!in || fixture.is_discarded() || !fixture.is_object()) {
    std::cerr << "bgpsecctl_fake_daemon: cannot read fixture " << argv[2] << "\n";
    return 2;
  }
  asio::io_context io;
  auto server = std::make_shared<bgpsecd::service::ControlServer>(io);
  for (const auto& item : fixture.items()) {
    const nlohmann::json entry = item.value();  // a copy: clang 14 cannot capture bindings
    server->register_command(
        item.key(), [entry](const nlohmann::json& args) -> bgpsecd::base::Result<nlohmann::json> {
          if (entry.contains("error")) {
            return bgpsecd::base::fail(entry["error"].get<std::string>());
          }
          const auto& result = entry["result"];
          return result == "$args" ? args : result;
        });
  }
  if (auto listening = server->listen_unix(argv[1]); !listening) {
    std::cerr << "bgpsecctl_fake_daemon: " << listening.error().message << "\n";
    return 1;
  }
  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const asio::error_code&, int) { server->stop(); });
  io.run();
  return 0;
}
