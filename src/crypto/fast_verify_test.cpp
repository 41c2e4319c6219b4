// SPDX-License-Identifier: BSD-2-Clause
// PrecomputedVerifier: the RFC 8608 Appendix A signatures verify with every table shape, keys
// are validated like PublicKey::from_point, table sizes are what the header says, and one
// verifier serves several threads.
#include "crypto/fast_verify.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/digest.hpp"
#include "tests/vectors/rfc8608.hpp"

namespace bgpsecd::crypto {
namespace {

using ::testing::HasSubstr;
namespace tv = test_vectors;

struct Signature {
  base::Bytes point;
  Sha256Digest digest{};
  base::Bytes der;
};

// The four example signatures with their signers' points.
std::vector<Signature> example_signatures() {
  std::vector<Signature> out;
  for (std::size_t i = 0; i < 2; ++i) {
    for (const auto& s : tv::example(i).at("signatures")) {
      const auto ski = s.at("ski").get<std::string>();
      base::Bytes point;
      for (std::size_t k = 0; k < 2; ++k) {
        if (tv::router_key(k).at("ski").get<std::string>() == ski) {
          point = tv::field(tv::router_key(k), "public_key_uncompressed");
        }
      }
      out.push_back({point, sha256(tv::field(s, "signed_data")), tv::field(s, "signature_der")});
    }
  }
  return out;
}

const std::vector<TableShape> kShapes = {{5, 2}, {2, 1}, {2, 16}, {4, 4}, {6, 1},
                                         {7, 3}, {8, 1}, {8, 16}, {3, 7}};

TEST(FastVerifyRfc8608, AllFourSignaturesVerifyWithEveryShape) {
  const auto sigs = example_signatures();
  ASSERT_EQ(sigs.size(), 4U);
  for (const auto& shape : kShapes) {
    for (const auto& s : sigs) {
      ASSERT_EQ(s.point.size(), 65U);
      auto v = PrecomputedVerifier::from_point(s.point, shape);
      ASSERT_TRUE(v) << v.error().message;
      EXPECT_TRUE(v->verify(s.digest, s.der)) << shape.window_bits << "/" << shape.spacing;
      auto wrong = s.digest;
      wrong[5] ^= 0x20;
      EXPECT_FALSE(v->verify(wrong, s.der));
    }
  }
}

TEST(FastVerifyRfc8608, AgreesWithOpenSslOnTheExamples) {
  for (const auto& s : example_signatures()) {
    auto fast = PrecomputedVerifier::from_point(s.point);
    auto slow = PublicKey::from_point(s.point);
    ASSERT_TRUE(fast && slow);
    EXPECT_EQ(fast->verify(s.digest, s.der), slow->verify(s.digest, s.der));
    EXPECT_EQ(fast->point(), slow->point());
    for (const auto& other : example_signatures()) {
      // Another key's signature (or another digest) fails on both.
      EXPECT_EQ(fast->verify(other.digest, other.der), slow->verify(other.digest, other.der));
    }
  }
}

TEST(FastVerifyRfc8608, FromKeyEqualsFromPoint) {
  const auto spki = tv::field(tv::router_key(0), "spki_der");
  auto key = PublicKey::from_spki_der(spki);
  ASSERT_TRUE(key);
  auto v = PrecomputedVerifier::from_key(*key);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->point(), key->point());
  EXPECT_EQ(v->shape(), TableShape{});
}

TEST(FastVerifyKey, MalformedPointsAreRefused) {
  auto point = tv::field(tv::router_key(0), "public_key_uncompressed");
  auto refused = [](const base::Bytes& p, const char* what) {
    auto v = PrecomputedVerifier::from_point(p);
    EXPECT_FALSE(v) << what;
    return v ? std::string() : v.error().message;
  };
  EXPECT_THAT(refused(base::Bytes(point.begin(), point.end() - 1), "64 octets"),
              HasSubstr("65 octets"));
  auto compressed = point;
  compressed[0] = 0x02;
  EXPECT_THAT(refused(compressed, "compressed"), HasSubstr("uncompressed"));
  auto off_curve = point;
  off_curve.back() ^= 0x01;
  EXPECT_THAT(refused(off_curve, "off the curve"), HasSubstr("not on the P-256 curve"));
  // x = p: in range for OpenSSL's BIGNUMs, not for a field element.
  auto big_x = point;
  const auto p =
      *base::from_hex("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
  std::copy(p.begin(), p.end(), big_x.begin() + 1);
  EXPECT_THAT(refused(big_x, "x = p"), HasSubstr("not below the field prime"));
  EXPECT_FALSE(PublicKey::from_point(big_x));
  EXPECT_THAT(refused(base::Bytes(65, 0x00), "all zero"), HasSubstr("uncompressed"));
}

TEST(FastVerifyKey, ShapeOutOfRangeIsRefused) {
  const auto point = tv::field(tv::router_key(0), "public_key_uncompressed");
  for (const TableShape shape :
       {TableShape{1, 1}, TableShape{9, 1}, TableShape{5, 0}, TableShape{5, 17}}) {
    auto v = PrecomputedVerifier::from_point(point, shape);
    ASSERT_FALSE(v);
    EXPECT_THAT(v.error().message, HasSubstr("shape out of range"));
    EXPECT_EQ(PrecomputedVerifier::table_bytes_for(shape), 0U);
  }
}

TEST(FastVerifyKey, TableBytes) {
  const auto point = tv::field(tv::router_key(1), "public_key_uncompressed");
  // ⌈⌈257/w⌉/s⌉ · 2^(w-1) · 64
  EXPECT_EQ(PrecomputedVerifier::table_bytes_for({5, 2}), 26U * 16 * 64);
  EXPECT_EQ(PrecomputedVerifier::table_bytes_for({4, 4}), 17U * 8 * 64);
  EXPECT_EQ(PrecomputedVerifier::table_bytes_for({8, 1}), 33U * 128 * 64);
  EXPECT_EQ(PrecomputedVerifier::table_bytes_for({2, 16}), 9U * 2 * 64);
  for (const auto& shape : kShapes) {
    auto v = PrecomputedVerifier::from_point(point, shape);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->table_bytes(), PrecomputedVerifier::table_bytes_for(shape));
    EXPECT_EQ(v->shape(), shape);
  }
  EXPECT_EQ(generator_table_bytes(), 37U * 64 * 64);
}

TEST(FastVerifySignature, MalformedSignaturesFail) {
  const auto s = example_signatures().front();
  auto v = PrecomputedVerifier::from_point(s.point);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->verify(s.digest, s.der));
  EXPECT_FALSE(v->verify(s.digest, {}));
  auto trailing = s.der;
  trailing.push_back(0);
  EXPECT_FALSE(v->verify(s.digest, trailing));
  for (std::size_t n = 0; n < s.der.size(); ++n) {
    EXPECT_FALSE(v->verify(s.digest, std::span(s.der).first(n))) << n;
  }
  for (std::size_t bit = 0; bit < s.der.size() * 8; ++bit) {
    auto flipped = s.der;
    flipped[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
    EXPECT_FALSE(v->verify(s.digest, flipped)) << bit;
  }
}

// fast_verify.hpp promises that one verifier (and its copies) verify from several threads.
TEST(FastVerifyConcurrency, SharedVerifierAcrossThreads) {
  const auto s = example_signatures().back();
  auto v = PrecomputedVerifier::from_point(s.point);
  ASSERT_TRUE(v);
  const PrecomputedVerifier copy = *v;
  EXPECT_EQ(copy.table_bytes(), v->table_bytes());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const PrecomputedVerifier& mine = t % 2 == 0 ? *v : copy;
      for (int i = 0; i < 200; ++i) {
        auto digest = s.digest;
        digest[0] ^= static_cast<std::uint8_t>((i + t) % 2);
        if (mine.verify(digest, s.der) != ((i + t) % 2 == 0)) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace bgpsecd::crypto
