// SPDX-License-Identifier: BSD-2-Clause
#include "service/log_level.hpp"

#include <spdlog/spdlog.h>

namespace bgpsecd::service {

const char* log_level_name(LogLevel level) noexcept {
  for (const auto& [name, value] : kLogLevelNames) {
    if (value == level) {
      return name.data();
    }
  }
  return "info";
}

std::optional<LogLevel> parse_log_level(std::string_view name) noexcept {
  if (name == "warning") {
    return LogLevel::Warning;
  }
  for (const auto& [text, level] : kLogLevelNames) {
    if (text == name) {
      return level;
    }
  }
  return std::nullopt;
}

void set_log_level(LogLevel level) {
  switch (level) {
    case LogLevel::Trace:
      spdlog::set_level(spdlog::level::trace);
      return;
    case LogLevel::Debug:
      spdlog::set_level(spdlog::level::debug);
      return;
    case LogLevel::Info:
      spdlog::set_level(spdlog::level::info);
      return;
    case LogLevel::Warning:
      spdlog::set_level(spdlog::level::warn);
      return;
    case LogLevel::Error:
      spdlog::set_level(spdlog::level::err);
      return;
  }
}

}  // namespace bgpsecd::service
