// SPDX-License-Identifier: BSD-2-Clause
// See json_input.hpp.
#include "rpki/json_input.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace bgpsecd::rpki::json_input {

base::Result<Json> parse(std::string_view text) {
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded()) {
    return doc;
  }
  // nlohmann's own message has the line and column; only the throwing parse gives it. The
  // non-throwing parse above has already failed, so this one throws, and it is caught here.
  try {
    const Json ignored = Json::parse(text);
    static_cast<void>(ignored);
  } catch (const Json::exception& e) {
    return base::fail(e.what());
  }
  return base::fail("invalid JSON");
}

const Json* member(const Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

std::string where(const char* array, std::size_t index) {
  return std::string(array) + "[" + std::to_string(index) + "]";
}

base::Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return base::fail("cannot open " + path.string() + ": " + std::strerror(errno));
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return base::fail("cannot read " + path.string());
  }
  return text;
}

}  // namespace bgpsecd::rpki::json_input
