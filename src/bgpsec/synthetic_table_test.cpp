// SPDX-License-Identifier: BSD-2-Clause
// The synthetic table of `bgpsec gen`: shape, determinism, and signatures that verify over
// the RFC 8205 §4.2 signed data, shared between senders where they should be.
#include "bgpsec/synthetic_table.hpp"

#include <set>

#include <gtest/gtest.h>

#include "bgpsec/signed_data.hpp"
#include "bgpsec/table_signer.hpp"
#include "crypto/digest.hpp"
#include "wire/message.hpp"

namespace bgpsecd::bgpsec {
namespace {

constexpr base::Asn kTarget{64512};
constexpr base::Asn kPeer{65001};
constexpr base::Asn kPeer2{65002};

SyntheticTableSpec spec_of(std::size_t prefixes) {
  SyntheticTableSpec spec;
  spec.prefixes = prefixes;
  spec.seed = 7;
  spec.reserved = {kTarget, kPeer, kPeer2};
  return spec;
}

TEST(SyntheticTable, SameSeedSameTable) {
  auto a = make_synthetic_table(spec_of(500));
  auto b = make_synthetic_table(spec_of(500));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->ases, b->ases);
  EXPECT_EQ(a->paths, b->paths);
  ASSERT_EQ(a->routes.size(), b->routes.size());
  for (std::size_t i = 0; i < a->routes.size(); ++i) {
    EXPECT_EQ(a->routes[i].prefix, b->routes[i].prefix);
    EXPECT_EQ(a->routes[i].origin, b->routes[i].origin);
  }
  auto other = spec_of(500);
  other.seed = 8;
  auto c = make_synthetic_table(other);
  ASSERT_TRUE(c);
  EXPECT_NE(a->paths, c->paths);
}

TEST(SyntheticTable, ShapeOfAFullTableScaledDown) {
  auto table = make_synthetic_table(spec_of(20000));
  ASSERT_TRUE(table) << table.error().message;
  // ~78 k ASes for 1.27 M prefixes, scaled; a twentieth of them transit.
  EXPECT_EQ(table->ases.size(), 1228U);
  EXPECT_EQ(table->transit_count, 61U);
  EXPECT_EQ(std::set<base::Asn>(table->ases.begin(), table->ases.end()).size(), table->ases.size());

  std::set<base::Prefix> prefixes;
  std::size_t ipv4 = 0;
  std::size_t hops = 0;
  std::size_t through_transit = 0;
  for (std::size_t i = 0; i < table->routes.size(); ++i) {
    const auto& r = table->routes[i];
    prefixes.insert(r.prefix);
    if (r.prefix.afi() == base::Afi::Ipv4) {
      ++ipv4;
    }
    hops += table->hops(i);
  }
  EXPECT_EQ(prefixes.size(), 20000U) << "every prefix once";
  EXPECT_EQ(ipv4, 16400U) << "82 % IPv4";
  const double mean = static_cast<double>(hops) / 20000.0;
  EXPECT_GT(mean, 3.7);
  EXPECT_LT(mean, 4.3);

  const std::set<base::Asn> transit(
      table->ases.begin(), table->ases.begin() + static_cast<std::ptrdiff_t>(table->transit_count));
  for (std::size_t origin = 0; origin < table->paths.size(); ++origin) {
    const auto& path = table->paths[origin];
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(path.back().asn, table->ases[origin]) << "origin last";
    std::set<base::Asn> seen;
    for (std::size_t i = 0; i < path.size(); ++i) {
      EXPECT_TRUE(seen.insert(path[i].asn).second) << "no loop";
      EXPECT_NE(path[i].asn, kTarget);
      EXPECT_NE(path[i].asn, kPeer);
      if (i + 1 < path.size()) {
        EXPECT_TRUE(transit.contains(path[i].asn)) << "only transit ASes above the origin";
        EXPECT_EQ(path[i].pcount, 1);
      }
    }
    if (path.size() > 1) {
      ++through_transit;
    }
  }
  EXPECT_GT(through_transit * 10, table->paths.size() * 8) << "transit in most paths";
}

TEST(SyntheticTable, RejectsImpossibleSpecs) {
  EXPECT_FALSE(make_synthetic_table(spec_of(0)));
  auto spec = spec_of(10);
  spec.ipv4_permille = 1001;
  EXPECT_FALSE(make_synthetic_table(spec));
  spec = spec_of(10);
  spec.as_count = 4;
  spec.transit_count = 5;
  EXPECT_FALSE(make_synthetic_table(spec));
}

TEST(DeriveRouterKey, DeterministicPerSeedAsAndRouter) {
  auto a = derive_router_key(1, kPeer, 0);
  auto b = derive_router_key(1, kPeer, 0);
  auto c = derive_router_key(1, kPeer, 1);
  auto d = derive_router_key(2, kPeer, 0);
  ASSERT_TRUE(a && b && c && d);
  EXPECT_EQ(a->public_key(), b->public_key());
  EXPECT_NE(a->public_key(), c->public_key());
  EXPECT_NE(a->public_key(), d->public_key());
}

// Decodes one UPDATE of a stream and checks every signature of its BGPsec_PATH against the
// keys of the RPKI data (RFC 8205 §4.2 signed data; what the validator's §5.2 walk checks).
wire::BgpsecPath check_update(std::span<const std::uint8_t> message, const rpki::RpkiData& rpki,
                              base::Asn sender) {
  wire::DecodeContext ctx;
  ctx.extended_messages = true;
  ctx.bgpsec = {.receive_ipv4 = true, .receive_ipv6 = true};
  auto decoded = wire::decode_message(message, ctx);
  EXPECT_TRUE(decoded);
  const auto* update = std::get_if<wire::DecodedUpdate>(&*decoded);
  EXPECT_NE(update, nullptr);
  EXPECT_FALSE(update->has_errors());
  const auto& attrs = update->update.attrs;
  EXPECT_TRUE(update->update.nlri.empty());
  EXPECT_FALSE(attrs.as_path) << "RFC 8205 §4.1: no AS_PATH next to BGPsec_PATH";
  EXPECT_EQ(attrs.origin, wire::Origin::Igp);
  EXPECT_TRUE(attrs.mp_reach);
  EXPECT_EQ(attrs.mp_reach->nlri.size(), 1U) << "RFC 8205 §4.1: one prefix";
  EXPECT_TRUE(attrs.bgpsec_path);
  const auto& path = *attrs.bgpsec_path;
  EXPECT_EQ(path.secure_path.front().asn, sender);
  EXPECT_EQ(path.blocks.size(), 1U);
  const BlockSignedData data(kTarget, path.secure_path, path.blocks[0], attrs.mp_reach->nlri[0],
                             base::kSafiUnicast);
  for (std::size_t i = 0; i < path.secure_path.size(); ++i) {
    const auto& seg = path.blocks[0].segments[i];
    const auto key = std::find_if(
        rpki.router_keys.begin(), rpki.router_keys.end(),
        [&](const auto& k) { return k.asn == path.secure_path[i].asn && k.ski == seg.ski; });
    EXPECT_NE(key, rpki.router_keys.end()) << "router key of segment " << i;
    if (key != rpki.router_keys.end()) {
      EXPECT_TRUE(key->key.verify(crypto::sha256(data.for_segment(i)), seg.signature))
          << "signature of segment " << i;
    }
  }
  const auto vrp = std::find_if(rpki.vrps.begin(), rpki.vrps.end(),
                                [&](const auto& v) { return v.prefix == attrs.mp_reach->nlri[0]; });
  EXPECT_NE(vrp, rpki.vrps.end());
  if (vrp != rpki.vrps.end()) {
    EXPECT_EQ(vrp->asn, path.secure_path.back().asn) << "ROA for the origin";
  }
  return path;
}

// Splits back-to-back messages at their header Length fields.
std::vector<std::span<const std::uint8_t>> messages_of(const base::Bytes& stream) {
  std::vector<std::span<const std::uint8_t>> out;
  for (std::size_t at = 0; at + wire::kHeaderSize <= stream.size();) {
    const std::size_t length = (std::size_t{stream[at + 16]} << 8) | stream[at + 17];
    out.push_back(std::span(stream).subspan(at, length));
    at += length;
  }
  return out;
}

void check_senders(base::Asn second, std::size_t shared_below) {
  auto table = make_synthetic_table(spec_of(300));
  ASSERT_TRUE(table);
  SignedTableSpec spec;
  spec.target_as = kTarget;
  spec.senders = {kPeer, second};
  spec.next_hop4 = base::IpAddress::v4(0xC0000201);
  spec.next_hop6 = *base::IpAddress::parse("2001:db8::1");
  spec.seed = 7;
  spec.threads = 2;
  auto keys = TableKeys::derive(*table, spec);
  ASSERT_TRUE(keys) << keys.error().message;
  const auto rpki = keys->rpki_data(*table, spec);
  EXPECT_EQ(rpki.vrps.size(), 300U);
  EXPECT_EQ(rpki.router_keys.size(), table->ases.size() + 2);

  std::vector<base::Bytes> streams(2);
  auto stats =
      sign_table(*table, *keys, spec,
                 [&](std::size_t s, std::span<const std::uint8_t> m) -> base::Result<void> {
                   streams[s].insert(streams[s].end(), m.begin(), m.end());
                   return {};
                 });
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->messages, 300U);
  const auto first = messages_of(streams[0]);
  const auto other = messages_of(streams[1]);
  ASSERT_EQ(first.size(), 300U);
  ASSERT_EQ(other.size(), 300U);
  for (std::size_t i = 0; i < 300; i += 7) {
    const auto a = check_update(first[i], rpki, kPeer);
    const auto b = check_update(other[i], rpki, second);
    ASSERT_EQ(a.secure_path.size(), table->hops(i));
    ASSERT_EQ(b.secure_path.size(), a.secure_path.size());
    for (std::size_t h = 1; h < a.secure_path.size(); ++h) {
      EXPECT_EQ(a.secure_path[h], b.secure_path[h]) << "the same path below the sender";
    }
    for (std::size_t h = 0; h < a.secure_path.size(); ++h) {
      const bool same = a.blocks[0].segments[h] == b.blocks[0].segments[h];
      EXPECT_EQ(same, h >= shared_below) << "route " << i << " segment " << h;
    }
  }
}

TEST(SignTable, EverySignatureVerifiesAndOlderOnesAreSharedWithAnotherAs) {
  // The AS below the sender signs for the sender's AS, so two segments differ.
  check_senders(kPeer2, 2);
}

TEST(SignTable, SecondRouterOfTheSameAsSharesAllButItsOwnSignature) { check_senders(kPeer, 1); }

}  // namespace
}  // namespace bgpsecd::bgpsec
