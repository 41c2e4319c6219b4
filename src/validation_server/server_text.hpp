// SPDX-License-Identifier: BSD-2-Clause
// bgpsecvd's control API commands beyond bgpsecd's `show rpki` and `reload`, and the text
// bgpsecctl prints for their answers (bgpsecctl(8), "bgpsecvd"). The JSON shapes are the
// server's (server.cpp); the renderers tolerate missing fields, printing "-".
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace bgpsecd::validation_server {

inline constexpr std::string_view kCmdShowRouters = "show routers";
inline constexpr std::string_view kCmdShowUpdates = "show updates";  // args: {"id": N}
inline constexpr std::string_view kCmdShowServer = "show server";

[[nodiscard]] std::string render_routers(const nlohmann::json& result);
[[nodiscard]] std::string render_updates(const nlohmann::json& result);
[[nodiscard]] std::string render_server(const nlohmann::json& result);
// True when `command` is one of the above (the renderer for it is then used).
[[nodiscard]] bool is_server_command(std::string_view command) noexcept;
[[nodiscard]] std::string render_server_result(std::string_view command,
                                               const nlohmann::json& result);

}  // namespace bgpsecd::validation_server
