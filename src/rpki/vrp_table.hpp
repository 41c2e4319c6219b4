// SPDX-License-Identifier: BSD-2-Clause
// The VRP table and route origin validation (RFC 6811 §2), sized for a full
// RPKI data set (~800 k VRPs): one sorted vector per prefix length and address family, 12
// octets per IPv4 VRP and 24 per IPv6 VRP. VRPs are reference-counted so that the union of
// several caches keeps a VRP until every source has withdrawn it. Not synchronised: a table is
// built, then published read-only (rpki_store.hpp), so concurrent const calls are safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "base/asn.hpp"
#include "base/prefix.hpp"
#include "base/result.hpp"
#include "rpki/rpki_json.hpp"

namespace bgpsecd::rpki {

// RFC 6811 §2 validation states.
enum class OriginState : std::uint8_t { Valid, Invalid, NotFound };

// "valid", "invalid", "not-found".
[[nodiscard]] const char* origin_state_name(OriginState state) noexcept;

// The VRP a VrpEntry names, as text: "192.0.2.0/24-24 AS64496" (for logs and errors).
[[nodiscard]] std::string vrp_to_string(const VrpEntry& vrp);

// Orders VRPs as VrpTable::for_each visits them: address family, prefix length, address,
// ASN, maxLength. `expires` is ignored.
[[nodiscard]] bool vrp_less(const VrpEntry& a, const VrpEntry& b) noexcept;
// Equal as VRPs (prefix, maxLength, ASN); `expires` is ignored.
[[nodiscard]] bool vrp_equal(const VrpEntry& a, const VrpEntry& b) noexcept;

class VrpTable {
 public:
  VrpTable() = default;

  // Builds a table from a whole data set in O(n log n); a VRP listed k times holds k
  // references. `expires` is ignored (the loader has already dropped expired entries).
  // Fails, naming the entry, when a maxLength is outside prefix length..32/128.
  [[nodiscard]] static base::Result<VrpTable> build(std::span<const VrpEntry> vrps);

  // Adds one reference to the VRP. Returns true when it was not in the table before. Fails
  // when maxLength is outside prefix length..32/128 (RFC 6482 §3.3, RFC 8210 §5.6); the
  // table is then unchanged.
  [[nodiscard]] base::Result<bool> add(const VrpEntry& vrp);
  // Drops one reference. Returns true when that was the last one (the VRP is gone). Fails
  // when the VRP is not in the table (RFC 8210 §5.6: withdrawal of an unknown record).
  [[nodiscard]] base::Result<bool> remove(const VrpEntry& vrp);
  void clear() noexcept;
  // Gives back spare vector capacity (after a build or a large delta).
  void shrink_to_fit();
  // Builds the lookup index of every large bucket that has none (build() does; add and remove
  // drop the index of the bucket they change). Lookups give the same answers without it, only
  // slower: the RPKI store calls it before it publishes a changed table.
  void index();

  // Distinct VRPs (a VRP with several references counts once).
  [[nodiscard]] std::size_t size() const noexcept { return size_v4_ + size_v6_; }
  [[nodiscard]] std::size_t size(base::Afi afi) const noexcept {
    return afi == base::Afi::Ipv4 ? size_v4_ : size_v6_;
  }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] bool contains(const VrpEntry& vrp) const { return references(vrp) != 0; }
  // How many sources announced the VRP (0 when absent).
  [[nodiscard]] std::uint32_t references(const VrpEntry& vrp) const;
  // Octets held by the table's vectors (capacity, not size), for the memory-per-VRP figure.
  [[nodiscard]] std::size_t memory_bytes() const noexcept;

  // RFC 6811 §2: NotFound when no VRP covers the route, Valid when one matches (covers,
  // route length <= maxLength, same non-zero ASN), otherwise Invalid.
  [[nodiscard]] OriginState validate_origin(const base::Prefix& route, base::Asn origin) const;
  // The same for a route whose origin is the distinguished value NONE (AS_PATH ends in an
  // AS_SET, RFC 6811 §2): NONE matches no VRP, so a covered route is Invalid and an
  // uncovered one NotFound. Implementations differ here: FRR and GoBGP return NotFound for
  // every NONE route; BIRD and the cover/match definitions of RFC 6811 §2 give Invalid when
  // covered, which is what we follow.
  [[nodiscard]] OriginState validate_origin_none(const base::Prefix& route) const;
  // Every VRP that covers `route`, shortest prefix first (for "why is this route invalid").
  [[nodiscard]] std::vector<VrpEntry> covering(const base::Prefix& route) const;

  // Calls f(vrp, references) for every VRP, in vrp_less order.
  void for_each(const std::function<void(const VrpEntry&, std::uint32_t)>& f) const;
  // Every distinct VRP, in vrp_less order.
  [[nodiscard]] std::vector<VrpEntry> entries() const;

  // The VRPs in `after` but not `before` (added) and in `before` but not `after` (removed),
  // each in vrp_less order; references do not matter. Linear in the two sizes.
  static void diff(const VrpTable& before, const VrpTable& after, std::vector<VrpEntry>& added,
                   std::vector<VrpEntry>& removed);

  // IPv6 addresses as two 64-bit halves, so that masking and comparing are two word ops.
  struct Addr6 {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
    friend auto operator<=>(const Addr6&, const Addr6&) = default;
  };

  // One VRP within its prefix-length bucket. References saturate at 65535 (a VRP from that
  // many sources then stays until clear()); 16 bits keep an IPv4 entry at 12 octets.
  template <class Addr>
  struct Entry {
    Addr addr{};
    std::uint32_t asn = 0;
    std::uint16_t refs = 0;
    std::uint8_t max_length = 0;
  };

 private:
  template <class Addr>
  using Bucket = std::vector<Entry<Addr>>;
  // Where a large bucket's entries start by some of their address bits: every entry starts
  // with the same `skip` bits (those of `head`, the first 64 address bits of one entry), and
  // `starts[t]` is the first entry whose next `bits` bits are t or more, starts[2^bits] the
  // bucket's size. A lookup then searches the few entries of its own range instead of the
  // whole bucket: with a million /24s a binary search over 12 MiB took twenty cache misses,
  // in the RFC 6811 walk of every arriving route. Empty: the bucket is small, or changed
  // since the index was built (add/remove); the search then covers the whole bucket.
  struct BucketIndex {
    unsigned skip = 0;
    unsigned bits = 0;
    std::uint64_t head = 0;
    std::vector<std::uint32_t> starts;
  };
  template <class Addr, std::size_t kBits>
  struct Family {
    std::array<Bucket<Addr>, kBits + 1> by_length;
    std::array<BucketIndex, kBits + 1> index;
    // Lengths whose bucket is non-empty, ascending: lookups visit only these.
    std::vector<std::uint8_t> lengths;
  };
  using Family4 = Family<std::uint32_t, 32>;
  using Family6 = Family<Addr6, 128>;

  template <class Addr, std::size_t kBits>
  static void refresh_lengths(Family<Addr, kBits>& family);
  template <class Addr, std::size_t kBits>
  static void index_family(Family<Addr, kBits>& family);
  template <class Addr, std::size_t kBits>
  static OriginState walk(const Family<Addr, kBits>& family, const Addr& route_addr,
                          std::uint8_t route_length, const std::uint32_t* origin,
                          std::vector<VrpEntry>* covering_out);
  template <class Addr, std::size_t kBits>
  static base::Result<bool> add_to(Family<Addr, kBits>& family, const Addr& addr,
                                   const VrpEntry& vrp);
  template <class Addr, std::size_t kBits>
  static base::Result<bool> remove_from(Family<Addr, kBits>& family, const Addr& addr,
                                        const VrpEntry& vrp);

  Family4 v4_;
  Family6 v6_;
  std::size_t size_v4_ = 0;
  std::size_t size_v6_ = 0;
};

}  // namespace bgpsecd::rpki
