# SPDX-License-Identifier: BSD-2-Clause
# The fast ECDSA P-256 verification engine: our own field and group arithmetic
# with per-key comb tables (p256/), the public PrecomputedVerifier (fast_verify.hpp), its tests,
# the differential program p256_diff (scripts/p256-differential) and the p256_verify fuzzer.
# Included once from CMakeLists.txt beside this file, after bgpsecd_library(crypto ...).
set(BGPSEC_P256_SRCS
    ${CMAKE_CURRENT_LIST_DIR}/fast_verify.cpp
    ${CMAKE_CURRENT_LIST_DIR}/p256/comb.cpp
    ${CMAKE_CURRENT_LIST_DIR}/p256/field.cpp
    ${CMAKE_CURRENT_LIST_DIR}/p256/ifma.cpp
    ${CMAKE_CURRENT_LIST_DIR}/p256/point.cpp
    ${CMAKE_CURRENT_LIST_DIR}/p256/scalar.cpp
    ${CMAKE_CURRENT_LIST_DIR}/p256/signature_der.cpp
    ${CMAKE_CURRENT_LIST_DIR}/p256/verify.cpp)
target_sources(bgpsec_crypto PRIVATE ${BGPSEC_P256_SRCS})
# The arithmetic is optimised in every build type: unoptimised it is many times slower, which
# would make the 100 k-case differential test in ctest take minutes in the debug and asan
# builds. Sanitizers and assertions stay on where the preset sets them. (The hot helpers in
# p256/*.hpp are always_inline, so tests compiled without -O2 share no slow copies with them.)
set_source_files_properties(${BGPSEC_P256_SRCS} PROPERTIES COMPILE_OPTIONS -O2)

bgpsecd_test(p256_test
  SRCS ${CMAKE_CURRENT_LIST_DIR}/p256/field_test.cpp
       ${CMAKE_CURRENT_LIST_DIR}/p256/scalar_test.cpp
       ${CMAKE_CURRENT_LIST_DIR}/p256/point_test.cpp
       ${CMAKE_CURRENT_LIST_DIR}/p256/signature_der_test.cpp
       ${CMAKE_CURRENT_LIST_DIR}/p256/ifma_test.cpp
       ${CMAKE_CURRENT_LIST_DIR}/fast_verify_test.cpp
       ${CMAKE_CURRENT_LIST_DIR}/p256/differential.cpp
       ${CMAKE_CURRENT_LIST_DIR}/p256/differential_test.cpp
  DEPS bgpsecd::crypto OpenSSL::Crypto nlohmann_json::nlohmann_json Threads::Threads)
# fast_verify_test reads the RFC 8608 vectors through "tests/vectors/rfc8608.hpp".
target_include_directories(p256_test PRIVATE ${PROJECT_SOURCE_DIR})
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/p256/differential.cpp
                            PROPERTIES COMPILE_OPTIONS -O2)

# scripts/p256-differential: millions of random cases against OpenSSL, mismatches printed.
add_executable(p256_diff ${CMAKE_CURRENT_LIST_DIR}/p256/diff_main.cpp
                         ${CMAKE_CURRENT_LIST_DIR}/p256/differential.cpp)
target_link_libraries(p256_diff PRIVATE bgpsecd::crypto OpenSSL::Crypto bgpsecd_flags)

# Both verifiers on fuzzer-chosen keys, digests and signatures; aborts when they disagree.
bgpsecd_fuzzer(p256_verify SRCS ${PROJECT_SOURCE_DIR}/fuzz/p256_verify_fuzz.cpp
               DEPS bgpsecd::crypto)
