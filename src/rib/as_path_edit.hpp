// SPDX-License-Identifier: BSD-2-Clause
// The AS_PATH edits of export (pure): prepending our AS (RFC 4271 §5.1.2) or our Member-AS
// inside a confederation (RFC 5065 §5.3), removing the confederation segments when a route
// leaves the confederation (RFC 5065 §5.3), and removing private ASNs (RFC 6996) before we
// sign (RFC 8374 §8.4.2).
#pragma once

#include <cstddef>
#include <cstdint>
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

// RFC 8374 §8.4.2 with RFC 6996: which private ASNs (64512-65534, 4200000000-4294967294;
// base::is_private_asn) remove_private_as takes out of an AS_PATH before our AS goes on.
enum class PrivateAsRemoval : std::uint8_t {
  None,     // the path as it is
  Leading,  // the run at the most recent end (JunOS `remove-private`)
  All,      // every one (FRR / IOS `remove-private-AS all`)
};

// Removes private ASNs from `path` as `mode` says, except any ASN in `keep` (our AS and the
// peer's: removing the peer's would hide a loop from it, ours is the path's own hop):
//   Leading: AS_SEQUENCE entries from the front, up to the first ASN that is public or in
//            `keep`, or the first AS_SET (its order says nothing about which ASN is the most
//            recent);
//   All:     every private ASN not in `keep`, in AS_SEQUENCE and AS_SET segments.
// Confed segments are left alone in both (the caller removes them first when the route leaves
// the confederation). Segments left empty go; a path that was all private (a stub customer on
// a private ASN) becomes empty, i.e. originated by us. Returns how many ASNs were removed.
std::size_t remove_private_asns(wire::AsPath& path, PrivateAsRemoval mode,
                                std::span<const base::Asn> keep);

// How many ASNs remove_private_asns(`mode`, `keep`) would take from the AS_PATH form of
// `secure_path` (its segments outside the Confed_Segment run, one ASN each). They cannot be
// removed: every later signature covers them (RFC 8205 §4.2), so the option has to leave such
// a route as it is (RFC 8374 §8.4.2: removal only before signing).
[[nodiscard]] std::size_t private_asns_in(std::span<const wire::SecurePathSegment> secure_path,
                                          PrivateAsRemoval mode, std::span<const base::Asn> keep);

}  // namespace bgpsecd::rib
