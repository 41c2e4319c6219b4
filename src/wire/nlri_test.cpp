// SPDX-License-Identifier: BSD-2-Clause
#include "wire/nlri.hpp"

#include <gtest/gtest.h>

#include "wire/update_test_util.hpp"

namespace bgpsecd::wire {
namespace {

using test::hex;
using test::pfx;
using test::same_bytes;

base::Bytes encode(const std::vector<base::Prefix>& prefixes) {
  base::ByteWriter w;
  encode_prefixes(prefixes, w);
  return w.take();
}

TEST(Nlri, Ipv4BothWays) {
  const auto bytes = hex("00  08 0A  18 C00002  19 C6336480  20 C0000201");
  const std::vector<base::Prefix> expected{pfx("0.0.0.0/0"), pfx("10.0.0.0/8"), pfx("192.0.2.0/24"),
                                           pfx("198.51.100.128/25"), pfx("192.0.2.1/32")};
  auto decoded = decode_prefixes(bytes, base::Afi::Ipv4);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, expected);
  EXPECT_TRUE(same_bytes(bytes, encode(expected)));
}

TEST(Nlri, Ipv6BothWays) {
  const auto bytes = hex("20 20010DB8  30 20010DB80001  80 20010DB8000000000000000000000001");
  const std::vector<base::Prefix> expected{pfx("2001:db8::/32"), pfx("2001:db8:1::/48"),
                                           pfx("2001:db8::1/128")};
  auto decoded = decode_prefixes(bytes, base::Afi::Ipv6);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, expected);
  EXPECT_TRUE(same_bytes(bytes, encode(expected)));
}

TEST(Nlri, EmptyField) {
  auto decoded = decode_prefixes({}, base::Afi::Ipv4);
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->empty());
}

TEST(Nlri, HostBitsAreCleared) {
  auto decoded = decode_prefixes(hex("17 C00003"), base::Afi::Ipv4);
  ASSERT_TRUE(decoded);
  ASSERT_EQ(decoded->size(), 1U);
  EXPECT_EQ((*decoded)[0], pfx("192.0.2.0/23"));
}

// RFC 4271 §6.3 / RFC 7606 §5.3: a length above the address size or a cut prefix resets the
// session with Invalid Network Field, pointing at the bad prefix.
TEST(Nlri, Rfc7606_5_3_BadPrefixIsSessionReset) {
  struct Case {
    const char* hex;
    base::Afi afi;
    std::uint32_t bad;
  };
  const Case cases[] = {
      {"18 C00002 21 C0000200 00", base::Afi::Ipv4, 4},                // /33
      {"81 20010DB8000000000000000000000000 00", base::Afi::Ipv6, 0},  // /129
      {"18 C00002 18 C000", base::Afi::Ipv4, 4},                       // cut short
      {"20 20010D", base::Afi::Ipv6, 0},
  };
  for (const auto& c : cases) {
    const auto bytes = hex(c.hex);
    auto r = decode_prefixes(bytes, c.afi, 40);
    ASSERT_FALSE(r) << c.hex;
    EXPECT_TRUE(test::is_error(r.error(), base::Action::SessionReset, 3, 10, 40 + c.bad,
                               static_cast<std::uint32_t>(bytes.size()) - c.bad))
        << c.hex;
  }
}

}  // namespace
}  // namespace bgpsecd::wire
