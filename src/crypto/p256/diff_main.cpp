// SPDX-License-Identifier: BSD-2-Clause
// p256_diff: the differential test of PrecomputedVerifier against OpenSSL at scale
// (scripts/p256-differential). Prints every mismatch and a per-kind summary; exit status 1 if
// any case disagreed, 2 for bad usage.
//   p256_diff [--cases N] [--seed S] [--pool K] [--quiet]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "crypto/fast_verify.hpp"
#include "crypto/p256/differential.hpp"

namespace {

bool parse_u64(const char* text, std::uint64_t& out) {
  char* end = nullptr;
  out = std::strtoull(text, &end, 10);
  return end != text && *end == '\0';
}

int usage() {
  std::fprintf(stderr, "usage: p256_diff [--cases N] [--seed S] [--pool K] [--quiet]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bgpsecd::crypto::p256;
  DiffOptions options;
  options.cases = 10'000'000;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    std::uint64_t value = 0;
    if (arg == "--quiet") {
      quiet = true;
    } else if (i + 1 < argc && parse_u64(argv[i + 1], value) &&
               (arg == "--cases" || arg == "--seed" || arg == "--pool")) {
      ++i;
      if (arg == "--cases") {
        options.cases = value;
      } else if (arg == "--seed") {
        options.seed = value;
      } else if (value > 0) {
        options.pool = static_cast<std::size_t>(value);
      } else {
        return usage();
      }
    } else {
      return usage();
    }
  }
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  options.on_mismatch = [](const DiffCase& c) {
    std::printf("MISMATCH %s\n", describe(c).c_str());
    std::fflush(stdout);
  };
  if (!quiet) {
    options.progress_every = 1'000'000;
    options.on_progress = [&](const DiffStats& s) {
      std::fprintf(stderr, "p256_diff: %llu cases, %llu mismatches, %.0f s\n",
                   static_cast<unsigned long long>(s.cases),
                   static_cast<unsigned long long>(s.mismatches), elapsed());
    };
  }
  const DiffStats stats = run_differential(options);
  std::printf("%-36s %12s %12s\n", "kind", "cases", "valid");
  for (const auto& [kind, count] : stats.per_kind) {
    std::printf("%-36s %12llu %12llu\n", kind.c_str(), static_cast<unsigned long long>(count.cases),
                static_cast<unsigned long long>(count.accepted));
  }
  std::printf(
      "seed %llu: %llu cases (%llu valid) on %llu keys in %.1f s: %llu mismatches (%llu in "
      "verify_batch, %s)\n",
      static_cast<unsigned long long>(options.seed), static_cast<unsigned long long>(stats.cases),
      static_cast<unsigned long long>(stats.accepted), static_cast<unsigned long long>(stats.keys),
      elapsed(), static_cast<unsigned long long>(stats.mismatches),
      static_cast<unsigned long long>(stats.batch_mismatches),
      bgpsecd::crypto::batch_verify_uses_ifma() ? "AVX-512 IFMA" : "one by one");
  return stats.mismatches == 0 ? 0 : 1;
}
