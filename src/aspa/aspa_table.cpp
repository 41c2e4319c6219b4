// SPDX-License-Identifier: BSD-2-Clause
#include "aspa/aspa_table.hpp"

#include <algorithm>

namespace bgpsecd::aspa {

const char* authorization_name(Authorization a) noexcept {
  switch (a) {
    case Authorization::ProviderPlus:
      return "provider+";
    case Authorization::NotProviderPlus:
      return "not-provider+";
    case Authorization::NoAttestation:
      return "no-attestation";
  }
  return "no-attestation";
}

AspaTable AspaTable::build(std::span<const AspaRecord> records) {
  // (customer, provider) pairs; a record with no providers still yields its customer, so a
  // pair with the marker "no provider" keeps it in the table.
  struct Pair {
    std::uint32_t customer;
    std::uint32_t provider;
    bool has_provider;
    auto operator<=>(const Pair&) const = default;
  };
  std::vector<Pair> pairs;
  std::size_t total = 0;
  for (const auto& r : records) {
    total += r.providers.size() + 1;
  }
  pairs.reserve(total);
  for (const auto& r : records) {
    pairs.push_back({r.customer.value(), 0, false});
    for (const auto p : r.providers) {
      // docs/aspa.md §2: AS 0 only says "no providers"; it never matches, so it is not stored.
      if (p.value() != 0) {
        pairs.push_back({r.customer.value(), p.value(), true});
      }
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());

  AspaTable t;
  for (const auto& p : pairs) {
    if (t.customers_.empty() || t.customers_.back() != p.customer) {
      t.customers_.push_back(p.customer);
      t.offsets_.push_back(static_cast<std::uint32_t>(t.providers_.size()));
    }
    if (p.has_provider) {
      t.providers_.push_back(p.provider);
    }
  }
  t.offsets_.push_back(static_cast<std::uint32_t>(t.providers_.size()));
  t.customers_.shrink_to_fit();
  t.offsets_.shrink_to_fit();
  t.providers_.shrink_to_fit();
  return t;
}

std::size_t AspaTable::find(base::Asn customer) const noexcept {
  const auto it = std::lower_bound(customers_.begin(), customers_.end(), customer.value());
  if (it == customers_.end() || *it != customer.value()) {
    return customers_.size();
  }
  return static_cast<std::size_t>(it - customers_.begin());
}

bool AspaTable::has_record(base::Asn customer) const noexcept {
  return find(customer) != customers_.size();
}

std::span<const std::uint32_t> AspaTable::set_at(std::size_t i) const noexcept {
  return std::span<const std::uint32_t>(providers_)
      .subspan(offsets_[i], offsets_[i + 1] - offsets_[i]);
}

std::span<const std::uint32_t> AspaTable::providers(base::Asn customer) const noexcept {
  const auto i = find(customer);
  if (i == customers_.size()) {
    return {};
  }
  return set_at(i);
}

Authorization AspaTable::authorized(base::Asn customer, base::Asn provider) const noexcept {
  const auto i = find(customer);
  if (i == customers_.size()) {
    return Authorization::NoAttestation;
  }
  const auto set = set_at(i);
  // Most customers have one to four providers: a short linear scan beats bisection there.
  if (set.size() < 16) {
    for (const auto p : set) {
      if (p == provider.value()) {
        return Authorization::ProviderPlus;
      }
    }
    return Authorization::NotProviderPlus;
  }
  return std::binary_search(set.begin(), set.end(), provider.value())
             ? Authorization::ProviderPlus
             : Authorization::NotProviderPlus;
}

std::size_t AspaTable::memory_bytes() const noexcept {
  return (customers_.capacity() + offsets_.capacity() + providers_.capacity()) *
         sizeof(std::uint32_t);
}

std::vector<AspaRecord> AspaTable::records() const {
  std::vector<AspaRecord> out;
  out.reserve(customers_.size());
  for (std::size_t i = 0; i < customers_.size(); ++i) {
    AspaRecord r{base::Asn(customers_[i]), {}};
    for (auto k = offsets_[i]; k < offsets_[i + 1]; ++k) {
      r.providers.emplace_back(providers_[k]);
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace bgpsecd::aspa
