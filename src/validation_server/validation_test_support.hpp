// SPDX-License-Identifier: BSD-2-Clause
// Test-only helpers for the validation server's result and signing tests: the RFC 8608
// example routes as VERIFY request content, and an RPKI store holding chosen router keys/VRPs.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bgpsec/test_support.hpp"
#include "rpki/rpki_store.hpp"
#include "validation_server/update.hpp"

namespace bgpsecd::validation_server::testing {

inline constexpr std::uint8_t kAsSequence = 2;

// The RFC 8608 example route `index` (0 IPv4, 1 IPv6) as AS 65537's router hands it over:
// 64496 -> 65536 -> 65537, the attribute with type code 33 as the RFC's UPDATE carries it.
inline UpdateContent example_update(std::size_t index) {
  UpdateContent content;
  content.prefix = bgpsec::testing::example_prefix(index);
  content.origin_as = bgpsec::testing::kAs64496.value();
  content.as_path = {bgpsec::testing::kAs65536.value(), bgpsec::testing::kAs64496.value()};
  content.as_type = kAsSequence;
  content.bgpsec_attribute =
      test_vectors::field(test_vectors::example(index), "bgpsec_path_attribute_with_iana_type_33");
  content.local_as = bgpsec::testing::kAs65537.value();
  return content;
}

inline rpki::RouterKeyEntry key_entry(base::Asn asn, const crypto::PublicKey& key) {
  return rpki::RouterKeyEntry{asn, key.ski(), key, std::nullopt};
}

// The two RFC 8608 example router keys (AS 64496 and AS 65536).
inline std::vector<rpki::RouterKeyEntry> example_key_entries() {
  return {
      key_entry(bgpsec::testing::kAs64496, bgpsec::testing::example_private_key(0).public_key()),
      key_entry(bgpsec::testing::kAs65536, bgpsec::testing::example_private_key(1).public_key())};
}

inline rpki::VrpEntry vrp(const std::string& prefix, std::uint8_t max_length, std::uint32_t asn) {
  return rpki::VrpEntry{base::Prefix::parse(prefix).value(), max_length, base::Asn(asn),
                        std::nullopt};
}

// Replaces the store's content; returns what changed.
inline rpki::ChangeSet load(rpki::RpkiStore& store, std::vector<rpki::VrpEntry> vrps,
                            std::vector<rpki::RouterKeyEntry> keys) {
  auto change = store.apply(rpki::RpkiData{std::move(vrps), std::move(keys)});
  EXPECT_TRUE(change.has_value());
  return change.value_or(rpki::ChangeSet{});
}

}  // namespace bgpsecd::validation_server::testing
