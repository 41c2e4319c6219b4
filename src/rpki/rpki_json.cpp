// SPDX-License-Identifier: BSD-2-Clause
// RPKI JSON loader (docs/peers.md §2.1, §2.4). nlohmann::json is used without exceptions
// (parse with allow_exceptions=false, members through find() and get_ptr()); the one call
// that throws by design, the re-parse that produces a positioned syntax error message, is
// caught here, and a catch-all for nlohmann's exceptions guards the rest of this boundary.
#include "rpki/rpki_json.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/hex.hpp"
#include "rpki/json_input.hpp"

namespace bgpsecd::rpki {
namespace {

using json_input::Json;
using json_input::member;
using json_input::where;

// RFC 6793 4-octet AS: a JSON number, or (Routinator, StayRTR `roas`) a string "AS64496" or
// "64496".
base::Result<base::Asn> get_asn(const Json& entry, const std::string& at) {
  const Json* v = member(entry, "asn");
  if (v == nullptr) {
    return base::fail(at + ": asn missing");
  }
  if (const auto* u = v->get_ptr<const Json::number_unsigned_t*>(); u != nullptr) {
    if (*u > std::numeric_limits<std::uint32_t>::max()) {
      return base::fail(at + ": asn " + std::to_string(*u) + " is larger than 4294967295");
    }
    return base::Asn(static_cast<std::uint32_t>(*u));
  }
  if (const auto* s = v->get_ptr<const Json::string_t*>(); s != nullptr) {
    auto asn = base::parse_asn(*s);
    if (!asn) {
      return base::fail(at + ": " + asn.error().message);
    }
    return *asn;
  }
  return base::fail(at + ": asn must be a non-negative integer or a string like \"AS64496\"");
}

base::Result<std::optional<std::int64_t>> get_expires(const Json& entry, const std::string& at) {
  const Json* v = member(entry, "expires");
  if (v == nullptr) {
    return std::optional<std::int64_t>();
  }
  if (const auto* i = v->get_ptr<const Json::number_integer_t*>(); i != nullptr) {
    return std::optional<std::int64_t>(*i);
  }
  if (const auto* u = v->get_ptr<const Json::number_unsigned_t*>(); u != nullptr) {
    // Beyond int64: so far in the future that it never expires.
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    return std::optional<std::int64_t>(static_cast<std::int64_t>(std::min(*u, kMax)));
  }
  return base::fail(at + ": expires must be an integer (Unix time)");
}

base::Result<std::string_view> get_string(const Json& entry, const char* name,
                                          const std::string& at) {
  const Json* v = member(entry, name);
  if (v == nullptr) {
    return base::fail(at + ": " + name + " missing");
  }
  const auto* s = v->get_ptr<const Json::string_t*>();
  if (s == nullptr) {
    return base::fail(at + ": " + name + " must be a string");
  }
  return std::string_view(*s);
}

// ===== Entries =====

base::Result<VrpEntry> parse_roa(const Json& entry, const std::string& at) {
  if (!entry.is_object()) {
    return base::fail(at + ": not a JSON object");
  }
  BGPSEC_ASSIGN_OR_RETURN(const auto prefix_text, get_string(entry, "prefix", at));
  auto prefix = base::Prefix::parse(prefix_text);
  if (!prefix) {
    return base::fail(at + ": " + prefix.error().message);
  }
  BGPSEC_ASSIGN_OR_RETURN(const auto asn, get_asn(entry, at));
  BGPSEC_ASSIGN_OR_RETURN(const auto expires, get_expires(entry, at));
  const unsigned max_allowed = base::max_prefix_length(prefix->afi());
  unsigned max_length = prefix->length();  // RFC 6482: absent maxLength means the prefix length
  if (const Json* v = member(entry, "maxLength"); v != nullptr) {
    const auto* u = v->get_ptr<const Json::number_unsigned_t*>();
    if (u == nullptr) {
      return base::fail(at + ": maxLength must be a non-negative integer");
    }
    // RFC 6482 §3.3 / RFC 8210 §5.6: prefix length <= maxLength <= address length.
    if (*u < prefix->length() || *u > max_allowed) {
      return base::fail(at + ": maxLength " + std::to_string(*u) + " is outside " +
                        std::to_string(prefix->length()) + ".." + std::to_string(max_allowed) +
                        " for " + prefix->to_string());
    }
    max_length = static_cast<unsigned>(*u);
  }
  return VrpEntry{*prefix, static_cast<std::uint8_t>(max_length), asn, expires};
}

struct KeyMembers {
  const char* ski;
  const char* pubkey;
};
constexpr KeyMembers kRpkiClientKey{"ski", "pubkey"};           // rpki-client, StayRTR
constexpr KeyMembers kRoutinatorKey{"SKI", "routerPublicKey"};  // Routinator

base::Result<RouterKeyEntry> parse_router_key(const Json& entry, const KeyMembers& names,
                                              const std::string& at) {
  if (!entry.is_object()) {
    return base::fail(at + ": not a JSON object");
  }
  BGPSEC_ASSIGN_OR_RETURN(const auto asn, get_asn(entry, at));
  BGPSEC_ASSIGN_OR_RETURN(const auto ski_text, get_string(entry, names.ski, at));
  auto ski_bytes = base::from_hex(ski_text);
  if (!ski_bytes) {
    return base::fail(at + ": " + names.ski + " '" + std::string(ski_text) +
                      "' is not hex: " + ski_bytes.error().message);
  }
  if (ski_bytes->size() != base::Ski::kSize) {
    return base::fail(at + ": " + names.ski + " is " + std::to_string(ski_bytes->size()) +
                      " octets, expected 20");
  }
  BGPSEC_ASSIGN_OR_RETURN(const auto ski, base::Ski::from_bytes(*ski_bytes));
  BGPSEC_ASSIGN_OR_RETURN(const auto key_text, get_string(entry, names.pubkey, at));
  auto spki = base::from_base64(key_text);
  if (!spki) {
    return base::fail(at + ": " + names.pubkey + " is not base64: " + spki.error().message);
  }
  auto key = crypto::PublicKey::from_spki_der(*spki);
  if (!key) {
    return base::fail(at + ": " + names.pubkey + ": " + key.error().message);
  }
  // RFC 8209 / RFC 6487 §4.8.2: the SKI is SHA-1 over the public point. A mismatch means the
  // file pairs a key with someone else's SKI; signatures would be looked up under the wrong key.
  if (key->ski() != ski) {
    return base::fail(at + ": " + names.ski + " " + ski.to_hex() +
                      " does not match the key (SHA-1 of its public point is " +
                      key->ski().to_hex() + ", RFC 8209)");
  }
  BGPSEC_ASSIGN_OR_RETURN(const auto expires, get_expires(entry, at));
  return RouterKeyEntry{asn, ski, std::move(*key), expires};
}

// The array member `name`, nullptr when absent; an error when present but not an array.
base::Result<const Json*> array_member(const Json& doc, const char* name) {
  const Json* v = member(doc, name);
  if (v != nullptr && !v->is_array()) {
    return base::fail(std::string(name) + " is not a JSON array");
  }
  return v;
}

base::Result<RpkiData> parse_document(std::string_view text, std::int64_t now_unix) {
  auto parsed = json_input::parse(text);
  if (!parsed) {
    return base::fail("not valid JSON: " + parsed.error().message);
  }
  const Json& doc = *parsed;
  if (!doc.is_object()) {
    return base::fail("not an RPKI JSON object (expected {\"roas\": [...], ...})");
  }
  BGPSEC_ASSIGN_OR_RETURN(const Json* roas, array_member(doc, "roas"));
  BGPSEC_ASSIGN_OR_RETURN(const Json* bgpsec_keys, array_member(doc, "bgpsec_keys"));
  BGPSEC_ASSIGN_OR_RETURN(const Json* router_keys, array_member(doc, "routerKeys"));
  if (roas == nullptr && bgpsec_keys == nullptr && router_keys == nullptr) {
    return base::fail("no roas, bgpsec_keys or routerKeys array: not an RPKI JSON export");
  }

  RpkiData data;
  if (roas != nullptr) {
    data.vrps.reserve(roas->size());
    for (std::size_t i = 0; i < roas->size(); ++i) {
      BGPSEC_ASSIGN_OR_RETURN(auto vrp, parse_roa((*roas)[i], where("roas", i)));
      if (!expired(vrp.expires, now_unix)) {
        data.vrps.push_back(std::move(vrp));
      }
    }
  }
  const std::pair<const Json*, std::pair<const char*, KeyMembers>> key_arrays[] = {
      {bgpsec_keys, {"bgpsec_keys", kRpkiClientKey}},
      {router_keys, {"routerKeys", kRoutinatorKey}}};
  for (const auto& [array, how] : key_arrays) {
    if (array == nullptr) {
      continue;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      BGPSEC_ASSIGN_OR_RETURN(auto key,
                              parse_router_key((*array)[i], how.second, where(how.first, i)));
      if (!expired(key.expires, now_unix)) {
        data.router_keys.push_back(std::move(key));
      }
    }
  }
  return data;
}

}  // namespace

base::Result<RpkiData> parse_rpki_json(std::string_view text, std::int64_t now_unix) {
  try {
    return parse_document(text, now_unix);
  } catch (const Json::exception& e) {
    // Not expected (no throwing accessors are used), but nothing may unwind past this layer.
    return base::fail(std::string("RPKI JSON: ") + e.what());
  }
}

base::Result<RpkiData> load_rpki_json_file(const std::filesystem::path& path,
                                           std::int64_t now_unix) {
  auto read = json_input::read_file(path);
  if (!read) {
    return base::fail(read.error().message);
  }
  const std::string& text = *read;
  auto data = parse_rpki_json(text, now_unix);
  if (!data) {
    return base::fail(path.string() + ": " + data.error().message);
  }
  return data;
}

std::string to_rpki_client_json(const RpkiData& data) {
  Json roas = Json::array();
  for (const auto& v : data.vrps) {
    Json e = {
        {"asn", v.asn.value()}, {"prefix", v.prefix.to_string()}, {"maxLength", v.max_length}};
    if (v.expires) {
      e["expires"] = *v.expires;
    }
    roas.push_back(std::move(e));
  }
  Json keys = Json::array();
  for (const auto& k : data.router_keys) {
    Json e = {{"asn", k.asn.value()},
              {"ski", k.ski.to_hex()},
              {"pubkey", base::to_base64(k.key.spki_der())}};
    if (k.expires) {
      e["expires"] = *k.expires;
    }
    keys.push_back(std::move(e));
  }
  const Json doc = {{"roas", std::move(roas)}, {"bgpsec_keys", std::move(keys)}};
  // All strings are ASCII, so `replace` never triggers; it keeps dump() from throwing.
  return doc.dump(1, '\t', false, Json::error_handler_t::replace) + "\n";
}

bool expired(const std::optional<std::int64_t>& expires, std::int64_t now_unix) noexcept {
  return expires.has_value() && *expires < now_unix;
}

std::int64_t unix_now() noexcept {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace bgpsecd::rpki
