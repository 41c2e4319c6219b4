// SPDX-License-Identifier: BSD-2-Clause
// `bgpsec keygen`: a new P-256 router key for an AS, and `bgpsec rpki-json`: the keys of a
// key directory as an rpki-client / StayRTR JSON file.
#include <chrono>
#include <ctime>
#include <string>

#include "base/hex.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "bgpsec/key_directory.hpp"
#include "cli_output.hpp"
#include "commands.hpp"
#include "csr_file.hpp"

namespace bgpsecd::tool {
namespace {

// The entry format of `bgpsec_keys` in rpki-client and StayRTR JSON (docs/peers.md §2.4).
nlohmann::json key_entry(base::Asn asn, const crypto::PublicKey& pub) {
  return {{"asn", asn.value()},
          {"ski", pub.ski().to_hex()},
          {"pubkey", base::to_base64(pub.spki_der())}};
}

struct KeygenArgs {
  std::string asn;
  std::string out;
  CsrOptions csr;
};

int run_keygen(const KeygenArgs& args) {
  auto asn = base::parse_asn(args.asn);
  if (!asn) {
    return bad_input(asn.error().message);
  }
  auto key = crypto::PrivateKey::generate();
  if (!key) {
    return bad_input(key.error().message);
  }
  auto path = bgpsec::write_key(args.out, *asn, *key);
  if (!path) {
    return bad_input(path.error().message);
  }
  auto entry = key_entry(*asn, key->public_key());
  if (!args.csr.file.empty()) {
    auto written = write_csr(*key, *asn, args.csr);
    if (!written) {
      // The key is written already: say so, so that `bgpsec csr --key` can finish the job.
      return bad_input(written.error().message + " (the key was written to " + path->string() +
                       ")");
    }
    entry["csr"] = std::move(*written);
  }
  print_json(entry);
  return kPositive;
}

struct RpkiJsonArgs {
  std::string key_dir;
  std::vector<std::string> roas;
  std::vector<std::string> aspas;
};

// --aspa CUSTOMER=PROVIDER[,PROVIDER...], e.g. 65007=65003,65004: one ASPA record,
// {"customer_asid": N, "providers": [N, ...]} (docs/aspa.md §9).
base::Result<nlohmann::json> aspa_entry(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq + 1 == text.size() || text.back() == ',') {
    return base::fail("--aspa '" + text + "': expected CUSTOMER=PROVIDER[,PROVIDER...]");
  }
  auto customer = base::parse_asn(text.substr(0, eq));
  if (!customer) {
    return base::fail("--aspa '" + text + "': " + customer.error().message);
  }
  nlohmann::json providers = nlohmann::json::array();
  std::string_view rest(text);
  rest.remove_prefix(eq + 1);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    auto provider = base::parse_asn(rest.substr(0, comma));
    if (!provider) {
      return base::fail("--aspa '" + text + "': " + provider.error().message);
    }
    providers.push_back(provider->value());
    rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
  }
  return nlohmann::json{{"customer_asid", customer->value()}, {"providers", providers}};
}

int run_rpki_json(const RpkiJsonArgs& args) {
  auto keys = bgpsec::load_keys(args.key_dir);
  if (!keys) {
    return bad_input(keys.error().message);
  }
  nlohmann::json out;
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buildtime[32] = {};
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(buildtime, sizeof buildtime, "%Y-%m-%dT%H:%M:%SZ", &tm);
  out["metadata"] = {{"buildtime", buildtime}, {"generated", static_cast<std::int64_t>(now)}};
  out["roas"] = nlohmann::json::array();
  // --roa PREFIX[-MAXLEN]=ASN, e.g. 192.0.2.0/24-24=64496
  for (const auto& roa : args.roas) {
    const auto eq = roa.find('=');
    if (eq == std::string::npos) {
      return bad_input("--roa '" + roa + "': expected PREFIX[-MAXLEN]=ASN");
    }
    std::string prefix_text = roa.substr(0, eq);
    std::string max_text;
    if (const auto dash = prefix_text.find('-'); dash != std::string::npos) {
      max_text = prefix_text.substr(dash + 1);
      prefix_text.resize(dash);
    }
    auto prefix = base::Prefix::parse(prefix_text);
    auto asn = base::parse_asn(roa.substr(eq + 1));
    if (!prefix || !asn) {
      return bad_input("--roa '" + roa +
                       "': " + (prefix ? asn.error().message : prefix.error().message));
    }
    int max_length = prefix->length();
    if (!max_text.empty()) {
      try {
        max_length = std::stoi(max_text);
      } catch (const std::exception&) {
        return bad_input("--roa '" + roa + "': bad maxLength");
      }
      if (max_length < prefix->length() || max_length > base::max_prefix_length(prefix->afi())) {
        return bad_input("--roa '" + roa + "': maxLength out of range");
      }
    }
    out["roas"].push_back({{"asn", asn->value()},
                           {"prefix", prefix->to_string()},
                           {"maxLength", max_length},
                           {"ta", "bgpsec"}});
  }
  out["bgpsec_keys"] = nlohmann::json::array();
  for (const auto& k : *keys) {
    auto entry = key_entry(k.asn, k.key.public_key());
    entry["ta"] = "bgpsec";
    out["bgpsec_keys"].push_back(std::move(entry));
  }
  if (!args.aspas.empty()) {
    // The rpki-client 8 / StayRTR 0.5 form, which StayRTR serves (it ignores a flat "aspas"):
    // the same records for both address families.
    auto records = nlohmann::json::array();
    for (const auto& text : args.aspas) {
      auto entry = aspa_entry(text);
      if (!entry) {
        return bad_input(entry.error().message);
      }
      records.push_back(std::move(*entry));
    }
    out["provider_authorizations"] = {{"ipv4", records}, {"ipv6", records}};
  }
  print_json(out);
  return kPositive;
}

}  // namespace

Runner add_keygen(CLI::App& app) {
  auto args = std::make_shared<KeygenArgs>();
  auto* cmd = app.add_subcommand(
      "keygen",
      "Generate a P-256 router key for an AS. Writes DIR/<asn>.<SKI>.pem (mode 0600) and prints "
      "{\"asn\",\"ski\",\"pubkey\"}, the bgpsec_keys entry of rpki-client/StayRTR JSON.");
  cmd->add_option("--asn", args->asn, "AS number (65536, AS65536 or 1.0)")->required();
  cmd->add_option("--out", args->out, "key directory (created with mode 0700 if missing)")
      ->required();
  add_csr_options(*cmd, args->csr, "--csr");
  return {cmd, [args] { return run_keygen(*args); }};
}

Runner add_rpki_json(CLI::App& app) {
  auto args = std::make_shared<RpkiJsonArgs>();
  auto* cmd = app.add_subcommand(
      "rpki-json",
      "Print rpki-client/StayRTR JSON with the router keys of a key directory (and ROAs given "
      "with --roa, ASPAs with --aspa), e.g. to serve them with stayrtr or pass them to `bgpsec "
      "verify --rpki`.");
  cmd->add_option("--key-dir", args->key_dir, "key directory written by `bgpsec keygen`")
      ->required();
  cmd->add_option("--roa", args->roas, "a ROA as PREFIX[-MAXLEN]=ASN (repeatable)");
  cmd->add_option("--aspa", args->aspas,
                  "an ASPA record as CUSTOMER=PROVIDER[,PROVIDER...] (repeatable)");
  return {cmd, [args] { return run_rpki_json(*args); }};
}

}  // namespace bgpsecd::tool
