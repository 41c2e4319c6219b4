// SPDX-License-Identifier: BSD-2-Clause
// Lenient field access for the text renderers (json_fields.hpp).
#include "service/json_fields.hpp"

namespace bgpsecd::service {

using nlohmann::json;

const json* field(const json& j, const char* key) {
  if (!j.is_object()) {
    return nullptr;
  }
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::optional<std::int64_t> integer(const json& j, const char* key) {
  const json* f = field(j, key);
  if (f == nullptr) {
    return std::nullopt;
  }
  if (f->is_number_unsigned()) {
    const auto v = f->get<std::uint64_t>();
    return v > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(v);
  }
  if (f->is_number_integer()) {
    return f->get<std::int64_t>();
  }
  return std::nullopt;
}

std::string text(const json& j, const char* key, const char* fallback) {
  const json* f = field(j, key);
  if (f != nullptr && f->is_string()) {
    return f->get<std::string>();
  }
  if (const auto n = integer(j, key)) {
    return std::to_string(*n);
  }
  return fallback;
}

bool flag(const json& j, const char* key) {
  const json* f = field(j, key);
  return f != nullptr && f->is_boolean() && f->get<bool>();
}

const json& array(const json& j, const char* key) {
  static const json kEmpty = json::array();
  const json* f = field(j, key);
  return f != nullptr && f->is_array() ? *f : kEmpty;
}

}  // namespace bgpsecd::service
