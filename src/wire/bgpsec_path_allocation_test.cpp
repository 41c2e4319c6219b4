// SPDX-License-Identifier: BSD-2-Clause
// How many allocations decoding a BGPsec_PATH costs. Decoding runs once per received route on
// the I/O thread, so an allocation per signature shows up in a full table's profile; this test
// keeps it at one per vector. It replaces the global operator new of this test program to
// count (C++ [new.delete]: a program may replace it), counting only while a test asks.
#include <cstdlib>
#include <new>

#include <gtest/gtest.h>

#include "base/byte_writer.hpp"
#include "wire/bgpsec_path.hpp"

namespace {

thread_local bool counting = false;
thread_local std::size_t allocations = 0;

}  // namespace

namespace {

void* counted_allocation(std::size_t size) {
  if (counting) {
    ++allocations;
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) {  // NOLINT(cppcoreguidelines-no-malloc)
    return p;
  }
  throw std::bad_alloc();
}

}  // namespace

// The array forms too: a sanitizer's runtime defines them itself rather than through the
// single-object forms, so replacing only those would miss new[].
void* operator new(std::size_t size) { return counted_allocation(size); }
void* operator new[](std::size_t size) { return counted_allocation(size); }
void operator delete(void* p) noexcept { std::free(p); }    // NOLINT(cppcoreguidelines-no-malloc)
void operator delete[](void* p) noexcept { std::free(p); }  // NOLINT(cppcoreguidelines-no-malloc)
void operator delete(void* p, std::size_t /*size*/) noexcept {
  std::free(p);  // NOLINT(cppcoreguidelines-no-malloc)
}
void operator delete[](void* p, std::size_t /*size*/) noexcept {
  std::free(p);  // NOLINT(cppcoreguidelines-no-malloc)
}

namespace bgpsecd::wire {
namespace {

// Allocations made by `decode` (counted on this thread only).
template <typename Decode>
std::size_t allocations_of(Decode decode) {
  allocations = 0;
  counting = true;
  decode();
  counting = false;
  return allocations;
}

// A path of `hops` hops and one suite-1 block whose signatures are `signature_length` octets.
base::Bytes path_value(std::size_t hops, std::size_t signature_length) {
  BgpsecPath path;
  SignatureBlock block;
  for (std::size_t i = 0; i < hops; ++i) {
    path.secure_path.push_back({1, 0, base::Asn(static_cast<std::uint32_t>(65001 + i))});
    block.segments.push_back(
        {base::Ski{}, base::Bytes(signature_length, static_cast<std::uint8_t>(i))});
  }
  path.blocks.push_back(std::move(block));
  base::ByteWriter w;
  encode_bgpsec_path_value(path, w);
  return w.take();
}

TEST(BgpsecPathAllocations, DecodingASuite1PathAllocatesOncePerVectorNotPerSignature) {
  for (const std::size_t hops : {1U, 4U, 12U}) {
    const auto value = path_value(hops, 72);  // the longest suite-1 DER signature
    bool decoded = false;
    const std::size_t made =
        allocations_of([&] { decoded = decode_bgpsec_path(value).has_value(); });
    ASSERT_TRUE(decoded);
    // The Secure_Path, the blocks and the block's segments: three, whatever the path's length.
    EXPECT_EQ(made, 3U) << hops << " hops";
  }
}

TEST(BgpsecPathAllocations, ASignatureLongerThanTheInlineRoomTakesOneMore) {
  // The count above is not blind: a 73-octet signature (no suite-1 signature is that long)
  // must go to the heap, once per signature.
  const auto value = path_value(4, kSignatureInlineSize + 1);
  bool decoded = false;
  const std::size_t made = allocations_of([&] { decoded = decode_bgpsec_path(value).has_value(); });
  ASSERT_TRUE(decoded);
  EXPECT_EQ(made, 3U + 4U);
}

}  // namespace
}  // namespace bgpsecd::wire
