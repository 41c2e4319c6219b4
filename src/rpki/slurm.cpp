// SPDX-License-Identifier: BSD-2-Clause
// SLURM (RFC 8416) reader, writer and application. nlohmann::json is used without exceptions
// (parse with allow_exceptions=false, members through find() and get_ptr()); the one call
// that throws by design, the re-parse that gives a positioned syntax error, is caught here,
// and a catch-all for nlohmann's exceptions guards the rest of this boundary.
#include "rpki/slurm.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/hex.hpp"
#include "rpki/json_input.hpp"
#include "rpki/vrp_table.hpp"

namespace bgpsecd::rpki {
namespace {

using json_input::Json;
using json_input::member;
using json_input::where;

// Refuses members other than `allowed`: a misspelt optional member ("maxLength" for
// "maxPrefixLength") would otherwise change the meaning of the entry without a word.
base::Result<void> only_members(const Json& object, std::initializer_list<const char*> allowed,
                                const std::string& at) {
  for (const auto& item : object.items()) {
    const bool known = std::any_of(allowed.begin(), allowed.end(),
                                   [&](const char* name) { return item.key() == name; });
    if (!known) {
      return base::fail(at + ": unknown member \"" + item.key() + "\"");
    }
  }
  return {};
}

base::Result<const Json*> required_object(const Json& parent, const char* name,
                                          const std::string& at) {
  const Json* v = member(parent, name);
  if (v == nullptr) {
    return base::fail(at + name + " missing (RFC 8416 §3.2)");
  }
  if (!v->is_object()) {
    return base::fail(at + name + " must be a JSON object");
  }
  return v;
}

base::Result<const Json*> required_array(const Json& parent, const char* name,
                                         const std::string& at) {
  const Json* v = member(parent, name);
  if (v == nullptr) {
    return base::fail(at + name + " missing (RFC 8416 §3.2; an empty array is fine)");
  }
  if (!v->is_array()) {
    return base::fail(at + name + " must be a JSON array");
  }
  return v;
}

base::Result<std::optional<base::Asn>> get_asn(const Json& entry, const std::string& at) {
  const Json* v = member(entry, "asn");
  if (v == nullptr) {
    return std::optional<base::Asn>();
  }
  // RFC 8416 §3.3.1: asn is a JSON number (4-octet AS, RFC 6793).
  const auto* u = v->get_ptr<const Json::number_unsigned_t*>();
  if (u == nullptr || *u > std::numeric_limits<std::uint32_t>::max()) {
    return base::fail(at + ": asn must be an integer 0..4294967295");
  }
  return std::optional<base::Asn>(base::Asn(static_cast<std::uint32_t>(*u)));
}

base::Result<std::optional<base::Prefix>> get_prefix(const Json& entry, const std::string& at) {
  const Json* v = member(entry, "prefix");
  if (v == nullptr) {
    return std::optional<base::Prefix>();
  }
  const auto* s = v->get_ptr<const Json::string_t*>();
  if (s == nullptr) {
    return base::fail(at + ": prefix must be a string like \"192.0.2.0/24\"");
  }
  auto prefix = base::Prefix::parse(*s);
  if (!prefix) {
    return base::fail(at + ": " + prefix.error().message);
  }
  return std::optional<base::Prefix>(*prefix);
}

base::Result<std::optional<std::string>> get_comment(const Json& entry, const std::string& at) {
  const Json* v = member(entry, "comment");
  if (v == nullptr) {
    return std::optional<std::string>();
  }
  const auto* s = v->get_ptr<const Json::string_t*>();
  if (s == nullptr) {
    return base::fail(at + ": comment must be a string");
  }
  return std::optional<std::string>(*s);
}

base::Result<std::optional<base::Ski>> get_ski(const Json& entry, const std::string& at) {
  const Json* v = member(entry, "SKI");
  if (v == nullptr) {
    return std::optional<base::Ski>();
  }
  const auto* s = v->get_ptr<const Json::string_t*>();
  if (s == nullptr) {
    return base::fail(at + ": SKI must be a base64url string");
  }
  // RFC 8416 §3.3.2: base64url without padding; standard base64 accepted too (StayRTR).
  auto bytes = base::from_base64(*s);
  if (!bytes) {
    return base::fail(at + ": SKI is not base64: " + bytes.error().message);
  }
  if (bytes->size() != base::Ski::kSize) {
    return base::fail(at + ": SKI is " + std::to_string(bytes->size()) + " octets, expected 20");
  }
  BGPSEC_ASSIGN_OR_RETURN(const auto ski, base::Ski::from_bytes(*bytes));
  return std::optional<base::Ski>(ski);
}

// ===== Entries =====

base::Result<PrefixFilter> parse_prefix_filter(const Json& entry, const std::string& at) {
  if (!entry.is_object()) {
    return base::fail(at + ": not a JSON object");
  }
  BGPSEC_TRY(only_members(entry, {"prefix", "asn", "comment"}, at));
  PrefixFilter f;
  BGPSEC_ASSIGN_OR_RETURN(f.prefix, get_prefix(entry, at));
  BGPSEC_ASSIGN_OR_RETURN(f.asn, get_asn(entry, at));
  BGPSEC_ASSIGN_OR_RETURN(f.comment, get_comment(entry, at));
  // RFC 8416 §3.3.1: a prefix filter has a prefix, an asn, or both.
  if (!f.prefix && !f.asn) {
    return base::fail(at + ": needs prefix or asn (RFC 8416 §3.3.1)");
  }
  return f;
}

base::Result<BgpsecFilter> parse_bgpsec_filter(const Json& entry, const std::string& at) {
  if (!entry.is_object()) {
    return base::fail(at + ": not a JSON object");
  }
  BGPSEC_TRY(only_members(entry, {"asn", "SKI", "comment"}, at));
  BgpsecFilter f;
  BGPSEC_ASSIGN_OR_RETURN(f.asn, get_asn(entry, at));
  BGPSEC_ASSIGN_OR_RETURN(f.ski, get_ski(entry, at));
  BGPSEC_ASSIGN_OR_RETURN(f.comment, get_comment(entry, at));
  // RFC 8416 §3.3.2: a BGPsec filter has an asn, a SKI, or both.
  if (!f.asn && !f.ski) {
    return base::fail(at + ": needs asn or SKI (RFC 8416 §3.3.2)");
  }
  return f;
}

base::Result<PrefixAssertion> parse_prefix_assertion(const Json& entry, const std::string& at) {
  if (!entry.is_object()) {
    return base::fail(at + ": not a JSON object");
  }
  BGPSEC_TRY(only_members(entry, {"prefix", "asn", "maxPrefixLength", "comment"}, at));
  BGPSEC_ASSIGN_OR_RETURN(const auto prefix, get_prefix(entry, at));
  BGPSEC_ASSIGN_OR_RETURN(const auto asn, get_asn(entry, at));
  // RFC 8416 §3.4.1: prefix and asn are required.
  if (!prefix) {
    return base::fail(at + ": prefix missing");
  }
  if (!asn) {
    return base::fail(at + ": asn missing");
  }
  PrefixAssertion a{*prefix, *asn, {}, {}};
  if (const Json* v = member(entry, "maxPrefixLength"); v != nullptr) {
    const auto* u = v->get_ptr<const Json::number_unsigned_t*>();
    const unsigned max_allowed = base::max_prefix_length(prefix->afi());
    if (u == nullptr) {
      return base::fail(at + ": maxPrefixLength must be a non-negative integer");
    }
    // RFC 8416 §3.4.1 (as RFC 6482 §3.3): prefix length <= maxPrefixLength <= 32 / 128.
    if (*u < prefix->length() || *u > max_allowed) {
      return base::fail(at + ": maxPrefixLength " + std::to_string(*u) + " is outside " +
                        std::to_string(prefix->length()) + ".." + std::to_string(max_allowed) +
                        " for " + prefix->to_string());
    }
    a.max_prefix_length = static_cast<std::uint8_t>(*u);
  }
  BGPSEC_ASSIGN_OR_RETURN(a.comment, get_comment(entry, at));
  return a;
}

base::Result<BgpsecAssertion> parse_bgpsec_assertion(const Json& entry, const std::string& at) {
  if (!entry.is_object()) {
    return base::fail(at + ": not a JSON object");
  }
  BGPSEC_TRY(only_members(entry, {"asn", "SKI", "routerPublicKey", "comment"}, at));
  BGPSEC_ASSIGN_OR_RETURN(const auto asn, get_asn(entry, at));
  BGPSEC_ASSIGN_OR_RETURN(const auto ski, get_ski(entry, at));
  // RFC 8416 §3.4.2: asn, SKI and routerPublicKey are all required.
  if (!asn) {
    return base::fail(at + ": asn missing");
  }
  if (!ski) {
    return base::fail(at + ": SKI missing");
  }
  const Json* v = member(entry, "routerPublicKey");
  if (v == nullptr) {
    return base::fail(at + ": routerPublicKey missing");
  }
  const auto* text = v->get_ptr<const Json::string_t*>();
  if (text == nullptr) {
    return base::fail(at + ": routerPublicKey must be a base64url string");
  }
  auto spki = base::from_base64(*text);
  if (!spki) {
    return base::fail(at + ": routerPublicKey is not base64: " + spki.error().message);
  }
  auto key = crypto::PublicKey::from_spki_der(*spki);
  if (!key) {
    return base::fail(at + ": routerPublicKey: " + key.error().message);
  }
  // RFC 8209: the SKI is SHA-1 over the public point; validators look keys up by it.
  if (key->ski() != *ski) {
    return base::fail(at + ": SKI " + ski->to_hex() +
                      " does not match routerPublicKey (SHA-1 of its public point is " +
                      key->ski().to_hex() + ", RFC 8209)");
  }
  BGPSEC_ASSIGN_OR_RETURN(auto comment, get_comment(entry, at));
  return BgpsecAssertion{*asn, *ski, std::move(*key), std::move(comment)};
}

base::Result<base::Asn> get_customer(const Json& entry, const std::string& at) {
  const Json* v = member(entry, "customer_asid");
  if (v == nullptr) {
    return base::fail(at + ": customer_asid missing");
  }
  const auto* u = v->get_ptr<const Json::number_unsigned_t*>();
  if (u == nullptr || *u > std::numeric_limits<std::uint32_t>::max()) {
    return base::fail(at + ": customer_asid must be an integer 0..4294967295");
  }
  return base::Asn(static_cast<std::uint32_t>(*u));
}

// StayRTR: "ipv4" or "ipv6" (docs/aspa.md §9).
base::Result<std::optional<std::string>> get_afi(const Json& entry, const std::string& at) {
  const Json* v = member(entry, "afi");
  if (v == nullptr) {
    return std::optional<std::string>();
  }
  const auto* s = v->get_ptr<const Json::string_t*>();
  if (s == nullptr || (*s != "ipv4" && *s != "ipv6")) {
    return base::fail(at + ": afi must be \"ipv4\" or \"ipv6\"");
  }
  return std::optional<std::string>(*s);
}

base::Result<AspaFilter> parse_aspa_filter(const Json& entry, const std::string& at) {
  if (!entry.is_object()) {
    return base::fail(at + ": not a JSON object");
  }
  BGPSEC_TRY(only_members(entry, {"customer_asid", "afi", "comment"}, at));
  AspaFilter f;
  BGPSEC_ASSIGN_OR_RETURN(f.customer, get_customer(entry, at));
  BGPSEC_ASSIGN_OR_RETURN(f.afi, get_afi(entry, at));
  BGPSEC_ASSIGN_OR_RETURN(f.comment, get_comment(entry, at));
  return f;
}

base::Result<AspaAssertion> parse_aspa_assertion(const Json& entry, const std::string& at) {
  if (!entry.is_object()) {
    return base::fail(at + ": not a JSON object");
  }
  BGPSEC_TRY(only_members(entry, {"customer_asid", "provider_set", "afi", "comment"}, at));
  AspaAssertion a;
  BGPSEC_ASSIGN_OR_RETURN(a.customer, get_customer(entry, at));
  const Json* set = member(entry, "provider_set");
  if (set == nullptr) {
    return base::fail(at + ": provider_set missing");
  }
  if (!set->is_array()) {
    return base::fail(at + ": provider_set must be an array of ASNs");
  }
  for (std::size_t i = 0; i < set->size(); ++i) {
    const auto* u = (*set)[i].get_ptr<const Json::number_unsigned_t*>();
    if (u == nullptr || *u > std::numeric_limits<std::uint32_t>::max()) {
      return base::fail(at + ": " + where("provider_set", i) + " must be an integer 0..4294967295");
    }
    a.providers.emplace_back(static_cast<std::uint32_t>(*u));
  }
  BGPSEC_ASSIGN_OR_RETURN(a.afi, get_afi(entry, at));
  BGPSEC_ASSIGN_OR_RETURN(a.comment, get_comment(entry, at));
  return a;
}

// The array `name` of `parent` when present (SLURM version 2's optional ASPA arrays).
base::Result<const Json*> optional_array(const Json& parent, const char* name,
                                         const std::string& at) {
  const Json* v = member(parent, name);
  if (v != nullptr && !v->is_array()) {
    return base::fail(at + name + " must be a JSON array");
  }
  return v;
}

template <class T, class Parse>
base::Result<std::vector<T>> parse_array(const Json& array, const char* name, Parse parse) {
  std::vector<T> out;
  out.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    BGPSEC_ASSIGN_OR_RETURN(auto item, parse(array[i], where(name, i)));
    out.push_back(std::move(item));
  }
  return out;
}

base::Result<Slurm> parse_document(std::string_view text) {
  auto parsed = json_input::parse(text);
  if (!parsed) {
    return base::fail("not valid JSON: " + parsed.error().message);
  }
  const Json& doc = *parsed;
  if (!doc.is_object()) {
    return base::fail("not a SLURM JSON object (expected {\"slurmVersion\": 1, ...})");
  }
  BGPSEC_TRY(only_members(
      doc, {"slurmVersion", "validationOutputFilters", "locallyAddedAssertions"}, "SLURM"));
  // RFC 8416 §3.2: slurmVersion is 1; 2 is the ASPA extension (docs/aspa.md §9).
  const Json* version = member(doc, "slurmVersion");
  if (version == nullptr) {
    return base::fail("slurmVersion missing (RFC 8416 §3.2)");
  }
  const auto* v = version->get_ptr<const Json::number_unsigned_t*>();
  if (v == nullptr || (*v != 1 && *v != 2)) {
    return base::fail("slurmVersion " + version->dump() + " is not supported (must be 1 or 2)");
  }
  const bool aspa = *v == 2;

  BGPSEC_ASSIGN_OR_RETURN(const Json* filters, required_object(doc, "validationOutputFilters", ""));
  if (aspa) {
    BGPSEC_TRY(only_members(*filters, {"prefixFilters", "bgpsecFilters", "aspaFilters"},
                            "validationOutputFilters"));
  } else {
    BGPSEC_TRY(
        only_members(*filters, {"prefixFilters", "bgpsecFilters"}, "validationOutputFilters"));
  }
  BGPSEC_ASSIGN_OR_RETURN(const Json* prefix_filters,
                          required_array(*filters, "prefixFilters", "validationOutputFilters."));
  BGPSEC_ASSIGN_OR_RETURN(const Json* bgpsec_filters,
                          required_array(*filters, "bgpsecFilters", "validationOutputFilters."));

  BGPSEC_ASSIGN_OR_RETURN(const Json* assertions,
                          required_object(doc, "locallyAddedAssertions", ""));
  if (aspa) {
    BGPSEC_TRY(only_members(*assertions, {"prefixAssertions", "bgpsecAssertions", "aspaAssertions"},
                            "locallyAddedAssertions"));
  } else {
    BGPSEC_TRY(only_members(*assertions, {"prefixAssertions", "bgpsecAssertions"},
                            "locallyAddedAssertions"));
  }
  BGPSEC_ASSIGN_OR_RETURN(
      const Json* prefix_assertions,
      required_array(*assertions, "prefixAssertions", "locallyAddedAssertions."));
  BGPSEC_ASSIGN_OR_RETURN(
      const Json* bgpsec_assertions,
      required_array(*assertions, "bgpsecAssertions", "locallyAddedAssertions."));

  Slurm slurm;
  BGPSEC_ASSIGN_OR_RETURN(
      slurm.prefix_filters,
      parse_array<PrefixFilter>(*prefix_filters, "prefixFilters", parse_prefix_filter));
  BGPSEC_ASSIGN_OR_RETURN(
      slurm.bgpsec_filters,
      parse_array<BgpsecFilter>(*bgpsec_filters, "bgpsecFilters", parse_bgpsec_filter));
  BGPSEC_ASSIGN_OR_RETURN(
      slurm.prefix_assertions,
      parse_array<PrefixAssertion>(*prefix_assertions, "prefixAssertions", parse_prefix_assertion));
  BGPSEC_ASSIGN_OR_RETURN(
      slurm.bgpsec_assertions,
      parse_array<BgpsecAssertion>(*bgpsec_assertions, "bgpsecAssertions", parse_bgpsec_assertion));
  BGPSEC_ASSIGN_OR_RETURN(const Json* aspa_filters,
                          optional_array(*filters, "aspaFilters", "validationOutputFilters."));
  if (aspa_filters != nullptr) {
    BGPSEC_ASSIGN_OR_RETURN(
        slurm.aspa_filters,
        parse_array<AspaFilter>(*aspa_filters, "aspaFilters", parse_aspa_filter));
  }
  BGPSEC_ASSIGN_OR_RETURN(const Json* aspa_assertions,
                          optional_array(*assertions, "aspaAssertions", "locallyAddedAssertions."));
  if (aspa_assertions != nullptr) {
    BGPSEC_ASSIGN_OR_RETURN(
        slurm.aspa_assertions,
        parse_array<AspaAssertion>(*aspa_assertions, "aspaAssertions", parse_aspa_assertion));
  }
  return slurm;
}

bool key_less(const RouterKeyEntry& a, const RouterKeyEntry& b) {
  return std::tie(a.asn, a.ski, a.key.point()) < std::tie(b.asn, b.ski, b.key.point());
}

}  // namespace

base::Result<Slurm> parse_slurm(std::string_view text) {
  try {
    return parse_document(text);
  } catch (const Json::exception& e) {
    // Not expected (no throwing accessors are used), but nothing may unwind past this layer.
    return base::fail(std::string("SLURM: ") + e.what());
  }
}

base::Result<Slurm> load_slurm_file(const std::filesystem::path& path) {
  auto read = json_input::read_file(path);
  if (!read) {
    return base::fail(read.error().message);
  }
  const std::string& text = *read;
  auto slurm = parse_slurm(text);
  if (!slurm) {
    return base::fail(path.string() + ": " + slurm.error().message);
  }
  return slurm;
}

std::string to_slurm_json(const Slurm& slurm) {
  const auto b64 = [](std::span<const std::uint8_t> bytes) {
    return base::to_base64(bytes, base::Base64Alphabet::UrlSafe);
  };
  Json prefix_filters = Json::array();
  for (const auto& f : slurm.prefix_filters) {
    Json e = Json::object();
    if (f.prefix) {
      e["prefix"] = f.prefix->to_string();
    }
    if (f.asn) {
      e["asn"] = f.asn->value();
    }
    if (f.comment) {
      e["comment"] = *f.comment;
    }
    prefix_filters.push_back(std::move(e));
  }
  Json bgpsec_filters = Json::array();
  for (const auto& f : slurm.bgpsec_filters) {
    Json e = Json::object();
    if (f.asn) {
      e["asn"] = f.asn->value();
    }
    if (f.ski) {
      e["SKI"] = b64(f.ski->span());
    }
    if (f.comment) {
      e["comment"] = *f.comment;
    }
    bgpsec_filters.push_back(std::move(e));
  }
  Json prefix_assertions = Json::array();
  for (const auto& a : slurm.prefix_assertions) {
    Json e = {{"asn", a.asn.value()}, {"prefix", a.prefix.to_string()}};
    if (a.max_prefix_length) {
      e["maxPrefixLength"] = *a.max_prefix_length;
    }
    if (a.comment) {
      e["comment"] = *a.comment;
    }
    prefix_assertions.push_back(std::move(e));
  }
  Json bgpsec_assertions = Json::array();
  for (const auto& a : slurm.bgpsec_assertions) {
    Json e = {{"asn", a.asn.value()},
              {"SKI", b64(a.ski.span())},
              {"routerPublicKey", b64(a.key.spki_der())}};
    if (a.comment) {
      e["comment"] = *a.comment;
    }
    bgpsec_assertions.push_back(std::move(e));
  }
  Json doc = {{"slurmVersion", 1},
              {"validationOutputFilters",
               {{"prefixFilters", std::move(prefix_filters)},
                {"bgpsecFilters", std::move(bgpsec_filters)}}},
              {"locallyAddedAssertions",
               {{"prefixAssertions", std::move(prefix_assertions)},
                {"bgpsecAssertions", std::move(bgpsec_assertions)}}}};
  if (!slurm.aspa_filters.empty() || !slurm.aspa_assertions.empty()) {
    const auto optional_members = [](Json& e, const AspaFilter& f) {
      if (f.afi) {
        e["afi"] = *f.afi;
      }
      if (f.comment) {
        e["comment"] = *f.comment;
      }
    };
    Json aspa_filters = Json::array();
    for (const auto& f : slurm.aspa_filters) {
      Json e = {{"customer_asid", f.customer.value()}};
      optional_members(e, f);
      aspa_filters.push_back(std::move(e));
    }
    Json aspa_assertions = Json::array();
    for (const auto& a : slurm.aspa_assertions) {
      Json providers = Json::array();
      for (const auto p : a.providers) {
        providers.push_back(p.value());
      }
      Json e = {{"customer_asid", a.customer.value()}, {"provider_set", std::move(providers)}};
      optional_members(e, AspaFilter{a.customer, a.afi, a.comment});
      aspa_assertions.push_back(std::move(e));
    }
    doc["slurmVersion"] = 2;
    doc["validationOutputFilters"]["aspaFilters"] = std::move(aspa_filters);
    doc["locallyAddedAssertions"]["aspaAssertions"] = std::move(aspa_assertions);
  }
  // Comments came through nlohmann's parser, which accepts only valid UTF-8, so `replace`
  // never triggers; it keeps dump() from throwing.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

bool filter_matches(const PrefixFilter& filter, const VrpEntry& vrp) noexcept {
  // RFC 8416 §3.3.1: the filter prefix covers the VRP prefix (equal or less specific).
  if (filter.prefix && !filter.prefix->contains(vrp.prefix)) {
    return false;
  }
  return !filter.asn || *filter.asn == vrp.asn;
}

bool filter_matches(const BgpsecFilter& filter, const RouterKeyEntry& key) noexcept {
  // RFC 8416 §3.3.2: every member given must match.
  if (filter.asn && *filter.asn != key.asn) {
    return false;
  }
  return !filter.ski || *filter.ski == key.ski;
}

bool filter_matches(const AspaFilter& filter, const aspa::AspaRecord& record) noexcept {
  return filter.customer == record.customer;
}

RpkiData apply_slurm(const Slurm& slurm, RpkiData data) {
  // RFC 8416 §4: filters first, on the relying party's output ...
  if (!slurm.prefix_filters.empty()) {
    std::erase_if(data.vrps, [&](const VrpEntry& vrp) {
      return std::any_of(slurm.prefix_filters.begin(), slurm.prefix_filters.end(),
                         [&](const PrefixFilter& f) { return filter_matches(f, vrp); });
    });
  }
  if (!slurm.bgpsec_filters.empty()) {
    std::erase_if(data.router_keys, [&](const RouterKeyEntry& key) {
      return std::any_of(slurm.bgpsec_filters.begin(), slurm.bgpsec_filters.end(),
                         [&](const BgpsecFilter& f) { return filter_matches(f, key); });
    });
  }

  // ... then the assertions, each once. The asserted set is small and the data large, so
  // the assertions are sorted and the data scanned once.
  std::vector<VrpEntry> vrps;
  for (const auto& a : slurm.prefix_assertions) {
    vrps.push_back(VrpEntry{a.prefix, a.max_length(), a.asn, {}});
  }
  std::sort(vrps.begin(), vrps.end(), vrp_less);
  vrps.erase(std::unique(vrps.begin(), vrps.end(), vrp_equal), vrps.end());
  std::vector<bool> vrp_present(vrps.size(), false);
  if (!vrps.empty()) {
    for (const auto& vrp : data.vrps) {
      const auto it = std::lower_bound(vrps.begin(), vrps.end(), vrp, vrp_less);
      if (it != vrps.end() && vrp_equal(*it, vrp)) {
        vrp_present[static_cast<std::size_t>(it - vrps.begin())] = true;
      }
    }
  }
  for (std::size_t i = 0; i < vrps.size(); ++i) {
    if (!vrp_present[i]) {
      data.vrps.push_back(vrps[i]);
    }
  }

  std::vector<RouterKeyEntry> keys;
  for (const auto& a : slurm.bgpsec_assertions) {
    keys.push_back(RouterKeyEntry{a.asn, a.ski, a.key, {}});
  }
  std::sort(keys.begin(), keys.end(), key_less);
  const auto same_key = [](const RouterKeyEntry& a, const RouterKeyEntry& b) {
    return !key_less(a, b) && !key_less(b, a);
  };
  keys.erase(std::unique(keys.begin(), keys.end(), same_key), keys.end());
  for (const auto& key : keys) {
    const bool present = std::any_of(data.router_keys.begin(), data.router_keys.end(),
                                     [&](const RouterKeyEntry& k) { return same_key(k, key); });
    if (!present) {
      data.router_keys.push_back(key);
    }
  }

  // docs/aspa.md §9: ASPA filters, then assertions. An asserted record needs no duplicate
  // check: the table unites the records of a customer (docs/aspa.md §2).
  if (!slurm.aspa_filters.empty()) {
    std::erase_if(data.aspas, [&](const aspa::AspaRecord& record) {
      return std::any_of(slurm.aspa_filters.begin(), slurm.aspa_filters.end(),
                         [&](const AspaFilter& f) { return filter_matches(f, record); });
    });
  }
  for (const auto& a : slurm.aspa_assertions) {
    data.aspas.push_back(aspa::AspaRecord{a.customer, a.providers});
  }
  return data;
}

}  // namespace bgpsecd::rpki
