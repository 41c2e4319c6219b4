// SPDX-License-Identifier: BSD-2-Clause
// Reading JSON documents that other software writes (RPKI JSON exports, SLURM) without
// exceptions: parse with a positioned syntax error, member access that treats null as absent,
// entry names for error messages, and whole-file reads. Shared by rpki_json.cpp and slurm.cpp.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.hpp"

namespace bgpsecd::rpki::json_input {

using Json = nlohmann::json;

// The document, or nlohmann's syntax error with its line and column.
[[nodiscard]] base::Result<Json> parse(std::string_view text);

// The member, or nullptr when absent or JSON null (optional members may be written as null).
[[nodiscard]] const Json* member(const Json& object, const char* name);

// "array[index]", the name of an entry in error messages ("bgpsec_keys[3]: ...").
[[nodiscard]] std::string where(const char* array, std::size_t index);

// The whole file; errors name the file and the system's reason.
[[nodiscard]] base::Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace bgpsecd::rpki::json_input
