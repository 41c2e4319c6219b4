// SPDX-License-Identifier: BSD-2-Clause
// The DER (X.690) tags the crypto layer reads (key files, SubjectPublicKeyInfo) and writes
// (certification requests). Internal to src/crypto.
#pragma once

#include <cstdint>

namespace bgpsecd::crypto::der {

// Universal class tags (X.690 §8.1.2, X.680 §8.4).
constexpr std::uint8_t kInteger = 0x02;
constexpr std::uint8_t kBitString = 0x03;
constexpr std::uint8_t kOctetString = 0x04;
constexpr std::uint8_t kNull = 0x05;
constexpr std::uint8_t kOid = 0x06;
constexpr std::uint8_t kPrintableString = 0x13;
constexpr std::uint8_t kSequence = 0x30;  // constructed
constexpr std::uint8_t kSet = 0x31;       // constructed
// Context-specific, constructed, number 0 ([0] IMPLICIT of a constructed type).
constexpr std::uint8_t kContext0Constructed = 0xA0;

}  // namespace bgpsecd::crypto::der
