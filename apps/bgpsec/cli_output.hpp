// SPDX-License-Identifier: BSD-2-Clause
// Conventions shared by every `bgpsec` subcommand: JSON on stdout, exit 0 for a positive
// result, 1 for a negative one (e.g. Not Valid), 2 for bad input or usage with one line on
// stderr that says what is wrong.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace bgpsecd::tool {

enum ExitCode : int { kPositive = 0, kNegative = 1, kBadInput = 2 };

// Compact JSON (one line) unless pretty printing was asked for with --pretty.
void set_pretty(bool pretty);
void print_json(const nlohmann::json& value);
// Prints "bgpsec: <message>" on stderr and returns kBadInput.
int bad_input(const std::string& message);

}  // namespace bgpsecd::tool
