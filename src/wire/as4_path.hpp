// SPDX-License-Identifier: BSD-2-Clause
// RFC 6793 §4.2.3: how a 4-octet-AS speaker rebuilds the real AS path from the AS_PATH
// (2-octet ASNs, AS_TRANS in place of large ones) and the AS4_PATH an old speaker passed on.
#pragma once

#include "wire/as_path.hpp"

namespace bgpsecd::wire {

// Merges per RFC 6793 §4.2.3. ASNs are counted as for the decision process (an AS_SET
// counts 1, confederation segments 0). If AS_PATH has fewer ASNs than AS4_PATH, AS4_PATH is
// ignored and `as_path` comes back unchanged; otherwise the leading part of AS_PATH (whole
// segments, a cut AS_SEQUENCE, and any confederation segments met on the way) is kept and
// AS4_PATH appended, so the result has as many ASNs as `as_path`; a kept AS_SEQUENCE and
// AS4_PATH's first AS_SEQUENCE become one segment when they fit 255 ASNs. Confederation segments in
// AS4_PATH are left out (RFC 6793 §6: they must not appear there).
// The caller decides whether to merge at all (only on a session without 4-octet AS, and
// not when AGGREGATOR carries a real 2-octet AS: RFC 6793 §4.2.3).
[[nodiscard]] AsPath merge_as4_path(const AsPath& as_path, const AsPath& as4_path);

}  // namespace bgpsecd::wire
