# SPDX-License-Identifier: BSD-2-Clause
# One helper per kind of target, so flags live in one place (docs/style.md §5.2):
#   bgpsecd_library(NAME SRCS ... DEPS ...)       static library bgpsec_<NAME>, alias bgpsecd::<NAME>
#   bgpsecd_test(NAME SRCS ... DEPS ...)          GoogleTest binary registered with ctest
#   bgpsecd_fuzzer(NAME SRCS ... DEPS ...)        libFuzzer target; ordinary builds replay fuzz/corpus/NAME
#   bgpsecd_test_program(TARGET)                  a program only tests use: out of `all` unless BGPSEC_TESTS

set(BGPSEC_WARNINGS
    -Wall -Wextra -Wshadow -Wconversion -Wsign-conversion -Wcast-qual -Wpointer-arith
    -Wold-style-cast -Wnon-virtual-dtor)

add_library(bgpsecd_flags INTERFACE)
target_compile_options(bgpsecd_flags INTERFACE ${BGPSEC_WARNINGS})
if(BGPSEC_WERROR)
  target_compile_options(bgpsecd_flags INTERFACE -Werror)
endif()
if(BGPSEC_SANITIZE)
  target_compile_options(bgpsecd_flags INTERFACE
      -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(bgpsecd_flags INTERFACE -fsanitize=address,undefined)
endif()
if(BGPSEC_FUZZ)
  target_compile_options(bgpsecd_flags INTERFACE
      -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  target_link_options(bgpsecd_flags INTERFACE -fsanitize=address,undefined)
endif()
# Debug builds check BGPSEC_ASSERT; release keeps only BGPSEC_CHECK.
target_compile_definitions(bgpsecd_flags INTERFACE $<$<CONFIG:Debug>:BGPSEC_DEBUG_ASSERTS=1>)

function(bgpsecd_library NAME)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(bgpsec_${NAME} STATIC ${ARG_SRCS})
  add_library(bgpsecd::${NAME} ALIAS bgpsec_${NAME})
  target_include_directories(bgpsec_${NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(bgpsec_${NAME} PUBLIC ${ARG_DEPS} PRIVATE bgpsecd_flags)
endfunction()

function(bgpsecd_test_program TARGET)
  if(NOT BGPSEC_TESTS)
    set_target_properties(${TARGET} PROPERTIES EXCLUDE_FROM_ALL ON)
  endif()
endfunction()

function(bgpsecd_test NAME)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${NAME} ${ARG_SRCS})
  bgpsecd_test_program(${NAME})
  target_link_libraries(${NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main
                                        bgpsecd_flags)
  target_compile_definitions(${NAME} PRIVATE
      BGPSEC_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
      BGPSEC_VECTORS_DIR="${PROJECT_SOURCE_DIR}/tests/vectors"
      # Deprecated spelling; the vectors are the repository's copy in tests/vectors.
      BGPSEC_SHARED_DIR="${PROJECT_SOURCE_DIR}/tests")
  gtest_discover_tests(${NAME} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()

function(bgpsecd_fuzzer NAME)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${NAME}_fuzz ${ARG_SRCS})
  target_link_libraries(${NAME}_fuzz PRIVATE ${ARG_DEPS} bgpsecd_flags)
  # The `fuzzers` target (fuzz/CMakeLists.txt) builds all of them and nothing else.
  set_property(GLOBAL APPEND PROPERTY BGPSEC_FUZZ_TARGETS ${NAME}_fuzz)
  if(BGPSEC_FUZZ)
    target_link_options(${NAME}_fuzz PRIVATE -fsanitize=fuzzer)
  else()
    # Ordinary builds link a small driver that runs every file given on the command line
    # (or every file in the directories given) through LLVMFuzzerTestOneInput.
    target_sources(${NAME}_fuzz PRIVATE ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cpp)
    bgpsecd_test_program(${NAME}_fuzz)
    add_test(NAME fuzz_replay.${NAME}
             COMMAND ${NAME}_fuzz ${PROJECT_SOURCE_DIR}/fuzz/corpus/${NAME})
    set_tests_properties(fuzz_replay.${NAME} PROPERTIES LABELS fuzz)
  endif()
endfunction()
