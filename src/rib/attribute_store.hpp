// SPDX-License-Identifier: BSD-2-Clause
// Interning of path attributes: routes that share one attribute set (a full table has far
// fewer distinct sets than prefixes) share one immutable wire::PathAttributes. A set lives as
// long as some handle to it does and leaves the store with the last one.
#pragma once

#include <cstddef>
#include <memory>

#include "wire/attributes.hpp"

namespace bgpsecd::rib {

// Shared, immutable attribute set. Within one AttributeStore, equal values give the same
// pointer, so `a == b` on handles from one store is value equality.
using AttributesHandle = std::shared_ptr<const wire::PathAttributes>;

// Hash consistent with wire::PathAttributes::operator== (every field takes part).
[[nodiscard]] std::size_t hash_path_attributes(const wire::PathAttributes& attrs) noexcept;

// The part of an UPDATE's attributes that describes a route rather than the message: the
// NLRI inside MP_REACH_NLRI (AFI, SAFI and next hops stay) and MP_UNREACH_NLRI are removed,
// so that every prefix of one UPDATE gets the same set.
void strip_nlri(wire::PathAttributes& attrs) noexcept;

// Single-threaded, like the rest of the RIB. Handles may outlive the store: the table they
// unregister from is kept alive by the handles themselves.
class AttributeStore {
 public:
  AttributeStore();
  ~AttributeStore();
  AttributeStore(const AttributeStore&) = delete;
  AttributeStore& operator=(const AttributeStore&) = delete;
  AttributeStore(AttributeStore&&) noexcept;
  AttributeStore& operator=(AttributeStore&&) noexcept;

  // The shared set equal to `attrs`, created if no live one exists.
  [[nodiscard]] AttributesHandle intern(wire::PathAttributes attrs);
  // Number of distinct live sets.
  [[nodiscard]] std::size_t size() const noexcept;

  struct Table;  // implementation detail (attribute_store.cpp)

 private:
  std::shared_ptr<Table> table_;
};

}  // namespace bgpsecd::rib
