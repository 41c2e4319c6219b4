// SPDX-License-Identifier: BSD-2-Clause
// The TOML reading helpers (toml_reader.hpp).
#include "service/toml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>

namespace bgpsecd::service {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

base::Result<std::string> read_config_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return base::fail(path.string() + ": cannot open the config file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return base::fail(path.string() + ": cannot read the config file");
  return std::move(text).str();
}

base::Result<toml::table> parse_toml(std::string_view text, std::string_view file) {
  // toml++ throws on a syntax error; the exception never leaves this function
  // (docs/style.md §2.6).
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return base::fail(std::string(file) + ":" + std::to_string(where.line) + ":" +
                      std::to_string(where.column) +
                      ": syntax error: " + std::string(e.description()));
  }
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t max) {
  if (text.empty())
    return std::nullopt;
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || value > max)
    return std::nullopt;
  return value;
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7F) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

const char* type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date/time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

base::Result<void> TomlReader::check_keys(const toml::table& table, std::string_view ctx,
                                          Keys allowed) {
  // toml++ iterates keys sorted; report the first unknown key in file order.
  const toml::key* first = nullptr;
  for (auto&& [key, node] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end())
      continue;
    const auto& src = key.source().begin;
    if (first == nullptr || src.line < first->source().begin.line ||
        (src.line == first->source().begin.line && src.column < first->source().begin.column)) {
      first = &key;
    }
  }
  if (first == nullptr)
    return {};
  std::string what = "unknown key '" + std::string(first->str()) + "'";
  std::string_view best;
  std::size_t best_distance = 3;  // suggest only close spellings
  for (std::string_view candidate : allowed) {
    const std::size_t d = edit_distance(first->str(), candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  if (!best.empty())
    what += " (did you mean '" + std::string(best) + "'?)";
  return error(first->source(), ctx, what);
}

base::Result<const toml::table*> TomlReader::sub_table(const toml::table& parent,
                                                       std::string_view key, std::string_view ctx) {
  const toml::node* node = parent.get(key);
  if (node == nullptr)
    return nullptr;
  if (!node->is_table()) {
    return error(node->source(), ctx,
                 "'" + std::string(key) + "' must be a table, not " + type_name(*node));
  }
  return node->as_table();
}

base::Result<const toml::array*> TomlReader::array_of_tables(const toml::table& parent,
                                                             std::string_view key,
                                                             std::string_view ctx) {
  const toml::node* node = parent.get(key);
  if (node == nullptr)
    return nullptr;
  const toml::array* array = node->as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    return error(node->source(), ctx,
                 "'" + std::string(key) + "' must be an array of tables ([[" + std::string(key) +
                     "]]), not " + type_name(*node));
  }
  return array;
}

base::Result<const toml::node*> TomlReader::require(const toml::table& table, std::string_view key,
                                                    std::string_view ctx) {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    return error(table.source(), ctx, "missing required key '" + std::string(key) + "'");
  }
  return node;
}

base::Result<void> TomlReader::read_bool(const toml::table& t, std::string_view key,
                                         std::string_view ctx, bool& out) {
  const toml::node* node = t.get(key);
  if (node == nullptr)
    return {};
  if (!node->is_boolean()) {
    return error(node->source(), ctx,
                 "'" + std::string(key) + "' must be a boolean, not " + type_name(*node));
  }
  out = node->as_boolean()->get();
  return {};
}

base::Result<std::string_view> TomlReader::string_of(const toml::node& node, std::string_view key,
                                                     std::string_view ctx) {
  if (!node.is_string()) {
    return error(node.source(), ctx,
                 "'" + std::string(key) + "' must be a string, not " + type_name(node));
  }
  return std::string_view(node.as_string()->get());
}

base::Result<void> TomlReader::read_string(const toml::table& t, std::string_view key,
                                           std::string_view ctx, std::string& out) {
  const toml::node* node = t.get(key);
  if (node == nullptr)
    return {};
  BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*node, key, ctx));
  out = std::string(text);
  return {};
}

base::Result<std::int64_t> TomlReader::integer(const toml::node& node, std::string_view key,
                                               std::string_view ctx, std::int64_t min,
                                               std::int64_t max) {
  if (!node.is_integer()) {
    return error(node.source(), ctx,
                 "'" + std::string(key) + "' must be an integer, not " + type_name(node));
  }
  const std::int64_t v = node.as_integer()->get();
  if (v < min || v > max) {
    return error(node.source(), ctx,
                 "'" + std::string(key) + "' = " + std::to_string(v) + " is out of range (" +
                     std::to_string(min) + ".." + std::to_string(max) + ")");
  }
  return v;
}

base::Result<base::Asn> TomlReader::asn(const toml::node& node, std::string_view key,
                                        std::string_view ctx) {
  base::Asn value;
  if (node.is_integer()) {
    BGPSEC_ASSIGN_OR_RETURN(const std::int64_t v,
                            integer(node, key, ctx, 0, std::numeric_limits<std::uint32_t>::max()));
    value = base::Asn(static_cast<std::uint32_t>(v));
  } else if (node.is_string()) {
    auto parsed = base::parse_asn(node.as_string()->get());
    if (!parsed)
      return error(node.source(), ctx, "'" + std::string(key) + "': " + parsed.error().message);
    value = *parsed;
  } else {
    return error(node.source(), ctx,
                 "'" + std::string(key) + "' must be an AS number, not " + type_name(node));
  }
  // RFC 7607: AS 0 is never a real AS. RFC 6793 §9: AS_TRANS only stands in for one.
  if (value.value() == 0)
    return error(node.source(), ctx, "'" + std::string(key) + "': AS 0 is reserved (RFC 7607)");
  if (value == base::kAsTrans) {
    return error(node.source(), ctx,
                 "'" + std::string(key) + "': AS_TRANS 23456 is not a real AS (RFC 6793 §9)");
  }
  return value;
}

}  // namespace bgpsecd::service
