// SPDX-License-Identifier: BSD-2-Clause
// Lenient reading of control API answers for the text renderers of both daemons
// (daemon/control_text.cpp, validation_server/server_text.cpp): a field that is missing or has
// another type than expected reads as absent, so a renderer prints "-" instead of failing on
// an answer from an older or newer daemon (docs/style.md §2.14).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace bgpsecd::service {

// The member `key` of an object, or nullptr (also when `j` is no object).
[[nodiscard]] const nlohmann::json* field(const nlohmann::json& j, const char* key);
// An integer member; an unsigned one beyond INT64_MAX reads as INT64_MAX.
[[nodiscard]] std::optional<std::int64_t> integer(const nlohmann::json& j, const char* key);
// A string member as it is, an integer member in decimal, anything else `fallback`.
[[nodiscard]] std::string text(const nlohmann::json& j, const char* key,
                               const char* fallback = "-");
// True only for a boolean member that is true.
[[nodiscard]] bool flag(const nlohmann::json& j, const char* key);
// An array member, or an empty array.
[[nodiscard]] const nlohmann::json& array(const nlohmann::json& j, const char* key);

}  // namespace bgpsecd::service
