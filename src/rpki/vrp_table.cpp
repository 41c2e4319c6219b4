// SPDX-License-Identifier: BSD-2-Clause
// VRP table (RFC 6811): per address family, one vector per prefix length, each sorted by
// (address, ASN, maxLength). A lookup masks the route's address to every length that has
// VRPs and is not longer than the route, and binary-searches that bucket (a large one only
// within the range its index gives): at most 33 / 129 searches, in practice the 15-25
// lengths that real VRP sets use.
#include "rpki/vrp_table.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>

namespace bgpsecd::rpki {
namespace {

using Addr6 = VrpTable::Addr6;

// ===== Addresses as integers =====

std::uint32_t to_addr4(const base::IpAddress& address) {
  std::uint32_t out = 0;
  for (const std::uint8_t octet : address.octets()) {
    out = (out << 8) | octet;
  }
  return out;
}

Addr6 to_addr6(const base::IpAddress& address) {
  Addr6 out;
  std::size_t i = 0;
  for (const std::uint8_t octet : address.octets()) {
    if (i < 8) {
      out.hi = (out.hi << 8) | octet;
    } else {
      out.lo = (out.lo << 8) | octet;
    }
    ++i;
  }
  return out;
}

base::IpAddress from_addr(std::uint32_t addr) { return base::IpAddress::v4(addr); }

base::IpAddress from_addr(const Addr6& addr) {
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < 8; ++i) {
    const auto shift = static_cast<unsigned>(56 - 8 * i);
    bytes[i] = static_cast<std::uint8_t>(addr.hi >> shift);
    bytes[i + 8] = static_cast<std::uint8_t>(addr.lo >> shift);
  }
  return base::IpAddress(base::Afi::Ipv6, bytes);
}

// The first `length` bits of the address, the rest zero.
std::uint32_t masked(std::uint32_t addr, std::uint8_t length) {
  if (length == 0) {
    return 0;
  }
  return addr & (~std::uint32_t{0} << (32U - length));
}

Addr6 masked(const Addr6& addr, std::uint8_t length) {
  constexpr auto kOnes = ~std::uint64_t{0};
  if (length == 0) {
    return {};
  }
  if (length <= 64) {
    return {addr.hi & (kOnes << (64U - length)), 0};
  }
  if (length == 128) {
    return addr;
  }
  return {addr.hi, addr.lo & (kOnes << (128U - length))};
}

template <class Addr>
auto key_of(const VrpTable::Entry<Addr>& e) {
  return std::tie(e.addr, e.asn, e.max_length);
}

template <class Addr>
bool entry_less(const VrpTable::Entry<Addr>& a, const VrpTable::Entry<Addr>& b) {
  return key_of(a) < key_of(b);
}

template <class Addr>
VrpEntry to_vrp(const VrpTable::Entry<Addr>& e, std::uint8_t length) {
  return VrpEntry{base::Prefix(from_addr(e.addr), length), e.max_length, base::Asn(e.asn), {}};
}

template <class Addr>
VrpTable::Entry<Addr> make_entry(const Addr& addr, const VrpEntry& vrp) {
  return VrpTable::Entry<Addr>{addr, vrp.asn.value(), 1, vrp.max_length};
}

// RFC 6482 §3.3 / RFC 8210 §5.6: prefix length <= maxLength <= address length.
base::Result<void> check_max_length(const VrpEntry& vrp) {
  const unsigned max_allowed = base::max_prefix_length(vrp.prefix.afi());
  if (vrp.max_length < vrp.prefix.length() || vrp.max_length > max_allowed) {
    return base::fail("VRP " + vrp_to_string(vrp) + ": maxLength " +
                      std::to_string(vrp.max_length) + " is outside " +
                      std::to_string(vrp.prefix.length()) + ".." + std::to_string(max_allowed));
  }
  return {};
}

void add_refs(std::uint16_t& refs, std::uint32_t more) {
  constexpr std::uint32_t kMax = std::numeric_limits<std::uint16_t>::max();
  refs = static_cast<std::uint16_t>(std::min(kMax, std::uint32_t{refs} + more));
}

// Sorts a bucket and folds equal VRPs into one entry carrying the summed references.
template <class Addr>
std::size_t sort_and_merge(std::vector<VrpTable::Entry<Addr>>& bucket) {
  std::sort(bucket.begin(), bucket.end(), entry_less<Addr>);
  std::size_t out = 0;
  for (std::size_t i = 0; i < bucket.size(); ++i) {
    if (out > 0 && key_of(bucket[out - 1]) == key_of(bucket[i])) {
      add_refs(bucket[out - 1].refs, bucket[i].refs);
    } else {
      bucket[out++] = bucket[i];
    }
  }
  bucket.resize(out);
  return out;
}

}  // namespace

const char* origin_state_name(OriginState state) noexcept {
  switch (state) {
    case OriginState::Valid:
      return "valid";
    case OriginState::Invalid:
      return "invalid";
    case OriginState::NotFound:
      return "not-found";
  }
  return "unknown";
}

std::string vrp_to_string(const VrpEntry& vrp) {
  return vrp.prefix.to_string() + "-" + std::to_string(vrp.max_length) + " AS" +
         vrp.asn.to_string();
}

bool vrp_less(const VrpEntry& a, const VrpEntry& b) noexcept {
  const auto ka =
      std::make_tuple(a.prefix.afi(), a.prefix.length(), a.prefix.address(), a.asn, a.max_length);
  const auto kb =
      std::make_tuple(b.prefix.afi(), b.prefix.length(), b.prefix.address(), b.asn, b.max_length);
  return ka < kb;
}

bool vrp_equal(const VrpEntry& a, const VrpEntry& b) noexcept {
  return a.prefix == b.prefix && a.max_length == b.max_length && a.asn == b.asn;
}

// ===== Building and changing =====

base::Result<VrpTable> VrpTable::build(std::span<const VrpEntry> vrps) {
  VrpTable table;
  for (const auto& vrp : vrps) {
    BGPSEC_TRY(check_max_length(vrp));
    const auto length = vrp.prefix.length();
    if (vrp.prefix.afi() == base::Afi::Ipv4) {
      table.v4_.by_length[length].push_back(make_entry(to_addr4(vrp.prefix.address()), vrp));
    } else {
      table.v6_.by_length[length].push_back(make_entry(to_addr6(vrp.prefix.address()), vrp));
    }
  }
  for (auto& bucket : table.v4_.by_length) {
    table.size_v4_ += sort_and_merge(bucket);
  }
  for (auto& bucket : table.v6_.by_length) {
    table.size_v6_ += sort_and_merge(bucket);
  }
  refresh_lengths(table.v4_);
  refresh_lengths(table.v6_);
  table.shrink_to_fit();
  table.index();
  return table;
}

namespace {

// Buckets smaller than this are searched whole (a few cache misses at most).
constexpr std::size_t kIndexedBucket = 4096;

// About 4 to 8 entries per range of the index, at most 2^16 ranges (256 KiB).
unsigned index_bits(std::size_t entries) {
  return std::clamp(static_cast<unsigned>(std::bit_width(entries)) - 3U, 8U, 16U);
}

// The address's first 64 bits, where the index looks.
std::uint64_t head(std::uint32_t addr) { return std::uint64_t{addr} << 32U; }
std::uint64_t head(const Addr6& addr) { return addr.hi; }

// True when `h` starts with the `skip` bits every entry of the bucket starts with.
bool shares_skipped_bits(std::uint64_t h, std::uint64_t bucket_head, unsigned skip) {
  return skip == 0 || (h >> (64U - skip)) == (bucket_head >> (64U - skip));
}

// The range of the index for `h`: its `bits` bits after the first `skip`.
std::size_t range_of(std::uint64_t h, unsigned skip, unsigned bits) {
  return static_cast<std::size_t>((h << skip) >> (64U - bits));
}

}  // namespace

template <class Addr, std::size_t kBits>
void VrpTable::index_family(Family<Addr, kBits>& family) {
  for (std::size_t length = 0; length <= kBits; ++length) {
    const auto& bucket = family.by_length[length];
    auto& index = family.index[length];
    if (bucket.size() < kIndexedBucket) {
      index = {};
      continue;
    }
    if (!index.starts.empty()) {
      continue;  // built, and the bucket unchanged since (add_to / remove_from drop it)
    }
    // The bits every entry starts with (the bucket is sorted: those the first and the last
    // share) say nothing: the ranges cut at the bits after them (2001:db8:x::/48 by x).
    index.bits = index_bits(bucket.size());
    index.head = head(bucket.front().addr);
    const auto common =
        static_cast<unsigned>(std::countl_zero(index.head ^ head(bucket.back().addr)));
    index.skip = std::min(common, 64U - index.bits);
    const std::size_t ranges = std::size_t{1} << index.bits;
    index.starts.resize(ranges + 1);
    std::size_t e = 0;
    for (std::size_t t = 0; t <= ranges; ++t) {
      while (e < bucket.size() && range_of(head(bucket[e].addr), index.skip, index.bits) < t) {
        ++e;
      }
      index.starts[t] = static_cast<std::uint32_t>(e);
    }
  }
}

void VrpTable::index() {
  index_family(v4_);
  index_family(v6_);
}

template <class Addr, std::size_t kBits>
void VrpTable::refresh_lengths(Family<Addr, kBits>& family) {
  family.lengths.clear();
  for (std::size_t length = 0; length <= kBits; ++length) {
    if (!family.by_length[length].empty()) {
      family.lengths.push_back(static_cast<std::uint8_t>(length));
    }
  }
}

template <class Addr, std::size_t kBits>
base::Result<bool> VrpTable::add_to(Family<Addr, kBits>& family, const Addr& addr,
                                    const VrpEntry& vrp) {
  BGPSEC_TRY(check_max_length(vrp));
  auto& bucket = family.by_length[vrp.prefix.length()];
  const auto entry = make_entry(addr, vrp);
  const auto it = std::lower_bound(bucket.begin(), bucket.end(), entry, entry_less<Addr>);
  if (it != bucket.end() && key_of(*it) == key_of(entry)) {
    add_refs(it->refs, 1);
    return false;
  }
  const bool was_empty = bucket.empty();
  bucket.insert(it, entry);
  family.index[vrp.prefix.length()] = {};  // its ranges moved; index() builds it again
  if (was_empty) {
    refresh_lengths(family);
  }
  return true;
}

template <class Addr, std::size_t kBits>
base::Result<bool> VrpTable::remove_from(Family<Addr, kBits>& family, const Addr& addr,
                                         const VrpEntry& vrp) {
  auto& bucket = family.by_length[vrp.prefix.length()];
  const auto entry = make_entry(addr, vrp);
  const auto it = std::lower_bound(bucket.begin(), bucket.end(), entry, entry_less<Addr>);
  if (it == bucket.end() || key_of(*it) != key_of(entry)) {
    return base::fail("VRP " + vrp_to_string(vrp) + " is not in the table");
  }
  // A saturated count can no longer be trusted to reach zero by withdrawals; keep it.
  if (it->refs == std::numeric_limits<std::uint16_t>::max()) {
    return false;
  }
  if (--it->refs > 0) {
    return false;
  }
  bucket.erase(it);
  family.index[vrp.prefix.length()] = {};  // its ranges moved; index() builds it again
  if (bucket.empty()) {
    refresh_lengths(family);
  }
  return true;
}

base::Result<bool> VrpTable::add(const VrpEntry& vrp) {
  if (vrp.prefix.afi() == base::Afi::Ipv4) {
    BGPSEC_ASSIGN_OR_RETURN(const bool added, add_to(v4_, to_addr4(vrp.prefix.address()), vrp));
    size_v4_ += added ? 1 : 0;
    return added;
  }
  BGPSEC_ASSIGN_OR_RETURN(const bool added, add_to(v6_, to_addr6(vrp.prefix.address()), vrp));
  size_v6_ += added ? 1 : 0;
  return added;
}

base::Result<bool> VrpTable::remove(const VrpEntry& vrp) {
  if (vrp.prefix.afi() == base::Afi::Ipv4) {
    BGPSEC_ASSIGN_OR_RETURN(const bool gone, remove_from(v4_, to_addr4(vrp.prefix.address()), vrp));
    size_v4_ -= gone ? 1 : 0;
    return gone;
  }
  BGPSEC_ASSIGN_OR_RETURN(const bool gone, remove_from(v6_, to_addr6(vrp.prefix.address()), vrp));
  size_v6_ -= gone ? 1 : 0;
  return gone;
}

void VrpTable::clear() noexcept {
  for (auto& bucket : v4_.by_length) {
    bucket.clear();
  }
  for (auto& bucket : v6_.by_length) {
    bucket.clear();
  }
  v4_.lengths.clear();
  v6_.lengths.clear();
  v4_.index = {};
  v6_.index = {};
  size_v4_ = 0;
  size_v6_ = 0;
}

void VrpTable::shrink_to_fit() {
  for (auto& bucket : v4_.by_length) {
    bucket.shrink_to_fit();
  }
  for (auto& bucket : v6_.by_length) {
    bucket.shrink_to_fit();
  }
  v4_.lengths.shrink_to_fit();
  v6_.lengths.shrink_to_fit();
}

// ===== Queries =====

std::uint32_t VrpTable::references(const VrpEntry& vrp) const {
  const auto find = [&](const auto& family, const auto& addr) -> std::uint32_t {
    if (vrp.prefix.length() >= family.by_length.size()) {
      return 0;
    }
    const auto& bucket = family.by_length[vrp.prefix.length()];
    const auto entry = make_entry(addr, vrp);
    using Addr = std::remove_cvref_t<decltype(addr)>;
    const auto it = std::lower_bound(bucket.begin(), bucket.end(), entry, entry_less<Addr>);
    return it != bucket.end() && key_of(*it) == key_of(entry) ? it->refs : 0U;
  };
  if (vrp.prefix.afi() == base::Afi::Ipv4) {
    return find(v4_, to_addr4(vrp.prefix.address()));
  }
  return find(v6_, to_addr6(vrp.prefix.address()));
}

std::size_t VrpTable::memory_bytes() const noexcept {
  std::size_t total = sizeof(*this);
  for (const auto& bucket : v4_.by_length) {
    total += bucket.capacity() * sizeof(Entry<std::uint32_t>);
  }
  for (const auto& bucket : v6_.by_length) {
    total += bucket.capacity() * sizeof(Entry<Addr6>);
  }
  const auto index_bytes = [](const auto& family) {
    std::size_t bytes = 0;
    for (const auto& index : family.index) {
      bytes += index.starts.capacity() * sizeof(std::uint32_t);
    }
    return bytes;
  };
  total += index_bytes(v4_) + index_bytes(v6_);
  return total + v4_.lengths.capacity() + v6_.lengths.capacity();
}

template <class Addr, std::size_t kBits>
OriginState VrpTable::walk(const Family<Addr, kBits>& family, const Addr& route_addr,
                           std::uint8_t route_length, const std::uint32_t* origin,
                           std::vector<VrpEntry>* covering_out) {
  bool covered = false;
  bool matched = false;
  for (const std::uint8_t length : family.lengths) {
    // RFC 6811 §2 "covered": the VRP prefix is the route's prefix or a less-specific of it.
    if (length > route_length) {
      break;
    }
    const auto& bucket = family.by_length[length];
    const Addr key = masked(route_addr, length);
    // Every entry equal to `key` shares its bits, so lies in that range of the index.
    auto first = bucket.begin();
    auto last = bucket.end();
    if (const auto& index = family.index[length]; !index.starts.empty()) {
      if (!shares_skipped_bits(head(key), index.head, index.skip)) {
        continue;  // outside every entry of the bucket
      }
      const std::size_t t = range_of(head(key), index.skip, index.bits);
      first = bucket.begin() + static_cast<std::ptrdiff_t>(index.starts[t]);
      last = bucket.begin() + static_cast<std::ptrdiff_t>(index.starts[t + 1]);
    }
    auto it = std::lower_bound(first, last, key,
                               [](const Entry<Addr>& e, const Addr& a) { return e.addr < a; });
    for (; it != last && it->addr == key; ++it) {
      covered = true;
      if (covering_out != nullptr) {
        covering_out->push_back(to_vrp(*it, length));
      }
      // RFC 6811 §2 "matched": covered, route length <= maxLength, same origin AS. A VRP for
      // AS 0 (RFC 6483 §4) never matches, and a NONE origin (origin == nullptr) matches none.
      if (origin != nullptr && it->asn != 0 && it->asn == *origin &&
          route_length <= it->max_length) {
        if (covering_out == nullptr) {
          return OriginState::Valid;
        }
        matched = true;
      }
    }
  }
  if (matched) {
    return OriginState::Valid;
  }
  return covered ? OriginState::Invalid : OriginState::NotFound;
}

OriginState VrpTable::validate_origin(const base::Prefix& route, base::Asn origin) const {
  const std::uint32_t asn = origin.value();
  if (route.afi() == base::Afi::Ipv4) {
    return walk(v4_, to_addr4(route.address()), route.length(), &asn, nullptr);
  }
  return walk(v6_, to_addr6(route.address()), route.length(), &asn, nullptr);
}

OriginState VrpTable::validate_origin_none(const base::Prefix& route) const {
  if (route.afi() == base::Afi::Ipv4) {
    return walk(v4_, to_addr4(route.address()), route.length(), nullptr, nullptr);
  }
  return walk(v6_, to_addr6(route.address()), route.length(), nullptr, nullptr);
}

std::vector<VrpEntry> VrpTable::covering(const base::Prefix& route) const {
  std::vector<VrpEntry> out;
  if (route.afi() == base::Afi::Ipv4) {
    static_cast<void>(walk(v4_, to_addr4(route.address()), route.length(), nullptr, &out));
  } else {
    static_cast<void>(walk(v6_, to_addr6(route.address()), route.length(), nullptr, &out));
  }
  return out;
}

void VrpTable::for_each(const std::function<void(const VrpEntry&, std::uint32_t)>& f) const {
  const auto visit = [&](const auto& family) {
    for (const std::uint8_t length : family.lengths) {
      for (const auto& e : family.by_length[length]) {
        f(to_vrp(e, length), e.refs);
      }
    }
  };
  visit(v4_);
  visit(v6_);
}

std::vector<VrpEntry> VrpTable::entries() const {
  std::vector<VrpEntry> out;
  out.reserve(size());
  for_each([&](const VrpEntry& vrp, std::uint32_t) { out.push_back(vrp); });
  return out;
}

void VrpTable::diff(const VrpTable& before, const VrpTable& after, std::vector<VrpEntry>& added,
                    std::vector<VrpEntry>& removed) {
  // Both tables keep every bucket in the same order, so a merge per bucket finds the
  // difference without building sets.
  const auto merge = [&](const auto& old_family, const auto& new_family) {
    for (std::size_t length = 0; length < old_family.by_length.size(); ++length) {
      const auto& a = old_family.by_length[length];
      const auto& b = new_family.by_length[length];
      const auto l8 = static_cast<std::uint8_t>(length);
      std::size_t i = 0;
      std::size_t j = 0;
      while (i < a.size() || j < b.size()) {
        if (j == b.size() || (i < a.size() && key_of(a[i]) < key_of(b[j]))) {
          removed.push_back(to_vrp(a[i++], l8));
        } else if (i == a.size() || key_of(b[j]) < key_of(a[i])) {
          added.push_back(to_vrp(b[j++], l8));
        } else {
          ++i;
          ++j;
        }
      }
    }
  };
  merge(before.v4_, after.v4_);
  merge(before.v6_, after.v6_);
}

}  // namespace bgpsecd::rpki
