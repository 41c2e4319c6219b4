// SPDX-License-Identifier: BSD-2-Clause
// The published RPKI state: an immutable Snapshot (VRP table, router key table, ASPA table,
// generation)
// behind a std::shared_ptr<const Snapshot>, replaced in one swap per update (docs/style.md §2.12).
// A validator takes one snapshot and uses it for a whole route, so it never sees half an
// update, and an old snapshot stays valid for as long as someone holds it. Every update
// returns a ChangeSet (what became present or absent), the feed from which the RIB finds the
// routes to revalidate (RFC 8374 §9.2).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>
#include <vector>

#include "aspa/aspa_table.hpp"
#include "base/asn.hpp"
#include "base/result.hpp"
#include "base/ski.hpp"
#include "crypto/keys.hpp"
#include "rpki/router_key_lookup.hpp"
#include "rpki/router_key_table.hpp"
#include "rpki/rpki_json.hpp"
#include "rpki/vrp_table.hpp"

namespace bgpsecd::rpki {

struct Snapshot {
  VrpTable vrps;
  RouterKeyTable router_keys;
  aspa::AspaTable aspas;  // docs/aspa.md §2
  // 0 for the empty start state, +1 per successful apply().
  std::uint64_t generation = 0;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

// An incremental update, applied in order (as RTR PDUs arrive, RFC 8210 §5.6/§5.10):
// announce adds one reference, withdraw drops one.
struct VrpChange {
  VrpEntry vrp;
  bool announce = true;
};
struct RouterKeyChange {
  RouterKeyEntry key;
  bool announce = true;
};
// An ASPA record is (customer, provider set), like a VRP a reference: announce adds one,
// withdraw drops one and must name a set that is held (providers in any order). The snapshot's
// provider set of a customer is the union of the sets held for it, from every source
// (docs/aspa.md §11.4). A source changes its record by withdrawing the old set and announcing
// the new one.
struct AspaChange {
  aspa::AspaRecord record;
  bool announce = true;
};
struct Delta {
  std::vector<VrpChange> vrps;
  std::vector<RouterKeyChange> router_keys;
  std::vector<AspaChange> aspas = {};
};

// What an update changed, as presence (references do not show): VRPs in vrp_less order,
// keys sorted by (AS, SKI, point). `expires` is always empty.
struct ChangeSet {
  std::vector<VrpEntry> vrps_added;
  std::vector<VrpEntry> vrps_removed;
  std::vector<RouterKeyEntry> keys_added;
  std::vector<RouterKeyEntry> keys_removed;
  // Customers whose provider set changed, appeared or disappeared, ascending. Only a path
  // through one of them can change ASPA state (docs/aspa.md §5).
  std::vector<base::Asn> aspa_customers = {};
  [[nodiscard]] bool empty() const noexcept {
    return vrps_added.empty() && vrps_removed.empty() && keys_added.empty() &&
           keys_removed.empty() && aspa_customers.empty();
  }
  // The prefixes of the VRPs added or removed. RFC 6811 §2: a VRP covers its prefix and the
  // more-specifics, so only routes within one of these can change origin state.
  [[nodiscard]] std::set<base::Prefix> vrp_prefixes() const;
  // (AS, SKI) of the router keys added or removed. Only a path with a signature naming one of
  // them can change state: RFC 8205 §5.2 looks keys up by (AS, SKI).
  [[nodiscard]] std::set<RouterKeyId> router_key_ids() const;
};

class RpkiStore final : public RouterKeyLookup {
 public:
  RpkiStore();

  // The current snapshot; never null. Cheap (one shared_ptr copy under a mutex).
  [[nodiscard]] SnapshotPtr snapshot() const;

  // Replaces everything with `full` (a file reload or an RTR Reset Query answer). An entry
  // listed twice holds two references. The ChangeSet is the difference against the previous
  // snapshot. Fails (and publishes nothing) when a VRP's maxLength is out of range.
  [[nodiscard]] base::Result<ChangeSet> apply(const RpkiData& full);
  // Applies announcements and withdrawals in order on a copy of the current state. Fails,
  // naming the change, and publishes nothing when a withdrawal names a record that is not
  // there (RFC 8210 §5.6 / §5.10, error code 6; an ASPA customer without a record) or a VRP
  // is malformed.
  [[nodiscard]] base::Result<ChangeSet> apply(const Delta& delta);

  // RouterKeyLookup on the current snapshot. A validator that looks up several keys for one
  // route should take snapshot() once and use snapshot()->router_keys instead.
  void find(base::Asn asn, const base::Ski& ski,
            std::vector<crypto::PublicKey>& out) const override;

 private:
  struct KeyId {
    base::Asn asn;
    base::Ski ski;
    crypto::EcPoint point;
    friend bool operator==(const KeyId&, const KeyId&) = default;
  };
  struct KeyIdHash {
    std::size_t operator()(const KeyId& id) const noexcept;
  };
  using KeyRefs = std::unordered_map<KeyId, std::uint32_t, KeyIdHash>;
  // Per customer: each distinct provider set (sorted, unique) and how many sources hold it.
  using AspaRefs = std::map<base::Asn, std::map<std::vector<base::Asn>, std::uint32_t>>;

  void publish(SnapshotPtr next);

  // Held for a whole apply(), so updates are serialised; readers never take it.
  std::mutex writer_mutex_;
  // How many sources announced each router key (RouterKeyTable stores a key once). Only the
  // writer touches it, under writer_mutex_.
  KeyRefs key_refs_;
  AspaRefs aspa_refs_;  // likewise for the ASPA records
  // Guards current_ only for the pointer copy (std::atomic<std::shared_ptr> is not in
  // libstdc++ 12).
  mutable std::mutex publish_mutex_;
  SnapshotPtr current_;
};

}  // namespace bgpsecd::rpki
