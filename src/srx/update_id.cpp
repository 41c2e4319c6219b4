// SPDX-License-Identifier: BSD-2-Clause
// SRx update identifier: the hex text NIST builds, its CRC-32, and the collision rule. NIST
// formats each blob byte as a plain (signed on x86-64) char, so bytes >= 0x80 come out as
// "FFFFFF9x" of which only "FF" stays in the hashed text; we write that rule out explicitly,
// independent of the platform's char signedness and byte order (docs/srx-proxy.md §4).
#include "srx/update_id.hpp"

#include <array>

namespace bgpsecd::srx {
namespace {

constexpr std::array<std::uint32_t, 256> make_crc_table() noexcept {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) {
      c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1U) : c >> 1U;
    }
    table[n] = c;
  }
  return table;
}

constexpr auto kCrcTable = make_crc_table();
constexpr char kHexDigits[] = "0123456789ABCDEF";

void put_hex_byte(std::string& out, std::uint8_t b) {
  out.push_back(kHexDigits[b >> 4U]);
  out.push_back(kHexDigits[b & 0x0FU]);
}

void put_hex_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    put_hex_byte(out, static_cast<std::uint8_t>(v >> shift));
  }
}

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> bytes) noexcept {
  std::uint32_t c = 0xFFFFFFFFU;
  for (const auto b : bytes) {
    c = kCrcTable[(c ^ b) & 0xFFU] ^ (c >> 8U);
  }
  return c ^ 0xFFFFFFFFU;
}

std::string update_id_text(const UpdateIdInput& input) {
  const auto address = input.prefix_address.octets();
  std::string text;
  text.reserve(2 * (4 + address.size() + 1 + input.blob.size()));
  put_hex_u32(text, input.origin_as);
  if (input.prefix_address.afi() == base::Afi::Ipv4) {
    // NIST prints the address word, still in network order, as a host (little-endian) integer.
    for (std::size_t i = address.size(); i > 0; --i) {
      put_hex_byte(text, address[i - 1]);
    }
  } else {
    for (const auto b : address) {
      put_hex_byte(text, b);
    }
  }
  put_hex_byte(text, input.prefix_length);
  for (const auto b : input.blob) {
    if (b < 0x80) {
      put_hex_byte(text, b);
    } else {
      text.append("FF");  // the sign-extended char: only its first two digits are hashed
    }
  }
  return text;
}

std::uint32_t update_id(const UpdateIdInput& input) {
  const auto text = update_id_text(input);
  return crc32(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

base::Bytes update_id_blob(const VerifyRequestPdu& request) {
  base::Bytes data;
  data.reserve(4 * request.as_path.size() + request.bgpsec_attribute.size() + 12);
  for (const auto asn : request.as_path) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      data.push_back(static_cast<std::uint8_t>(asn >> shift));
    }
  }
  data.insert(data.end(), request.bgpsec_attribute.begin(), request.bgpsec_attribute.end());
  const std::size_t length = data.size();
  std::size_t start = 0;
  if (request.layout == VerifyLayout::ShiftedIpv6) {
    // NIST reads the path data at offset 72, 12 bytes after where libSRxProxy put it; the
    // 12 bytes it reads past the data are the PDU's zero tail.
    data.resize(length + 12, 0);
    start = 12;
  }
  const std::size_t path_bytes = 4 * request.as_path.size();
  const auto view = std::span<const std::uint8_t>(data).subspan(start, length);
  const auto blob = request.bgpsec_attribute.empty()
                        ? view.first(path_bytes)
                        : view.subspan(path_bytes, request.bgpsec_attribute.size());
  return base::Bytes(blob.begin(), blob.end());
}

std::uint32_t update_id(const VerifyRequestPdu& request) {
  const auto blob = update_id_blob(request);
  return update_id(
      UpdateIdInput{request.origin_as, request.prefix_address, request.prefix_length, blob});
}

UpdateKey update_key(const VerifyRequestPdu& request) {
  return UpdateKey{request.origin_as, request.prefix_address, request.prefix_length,
                   request.as_path, request.bgpsec_attribute};
}

std::optional<std::uint32_t> resolve_update_id(std::uint32_t computed, const UpdateKey& key,
                                               const UpdateLookup& lookup) {
  std::uint32_t id = computed;
  do {
    if (id != 0) {
      const UpdateKey* held = lookup(id);
      if (held == nullptr || *held == key) {
        return id;
      }
    }
    ++id;  // wraps at 2^32
  } while (id != computed);
  return std::nullopt;
}

}  // namespace bgpsecd::srx
