// SPDX-License-Identifier: BSD-2-Clause
// Reading a TOML configuration file with toml++: typed getters that report errors and
// warnings as "file:line:column: context: what", a check for unknown keys that suggests the
// close spelling, enum names from tables, and the text helpers of the same style (unsigned
// numbers, quoted strings), and the reading and parsing of the file itself, so that every daemon
// reports a missing file or a syntax error in the same words. Nothing here knows a particular
// daemon's configuration: each config parser derives from TomlReader and fills its own struct.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

#include "base/asn.hpp"
#include "base/result.hpp"

namespace bgpsecd::service {

// The text of a configuration file; "PATH: cannot open the config file" or "PATH: cannot read
// the config file".
[[nodiscard]] base::Result<std::string> read_config_text(const std::filesystem::path& path);
// `text` as a TOML document; toml++'s parse error becomes "FILE:LINE:COLUMN: syntax error:
// WHAT", like every later error of TomlReader.
[[nodiscard]] base::Result<toml::table> parse_toml(std::string_view text, std::string_view file);

// A decimal number 0..max, the whole text (no sign, no spaces).
[[nodiscard]] std::optional<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t max);
// `s` as a TOML basic string, quotes included.
[[nodiscard]] std::string quote(std::string_view s);
// "a table", "an integer", ...: the kind of a node, for error messages.
[[nodiscard]] const char* type_name(const toml::node& node);

// Enums are written as names; each enum has one table of (name, value) pairs.
template <class Enum, std::size_t N>
std::optional<Enum> enum_from_name(std::string_view text,
                                   const std::array<std::pair<std::string_view, Enum>, N>& table) {
  for (const auto& [name, value] : table) {
    if (name == text)
      return value;
  }
  return std::nullopt;
}

template <class Enum, std::size_t N>
std::string enum_choices(const std::array<std::pair<std::string_view, Enum>, N>& table) {
  std::string out;
  for (const auto& [name, value] : table) {
    if (!out.empty())
      out += ", ";
    out += name;
  }
  return out;
}

template <class Enum, std::size_t N>
const char* enum_name(Enum value, const std::array<std::pair<std::string_view, Enum>, N>& table) {
  for (const auto& [name, v] : table) {
    // The tables hold string literals, so data() is NUL-terminated.
    if (v == value)
      return name.data();
  }
  return "unknown";
}

class TomlReader {
 public:
  using Keys = std::initializer_list<std::string_view>;

  // `file` prefixes every message; warnings are appended to `warnings`, which must outlive
  // the reader.
  TomlReader(std::string_view file, std::vector<std::string>& warnings)
      : file_(file), warnings_(&warnings) {}

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] std::string at(const toml::source_region& where) const {
    return file_ + ":" + std::to_string(where.begin.line) + ":" +
           std::to_string(where.begin.column);
  }
  [[nodiscard]] tl::unexpected<base::Error> error(const toml::source_region& where,
                                                  std::string_view ctx,
                                                  std::string_view what) const {
    return base::fail(at(where) + ": " + std::string(ctx) + ": " + std::string(what));
  }
  void warn(const toml::source_region& where, std::string_view ctx, std::string_view what) {
    warnings_->push_back(at(where) + ": " + std::string(ctx) + ": " + std::string(what));
  }

  // The first key of `table` (in file order) that is not in `allowed` is an error, with the
  // allowed key of close spelling if there is one.
  base::Result<void> check_keys(const toml::table& table, std::string_view ctx, Keys allowed);
  base::Result<const toml::table*> sub_table(const toml::table& parent, std::string_view key,
                                             std::string_view ctx);
  base::Result<const toml::array*> array_of_tables(const toml::table& parent, std::string_view key,
                                                   std::string_view ctx);
  base::Result<const toml::node*> require(const toml::table& table, std::string_view key,
                                          std::string_view ctx);

  // read_*: an absent key leaves `out` as it is; a value of the wrong type or out of range is
  // an error naming the key.
  base::Result<void> read_bool(const toml::table& t, std::string_view key, std::string_view ctx,
                               bool& out);
  base::Result<void> read_string(const toml::table& t, std::string_view key, std::string_view ctx,
                                 std::string& out);
  base::Result<std::int64_t> integer(const toml::node& node, std::string_view key,
                                     std::string_view ctx, std::int64_t min, std::int64_t max);
  template <class T>
  base::Result<void> read_int(const toml::table& t, std::string_view key, std::string_view ctx,
                              std::int64_t min, std::int64_t max, T& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr)
      return {};
    BGPSEC_ASSIGN_OR_RETURN(const std::int64_t v, integer(*node, key, ctx, min, max));
    out = static_cast<T>(v);
    return {};
  }
  template <class T>
  base::Result<void> read_opt_int(const toml::table& t, std::string_view key, std::string_view ctx,
                                  std::int64_t min, std::int64_t max, std::optional<T>& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr)
      return {};
    BGPSEC_ASSIGN_OR_RETURN(const std::int64_t v, integer(*node, key, ctx, min, max));
    out = static_cast<T>(v);
    return {};
  }
  base::Result<std::string_view> string_of(const toml::node& node, std::string_view key,
                                           std::string_view ctx);
  // Calls fn(text, node) for each string in the array at `key` (absent: never).
  template <class Fn>
  base::Result<void> for_each_string(const toml::table& t, std::string_view key,
                                     std::string_view ctx, Fn&& fn) {
    const toml::node* node = t.get(key);
    if (node == nullptr)
      return {};
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      return error(
          node->source(), ctx,
          "'" + std::string(key) + "' must be an array of strings, not " + type_name(*node));
    }
    for (const toml::node& element : *array) {
      BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(element, key, ctx));
      BGPSEC_TRY(fn(text, element));
    }
    return {};
  }
  template <class Enum, std::size_t N>
  base::Result<void> read_enum(const toml::table& t, std::string_view key, std::string_view ctx,
                               const std::array<std::pair<std::string_view, Enum>, N>& table,
                               Enum& out) {
    const toml::node* node = t.get(key);
    if (node == nullptr)
      return {};
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*node, key, ctx));
    const auto value = enum_from_name(text, table);
    if (!value) {
      return error(node->source(), ctx,
                   "'" + std::string(key) + "': unknown value '" + std::string(text) +
                       "' (expected one of " + enum_choices(table) + ")");
    }
    out = *value;
    return {};
  }
  base::Result<base::Asn> asn(const toml::node& node, std::string_view key, std::string_view ctx);

 private:
  std::string file_;
  std::vector<std::string>* warnings_;
};

}  // namespace bgpsecd::service
