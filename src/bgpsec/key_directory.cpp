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
    keys.push_back(DirKey{*asn, std::move(*key), entry.path()});
  }
  if (ec) {
    return base::fail("cannot read " + dir.string() + ": " + ec.message());
  }
  std::sort(keys.begin(), keys.end(),
            [](const DirKey& a, const DirKey& b) { return a.path < b.path; });
  return keys;
}

base::Result<crypto::PrivateKey> key_for(const std::vector<DirKey>& keys, base::Asn asn,
                                         const fs::path& dir) {
  const DirKey* found = nullptr;
  for (const auto& k : keys) {
    if (k.asn == asn) {
      if (found != nullptr) {
        return base::fail("several keys for AS" + asn.to_string() + " in " + dir.string() + " (" +
                          found->path.filename().string() + ", " + k.path.filename().string() +
                          "); keep one");
      }
      found = &k;
    }
  }
  if (found == nullptr) {
    return base::fail("no key for AS" + asn.to_string() + " in " + dir.string() +
                      " (run: bgpsec keygen --asn " + asn.to_string() + " --out " + dir.string() +
                      ")");
  }
  return found->key;
}

}  // namespace bgpsecd::bgpsec
