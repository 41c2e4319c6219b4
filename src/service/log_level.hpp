// SPDX-License-Identifier: BSD-2-Clause
// The log level both daemons take from their configuration (`log_level`) and their command
// line (`--log-level`), with its names and the spdlog level it sets.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace bgpsecd::service {

enum class LogLevel : std::uint8_t { Trace, Debug, Info, Warning, Error };

// The configuration's names, spdlog's.
inline constexpr std::array<std::pair<std::string_view, LogLevel>, 5> kLogLevelNames{{
    {"trace", LogLevel::Trace},
    {"debug", LogLevel::Debug},
    {"info", LogLevel::Info},
    {"warn", LogLevel::Warning},
    {"error", LogLevel::Error},
}};

[[nodiscard]] const char* log_level_name(LogLevel level) noexcept;
// A configuration name, or "warning" (the command lines' spelling) for Warning.
[[nodiscard]] std::optional<LogLevel> parse_log_level(std::string_view name) noexcept;
// Sets spdlog's default logger to `level`.
void set_log_level(LogLevel level);

}  // namespace bgpsecd::service
