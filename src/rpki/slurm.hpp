// SPDX-License-Identifier: BSD-2-Clause
// RFC 8416 SLURM: local exceptions to the RPKI data. Filters drop VRPs,
// router keys and (SLURM version 2, StayRTR's form of the ASPA extension, docs/aspa.md §9)
// ASPAs from the relying party's output, then assertions add the operator's own. A
// malformed file is rejected as a whole, with an error naming the entry
// ("prefixAssertions[2]: maxPrefixLength 33 is outside 24..32").
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/asn.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "base/ski.hpp"
#include "crypto/keys.hpp"
#include "rpki/rpki_json.hpp"

namespace bgpsecd::rpki {

// RFC 8416 §3.3.1: drops every VRP whose prefix is `prefix` or a more-specific of it and whose
// ASN is `asn`; an absent member matches anything (at least one is present).
struct PrefixFilter {
  std::optional<base::Prefix> prefix;
  std::optional<base::Asn> asn;
  std::optional<std::string> comment;
  friend bool operator==(const PrefixFilter&, const PrefixFilter&) = default;
};

// RFC 8416 §3.3.2: drops every router key with that ASN and that SKI (at least one present).
struct BgpsecFilter {
  std::optional<base::Asn> asn;
  std::optional<base::Ski> ski;
  std::optional<std::string> comment;
  friend bool operator==(const BgpsecFilter&, const BgpsecFilter&) = default;
};

// RFC 8416 §3.4.1: adds the VRP (prefix, maxPrefixLength or the prefix length, asn).
struct PrefixAssertion {
  base::Prefix prefix;
  base::Asn asn;
  std::optional<std::uint8_t> max_prefix_length;
  std::optional<std::string> comment;
  [[nodiscard]] std::uint8_t max_length() const noexcept {
    return max_prefix_length.value_or(prefix.length());
  }
  friend bool operator==(const PrefixAssertion&, const PrefixAssertion&) = default;
};

// RFC 8416 §3.4.2: adds a router key. The SKI must be the key's SKI (RFC 8209), as for keys
// read from validator JSON, so that a typo cannot file a key under the wrong SKI.
struct BgpsecAssertion {
  base::Asn asn;
  base::Ski ski;
  crypto::PublicKey key;
  std::optional<std::string> comment;
  friend bool operator==(const BgpsecAssertion&, const BgpsecAssertion&) = default;
};

// docs/aspa.md §9: drops every ASPA record of the customer. `afi` ("ipv4" / "ipv6") is kept
// for the round trip but does not narrow the filter: records no longer carry a family.
struct AspaFilter {
  base::Asn customer;
  std::optional<std::string> afi;
  std::optional<std::string> comment;
  friend bool operator==(const AspaFilter&, const AspaFilter&) = default;
};

// docs/aspa.md §9: adds the record (customer, providers), united with any other record of the
// customer.
struct AspaAssertion {
  base::Asn customer;
  std::vector<base::Asn> providers;
  std::optional<std::string> afi;
  std::optional<std::string> comment;
  friend bool operator==(const AspaAssertion&, const AspaAssertion&) = default;
};

struct Slurm {
  std::vector<PrefixFilter> prefix_filters;
  std::vector<BgpsecFilter> bgpsec_filters;
  std::vector<PrefixAssertion> prefix_assertions;
  std::vector<BgpsecAssertion> bgpsec_assertions;
  std::vector<AspaFilter> aspa_filters = {};
  std::vector<AspaAssertion> aspa_assertions = {};
  friend bool operator==(const Slurm&, const Slurm&) = default;
};

// Parses a SLURM document. RFC 8416 §3.2: slurmVersion must be 1, and
// validationOutputFilters {prefixFilters, bgpsecFilters} and locallyAddedAssertions
// {prefixAssertions, bgpsecAssertions} must all be present (arrays may be empty). Version 2
// also allows validationOutputFilters.aspaFilters and locallyAddedAssertions.aspaAssertions
// (docs/aspa.md §9), each optional. Unknown
// members are refused, so that a misspelt "maxLength" is not silently ignored. SKI and
// routerPublicKey are base64 in either alphabet, padded or not (StayRTR: standard base64).
[[nodiscard]] base::Result<Slurm> parse_slurm(std::string_view text);

// Reads and parses a file; errors start with the file name.
[[nodiscard]] base::Result<Slurm> load_slurm_file(const std::filesystem::path& path);

// Writes the document in the RFC 8416 form (base64url without padding; version 2 with the ASPA
// arrays when there are ASPA filters or assertions), so that parse_slurm(to_slurm_json(s)) == s.
[[nodiscard]] std::string to_slurm_json(const Slurm& slurm);

// RFC 8416 §4: drops what the filters match, then adds the assertions (assertions are not
// filtered). An asserted VRP or key that is already present is not added a second time.
[[nodiscard]] RpkiData apply_slurm(const Slurm& slurm, RpkiData data);

// True when the filter drops the VRP / key (for callers that filter RTR deltas one by one).
[[nodiscard]] bool filter_matches(const PrefixFilter& filter, const VrpEntry& vrp) noexcept;
[[nodiscard]] bool filter_matches(const BgpsecFilter& filter, const RouterKeyEntry& key) noexcept;
[[nodiscard]] bool filter_matches(const AspaFilter& filter,
                                  const aspa::AspaRecord& record) noexcept;

}  // namespace bgpsecd::rpki
