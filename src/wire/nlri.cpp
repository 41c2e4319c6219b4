// SPDX-License-Identifier: BSD-2-Clause
// Prefix list codec shared by the UPDATE body and the MP_* attributes.
#include "wire/nlri.hpp"

#include <array>

#include "base/byte_reader.hpp"

namespace bgpsecd::wire {

namespace {

constexpr std::uint8_t kSubcodeInvalidNetworkField = 10;  // RFC 4271 §6.3

base::WireError invalid(const base::ByteReader& at, const char* what) noexcept {
  base::WireError e;
  e.action = base::Action::SessionReset;
  e.code = base::notify::kUpdateMessageError;
  e.subcode = kSubcodeInvalidNetworkField;
  e.offset = static_cast<std::uint32_t>(at.offset());
  e.length = static_cast<std::uint32_t>(at.remaining());
  e.what = what;
  return e;
}

}  // namespace

base::Result<std::vector<base::Prefix>, base::WireError> decode_prefixes(
    std::span<const std::uint8_t> bytes, base::Afi afi, std::size_t base_offset) noexcept {
  base::ByteReader r(bytes, base_offset);
  std::vector<base::Prefix> out;
  while (!r.empty()) {
    const base::ByteReader at = r;
    std::uint8_t length = 0;
    static_cast<void>(r.read_u8(length));  // not empty
    // RFC 4271 §4.3 / RFC 4760 §5: the length may not exceed the address size.
    if (length > base::max_prefix_length(afi)) {
      return base::fail(invalid(at, "prefix length exceeds the address size"));
    }
    std::array<std::uint8_t, 16> octets{};
    const std::size_t n = (std::size_t{length} + 7) / 8;
    if (!r.read_into(std::span<std::uint8_t>(octets).first(n))) {
      return base::fail(invalid(at, "prefix truncated"));
    }
    out.emplace_back(base::IpAddress(afi, octets), length);
  }
  return out;
}

void encode_prefix(const base::Prefix& prefix, base::ByteWriter& out) {
  out.put_u8(prefix.length());
  out.put_bytes(prefix.nlri_octets());
}

void encode_prefixes(std::span<const base::Prefix> prefixes, base::ByteWriter& out) {
  for (const auto& p : prefixes) {
    encode_prefix(p, out);
  }
}

}  // namespace bgpsecd::wire
