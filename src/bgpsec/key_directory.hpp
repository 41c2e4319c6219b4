// SPDX-License-Identifier: BSD-2-Clause
// A directory of router private keys as `bgpsec keygen` writes it and bgpsecd and
// `bgpsec sign` read it: one PEM file per key, named <asn>.<SKI>.pem (the naming
// NIST-BGP-SRx and BIRD examples use), mode 0600.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/asn.hpp"
#include "base/result.hpp"
#include "crypto/keys.hpp"

namespace bgpsecd::bgpsec {

struct DirKey {
  base::Asn asn;
  crypto::PrivateKey key;
  std::filesystem::path path;
};

// Writes the key for `asn`; creates the directory (0700) when missing. Refuses to overwrite.
[[nodiscard]] base::Result<std::filesystem::path> write_key(const std::filesystem::path& dir,
                                                            base::Asn asn,
                                                            const crypto::PrivateKey& key);
// Every key in the directory. A file that looks like a key but fails to load is an error.
[[nodiscard]] base::Result<std::vector<DirKey>> load_keys(const std::filesystem::path& dir);
// The one key for `asn` (an error when there is none, or more than one).
[[nodiscard]] base::Result<crypto::PrivateKey> key_for(const std::vector<DirKey>& keys,
                                                       base::Asn asn,
                                                       const std::filesystem::path& dir);

}  // namespace bgpsecd::bgpsec
