// SPDX-License-Identifier: BSD-2-Clause
// The synthetic table (synthetic_table.hpp): AS numbers, per-origin paths and prefixes, all
// drawn from one seeded generator so that a run can be repeated exactly.
#include "bgpsec/synthetic_table.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <string>
#include <utility>

namespace bgpsecd::bgpsec {
namespace {

// Uniform in [0, 1) from 53 random bits: the same on every standard library, unlike
// std::uniform_real_distribution.
double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// An index in [0, n) skewed towards 0: the first entries are picked far more often, like the
// big transit providers in real paths and the big origins in real tables.
std::size_t skewed(std::mt19937_64& rng, std::size_t n) {
  const double u = unit(rng);
  return std::min(n - 1, static_cast<std::size_t>(static_cast<double>(n) * u * u));
}

// ===== AS numbers =====

bool usable_asn(std::uint32_t v, const std::vector<base::Asn>& reserved) {
  // RFC 6793 AS_TRANS and the RFC 5398 documentation range stay out of the table.
  if (v == base::kAsTrans.value() || (v >= 64496 && v <= 131071)) {
    return false;
  }
  return std::find(reserved.begin(), reserved.end(), base::Asn(v)) == reserved.end();
}

// Public-looking ASNs: 2-octet ones from 1000 up, then 4-octet ones from 131072 up; shuffled,
// so that which ASes are transit does not follow the numbering.
std::vector<base::Asn> make_ases(std::size_t count, const std::vector<base::Asn>& reserved,
                                 std::mt19937_64& rng) {
  std::vector<base::Asn> ases;
  ases.reserve(count);
  for (std::uint32_t v = 1000; ases.size() < count; ++v) {
    if (v == 60000) {
      v = 131072;  // keep 2-octet ASNs to about 59 k, like the real mix
    }
    if (usable_asn(v, reserved)) {
      ases.emplace_back(v);
    }
  }
  std::shuffle(ases.begin(), ases.end(), rng);
  return ases;
}

// ===== paths =====

// ASes below the peer (the peer's own segment comes on top). With the peer, paths are
// 2..7 segments long, 4.0 on average, close to today's mean AS path length.
constexpr std::array<unsigned, 6> kBelowPeerPermille = {80, 250, 370, 200, 70, 30};  // 1..6

std::size_t draw_below_peer(std::mt19937_64& rng) {
  auto x = static_cast<unsigned>(unit(rng) * 1000);
  for (std::size_t i = 0; i < kBelowPeerPermille.size(); ++i) {
    if (x < kBelowPeerPermille[i]) {
      return i + 1;
    }
    x -= kBelowPeerPermille[i];
  }
  return kBelowPeerPermille.size();
}

std::vector<wire::SecurePathSegment> make_path(std::size_t origin, std::size_t transit_count,
                                               const std::vector<base::Asn>& ases,
                                               std::mt19937_64& rng) {
  const std::size_t below = draw_below_peer(rng);
  const std::size_t available = transit_count - (origin < transit_count ? 1 : 0);
  const std::size_t transits = std::min(below - 1, available);
  std::vector<std::size_t> picked;
  while (picked.size() < transits) {
    std::size_t t = skewed(rng, transit_count);
    // A repeated AS would be a loop; walk to the next free one.
    while (t == origin || std::find(picked.begin(), picked.end(), t) != picked.end()) {
      t = (t + 1) % transit_count;
    }
    picked.push_back(t);
  }
  std::vector<wire::SecurePathSegment> path;
  path.reserve(transits + 1);
  for (const auto t : picked) {
    path.push_back({.pcount = 1, .flags = 0, .asn = ases[t]});
  }
  // About 3 % of origins prepend once or twice (RFC 8205 §4.2: one segment, pCount 2 or 3).
  const double u = unit(rng);
  const std::uint8_t pcount = u < 0.02 ? 2 : u < 0.03 ? 3 : 1;
  path.push_back({.pcount = pcount, .flags = 0, .asn = ases[origin]});
  return path;
}

// ===== prefixes =====

// Length mix of today's tables, per mille of each AFI's prefixes.
struct LengthShare {
  std::uint8_t length;
  unsigned permille;
};
constexpr std::array<LengthShare, 9> kIpv4Lengths = {
    {{24, 590}, {23, 110}, {22, 130}, {21, 55}, {20, 50}, {19, 30}, {18, 15}, {17, 8}, {16, 12}}};
constexpr std::array<LengthShare, 12> kIpv6Lengths = {{{48, 470},
                                                       {47, 30},
                                                       {46, 40},
                                                       {45, 30},
                                                       {44, 70},
                                                       {42, 30},
                                                       {41, 30},
                                                       {40, 60},
                                                       {36, 40},
                                                       {32, 140},
                                                       {29, 40},
                                                       {28, 20}}};

// A bijection on `bits`-bit numbers (odd multipliers and right xor-shifts are invertible
// modulo 2^bits), so distinct j give distinct, scattered blocks without a set of seen ones.
class BlockPermutation {
 public:
  BlockPermutation(unsigned bits, std::mt19937_64& rng)
      : bits_(bits),
        mask_(bits >= 64 ? ~0ULL : (1ULL << bits) - 1),
        mul1_(rng() | 1),
        mul2_(rng() | 1),
        add_(rng()) {}
  [[nodiscard]] std::uint64_t operator()(std::uint64_t j) const noexcept {
    const unsigned shift = bits_ / 2 + 1;
    std::uint64_t x = (j * mul1_ + add_) & mask_;
    x ^= x >> shift;
    x = (x * mul2_) & mask_;
    x ^= x >> shift;
    return x;
  }
  [[nodiscard]] std::uint64_t size() const noexcept { return mask_ + 1; }

 private:
  unsigned bits_;
  std::uint64_t mask_;
  std::uint64_t mul1_, mul2_, add_;
};

// Global unicast space only: no 0/8, 10/8, 127/8 or class D/E.
bool usable_ipv4(std::uint32_t address) {
  const auto first = address >> 24;
  return first != 0 && first != 10 && first != 127 && first < 224;
}

template <std::size_t N>
std::vector<std::size_t> split(std::size_t total, const std::array<LengthShare, N>& shares) {
  std::vector<std::size_t> counts;
  std::size_t assigned = 0;
  for (const auto& s : shares) {
    counts.push_back(total * s.permille / 1000);
    assigned += counts.back();
  }
  counts[0] += total - assigned;  // rounding goes to the most common length
  return counts;
}

base::Result<void> add_ipv4(std::size_t count, std::mt19937_64& rng,
                            std::vector<base::Prefix>& out) {
  const auto counts = split(count, kIpv4Lengths);
  for (std::size_t i = 0; i < kIpv4Lengths.size(); ++i) {
    const auto length = kIpv4Lengths[i].length;
    const BlockPermutation perm(length, rng);
    std::size_t made = 0;
    for (std::uint64_t j = 0; made < counts[i]; ++j) {
      if (j == perm.size()) {
        return base::fail("too many IPv4 /" + std::to_string(length) + " prefixes");
      }
      const auto address = static_cast<std::uint32_t>(perm(j) << (32 - length));
      if (usable_ipv4(address)) {
        out.emplace_back(base::IpAddress::v4(address), length);
        ++made;
      }
    }
  }
  return {};
}

base::Result<void> add_ipv6(std::size_t count, std::mt19937_64& rng,
                            std::vector<base::Prefix>& out) {
  const auto counts = split(count, kIpv6Lengths);
  for (std::size_t i = 0; i < kIpv6Lengths.size(); ++i) {
    // Inside 2000::/3 (global unicast): the block number fills bits 3..length.
    const auto length = kIpv6Lengths[i].length;
    const BlockPermutation perm(length - 3U, rng);
    if (counts[i] > perm.size()) {
      return base::fail("too many IPv6 /" + std::to_string(length) + " prefixes");
    }
    for (std::uint64_t j = 0; j < counts[i]; ++j) {
      const std::uint64_t high = (1ULL << 61) | (perm(j) << (64 - length));
      std::array<std::uint8_t, 16> bytes{};
      for (std::size_t b = 0; b < 8; ++b) {
        bytes[b] = static_cast<std::uint8_t>(high >> (56 - 8 * b));
      }
      out.emplace_back(base::IpAddress(base::Afi::Ipv6, bytes), length);
    }
  }
  return {};
}

}  // namespace

base::Result<SyntheticTable> make_synthetic_table(const SyntheticTableSpec& spec) {
  if (spec.prefixes == 0) {
    return base::fail("a table needs at least one prefix");
  }
  if (spec.ipv4_permille > 1000) {
    return base::fail("IPv4 share over 1000 per mille");
  }
  SyntheticTable table;
  const std::size_t as_count =
      spec.as_count != 0
          ? spec.as_count
          : std::max<std::size_t>(
                8, (spec.prefixes * kFullTableAses + kFullTablePrefixes / 2) / kFullTablePrefixes);
  table.transit_count =
      spec.transit_count != 0 ? spec.transit_count : std::max<std::size_t>(3, as_count / 20);
  if (table.transit_count > as_count) {
    return base::fail("more transit ASes than ASes");
  }
  // One generator per purpose, so that e.g. a different prefix count leaves the AS numbers
  // and paths of the same seed alone.
  std::mt19937_64 as_rng(spec.seed ^ 0x6173'6e73ULL);
  std::mt19937_64 path_rng(spec.seed ^ 0x7061'7468ULL);
  std::mt19937_64 prefix_rng(spec.seed ^ 0x7072'6678ULL);
  std::mt19937_64 origin_rng(spec.seed ^ 0x6f72'6967ULL);

  table.ases = make_ases(as_count, spec.reserved, as_rng);
  table.paths.reserve(as_count);
  for (std::size_t origin = 0; origin < as_count; ++origin) {
    table.paths.push_back(make_path(origin, table.transit_count, table.ases, path_rng));
  }

  std::vector<base::Prefix> prefixes;
  prefixes.reserve(spec.prefixes);
  const std::size_t ipv4 = spec.prefixes * spec.ipv4_permille / 1000;
  BGPSEC_TRY(add_ipv4(ipv4, prefix_rng, prefixes));
  BGPSEC_TRY(add_ipv6(spec.prefixes - ipv4, prefix_rng, prefixes));
  std::shuffle(prefixes.begin(), prefixes.end(), prefix_rng);

  // Every AS originates something (when there are enough prefixes); the rest go to origins
  // skewed towards a few big ones, as in real tables.
  std::vector<std::uint32_t> first_round(as_count);
  for (std::size_t i = 0; i < as_count; ++i) {
    first_round[i] = static_cast<std::uint32_t>(i);
  }
  std::shuffle(first_round.begin(), first_round.end(), origin_rng);
  table.routes.reserve(prefixes.size());
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    const auto origin = i < as_count ? first_round[i] : first_round[skewed(origin_rng, as_count)];
    table.routes.push_back({prefixes[i], origin, origin});
  }
  return table;
}

}  // namespace bgpsecd::bgpsec
