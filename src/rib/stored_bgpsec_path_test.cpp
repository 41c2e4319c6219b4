// SPDX-License-Identifier: BSD-2-Clause
#include "rib/stored_bgpsec_path.hpp"

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/p256/signature_der.hpp"
#include "rib/route.hpp"
#include "rib/ski_pool.hpp"

namespace bgpsecd::rib {
namespace {

base::Ski ski_of(std::uint8_t fill) {
  std::array<std::uint8_t, base::Ski::kSize> bytes{};
  bytes.fill(fill);
  return base::Ski(bytes);
}

// A signature that names its signer and its target, so paths built from the same hops carry
// the same octets (as real signatures over the same data do) and others differ.
base::Bytes signature_of(std::uint32_t signer, std::uint32_t target, std::size_t size = 71) {
  base::Bytes sig(size, 0);
  sig[0] = 0x30;
  for (std::size_t i = 1; i < size; ++i) {
    sig[i] = static_cast<std::uint8_t>((signer * 31 + target * 7 + i) & 0xFF);
  }
  return sig;
}

// A strict DER P-256 signature (what real suite-1 signatures are) that names its signer and
// target like signature_of; r and s are below n, some with a leading 00 octet for the sign,
// some shorter than 32 octets.
base::Bytes der_signature_of(std::uint32_t signer, std::uint32_t target) {
  crypto::p256::CompactSignature rs{};
  for (std::size_t i = 0; i < rs.size(); ++i) {
    rs[i] = static_cast<std::uint8_t>((signer * 31 + target * 7 + i * 13) & 0xFF);
  }
  rs[0] = static_cast<std::uint8_t>(signer % 3 == 0 ? 0 : 0x40 + signer % 0xB0);
  rs[32] = static_cast<std::uint8_t>(0x01 + target % 0xF0);
  std::array<std::uint8_t, crypto::p256::kMaxDerSignatureSize> der{};
  const std::size_t length = crypto::p256::der_from_compact(rs, der);
  return base::Bytes(der.begin(), der.begin() + static_cast<std::ptrdiff_t>(length));
}

// path_through with strict DER signatures in every block.
wire::BgpsecPath der_path_through(std::vector<std::uint32_t> asns, std::uint32_t us,
                                  std::size_t blocks = 1);

// The path a route through `asns` (most recent first, the origin last) arrives with at `us`:
// each AS signed towards the next newer one, the newest towards us.
wire::BgpsecPath path_through(std::vector<std::uint32_t> asns, std::uint32_t us,
                              std::size_t blocks = 1) {
  wire::BgpsecPath path;
  path.blocks.resize(blocks);
  for (std::size_t b = 0; b < blocks; ++b) {
    path.blocks[b].suite = static_cast<std::uint8_t>(b == 0 ? 1 : 0xFE);
  }
  for (std::size_t i = 0; i < asns.size(); ++i) {
    const std::uint32_t target = i == 0 ? us : asns[i - 1];
    path.secure_path.push_back({1, 0, base::Asn(asns[i])});
    for (std::size_t b = 0; b < blocks; ++b) {
      path.blocks[b].segments.push_back(
          {ski_of(static_cast<std::uint8_t>(asns[i] + b)),
           signature_of(asns[i], target + static_cast<std::uint32_t>(b), 70 + asns[i] % 3)});
    }
  }
  return path;
}

TEST(StoredBgpsecPath, DecodeGivesBackWhatWasStored) {
  for (std::size_t blocks : {1U, 2U}) {
    const auto path = path_through({65001, 65002, 65003, 65004}, 64512, blocks);
    const auto stored = StoredBgpsecPath::store(path);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored.decode(), path);
    EXPECT_EQ(stored.block_count(), blocks);
    EXPECT_EQ(stored.suite(0), 1);
    ASSERT_EQ(stored.secure_path().size(), 4U);
    EXPECT_EQ(stored.secure_path().back().asn, base::Asn(65004));
    // And through the codec: the octets of the stored path are the ones that came in.
    base::ByteWriter a;
    base::ByteWriter b;
    wire::encode_bgpsec_path_value(path, a);
    wire::encode_bgpsec_path_value(stored.decode(), b);
    EXPECT_EQ(a.bytes(), b.bytes());
  }
}

wire::BgpsecPath der_path_through(std::vector<std::uint32_t> asns, std::uint32_t us,
                                  std::size_t blocks) {
  auto path = path_through(asns, us, blocks);
  for (std::size_t i = 0; i < asns.size(); ++i) {
    for (std::size_t b = 0; b < blocks; ++b) {
      path.blocks[b].segments[i].signature =
          der_signature_of(asns[i], (i == 0 ? us : asns[i - 1]) + static_cast<std::uint32_t>(b));
    }
  }
  return path;
}

// A strict DER signature is kept as r ‖ s and its SKI as an index: 80 octets per one-block hop
// against 18 plus the signature's length for octets kept as received (and 20 + 71 + a larger
// header before either), and the octets come back exactly, through the codec too.
TEST(StoredBgpsecPath, StrictDerSignaturesAreKeptCompactAndComeBackOctetForOctet) {
  for (std::size_t blocks : {1U, 2U}) {
    const auto path = der_path_through({65001, 65002, 65003, 65004, 65005, 65006}, 64512, blocks);
    const auto before = StoredBgpsecPath::usage();
    const auto stored = StoredBgpsecPath::store(path);
    const auto der_bytes = StoredBgpsecPath::usage().bytes - before.bytes;
    EXPECT_EQ(stored.decode(), path);
    base::ByteWriter a;
    base::ByteWriter b;
    wire::encode_bgpsec_path_value(path, a);
    wire::encode_bgpsec_path_value(stored.decode(), b);
    EXPECT_EQ(a.bytes(), b.bytes());
    std::size_t visited = 0;
    stored.any_signature([&](const StoredBgpsecPath::SignatureRef& sig) {
      EXPECT_TRUE(
          std::ranges::equal(sig.signature, path.blocks[sig.block].segments[sig.hop].signature));
      ++visited;
      return false;
    });
    EXPECT_EQ(visited, 6 * blocks);

    // The same Secure_Path with 71-octet signatures that are not DER.
    auto raw = path;
    for (auto& block : raw.blocks) {
      for (auto& seg : block.segments) {
        seg.signature = signature_of(1, 2, 71);
      }
    }
    const auto mid = StoredBgpsecPath::usage();
    const auto raw_stored = StoredBgpsecPath::store(raw);
    const auto raw_bytes = StoredBgpsecPath::usage().bytes - mid.bytes;
    EXPECT_EQ(raw_stored.decode(), raw);
    EXPECT_EQ(raw_bytes - der_bytes, 6 * blocks * (2 + 71 - 64));
  }
}

// store() prepares a path's signatures without an allocation up to 16 Signature_Segments and
// on the heap beyond: paths at and across that edge, in one and two blocks, are stored, shared
// and given back alike.
TEST(StoredBgpsecPath, LongPathsAreStoredAndSharedLikeShortOnes) {
  for (const std::size_t blocks : {1U, 2U}) {
    for (const std::uint32_t hops : {7U, 8U, 9U, 16U, 17U, 40U}) {
      SCOPED_TRACE(::testing::Message() << hops << " hops, " << blocks << " blocks");
      std::vector<std::uint32_t> asns;
      for (std::uint32_t i = 0; i < hops; ++i) {
        asns.push_back(65001 + i);
      }
      const auto path = der_path_through(asns, 64512, blocks);
      const auto stored = StoredBgpsecPath::store(path);
      ASSERT_TRUE(stored);
      EXPECT_EQ(stored.decode(), path);
      // The same hops one hop further on share every signature below the new one.
      asns.insert(asns.begin(), 64512);
      const auto further = der_path_through(asns, 64999, blocks);
      const StoredBgpsecPath* others[] = {&stored};
      const auto next = StoredBgpsecPath::store(further, others);
      EXPECT_EQ(next.shared_hops(), hops);
      EXPECT_EQ(next.decode(), further);
    }
  }
}

// Two encodings of one (r, s): the strict one kept compact, the other (a needless leading 00,
// which OpenSSL's verify rejects) kept as received. They are different Signature_Segments:
// not shared, and each comes back as it came.
TEST(StoredBgpsecPath, AnotherEncodingOfTheSameSignatureIsNotShared) {
  const auto strict = der_path_through({65001, 65002}, 64512);
  auto loose = strict;
  auto& origin_sig = loose.blocks[0].segments[1].signature;
  ASSERT_EQ(origin_sig[2], 0x02);
  const std::uint8_t r_length = origin_sig[3];
  origin_sig.insert(origin_sig.begin() + 4, 0x00);
  origin_sig[3] = static_cast<std::uint8_t>(r_length + 1);
  origin_sig[1] = static_cast<std::uint8_t>(origin_sig[1] + 1);
  crypto::p256::CompactSignature rs{};
  ASSERT_FALSE(crypto::p256::compact_from_der(origin_sig, rs));

  const auto a = StoredBgpsecPath::store(strict);
  const StoredBgpsecPath* others[] = {&a};
  const auto b = StoredBgpsecPath::store(loose, others);
  EXPECT_EQ(b.shared_hops(), 0U);
  EXPECT_EQ(b.decode(), loose);
  EXPECT_EQ(a.decode(), strict);
  EXPECT_NE(a, b);
  // The strict path again shares everything with the first.
  const auto c = StoredBgpsecPath::store(strict, others);
  EXPECT_EQ(c, a);
}

// Each router key's SKI is held once in the pool however many hops name it, and goes with the
// last of them.
TEST(StoredBgpsecPath, SkisAreKeptOncePerKey) {
  auto& pool = SkiPool::instance();
  const auto before = pool.usage().skis;
  {
    // 65001..65003 sign with the SKIs ski_of(AS): three SKIs however many paths name them.
    const auto a = StoredBgpsecPath::store(der_path_through({65001, 65002, 65003}, 64512));
    EXPECT_EQ(pool.usage().skis - before, 3U);
    const auto b = StoredBgpsecPath::store(der_path_through({65003, 65002, 65001}, 64513));
    EXPECT_EQ(pool.usage().skis - before, 3U);
    const auto c = StoredBgpsecPath::store(der_path_through({65004, 65001}, 64512));
    EXPECT_EQ(pool.usage().skis - before, 4U);
  }
  EXPECT_EQ(pool.usage().skis, before);
}

TEST(StoredBgpsecPath, EmptyMeansNoPath) {
  const StoredBgpsecPath none;
  EXPECT_FALSE(none);
  EXPECT_TRUE(none.secure_path().empty());
  EXPECT_EQ(none.decode(), wire::BgpsecPath{});
  EXPECT_EQ(none, StoredBgpsecPath{});
  EXPECT_NE(none, StoredBgpsecPath::store(path_through({65001}, 64512)));
}

TEST(StoredBgpsecPath, SharesTheSignaturesBelowTheFirstHopThatDiffers) {
  // The same origin's route through two neighbours: 65003 signed towards 65001 in one and
  // towards 65002 in the other, so only the origin's signature (towards 65003) is common.
  const auto via_a = path_through({65001, 65003, 65004}, 64512);
  const auto via_b = path_through({65002, 65003, 65004}, 64512);
  const auto a = StoredBgpsecPath::store(via_a);
  const StoredBgpsecPath* others[] = {&a};
  const auto b = StoredBgpsecPath::store(via_b, others);
  EXPECT_EQ(b.shared_hops(), 1U);
  EXPECT_EQ(a.shared_hops(), 1U);
  EXPECT_EQ(b.decode(), via_b);
  EXPECT_EQ(a.decode(), via_a);
  EXPECT_NE(a, b);
}

TEST(StoredBgpsecPath, SharesWithTheCandidateThatHasMostInCommon) {
  // A longer path whose lower three hops are those of `c`, and another sharing only one.
  const auto one = StoredBgpsecPath::store(path_through({65009, 65004}, 64512));
  const auto three = StoredBgpsecPath::store(path_through({65002, 65003, 65004}, 65001));
  const StoredBgpsecPath* others[] = {&one, nullptr, &three};
  const auto c = StoredBgpsecPath::store(path_through({65001, 65002, 65003, 65004}, 64512), others);
  EXPECT_EQ(c.shared_hops(), 3U);
  EXPECT_EQ(c.decode(), path_through({65001, 65002, 65003, 65004}, 64512));
}

TEST(StoredBgpsecPath, AlignsAtTheOriginWhateverTheLengths) {
  // The candidate is longer: its lower three hops are a shorter path's whole list.
  const auto longer = StoredBgpsecPath::store(path_through({65009, 65001, 65002, 65003}, 64512));
  const StoredBgpsecPath* others[] = {&longer};
  const auto shorter = StoredBgpsecPath::store(path_through({65001, 65002, 65003}, 65009), others);
  EXPECT_EQ(shorter.shared_hops(), 3U);
  EXPECT_EQ(shorter.decode(), path_through({65001, 65002, 65003}, 65009));
  EXPECT_EQ(longer.decode(), path_through({65009, 65001, 65002, 65003}, 64512));
  // Longer than the candidate: the whole candidate list is shared under the new hops.
  const StoredBgpsecPath* short_only[] = {&shorter};
  const auto longest =
      StoredBgpsecPath::store(path_through({65010, 65009, 65001, 65002, 65003}, 64512), short_only);
  EXPECT_EQ(longest.shared_hops(), 3U);
  EXPECT_EQ(longest.decode(), path_through({65010, 65009, 65001, 65002, 65003}, 64512));
}

TEST(StoredBgpsecPath, EqualSignaturesUnderAnotherSecurePathAreSharedNotMerged) {
  // Same signature octets, one Secure_Path segment differs (its pCount): the signatures are
  // shared, but the values are not one and do not compare equal.
  const auto path = path_through({65001, 65002}, 64512);
  auto prepended = path;
  prepended.secure_path[0].pcount = 3;
  const auto a = StoredBgpsecPath::store(path);
  const StoredBgpsecPath* others[] = {&a};
  const auto b = StoredBgpsecPath::store(prepended, others);
  EXPECT_EQ(b.shared_hops(), 2U);
  EXPECT_NE(a, b);
  EXPECT_EQ(b.decode(), prepended);
  EXPECT_EQ(a.decode(), path);
}

TEST(StoredBgpsecPath, OnlyWhatTheDecoderCanGiveIsStored) {
  auto extra = path_through({65001, 65002}, 64512);
  extra.blocks[0].segments.push_back(extra.blocks[0].segments.back());
  EXPECT_FALSE(StoredBgpsecPath::store(extra));
  auto three_blocks = path_through({65001, 65002}, 64512, 2);
  three_blocks.blocks.push_back(three_blocks.blocks.back());
  EXPECT_FALSE(StoredBgpsecPath::store(three_blocks));
  auto broken = path_through({65001, 65002}, 64512);
  broken.blocks[0].segments.pop_back();
  EXPECT_FALSE(StoredBgpsecPath::store(broken));
  // What the RIB does with it instead: the route keeps an AS_PATH (route.hpp).
  wire::PathAttributes attrs;
  attrs.bgpsec_path = broken;
  EXPECT_FALSE(take_bgpsec_path(attrs));
  EXPECT_FALSE(attrs.bgpsec_path.has_value());
  ASSERT_TRUE(attrs.as_path.has_value());
  EXPECT_TRUE(attrs.as_path->contains(base::Asn(65002)));
}

// A suite-1 hop of a one-block path is 80 octets (12 of header, the SKI's 4-octet index, r ‖ s),
// the size of the node pool's slots. Two paths of four hops that share their two oldest: the
// first costs two more nodes than the second, and its head is the same size.
TEST(StoredBgpsecPath, ASuiteOneHopTakesEightyOctets) {
  const auto before = StoredBgpsecPath::usage();
  const auto first = StoredBgpsecPath::store(der_path_through({65001, 65002, 65003, 65004}, 64512));
  const auto mid = StoredBgpsecPath::usage();
  const StoredBgpsecPath* others[] = {&first};
  const auto second =
      StoredBgpsecPath::store(der_path_through({65005, 65002, 65003, 65004}, 64512), others);
  const auto after = StoredBgpsecPath::usage();
  ASSERT_EQ(second.shared_hops(), 2U);
  EXPECT_EQ(mid.signature_nodes - before.signature_nodes, 4U);
  EXPECT_EQ(after.signature_nodes - mid.signature_nodes, 2U);
  EXPECT_EQ((mid.bytes - before.bytes) - (after.bytes - mid.bytes), 2U * 80);
  // Those nodes are the pool's; a hop kept as received, or with two blocks, is not 80 octets
  // and comes from malloc.
  EXPECT_EQ(mid.pooled_nodes - before.pooled_nodes, 4U);
  EXPECT_EQ(after.pooled_nodes - mid.pooled_nodes, 2U);
  EXPECT_GE(after.pool_bytes, after.pooled_nodes * 80);
  const auto raw = StoredBgpsecPath::store(path_through({65001, 65002, 65003}, 64512));
  const auto two_blocks = StoredBgpsecPath::store(der_path_through({65001, 65002}, 64512, 2));
  const auto last = StoredBgpsecPath::usage();
  EXPECT_EQ(last.signature_nodes - after.signature_nodes, 5U);
  EXPECT_EQ(last.pooled_nodes, after.pooled_nodes);
}

TEST(StoredBgpsecPath, TheSamePathAgainIsTheSameValue) {
  const auto path = path_through({65001, 65002}, 64512);
  const auto first = StoredBgpsecPath::store(path);
  const auto before = StoredBgpsecPath::usage();
  const StoredBgpsecPath* others[] = {&first};
  const auto again = StoredBgpsecPath::store(path, others);
  EXPECT_EQ(StoredBgpsecPath::usage().bytes, before.bytes);  // nothing new stored
  EXPECT_EQ(again, first);
  // Equal octets without sharing compare equal too.
  EXPECT_EQ(StoredBgpsecPath::store(path), first);
}

TEST(StoredBgpsecPath, NothingIsSharedAcrossDifferentSuitesOrMismatchedSignatures) {
  const auto one_block = StoredBgpsecPath::store(path_through({65001, 65002}, 64512, 1));
  const StoredBgpsecPath* others[] = {&one_block};
  const auto two_blocks = StoredBgpsecPath::store(path_through({65003, 65002}, 64512, 2), others);
  EXPECT_EQ(two_blocks.shared_hops(), 0U);

  // Same hops but one signature octet differs at the origin: the equal newest hop alone is
  // not shared (it would bring the other origin signature with it).
  auto forged = path_through({65001, 65002}, 64512);
  forged.blocks[0].segments[1].signature[10] ^= 1;
  const auto f = StoredBgpsecPath::store(forged, others);
  EXPECT_EQ(f.shared_hops(), 0U);
  EXPECT_EQ(f.decode(), forged);

  // A difference above a common part does not stop the part below from being shared.
  auto top_differs = path_through({65001, 65002}, 64512);
  top_differs.blocks[0].segments[0].signature[5] ^= 1;
  const auto t = StoredBgpsecPath::store(top_differs, others);
  EXPECT_EQ(t.shared_hops(), 1U);
  EXPECT_EQ(t.decode(), top_differs);
}

TEST(StoredBgpsecPath, AnySignatureVisitsNewestFirst) {
  const auto stored = StoredBgpsecPath::store(path_through({65001, 65002, 65003}, 64512, 2));
  std::vector<std::pair<std::size_t, std::size_t>> seen;
  EXPECT_FALSE(stored.any_signature([&](const StoredBgpsecPath::SignatureRef& sig) {
    seen.emplace_back(sig.hop, sig.block);
    EXPECT_EQ(*sig.ski, ski_of(static_cast<std::uint8_t>(65001 + sig.hop + sig.block)));
    return false;
  }));
  EXPECT_EQ(seen, (std::vector<std::pair<std::size_t, std::size_t>>{
                      {0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 0}, {2, 1}}));
  EXPECT_TRUE(
      stored.any_signature([](const StoredBgpsecPath::SignatureRef& sig) { return sig.hop == 1; }));
}

// RFC 8205 §5.2 looks keys up by (AS of the segment, SKI of its signature), in every block.
TEST(StoredBgpsecPath, SignedWithAnyMatchesAsAndSkiOfOneSegment) {
  const auto stored = StoredBgpsecPath::store(path_through({65001, 65002}, 64512, 2));
  using Ids = std::set<rpki::RouterKeyId>;
  EXPECT_TRUE(
      stored.signed_with_any(Ids{{base::Asn(65002), ski_of(static_cast<std::uint8_t>(65002))}}));
  // The second block's SKI of the newest segment.
  EXPECT_TRUE(stored.signed_with_any(
      Ids{{base::Asn(65001), ski_of(static_cast<std::uint8_t>(65001 + 1))}}));
  // An SKI of the path under another AS of the path, or under an AS not in it.
  EXPECT_FALSE(
      stored.signed_with_any(Ids{{base::Asn(65002), ski_of(static_cast<std::uint8_t>(65001))},
                                 {base::Asn(64512), ski_of(static_cast<std::uint8_t>(65001))}}));
  EXPECT_FALSE(stored.signed_with_any(Ids{}));
  EXPECT_FALSE(StoredBgpsecPath().signed_with_any(
      Ids{{base::Asn(65001), ski_of(static_cast<std::uint8_t>(65001))}}));
}

TEST(StoredBgpsecPath, UsageCountsLiveValuesAndFreesSharedNodesLast) {
  const auto before = StoredBgpsecPath::usage();
  {
    const auto a = StoredBgpsecPath::store(path_through({65001, 65003, 65004}, 64512));
    const StoredBgpsecPath* others[] = {&a};
    auto b = StoredBgpsecPath::store(path_through({65002, 65003, 65004}, 64512), others);
    const auto during = StoredBgpsecPath::usage();
    EXPECT_EQ(during.paths - before.paths, 2U);
    EXPECT_EQ(during.hops - before.hops, 6U);
    // a: 3 nodes; b: its own two newest (65003 signed towards 65002, not 65001) on a's origin.
    EXPECT_EQ(during.signature_nodes - before.signature_nodes, 5U);
    EXPECT_GT(during.bytes, before.bytes + 5 * 90);
    {
      const auto copy = b;  // copies share the value
      EXPECT_EQ(StoredBgpsecPath::usage().paths, during.paths);
    }
    const auto a_only = a;
    b = StoredBgpsecPath();
    EXPECT_EQ(StoredBgpsecPath::usage().signature_nodes - before.signature_nodes, 3U);
    EXPECT_EQ(a_only.decode(), path_through({65001, 65003, 65004}, 64512));
  }
  const auto after = StoredBgpsecPath::usage();
  EXPECT_EQ(after.paths, before.paths);
  EXPECT_EQ(after.signature_nodes, before.signature_nodes);
  EXPECT_EQ(after.bytes, before.bytes);
}

TEST(StoredBgpsecPath, CopiesMayBeReleasedOnOtherThreads) {
  // Validation workers hold copies (service/validation_pool.hpp); the counts are atomic.
  const auto base_path = StoredBgpsecPath::store(path_through({65001, 65002, 65003}, 64512));
  const StoredBgpsecPath* others[] = {&base_path};
  std::vector<StoredBgpsecPath> paths;
  for (std::uint32_t i = 0; i < 64; ++i) {
    paths.push_back(
        StoredBgpsecPath::store(path_through({64600 + i, 65002, 65003}, 64512), others));
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([copies = paths] {
      for (int round = 0; round < 200; ++round) {
        auto more = copies;
        for (const auto& p : more) {
          ASSERT_EQ(p.secure_path().size(), 3U);
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  paths.clear();
  EXPECT_EQ(base_path.decode(), path_through({65001, 65002, 65003}, 64512));
  EXPECT_EQ(base_path.shared_hops(), 0U);
}

}  // namespace
}  // namespace bgpsecd::rib
