// SPDX-License-Identifier: BSD-2-Clause
// Differential testing of PrecomputedVerifier (verify and verify_batch) against
// PublicKey::verify (OpenSSL): random keys and digests, OpenSSL-made signatures and many ways of
// breaking them, plus crafted keys for the rare cases random input never reaches (x(R) ≥ n, so r =
// x(R) - n; R = u1·G + u2·Q at infinity; Q = ±G). Test support for p256_test and p256_diff only;
// not part of the crypto library.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "base/bytes.hpp"
#include "crypto/digest.hpp"
#include "crypto/keys.hpp"

namespace bgpsecd::crypto::p256 {

struct DiffCase {
  std::string kind;  // what was done to the signature, e.g. "valid", "r_plus_n", "truncated"
  EcPoint key{};
  Sha256Digest digest{};
  base::Bytes signature;
  bool openssl = false;  // PublicKey::verify
  bool fast = false;     // PrecomputedVerifier::verify
  bool batch = false;    // PrecomputedVerifier::verify_batch (IFMA where the CPU has it)
};

struct KindCount {
  std::uint64_t cases = 0;
  std::uint64_t accepted = 0;  // by OpenSSL
};

struct DiffStats {
  std::uint64_t cases = 0;
  std::uint64_t accepted = 0;          // by OpenSSL
  std::uint64_t mismatches = 0;        // cases where either fast verifier disagrees with OpenSSL
  std::uint64_t batch_mismatches = 0;  // of which verify_batch's
  std::uint64_t keys = 0;              // distinct keys with a table built
  std::map<std::string, KindCount> per_kind;
};

struct DiffOptions {
  std::uint64_t cases = 100'000;
  std::uint64_t seed = 1;
  // Keys in play at once; one is replaced by a fresh one about every 100 signatures.
  std::size_t pool = 32;
  // Called for every disagreement (the run goes on).
  std::function<void(const DiffCase&)> on_mismatch;
  // Called about every `progress_every` cases with the running totals (0: never).
  std::uint64_t progress_every = 0;
  std::function<void(const DiffStats&)> on_progress;
};

// Runs at least options.cases cases (a batch is finished). Deterministic in the seed except for
// the signatures OpenSSL makes (its nonces are random), so a mismatch is reported with all it
// needs to replay it (DiffCase).
[[nodiscard]] DiffStats run_differential(const DiffOptions& options);

// One line: kind, both results, key, digest and signature in hex.
[[nodiscard]] std::string describe(const DiffCase& c);

}  // namespace bgpsecd::crypto::p256
