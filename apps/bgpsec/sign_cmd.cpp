// SPDX-License-Identifier: BSD-2-Clause
// `bgpsec sign`: signs a prefix along a whole AS path, hop by hop, each AS with its own key
// from a key directory (RFC 8205 §4.2), as the routers of a lab would in turn.
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "base/byte_writer.hpp"
#include "base/hex.hpp"
#include "base/prefix.hpp"
#include "bgpsec/key_directory.hpp"
#include "bgpsec/signer.hpp"
#include "cli_output.hpp"
#include "commands.hpp"
#include "wire/bgpsec_path.hpp"

namespace bgpsecd::tool {
namespace {

struct SignArgs {
  std::string prefix;
  std::string as_path;
  std::string target_as;
  std::string key_dir;
  int safi = base::kSafiUnicast;
};

// One Secure_Path segment to be: an AS and how many times it appears in a row.
struct PathHop {
  base::Asn asn;
  int pcount = 1;
};

// "A_n ... A_1" (most recent first, as BGP writes AS paths) to hops, origin last; an AS
// repeated n times in a row becomes one hop with pCount n (RFC 8205 §4.2: prepending).
base::Result<std::vector<PathHop>> parse_as_path(const std::string& text) {
  std::istringstream in(text);
  std::vector<PathHop> hops;
  std::string word;
  while (in >> word) {
    auto asn = base::parse_asn(word);
    if (!asn) {
      return base::fail("--as-path: " + asn.error().message);
    }
    if (!hops.empty() && hops.back().asn == *asn) {
      if (++hops.back().pcount > 255) {
        return base::fail("--as-path: AS" + asn->to_string() +
                          " repeated more than 255 times (pCount is one octet)");
      }
    } else {
      hops.push_back({*asn, 1});
    }
  }
  if (hops.empty()) {
    return base::fail("--as-path is empty");
  }
  return hops;
}

int run_sign(const SignArgs& args) {
  auto prefix = base::Prefix::parse(args.prefix);
  if (!prefix) {
    return bad_input("--prefix: " + prefix.error().message);
  }
  auto hops = parse_as_path(args.as_path);
  if (!hops) {
    return bad_input(hops.error().message);
  }
  auto target = base::parse_asn(args.target_as);
  if (!target) {
    return bad_input("--target-as: " + target.error().message);
  }
  if (args.safi < 1 || args.safi > 255) {
    return bad_input("--safi must be 1..255");
  }
  auto keys = bgpsec::load_keys(args.key_dir);
  if (!keys) {
    return bad_input(keys.error().message);
  }
  const bgpsec::SignedPrefix route{*prefix, static_cast<std::uint8_t>(args.safi)};

  // Walk from the origin (last) to the most recent AS (first); each signs for the next.
  std::optional<wire::BgpsecPath> path;
  for (std::size_t i = hops->size(); i-- > 0;) {
    const PathHop& hop = (*hops)[i];
    auto key = bgpsec::key_for(*keys, hop.asn, args.key_dir);
    if (!key) {
      return bad_input(key.error().message);
    }
    const bgpsec::PrivateKeySigner signer(std::move(key).value());
    const bgpsec::SignatureProvider* providers[] = {&signer};
    const bgpsec::Hop this_hop{.own_as = hop.asn,
                               .target_as = i == 0 ? *target : (*hops)[i - 1].asn,
                               .pcount = static_cast<std::uint8_t>(hop.pcount)};
    auto signed_path = path ? bgpsec::forward(*path, this_hop, route, providers)
                            : bgpsec::originate(this_hop, route, providers);
    if (!signed_path) {
      return bad_input("signing at AS" + hop.asn.to_string() + ": " + signed_path.error().message);
    }
    path = std::move(signed_path).value();
  }

  base::ByteWriter out;
  wire::encode_bgpsec_path_attribute(*path, out);
  print_json({{"attribute", base::to_hex(out.take())}});
  return kPositive;
}

}  // namespace

Runner add_sign(CLI::App& app) {
  auto args = std::make_shared<SignArgs>();
  auto* cmd = app.add_subcommand(
      "sign",
      "Sign PREFIX along a whole AS path, each AS with its own key from --key-dir, the last "
      "signature for --target-as. Prints {\"attribute\":\"<hex of the BGPsec_PATH attribute>\"}.");
  cmd->add_option("--prefix", args->prefix, "the one prefix of the route, e.g. 192.0.2.0/24")
      ->required();
  cmd->add_option("--as-path", args->as_path,
                  "AS path as BGP writes it, most recent AS first, origin last; an AS repeated "
                  "n times in a row is one segment with pCount n")
      ->required();
  cmd->add_option("--target-as", args->target_as, "AS the path is sent to (signed Target AS)")
      ->required();
  cmd->add_option("--key-dir", args->key_dir, "key directory written by `bgpsec keygen`")
      ->required();
  cmd->add_option("--safi", args->safi, "SAFI that is signed (default 1, unicast)");
  return {cmd, [args] { return run_sign(*args); }};
}

}  // namespace bgpsecd::tool
