// SPDX-License-Identifier: BSD-2-Clause
#include "base/hex.hpp"

#include <array>

namespace bgpsecd::base {
namespace {

std::string hex_with(std::span<const std::uint8_t> bytes, const char* digits) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0F]);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// -1: not in either alphabet.
int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '+' || c == '-') {
    return 62;
  }
  if (c == '/' || c == '_') {
    return 63;
  }
  return -1;
}

}  // namespace

std::string to_hex(std::span<const std::uint8_t> bytes) {
  return hex_with(bytes, "0123456789ABCDEF");
}

std::string to_hex_lower(std::span<const std::uint8_t> bytes) {
  return hex_with(bytes, "0123456789abcdef");
}

Result<Bytes> from_hex(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
  }
  Bytes out;
  out.reserve(text.size() / 2);
  int high = -1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      continue;
    }
    const int v = hex_value(c);
    if (v < 0) {
      return fail("invalid hex digit '" + std::string(1, c) + "' at position " + std::to_string(i));
    }
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>((high << 4) | v));
      high = -1;
    }
  }
  if (high >= 0) {
    return fail("odd number of hex digits");
  }
  return out;
}

std::string to_base64(std::span<const std::uint8_t> bytes, Base64Alphabet alphabet) {
  const char* digits = alphabet == Base64Alphabet::Standard
                           ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                           : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v =
        (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out.push_back(digits[(v >> 18) & 63]);
    out.push_back(digits[(v >> 12) & 63]);
    out.push_back(digits[(v >> 6) & 63]);
    out.push_back(digits[v & 63]);
  }
  const std::size_t left = bytes.size() - i;
  if (left > 0) {
    std::uint32_t v = std::uint32_t{bytes[i]} << 16;
    if (left == 2) {
      v |= std::uint32_t{bytes[i + 1]} << 8;
    }
    out.push_back(digits[(v >> 18) & 63]);
    out.push_back(digits[(v >> 12) & 63]);
    if (left == 2) {
      out.push_back(digits[(v >> 6) & 63]);
    }
    if (alphabet == Base64Alphabet::Standard) {
      out.append(left == 1 ? "==" : "=");
    }
  }
  return out;
}

Result<Bytes> from_base64(std::string_view text) {
  // Strip padding; what is left must be a valid unpadded length.
  std::size_t end = text.size();
  std::size_t pads = 0;
  while (end > 0 && text[end - 1] == '=' && pads < 2) {
    --end;
    ++pads;
  }
  const std::string_view body = text.substr(0, end);
  if (body.size() % 4 == 1) {
    return fail("invalid base64 length");
  }
  if (pads > 0 && (body.size() + pads) % 4 != 0) {
    return fail("invalid base64 padding");
  }
  Bytes out;
  out.reserve(body.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const int v = base64_value(body[i]);
    if (v < 0) {
      return fail("invalid base64 character '" + std::string(1, body[i]) + "' at position " +
                  std::to_string(i));
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
      acc &= (1U << bits) - 1;
    }
  }
  // RFC 4648 §3.5: the unused low bits of the last digit must be zero (canonical encoding).
  if (acc != 0) {
    return fail("non-canonical base64 (non-zero trailing bits)");
  }
  return out;
}

}  // namespace bgpsecd::base
