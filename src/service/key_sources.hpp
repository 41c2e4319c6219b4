// SPDX-License-Identifier: BSD-2-Clause
// Where a daemon's router keys come from (bgpsecd.conf(5) [bgpsec], bgpsecvd(8)): a key
// directory of `bgpsec keygen` files, PEM files named one by one, and per AS the SKI of the key
// that signs while several are loaded (RFC 8634 §4 rollover).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/ski.hpp"

namespace bgpsecd::service {

struct KeySources {
  std::string key_dir;                 // `<asn>.<SKI>.pem` files (bgpsec keygen); empty = none
  std::vector<std::string> key_files;  // PEM private keys, in addition to key_dir
  // [bgpsec.active_key]: per AS (its number), the SKI of the key that signs when several
  // keys of that AS are loaded (RFC 8634 §4 rollover); unset: bgpsec::choose_active_key.
  std::map<std::uint32_t, base::Ski> active_key;
  [[nodiscard]] bool empty() const noexcept { return key_dir.empty() && key_files.empty(); }
  friend bool operator==(const KeySources&, const KeySources&) = default;
};

}  // namespace bgpsecd::service
