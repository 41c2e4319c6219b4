// SPDX-License-Identifier: BSD-2-Clause
// RouterKeyTable: keys by (AS, SKI), several per pair, identical keys once (RFC 8210 §5.10).
#include "rpki/router_key_table.hpp"

#include <set>
#include <string>
#include <tuple>

#include <gtest/gtest.h>

#include "base/hex.hpp"

namespace bgpsecd::rpki {
namespace {

// RFC 8608 Appendix A router keys.
crypto::PublicKey key_64496() {
  return *crypto::PublicKey::from_spki_der(*base::from_hex(
      "3059301306072A8648CE3D020106082A8648CE3D030107034200047391BABB92A0CB3BE10E59B19EBFFB214E04"
      "A91E0CBA1B139A7D38D90F77E55AA05B8E695678E0FA16904B55D9D4F5C0DFC58895EE50BC4F75D205A25BD36F"
      "F5"));
}
crypto::PublicKey key_65536() {
  return *crypto::PublicKey::from_spki_der(*base::from_hex(
      "3059301306072A8648CE3D020106082A8648CE3D0301070342000428FC5FE9AFCF5F4CAB3F5F85CB212FC1E9D0"
      "E0DBEAEE425BD2F0D3175AA0E989EA9B603E38F35FB329DF495641F2BA040F1C3AC6138307F257CBA6B8B588F4"
      "1F"));
}

std::vector<crypto::PublicKey> lookup(const RouterKeyLookup& table, base::Asn asn,
                                      const base::Ski& ski) {
  std::vector<crypto::PublicKey> out;
  table.find(asn, ski, out);
  return out;
}

TEST(RouterKeyTable, FindsByAsnAndSki) {
  RouterKeyTable table;
  EXPECT_TRUE(table.empty());
  EXPECT_TRUE(table.add(base::Asn(64496), key_64496()));
  EXPECT_TRUE(table.add(base::Asn(65536), key_65536()));
  EXPECT_EQ(table.size(), 2U);
  EXPECT_EQ(key_64496().ski().to_hex(), "AB4D910F55CAE71A215EF3CAFE3ACC45B5EEC154");

  const auto found = lookup(table, base::Asn(64496), key_64496().ski());
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0], key_64496());
  // RFC 8205 §5.2: the key must be registered for the AS of the segment, not just any AS.
  EXPECT_TRUE(lookup(table, base::Asn(65536), key_64496().ski()).empty());
  EXPECT_TRUE(lookup(table, base::Asn(64496), key_65536().ski()).empty());
  EXPECT_TRUE(lookup(table, base::Asn(64497), key_64496().ski()).empty());
}

TEST(RouterKeyTable, IdenticalKeyStoredOnce) {
  RouterKeyTable table;
  EXPECT_TRUE(table.add(base::Asn(64496), key_64496()));
  EXPECT_FALSE(table.add(base::Asn(64496), key_64496()));
  EXPECT_FALSE(table.add(base::Asn(64496), key_64496().ski(), key_64496()));
  EXPECT_EQ(table.size(), 1U);
  EXPECT_EQ(lookup(table, base::Asn(64496), key_64496().ski()).size(), 1U);
  // The same key in another AS is another entry (RFC 8209 allows one key in several ASes).
  EXPECT_TRUE(table.add(base::Asn(64497), key_64496()));
  EXPECT_EQ(table.size(), 2U);
}

// RFC 8210 §5.10: several keys may share an SKI; find() returns every one, and appends.
TEST(RouterKeyTable, SeveralKeysPerSkiAllReturned) {
  RouterKeyTable table;
  const auto ski = key_64496().ski();
  EXPECT_TRUE(table.add(base::Asn(64496), ski, key_64496()));
  EXPECT_TRUE(table.add(base::Asn(64496), ski, key_65536()));
  EXPECT_EQ(table.size(), 2U);
  std::vector<crypto::PublicKey> out{key_65536()};
  table.find(base::Asn(64496), ski, out);
  ASSERT_EQ(out.size(), 3U);
  EXPECT_EQ(out[1], key_64496());
  EXPECT_EQ(out[2], key_65536());
}

TEST(RouterKeyTable, Remove) {
  RouterKeyTable table;
  const auto ski = key_64496().ski();
  ASSERT_TRUE(table.add(base::Asn(64496), ski, key_64496()));
  ASSERT_TRUE(table.add(base::Asn(64496), ski, key_65536()));
  ASSERT_TRUE(table.add(base::Asn(65536), key_65536()));
  EXPECT_FALSE(table.remove(base::Asn(64497), ski, key_64496()));
  EXPECT_FALSE(table.remove(base::Asn(65536), key_65536().ski(), key_64496()));
  EXPECT_TRUE(table.remove(base::Asn(64496), ski, key_64496()));
  EXPECT_FALSE(table.remove(base::Asn(64496), ski, key_64496()));
  EXPECT_FALSE(table.contains(base::Asn(64496), ski, key_64496()));
  EXPECT_TRUE(table.contains(base::Asn(64496), ski, key_65536()));
  EXPECT_EQ(table.size(), 2U);
  EXPECT_EQ(table.remove_all(base::Asn(64496), ski), 1U);
  EXPECT_EQ(table.remove_all(base::Asn(64496), ski), 0U);
  EXPECT_EQ(table.size(), 1U);
  EXPECT_TRUE(lookup(table, base::Asn(64496), ski).empty());
  table.clear();
  EXPECT_TRUE(table.empty());
  EXPECT_TRUE(lookup(table, base::Asn(65536), key_65536().ski()).empty());
}

TEST(RouterKeyTable, ForEachVisitsEveryKey) {
  RouterKeyTable table;
  ASSERT_TRUE(table.add(base::Asn(64496), key_64496()));
  ASSERT_TRUE(table.add(base::Asn(65536), key_65536()));
  ASSERT_TRUE(table.add(base::Asn(64496), key_64496().ski(), key_65536()));
  std::set<std::tuple<std::uint32_t, std::string, std::string>> seen;
  table.for_each([&](base::Asn asn, const base::Ski& ski, const crypto::PublicKey& key) {
    seen.emplace(asn.value(), ski.to_hex(), key.ski().to_hex());
  });
  const std::set<std::tuple<std::uint32_t, std::string, std::string>> expected{
      {64496, key_64496().ski().to_hex(), key_64496().ski().to_hex()},
      {64496, key_64496().ski().to_hex(), key_65536().ski().to_hex()},
      {65536, key_65536().ski().to_hex(), key_65536().ski().to_hex()}};
  EXPECT_EQ(seen, expected);
}

}  // namespace
}  // namespace bgpsecd::rpki
