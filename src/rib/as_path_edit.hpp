// SPDX-License-Identifier: BSD-2-Clause
// The AS_PATH edits of export (pure): prepending our AS (RFC 4271 §5.1.2) or our Member-AS
// inside a confederation (RFC 5065 §5.3), removing the confederation segments when a route
// leaves the confederation (RFC 5065 §5.3), and removing private ASNs (RFC 6996) before we
// sign (RFC 8374 §8.4.2).
#pragma once

#include <cstddef>
#include <span>

#include "base/asn.hpp"
#include "wire/as_path.hpp"
#include "wire/bgpsec_path.hpp"

namespace bgpsecd::rib {

// RFC 4271 §5.1.2: `asn` `count` times in front, in the leading AS_SEQUENCE or a new one
// (also when the leading one would overflow its 255 ASNs).
void prepend_as(wire::AsPath& path, base::Asn asn, std::size_t count = 1);

// RFC 5065 §5.3 (towards a peer in another Member-AS): our Member-AS in front, in the
// leading AS_CONFED_SEQUENCE or a new one.
void prepend_confed_member(wire::AsPath& path, base::Asn member_as);

// RFC 5065 §5.3 (towards a peer outside the confederation): every AS_CONFED_SEQUENCE and
// AS_CONFED_SET goes.
void remove_confed_segments(wire::AsPath& path);

// RFC 8374 §8.4.2 with RFC 6996: the private ASNs at the most recent end of the path (leading
// AS_SEQUENCE entries, up to the first public ASN or AS_SET; confed segments are skipped, the
// caller removes them first when the route leaves the confederation). A path that was all
// private (a stub customer on a private ASN) becomes empty, i.e. originated by us. Returns how
// many ASNs were removed.
std::size_t remove_private_asns(wire::AsPath& path);

// The number of private ASNs in a Secure_Path outside its Confed_Segment run: they cannot be
// removed, since every later signature covers them (RFC 8205 §4.2), so the option has to
// leave such a route as it is (RFC 8374 §8.4.2: removal only before signing).
[[nodiscard]] std::size_t private_asns_in(
    std::span<const wire::SecurePathSegment> secure_path) noexcept;

}  // namespace bgpsecd::rib
