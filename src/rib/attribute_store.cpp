// SPDX-License-Identifier: BSD-2-Clause
// Attribute interning: an open hash table of entries keyed by their value, each entry owned by
// the shared_ptr control block that the handles share; the deleter unregisters the entry.
#include "rib/attribute_store.hpp"

#include <span>
#include <unordered_set>
#include <utility>

#include "base/check.hpp"

namespace bgpsecd::rib {

// ===== hashing =====

namespace {

class Hasher {
 public:
  void add(std::uint64_t v) noexcept {
    // splitmix64 finaliser over a running combination: cheap, and good enough that equal
    // prefixes of long lists do not collide systematically.
    h_ ^= v + 0x9E3779B97F4A7C15ULL + (h_ << 6) + (h_ >> 2);
    h_ = (h_ ^ (h_ >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h_ = (h_ ^ (h_ >> 27)) * 0x94D049BB133111EBULL;
    h_ ^= h_ >> 31;
  }
  void add_bytes(std::span<const std::uint8_t> bytes) noexcept {
    add(bytes.size());
    std::uint64_t word = 0;
    std::size_t n = 0;
    for (const auto b : bytes) {
      word = (word << 8) | b;
      if (++n == 8) {
        add(word);
        word = 0;
        n = 0;
      }
    }
    if (n != 0) {
      add(word);
    }
  }
  template <class T>
  void add_optional(const std::optional<T>& v) noexcept {
    add(v.has_value() ? 1 : 0);
    if (v) {
      add_value(*v);
    }
  }
  void add_value(std::uint32_t v) noexcept { add(v); }
  void add_value(base::Asn asn) noexcept { add(asn.value()); }
  void add_value(const base::IpAddress& a) noexcept {
    add(static_cast<std::uint64_t>(a.afi()));
    add_bytes(a.octets());
  }
  void add_value(const base::Prefix& p) noexcept {
    add_value(p.address());
    add(p.length());
  }
  void add_value(wire::Origin o) noexcept { add(static_cast<std::uint64_t>(o)); }
  void add_value(const wire::AsPath& path) noexcept {
    add(path.segments.size());
    for (const auto& seg : path.segments) {
      add(static_cast<std::uint64_t>(seg.type));
      add_list(seg.asns);
    }
  }
  void add_value(const wire::Aggregator& a) noexcept {
    add_value(a.asn);
    add_value(a.address);
  }
  void add_value(const wire::MpReach& r) noexcept {
    add(static_cast<std::uint64_t>(r.afi));
    add(r.safi);
    add_list(r.next_hops);
    add_list(r.nlri);
  }
  void add_value(const wire::MpUnreach& u) noexcept {
    add(static_cast<std::uint64_t>(u.afi));
    add(u.safi);
    add_list(u.withdrawn);
  }
  void add_value(const wire::ExtendedCommunity& c) noexcept { add_bytes(c.bytes); }
  void add_value(const wire::LargeCommunity& c) noexcept {
    add(c.global);
    add(c.local1);
    add(c.local2);
  }
  void add_value(const wire::BgpsecPath& p) noexcept {
    add(p.secure_path.size());
    for (const auto& seg : p.secure_path) {
      add((std::uint64_t{seg.pcount} << 40) | (std::uint64_t{seg.flags} << 32) | seg.asn.value());
    }
    add(p.blocks.size());
    for (const auto& block : p.blocks) {
      add(block.suite);
      add(block.segments.size());
      for (const auto& seg : block.segments) {
        add_bytes(seg.ski.span());
        add_bytes(seg.signature);
      }
    }
  }
  void add_value(const wire::UnknownAttribute& u) noexcept {
    add((std::uint64_t{u.flags} << 8) | u.type);
    add_bytes(u.value);
  }
  template <class T>
  void add_list(const std::vector<T>& list) noexcept {
    add(list.size());
    for (const auto& v : list) {
      add_value(v);
    }
  }

  [[nodiscard]] std::size_t value() const noexcept { return static_cast<std::size_t>(h_); }

 private:
  std::uint64_t h_ = 0;
};

}  // namespace

std::size_t hash_path_attributes(const wire::PathAttributes& a) noexcept {
  Hasher h;
  h.add_optional(a.origin);
  h.add_optional(a.as_path);
  h.add_optional(a.next_hop);
  h.add_optional(a.med);
  h.add_optional(a.local_pref);
  h.add(a.atomic_aggregate ? 1 : 0);
  h.add_optional(a.aggregator);
  h.add_list(a.communities);
  h.add_optional(a.originator_id);
  h.add_list(a.cluster_list);
  h.add_optional(a.mp_reach);
  h.add_optional(a.mp_unreach);
  h.add_list(a.ext_communities);
  h.add_optional(a.as4_path);
  h.add_optional(a.as4_aggregator);
  h.add_list(a.large_communities);
  h.add_optional(a.bgpsec_path);
  h.add_optional(a.otc);
  h.add_list(a.unknown);
  return h.value();
}

void strip_nlri(wire::PathAttributes& attrs) noexcept {
  if (attrs.mp_reach) {
    attrs.mp_reach->nlri.clear();
  }
  attrs.mp_unreach.reset();
}

// ===== the table =====

namespace {

struct Entry {
  wire::PathAttributes attrs;
  std::size_t hash = 0;
  // The handles' control block, so that a lookup can hand out another handle. Never expired
  // while the entry is in the table: the deleter removes it first.
  std::weak_ptr<const wire::PathAttributes> self;
};

struct Probe {
  const wire::PathAttributes* attrs;
  std::size_t hash;
};

struct EntryHash {
  using is_transparent = void;
  std::size_t operator()(const Entry* e) const noexcept { return e->hash; }
  std::size_t operator()(const Probe& p) const noexcept { return p.hash; }
};

struct EntryEq {
  using is_transparent = void;
  bool operator()(const Entry* a, const Entry* b) const noexcept { return a == b; }
  bool operator()(const Probe& p, const Entry* e) const noexcept {
    return p.hash == e->hash && *p.attrs == e->attrs;
  }
  bool operator()(const Entry* e, const Probe& p) const noexcept { return (*this)(p, e); }
};

}  // namespace

struct AttributeStore::Table {
  std::unordered_set<Entry*, EntryHash, EntryEq> entries;
};

namespace {

// Owns the entry; keeps the table alive so that a handle may outlive its store.
struct EntryDeleter {
  std::shared_ptr<AttributeStore::Table> table;
  void operator()(Entry* e) const noexcept {
    table->entries.erase(e);
    delete e;  // NOLINT(cppcoreguidelines-owning-memory): the control block owns the entry
  }
};

}  // namespace

AttributeStore::AttributeStore() : table_(std::make_shared<Table>()) {}
AttributeStore::~AttributeStore() = default;
AttributeStore::AttributeStore(AttributeStore&&) noexcept = default;
AttributeStore& AttributeStore::operator=(AttributeStore&&) noexcept = default;

AttributesHandle AttributeStore::intern(wire::PathAttributes attrs) {
  const std::size_t hash = hash_path_attributes(attrs);
  if (const auto it = table_->entries.find(Probe{&attrs, hash}); it != table_->entries.end()) {
    auto existing = (*it)->self.lock();
    // The deleter erases an entry before its control block lets go of it (see Entry::self).
    BGPSEC_CHECK(existing != nullptr, "interned attribute set expired while in the table");
    return existing;
  }
  auto owned = std::make_unique<Entry>();
  owned->attrs = std::move(attrs);
  owned->hash = hash;
  Entry* raw = owned.get();
  std::shared_ptr<Entry> holder(owned.release(), EntryDeleter{table_});
  AttributesHandle handle(holder, &raw->attrs);  // aliasing: shares holder's control block
  raw->self = handle;
  table_->entries.insert(raw);
  return handle;
}

std::size_t AttributeStore::size() const noexcept { return table_ ? table_->entries.size() : 0; }

}  // namespace bgpsecd::rib
