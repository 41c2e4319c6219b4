// SPDX-License-Identifier: BSD-2-Clause
// Parsing (toml++), checking, printing back and diffing the bgpsecd configuration. toml++
// throws on syntax errors; that exception is caught here and never leaves this file
// (docs/style.md §2.6). Every error and warning starts with "file:line:column".
#include "daemon/config.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <set>
#include <sstream>
#include <utility>

#include <toml++/toml.h>

namespace bgpsecd::daemon {
namespace {

// ===== small text helpers =====

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

bool is_loopback(const base::IpAddress& a) {
  const auto o = a.octets();
  if (a.afi() == base::Afi::Ipv4)
    return o[0] == 127;
  return std::all_of(o.begin(), o.end() - 1, [](std::uint8_t b) { return b == 0; }) && o[15] == 1;
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

constexpr std::array<std::pair<std::string_view, LogLevel>, 5> kLogLevels{{
    {"trace", LogLevel::Trace},
    {"debug", LogLevel::Debug},
    {"info", LogLevel::Info},
    {"warn", LogLevel::Warning},
    {"error", LogLevel::Error},
}};
constexpr std::array<std::pair<std::string_view, SyntaxErrorAction>, 2> kSyntaxErrorActions{{
    {"withdraw", SyntaxErrorAction::Withdraw},
    {"strip", SyntaxErrorAction::Strip},
}};
constexpr std::array<std::pair<std::string_view, IbgpState>, 2> kIbgpStates{{
    {"trust", IbgpState::Trust},
    {"revalidate", IbgpState::Revalidate},
}};
constexpr std::array<std::pair<std::string_view, rib::PrivateAsRemoval>, 3> kPrivateAsRemovals{{
    {"none", rib::PrivateAsRemoval::None},
    {"leading", rib::PrivateAsRemoval::Leading},
    {"all", rib::PrivateAsRemoval::All},
}};
constexpr std::array<std::pair<std::string_view, PolicyAction>, 3> kPolicyActions{{
    {"next", PolicyAction::Next},
    {"accept", PolicyAction::Accept},
    {"reject", PolicyAction::Reject},
}};
constexpr std::array<std::pair<std::string_view, rib::PathState>, 4> kPathStates{{
    {"valid", rib::PathState::Valid},
    {"not-valid", rib::PathState::NotValid},
    {"unsigned", rib::PathState::Unsigned},
    {"pending", rib::PathState::Pending},
}};
constexpr std::array<std::pair<std::string_view, rib::OriginState>, 3> kOriginStates{{
    {"valid", rib::OriginState::Valid},
    {"invalid", rib::OriginState::Invalid},
    {"not-found", rib::OriginState::NotFound},
}};

constexpr std::array<std::pair<std::string_view, std::uint32_t>, 4> kWellKnownCommunities{{
    {"no-export", wire::kCommunityNoExport},
    {"no-advertise", wire::kCommunityNoAdvertise},
    {"no-export-subconfed", wire::kCommunityNoExportSubconfed},
    {"graceful-shutdown", wire::kCommunityGracefulShutdown},
}};

template <class Enum, std::size_t N>
const char* enum_name(Enum value, const std::array<std::pair<std::string_view, Enum>, N>& table) {
  for (const auto& [name, v] : table) {
    // The tables hold string literals, so data() is NUL-terminated.
    if (v == value)
      return name.data();
  }
  return "unknown";
}

// ===== the parser =====

using Keys = std::initializer_list<std::string_view>;

class Parser {
 public:
  explicit Parser(std::string_view file) : file_(file) {}

  base::Result<Config> run(const toml::table& root);

 private:
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
    config_.warnings.push_back(at(where) + ": " + std::string(ctx) + ": " + std::string(what));
  }

  base::Result<void> check_keys(const toml::table& table, std::string_view ctx, Keys allowed);
  base::Result<const toml::table*> sub_table(const toml::table& parent, std::string_view key,
                                             std::string_view ctx);
  base::Result<const toml::array*> array_of_tables(const toml::table& parent, std::string_view key,
                                                   std::string_view ctx);
  base::Result<const toml::node*> require(const toml::table& table, std::string_view key,
                                          std::string_view ctx);

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
  base::Result<void> read_private_as_removal(const toml::table& t, std::string_view ctx,
                                             rib::PrivateAsRemoval& out);
  base::Result<void> parse_confederation(const toml::table& t);
  base::Result<Community> community(const toml::node& node, std::string_view text,
                                    std::string_view key, std::string_view ctx);

  base::Result<void> parse_global(const toml::table& root);
  base::Result<void> parse_control_and_metrics(const toml::table& root);
  base::Result<void> parse_rpki(const toml::table& root);
  base::Result<void> parse_bgpsec(const toml::table& root);
  base::Result<void> parse_prefix_lists(const toml::table& root);
  base::Result<void> parse_policies(const toml::table& root);
  base::Result<void> parse_rule(const toml::table& t, std::string_view ctx, PolicyRule& rule);
  base::Result<void> parse_networks(const toml::table& root);
  base::Result<void> parse_neighbors(const toml::table& root);
  base::Result<void> parse_neighbor(const toml::table& t, std::size_t index);
  base::Result<void> parse_bgpsec_families(const toml::table& t, std::string_view key,
                                           std::string_view ctx, BgpsecFamilies& out);

  std::string file_;
  Config config_;
};

base::Result<void> Parser::check_keys(const toml::table& table, std::string_view ctx,
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

base::Result<const toml::table*> Parser::sub_table(const toml::table& parent, std::string_view key,
                                                   std::string_view ctx) {
  const toml::node* node = parent.get(key);
  if (node == nullptr)
    return nullptr;
  if (!node->is_table()) {
    return error(node->source(), ctx,
                 "'" + std::string(key) + "' must be a table, not " + type_name(*node));
  }
  return node->as_table();
}

base::Result<const toml::array*> Parser::array_of_tables(const toml::table& parent,
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

base::Result<const toml::node*> Parser::require(const toml::table& table, std::string_view key,
                                                std::string_view ctx) {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    return error(table.source(), ctx, "missing required key '" + std::string(key) + "'");
  }
  return node;
}

base::Result<void> Parser::read_bool(const toml::table& t, std::string_view key,
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

// remove_private_as: "none", "leading" or "all"; or a boolean, the form of older versions
// (true: "leading", the one mode they had; false: "none").
base::Result<void> Parser::read_private_as_removal(const toml::table& t, std::string_view ctx,
                                                   rib::PrivateAsRemoval& out) {
  constexpr std::string_view key = "remove_private_as";
  const toml::node* node = t.get(key);
  if (node == nullptr)
    return {};
  if (node->is_boolean()) {
    out = node->as_boolean()->get() ? rib::PrivateAsRemoval::Leading : rib::PrivateAsRemoval::None;
    return {};
  }
  if (!node->is_string()) {
    return error(node->source(), ctx,
                 "'remove_private_as' must be one of " + enum_choices(kPrivateAsRemovals) +
                     " (or a boolean: true = \"leading\"), not " + type_name(*node));
  }
  return read_enum(t, key, ctx, kPrivateAsRemovals, out);
}

base::Result<std::string_view> Parser::string_of(const toml::node& node, std::string_view key,
                                                 std::string_view ctx) {
  if (!node.is_string()) {
    return error(node.source(), ctx,
                 "'" + std::string(key) + "' must be a string, not " + type_name(node));
  }
  return std::string_view(node.as_string()->get());
}

base::Result<void> Parser::read_string(const toml::table& t, std::string_view key,
                                       std::string_view ctx, std::string& out) {
  const toml::node* node = t.get(key);
  if (node == nullptr)
    return {};
  BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*node, key, ctx));
  out = std::string(text);
  return {};
}

base::Result<std::int64_t> Parser::integer(const toml::node& node, std::string_view key,
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

base::Result<base::Asn> Parser::asn(const toml::node& node, std::string_view key,
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

base::Result<Community> Parser::community(const toml::node& node, std::string_view text,
                                          std::string_view key, std::string_view ctx) {
  auto parsed = parse_community(text);
  if (!parsed)
    return error(node.source(), ctx, "'" + std::string(key) + "': " + parsed.error().message);
  return *parsed;
}

// ===== sections =====

base::Result<void> Parser::parse_global(const toml::table& root) {
  constexpr std::string_view ctx = "global";
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* t, sub_table(root, "global", ctx));
  if (t == nullptr)
    return error(root.source(), ctx, "missing [global] table (asn and router_id are required)");
  BGPSEC_TRY(
      check_keys(*t, ctx,
                 {"asn", "router_id", "listen", "hold_time", "keepalive", "graceful_restart_time",
                  "log_level", "confederation_id", "confederation_peers"}));
  GlobalConfig& g = config_.global;
  BGPSEC_ASSIGN_OR_RETURN(const toml::node* asn_node, require(*t, "asn", ctx));
  BGPSEC_ASSIGN_OR_RETURN(g.asn, asn(*asn_node, "asn", ctx));
  BGPSEC_ASSIGN_OR_RETURN(const toml::node* id_node, require(*t, "router_id", ctx));
  BGPSEC_ASSIGN_OR_RETURN(const std::string_view id_text, string_of(*id_node, "router_id", ctx));
  auto id = base::IpAddress::parse(id_text);
  // RFC 6286 §2.1: a non-zero 32-bit number, written as an IPv4 address.
  if (!id || id->afi() != base::Afi::Ipv4) {
    return error(id_node->source(), ctx, "'router_id' must be an IPv4 address (RFC 6286)");
  }
  const auto o = id->octets();
  g.router_id = (std::uint32_t{o[0]} << 24) | (std::uint32_t{o[1]} << 16) |
                (std::uint32_t{o[2]} << 8) | std::uint32_t{o[3]};
  if (g.router_id == 0)
    return error(id_node->source(), ctx, "'router_id' must not be 0.0.0.0 (RFC 6286 §2.1)");
  if (t->get("listen") != nullptr)
    g.listen.clear();
  BGPSEC_TRY(for_each_string(
      *t, "listen", ctx, [&](std::string_view text, const toml::node& n) -> base::Result<void> {
        auto ep = parse_endpoint(text, kDefaultBgpPort);
        if (!ep)
          return error(n.source(), ctx, "'listen': " + ep.error().message);
        if (std::find(g.listen.begin(), g.listen.end(), *ep) != g.listen.end()) {
          return error(n.source(), ctx, "'listen': " + ep->to_string() + " given twice");
        }
        g.listen.push_back(*ep);
        return {};
      }));
  BGPSEC_TRY(read_int(*t, "hold_time", ctx, 0, 65535, g.hold_time));
  // RFC 4271 §4.2: the Hold Time is zero or at least three seconds.
  if (g.hold_time == 1 || g.hold_time == 2) {
    return error(t->get("hold_time")->source(), ctx,
                 "'hold_time' must be 0 or at least 3 (RFC 4271 §4.2)");
  }
  BGPSEC_TRY(read_int(*t, "keepalive", ctx, 0, 65535, g.keepalive));
  // RFC 4271 §10: KEEPALIVEs must come more often than the hold time runs out.
  if (g.keepalive != 0 && (g.hold_time == 0 || g.keepalive >= g.hold_time)) {
    return error(t->get("keepalive")->source(), ctx,
                 "'keepalive' must be 0 (hold_time / 3) or less than hold_time (RFC 4271 §10)");
  }
  // RFC 4724 §3: the Restart Time is a 12-bit field.
  BGPSEC_TRY(read_int(*t, "graceful_restart_time", ctx, 0, 4095, g.graceful_restart_time));
  BGPSEC_TRY(read_enum(*t, "log_level", ctx, kLogLevels, g.log_level));
  return parse_confederation(*t);
}

// RFC 5065 §4: the AS Confederation Identifier and the Member-ASes of the other members.
base::Result<void> Parser::parse_confederation(const toml::table& t) {
  constexpr std::string_view ctx = "global";
  GlobalConfig& g = config_.global;
  if (const toml::node* node = t.get("confederation_id")) {
    BGPSEC_ASSIGN_OR_RETURN(g.confederation_id, asn(*node, "confederation_id", ctx));
    // Peers outside see the identifier, members our Member-AS: they must differ.
    if (*g.confederation_id == g.asn) {
      return error(node->source(), ctx,
                   "'confederation_id' must differ from 'asn' (our Member-AS, RFC 5065 §4)");
    }
  }
  const toml::node* node = t.get("confederation_peers");
  if (node == nullptr)
    return {};
  if (!g.confederation_id) {
    return error(node->source(), ctx, "'confederation_peers' needs 'confederation_id'");
  }
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    return error(node->source(), ctx,
                 std::string("'confederation_peers' must be an array of AS numbers, not ") +
                     type_name(*node));
  }
  for (const toml::node& element : *array) {
    BGPSEC_ASSIGN_OR_RETURN(const base::Asn member, asn(element, "confederation_peers", ctx));
    if (member == *g.confederation_id) {
      return error(element.source(), ctx,
                   "'confederation_peers': " + member.to_string() +
                       " is the confederation identifier, not a Member-AS");
    }
    if (std::find(g.confederation_peers.begin(), g.confederation_peers.end(), member) !=
        g.confederation_peers.end()) {
      return error(element.source(), ctx,
                   "'confederation_peers': AS" + member.to_string() + " given twice");
    }
    // Our own Member-AS may be listed (JunOS lists every member); it stays iBGP.
    if (member != g.asn) {
      g.confederation_peers.push_back(member);
    }
  }
  return {};
}

base::Result<void> Parser::parse_control_and_metrics(const toml::table& root) {
  GlobalConfig& g = config_.global;
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* control, sub_table(root, "control", "control"));
  if (control != nullptr) {
    BGPSEC_TRY(check_keys(*control, "control", {"socket", "tcp"}));
    BGPSEC_TRY(read_string(*control, "socket", "control", g.control_socket));
    std::string tcp;
    BGPSEC_TRY(read_string(*control, "tcp", "control", tcp));
    if (!tcp.empty()) {
      const toml::node* node = control->get("tcp");
      auto ep = parse_endpoint(tcp, 0);
      if (!ep || ep->port == 0) {
        return error(
            node->source(), "control",
            "'tcp' must be ADDRESS:PORT" + (ep ? std::string() : ": " + ep.error().message));
      }
      // The control API has no authentication: only local users may reach it.
      if (!is_loopback(ep->address)) {
        return error(node->source(), "control", "'tcp' must be a loopback address");
      }
      g.control_tcp = *ep;
    }
  }
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* metrics, sub_table(root, "metrics", "metrics"));
  if (metrics != nullptr) {
    BGPSEC_TRY(check_keys(*metrics, "metrics", {"listen"}));
    const toml::node* node = metrics->get("listen");
    if (node != nullptr) {
      BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*node, "listen", "metrics"));
      if (text.empty()) {
        g.metrics_listen.reset();
      } else {
        auto ep = parse_endpoint(text, kDefaultMetricsPort);
        if (!ep)
          return error(node->source(), "metrics", "'listen': " + ep.error().message);
        if (!is_loopback(ep->address)) {
          warn(node->source(), "metrics",
               "metrics are served beyond loopback on " + ep->to_string());
        }
        g.metrics_listen = *ep;
      }
    }
  }
  return {};
}

base::Result<void> Parser::parse_rpki(const toml::table& root) {
  constexpr std::string_view ctx = "rpki";
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* t, sub_table(root, "rpki", ctx));
  if (t == nullptr)
    return {};
  BGPSEC_TRY(check_keys(*t, ctx, {"cache", "files", "reload_interval", "slurm", "failover_after"}));
  RpkiConfig& r = config_.rpki;
  BGPSEC_TRY(for_each_string(*t, "files", ctx,
                             [&](std::string_view text, const toml::node& n) -> base::Result<void> {
                               if (text.empty())
                                 return error(n.source(), ctx, "'files': empty file name");
                               r.files.emplace_back(text);
                               return {};
                             }));
  std::int64_t seconds = r.reload_interval.count();
  BGPSEC_TRY(read_int(*t, "reload_interval", ctx, 0, 86400 * 7, seconds));
  r.reload_interval = std::chrono::seconds(seconds);
  BGPSEC_TRY(read_string(*t, "slurm", ctx, r.slurm_file));
  seconds = r.failover_after.count();
  BGPSEC_TRY(read_int(*t, "failover_after", ctx, 1, 86400, seconds));
  r.failover_after = std::chrono::seconds(seconds);
  BGPSEC_ASSIGN_OR_RETURN(const toml::array* caches, array_of_tables(*t, "cache", ctx));
  if (caches != nullptr) {
    for (const toml::node& node : *caches) {
      const toml::table& c = *node.as_table();
      const std::string cctx = "rpki cache #" + std::to_string(r.caches.size() + 1);
      BGPSEC_TRY(check_keys(c, cctx, {"address", "preference", "version"}));
      BGPSEC_ASSIGN_OR_RETURN(const toml::node* addr_node, require(c, "address", cctx));
      BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*addr_node, "address", cctx));
      auto parsed = rpki::parse_cache_address(std::string(text));
      if (!parsed)
        return error(addr_node->source(), cctx, "'address': " + parsed.error().message);
      RpkiCache cache;
      cache.host = parsed->host;
      cache.port = parsed->port;
      const std::string name = "rpki cache " + cache.address();
      BGPSEC_TRY(read_int(c, "preference", name, 0, 255, cache.preference));
      // RFC 8210 is version 1 (router keys); RFC 6810 version 0 carries only VRPs.
      BGPSEC_TRY(read_int(c, "version", name, 0, 1, cache.version));
      for (const RpkiCache& other : r.caches) {
        if (other.host == cache.host && other.port == cache.port) {
          return error(addr_node->source(), name, "cache given twice");
        }
      }
      r.caches.push_back(std::move(cache));
    }
  }
  return {};
}

base::Result<void> Parser::parse_bgpsec(const toml::table& root) {
  constexpr std::string_view ctx = "bgpsec";
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* t, sub_table(root, "bgpsec", ctx));
  if (t == nullptr)
    return {};
  BGPSEC_TRY(check_keys(
      *t, ctx,
      {"key_dir", "key_files", "active_key", "syntax_error_action", "remove_private_as",
       "ibgp_state", "preference", "drop_not_valid", "drop_origin_invalid", "validation_threads",
       "signature_cache_entries", "key_tables", "defer_when_queued"}));
  BgpsecConfig& b = config_.bgpsec;
  BGPSEC_TRY(read_string(*t, "key_dir", ctx, b.key_dir));
  BGPSEC_TRY(for_each_string(*t, "key_files", ctx,
                             [&](std::string_view text, const toml::node& n) -> base::Result<void> {
                               if (text.empty())
                                 return error(n.source(), ctx, "'key_files': empty file name");
                               b.key_files.emplace_back(text);
                               return {};
                             }));
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* active, sub_table(*t, "active_key", ctx));
  if (active != nullptr) {
    // RFC 8634 §4: which of an AS's keys signs, by SKI: `65001 = "<40 hex digits>"`.
    constexpr std::string_view actx = "bgpsec active_key";
    for (const auto& [key, node] : *active) {
      auto asn = base::parse_asn(key.str());
      if (!asn)
        return error(node.source(), actx,
                     "'" + std::string(key.str()) + "': " + asn.error().message);
      const auto* text = node.as_string();
      if (text == nullptr)
        return error(node.source(), actx,
                     "'" + std::string(key.str()) + "' must be a SKI (40 hex digits), not " +
                         type_name(node));
      auto ski = base::Ski::from_hex(text->get());
      if (!ski)
        return error(node.source(), actx,
                     "'" + std::string(key.str()) + "': " + ski.error().message);
      b.active_key[asn->value()] = *ski;
    }
  }
  BGPSEC_TRY(read_enum(*t, "syntax_error_action", ctx, kSyntaxErrorActions, b.syntax_error_action));
  BGPSEC_TRY(read_private_as_removal(*t, ctx, b.remove_private_as));
  BGPSEC_TRY(read_enum(*t, "ibgp_state", ctx, kIbgpStates, b.ibgp_state));
  BGPSEC_TRY(read_bool(*t, "drop_not_valid", ctx, b.drop_not_valid));
  BGPSEC_TRY(read_bool(*t, "drop_origin_invalid", ctx, b.drop_origin_invalid));
  BGPSEC_TRY(read_int(*t, "validation_threads", ctx, 0, 256, b.validation_threads));
  BGPSEC_TRY(
      read_int(*t, "signature_cache_entries", ctx, 0, 1'000'000'000, b.signature_cache_entries));
  BGPSEC_TRY(read_int(*t, "key_tables", ctx, 0, 10'000'000, b.key_tables));
  BGPSEC_TRY(read_opt_int(*t, "defer_when_queued", ctx, 0, 10'000'000, b.defer_when_queued));
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* pref, sub_table(*t, "preference", ctx));
  if (pref != nullptr) {
    constexpr std::string_view pctx = "bgpsec preference";
    BGPSEC_TRY(check_keys(*pref, pctx,
                          {"path_valid", "path_unsigned", "path_pending", "path_not_valid",
                           "origin_valid", "origin_not_found", "origin_invalid"}));
    constexpr std::int64_t kMax = std::numeric_limits<std::uint32_t>::max();
    rib::StatePreference& p = b.preference;
    BGPSEC_TRY(read_int(*pref, "path_valid", pctx, -kMax, kMax, p.path_valid));
    BGPSEC_TRY(read_int(*pref, "path_unsigned", pctx, -kMax, kMax, p.path_unsigned));
    BGPSEC_TRY(read_int(*pref, "path_pending", pctx, -kMax, kMax, p.path_pending));
    BGPSEC_TRY(read_int(*pref, "path_not_valid", pctx, -kMax, kMax, p.path_not_valid));
    BGPSEC_TRY(read_int(*pref, "origin_valid", pctx, -kMax, kMax, p.origin_valid));
    BGPSEC_TRY(read_int(*pref, "origin_not_found", pctx, -kMax, kMax, p.origin_not_found));
    BGPSEC_TRY(read_int(*pref, "origin_invalid", pctx, -kMax, kMax, p.origin_invalid));
  }
  return {};
}

base::Result<void> Parser::parse_prefix_lists(const toml::table& root) {
  BGPSEC_ASSIGN_OR_RETURN(const toml::array* lists,
                          array_of_tables(root, "prefix_list", "prefix_list"));
  if (lists == nullptr)
    return {};
  for (const toml::node& node : *lists) {
    const toml::table& t = *node.as_table();
    const std::string index_ctx = "prefix_list #" + std::to_string(config_.prefix_lists.size() + 1);
    BGPSEC_ASSIGN_OR_RETURN(const toml::node* name_node, require(t, "name", index_ctx));
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view name, string_of(*name_node, "name", index_ctx));
    if (name.empty())
      return error(name_node->source(), index_ctx, "'name' must not be empty");
    const std::string ctx = "prefix_list " + std::string(name);
    if (config_.find_prefix_list(name) != nullptr) {
      return error(name_node->source(), ctx, "prefix list defined twice");
    }
    BGPSEC_TRY(check_keys(t, ctx, {"name", "prefixes"}));
    PrefixList list{std::string(name), {}};
    BGPSEC_TRY(for_each_string(
        t, "prefixes", ctx, [&](std::string_view text, const toml::node& n) -> base::Result<void> {
          auto entry = parse_prefix_list_entry(text);
          if (!entry)
            return error(n.source(), ctx, "'prefixes': " + entry.error().message);
          list.entries.push_back(*entry);
          return {};
        }));
    config_.prefix_lists.push_back(std::move(list));
  }
  return {};
}

base::Result<void> Parser::parse_rule(const toml::table& t, std::string_view ctx,
                                      PolicyRule& rule) {
  BGPSEC_TRY(check_keys(t, ctx, {"match", "set", "action"}));
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* match, sub_table(t, "match", ctx));
  if (match != nullptr) {
    const std::string mctx = std::string(ctx) + " match";
    BGPSEC_TRY(check_keys(*match, mctx,
                          {"prefix_list", "as_path_contains", "origin_as", "community",
                           "path_state", "origin_state"}));
    PolicyMatch& m = rule.match;
    if (const toml::node* n = match->get("prefix_list")) {
      BGPSEC_ASSIGN_OR_RETURN(const std::string_view name, string_of(*n, "prefix_list", mctx));
      if (config_.find_prefix_list(name) == nullptr) {
        return error(n->source(), mctx, "undefined prefix list '" + std::string(name) + "'");
      }
      m.prefix_list = std::string(name);
    }
    if (const toml::node* n = match->get("as_path_contains")) {
      BGPSEC_ASSIGN_OR_RETURN(m.as_path_contains, asn(*n, "as_path_contains", mctx));
    }
    if (const toml::node* n = match->get("origin_as")) {
      BGPSEC_ASSIGN_OR_RETURN(m.origin_as, asn(*n, "origin_as", mctx));
    }
    if (const toml::node* n = match->get("community")) {
      BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*n, "community", mctx));
      BGPSEC_ASSIGN_OR_RETURN(m.community, community(*n, text, "community", mctx));
    }
    if (match->get("path_state") != nullptr) {
      rib::PathState state{};
      BGPSEC_TRY(read_enum(*match, "path_state", mctx, kPathStates, state));
      m.path_state = state;
    }
    if (match->get("origin_state") != nullptr) {
      rib::OriginState state{};
      BGPSEC_TRY(read_enum(*match, "origin_state", mctx, kOriginStates, state));
      m.origin_state = state;
    }
  }
  BGPSEC_ASSIGN_OR_RETURN(const toml::table* set, sub_table(t, "set", ctx));
  if (set != nullptr) {
    const std::string sctx = std::string(ctx) + " set";
    BGPSEC_TRY(check_keys(*set, sctx, {"local_pref", "med", "add_community", "prepend"}));
    constexpr std::int64_t kMax = std::numeric_limits<std::uint32_t>::max();
    BGPSEC_TRY(read_opt_int(*set, "local_pref", sctx, 0, kMax, rule.set.local_pref));
    BGPSEC_TRY(read_opt_int(*set, "med", sctx, 0, kMax, rule.set.med));
    BGPSEC_TRY(for_each_string(
        *set, "add_community", sctx,
        [&](std::string_view text, const toml::node& n) -> base::Result<void> {
          BGPSEC_ASSIGN_OR_RETURN(Community c, community(n, text, "add_community", sctx));
          rule.set.add_community.push_back(c);
          return {};
        }));
    // RFC 8205 §3.1: pCount is one octet and counts our AS once plus the prepends.
    BGPSEC_TRY(read_int(*set, "prepend", sctx, 0, 254, rule.set.prepend));
  }
  BGPSEC_TRY(read_enum(t, "action", ctx, kPolicyActions, rule.action));
  return {};
}

base::Result<void> Parser::parse_policies(const toml::table& root) {
  BGPSEC_ASSIGN_OR_RETURN(const toml::array* policies, array_of_tables(root, "policy", "policy"));
  if (policies == nullptr)
    return {};
  for (const toml::node& node : *policies) {
    const toml::table& t = *node.as_table();
    const std::string index_ctx = "policy #" + std::to_string(config_.policies.size() + 1);
    BGPSEC_ASSIGN_OR_RETURN(const toml::node* name_node, require(t, "name", index_ctx));
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view name, string_of(*name_node, "name", index_ctx));
    if (name.empty())
      return error(name_node->source(), index_ctx, "'name' must not be empty");
    const std::string ctx = "policy " + std::string(name);
    if (config_.find_policy(name) != nullptr) {
      return error(name_node->source(), ctx, "policy defined twice");
    }
    BGPSEC_TRY(check_keys(t, ctx, {"name", "default_action", "rule"}));
    Policy policy;
    policy.name = std::string(name);
    BGPSEC_TRY(read_enum(t, "default_action", ctx, kPolicyActions, policy.default_action));
    if (policy.default_action == PolicyAction::Next) {
      return error(t.get("default_action")->source(), ctx,
                   "'default_action' must be accept or reject");
    }
    BGPSEC_ASSIGN_OR_RETURN(const toml::array* rules, array_of_tables(t, "rule", ctx));
    if (rules != nullptr) {
      for (const toml::node& rule_node : *rules) {
        const std::string rctx = ctx + " rule #" + std::to_string(policy.rules.size() + 1);
        PolicyRule rule;
        BGPSEC_TRY(parse_rule(*rule_node.as_table(), rctx, rule));
        policy.rules.push_back(std::move(rule));
      }
    }
    config_.policies.push_back(std::move(policy));
  }
  return {};
}

base::Result<void> Parser::parse_networks(const toml::table& root) {
  BGPSEC_ASSIGN_OR_RETURN(const toml::array* networks, array_of_tables(root, "network", "network"));
  if (networks == nullptr)
    return {};
  for (const toml::node& node : *networks) {
    const toml::table& t = *node.as_table();
    const std::string index_ctx = "network #" + std::to_string(config_.networks.size() + 1);
    BGPSEC_ASSIGN_OR_RETURN(const toml::node* prefix_node, require(t, "prefix", index_ctx));
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view text,
                            string_of(*prefix_node, "prefix", index_ctx));
    auto prefix = base::Prefix::parse(text);
    if (!prefix)
      return error(prefix_node->source(), index_ctx, "'prefix': " + prefix.error().message);
    const std::string ctx = "network " + prefix->to_string();
    for (const Network& other : config_.networks) {
      if (other.prefix == *prefix)
        return error(prefix_node->source(), ctx, "network given twice");
    }
    BGPSEC_TRY(check_keys(t, ctx, {"prefix", "communities"}));
    Network network{*prefix, {}};
    BGPSEC_TRY(for_each_string(
        t, "communities", ctx, [&](std::string_view c, const toml::node& n) -> base::Result<void> {
          BGPSEC_ASSIGN_OR_RETURN(Community value, community(n, c, "communities", ctx));
          network.communities.push_back(value);
          return {};
        }));
    config_.networks.push_back(std::move(network));
  }
  return {};
}

base::Result<void> Parser::parse_bgpsec_families(const toml::table& t, std::string_view key,
                                                 std::string_view ctx, BgpsecFamilies& out) {
  return for_each_string(t, key, ctx,
                         [&](std::string_view text, const toml::node& n) -> base::Result<void> {
                           if (text == "ipv4") {
                             out.ipv4 = true;
                           } else if (text == "ipv6") {
                             out.ipv6 = true;
                           } else {
                             return error(n.source(), ctx,
                                          "'" + std::string(key) + "': unknown family '" +
                                              std::string(text) + "' (expected ipv4 or ipv6)");
                           }
                           return {};
                         });
}

base::Result<void> Parser::parse_neighbor(const toml::table& t, std::size_t index) {
  const std::string index_ctx = "neighbor #" + std::to_string(index);
  NeighborConfig n;
  BGPSEC_ASSIGN_OR_RETURN(const toml::node* addr_node, require(t, "address", index_ctx));
  BGPSEC_ASSIGN_OR_RETURN(const std::string_view addr_text,
                          string_of(*addr_node, "address", index_ctx));
  auto address = base::IpAddress::parse(addr_text);
  if (!address)
    return error(addr_node->source(), index_ctx, "'address': " + address.error().message);
  n.address = *address;
  const std::string ctx = "neighbor " + n.name();
  if (config_.find_neighbor(n.address) != nullptr) {
    return error(addr_node->source(), ctx, "neighbor defined twice");
  }
  BGPSEC_TRY(check_keys(t, ctx,
                        {"address",
                         "remote_as",
                         "local_address",
                         "port",
                         "passive",
                         "description",
                         "hold_time",
                         "families",
                         "bgpsec",
                         "import",
                         "export",
                         "max_prefix",
                         "next_hop_self",
                         "next_hop_ipv4",
                         "next_hop_ipv6",
                         "route_reflector_client",
                         "route_server",
                         "route_server_peer",
                         "graceful_restart",
                         "extended_messages",
                         "enhanced_route_refresh",
                         "eorr_timeout",
                         "remove_private_as"}));
  BGPSEC_ASSIGN_OR_RETURN(const toml::node* as_node, require(t, "remote_as", ctx));
  BGPSEC_ASSIGN_OR_RETURN(n.remote_as, asn(*as_node, "remote_as", ctx));
  const bool ibgp = n.ibgp(config_.global);
  // RFC 5065 §4: the confederation identifier is our own AS seen from outside.
  if (config_.global.confederation_id && n.remote_as == *config_.global.confederation_id) {
    return error(as_node->source(), ctx,
                 "'remote_as' is our confederation identifier; a member of the confederation "
                 "is named by its Member-AS (listed in global confederation_peers)");
  }
  if (const toml::node* node = t.get("local_address")) {
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*node, "local_address", ctx));
    auto local = base::IpAddress::parse(text);
    if (!local)
      return error(node->source(), ctx, "'local_address': " + local.error().message);
    if (local->afi() != n.address.afi()) {
      return error(node->source(), ctx, "'local_address' must be of the neighbor address's family");
    }
    n.local_address = *local;
  }
  BGPSEC_TRY(read_int(t, "port", ctx, 1, 65535, n.port));
  BGPSEC_TRY(read_bool(t, "passive", ctx, n.passive));
  BGPSEC_TRY(read_string(t, "description", ctx, n.description));
  BGPSEC_TRY(read_opt_int(t, "hold_time", ctx, 0, 65535, n.hold_time));
  if (n.hold_time && (*n.hold_time == 1 || *n.hold_time == 2)) {
    return error(t.get("hold_time")->source(), ctx,
                 "'hold_time' must be 0 or at least 3 (RFC 4271 §4.2)");
  }
  if (const toml::node* node = t.get("families")) {
    BgpsecFamilies families;  // reused as a pair of flags
    BGPSEC_TRY(parse_bgpsec_families(t, "families", ctx, families));
    // RFC 4760 §8: a session carries at least one family.
    if (!families.ipv4 && !families.ipv6)
      return error(node->source(), ctx, "'families' must not be empty");
    n.ipv4 = families.ipv4;
    n.ipv6 = families.ipv6;
  } else {
    n.ipv4 = n.address.afi() == base::Afi::Ipv4;
    n.ipv6 = !n.ipv4;
  }
  if (const toml::node* node = t.get("bgpsec")) {
    if (node->is_boolean()) {
      // Shorthand: both directions for every configured family.
      if (node->as_boolean()->get()) {
        n.bgpsec_send = n.bgpsec_receive = BgpsecFamilies{n.ipv4, n.ipv6};
      }
    } else if (node->is_table()) {
      const std::string bctx = ctx + " bgpsec";
      BGPSEC_TRY(check_keys(*node->as_table(), bctx, {"send", "receive"}));
      BGPSEC_TRY(parse_bgpsec_families(*node->as_table(), "send", bctx, n.bgpsec_send));
      BGPSEC_TRY(parse_bgpsec_families(*node->as_table(), "receive", bctx, n.bgpsec_receive));
    } else {
      return error(node->source(), ctx,
                   std::string("'bgpsec' must be a boolean or a table {send = [...], receive = "
                               "[...]}, not ") +
                       type_name(*node));
    }
    // RFC 8205 §2.2: BGPsec for an AFI is only used when that family is negotiated too.
    if (((n.bgpsec_send.ipv4 || n.bgpsec_receive.ipv4) && !n.ipv4) ||
        ((n.bgpsec_send.ipv6 || n.bgpsec_receive.ipv6) && !n.ipv6)) {
      return error(node->source(), ctx,
                   "BGPsec for a family the neighbor does not carry ('families')");
    }
    const bool sends = n.bgpsec_send.ipv4 || n.bgpsec_send.ipv6;
    const bool receives = n.bgpsec_receive.ipv4 || n.bgpsec_receive.ipv6;
    if (sends && config_.bgpsec.key_dir.empty() && config_.bgpsec.key_files.empty()) {
      return error(node->source(), ctx,
                   "BGPsec send needs router keys: set [bgpsec] key_dir or key_files");
    }
    if (receives && config_.rpki.caches.empty() && config_.rpki.files.empty()) {
      warn(node->source(), ctx,
           "BGPsec receive without [rpki] caches or files: no router keys, every signed path "
           "will be Not Valid");
    }
  }
  for (const char* key : {"import", "export"}) {
    const toml::node* node = t.get(key);
    if (node == nullptr)
      continue;
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view name, string_of(*node, key, ctx));
    if (config_.find_policy(name) == nullptr) {
      return error(node->source(), ctx,
                   "'" + std::string(key) + "': undefined policy '" + std::string(name) + "'");
    }
    (std::string_view(key) == "import" ? n.import_policy : n.export_policy) = std::string(name);
  }
  BGPSEC_TRY(
      read_int(t, "max_prefix", ctx, 0, std::numeric_limits<std::uint32_t>::max(), n.max_prefix));
  BGPSEC_TRY(read_bool(t, "next_hop_self", ctx, n.next_hop_self));
  for (const auto afi : {base::Afi::Ipv4, base::Afi::Ipv6}) {
    const char* key = afi == base::Afi::Ipv4 ? "next_hop_ipv4" : "next_hop_ipv6";
    const toml::node* node = t.get(key);
    if (node == nullptr)
      continue;
    BGPSEC_ASSIGN_OR_RETURN(const std::string_view text, string_of(*node, key, ctx));
    auto next_hop = base::IpAddress::parse(text);
    if (!next_hop)
      return error(node->source(), ctx, "'" + std::string(key) + "': " + next_hop.error().message);
    if (next_hop->afi() != afi)
      return error(node->source(), ctx,
                   "'" + std::string(key) + "' must be an address of that family");
    (afi == base::Afi::Ipv4 ? n.next_hop_ipv4 : n.next_hop_ipv6) = *next_hop;
  }
  BGPSEC_TRY(read_bool(t, "route_reflector_client", ctx, n.route_reflector_client));
  // RFC 4456 §6: route reflection is among iBGP peers.
  if (n.route_reflector_client && !ibgp) {
    return error(t.get("route_reflector_client")->source(), ctx,
                 "'route_reflector_client' needs an iBGP neighbor (remote_as = global asn)");
  }
  BGPSEC_TRY(read_bool(t, "route_server", ctx, n.route_server));
  // RFC 8205 §4.2: a transparent route server sits between eBGP clients.
  if (n.route_server && ibgp) {
    return error(t.get("route_server")->source(), ctx, "'route_server' needs an eBGP neighbor");
  }
  BGPSEC_TRY(read_bool(t, "route_server_peer", ctx, n.peer_is_route_server));
  // RFC 8205 §7.2: pCount 0 from a transparent route server, which is an eBGP neighbor.
  if (n.peer_is_route_server && ibgp) {
    return error(t.get("route_server_peer")->source(), ctx,
                 "'route_server_peer' needs an eBGP neighbor");
  }
  BGPSEC_TRY(read_bool(t, "graceful_restart", ctx, n.graceful_restart));
  BGPSEC_TRY(read_bool(t, "extended_messages", ctx, n.extended_messages));
  BGPSEC_TRY(read_bool(t, "enhanced_route_refresh", ctx, n.enhanced_route_refresh));
  BGPSEC_TRY(read_int(t, "eorr_timeout", ctx, 1, 65535, n.eorr_timeout));
  if (const toml::node* node = t.get("remove_private_as")) {
    rib::PrivateAsRemoval remove = rib::PrivateAsRemoval::None;
    BGPSEC_TRY(read_private_as_removal(t, ctx, remove));
    // RFC 8374 §8.4.2: private ASNs are removed where routes leave for another AS; inside our
    // AS and our confederation (whose Member-ASes are often private) they are path.
    if (!n.external(config_.global)) {
      return error(node->source(), ctx,
                   "'remove_private_as' needs an eBGP neighbor outside our confederation");
    }
    n.remove_private_as = remove;
  }
  // RFC 8212 §3: an eBGP session without policy accepts and sends nothing.
  if (!ibgp) {
    if (!n.import_policy) {
      warn(t.source(), ctx,
           "eBGP neighbor without import policy: no routes will be accepted (RFC 8212)");
    }
    if (!n.export_policy) {
      warn(t.source(), ctx,
           "eBGP neighbor without export policy: no routes will be sent (RFC 8212)");
    }
  }
  config_.neighbors.push_back(std::move(n));
  return {};
}

base::Result<void> Parser::parse_neighbors(const toml::table& root) {
  BGPSEC_ASSIGN_OR_RETURN(const toml::array* neighbors,
                          array_of_tables(root, "neighbor", "neighbor"));
  if (neighbors == nullptr)
    return {};
  for (const toml::node& node : *neighbors) {
    BGPSEC_TRY(parse_neighbor(*node.as_table(), config_.neighbors.size() + 1));
  }
  return {};
}

base::Result<Config> Parser::run(const toml::table& root) {
  BGPSEC_TRY(check_keys(root, "top level",
                        {"global", "control", "metrics", "rpki", "bgpsec", "prefix_list", "policy",
                         "network", "neighbor"}));
  // Order matters: later sections refer to earlier ones (policies to prefix lists, neighbors
  // to policies, BGPsec neighbors to keys and RPKI sources).
  BGPSEC_TRY(parse_global(root));
  BGPSEC_TRY(parse_control_and_metrics(root));
  BGPSEC_TRY(parse_rpki(root));
  BGPSEC_TRY(parse_bgpsec(root));
  BGPSEC_TRY(parse_prefix_lists(root));
  BGPSEC_TRY(parse_policies(root));
  BGPSEC_TRY(parse_networks(root));
  BGPSEC_TRY(parse_neighbors(root));
  return std::move(config_);
}

// ===== normal form =====

std::string string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0)
      out += ", ";
    out += quote(items[i]);
  }
  return out + "]";
}

std::string communities_array(const std::vector<Community>& list) {
  std::vector<std::string> items;
  items.reserve(list.size());
  for (const Community& c : list)
    items.push_back(community_to_string(c));
  return string_array(items);
}

std::string families_array(bool ipv4, bool ipv6) {
  std::vector<std::string> items;
  if (ipv4)
    items.emplace_back("ipv4");
  if (ipv6)
    items.emplace_back("ipv6");
  return string_array(items);
}

std::string router_id_string(std::uint32_t id) { return base::IpAddress::v4(id).to_string(); }

// ===== diff helpers =====

bool same_policy(const Config& a, const Config& b, const std::optional<std::string>& name_a,
                 const std::optional<std::string>& name_b) {
  if (name_a != name_b)
    return false;
  if (!name_a)
    return true;
  const Policy* pa = a.find_policy(*name_a);
  const Policy* pb = b.find_policy(*name_b);
  if (pa == nullptr || pb == nullptr)
    return pa == pb;
  if (!(*pa == *pb))
    return false;
  // A policy is also changed when a prefix list it uses changed.
  for (const PolicyRule& rule : pa->rules) {
    if (!rule.match.prefix_list)
      continue;
    const PrefixList* la = a.find_prefix_list(*rule.match.prefix_list);
    const PrefixList* lb = b.find_prefix_list(*rule.match.prefix_list);
    if (la == nullptr || lb == nullptr ? la != lb : !(*la == *lb))
      return false;
  }
  return true;
}

bool needs_reset(const NeighborConfig& a, const GlobalConfig& ga, const NeighborConfig& b,
                 const GlobalConfig& gb) {
  const session::FsmConfig fa = to_fsm_config(a, ga);
  const session::FsmConfig fb = to_fsm_config(b, gb);
  const session::SessionConfig& sa = fa.session;
  const session::SessionConfig& sb = fb.session;
  const auto gr_time = [](const session::SessionConfig& s) {
    return s.graceful_restart ? std::optional<std::uint16_t>(s.graceful_restart->restart_time)
                              : std::nullopt;
  };
  return sa.local_as != sb.local_as || sa.router_id != sb.router_id || sa.peer_as != sb.peer_as ||
         sa.hold_time != sb.hold_time || sa.keepalive != sb.keepalive ||
         sa.families != sb.families || !(sa.bgpsec == sb.bgpsec) || gr_time(sa) != gr_time(sb) ||
         sa.extended_messages != sb.extended_messages ||
         sa.enhanced_route_refresh != sb.enhanced_route_refresh || fa.passive != fb.passive ||
         a.local_address != b.local_address || a.port != b.port ||
         // read when the session comes up (Speaker::on_established)
         a.next_hop_ipv4 != b.next_hop_ipv4 || a.next_hop_ipv6 != b.next_hop_ipv6 ||
         // Whether the session is iBGP decides what the OPEN must say and how UPDATEs decode;
         // being a confederation member how its Secure_Paths are checked (RFC 8205 §4.3).
         a.ibgp(ga) != b.ibgp(gb) || a.confed_member(ga) != b.confed_member(gb);
}

}  // namespace

// ===== value helpers =====

std::string Endpoint::to_string() const {
  if (address.afi() == base::Afi::Ipv6)
    return "[" + address.to_string() + "]:" + std::to_string(port);
  return address.to_string() + ":" + std::to_string(port);
}

base::Result<Endpoint> parse_endpoint(std::string_view text, std::uint16_t default_port) {
  std::string_view host = text;
  std::optional<std::string_view> port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos)
      return base::fail("'" + std::string(text) + "': missing ']'");
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':')
        return base::fail("'" + std::string(text) + "': expected ':PORT' after ']'");
      port_text = rest.substr(1);
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    const auto colon = text.find(':');
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  auto address = base::IpAddress::parse(host);
  if (!address)
    return base::fail("'" + std::string(text) + "': " + address.error().message);
  Endpoint ep{*address, default_port};
  if (port_text) {
    const auto port = parse_unsigned(*port_text, 65535);
    if (!port)
      return base::fail("'" + std::string(text) + "': port must be 0..65535");
    ep.port = static_cast<std::uint16_t>(*port);
  }
  return ep;
}

base::Result<Community> parse_community(std::string_view text) {
  if (auto known = enum_from_name(text, kWellKnownCommunities))
    return Community(*known);
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto colon = text.find(':', start);
    parts.push_back(text.substr(start, colon == std::string_view::npos ? colon : colon - start));
    if (colon == std::string_view::npos)
      break;
    start = colon + 1;
  }
  const std::string bad = "'" + std::string(text) +
                          "' is not a community (ASN:VALUE with 16-bit parts, "
                          "GLOBAL:LOCAL1:LOCAL2 with 32-bit parts, or no-export, no-advertise, "
                          "no-export-subconfed, graceful-shutdown)";
  if (parts.size() == 2) {
    // RFC 1997 §3: two 16-bit halves.
    const auto high = parse_unsigned(parts[0], 0xFFFF);
    const auto low = parse_unsigned(parts[1], 0xFFFF);
    if (!high || !low)
      return base::fail(bad);
    return Community(static_cast<std::uint32_t>((*high << 16) | *low));
  }
  if (parts.size() == 3) {
    // RFC 8092 §3: three 32-bit numbers.
    std::array<std::uint32_t, 3> v{};
    for (std::size_t i = 0; i < 3; ++i) {
      const auto n = parse_unsigned(parts[i], 0xFFFFFFFF);
      if (!n)
        return base::fail(bad);
      v[i] = static_cast<std::uint32_t>(*n);
    }
    return Community(wire::LargeCommunity{v[0], v[1], v[2]});
  }
  return base::fail(bad);
}

std::string community_to_string(const Community& community) {
  if (const auto* large = std::get_if<wire::LargeCommunity>(&community)) {
    return std::to_string(large->global) + ":" + std::to_string(large->local1) + ":" +
           std::to_string(large->local2);
  }
  const std::uint32_t value = std::get<std::uint32_t>(community);
  for (const auto& [name, v] : kWellKnownCommunities) {
    if (v == value)
      return std::string(name);
  }
  return std::to_string(value >> 16) + ":" + std::to_string(value & 0xFFFF);
}

const char* log_level_name(LogLevel level) noexcept { return enum_name(level, kLogLevels); }
const char* syntax_error_action_name(SyntaxErrorAction action) noexcept {
  return enum_name(action, kSyntaxErrorActions);
}
const char* ibgp_state_name(IbgpState state) noexcept { return enum_name(state, kIbgpStates); }
const char* private_as_removal_name(rib::PrivateAsRemoval mode) noexcept {
  return enum_name(mode, kPrivateAsRemovals);
}
const char* policy_action_name(PolicyAction action) noexcept {
  return enum_name(action, kPolicyActions);
}

std::string RpkiCache::address() const {
  if (host.find(':') != std::string::npos)
    return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

rpki::RtrCacheConfig to_rtr_cache_config(const RpkiCache& cache) {
  rpki::RtrCacheConfig out;
  out.host = cache.host;
  out.port = cache.port;
  out.preference = cache.preference;
  out.max_version = cache.version;
  return out;
}

bool operator==(const BgpsecConfig& a, const BgpsecConfig& b) {
  const auto pref = [](const rib::StatePreference& p) {
    return std::array<std::int64_t, 7>{p.path_valid,     p.path_unsigned, p.path_pending,
                                       p.path_not_valid, p.origin_valid,  p.origin_not_found,
                                       p.origin_invalid};
  };
  return a.key_dir == b.key_dir && a.key_files == b.key_files && a.active_key == b.active_key &&
         a.syntax_error_action == b.syntax_error_action &&
         a.remove_private_as == b.remove_private_as && a.ibgp_state == b.ibgp_state &&
         pref(a.preference) == pref(b.preference) && a.drop_not_valid == b.drop_not_valid &&
         a.drop_origin_invalid == b.drop_origin_invalid &&
         a.validation_threads == b.validation_threads &&
         a.signature_cache_entries == b.signature_cache_entries && a.key_tables == b.key_tables &&
         a.defer_when_queued == b.defer_when_queued;
}

bool PrefixListEntry::matches(const base::Prefix& p) const noexcept {
  return prefix.contains(p) && p.length() >= ge && p.length() <= le;
}

std::string PrefixListEntry::to_string() const {
  if (ge == prefix.length() && le == prefix.length())
    return prefix.to_string();
  return prefix.to_string() + " ge " + std::to_string(ge) + " le " + std::to_string(le);
}

base::Result<PrefixListEntry> parse_prefix_list_entry(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ')
      ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ')
      ++i;
    if (i > start)
      words.push_back(text.substr(start, i - start));
  }
  const std::string bad = "'" + std::string(text) + "': expected \"PREFIX [ge N] [le M]\"";
  if (words.empty())
    return base::fail(bad);
  auto prefix = base::Prefix::parse(words[0]);
  if (!prefix)
    return base::fail("'" + std::string(text) + "': " + prefix.error().message);
  const std::uint8_t max = base::max_prefix_length(prefix->afi());
  PrefixListEntry entry{*prefix, prefix->length(), prefix->length()};
  bool has_ge = false;
  bool has_le = false;
  for (std::size_t w = 1; w < words.size(); w += 2) {
    if (w + 1 >= words.size())
      return base::fail(bad);
    const auto n = parse_unsigned(words[w + 1], max);
    if (!n)
      return base::fail("'" + std::string(text) + "': length must be 0.." + std::to_string(max));
    if (words[w] == "ge" && !has_ge && !has_le) {
      has_ge = true;
      entry.ge = static_cast<std::uint8_t>(*n);
    } else if (words[w] == "le" && !has_le) {
      has_le = true;
      entry.le = static_cast<std::uint8_t>(*n);
    } else {
      return base::fail(bad);
    }
  }
  if (has_ge && !has_le)
    entry.le = max;
  if (entry.ge < prefix->length() || entry.ge > entry.le) {
    return base::fail("'" + std::string(text) + "': need prefix length <= ge <= le");
  }
  return entry;
}

bool PrefixList::matches(const base::Prefix& p) const noexcept {
  return std::any_of(entries.begin(), entries.end(),
                     [&](const PrefixListEntry& e) { return e.matches(p); });
}

const NeighborConfig* Config::find_neighbor(const base::IpAddress& address) const {
  for (const NeighborConfig& n : neighbors) {
    if (n.address == address)
      return &n;
  }
  return nullptr;
}

const Policy* Config::find_policy(std::string_view name) const {
  for (const Policy& p : policies) {
    if (p.name == name)
      return &p;
  }
  return nullptr;
}

const PrefixList* Config::find_prefix_list(std::string_view name) const {
  for (const PrefixList& l : prefix_lists) {
    if (l.name == name)
      return &l;
  }
  return nullptr;
}

bool operator==(const Config& a, const Config& b) {
  return a.global == b.global && a.rpki == b.rpki && a.bgpsec == b.bgpsec &&
         a.networks == b.networks && a.prefix_lists == b.prefix_lists && a.policies == b.policies &&
         a.neighbors == b.neighbors;
}

// ===== parse / load =====

base::Result<Config> parse_config(std::string_view text, std::string_view file_name) {
  toml::table root;
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return base::fail(std::string(file_name) + ":" + std::to_string(where.line) + ":" +
                      std::to_string(where.column) +
                      ": syntax error: " + std::string(e.description()));
  }
  Parser parser(file_name);
  return parser.run(root);
}

base::Result<Config> load_config_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return base::fail(path.string() + ": cannot open the config file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return base::fail(path.string() + ": cannot read the config file");
  return parse_config(text.str(), path.string());
}

// ===== normal form =====

std::string to_normal_form(const Config& c) {
  std::ostringstream o;
  const GlobalConfig& g = c.global;
  o << "# bgpsecd configuration in normal form (bgpsecd -n); see bgpsecd.conf(5).\n\n";
  o << "[global]\n";
  o << "asn = " << g.asn.value() << "\n";
  o << "router_id = " << quote(router_id_string(g.router_id)) << "\n";
  std::vector<std::string> listen;
  for (const Endpoint& ep : g.listen)
    listen.push_back(ep.to_string());
  o << "listen = " << string_array(listen) << "\n";
  o << "hold_time = " << g.hold_time << "\n";
  o << "keepalive = " << g.keepalive << "\n";
  o << "graceful_restart_time = " << g.graceful_restart_time << "\n";
  o << "log_level = " << quote(log_level_name(g.log_level)) << "\n";
  if (g.confederation_id) {
    o << "confederation_id = " << g.confederation_id->value() << "\n";
    o << "confederation_peers = [";
    for (std::size_t i = 0; i < g.confederation_peers.size(); ++i) {
      o << (i == 0 ? "" : ", ") << g.confederation_peers[i].value();
    }
    o << "]\n";
  } else {
    o << "# confederation_id: not a confederation member\n";
  }
  o << "\n";

  o << "[control]\n";
  o << "socket = " << quote(g.control_socket) << "\n";
  o << "tcp = " << quote(g.control_tcp ? g.control_tcp->to_string() : "") << "\n\n";
  o << "[metrics]\n";
  o << "listen = " << quote(g.metrics_listen ? g.metrics_listen->to_string() : "") << "\n\n";

  const RpkiConfig& r = c.rpki;
  o << "[rpki]\n";
  o << "files = " << string_array(r.files) << "\n";
  o << "reload_interval = " << r.reload_interval.count() << "\n";
  o << "slurm = " << quote(r.slurm_file) << "\n";
  o << "failover_after = " << r.failover_after.count() << "\n\n";
  for (const RpkiCache& cache : r.caches) {
    o << "[[rpki.cache]]\n";
    o << "address = " << quote(cache.address()) << "\n";
    o << "preference = " << unsigned{cache.preference} << "\n";
    o << "version = " << unsigned{cache.version} << "\n\n";
  }

  const BgpsecConfig& b = c.bgpsec;
  o << "[bgpsec]\n";
  o << "key_dir = " << quote(b.key_dir) << "\n";
  o << "key_files = " << string_array(b.key_files) << "\n";
  o << "syntax_error_action = " << quote(syntax_error_action_name(b.syntax_error_action)) << "\n";
  o << "remove_private_as = " << quote(private_as_removal_name(b.remove_private_as)) << "\n";
  o << "ibgp_state = " << quote(ibgp_state_name(b.ibgp_state)) << "\n";
  o << "drop_not_valid = " << (b.drop_not_valid ? "true" : "false") << "\n";
  o << "drop_origin_invalid = " << (b.drop_origin_invalid ? "true" : "false") << "\n";
  o << "validation_threads = " << b.validation_threads << "\n";
  o << "signature_cache_entries = " << b.signature_cache_entries << "\n";
  o << "key_tables = " << b.key_tables << "\n";
  if (b.defer_when_queued) {
    o << "defer_when_queued = " << *b.defer_when_queued << "\n";
  }
  o << "\n";
  o << "[bgpsec.preference]\n";
  o << "path_valid = " << b.preference.path_valid << "\n";
  o << "path_unsigned = " << b.preference.path_unsigned << "\n";
  o << "path_pending = " << b.preference.path_pending << "\n";
  o << "path_not_valid = " << b.preference.path_not_valid << "\n";
  o << "origin_valid = " << b.preference.origin_valid << "\n";
  o << "origin_not_found = " << b.preference.origin_not_found << "\n";
  o << "origin_invalid = " << b.preference.origin_invalid << "\n\n";
  if (!b.active_key.empty()) {
    o << "[bgpsec.active_key]\n";
    for (const auto& [asn, ski] : b.active_key) {
      o << asn << " = " << quote(ski.to_hex()) << "\n";
    }
    o << "\n";
  }

  for (const PrefixList& list : c.prefix_lists) {
    std::vector<std::string> entries;
    for (const PrefixListEntry& e : list.entries)
      entries.push_back(e.to_string());
    o << "[[prefix_list]]\n";
    o << "name = " << quote(list.name) << "\n";
    o << "prefixes = " << string_array(entries) << "\n\n";
  }

  for (const Policy& p : c.policies) {
    o << "[[policy]]\n";
    o << "name = " << quote(p.name) << "\n";
    o << "default_action = " << quote(policy_action_name(p.default_action)) << "\n\n";
    for (const PolicyRule& rule : p.rules) {
      std::vector<std::string> match;
      const PolicyMatch& m = rule.match;
      if (m.prefix_list)
        match.push_back("prefix_list = " + quote(*m.prefix_list));
      if (m.as_path_contains)
        match.push_back("as_path_contains = " + m.as_path_contains->to_string());
      if (m.origin_as)
        match.push_back("origin_as = " + m.origin_as->to_string());
      if (m.community)
        match.push_back("community = " + quote(community_to_string(*m.community)));
      if (m.path_state)
        match.push_back("path_state = " + quote(enum_name(*m.path_state, kPathStates)));
      if (m.origin_state)
        match.push_back("origin_state = " + quote(enum_name(*m.origin_state, kOriginStates)));
      std::vector<std::string> set;
      const PolicySet& s = rule.set;
      if (s.local_pref)
        set.push_back("local_pref = " + std::to_string(*s.local_pref));
      if (s.med)
        set.push_back("med = " + std::to_string(*s.med));
      set.push_back("add_community = " + communities_array(s.add_community));
      set.push_back("prepend = " + std::to_string(unsigned{s.prepend}));
      const auto inline_table = [](const std::vector<std::string>& items) {
        std::string out = "{";
        for (std::size_t i = 0; i < items.size(); ++i)
          out += (i == 0 ? " " : ", ") + items[i];
        return out + (items.empty() ? "}" : " }");
      };
      o << "[[policy.rule]]\n";
      o << "match = " << inline_table(match) << "\n";
      o << "set = " << inline_table(set) << "\n";
      o << "action = " << quote(policy_action_name(rule.action)) << "\n\n";
    }
  }

  for (const Network& n : c.networks) {
    o << "[[network]]\n";
    o << "prefix = " << quote(n.prefix.to_string()) << "\n";
    o << "communities = " << communities_array(n.communities) << "\n\n";
  }

  for (const NeighborConfig& n : c.neighbors) {
    o << "[[neighbor]]\n";
    o << "address = " << quote(n.name()) << "\n";
    o << "remote_as = " << n.remote_as.value() << "\n";
    if (n.local_address) {
      o << "local_address = " << quote(n.local_address->to_string()) << "\n";
    } else {
      o << "# local_address: chosen by the kernel\n";
    }
    o << "port = " << n.port << "\n";
    o << "passive = " << (n.passive ? "true" : "false") << "\n";
    o << "description = " << quote(n.description) << "\n";
    if (n.hold_time) {
      o << "hold_time = " << *n.hold_time << "\n";
    } else {
      o << "# hold_time: global (" << g.hold_time << ")\n";
    }
    o << "families = " << families_array(n.ipv4, n.ipv6) << "\n";
    o << "bgpsec = { send = " << families_array(n.bgpsec_send.ipv4, n.bgpsec_send.ipv6)
      << ", receive = " << families_array(n.bgpsec_receive.ipv4, n.bgpsec_receive.ipv6) << " }\n";
    if (n.import_policy) {
      o << "import = " << quote(*n.import_policy) << "\n";
    } else {
      o << "# import: none"
        << (n.ibgp(g) ? " (iBGP: accept all)\n" : " (RFC 8212: accept nothing)\n");
    }
    if (n.export_policy) {
      o << "export = " << quote(*n.export_policy) << "\n";
    } else {
      o << "# export: none" << (n.ibgp(g) ? " (iBGP: send all)\n" : " (RFC 8212: send nothing)\n");
    }
    o << "max_prefix = " << n.max_prefix << "\n";
    o << "next_hop_self = " << (n.next_hop_self ? "true" : "false") << "\n";
    for (const auto& [key, address] : {std::pair{"next_hop_ipv4", n.next_hop_ipv4},
                                       std::pair{"next_hop_ipv6", n.next_hop_ipv6}}) {
      if (address) {
        o << key << " = " << quote(address->to_string()) << "\n";
      } else {
        o << "# " << key << ": our address on the session\n";
      }
    }
    o << "route_reflector_client = " << (n.route_reflector_client ? "true" : "false") << "\n";
    o << "route_server = " << (n.route_server ? "true" : "false") << "\n";
    o << "route_server_peer = " << (n.peer_is_route_server ? "true" : "false") << "\n";
    o << "graceful_restart = " << (n.graceful_restart ? "true" : "false") << "\n";
    o << "extended_messages = " << (n.extended_messages ? "true" : "false") << "\n";
    o << "enhanced_route_refresh = " << (n.enhanced_route_refresh ? "true" : "false") << "\n";
    o << "eorr_timeout = " << n.eorr_timeout << "\n";
    if (n.remove_private_as) {
      o << "remove_private_as = " << quote(private_as_removal_name(*n.remove_private_as)) << "\n";
    } else {
      o << "# remove_private_as: [bgpsec] remove_private_as\n";
    }
    o << "\n";
  }
  return o.str();
}

// ===== session config =====

session::FsmConfig to_fsm_config(const NeighborConfig& neighbor, const GlobalConfig& global) {
  session::FsmConfig out;
  session::SessionConfig& s = out.session;
  // RFC 5065 §4: peers outside the confederation know us by its identifier; members and
  // iBGP peers by our Member-AS.
  s.local_as = neighbor.external(global) ? global.external_as() : global.asn;
  s.router_id = global.router_id;
  s.peer_as = neighbor.remote_as;
  s.hold_time = neighbor.hold_time.value_or(global.hold_time);
  s.keepalive = global.keepalive;  // RFC 4271 §10; min(keepalive, hold / 3) once negotiated
  s.families.clear();
  if (neighbor.ipv4)
    s.families.push_back(session::kIpv4Unicast);
  if (neighbor.ipv6)
    s.families.push_back(session::kIpv6Unicast);
  s.bgpsec.send_ipv4 = neighbor.bgpsec_send.ipv4;
  s.bgpsec.send_ipv6 = neighbor.bgpsec_send.ipv6;
  s.bgpsec.receive_ipv4 = neighbor.bgpsec_receive.ipv4;
  s.bgpsec.receive_ipv6 = neighbor.bgpsec_receive.ipv6;
  if (neighbor.graceful_restart && global.graceful_restart_time > 0) {
    session::GracefulRestartConfig gr;
    gr.restart_time = global.graceful_restart_time;
    // RFC 8538 §2: we handle NOTIFICATIONs gracefully and send Hard Reset when the routes
    // are to go (session::cease_notification).
    gr.notification = true;
    s.graceful_restart = gr;
  }
  s.extended_messages = neighbor.extended_messages;
  s.enhanced_route_refresh = neighbor.enhanced_route_refresh;
  out.passive = neighbor.passive;
  return out;
}

// ===== diff =====

bool ConfigDiff::empty() const noexcept {
  return added.empty() && removed.empty() && reset.empty() && soft.empty() && updated.empty() &&
         !listen_changed && !control_changed && !metrics_changed && !log_level_changed &&
         !rpki_changed && !bgpsec_changed && !networks_changed;
}

ConfigDiff diff(const Config& old, const Config& next) {
  ConfigDiff d;
  for (const NeighborConfig& o : old.neighbors) {
    if (next.find_neighbor(o.address) == nullptr)
      d.removed.push_back(o.name());
  }
  for (const NeighborConfig& n : next.neighbors) {
    const NeighborConfig* o = old.find_neighbor(n.address);
    if (o == nullptr) {
      d.added.push_back(n.name());
      continue;
    }
    if (needs_reset(*o, old.global, n, next.global)) {
      d.reset.push_back(n.name());
      continue;
    }
    SoftChange soft{n.name(), false, false};
    soft.in = !same_policy(old, next, o->import_policy, n.import_policy) ||
              o->peer_is_route_server != n.peer_is_route_server;
    soft.out = !same_policy(old, next, o->export_policy, n.export_policy) ||
               o->next_hop_self != n.next_hop_self ||
               o->route_reflector_client != n.route_reflector_client ||
               o->route_server != n.route_server ||
               o->private_as_removal(old.global, old.bgpsec.remove_private_as) !=
                   n.private_as_removal(next.global, next.bgpsec.remove_private_as);
    if (soft.in || soft.out) {
      d.soft.push_back(std::move(soft));
    } else if (!(*o == n)) {
      d.updated.push_back(n.name());
    }
  }
  const GlobalConfig& a = old.global;
  const GlobalConfig& b = next.global;
  d.listen_changed = a.listen != b.listen;
  d.control_changed = a.control_socket != b.control_socket || a.control_tcp != b.control_tcp;
  d.metrics_changed = a.metrics_listen != b.metrics_listen;
  d.log_level_changed = a.log_level != b.log_level;
  d.rpki_changed = !(old.rpki == next.rpki);
  d.bgpsec_changed = !(old.bgpsec == next.bgpsec);
  d.networks_changed = old.networks != next.networks;
  return d;
}

}  // namespace bgpsecd::daemon
