// SPDX-License-Identifier: BSD-2-Clause
// The `bgpsec` subcommands. Each registers its flags on the CLI11 app and runs when chosen;
// `run` returns the process exit code (cli_output.hpp).
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace bgpsecd::tool {

// A registered subcommand and what runs it once the command line has been parsed.
struct Command {
  CLI::App* app;
  std::function<int()> run;
};
using Runner = Command;

// Each adds its subcommand to `app` and returns it with its runner.
Runner add_keygen(CLI::App& app);
Runner add_rpki_json(CLI::App& app);
Runner add_csr(CLI::App& app);
Runner add_sign(CLI::App& app);
Runner add_verify(CLI::App& app);
Runner add_decode(CLI::App& app);
Runner add_rtr_dump(CLI::App& app);
Runner add_origin(CLI::App& app);
Runner add_aspa(CLI::App& app);
Runner add_gen(CLI::App& app);
Runner add_replay(CLI::App& app);

}  // namespace bgpsecd::tool
