// SPDX-License-Identifier: BSD-2-Clause
// A directory of router private keys as `bgpsec keygen` writes it and bgpsecd and
// `bgpsec sign` read it: one PEM file per key, named <asn>.<SKI>.pem (the naming
// NIST-BGP-SRx and BIRD examples use), mode 0600. An AS may have several keys here at once:
// during a rollover (RFC 8634 §4) the new key is added next to the old one, and one of them
// is the active key, the one that signs (choose_active_key).
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/asn.hpp"
#include "base/result.hpp"
#include "base/ski.hpp"
#include "crypto/keys.hpp"

namespace bgpsecd::bgpsec {

struct DirKey {
  base::Asn asn;
  crypto::PrivateKey key;
  std::filesystem::path path;
  std::filesystem::file_time_type modified;  // the file's modification time
};

// What choose_active_key needs to know of one key of an AS.
struct KeyStamp {
  base::Ski ski;
  std::filesystem::file_time_type modified;
};

// Which of the keys of one AS signs: the one whose SKI is `configured` (an error when none
// has it), otherwise the key with the oldest modification time, the lower SKI on a tie. Why
// the oldest (RFC 8634 §4): a new key may only sign once its certificate has reached the
// relying parties, which the router cannot see from here, so adding a key never moves the
// signing to it by itself; the switch is the operator's act (naming the new SKI, or removing
// the old key's file). An error when `keys` is empty.
[[nodiscard]] base::Result<std::size_t> choose_active_key(
    std::span<const KeyStamp> keys, const std::optional<base::Ski>& configured);

// Writes the key for `asn`; creates the directory (0700) when missing. Refuses to overwrite.
[[nodiscard]] base::Result<std::filesystem::path> write_key(const std::filesystem::path& dir,
                                                            base::Asn asn,
                                                            const crypto::PrivateKey& key);
// Every key in the directory. A file that looks like a key but fails to load is an error.
[[nodiscard]] base::Result<std::vector<DirKey>> load_keys(const std::filesystem::path& dir);
// The active key for `asn` by choose_active_key without a configured SKI (an error when
// there is none).
[[nodiscard]] base::Result<crypto::PrivateKey> key_for(const std::vector<DirKey>& keys,
                                                       base::Asn asn,
                                                       const std::filesystem::path& dir);

}  // namespace bgpsecd::bgpsec
