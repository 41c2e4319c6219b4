// SPDX-License-Identifier: BSD-2-Clause
// BGPsec signer (RFC 8205 §4.2): builds the new segment, the signed
// octets per kept block, and the new BGPsec_PATH value.
#include "bgpsec/signer.hpp"

#include <cstddef>
#include <string>

#include "bgpsec/signed_data.hpp"

namespace bgpsecd::bgpsec {
namespace {

constexpr std::size_t kMaxSignatureBlocks = 2;  // RFC 8205 §3

wire::SecurePathSegment new_segment(const Hop& hop) {
  wire::SecurePathSegment seg;
  seg.pcount = hop.pcount;
  // RFC 8205 §3.1 / §4.3: Confed_Segment only towards another Member-AS; the unassigned flag
  // bits are zero.
  seg.flags = hop.confed ? wire::kConfedSegmentFlag : std::uint8_t{0};
  seg.asn = hop.own_as;
  return seg;
}

const SignatureProvider* provider_for(std::uint8_t suite,
                                      std::span<const SignatureProvider* const> providers) {
  for (const auto* p : providers) {
    if (p != nullptr && p->suite() == suite) {
      return p;
    }
  }
  return nullptr;
}

base::Result<void> check_providers(std::span<const SignatureProvider* const> providers) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < providers.size(); ++i) {
    if (providers[i] == nullptr) {
      continue;
    }
    ++count;
    for (std::size_t j = 0; j < i; ++j) {
      if (providers[j] != nullptr && providers[j]->suite() == providers[i]->suite()) {
        return base::fail("two signing keys for algorithm suite " +
                          std::to_string(providers[i]->suite()));
      }
    }
  }
  if (count == 0) {
    return base::fail("no signing key");
  }
  // RFC 8205 §3: at most two Signature_Blocks.
  if (count > kMaxSignatureBlocks) {
    return base::fail("more than two signing keys (RFC 8205 allows two Signature_Blocks)");
  }
  return {};
}

// Signs `path` (our segment first) for one block and returns our Signature_Segment.
// `older` are the received block's segments (empty when originating).
base::Result<wire::SignatureSegment> sign_one(const Hop& hop, const SignedPrefix& route,
                                              std::span<const wire::SecurePathSegment> path,
                                              std::span<const wire::SignatureSegment> older,
                                              const SignatureProvider& provider) {
  const auto data = build_signed_data(hop.target_as, path, older,
                                      SignedRoute{provider.suite(), route.prefix, route.safi});
  // RFC 8608 §2: suite 1 signs the SHA-256 digest of the octets.
  auto sig = provider.sign(crypto::sha256(data));
  if (!sig) {
    return base::fail("signing for AS " + hop.target_as.to_string() +
                      " failed: " + sig.error().message);
  }
  if (sig->empty() || sig->size() > 0xFFFF) {
    return base::fail("signing key produced a signature of unusable length " +
                      std::to_string(sig->size()));
  }
  return wire::SignatureSegment{provider.ski(), std::move(*sig)};
}

base::Result<wire::BgpsecPath> checked_size(wire::BgpsecPath path) {
  if (wire::bgpsec_path_value_size(path) > wire::kMaxBgpsecPathValueSize) {
    return base::fail("BGPsec_PATH would exceed 65535 octets");
  }
  return path;
}

}  // namespace

base::Result<wire::BgpsecPath> originate(const Hop& hop, const SignedPrefix& route,
                                         std::span<const SignatureProvider* const> providers) {
  BGPSEC_TRY(check_providers(providers));
  wire::BgpsecPath out;
  out.secure_path.push_back(new_segment(hop));
  for (const auto* provider : providers) {
    if (provider == nullptr) {
      continue;
    }
    // RFC 8205 §4.2, origin: Target AS ‖ S1 ‖ Suite ‖ AFI ‖ SAFI ‖ NLRI.
    BGPSEC_ASSIGN_OR_RETURN(auto seg, sign_one(hop, route, out.secure_path, {}, *provider));
    out.blocks.push_back(wire::SignatureBlock{provider->suite(), {std::move(seg)}});
  }
  return checked_size(std::move(out));
}

base::Result<wire::BgpsecPath> forward(const wire::BgpsecPath& received, const Hop& hop,
                                       const SignedPrefix& route,
                                       std::span<const SignatureProvider* const> providers) {
  BGPSEC_TRY(check_providers(providers));
  // The signed octets interleave each block's signatures with the Secure_Path, so the shape
  // must be right (RFC 8205 §5.2; decoded values always are).
  if (received.secure_path.empty() || received.blocks.empty()) {
    return base::fail("received BGPsec_PATH has no segments or no Signature_Block");
  }
  if (received.blocks.size() > kMaxSignatureBlocks ||
      (received.blocks.size() == 2 && received.blocks[0].suite == received.blocks[1].suite)) {
    return base::fail("received BGPsec_PATH has more than one block per suite");
  }
  for (const auto& block : received.blocks) {
    if (block.segments.size() != received.secure_path.size()) {
      return base::fail("received Signature_Block does not match the Secure_Path");
    }
  }

  wire::BgpsecPath out;
  out.secure_path.reserve(received.secure_path.size() + 1);
  out.secure_path.push_back(new_segment(hop));
  out.secure_path.insert(out.secure_path.end(), received.secure_path.begin(),
                         received.secure_path.end());
  for (const auto& block : received.blocks) {
    const auto* provider = provider_for(block.suite, providers);
    // A block we cannot extend is dropped: it would lack our signature downstream
    // (RFC 8205 §4.2-4.4, RFC 8205 §6.1).
    if (provider == nullptr) {
      continue;
    }
    // RFC 8205 §4.2: Target ‖ G(k-1) ‖ S(k) ‖ G(k-2) ‖ S(k-1) ‖ … ‖ S1 ‖ trailer.
    BGPSEC_ASSIGN_OR_RETURN(auto seg,
                            sign_one(hop, route, out.secure_path, block.segments, *provider));
    wire::SignatureBlock extended;
    extended.suite = block.suite;
    extended.segments.reserve(block.segments.size() + 1);
    extended.segments.push_back(std::move(seg));
    extended.segments.insert(extended.segments.end(), block.segments.begin(), block.segments.end());
    out.blocks.push_back(std::move(extended));
  }
  if (out.blocks.empty()) {
    return base::fail("no Signature_Block with a suite we can sign");
  }
  return checked_size(std::move(out));
}

wire::BgpsecPath remove_confed_segments(const wire::BgpsecPath& path) {
  std::size_t run = 0;
  while (run < path.secure_path.size() && path.secure_path[run].confed()) {
    ++run;
  }
  wire::BgpsecPath out;
  const auto skip = static_cast<std::ptrdiff_t>(run);
  out.secure_path.assign(path.secure_path.begin() + skip, path.secure_path.end());
  for (const auto& block : path.blocks) {
    wire::SignatureBlock kept;
    kept.suite = block.suite;
    if (block.segments.size() >= run) {
      kept.segments.assign(block.segments.begin() + skip, block.segments.end());
    }
    out.blocks.push_back(std::move(kept));
  }
  return out;
}

}  // namespace bgpsecd::bgpsec
