// SPDX-License-Identifier: BSD-2-Clause
// The three SRx results of an update and the revalidation index (update_validation.hpp).
#include "validation_server/update_validation.hpp"

#include <bitset>
#include <string>
#include <utility>

#include "wire/attributes.hpp"

namespace bgpsecd::validation_server {
namespace {

constexpr std::uint8_t kAsSequence = 2;  // SRx asType: the AS_SEQUENCE segment code

}  // namespace

PathCheck inline_path_check(const bgpsec::SignatureVerifier& verifier) {
  return [&verifier](rib::StoredBgpsecPath path, base::Prefix prefix, std::uint8_t safi,
                     base::Asn own_as, rpki::SnapshotPtr rpki,
                     std::function<void(const bgpsec::PathValidation&)> done) {
    const bgpsec::Validator validator(rpki->router_keys, verifier);
    done(validator.verify_signatures(path.decode(), prefix, safi, own_as));
  };
}

base::Result<wire::BgpsecPath, base::WireError> decode_update_attribute(
    std::span<const std::uint8_t> attribute) {
  wire::PathAttributes attrs;
  std::vector<base::WireError> errors;
  std::bitset<256> seen;
  wire::decode_attribute_list(attribute, wire::DecodeContext{}, 0, attrs, errors,
                              /*stop_at_first_error=*/true, &seen);
  if (!errors.empty()) {
    return base::fail(errors.front());
  }
  if (!attrs.bgpsec_path || seen.count() != 1) {
    base::WireError e;
    e.action = base::Action::TreatAsWithdraw;
    e.code = base::notify::kUpdateMessageError;
    e.subcode = 1;  // Malformed Attribute List (RFC 4271 §6.3)
    e.length = static_cast<std::uint32_t>(attribute.size());
    e.what = "not exactly one BGPsec_PATH attribute";
    return base::fail(e);
  }
  return std::move(*attrs.bgpsec_path);
}

base::Result<rib::StoredBgpsecPath> checked_update_path(const UpdateContent& content) {
  // NIST's encoding: an unsigned route asked for path validation is Invalid.
  if (content.bgpsec_attribute.empty()) {
    return base::fail("no BGPsec_PATH attribute");
  }
  auto path = decode_update_attribute(content.bgpsec_attribute);
  if (!path) {
    const auto validation = bgpsec::validation_from_wire_error(path.error());
    return base::fail(std::string("malformed BGPsec_PATH (RFC 8205 §5.2): ") +
                      bgpsec::reason_name(validation.reason) + ", " + path.error().what);
  }
  bgpsec::RouteContext route;
  route.prefix = content.prefix;
  route.safi = content.safi;
  // A VERIFY request describes the route, not the BGP session it came over. RFC 8205 §5.2
  // checks #8 and #9 (the newest segment is the peer's, pCount 0 only from a route server)
  // are about that session, so they are left to the router: the peer counts as an iBGP one,
  // which skips them. Outside any confederation, so a Confed_Segment fails check #10.
  bgpsec::PeerContext peer;
  peer.own_as = base::Asn(content.local_as);
  peer.relation = bgpsec::PeerRelation::Ibgp;
  if (auto failed = bgpsec::check_path(*path, route, peer)) {
    return base::fail(std::string("RFC 8205 §5.2: ") + bgpsec::reason_name(failed->reason));
  }
  auto stored = rib::StoredBgpsecPath::store(*path);
  if (!stored) {
    // store() refuses only what check_path has refused already; kept as a guard.
    return base::fail("BGPsec_PATH cannot be stored");
  }
  return stored;
}

srx::SrxResult origin_result(const UpdateContent& content, const rpki::Snapshot& rpki) {
  switch (rpki.vrps.validate_origin(content.prefix, base::Asn(content.origin_as))) {
    case rpki::OriginState::Valid:
      return srx::SrxResult::Valid;
    case rpki::OriginState::NotFound:
      return srx::SrxResult::NotFound;
    case rpki::OriginState::Invalid:
      break;
  }
  return srx::SrxResult::Invalid;
}

srx::SrxResult path_result(const bgpsec::PathValidation& validation) noexcept {
  return validation.state == bgpsec::PathState::Valid ? srx::SrxResult::Valid
                                                      : srx::SrxResult::Invalid;
}

srx::SrxResult aspa_result(const UpdateContent& content) noexcept {
  return content.as_type == kAsSequence ? srx::SrxResult::Unknown : srx::SrxResult::Unverifiable;
}

UpdateValidation::UpdateValidation(const rpki::RpkiStore& rpki, PathCheck path_check)
    : rpki_(rpki), path_check_(std::move(path_check)) {}

void UpdateValidation::validate(std::uint32_t id, const UpdateContent& content, std::uint8_t types,
                                std::uint64_t generation, const Done& done) {
  // One snapshot for all three, so they never mix two RPKI states.
  const rpki::SnapshotPtr rpki = rpki_.snapshot();
  if ((types & srx::kFlagOrigin) != 0) {
    done(id, ResultType::Origin, origin_result(content, *rpki), generation);
  }
  if ((types & srx::kFlagAspa) != 0) {
    done(id, ResultType::Aspa, aspa_result(content), generation);
  }
  if ((types & srx::kFlagPath) == 0) {
    return;
  }
  auto path = checked_update_path(content);
  if (!path) {
    done(id, ResultType::Path, srx::SrxResult::Invalid, generation);
    return;
  }
  path_check_(std::move(*path), content.prefix, content.safi, base::Asn(content.local_as), rpki,
              [done, id, generation](const bgpsec::PathValidation& validation) {
                done(id, ResultType::Path, path_result(validation), generation);
              });
}

void UpdateValidation::track(std::uint32_t id, const UpdateContent& content) {
  forget(id);
  auto path = checked_update_path(content);
  Tracked tracked{content.prefix, path ? std::move(*path) : rib::StoredBgpsecPath()};
  by_prefix_[content.prefix].insert(id);
  updates_.emplace(id, std::move(tracked));
}

void UpdateValidation::forget(std::uint32_t id) {
  const auto it = updates_.find(id);
  if (it == updates_.end()) {
    return;
  }
  unindex(id, it->second);
  updates_.erase(it);
}

void UpdateValidation::unindex(std::uint32_t id, const Tracked& tracked) {
  const auto it = by_prefix_.find(tracked.prefix);
  if (it == by_prefix_.end()) {
    return;
  }
  it->second.erase(id);
  if (it->second.empty()) {
    by_prefix_.erase(it);
  }
}

AffectedUpdates UpdateValidation::affected(const rpki::ChangeSet& change) const {
  std::set<std::uint32_t> origin;
  for (const auto& covering : change.vrp_prefixes()) {
    base::for_each_within(by_prefix_, covering, [&](const auto& entry) {
      origin.insert(entry.second.begin(), entry.second.end());
    });
  }
  std::set<std::uint32_t> path;
  if (const auto keys = change.router_key_ids(); !keys.empty()) {
    for (const auto& [id, tracked] : updates_) {
      if (tracked.path.signed_with_any(keys)) {
        path.insert(id);
      }
    }
  }
  return AffectedUpdates{{origin.begin(), origin.end()}, {path.begin(), path.end()}};
}

}  // namespace bgpsecd::validation_server
