// SPDX-License-Identifier: BSD-2-Clause
#include "service/router_keys.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <system_error>

#include "bgpsec/key_directory.hpp"

namespace bgpsecd::service {
namespace fs = std::filesystem;

base::Result<base::Bytes> RouterKey::sign(const crypto::Sha256Digest& digest) const {
  auto signature = signer_.sign(digest);
  if (signature) {
    ++signatures_;
  }
  return signature;
}

base::Result<RouterKeys> load_router_keys(const KeySources& config, base::Asn own_as) {
  struct Found {
    crypto::PrivateKey key;
    std::string from;
    fs::file_time_type modified;
  };
  std::vector<Found> found;
  if (!config.key_dir.empty()) {
    auto keys = bgpsec::load_keys(config.key_dir);
    if (!keys) {
      return base::fail("[bgpsec] key_dir: " + keys.error().message);
    }
    for (auto& k : *keys) {
      if (k.asn == own_as) {
        found.push_back(Found{std::move(k.key), k.path.string(), k.modified});
      }
    }
    if (found.empty() && config.key_files.empty()) {
      return base::fail("[bgpsec] key_dir " + config.key_dir + " holds no key for AS" +
                        own_as.to_string() + " (run: bgpsec keygen --asn " + own_as.to_string() +
                        " --out " + config.key_dir + ")");
    }
  }
  for (const auto& file : config.key_files) {
    auto key = crypto::PrivateKey::load_pem(file);
    if (!key) {
      return base::fail("[bgpsec] key_files: " + key.error().message);
    }
    std::error_code ec;
    const auto modified = fs::last_write_time(file, ec);
    if (ec) {
      return base::fail("[bgpsec] key_files: cannot read " + file + ": " + ec.message());
    }
    found.push_back(Found{std::move(*key), file, modified});
  }
  // The same key twice (key_dir and key_files) is one key.
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return a.key.public_key().ski() < b.key.public_key().ski();
  });
  found.erase(std::unique(found.begin(), found.end(),
                          [](const Found& a, const Found& b) {
                            return a.key.public_key().ski() == b.key.public_key().ski();
                          }),
              found.end());
  RouterKeys keys;
  keys.asn = own_as;
  if (found.empty()) {
    return keys;
  }
  std::vector<bgpsec::KeyStamp> stamps;
  for (const auto& f : found) {
    stamps.push_back(bgpsec::KeyStamp{f.key.public_key().ski(), f.modified});
  }
  std::optional<base::Ski> configured;
  if (const auto it = config.active_key.find(own_as.value()); it != config.active_key.end()) {
    configured = it->second;
  }
  auto active = bgpsec::choose_active_key(stamps, configured);
  if (!active) {
    return base::fail("[bgpsec] active_key for AS" + own_as.to_string() + ": " +
                      active.error().message + " among the router keys loaded");
  }
  keys.active = *active;
  keys.configured = configured.has_value();
  for (auto& f : found) {
    keys.keys.push_back(std::make_unique<RouterKey>(std::move(f.key), std::move(f.from)));
  }
  return keys;
}

base::Result<std::map<base::Asn, RouterKeys>> load_router_keys_by_as(const KeySources& config) {
  std::map<base::Asn, RouterKeys> out;
  if (config.key_dir.empty()) {
    return out;
  }
  auto keys = bgpsec::load_keys(config.key_dir);
  if (!keys) {
    return base::fail("[bgpsec] key_dir: " + keys.error().message);
  }
  std::set<base::Asn> ases;
  for (const auto& k : *keys) {
    ases.insert(k.asn);
  }
  // key_files carry no AS: only the directory's files (named by AS) serve several ASes.
  KeySources dir_only{.key_dir = config.key_dir, .key_files = {}, .active_key = config.active_key};
  for (const auto asn : ases) {
    BGPSEC_ASSIGN_OR_RETURN(auto set, load_router_keys(dir_only, asn));
    out.emplace(asn, std::move(set));
  }
  return out;
}

std::vector<std::string> carry_over(const RouterKeys& old, RouterKeys& next) {
  std::vector<std::string> changes;
  const auto find = [](const RouterKeys& in, const base::Ski& ski) -> const RouterKey* {
    for (const auto& k : in.keys) {
      if (k->ski() == ski) {
        return k.get();
      }
    }
    return nullptr;
  };
  const std::string as = "router key AS" + next.asn.to_string() + " ";
  for (auto& k : next.keys) {
    if (const auto* was = find(old, k->ski())) {
      k->set_signatures(was->signatures());
    } else {
      changes.push_back(as + k->ski().to_hex() + " added");
    }
  }
  for (const auto& k : old.keys) {
    if (find(next, k->ski()) == nullptr) {
      changes.push_back("router key AS" + old.asn.to_string() + " " + k->ski().to_hex() +
                        " removed");
    }
  }
  const auto* was = old.active_key();
  const auto* now = next.active_key();
  if (now != nullptr && (was == nullptr || was->ski() != now->ski())) {
    changes.push_back(as + now->ski().to_hex() + " active");
  }
  return changes;
}

}  // namespace bgpsecd::service
