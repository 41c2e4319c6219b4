// SPDX-License-Identifier: BSD-2-Clause
// The SRx update identifier, bit-identical to NIST's srx_server on x86-64, so that a router can
// move between NIST's server and ours and keep its update IDs: a CRC-32 over an uppercase hex
// text of origin AS, prefix, prefix length and the BGPsec attribute (or the AS path). The text
// has NIST's signed-char quirk: every blob byte >= 0x80 is written as "FF". docs/srx-proxy.md
// gives the text format and worked examples.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/prefix.hpp"
#include "srx/pdu.hpp"

namespace bgpsecd::srx {

// CRC-32 as zlib computes it (reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF).
[[nodiscard]] std::uint32_t crc32(std::span<const std::uint8_t> bytes) noexcept;

struct UpdateIdInput {
  std::uint32_t origin_as = 0;
  base::IpAddress prefix_address;  // as sent, host bits included
  std::uint8_t prefix_length = 0;
  std::span<const std::uint8_t> blob;  // the BGPsec attribute if any, else the AS path bytes
};

// The hashed text: "%08X" origin AS; IPv4: the 4 address bytes reversed (NIST prints the
// network-order word as a little-endian integer), IPv6: the 16 bytes in order; "%02X" prefix
// length; per blob byte its 2 digits if below 0x80, else "FF".
[[nodiscard]] std::string update_id_text(const UpdateIdInput& input);
[[nodiscard]] std::uint32_t update_id(const UpdateIdInput& input);

// The blob NIST hashes for a VERIFY request: the attrLen bytes after the AS path if attrLen > 0,
// else the AS path list, taken from the fixed-part end. For a ShiftedIpv6 request that is where
// NIST looks, not where the data is: the path data without its first 12 bytes, then zeros.
[[nodiscard]] base::Bytes update_id_blob(const VerifyRequestPdu& request);
// update_id() over the request's origin AS, prefix, prefix length and update_id_blob().
[[nodiscard]] std::uint32_t update_id(const VerifyRequestPdu& request);

// What makes two VERIFY requests the same update: NIST compares origin AS and the AS path and
// attribute bytes; we compare the prefix too.
struct UpdateKey {
  std::uint32_t origin_as = 0;
  base::IpAddress prefix_address;
  std::uint8_t prefix_length = 0;
  std::vector<std::uint32_t> as_path;
  base::Bytes bgpsec_attribute;
  friend bool operator==(const UpdateKey&, const UpdateKey&) = default;
};
[[nodiscard]] UpdateKey update_key(const VerifyRequestPdu& request);

// The update held under an ID, or nullptr when the ID is free.
using UpdateLookup = std::function<const UpdateKey*(std::uint32_t id)>;

// The collision rule: starting at `computed`, add 1 (wrapping) while the ID holds a different
// update; the result is free or holds `key`. ID 0 means "no ID yet" to QuaggaSRx, so it is
// skipped like a collision. nullopt only if every ID is taken by other updates.
[[nodiscard]] std::optional<std::uint32_t> resolve_update_id(std::uint32_t computed,
                                                             const UpdateKey& key,
                                                             const UpdateLookup& lookup);

}  // namespace bgpsecd::srx
