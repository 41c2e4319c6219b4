// SPDX-License-Identifier: BSD-2-Clause
// What the BGPsec validator reads router keys through (RFC 8205 §5.2: keys are found by the
// AS of the Secure_Path segment and the SKI of its Signature_Segment). The rpki layer's key
// stores implement it; tests may implement it too.
#pragma once

#include <utility>
#include <vector>

#include "base/asn.hpp"
#include "base/ski.hpp"
#include "crypto/keys.hpp"

namespace bgpsecd::rpki {

// What a router key is looked up by (RFC 8205 §5.2): the AS of a Secure_Path segment and the
// SKI of its Signature_Segment.
using RouterKeyId = std::pair<base::Asn, base::Ski>;

class RouterKeyLookup {
 public:
  virtual ~RouterKeyLookup() = default;
  // Appends every key registered for (asn, ski); several may match (RFC 8210 §5.10 allows
  // several keys per SKI). Nothing appended means no key.
  virtual void find(base::Asn asn, const base::Ski& ski,
                    std::vector<crypto::PublicKey>& out) const = 0;

  RouterKeyLookup() = default;
  RouterKeyLookup(const RouterKeyLookup&) = default;
  RouterKeyLookup& operator=(const RouterKeyLookup&) = default;
  RouterKeyLookup(RouterKeyLookup&&) = default;
  RouterKeyLookup& operator=(RouterKeyLookup&&) = default;
};

}  // namespace bgpsecd::rpki
