// SPDX-License-Identifier: BSD-2-Clause
// Writing a router key's certification request to a file, shared by `bgpsec keygen --csr` and
// `bgpsec csr`.
#pragma once

#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "crypto/keys.hpp"
#include "crypto/router_csr.hpp"

namespace bgpsecd::tool {

// The options both commands take: where to write, in which encoding, and the router id text.
struct CsrOptions {
  std::string file;
  std::string format;     // "pem", "der", or empty: DER when `file` ends in ".der", else PEM
  std::string router_id;  // dotted quad, or empty for none
};

// Builds the request for `key` and writes it (replacing the file). Returns what the command
// prints about it: {"file","format","subject"}.
[[nodiscard]] base::Result<nlohmann::json> write_csr(const crypto::PrivateKey& key, base::Asn asn,
                                                     const CsrOptions& options);

// Registers the file option (named `file_flag`), --csr-format and --router-id on `cmd`.
void add_csr_options(CLI::App& cmd, CsrOptions& options, const char* file_flag);

}  // namespace bgpsecd::tool
