// SPDX-License-Identifier: BSD-2-Clause
#include "bgpsec/key_directory.hpp"

#include <algorithm>
#include <system_error>

#include <sys/stat.h>

namespace bgpsecd::bgpsec {
namespace fs = std::filesystem;

base::Result<fs::path> write_key(const fs::path& dir, base::Asn asn,
                                 const crypto::PrivateKey& key) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) {
      return base::fail("cannot create " + dir.string() + ": " + ec.message());
    }
    // Private keys live here: keep the directory to its owner.
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  } else if (!fs::is_directory(dir, ec)) {
    return base::fail(dir.string() + " is not a directory");
  }
  const fs::path path = dir / (asn.to_string() + "." + key.public_key().ski().to_hex() + ".pem");
  BGPSEC_TRY(key.save_pem(path));
  return path;
}

base::Result<std::vector<DirKey>> load_keys(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return base::fail("key directory " + dir.string() + " does not exist");
  }
  std::vector<DirKey> keys;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto name = entry.path().filename().string();
    if (!entry.is_regular_file() || entry.path().extension() != ".pem") {
      continue;
    }
    const auto dot = name.find('.');
    auto asn = base::parse_asn(name.substr(0, dot));
    if (!asn) {
      continue;  // not one of ours (e.g. a certificate); keygen names files <asn>.<SKI>.pem
    }
    auto key = crypto::PrivateKey::load_pem(entry.path());
    if (!key) {
      return base::fail(key.error().message);
    }
    const auto modified = entry.last_write_time(ec);
    if (ec) {
      return base::fail("cannot read " + entry.path().string() + ": " + ec.message());
    }
    keys.push_back(DirKey{*asn, std::move(*key), entry.path(), modified});
  }
  if (ec) {
    return base::fail("cannot read " + dir.string() + ": " + ec.message());
  }
  std::sort(keys.begin(), keys.end(),
            [](const DirKey& a, const DirKey& b) { return a.path < b.path; });
  return keys;
}

base::Result<std::size_t> choose_active_key(std::span<const KeyStamp> keys,
                                            const std::optional<base::Ski>& configured) {
  if (keys.empty()) {
    return base::fail("no key");
  }
  if (configured) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i].ski == *configured) {
        return i;
      }
    }
    return base::fail("no key with the configured SKI " + configured->to_hex());
  }
  std::size_t oldest = 0;
  for (std::size_t i = 1; i < keys.size(); ++i) {
    const auto& k = keys[i];
    const auto& best = keys[oldest];
    if (k.modified < best.modified || (k.modified == best.modified && k.ski < best.ski)) {
      oldest = i;
    }
  }
  return oldest;
}

base::Result<crypto::PrivateKey> key_for(const std::vector<DirKey>& keys, base::Asn asn,
                                         const fs::path& dir) {
  std::vector<const DirKey*> ours;
  std::vector<KeyStamp> stamps;
  for (const auto& k : keys) {
    if (k.asn == asn) {
      ours.push_back(&k);
      stamps.push_back(KeyStamp{k.key.public_key().ski(), k.modified});
    }
  }
  if (ours.empty()) {
    return base::fail("no key for AS" + asn.to_string() + " in " + dir.string() +
                      " (run: bgpsec keygen --asn " + asn.to_string() + " --out " + dir.string() +
                      ")");
  }
  BGPSEC_ASSIGN_OR_RETURN(const std::size_t active, choose_active_key(stamps, std::nullopt));
  return ours[active]->key;
}

}  // namespace bgpsecd::bgpsec
