// SPDX-License-Identifier: BSD-2-Clause
// RpkiStore: builds each new Snapshot beside the published one (a copy plus the delta, or a
// fresh build for a full reload), computes the ChangeSet against the old one, and publishes
// it with one pointer swap. Holders of the old snapshot keep it alive and unchanged.
#include "rpki/rpki_store.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

namespace bgpsecd::rpki {
namespace {

bool key_less(const RouterKeyEntry& a, const RouterKeyEntry& b) {
  return std::tie(a.asn, a.ski, a.key.point()) < std::tie(b.asn, b.ski, b.key.point());
}

std::string key_to_string(const RouterKeyEntry& k) {
  return "router key AS" + k.asn.to_string() + " SKI " + k.ski.to_hex();
}

// docs/aspa.md §2: customers whose (united) provider set differs between the two tables.
std::vector<base::Asn> aspa_diff(const aspa::AspaTable& before, const aspa::AspaTable& after) {
  const auto a = before.records();
  const auto b = after.records();
  std::vector<base::Asn> changed;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].customer < b[j].customer)) {
      changed.push_back(a[i++].customer);
    } else if (i == a.size() || b[j].customer < a[i].customer) {
      changed.push_back(b[j++].customer);
    } else {
      if (a[i].providers != b[j].providers) {
        changed.push_back(a[i].customer);
      }
      ++i;
      ++j;
    }
  }
  return changed;
}

// A provider set as the store keys it: sorted, without duplicates.
std::vector<base::Asn> provider_set(std::vector<base::Asn> providers) {
  std::sort(providers.begin(), providers.end());
  providers.erase(std::unique(providers.begin(), providers.end()), providers.end());
  return providers;
}

std::string providers_to_string(const std::vector<base::Asn>& providers) {
  std::string out;
  for (const auto& p : providers) {
    out += (out.empty() ? "AS" : ", AS") + p.to_string();
  }
  return "{" + out + "}";
}

}  // namespace

std::set<base::Prefix> ChangeSet::vrp_prefixes() const {
  std::set<base::Prefix> prefixes;
  for (const auto* list : {&vrps_added, &vrps_removed}) {
    for (const auto& v : *list) {
      prefixes.insert(v.prefix);
    }
  }
  return prefixes;
}

std::set<RouterKeyId> ChangeSet::router_key_ids() const {
  std::set<RouterKeyId> ids;
  for (const auto* list : {&keys_added, &keys_removed}) {
    for (const auto& k : *list) {
      ids.emplace(k.asn, k.ski);
    }
  }
  return ids;
}

std::size_t RpkiStore::KeyIdHash::operator()(const KeyId& id) const noexcept {
  // The SKI is a SHA-1 output, so its hash already spreads well; the AS separates the same
  // key registered under several ASes. Keys sharing (AS, SKI) differ only in the point and
  // land in one bucket, which is rare and harmless.
  return base::SkiHash{}(id.ski) ^ (std::size_t{id.asn.value()} * 0x9E3779B97F4A7C15ULL);
}

RpkiStore::RpkiStore() : current_(std::make_shared<const Snapshot>()) {}

SnapshotPtr RpkiStore::snapshot() const {
  const std::lock_guard lock(publish_mutex_);
  return current_;
}

void RpkiStore::publish(SnapshotPtr next) {
  SnapshotPtr old;
  {
    const std::lock_guard lock(publish_mutex_);
    old = std::exchange(current_, std::move(next));
  }
  // `old` may be the last reference: it is freed here, outside the publish lock, so readers
  // never wait for a table to be destroyed.
}

void RpkiStore::find(base::Asn asn, const base::Ski& ski,
                     std::vector<crypto::PublicKey>& out) const {
  snapshot()->router_keys.find(asn, ski, out);
}

base::Result<ChangeSet> RpkiStore::apply(const RpkiData& full) {
  const std::lock_guard writer(writer_mutex_);
  BGPSEC_ASSIGN_OR_RETURN(auto vrps, VrpTable::build(full.vrps));

  KeyRefs refs;
  RouterKeyTable keys;
  std::vector<RouterKeyEntry> new_keys;
  for (const auto& k : full.router_keys) {
    if (++refs[KeyId{k.asn, k.ski, k.key.point()}] == 1) {
      static_cast<void>(keys.add(k.asn, k.ski, k.key));
      new_keys.push_back(RouterKeyEntry{k.asn, k.ski, k.key, {}});
    }
  }

  const SnapshotPtr old = snapshot();
  ChangeSet changes;
  VrpTable::diff(old->vrps, vrps, changes.vrps_added, changes.vrps_removed);

  std::vector<RouterKeyEntry> old_keys;
  old->router_keys.for_each([&](base::Asn asn, const base::Ski& ski, const crypto::PublicKey& key) {
    old_keys.push_back(RouterKeyEntry{asn, ski, key, {}});
  });
  std::sort(old_keys.begin(), old_keys.end(), key_less);
  std::sort(new_keys.begin(), new_keys.end(), key_less);
  std::set_difference(new_keys.begin(), new_keys.end(), old_keys.begin(), old_keys.end(),
                      std::back_inserter(changes.keys_added), key_less);
  std::set_difference(old_keys.begin(), old_keys.end(), new_keys.begin(), new_keys.end(),
                      std::back_inserter(changes.keys_removed), key_less);

  auto aspas = aspa::AspaTable::build(full.aspas);
  changes.aspa_customers = aspa_diff(old->aspas, aspas);
  AspaRefs aspa_refs;
  for (const auto& r : full.aspas) {
    ++aspa_refs[r.customer][provider_set(r.providers)];
  }

  auto next = std::make_shared<Snapshot>();
  next->vrps = std::move(vrps);
  next->router_keys = std::move(keys);
  next->aspas = std::move(aspas);
  next->generation = old->generation + 1;
  key_refs_ = std::move(refs);
  aspa_refs_ = std::move(aspa_refs);
  publish(std::move(next));
  return changes;
}

base::Result<ChangeSet> RpkiStore::apply(const Delta& delta) {
  const std::lock_guard writer(writer_mutex_);
  const SnapshotPtr old = snapshot();
  // The copy is the price of immutable snapshots: readers of `old` are never disturbed.
  auto next = std::make_shared<Snapshot>(*old);
  next->generation = old->generation + 1;
  KeyRefs refs = key_refs_;

  std::vector<VrpEntry> touched_vrps;
  touched_vrps.reserve(delta.vrps.size());
  for (std::size_t i = 0; i < delta.vrps.size(); ++i) {
    const auto& change = delta.vrps[i];
    auto done = change.announce ? next->vrps.add(change.vrp) : next->vrps.remove(change.vrp);
    if (!done) {
      // RFC 8210 §5.6: withdrawing a VRP that is not there is error 6 for the RTR client.
      return base::fail("vrps[" + std::to_string(i) + "]: " + done.error().message);
    }
    touched_vrps.push_back(VrpEntry{change.vrp.prefix, change.vrp.max_length, change.vrp.asn, {}});
  }

  std::vector<RouterKeyEntry> touched_keys;
  for (std::size_t i = 0; i < delta.router_keys.size(); ++i) {
    const auto& k = delta.router_keys[i].key;
    const KeyId id{k.asn, k.ski, k.key.point()};
    if (delta.router_keys[i].announce) {
      if (++refs[id] == 1) {
        static_cast<void>(next->router_keys.add(k.asn, k.ski, k.key));
      }
    } else {
      const auto it = refs.find(id);
      if (it == refs.end()) {
        // RFC 8210 §5.10: record identity is {SKI, ASN, SPKI}; an unknown one is error 6.
        return base::fail("router_keys[" + std::to_string(i) + "]: " + key_to_string(k) +
                          " is not in the table");
      }
      if (--it->second == 0) {
        refs.erase(it);
        static_cast<void>(next->router_keys.remove(k.asn, k.ski, k.key));
      }
    }
    touched_keys.push_back(RouterKeyEntry{k.asn, k.ski, k.key, {}});
  }

  ChangeSet changes;
  std::optional<AspaRefs> aspa_refs;
  if (!delta.aspas.empty()) {
    // docs/aspa.md §11.4: count references per (customer, provider set), then one rebuild of
    // the united table: a delta is small, the table flat.
    aspa_refs = aspa_refs_;
    for (std::size_t i = 0; i < delta.aspas.size(); ++i) {
      const auto& change = delta.aspas[i];
      const auto& customer = change.record.customer;
      auto set = provider_set(change.record.providers);
      if (change.announce) {
        ++(*aspa_refs)[customer][std::move(set)];
        continue;
      }
      const auto sets = aspa_refs->find(customer);
      if (sets == aspa_refs->end() || !sets->second.contains(set)) {
        return base::fail("aspas[" + std::to_string(i) + "]: no ASPA for customer AS" +
                          customer.to_string() + " with providers " + providers_to_string(set) +
                          " to withdraw");
      }
      if (--sets->second[set] == 0) {
        sets->second.erase(set);
        if (sets->second.empty()) {
          aspa_refs->erase(sets);
        }
      }
    }
    std::vector<aspa::AspaRecord> records;
    for (const auto& [customer, sets] : *aspa_refs) {
      for (const auto& [providers, count] : sets) {
        records.push_back(aspa::AspaRecord{customer, providers});
      }
    }
    next->aspas = aspa::AspaTable::build(records);
    changes.aspa_customers = aspa_diff(old->aspas, next->aspas);
  }

  // Net effect per record: announce-then-withdraw within one delta is no change.
  std::sort(touched_vrps.begin(), touched_vrps.end(), vrp_less);
  touched_vrps.erase(std::unique(touched_vrps.begin(), touched_vrps.end(), vrp_equal),
                     touched_vrps.end());
  for (const auto& vrp : touched_vrps) {
    const bool was = old->vrps.contains(vrp);
    const bool now = next->vrps.contains(vrp);
    if (now && !was) {
      changes.vrps_added.push_back(vrp);
    } else if (was && !now) {
      changes.vrps_removed.push_back(vrp);
    }
  }
  std::sort(touched_keys.begin(), touched_keys.end(), key_less);
  touched_keys.erase(
      std::unique(touched_keys.begin(), touched_keys.end(),
                  [](const auto& a, const auto& b) { return !key_less(a, b) && !key_less(b, a); }),
      touched_keys.end());
  for (const auto& k : touched_keys) {
    const KeyId id{k.asn, k.ski, k.key.point()};
    const bool was = key_refs_.contains(id);
    const bool now = refs.contains(id);
    if (now && !was) {
      changes.keys_added.push_back(k);
    } else if (was && !now) {
      changes.keys_removed.push_back(k);
    }
  }

  key_refs_ = std::move(refs);
  if (aspa_refs) {
    aspa_refs_ = std::move(*aspa_refs);
  }
  next->vrps.index();  // the buckets the delta changed lost theirs
  publish(std::move(next));
  return changes;
}

}  // namespace bgpsecd::rpki
