// SPDX-License-Identifier: BSD-2-Clause
// The speaker's BGPsec import decisions (see import_decision.hpp).
#include "daemon/import_decision.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "bgpsec/as_path_rebuild.hpp"
#include "wire/communities.hpp"

namespace bgpsecd::daemon {

namespace {

rib::PathState path_state_of(bgpsec::PathState state) {
  switch (state) {
    case bgpsec::PathState::Valid:
      return rib::PathState::Valid;
    case bgpsec::PathState::NotValid:
      return rib::PathState::NotValid;
    case bgpsec::PathState::Unverifiable:
      return rib::PathState::Unsigned;
  }
  return rib::PathState::NotValid;
}

// RFC 8205 §5.2 treat-as-withdraw for a path that failed `reason`, or RFC 8374 §8.5 "strip"
// when configured and the Secure_Path is known (`secure_path`, nullptr: it did not parse).
PathDecision syntax_error(bgpsec::Reason reason, const ImportSettings& settings,
                          const std::vector<wire::SecurePathSegment>* secure_path) {
  PathDecision d;
  d.reason = reason;
  if (settings.syntax_error_action != SyntaxErrorAction::Strip) {
    d.action = PathDecision::Action::Withdraw;
    d.outcome = "treated as withdrawn";
    return d;
  }
  if (secure_path == nullptr) {
    d.action = PathDecision::Action::Withdraw;
    d.outcome =
        "treated as withdrawn: its Secure_Path did not parse, so there is no AS_PATH to "
        "keep the route unsigned with (RFC 8374 §8.5)";
    return d;
  }
  d.action = PathDecision::Action::Strip;
  d.as_path = bgpsec::rebuild_as_path(*secure_path);
  d.outcome = "signatures stripped, route kept unsigned (RFC 8374 §8.5)";
  return d;
}

}  // namespace

std::optional<rib::PathState> trusted_path_state(const ImportSettings& settings,
                                                 const wire::PathAttributes& attrs) {
  // RFC 8374 §8.7: validation happens at the eBGP edge; an egress trusts its ingress's state
  // unless configured to revalidate. Never read from eBGP: a neighbour AS cannot vouch.
  if (settings.ebgp || settings.ibgp_state != IbgpState::Trust) {
    return std::nullopt;
  }
  const auto code = wire::find_bgpsec_path_state(attrs.ext_communities);
  // "Validation deferred": the ingress did not validate, so there is no state to trust and
  // the egress "would then be able to perform its own validation" (RFC 8374 §8.7): the route
  // is validated here as if ibgp_state were "revalidate".
  if (!code || *code == wire::BgpsecPathStateCode::Deferred) {
    return std::nullopt;
  }
  return rib::path_state_from_code(*code);
}

std::optional<rib::OriginState> trusted_origin_state(const ImportSettings& settings,
                                                     const wire::PathAttributes& attrs) {
  // RFC 8097 §3: the origin state community is only honoured from iBGP peers.
  if (settings.ebgp || settings.ibgp_state != IbgpState::Trust) {
    return std::nullopt;
  }
  return wire::find_origin_validation_state(attrs.ext_communities);
}

PathDecision decide_path(const ReceivedPath& received, const ImportSettings& settings,
                         const bgpsec::SignatureVerifier& verifier) {
  // RFC 8205 §5.2: a BGPsec_PATH that failed to decode (or came with the wrong flags) is a
  // syntax error whoever sent it; its Secure_Path, when it parsed, is all "strip" can use.
  if (received.malformed) {
    const auto check = static_cast<wire::BgpsecPathCheck>(received.malformed->error.detail);
    const auto& secure_path = received.malformed->secure_path;
    return syntax_error(bgpsec::reason_from_check(check), settings,
                        secure_path ? &*secure_path : nullptr);
  }
  PathDecision d;
  if (!received.attrs.bgpsec_path) {
    return d;  // an unsigned route
  }
  const auto& path = *received.attrs.bgpsec_path;
  if (const auto trusted = trusted_path_state(settings, received.attrs)) {
    d.state = *trusted;  // RFC 8374 §8.7: the ingress router of our AS validated it
    return d;
  }
  // RFC 8205 §5.2 in the order of RFC 8374 §8.1: every check without crypto first.
  if (const auto bad = bgpsec::check_path(path, received.route, settings.peer)) {
    return syntax_error(bad->reason, settings, &path.secure_path);
  }
  const bool supported = std::any_of(path.blocks.begin(), path.blocks.end(), [&](const auto& b) {
    return verifier.supports_suite(b.suite);
  });
  if (!supported) {
    // No supported suite: strip, rebuild the AS_PATH, handle as unsigned (docs/design.md §7).
    d.action = PathDecision::Action::Strip;
    d.reason = bgpsec::Reason::NoSupportedSuite;
    d.as_path = bgpsec::rebuild_as_path(path.secure_path);
    return d;
  }
  d.state = rib::PathState::Pending;  // the signatures are checked on a worker
  return d;
}

void apply_path_decision(const PathDecision& decision, wire::PathAttributes& attrs) {
  if (decision.action == PathDecision::Action::Strip) {
    attrs.as_path = decision.as_path;
    attrs.bgpsec_path.reset();
  }
}

ReceiptState state_on_receipt(const PathDecision& decision, const rib::Route& received,
                              const rib::Route* held, bool in_flight) {
  ReceiptState s;
  s.state = decision.state;
  if (!decision.verify()) {
    s.cancel_check = true;  // a result for the replaced route must not land on this one
    return s;
  }
  s.start_check = true;
  // A check under way is for the route this one replaces: its result must not land on this
  // one, whether this one is checked now, later (deferred, postponed) or never (rejected
  // whatever its path, RFC 8374 §8.1). Only a check started for this one may.
  s.cancel_check = true;
  if (held != nullptr && held->attrs == received.attrs && held->bgpsec == received.bgpsec) {
    // The same signed path again (route refresh): same signed octets, and the keys it was
    // checked with are current (RPKI changes revalidate), so the state stands, and a check
    // already under way for it still applies.
    s.state = held->path_state;
    s.failure = held->path_failure;
    s.start_check = held->path_state == rib::PathState::Pending && !in_flight;
    s.cancel_check = false;
  }
  if (s.start_check) {
    s.state = rib::PathState::Pending;
    s.failure.reset();
  }
  return s;
}

bool PendingChecks::finish(const base::Prefix& prefix, std::uint64_t token) {
  auto& shard = latest_.of(prefix);
  const Request* latest = shard.find(prefix);
  if (latest == nullptr || latest->token != token) {
    return false;  // the route was replaced or withdrawn, or a newer check was asked for
  }
  shard.erase(prefix);
  return true;
}

CheckedState checked_state(const rib::Route& route, const bgpsec::PathValidation& validation) {
  CheckedState c;
  c.state = path_state_of(validation.state);
  if (c.state == rib::PathState::NotValid) {
    c.failure = rib::PathFailure{.reason = static_cast<std::uint8_t>(validation.reason),
                                 .suite = validation.block_suite,
                                 .segment = rib::failure_segment(validation.failed_segment)};
  }
  const bool was_pending = route.path_state == rib::PathState::Pending;
  c.changed = was_pending || route.path_state != c.state || route.path_failure != c.failure;
  return c;
}

}  // namespace bgpsecd::daemon
