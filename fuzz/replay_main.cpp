// SPDX-License-Identifier: BSD-2-Clause
// Replay driver linked into fuzz targets in ordinary builds, so ctest runs every corpus file
// through the target (docs/style.md §4.4). Arguments are files or directories (all regular files in
// them, non-recursively). Exits non-zero only if a path cannot be read; a bug in a target
// shows as a crash or a sanitizer report, as under libFuzzer.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool run_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return false;
  }
  const std::vector<char> raw((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
  const std::vector<std::uint8_t> bytes(raw.begin(), raw.end());
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      for (const auto& entry : std::filesystem::directory_iterator(arg, ec)) {
        if (entry.is_regular_file()) {
          ok = run_file(entry.path()) && ok;
          ++count;
        }
      }
    } else {
      ok = run_file(arg) && ok;
      ++count;
    }
  }
  // An empty replay is almost certainly a wrong path: fail loudly rather than pass silently.
  if (count == 0) {
    std::fprintf(stderr, "replay: no inputs\n");
    return 1;
  }
  std::printf("replay: %zu inputs ran\n", count);
  return ok ? 0 : 1;
}
