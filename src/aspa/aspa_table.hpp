// SPDX-License-Identifier: BSD-2-Clause
// The ASPA table: for each customer AS, the union of the provider ASes its valid ASPAs name
// (docs/aspa.md §2), and the authorization function over it (docs/aspa.md §3). Compact for a
// full data set: three flat vectors (sorted customers, offsets, sorted providers), 8 octets per
// customer plus 4 per provider. Immutable once built, so concurrent const calls are safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/asn.hpp"

namespace bgpsecd::aspa {

// One ASPA as read from a file or a cache: the customer and its providers (any order,
// duplicates allowed). An empty provider list or {AS 0} says "no transit providers".
struct AspaRecord {
  base::Asn customer;
  std::vector<base::Asn> providers;
  std::optional<std::int64_t> expires = {};  // Unix time, when a file gives it; not in the table
  friend bool operator==(const AspaRecord&, const AspaRecord&) = default;
};

// docs/aspa.md §3: the answer of authorized(customer, provider).
enum class Authorization : std::uint8_t { ProviderPlus, NotProviderPlus, NoAttestation };

// "provider+", "not-provider+", "no-attestation".
[[nodiscard]] const char* authorization_name(Authorization a) noexcept;

class AspaTable {
 public:
  AspaTable() = default;

  // Builds the table in O(n log n). Several records for one customer are merged into their
  // union (docs/aspa.md §2); providers are sorted and deduplicated.
  [[nodiscard]] static AspaTable build(std::span<const AspaRecord> records);

  // docs/aspa.md §3: NoAttestation when `customer` has no record; ProviderPlus when its
  // provider set holds `provider`; otherwise NotProviderPlus. AS 0 in a provider set only
  // means "no providers" and never matches (docs/aspa.md §2), not even a path holding AS 0.
  [[nodiscard]] Authorization authorized(base::Asn customer, base::Asn provider) const noexcept;

  // True when the customer has a record (possibly with no providers).
  [[nodiscard]] bool has_record(base::Asn customer) const noexcept;
  // The sorted provider set of `customer` (empty when it has no record or no providers).
  [[nodiscard]] std::span<const std::uint32_t> providers(base::Asn customer) const noexcept;

  // Customers with a record.
  [[nodiscard]] std::size_t size() const noexcept { return customers_.size(); }
  [[nodiscard]] bool empty() const noexcept { return customers_.empty(); }
  // Octets held by the table's vectors (capacity), for the memory-per-customer figure.
  [[nodiscard]] std::size_t memory_bytes() const noexcept;
  // The table as records, customers ascending, providers sorted (for output and tests).
  [[nodiscard]] std::vector<AspaRecord> records() const;

 private:
  // Index of `customer` in customers_, or size() when absent.
  [[nodiscard]] std::size_t find(base::Asn customer) const noexcept;
  // The providers of customers_[i].
  [[nodiscard]] std::span<const std::uint32_t> set_at(std::size_t i) const noexcept;

  std::vector<std::uint32_t> customers_;  // ascending, unique
  // providers of customers_[i] are providers_[offsets_[i] .. offsets_[i + 1]); size() + 1.
  std::vector<std::uint32_t> offsets_;
  std::vector<std::uint32_t> providers_;
};

}  // namespace bgpsecd::aspa
