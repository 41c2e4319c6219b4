// SPDX-License-Identifier: BSD-2-Clause
// `bgpsec decode`: a whole BGP message, or a run of path attributes, from hex to JSON, through
// the same codecs the daemon uses (so RFC 7606 errors are reported as the session would see
// them).
#include <cctype>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "base/hex.hpp"
#include "cli_output.hpp"
#include "commands.hpp"
#include "wire/attributes.hpp"
#include "wire/message.hpp"
#include "wire/update.hpp"

namespace bgpsecd::tool {
namespace {

struct DecodeArgs {
  std::string hex;
  bool attribute = false;
  bool extended_messages = false;
  bool two_octet_as = false;
};

// One line for the error message: what, where, and the action RFC 7606 asks for.
std::string describe(const base::WireError& e) {
  return std::string(e.what) + " at offset " + std::to_string(e.offset) + " (" +
         base::action_name(e.action) + ", NOTIFICATION " + std::to_string(e.code) + "/" +
         std::to_string(e.subcode) + ")";
}

int run_decode(const DecodeArgs& args) {
  std::string text = args.hex;
  if (text == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::erase_if(text, [](unsigned char c) { return std::isspace(c) != 0; });
  if (text.empty()) {
    return bad_input("nothing to decode (give HEX, or - to read stdin)");
  }
  auto bytes = base::from_hex(text);
  if (!bytes) {
    return bad_input("HEX: " + bytes.error().message);
  }

  wire::DecodeContext ctx;
  ctx.four_octet_as = !args.two_octet_as;
  ctx.extended_messages = args.extended_messages;
  // An offline decode accepts BGPsec_PATH for both AFIs, as if BGPsec had been negotiated.
  ctx.bgpsec = {.receive_ipv4 = true, .receive_ipv6 = true, .send_ipv4 = true, .send_ipv6 = true};

  if (args.attribute) {
    wire::PathAttributes attrs;
    std::vector<base::WireError> errors;
    wire::decode_attribute_list(*bytes, ctx, 0, attrs, errors, /*stop_at_first_error=*/false);
    for (const auto& e : errors) {
      if (e.action == base::Action::SessionReset) {
        return bad_input("attributes: " + describe(e));
      }
    }
    nlohmann::json out = wire::path_attributes_to_json(attrs);
    if (!errors.empty()) {
      auto list = nlohmann::json::array();
      for (const auto& e : errors) {
        list.push_back(wire::wire_error_to_json(e));
      }
      out["errors"] = std::move(list);
    }
    print_json(out);
    return kPositive;
  }

  auto message = wire::decode_message(*bytes, ctx);
  if (!message) {
    return bad_input("message: " + describe(message.error()));
  }
  print_json(wire::message_to_json(*message));
  return kPositive;
}

}  // namespace

Runner add_decode(CLI::App& app) {
  auto args = std::make_shared<DecodeArgs>();
  auto* cmd = app.add_subcommand(
      "decode",
      "Decode a whole BGP message (header included), or with --attribute a run of path "
      "attributes, from hex to JSON. RFC 7606 errors that keep the session up are listed under "
      "\"errors\"; the others are bad input.");
  cmd->add_option("hex", args->hex, "hex octets (white space allowed), or - to read stdin")
      ->required();
  cmd->add_flag("--attribute", args->attribute,
                "the input is path attributes (e.g. `bgpsec sign` output), not a message");
  cmd->add_flag("--extended-messages", args->extended_messages,
                "accept messages up to 65535 octets (RFC 8654)");
  cmd->add_flag("--two-octet-as", args->two_octet_as,
                "decode as on a session without 4-octet AS numbers (RFC 6793)");
  return {cmd, [args] { return run_decode(*args); }};
}

}  // namespace bgpsecd::tool
