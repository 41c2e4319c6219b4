// SPDX-License-Identifier: BSD-2-Clause
// The client side of the control API (control_server.hpp): one request, one response, over a
// unix-domain socket or loopback TCP. Used by bgpsecctl and by tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.hpp"

namespace bgpsecd::service {

// What the daemon answered. ok: `result` holds the command's result; else `error` its text.
struct ControlResponse {
  bool ok = false;
  nlohmann::json result;
  std::string error;
};

inline constexpr std::chrono::seconds kControlTimeout{30};
// Route tables can be large; the client accepts responses up to this size.
inline constexpr std::size_t kMaxControlResponseBytes = std::size_t{512} << 20;

// Sends {"command":command,"args":args} and waits for the response line. The error (cannot
// connect, timeout, connection closed, response not JSON or not in the protocol's shape) names
// the socket path or address; a daemon-side error is a ControlResponse with ok == false.
[[nodiscard]] base::Result<ControlResponse> control_request_unix(
    const std::string& socket_path, std::string_view command, const nlohmann::json& args,
    std::chrono::milliseconds timeout = kControlTimeout);
[[nodiscard]] base::Result<ControlResponse> control_request_tcp(
    const std::string& address, std::uint16_t port, std::string_view command,
    const nlohmann::json& args, std::chrono::milliseconds timeout = kControlTimeout);

// Checks a response line's shape and splits it (exposed for tests).
[[nodiscard]] base::Result<ControlResponse> parse_control_response(std::string_view line);

}  // namespace bgpsecd::service
