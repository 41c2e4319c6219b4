# SPDX-License-Identifier: BSD-2-Clause
# BGPsec_PATH (RFC 8205 §3)
list(APPEND WIRE_SRCS ${CMAKE_CURRENT_SOURCE_DIR}/bgpsec_path.cpp)
list(APPEND WIRE_SRCS ${CMAKE_CURRENT_SOURCE_DIR}/bgpsec_path_json.cpp)

bgpsecd_test(bgpsec_path_test
  SRCS ${CMAKE_CURRENT_SOURCE_DIR}/bgpsec_path_test.cpp
  DEPS bgpsecd::wire nlohmann_json::nlohmann_json)
# The test reads tests/vectors/ through "tests/vectors/rfc8608.hpp".
target_include_directories(bgpsec_path_test PRIVATE ${PROJECT_SOURCE_DIR})

bgpsecd_fuzzer(bgpsec_path
  SRCS ${PROJECT_SOURCE_DIR}/fuzz/bgpsec_path_fuzz.cpp
  DEPS bgpsecd::wire)
