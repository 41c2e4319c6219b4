// SPDX-License-Identifier: BSD-2-Clause
#include "daemon/router_keys.hpp"

#include <filesystem>
#include <string>

#include "bgpsec/key_directory.hpp"

namespace bgpsecd::daemon {

base::Result<RouterKeys> load_router_keys(const BgpsecConfig& config, base::Asn own_as) {
  struct Found {
    crypto::PrivateKey key;
    std::string from;
  };
  std::vector<Found> found;
  if (!config.key_dir.empty()) {
    auto keys = bgpsec::load_keys(config.key_dir);
    if (!keys) {
      return base::fail("[bgpsec] key_dir: " + keys.error().message);
    }
    for (auto& k : *keys) {
      if (k.asn == own_as) {
        found.push_back(Found{std::move(k.key), k.path.string()});
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
    found.push_back(Found{std::move(*key), file});
  }
  // All our keys are suite 1 (RFC 8608), and a Signature_Block holds one segment per hop.
  if (found.size() > 1) {
    return base::fail("[bgpsec] several router keys for AS" + own_as.to_string() + " (" +
                      found[0].from + ", " + found[1].from +
                      "): one key per algorithm suite signs; keep one");
  }
  RouterKeys keys;
  for (auto& f : found) {
    keys.push_back(std::make_unique<bgpsec::PrivateKeySigner>(std::move(f.key)));
  }
  return keys;
}

}  // namespace bgpsecd::daemon
