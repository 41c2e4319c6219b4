// SPDX-License-Identifier: BSD-2-Clause
// `bgpsec`: the offline BGPsec tool (key generation, signing, validation, decoding).
// Thin wiring only: the work is done by libbgpsec (src/).
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "cli_output.hpp"
#include "commands.hpp"
#include "common/build_identity.hpp"

int main(int argc, char** argv) {
  using namespace bgpsecd::tool;
  CLI::App app{
      "bgpsec: offline BGPsec (RFC 8205, algorithm suite 1 of RFC 8608) tool, and a table\n"
      "generator and replayer for benchmarks.\n"
      "JSON on stdout. Exit status: 0 positive result, 1 negative result (e.g. Not Valid),\n"
      "2 bad input or usage (one line on stderr says what is wrong)."};
  app.set_version_flag("--version", bgpsecd::app::version_line("bgpsec"));
  app.require_subcommand(1);
  bool pretty = false;
  app.add_flag("--pretty", pretty, "indent the JSON output");

  const Command commands[] = {add_keygen(app), add_csr(app),    add_rpki_json(app), add_sign(app),
                              add_verify(app), add_decode(app), add_rtr_dump(app),  add_origin(app),
                              add_aspa(app),   add_gen(app),    add_replay(app)};

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    return bad_input(what + " (see bgpsec --help)");
  }
  set_pretty(pretty);
  for (const auto& command : commands) {
    if (command.app->parsed()) {
      return command.run();
    }
  }
  return bad_input("no command given (see bgpsec --help)");
}
