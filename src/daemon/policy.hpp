// SPDX-License-Identifier: BSD-2-Clause
// Import and export policy: runs a configured Policy's rules over one route.
// RFC 8212: on an eBGP session without a policy nothing is accepted or sent; iBGP sessions and
// our own networks pass unchanged when no policy is set.
#pragma once

#include <cstdint>
#include <optional>

#include "base/asn.hpp"
#include "base/prefix.hpp"
#include "daemon/config.hpp"
#include "rib/route.hpp"
#include "wire/attributes.hpp"

namespace bgpsecd::daemon {

// The route a policy looks at and may change.
struct PolicySubject {
  const base::Prefix& prefix;
  // The route's attributes as they came. A rule that sets communities or MED works on a copy,
  // `edited`, made at its first change: most routes pass most policies unchanged, and a full
  // table should not pay a copy of every attribute set to find that out.
  const wire::PathAttributes& attrs;
  // The Secure_Path of the route's BGPsec_PATH (a RIB route keeps it next to `attrs`,
  // rib/route.hpp); empty: the route has none (a BGPsec_PATH has at least one segment).
  std::span<const wire::SecurePathSegment> secure_path;
  rib::PathState path_state = rib::PathState::Unsigned;
  rib::OriginState origin_state = rib::OriginState::NotFound;
  rib::AspaState aspa_state = rib::AspaState::Unverified;
  std::uint32_t local_pref = rib::kDefaultLocalPref;  // set local_pref writes here
  std::uint8_t prepend = 0;                           // set prepend adds here (export)
  std::optional<wire::PathAttributes> edited;         // set: what the rules changed

  // The attributes as the rules so far left them: what later rules match on.
  [[nodiscard]] const wire::PathAttributes& current() const noexcept {
    return edited ? *edited : attrs;
  }
  [[nodiscard]] wire::PathAttributes& edit() {
    if (!edited) {
      edited.emplace(attrs);
    }
    return *edited;
  }
};

enum class PolicyVerdict : std::uint8_t { Accept, Reject };

// RFC 8212 §3: what a session without a policy in this direction lets through, whatever the
// route: nothing on eBGP, everything otherwise.
[[nodiscard]] constexpr PolicyVerdict verdict_without_policy(bool ebgp) noexcept {
  return ebgp ? PolicyVerdict::Reject : PolicyVerdict::Accept;
}

// `policy` null: RFC 8212 for eBGP (`ebgp` true: Reject), Accept otherwise.
[[nodiscard]] PolicyVerdict apply_policy(const Policy* policy, const Config& config, bool ebgp,
                                         PolicySubject& subject);

// True when every condition of `match` holds for the subject.
[[nodiscard]] bool policy_matches(const PolicyMatch& match, const Config& config,
                                  const PolicySubject& subject);

}  // namespace bgpsecd::daemon
