// SPDX-License-Identifier: BSD-2-Clause
// Loader for the JSON exports that RPKI relying-party software writes and RTR caches read
// (docs/peers.md §2.4): rpki-client / StayRTR (`roas`, `bgpsec_keys` with `ski` hex and `pubkey`
// base64 SPKI, ASPAs in `provider_authorizations` {ipv4, ipv6} or, newer rpki-client, `aspas`,
// docs/aspa.md §9) and Routinator (`roas`, `routerKeys` with `SKI` and `routerPublicKey`
// base64url). A malformed file is rejected as a whole, with an error naming the entry
// ("bgpsec_keys[3]: ski is 19 octets, expected 20"); expired entries are dropped silently.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aspa/aspa_table.hpp"
#include "base/asn.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "base/ski.hpp"
#include "crypto/keys.hpp"

namespace bgpsecd::rpki {

struct RouterKeyEntry {
  base::Asn asn;
  base::Ski ski;  // equal to key.ski() (checked on load, RFC 8209)
  crypto::PublicKey key;
  std::optional<std::int64_t> expires;  // Unix time, when the file gives it
  friend bool operator==(const RouterKeyEntry&, const RouterKeyEntry&) = default;
};

struct VrpEntry {
  base::Prefix prefix;
  std::uint8_t max_length = 0;  // prefix.length() <= max_length <= 32 / 128
  base::Asn asn;
  std::optional<std::int64_t> expires;
  friend bool operator==(const VrpEntry&, const VrpEntry&) = default;
};

struct RpkiData {
  std::vector<VrpEntry> vrps;
  std::vector<RouterKeyEntry> router_keys;
  // ASPAs as listed (a customer may appear more than once, e.g. once per address family in
  // rpki-client 8 output); aspa::AspaTable::build unites them (docs/aspa.md §2).
  std::vector<aspa::AspaRecord> aspas = {};
  friend bool operator==(const RpkiData&, const RpkiData&) = default;
};

// Parses the JSON text. Entries whose `expires` is before `now_unix` are left out. At least one
// of `roas`, `bgpsec_keys`, `routerKeys`, `aspas`, `provider_authorizations` must be present (so
// that a wrong file, e.g. a SLURM file, is not taken for an empty data set). Unknown members
// (`ta`, `metadata`, ...) are ignored.
[[nodiscard]] base::Result<RpkiData> parse_rpki_json(std::string_view text, std::int64_t now_unix);

// docs/peers.md §2.4: an entry whose `expires` (Unix seconds) is before `now_unix` is not used.
[[nodiscard]] bool expired(const std::optional<std::int64_t>& expires,
                           std::int64_t now_unix) noexcept;
// Seconds since the Unix epoch on the system clock (the clock of `expires`).
[[nodiscard]] std::int64_t unix_now() noexcept;

// Reads and parses a file; errors start with the file name.
[[nodiscard]] base::Result<RpkiData> load_rpki_json_file(const std::filesystem::path& path,
                                                         std::int64_t now_unix);

// Writes `data` in the rpki-client format (`roas` + `bgpsec_keys`, and ASPAs in
// `provider_authorizations` with each record in both the ipv4 and the ipv6 list, which is what
// StayRTR 0.5 reads), so that parse_rpki_json(to_rpki_client_json(d), t) == d for entries that
// have not expired at t, except that each ASPA record comes back twice (the table of the
// records is the same, docs/aspa.md §2).
[[nodiscard]] std::string to_rpki_client_json(const RpkiData& data);

}  // namespace bgpsecd::rpki
