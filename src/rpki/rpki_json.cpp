// SPDX-License-Identifier: BSD-2-Clause
// RPKI JSON loader (docs/peers.md §2.1, §2.4). nlohmann::json is used without exceptions
// (parse with allow_exceptions=false, members through find() and get_ptr()); the one call
// that throws by design, the re-parse that produces a positioned syntax error message, is
// caught here, and a catch-all for nlohmann's exceptions guards the rest of this boundary.
#include "rpki/rpki_json.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
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
// "64496". `what` names the value in errors ("asn", "providers[2]").
base::Result<base::Asn> asn_value(const Json& v, const std::string& what, const std::string& at) {
  if (const auto* u = v.get_ptr<const Json::number_unsigned_t*>(); u != nullptr) {
    if (*u > std::numeric_limits<std::uint32_t>::max()) {
      return base::fail(at + ": " + what + " " + std::to_string(*u) + " is larger than 4294967295");
    }
    return base::Asn(static_cast<std::uint32_t>(*u));
  }
  if (const auto* s = v.get_ptr<const Json::string_t*>(); s != nullptr) {
    auto asn = base::parse_asn(*s);
    if (!asn) {
      return base::fail(at + ": " + asn.error().message);
    }
    return *asn;
  }
  return base::fail(at + ": " + what +
                    " must be a non-negative integer or a string like \"AS64496\"");
}

base::Result<base::Asn> get_asn(const Json& entry, const char* name, const std::string& at) {
  const Json* v = member(entry, name);
  if (v == nullptr) {
    return base::fail(at + ": " + name + " missing");
  }
  return asn_value(*v, name, at);
}

base::Result<base::Asn> get_asn(const Json& entry, const std::string& at) {
  return get_asn(entry, "asn", at);
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

// docs/aspa.md §9: {"customer_asid": N, "providers": [N, ...], "expires": T}.
base::Result<aspa::AspaRecord> parse_aspa(const Json& entry, const std::string& at) {
  if (!entry.is_object()) {
    return base::fail(at + ": not a JSON object");
  }
  BGPSEC_ASSIGN_OR_RETURN(const auto customer, get_asn(entry, "customer_asid", at));
  const Json* list = member(entry, "providers");
  if (list == nullptr) {
    return base::fail(at + ": providers missing");
  }
  if (!list->is_array()) {
    return base::fail(at + ": providers must be an array of ASNs");
  }
  aspa::AspaRecord record{customer, {}};
  record.providers.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    BGPSEC_ASSIGN_OR_RETURN(const auto provider, asn_value((*list)[i], where("providers", i), at));
    record.providers.push_back(provider);
  }
  BGPSEC_ASSIGN_OR_RETURN(record.expires, get_expires(entry, at));
  return record;
}

// The entry arrays, in the order their errors are reported. The first four are top-level
// members; the last two are the members of `provider_authorizations` (rpki-client 8, StayRTR).
enum ArrayId : std::size_t { kRoas, kBgpsecKeys, kRouterKeys, kAspas, kAspasV4, kAspasV6, kArrays };
constexpr std::size_t kTopLevelArrays = kAspasV4;
constexpr const char* kArrayNames[kArrays] = {"roas",
                                              "bgpsec_keys",
                                              "routerKeys",
                                              "aspas",
                                              "provider_authorizations.ipv4",
                                              "provider_authorizations.ipv6"};
constexpr const char* kProviderAuthorizations = "provider_authorizations";

// The document is streamed: nlohmann's parser calls back per value, and each entry of the
// three arrays is checked and converted as soon as it is complete, then discarded, so only one
// entry is ever held as a JSON value (a full-table file would otherwise take gigabytes as a
// tree). The checks and their order match reading the whole document first: a syntax error
// anywhere wins, then the top-level shape, then the first bad entry of roas, bgpsec_keys,
// routerKeys in that order. A member given twice counts once, the last time (as a tree would).
class StreamingLoader {
 public:
  explicit StreamingLoader(std::int64_t now_unix) : now_(now_unix) {}

  bool on_event(int depth, Json::parse_event_t event, Json& parsed) {
    using Event = Json::parse_event_t;
    if (depth == 0) {
      if (event == Event::object_start) {
        top_is_object_ = true;
      }
      return true;
    }
    if (!top_is_object_) {
      return false;  // a top-level array or scalar: rejected at the end, nothing kept
    }
    if (depth == 1) {
      if (event == Event::key) {
        current_ = kArrays;
        in_pa_ = false;
        const auto* name = parsed.get_ptr<const Json::string_t*>();
        for (std::size_t i = 0; name != nullptr && i < kTopLevelArrays; ++i) {
          if (*name == kArrayNames[i]) {
            current_ = static_cast<ArrayId>(i);
            reset(current_);  // a repeated member replaces the earlier one
          }
        }
        if (name != nullptr && *name == kProviderAuthorizations) {
          in_pa_ = true;
          pa_ = MemberState{};
          reset(kAspasV4);
          reset(kAspasV6);
        }
        return true;
      }
      if (in_pa_) {
        return object_member_event(event, parsed);
      }
      return current_ == kArrays ? false : array_member_event(arrays_[current_], event, parsed);
    }
    if (in_pa_) {
      if (!pa_.is_object) {
        return false;
      }
      if (depth == 2) {
        if (event == Event::key) {
          current_ = kArrays;
          const auto* name = parsed.get_ptr<const Json::string_t*>();
          if (name != nullptr && (*name == "ipv4" || *name == "ipv6")) {
            current_ = *name == "ipv4" ? kAspasV4 : kAspasV6;
            reset(current_);
          }
          return true;
        }
        return current_ == kArrays ? false : array_member_event(arrays_[current_], event, parsed);
      }
      return entry_event(depth, 3, event, parsed);
    }
    return entry_event(depth, 2, event, parsed);
  }

  base::Result<RpkiData> finish() {
    if (!top_is_object_) {
      return base::fail("not an RPKI JSON object (expected {\"roas\": [...], ...})");
    }
    if (pa_.present && !pa_.is_object) {
      return base::fail(std::string(kProviderAuthorizations) + " is not a JSON object");
    }
    for (std::size_t i = 0; i < kArrays; ++i) {
      if (arrays_[i].present && !arrays_[i].is_array) {
        return base::fail(std::string(kArrayNames[i]) + " is not a JSON array");
      }
    }
    if (!arrays_[kRoas].present && !arrays_[kBgpsecKeys].present && !arrays_[kRouterKeys].present &&
        !arrays_[kAspas].present && !pa_.present) {
      return base::fail(
          "no roas, bgpsec_keys, routerKeys, aspas or provider_authorizations: not an RPKI JSON "
          "export");
    }
    for (auto& a : arrays_) {
      if (a.error) {
        return base::fail(std::move(*a.error));
      }
    }
    RpkiData data;
    data.vrps = std::move(vrps_);
    data.router_keys = std::move(arrays_[kBgpsecKeys].keys);
    auto& more = arrays_[kRouterKeys].keys;
    data.router_keys.insert(data.router_keys.end(), std::make_move_iterator(more.begin()),
                            std::make_move_iterator(more.end()));
    // docs/aspa.md §2: the IPv4 and IPv6 lists are kept as separate records; the table
    // unites them.
    for (const auto id : {kAspas, kAspasV4, kAspasV6}) {
      auto& list = arrays_[id].aspas;
      data.aspas.insert(data.aspas.end(), std::make_move_iterator(list.begin()),
                        std::make_move_iterator(list.end()));
    }
    // The vectors grew by doubling; a full data set is kept for as long as the file is in use
    // (1.27 M VRPs: 61 MB instead of up to twice that).
    data.vrps.shrink_to_fit();
    data.router_keys.shrink_to_fit();
    data.aspas.shrink_to_fit();
    return data;
  }

 private:
  struct MemberState {
    bool present = false;
    bool is_object = false;
  };
  struct ArrayState {
    bool present = false;
    bool is_array = false;
    std::size_t next_index = 0;
    std::optional<std::string> error;  // the first bad entry
    std::vector<RouterKeyEntry> keys;
    std::vector<aspa::AspaRecord> aspas;
  };

  void reset(ArrayId id) {
    arrays_[id] = ArrayState{};
    if (id == kRoas) {
      vrps_.clear();
    }
  }

  // The value of a member that should be an array of entries.
  static bool array_member_event(ArrayState& a, Json::parse_event_t event, const Json& parsed) {
    using Event = Json::parse_event_t;
    switch (event) {
      case Event::array_start:
        a.present = true;
        a.is_array = true;
        return true;
      case Event::array_end:
        return true;  // kept, empty: its entries were taken and discarded
      case Event::object_start:
        a.present = true;  // an object: not an array (its contents are not kept)
        break;
      case Event::value:
        a.present = !parsed.is_null();  // JSON null counts as absent
        break;
      default:
        break;
    }
    return false;
  }

  // The value of `provider_authorizations`, which should be an object of arrays.
  bool object_member_event(Json::parse_event_t event, const Json& parsed) {
    using Event = Json::parse_event_t;
    switch (event) {
      case Event::object_start:
        pa_.present = true;
        pa_.is_object = true;
        return true;
      case Event::object_end:
        return true;
      case Event::array_start:
        pa_.present = true;
        break;
      case Event::value:
        pa_.present = !parsed.is_null();
        break;
      default:
        break;
    }
    return false;
  }

  // Events below an entry array whose entries sit at `entry_depth`.
  bool entry_event(int depth, int entry_depth, Json::parse_event_t event, Json& parsed) {
    using Event = Json::parse_event_t;
    if (current_ == kArrays || !arrays_[current_].is_array) {
      return false;
    }
    if (depth == entry_depth &&
        (event == Event::value || event == Event::object_end || event == Event::array_end)) {
      take_entry(parsed);
      return false;
    }
    return true;  // inside an entry: kept until the entry is complete
  }

  void take_entry(const Json& entry) {
    ArrayState& a = arrays_[current_];
    const auto index = a.next_index++;
    if (a.error) {
      return;
    }
    const auto at = where(kArrayNames[current_], index);
    if (current_ == kAspas || current_ == kAspasV4 || current_ == kAspasV6) {
      auto record = parse_aspa(entry, at);
      if (!record) {
        a.error = record.error().message;
      } else if (!expired(record->expires, now_)) {
        a.aspas.push_back(std::move(*record));
      }
      return;
    }
    if (current_ == kRoas) {
      auto vrp = parse_roa(entry, at);
      if (!vrp) {
        a.error = vrp.error().message;
      } else if (!expired(vrp->expires, now_)) {
        vrps_.push_back(*vrp);
      }
      return;
    }
    auto key =
        parse_router_key(entry, current_ == kBgpsecKeys ? kRpkiClientKey : kRoutinatorKey, at);
    if (!key) {
      a.error = key.error().message;
    } else if (!expired(key->expires, now_)) {
      a.keys.push_back(std::move(*key));
    }
  }

  std::int64_t now_;
  bool top_is_object_ = false;
  // Inside the value of provider_authorizations (current_ is then one of its arrays or none).
  bool in_pa_ = false;
  MemberState pa_;
  ArrayId current_ = kArrays;
  std::array<ArrayState, kArrays> arrays_{};
  std::vector<VrpEntry> vrps_;
};

// Parses `input` (text or a FILE*) through the loader. nlohmann reports a syntax error, with
// its line and column, only as an exception; it is caught here and nowhere escapes.
template <class Input>
base::Result<RpkiData> parse_stream(Input&& input, std::int64_t now_unix) {
  StreamingLoader loader(now_unix);
  try {
    const Json skeleton = Json::parse(
        std::forward<Input>(input),
        [&loader](int depth, Json::parse_event_t event, Json& parsed) {
          return loader.on_event(depth, event, parsed);
        },
        /*allow_exceptions=*/true);
    static_cast<void>(skeleton);
  } catch (const Json::parse_error& e) {
    return base::fail(std::string("not valid JSON: ") + e.what());
  }
  return loader.finish();
}

}  // namespace

base::Result<RpkiData> parse_rpki_json(std::string_view text, std::int64_t now_unix) {
  try {
    return parse_stream(text, now_unix);
  } catch (const Json::exception& e) {
    // Not expected (no throwing accessors are used), but nothing may unwind past this layer.
    return base::fail(std::string("RPKI JSON: ") + e.what());
  }
}

base::Result<RpkiData> load_rpki_json_file(const std::filesystem::path& path,
                                           std::int64_t now_unix) {
  // Streamed from the file: a full-table export is never held as text.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    return base::fail("cannot open " + path.string() + ": " + std::strerror(errno));
  }
  base::Result<RpkiData> data = base::fail("");
  try {
    data = parse_stream(file.get(), now_unix);
  } catch (const Json::exception& e) {
    data = base::fail(std::string("RPKI JSON: ") + e.what());
  }
  if (std::ferror(file.get()) != 0) {
    return base::fail("cannot read " + path.string());
  }
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
  Json aspas = Json::array();
  for (const auto& a : data.aspas) {
    Json providers = Json::array();
    for (const auto p : a.providers) {
      providers.push_back(p.value());
    }
    Json e = {{"customer_asid", a.customer.value()}, {"providers", std::move(providers)}};
    if (a.expires) {
      e["expires"] = *a.expires;
    }
    aspas.push_back(std::move(e));
  }
  Json doc = {{"roas", std::move(roas)}, {"bgpsec_keys", std::move(keys)}};
  if (!data.aspas.empty()) {
    // rpki-client 8 / StayRTR 0.5 shape. Records carry no address family (docs/aspa.md §2), so
    // each is valid for both; StayRTR serves each list for its own family.
    doc["provider_authorizations"] = {{"ipv4", aspas}, {"ipv6", std::move(aspas)}};
  }
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
