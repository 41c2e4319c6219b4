// SPDX-License-Identifier: BSD-2-Clause
// `bgpsec csr`: a PKCS#10 request for an existing router key, to send to the AS's RPKI CA
// (RFC 8209 §3.2); and the file writing that `bgpsec keygen --csr` shares.
#include <fstream>

#include "base/prefix.hpp"
#include "cli_output.hpp"
#include "commands.hpp"
#include "csr_file.hpp"

namespace bgpsecd::tool {

base::Result<nlohmann::json> write_csr(const crypto::PrivateKey& key, base::Asn asn,
                                       const CsrOptions& options) {
  crypto::RouterCsrSubject subject{asn, std::nullopt};
  if (!options.router_id.empty()) {
    auto id = base::parse_bgp_identifier(options.router_id);
    if (!id) {
      return base::fail(base::Error{"--router-id " + id.error().message});
    }
    subject.router_id = *id;
  }
  std::string format = options.format;
  if (format.empty()) {
    format = options.file.ends_with(".der") ? "der" : "pem";
  }
  if (format != "pem" && format != "der") {
    return base::fail(base::Error{"--csr-format must be pem or der, not '" + format + "'"});
  }
  BGPSEC_ASSIGN_OR_RETURN(const auto der, crypto::router_csr_der(key, subject));
  std::ofstream out(options.file, std::ios::binary | std::ios::trunc);
  if (format == "der") {
    out.write(reinterpret_cast<const char*>(der.data()), static_cast<std::streamsize>(der.size()));
  } else {
    out << crypto::csr_pem(der);
  }
  out.close();
  if (!out) {
    return base::fail(base::Error{"cannot write '" + options.file + "'"});
  }
  return nlohmann::json{{"file", options.file},
                        {"format", format},
                        {"subject", crypto::router_subject_text(subject)}};
}

namespace {

struct CsrArgs {
  std::string key;
  std::string asn;
  CsrOptions csr;
};

int run_csr(const CsrArgs& args) {
  auto asn = base::parse_asn(args.asn);
  if (!asn) {
    return bad_input(asn.error().message);
  }
  auto key = crypto::PrivateKey::load_pem(args.key);
  if (!key) {
    return bad_input(key.error().message);
  }
  auto written = write_csr(*key, *asn, args.csr);
  if (!written) {
    return bad_input(written.error().message);
  }
  (*written)["asn"] = asn->value();
  (*written)["ski"] = key->public_key().ski().to_hex();
  print_json(*written);
  return kPositive;
}

}  // namespace

void add_csr_options(CLI::App& cmd, CsrOptions& options, const char* file_flag) {
  cmd.add_option(file_flag, options.file,
                 "write a PKCS#10 certification request for the key to FILE, for the AS's RPKI "
                 "CA (RFC 8209 router certificate)");
  cmd.add_option("--csr-format", options.format,
                 "pem or der (default: der when FILE ends in .der, else pem; Krill takes der)");
  cmd.add_option("--router-id", options.router_id,
                 "put this BGP Identifier (A.B.C.D) in the request's serialNumber, to tell "
                 "several routers of one AS apart");
}

Runner add_csr(CLI::App& app) {
  auto args = std::make_shared<CsrArgs>();
  auto* cmd = app.add_subcommand(
      "csr",
      "Write a PKCS#10 certification request for an existing router key (subject "
      "CN=ROUTER-<AS in 8 hex digits>, extendedKeyUsage id-kp-bgpsec-router, signed with the "
      "key) and print {\"asn\",\"ski\",\"file\",\"format\",\"subject\"}.");
  cmd->add_option("--key", args->key, "router key PEM file (as `bgpsec keygen` writes it)")
      ->required();
  cmd->add_option("--asn", args->asn, "the AS the router signs for (65536, AS65536 or 1.0)")
      ->required();
  add_csr_options(*cmd, args->csr, "--out");
  cmd->get_option("--out")->required();
  return {cmd, [args] { return run_csr(*args); }};
}

}  // namespace bgpsecd::tool
