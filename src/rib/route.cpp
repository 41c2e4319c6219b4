// SPDX-License-Identifier: BSD-2-Clause
// Names of the route states and the import-side preference helpers of route.hpp.
#include "rib/route.hpp"

#include <algorithm>
#include <limits>

#include "bgpsec/as_path_rebuild.hpp"

namespace bgpsecd::rib {
namespace {

// A preference with the state deltas added, back in LOCAL_PREF's 32-bit range.
std::uint32_t clamp_preference(std::int64_t value) noexcept {
  constexpr std::int64_t kMax = std::numeric_limits<std::uint32_t>::max();
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(value, 0, kMax));
}

}  // namespace

const char* path_state_name(PathState state) noexcept {
  switch (state) {
    case PathState::Valid:
      return "valid";
    case PathState::NotValid:
      return "not-valid";
    case PathState::Unsigned:
      return "unsigned";
    case PathState::Pending:
      return "pending";
  }
  return "unknown";
}

wire::BgpsecPathStateCode path_state_code(PathState state) noexcept {
  switch (state) {
    case PathState::Valid:
      return wire::BgpsecPathStateCode::Valid;
    case PathState::NotValid:
      return wire::BgpsecPathStateCode::NotValid;
    case PathState::Unsigned:
      return wire::BgpsecPathStateCode::Unsigned;
    case PathState::Pending:
      break;
  }
  return wire::BgpsecPathStateCode::Deferred;
}

PathState path_state_from_code(wire::BgpsecPathStateCode code) noexcept {
  switch (code) {
    case wire::BgpsecPathStateCode::Valid:
      return PathState::Valid;
    case wire::BgpsecPathStateCode::NotValid:
      return PathState::NotValid;
    case wire::BgpsecPathStateCode::Unsigned:
      return PathState::Unsigned;
    case wire::BgpsecPathStateCode::Deferred:
      break;
  }
  return PathState::Pending;
}

const char* origin_state_name(OriginState state) noexcept {
  return wire::origin_validation_state_name(state);
}

const char* aspa_state_name(AspaState state) noexcept {
  switch (state) {
    case AspaState::Valid:
      return "valid";
    case AspaState::Unknown:
      return "unknown";
    case AspaState::Invalid:
      return "invalid";
    case AspaState::Unverified:
      return "unverified";
  }
  return "unverified";
}

std::optional<wire::AspaStateCode> aspa_state_code(AspaState state) noexcept {
  switch (state) {
    case AspaState::Valid:
      return wire::AspaStateCode::Valid;
    case AspaState::Unknown:
      return wire::AspaStateCode::Unknown;
    case AspaState::Invalid:
      return wire::AspaStateCode::Invalid;
    case AspaState::Unverified:
      break;
  }
  return std::nullopt;
}

AspaState aspa_state_from_code(wire::AspaStateCode code) noexcept {
  switch (code) {
    case wire::AspaStateCode::Valid:
      return AspaState::Valid;
    case wire::AspaStateCode::Unknown:
      return AspaState::Unknown;
    case wire::AspaStateCode::Invalid:
      return AspaState::Invalid;
  }
  return AspaState::Unverified;
}

const char* peer_kind_name(PeerKind kind) noexcept {
  switch (kind) {
    case PeerKind::Local:
      return "local";
    case PeerKind::Ebgp:
      return "ebgp";
    case PeerKind::Ibgp:
      return "ibgp";
  }
  return "unknown";
}

StoredBgpsecPath take_bgpsec_path(wire::PathAttributes& attrs,
                                  std::span<const StoredBgpsecPath* const> share_with) {
  if (!attrs.bgpsec_path) {
    return {};
  }
  auto stored = StoredBgpsecPath::store(*attrs.bgpsec_path, share_with);
  if (!stored) {
    // Not one Signature_Segment per Secure_Path segment: never from the decoder (RFC 8205
    // §5.2 check), but a route must not lose its path either way: it keeps the AS_PATH
    // rebuilt from the Secure_Path, as an unsigned route (RFC 8205 §4.4).
    attrs.as_path = bgpsec::rebuild_as_path(attrs.bgpsec_path->secure_path);
  }
  attrs.bgpsec_path.reset();
  return stored;
}

std::uint32_t default_local_pref(const wire::PathAttributes& attrs, PeerKind kind) noexcept {
  // RFC 4271 §9.1.1: for internal routes the degree of preference is LOCAL_PREF; for
  // external ones it is computed by policy, starting here from the usual default.
  if (kind == PeerKind::Ebgp) {
    return kDefaultLocalPref;
  }
  return attrs.local_pref.value_or(kDefaultLocalPref);
}

std::uint32_t apply_state_preference(std::uint32_t base, PathState path_state,
                                     OriginState origin_state,
                                     const StatePreference& pref) noexcept {
  std::int64_t value = base;
  switch (path_state) {
    case PathState::Valid:
      value += pref.path_valid;
      break;
    case PathState::NotValid:
      value += pref.path_not_valid;
      break;
    case PathState::Unsigned:
      value += pref.path_unsigned;
      break;
    case PathState::Pending:
      value += pref.path_pending;
      break;
  }
  switch (origin_state) {
    case OriginState::Valid:
      value += pref.origin_valid;
      break;
    case OriginState::NotFound:
      value += pref.origin_not_found;
      break;
    case OriginState::Invalid:
      value += pref.origin_invalid;
      break;
  }

  return clamp_preference(value);
}

std::uint32_t apply_aspa_preference(std::uint32_t base, AspaState state,
                                    const AspaPreference& pref) noexcept {
  std::int64_t value = base;
  switch (state) {
    case AspaState::Valid:
      value += pref.valid;
      break;
    case AspaState::Unknown:
      value += pref.unknown;
      break;
    case AspaState::Invalid:
      value += pref.invalid;
      break;
    case AspaState::Unverified:
      break;
  }
  return clamp_preference(value);
}

}  // namespace bgpsecd::rib
