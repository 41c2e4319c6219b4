// SPDX-License-Identifier: BSD-2-Clause
// `bgpsec verify`: validates one BGPsec_PATH attribute for a prefix as a given AS would receive
// it (RFC 8205 §5.2), with router keys from an RPKI JSON file; the same Validator bgpsecd uses.
#include <chrono>
#include <memory>
#include <string>

#include "base/byte_reader.hpp"
#include "base/hex.hpp"
#include "base/prefix.hpp"
#include "bgpsec/as_path_rebuild.hpp"
#include "bgpsec/validator.hpp"
#include "cli_output.hpp"
#include "commands.hpp"
#include "rpki/router_key_table.hpp"
#include "rpki/rpki_json.hpp"
#include "rpki/vrp_table.hpp"
#include "rpki_source.hpp"
#include "wire/as_path.hpp"
#include "wire/as_path_text.hpp"
#include "wire/bgpsec_path.hpp"
#include "wire/bgpsec_path_json.hpp"

namespace bgpsecd::tool {
namespace {

struct VerifyArgs {
  std::string prefix;
  std::string attribute;
  std::string own_as;
  std::string rpki;
  std::string cache;
  std::string peer_as;
  int safi = base::kSafiUnicast;
  bool ibgp = false;
  bool route_server = false;
};

// Flags, type and length of the attribute as `sign` prints it (RFC 4271 §4.3); returns the
// value. The framing is the caller's input, so a framing error is bad input; what is inside
// the value is for the validator to judge.
base::Result<base::Bytes> attribute_value(const base::Bytes& attribute) {
  base::ByteReader in(attribute);
  std::uint8_t flags = 0;
  std::uint8_t type = 0;
  if (!in.read_u8(flags) || !in.read_u8(type)) {
    return base::fail("--attribute is shorter than an attribute header");
  }
  if (type != wire::kAttrBgpsecPath) {
    return base::fail("--attribute has type " + std::to_string(type) +
                      ", expected 33 (BGPsec_PATH)");
  }
  constexpr std::uint8_t kExtendedLength = 0x10;  // RFC 4271 §4.3
  std::size_t length = 0;
  if ((flags & kExtendedLength) != 0) {
    std::uint16_t l = 0;
    if (!in.read_u16(l)) {
      return base::fail("--attribute is shorter than an attribute header");
    }
    length = l;
  } else {
    std::uint8_t l = 0;
    if (!in.read_u8(l)) {
      return base::fail("--attribute is shorter than an attribute header");
    }
    length = l;
  }
  if (in.remaining() != length) {
    return base::fail("--attribute length field says " + std::to_string(length) +
                      " octets of value, " + std::to_string(in.remaining()) + " follow");
  }
  const auto value = in.rest();
  return base::Bytes(value.begin(), value.end());
}

nlohmann::json result_json(const bgpsec::PathValidation& result) {
  // The tool answers valid | not-valid: a path with no Signature_Block of a supported suite
  // cannot be shown valid, so it is not-valid with the reason no-supported-suite (bgpsecd
  // itself handles such a route as unsigned, docs/design.md §7).
  const bool unverifiable = result.state == bgpsec::PathState::Unverifiable;
  const auto state = unverifiable ? bgpsec::PathState::NotValid : result.state;
  const auto reason = unverifiable ? bgpsec::Reason::NoSupportedSuite : result.reason;
  nlohmann::json out{{"path", bgpsec::path_state_name(state)},
                     {"reason", bgpsec::reason_name(reason)},
                     {"signatures_checked", result.signatures_checked}};
  if (result.action) {
    out["action"] = base::action_name(*result.action);
  }
  if (result.failed_segment >= 0) {
    out["failed_segment"] = result.failed_segment;
  }
  if (result.block_suite != 0) {
    out["suite"] = result.block_suite;
  }
  if (result.reason == bgpsec::Reason::KeyNotFound) {
    out["missing_key"] = {{"asn", result.missing_key_asn.value()},
                          {"ski", result.missing_key_ski.to_hex()}};
  }
  return out;
}

int run_verify(const VerifyArgs& args) {
  auto prefix = base::Prefix::parse(args.prefix);
  if (!prefix) {
    return bad_input("--prefix: " + prefix.error().message);
  }
  auto own_as = base::parse_asn(args.own_as);
  if (!own_as) {
    return bad_input("--as: " + own_as.error().message);
  }
  if (args.safi < 1 || args.safi > 255) {
    return bad_input("--safi must be 1..255");
  }
  auto attribute = base::from_hex(args.attribute);
  if (!attribute) {
    return bad_input("--attribute: " + attribute.error().message);
  }
  auto value = attribute_value(*attribute);
  if (!value) {
    return bad_input(value.error().message);
  }
  auto rpki = load_rpki_source(args.rpki, args.cache);
  if (!rpki) {
    return bad_input(rpki.error().message);
  }
  rpki::RouterKeyTable keys;
  for (const auto& entry : rpki->router_keys) {
    keys.add(entry.asn, entry.ski, entry.key);
  }

  // RFC 8205 §5.2 check #1, as bgpsecd's attribute walker makes it: BGPsec_PATH is optional
  // non-transitive (RFC 7606 §3(c): other flags are treat-as-withdraw).
  constexpr std::uint8_t kOptional = 0x80;
  constexpr std::uint8_t kTransitive = 0x40;
  if (((*attribute)[0] & (kOptional | kTransitive)) != kOptional) {
    base::WireError flags_error;
    flags_error.action = base::Action::TreatAsWithdraw;
    flags_error.detail = static_cast<std::uint16_t>(wire::BgpsecPathCheck::AttributeFlags);
    print_json(result_json(bgpsec::validation_from_wire_error(flags_error)));
    return kNegative;
  }
  // A decode failure is an RFC 8205 §5.2 structural error: Not Valid, treat-as-withdraw.
  auto path = wire::decode_bgpsec_path(*value);
  if (!path) {
    print_json(result_json(bgpsec::validation_from_wire_error(path.error())));
    return kNegative;
  }

  bgpsec::PeerContext peer;
  peer.own_as = *own_as;
  peer.relation = args.ibgp ? bgpsec::PeerRelation::Ibgp : bgpsec::PeerRelation::Ebgp;
  peer.peer_is_transparent_route_server = args.route_server;
  // Without --peer-as the peer is whoever signed last, so check #8 passes by construction.
  peer.peer_as = path->secure_path.front().asn;
  if (!args.peer_as.empty()) {
    auto peer_as = base::parse_asn(args.peer_as);
    if (!peer_as) {
      return bad_input("--peer-as: " + peer_as.error().message);
    }
    peer.peer_as = *peer_as;
  }
  bgpsec::RouteContext route;
  route.prefix = *prefix;
  route.safi = static_cast<std::uint8_t>(args.safi);

  const bgpsec::Validator validator(keys);
  const auto result = validator.validate(*path, route, peer);
  auto out = result_json(result);
  out["as_path"] = wire::as_path_to_text(bgpsec::rebuild_as_path(path->secure_path));
  const auto origin_as = bgpsec::secure_path_origin_as(path->secure_path);
  out["origin_as"] = origin_as.value();
  // RFC 6811 beside the path result (RFC 8374 §8.3: two results, policy combines them); the
  // origin is the AS of the least recent Secure_Path segment. No VRPs at all is NotFound.
  auto vrps = rpki::VrpTable::build(rpki->vrps);
  if (!vrps) {
    return bad_input(vrps.error().message);
  }
  out["origin"] = rpki::origin_state_name(vrps->validate_origin(*prefix, origin_as));
  print_json(out);
  return result.state == bgpsec::PathState::Valid ? kPositive : kNegative;
}

}  // namespace

Runner add_verify(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand(
      "verify",
      "Validate a BGPsec_PATH attribute for PREFIX as received by --as (RFC 8205 §5.2), with "
      "router keys from an RPKI JSON file. Prints {\"path\":\"valid\"|\"not-valid\","
      "\"reason\":...}; exit 0 when Valid, 1 otherwise.");
  cmd->add_option("--prefix", args->prefix, "the prefix the path was signed for")->required();
  cmd->add_option("--attribute", args->attribute,
                  "hex of the whole attribute (flags, type 33, length, value)")
      ->required();
  cmd->add_option("--as", args->own_as, "AS that receives the path (the newest Target AS)")
      ->required();
  auto* file = cmd->add_option(
      "--rpki", args->rpki,
      "RPKI JSON file (rpki-client/StayRTR bgpsec_keys or Routinator routerKeys; roas for the "
      "origin result)");
  auto* cache = cmd->add_option("--cache", args->cache,
                                "RPKI cache HOST:PORT to fetch router keys and VRPs from (RTR)");
  file->excludes(cache);
  cache->excludes(file);
  cmd->add_option("--peer-as", args->peer_as,
                  "AS of the eBGP peer it came from (default: the most recent segment's AS)");
  cmd->add_option("--safi", args->safi, "SAFI of the route (default 1, unicast)");
  cmd->add_flag("--ibgp", args->ibgp, "validate as received from an iBGP peer");
  cmd->add_flag("--route-server", args->route_server,
                "the peer is a transparent route server (pCount 0 allowed, RFC 8205 §7.2)");
  return {cmd, [args] { return run_verify(*args); }};
}

}  // namespace bgpsecd::tool
