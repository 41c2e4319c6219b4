// SPDX-License-Identifier: BSD-2-Clause
// PrecomputedVerifier: key parsing and table building, DER parsing, and the call into the
// P-256 engine (crypto/p256/).
#include "crypto/fast_verify.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <utility>

#include "crypto/p256/comb.hpp"
#include "crypto/p256/field.hpp"
#include "crypto/p256/ifma.hpp"
#include "crypto/p256/point.hpp"
#include "crypto/p256/signature_der.hpp"
#include "crypto/p256/verify.hpp"

namespace bgpsecd::crypto {
namespace {

constexpr std::uint8_t kPointUncompressed = 0x04;
constexpr std::size_t kCoordinateSize = 32;

bool shape_in_range(TableShape shape) noexcept {
  return shape.window_bits >= p256::kMinWindowBits && shape.window_bits <= p256::kMaxWindowBits &&
         shape.spacing >= 1 && shape.spacing <= p256::kMaxSpacing;
}

}  // namespace

PrecomputedVerifier::PrecomputedVerifier(std::shared_ptr<const p256::CombTable> table,
                                         const EcPoint& point, TableShape shape)
    : table_(std::move(table)), point_(point), shape_(shape) {}

base::Result<PrecomputedVerifier> PrecomputedVerifier::from_point(
    std::span<const std::uint8_t> point, TableShape shape) {
  if (point.size() != std::tuple_size_v<EcPoint> || point[0] != kPointUncompressed) {
    return base::fail("EC point is not 65 octets 04 || X || Y (RFC 8608 §3.1: uncompressed)");
  }
  if (!shape_in_range(shape)) {
    return base::fail("verification table shape out of range: window_bits " +
                      std::to_string(shape.window_bits) + " (2-8), spacing " +
                      std::to_string(shape.spacing) + " (1-16)");
  }
  // SEC 1 §3.2.2.1 public key validation: coordinates in [0, p-1], on the curve. P-256 has
  // cofactor 1, so that makes the order n; the point at infinity has no 65-octet encoding.
  p256::Affine q;
  if (!p256::fe_from_bytes(point.subspan<1, kCoordinateSize>(), q.x) ||
      !p256::fe_from_bytes(point.subspan<1 + kCoordinateSize, kCoordinateSize>(), q.y)) {
    return base::fail("EC point coordinate is not below the field prime p");
  }
  if (!p256::on_curve(q)) {
    return base::fail("EC point is not on the P-256 curve");
  }
  static_cast<void>(p256::generator_table());
  auto table = std::make_shared<const p256::CombTable>(
      p256::CombTable::build(q, shape.window_bits, shape.spacing));
  EcPoint copy{};
  std::copy(point.begin(), point.end(), copy.begin());
  return PrecomputedVerifier(std::move(table), copy, shape);
}

base::Result<PrecomputedVerifier> PrecomputedVerifier::from_key(const PublicKey& key,
                                                                TableShape shape) {
  return from_point(key.point(), shape);
}

bool PrecomputedVerifier::verify(const Sha256Digest& digest,
                                 std::span<const std::uint8_t> der_signature) const noexcept {
  p256::SignatureScalars sig;
  if (!table_ || !p256::parse_der_signature(der_signature, sig)) {
    return false;
  }
  // SEC 1 §4.1.4 step 4: e is the digest as a big-endian integer (256 bits, no truncation).
  const p256::Limbs e = p256::limbs_from_be(digest);
  return p256::verify_scalars(*table_, e, sig.r, sig.s);
}

void PrecomputedVerifier::verify_batch(std::span<const VerifyRequest> requests,
                                       std::span<bool> results) noexcept {
  // Parsed in chunks, so that no allocation is needed whatever the batch size.
  constexpr std::size_t kChunk = 64;
  std::array<p256::VerifyLane, kChunk> lanes{};
  std::array<std::size_t, kChunk> lane_request{};
  std::array<bool, kChunk> lane_results{};
  for (std::size_t start = 0; start < requests.size(); start += kChunk) {
    const std::size_t end = std::min(requests.size(), start + kChunk);
    std::size_t n = 0;
    for (std::size_t i = start; i < end; ++i) {
      const VerifyRequest& req = requests[i];
      results[i] = false;
      p256::SignatureScalars sig;
      if (req.verifier == nullptr || !req.verifier->table_ || req.digest == nullptr ||
          !p256::parse_der_signature(req.der_signature, sig)) {
        continue;
      }
      lanes[n] = {req.verifier->table_.get(), p256::limbs_from_be(*req.digest), sig.r, sig.s};
      lane_request[n] = i;
      ++n;
    }
    p256::verify_lanes(std::span(lanes).first(n), lane_results);
    for (std::size_t k = 0; k < n; ++k) {
      results[lane_request[k]] = lane_results[k];
    }
  }
}

std::size_t PrecomputedVerifier::table_bytes() const noexcept {
  return table_ ? table_->bytes() : 0;
}

std::size_t PrecomputedVerifier::table_bytes_for(TableShape shape) noexcept {
  if (!shape_in_range(shape)) {
    return 0;
  }
  const std::size_t digits = (257 + shape.window_bits - 1) / shape.window_bits;
  const std::size_t positions = (digits + shape.spacing - 1) / shape.spacing;
  return positions * (std::size_t{1} << (shape.window_bits - 1)) * sizeof(p256::CombEntry);
}

void warm_up_fast_verify() { static_cast<void>(p256::generator_table()); }

bool batch_verify_uses_ifma() noexcept { return p256::ifma_enabled(); }

void allow_batch_ifma(bool allowed) noexcept { p256::use_ifma_for_test(allowed); }

std::size_t generator_table_bytes() { return p256::generator_table().bytes(); }

}  // namespace bgpsecd::crypto
