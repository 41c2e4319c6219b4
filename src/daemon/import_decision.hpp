// SPDX-License-Identifier: BSD-2-Clause
// The speaker's import decisions about the BGPsec side of a received route, as pure functions
// of the decoded UPDATE, the neighbor's settings and [bgpsec]: what RFC 8205 §5.2 with
// RFC 8374 §8.5 (withdraw or strip) and §8.7 (states carried over iBGP) make of a BGPsec_PATH,
// which path state a route starts with when it replaces another, and whether the result of a
// signature check still applies when it arrives. No sockets, clocks or logs: speaker.cpp and
// speaker_bgpsec.cpp carry the decisions out.
#pragma once

#include <cstdint>
#include <optional>

#include "base/prefix.hpp"
#include "base/prefix_set.hpp"
#include "base/prefix_table.hpp"
#include "bgpsec/reason.hpp"
#include "bgpsec/signature_verifier.hpp"
#include "bgpsec/validator.hpp"
#include "daemon/config.hpp"
#include "rib/route.hpp"
#include "wire/attributes.hpp"

namespace bgpsecd::daemon {

// What the BGPsec import decisions read of a neighbor and of [bgpsec].
struct ImportSettings {
  bool ebgp = true;
  SyntaxErrorAction syntax_error_action = SyntaxErrorAction::Withdraw;
  IbgpState ibgp_state = IbgpState::Trust;
  bgpsec::PeerContext peer;  // who the neighbor is to us, for the RFC 8205 §5.2 checks
};

// RFC 8374 §8.7: the path state the ingress router of our AS put on a route from an iBGP peer,
// when we trust it (ibgp_state = "trust"); nullopt: validate here (an eBGP peer, "revalidate",
// no state, or "validation deferred").
[[nodiscard]] std::optional<rib::PathState> trusted_path_state(const ImportSettings& settings,
                                                               const wire::PathAttributes& attrs);
// RFC 8097 §3 / RFC 8374 §8.7: the same for the origin validation state.
[[nodiscard]] std::optional<rib::OriginState> trusted_origin_state(
    const ImportSettings& settings, const wire::PathAttributes& attrs);

// What import does with the BGPsec_PATH of a received route.
struct PathDecision {
  enum class Action : std::uint8_t {
    Keep,      // the route goes on with `state`
    Withdraw,  // RFC 8205 §5.2 treat-as-withdraw: every prefix of the UPDATE
    Strip,     // the route goes on unsigned, with `as_path` (RFC 8205 §4.4, RFC 8374 §8.5)
  };
  Action action = Action::Keep;
  // Keep: Unsigned (no BGPsec_PATH), Pending (the signatures are to be checked) or the state an
  // iBGP peer's ingress router gave it.
  rib::PathState state = rib::PathState::Unsigned;
  bgpsec::Reason reason = bgpsec::Reason::Valid;
  // Strip: the AS_PATH rebuilt from the Secure_Path.
  wire::AsPath as_path;
  // Withdraw and Strip for a failed check: what happens, for the log line.
  const char* outcome = "";

  // An RFC 8205 §5.2 check failed (a syntax error, counted and logged); false for a path
  // stripped because none of its suites is supported.
  [[nodiscard]] bool syntax_error() const noexcept {
    return action != Action::Keep && bgpsec::is_malformed(reason);
  }
  [[nodiscard]] bool verify() const noexcept {
    return action == Action::Keep && state == rib::PathState::Pending;
  }
};

// The BGPsec side of a received UPDATE.
struct ReceivedPath {
  const wire::PathAttributes& attrs;  // as decoded: a well-formed BGPsec_PATH is in it
  // The BGPsec_PATH the decoder left out for being malformed (DecodedUpdate).
  const std::optional<wire::MalformedBgpsecPath>& malformed;
  bgpsec::RouteContext route;  // the UPDATE's prefix facts for RFC 8205 §5.2
};

// RFC 8205 §5.2 in the order of RFC 8374 §8.1, the checks that need no crypto:
//  - a BGPsec_PATH the decoder rejected, or one failing check_path, is treat-as-withdraw; with
//    syntax_error_action = "strip" (RFC 8374 §8.5) the route is kept unsigned with the AS_PATH
//    rebuilt from the Secure_Path, or withdrawn when the Secure_Path itself did not parse;
//  - a path from an iBGP peer whose state we trust keeps that state (RFC 8374 §8.7);
//  - a path with no suite `verifier` supports is stripped (no syntax error);
//  - otherwise Keep / Pending: the signatures go to the validation pool.
// The malformed report is looked at before anything else, whoever sent it.
[[nodiscard]] PathDecision decide_path(const ReceivedPath& received, const ImportSettings& settings,
                                       const bgpsec::SignatureVerifier& verifier);

// Carries out Strip on the attributes the route is stored with: no BGPsec_PATH, the rebuilt
// AS_PATH. Other decisions leave `attrs` alone.
void apply_path_decision(const PathDecision& decision, wire::PathAttributes& attrs);

// The path state a received route enters the Adj-RIB-In with.
struct ReceiptState {
  rib::PathState state = rib::PathState::Unsigned;
  std::optional<rib::PathFailure> failure;
  bool start_check = false;   // hand its signatures to the validation pool
  bool cancel_check = false;  // a check under way is for the route this one replaces: drop it
};

// `received` (attrs interned, bgpsec taken) with `decision`; `held` is the route the peer had
// for the prefix (nullptr: none), `in_flight` whether a check of that prefix is under way. The
// same signed path again (route refresh: same interned attributes, same signed octets) keeps
// its state and a check under way for it; a new signed path is checked; an unsigned or trusted
// one cancels the check of the route it replaces.
[[nodiscard]] ReceiptState state_on_receipt(const PathDecision& decision,
                                            const rib::Route& received, const rib::Route* held,
                                            bool in_flight);

// The signature checks under way for one neighbor's routes, by prefix, with the token of the
// latest request: a result that arrives after a newer request (a route replaced, an RPKI
// change) or after the route was withdrawn or replaced without a check is stale.
class PendingChecks {
 public:
  void start(const base::Prefix& prefix, std::uint64_t token) {
    latest_.of(prefix).insert(Request{prefix, token}).first->token = token;
  }
  void cancel(const base::Prefix& prefix) noexcept { latest_.of(prefix).erase(prefix); }
  [[nodiscard]] bool in_flight(const base::Prefix& prefix) const {
    return latest_.of(prefix).contains(prefix);
  }
  // True when `token` is the latest request for `prefix`: its result applies, and the prefix
  // is no longer in flight. False: a stale result, to drop; nothing changes.
  [[nodiscard]] bool finish(const base::Prefix& prefix, std::uint64_t token);

 private:
  // Looked up three times per signed route on the I/O thread (receipt, start, result): hash
  // tables without a node per entry, since nothing needs these in order. While a full table
  // waits for the workers most of it is in flight: sharded, so that no rehash moves all of it
  // at once.
  struct Request {
    base::Prefix prefix;
    std::uint64_t token = 0;
  };
  struct PrefixOfRequest {
    const base::Prefix& operator()(const Request& request) const noexcept { return request.prefix; }
  };
  base::PrefixShards<base::PrefixTable<Request, PrefixOfRequest>> latest_;
};

// What a finished signature check makes of the route it was for.
struct CheckedState {
  rib::PathState state = rib::PathState::NotValid;
  std::optional<rib::PathFailure> failure;  // for NotValid
  // False for a recheck whose outcome is the route's state already: nothing to decide or
  // export again.
  bool changed = true;
};
[[nodiscard]] CheckedState checked_state(const rib::Route& route,
                                         const bgpsec::PathValidation& validation);

}  // namespace bgpsecd::daemon
