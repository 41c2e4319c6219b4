# SPDX-License-Identifier: BSD-2-Clause
# Every third-party dependency comes from a Debian package (scripts/setup installs them).
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(CLI11 2 CONFIG REQUIRED)
find_package(fmt 9 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
# RTR over SSH (RFC 8210 §9): libssh-dev; its package defines the target ssh.
find_package(libssh 0.9 CONFIG REQUIRED)
find_package(GTest 1.12 REQUIRED)
if(BGPSEC_BENCH)
  find_package(benchmark 1.7 REQUIRED)
endif()

# tl::expected (libexpected-dev) ships a CMake package on bookworm; fall back to the header.
find_package(tl-expected QUIET)
if(NOT TARGET tl::expected)
  find_path(TL_EXPECTED_INCLUDE_DIR tl/expected.hpp REQUIRED)
  add_library(tl_expected INTERFACE)
  target_include_directories(tl_expected SYSTEM INTERFACE ${TL_EXPECTED_INCLUDE_DIR})
  add_library(tl::expected ALIAS tl_expected)
endif()

# Standalone asio has no CMake package in Debian.
find_path(ASIO_INCLUDE_DIR asio.hpp REQUIRED)
add_library(bgpsecd_asio INTERFACE)
target_include_directories(bgpsecd_asio SYSTEM INTERFACE ${ASIO_INCLUDE_DIR})
target_compile_definitions(bgpsecd_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED)
target_link_libraries(bgpsecd_asio INTERFACE Threads::Threads)
add_library(asio::asio ALIAS bgpsecd_asio)
